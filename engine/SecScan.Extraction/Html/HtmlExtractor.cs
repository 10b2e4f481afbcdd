using System.Text;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.Text;

namespace SecScan.Extraction.Html;

/// <summary>
/// Reads HTML and XHTML pages: visible text one segment per block element (p, div, li, td, h1–h6 …), table
/// cells with their table, row and column, the title and the description, keywords and author meta tags
/// (Metadata), <c>alt</c> and <c>title</c> attributes, and text hidden by CSS or the <c>hidden</c>
/// attribute as HiddenText segments (hidden text is published too). Script, style and template contents
/// are not text.
/// </summary>
/// <remarks>
/// AngleSharp parses the page as a browser would (HTML5 tree construction, entities, broken markup) and
/// AngleSharp.Css parses inline <c>style</c> attributes and <c>&lt;style&gt;</c> sheets. Hiding is decided
/// by a deliberately simple cascade: an element is hidden when its inline style, a top-level style rule
/// whose selector matches it (by element, class, id or any selector AngleSharp supports), or the
/// <c>hidden</c> attribute says <c>display:none</c> or <c>visibility:hidden|collapse</c>, unless its inline
/// style sets a visible <c>display</c>; hiding is inherited. Rules inside <c>@media</c> blocks and external
/// style sheets are not applied: text they would hide is read as visible text, which is still scanned.
/// The charset comes from a BOM, then the caller's declared charset (MHT part headers), then
/// <c>&lt;meta charset&gt;</c>, <c>http-equiv</c> or the XML declaration, else <see cref="TextDecoder"/>'s detection.
/// Stateless and thread-safe.
/// </remarks>
public sealed partial class HtmlExtractor : IExtractor
{
    private static readonly IConfiguration Configuration = AngleSharp.Configuration.Default.WithCss();

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Html];

    static HtmlExtractor() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        var bytes = StreamBytes.ReadAll(stream, context.Limits.MaxInputBytes);
        var segments = new List<TextSegment>();
        var coverage = new List<CoverageNote>();
        Read(bytes, declaredCharset: null, context, segments, coverage);
        return new ExtractedDocument(Extraction.MediaTypes.Html, segments, coverage);
    }

    /// <summary>Decodes and reads one HTML document into <paramref name="segments"/> and <paramref name="coverage"/>.</summary>
    internal static void Read(ReadOnlySpan<byte> bytes, string? declaredCharset, ExtractionContext context,
        List<TextSegment> segments, List<CoverageNote> coverage)
    {
        string html = Decode(bytes, declaredCharset);
        using var browsing = BrowsingContext.New(Configuration);
        var parser = browsing.GetService<IHtmlParser>() ?? throw new InvalidOperationException("AngleSharp has no HTML parser");
        using var document = parser.ParseDocumentAsync(html, context.CancellationToken).GetAwaiter().GetResult();
        var walker = new Walker(context, segments, HiddenByStyleSheets(document));
        walker.ReadHead(document);
        try
        {
            walker.Walk(document.Body ?? (INode?)document.DocumentElement ?? document);
        }
        catch (LimitReachedException)
        {
            walker.Flush();
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"text beyond {context.Limits.MaxCharacters:N0} characters was not read", context.At()));
        }
        if (walker.EmbeddedImages > 0)
            coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                walker.EmbeddedImages == 1 ? "1 embedded image not inspected" : $"{walker.EmbeddedImages} embedded images not inspected", context.At()));
    }

    /// <summary>The page's text: BOM, declared charset, in-document declaration, else detection.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, string? declaredCharset)
    {
        if (bytes.StartsWith(Magic.Utf8Bom) || bytes.StartsWith(Magic.Utf16LeBom) || bytes.StartsWith(Magic.Utf16BeBom))
            return TextDecoder.Decode(bytes).Text;
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        var label = declaredCharset;
        if (string.IsNullOrWhiteSpace(label))
        {
            var m = MetaCharset().Match(head);
            if (!m.Success) m = XmlEncoding().Match(head);
            label = m.Success ? m.Groups[1].Value : null;
        }
        if (EncodingFor(label) is { } encoding)
        {
            // Pages often declare UTF-8 and are GBK (or the reverse): a declaration the bytes contradict loses.
            if (encoding.CodePage != 65001 || System.Text.Unicode.Utf8.IsValid(bytes))
                return encoding.GetString(bytes);
        }
        return TextDecoder.Decode(bytes).Text;
    }

    /// <summary>An encoding for a charset label; the Chinese GB labels all read as GB18030, their superset.</summary>
    internal static Encoding? EncodingFor(string? label)
    {
        if (string.IsNullOrWhiteSpace(label)) return null;
        label = label.Trim().ToLowerInvariant();
        if (label is "gb2312" or "gbk" or "x-gbk" or "gb_2312-80" or "cp936" or "ms936" or "windows-936" or "chinese" or "csgb2312" or "gb18030" or "euc-cn")
            return TextDecoder.Gb18030;
        if (label is "utf8") label = "utf-8";
        try
        {
            return Encoding.GetEncoding(label);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"<meta[^>]*?charset\s*=\s*[""']?\s*([A-Za-z0-9_\-:.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharset();

    [GeneratedRegex(@"^\s*<\?xml[^>]*?encoding\s*=\s*[""']([A-Za-z0-9_\-:.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex XmlEncoding();

    /// <summary>Elements that a top-level rule of an embedded style sheet hides.</summary>
    private static HashSet<IElement> HiddenByStyleSheets(IDocument document)
    {
        var hidden = new HashSet<IElement>();
        foreach (var sheet in document.StyleSheets)
        {
            if (sheet is not ICssStyleSheet css) continue;
            foreach (var rule in css.Rules)
            {
                if (rule is not ICssStyleRule style || !Hides(style.Style)) continue;
                try
                {
                    foreach (var element in document.QuerySelectorAll(style.SelectorText)) hidden.Add(element);
                }
                catch (DomException)
                {
                    // A selector AngleSharp cannot evaluate hides nothing here; its text is read as visible.
                }
            }
        }
        return hidden;
    }

    private static bool Hides(ICssStyleDeclaration style) =>
        string.Equals(style.GetDisplay(), "none", StringComparison.OrdinalIgnoreCase)
        || style.GetVisibility() is { } v && (v.Equals("hidden", StringComparison.OrdinalIgnoreCase) || v.Equals("collapse", StringComparison.OrdinalIgnoreCase));

    /// <summary>Thrown inside one extraction when the character bound is reached.</summary>
    private sealed class LimitReachedException : Exception;

    /// <summary>
    /// Walks the DOM without recursion (a hostile page can nest deeper than the stack), collecting the text of
    /// each block into a visible and a hidden buffer, emitted when the block ends.
    /// </summary>
    private sealed class Walker(ExtractionContext context, List<TextSegment> segments, HashSet<IElement> hiddenBySheets)
    {
        private const int NodesPerCancellationCheck = 4096;

        private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
        {
            "p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article",
            "header", "footer", "aside", "nav", "main", "dd", "dt", "dl", "ul", "ol", "figcaption", "figure", "caption",
            "address", "table", "tr", "thead", "tbody", "tfoot", "form", "fieldset", "legend", "center", "hr", "body",
            "details", "summary", "option", "textarea", "title", "marquee",
        };

        private readonly StringBuilder _visible = new();
        private readonly StringBuilder _hidden = new();
        private readonly List<int[]> _tables = [];   // per open table: number, row, column
        private int _tableCount;
        private int _paragraph;
        private long _characters;
        private int _preDepth;

        public int EmbeddedImages { get; private set; }

        public void ReadHead(IDocument document)
        {
            var title = document.Title;
            if (!string.IsNullOrWhiteSpace(title)) Metadata("title", Collapse(title));
            if (document.Head is null) return;
            foreach (var meta in document.Head.QuerySelectorAll("meta[name][content]"))
            {
                var name = meta.GetAttribute("name")!.Trim().ToLowerInvariant();
                if (name is "description" or "keywords" or "author" or "subject")
                    Metadata(name, Collapse(meta.GetAttribute("content")!));
            }
        }

        private void Metadata(string name, string value)
        {
            if (value.Length == 0) return;
            Charge(value.Length);
            segments.Add(new TextSegment($"{name}: {value}", context.At(SegmentPart.Metadata) with { PartName = name }));
        }

        public void Walk(INode root)
        {
            // Each entry is a node to enter, or (Exit = true) an element to leave with the hidden state to restore.
            var stack = new Stack<(INode Node, bool Exit, bool Hidden)>();
            stack.Push((root, false, false));
            bool hidden = false;
            int nodes = 0;
            while (stack.Count > 0)
            {
                if (++nodes % NodesPerCancellationCheck == 0) context.CancellationToken.ThrowIfCancellationRequested();
                var (node, exit, restore) = stack.Pop();
                if (node is IText text)
                {
                    AppendText(text.Data, hidden);
                    continue;
                }
                if (node is not IElement element)
                {
                    if (!exit && node is IDocument or IDocumentFragment)
                        for (int i = node.ChildNodes.Length - 1; i >= 0; i--) stack.Push((node.ChildNodes[i], false, hidden));
                    continue;
                }
                string name = element.LocalName;
                if (exit)
                {
                    Leave(element, name);
                    hidden = restore;
                    continue;
                }
                if (name is "script" or "style" or "template" or "head" or "noembed" or "noframes") continue;

                bool wasHidden = hidden;
                hidden = hidden || IsHidden(element);
                Enter(element, name, hidden);
                stack.Push((element, true, wasHidden));
                for (int i = element.ChildNodes.Length - 1; i >= 0; i--) stack.Push((element.ChildNodes[i], false, hidden));
            }
            Flush();
        }

        private bool IsHidden(IElement element)
        {
            if (element.HasAttribute("hidden")) return true;
            ICssStyleDeclaration? inline = null;
            if (element.HasAttribute("style"))
            {
                inline = element.GetStyle();
                if (Hides(inline)) return true;
            }
            if (!hiddenBySheets.Contains(element)) return false;
            // An inline display other than none wins over a sheet's display:none.
            var display = inline?.GetDisplay();
            return string.IsNullOrEmpty(display) || string.Equals(display, "none", StringComparison.OrdinalIgnoreCase);
        }

        private void Enter(IElement element, string name, bool hidden)
        {
            if (Blocks.Contains(name)) Flush();
            switch (name)
            {
                case "br":
                    Target(hidden).Append('\n');
                    break;
                case "pre" or "textarea":
                    _preDepth++;
                    break;
                case "table":
                    _tables.Add([++_tableCount, 0, 0]);
                    break;
                case "tr" when _tables.Count > 0:
                    _tables[^1][1]++;
                    _tables[^1][2] = 0;
                    break;
                case "td" or "th" when _tables.Count > 0:
                    if (_tables[^1][1] == 0) _tables[^1][1] = 1;
                    _tables[^1][2]++;
                    break;
                case "img":
                    if (element.GetAttribute("src") is { } src && src.StartsWith("data:image", StringComparison.OrdinalIgnoreCase))
                        EmbeddedImages++;
                    Attribute(element, "alt", hidden);
                    break;
                case "input" when element.GetAttribute("type") is { } type && type.Equals("hidden", StringComparison.OrdinalIgnoreCase):
                    return;
                case "input":
                    Attribute(element, "value", hidden);
                    Attribute(element, "placeholder", hidden);
                    break;
                default:
                    break;
            }
            Attribute(element, "title", hidden);
        }

        private void Leave(IElement element, string name)
        {
            _ = element;
            if (Blocks.Contains(name)) Flush();
            switch (name)
            {
                case "pre" or "textarea":
                    _preDepth--;
                    break;
                case "table" when _tables.Count > 0:
                    _tables.RemoveAt(_tables.Count - 1);
                    break;
                default:
                    break;
            }
        }

        /// <summary>An attribute's text as its own segment where it stands, with the attribute in PartName.</summary>
        private void Attribute(IElement element, string attribute, bool hidden)
        {
            var value = element.GetAttribute(attribute);
            if (string.IsNullOrWhiteSpace(value)) return;
            value = Collapse(value);
            Charge(value.Length);
            // The block being read gets the next paragraph number when it is emitted.
            var at = Here(hidden ? SegmentPart.HiddenText : SegmentPart.Body) with { PartName = $"{element.LocalName} {attribute}", Paragraph = _paragraph + 1 };
            segments.Add(new TextSegment(value, at));
        }

        private StringBuilder Target(bool hidden) => hidden ? _hidden : _visible;

        private void AppendText(string data, bool hidden)
        {
            var target = Target(hidden);
            Charge(data.Length);
            if (_preDepth > 0)
            {
                target.Append(data);
                return;
            }
            // Whitespace collapses as a browser renders it: a run becomes one space.
            foreach (char c in data)
            {
                if (c is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    if (target.Length > 0 && target[^1] is not (' ' or '\n')) target.Append(' ');
                }
                else
                {
                    target.Append(c);
                }
            }
        }

        /// <summary>Emits the open block: visible text, then hidden text, under one paragraph number.</summary>
        public void Flush()
        {
            var visible = _visible.ToString().Trim();
            var hidden = _hidden.ToString().Trim();
            _visible.Clear();
            _hidden.Clear();
            if (visible.Length == 0 && hidden.Length == 0) return;
            _paragraph++;
            var at = Here(SegmentPart.Body);
            if (visible.Length > 0) segments.Add(new TextSegment(visible, at));
            if (hidden.Length > 0) segments.Add(new TextSegment(hidden, at with { Part = SegmentPart.HiddenText }));
        }

        private Location Here(SegmentPart part)
        {
            var at = context.At(part) with { Paragraph = Math.Max(1, _paragraph) };
            if (_tables.Count > 0 && _tables[^1] is [var table, > 0 and var row, > 0 and var column])
                at = at with { Table = table, Row = row, Column = column };
            return at;
        }

        private void Charge(int n)
        {
            _characters += n;
            if (_characters > context.Limits.MaxCharacters) throw new LimitReachedException();
        }

        private static string Collapse(string s) => WhiteSpace().Replace(s, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
