using System.Net;
using System.Text;

namespace SecScan.Extraction.Mail;

/// <summary>
/// The visible text of an HTML mail body: tags removed, entities decoded, script, style, head metadata and
/// comments dropped, block elements turned into line breaks so that "a marking alone on its line" keeps its
/// meaning. A single forward pass with no backtracking, so hostile markup costs linear time. Not a full
/// HTML reader (hidden elements and CSS are not interpreted); the HTML extractor is the place for that.
/// </summary>
internal static class HtmlText
{
    private static readonly string[] DroppedElements = ["script", "style", "noscript", "template", "xml"];

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "title", "section", "article", "header", "footer", "dt", "dd", "center",
    };

    public static string ToText(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        var run = new StringBuilder();
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c != '<')
            {
                int next = html.IndexOf('<', i);
                if (next < 0) next = html.Length;
                run.Append(html, i, next - i);
                i = next;
                continue;
            }
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                int end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }
            int close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                run.Append(html, i, html.Length - i);   // a lone '<' is text
                break;
            }
            var name = TagName(html.AsSpan(i + 1, close - i - 1), out bool endTag);
            if (name.Length == 0)
            {
                run.Append('<');   // "1 < 2" is text, not a tag
                i++;
                continue;
            }
            i = close + 1;
            string tag = name.ToString();
            if (!endTag && Array.Exists(DroppedElements, d => d.Equals(tag, StringComparison.OrdinalIgnoreCase)))
            {
                int end = html.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                int gt = end < 0 ? -1 : html.IndexOf('>', end);
                i = gt < 0 ? html.Length : gt + 1;
                continue;
            }
            if (BlockElements.Contains(tag))
            {
                Flush(run, text);
                if (text.Length > 0 && text[^1] != '\n') text.Append('\n');
            }
        }
        Flush(run, text);
        return text.ToString().Trim('\n');
    }

    /// <summary>Decodes entities and collapses source whitespace, as a browser renders inline text.</summary>
    private static void Flush(StringBuilder run, StringBuilder text)
    {
        if (run.Length == 0) return;
        var decoded = WebUtility.HtmlDecode(run.ToString());
        run.Clear();
        bool space = text.Length > 0 && text[^1] is ' ' or '\n';
        foreach (char ch in decoded)
        {
            if (ch is ' ' or '\t' or '\r' or '\n' or '\f')
            {
                if (!space) text.Append(' ');
                space = true;
            }
            else
            {
                text.Append(ch == '\u00A0' ? ' ' : ch);
                space = false;
            }
        }
    }

    /// <summary>The element name of a tag body ("p class=x", "/div", "br/"), or empty when it is not a tag.</summary>
    private static ReadOnlySpan<char> TagName(ReadOnlySpan<char> body, out bool endTag)
    {
        endTag = !body.IsEmpty && body[0] == '/';
        if (endTag) body = body[1..];
        if (!body.IsEmpty && body[0] == '!') return "!";   // <!DOCTYPE …>: a tag, no text
        if (!body.IsEmpty && body[0] == '?') return "?";
        int n = 0;
        while (n < body.Length && (char.IsAsciiLetterOrDigit(body[n]) || body[n] is ':' or '-')) n++;
        if (n == 0 || !char.IsAsciiLetter(body[0])) return [];
        return body[..n];
    }
}
