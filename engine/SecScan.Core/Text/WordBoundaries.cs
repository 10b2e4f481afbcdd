using JiebaNet.Segmenter;

namespace SecScan.Core.Text;

/// <summary>
/// Word boundaries from jieba.NET, for the few rules that ask for them. jieba segments about 5 MB/s per
/// core, so it is only ever run on a short window around a candidate hit, never over a whole text.
/// The keyword phrases are added to jieba's dictionary so that they segment as units.
/// </summary>
/// <remarks>
/// jieba.NET keeps one process-wide dictionary (loaded from <c>Resources/</c> beside the app) that
/// <c>AddWord</c> mutates and <c>Cut</c> reads; calls are serialized through one lock. Words added for
/// an older ruleset stay in the dictionary after a reload: they only ever make a phrase a unit.
/// </remarks>
public static class WordBoundaries
{
    /// <summary>Characters of context read either side of a candidate.</summary>
    public const int Window = 16;

    private static readonly Lock Gate = new();
    private static JiebaSegmenter? _segmenter;

    /// <summary>Adds phrases to jieba's dictionary so that they segment as single words.</summary>
    public static void AddWords(IEnumerable<string> phrases)
    {
        lock (Gate)
        {
            var seg = _segmenter ??= new JiebaSegmenter();
            foreach (var p in phrases)
                if (!string.IsNullOrWhiteSpace(p)) seg.AddWord(p);
        }
    }

    /// <summary>
    /// True when <c>text[start..end)</c> is a sequence of whole jieba tokens in its window
    /// (<paramref name="lineStart"/>..<paramref name="lineEnd"/> bounds the window to the paragraph).
    /// </summary>
    public static bool IsWholeWords(string text, int start, int end, int lineStart, int lineEnd)
    {
        int from = Math.Max(lineStart, start - Window);
        int to = Math.Min(lineEnd, end + Window);
        var window = text[from..to];
        bool startOk = false, endOk = false;
        lock (Gate)
        {
            var seg = _segmenter ??= new JiebaSegmenter();
            int pos = from;
            if (pos == start) startOk = true;
            foreach (var token in seg.Cut(window, cutAll: false, hmm: true))
            {
                pos += token.Length;
                if (pos == start) startOk = true;
                if (pos == end) endOk = true;
                if (pos >= end) break;
            }
        }
        return startOk && endOk;
    }
}
