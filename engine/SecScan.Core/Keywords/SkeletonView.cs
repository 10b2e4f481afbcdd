using System.Buffers;

namespace SecScan.Core.Keywords;

/// <summary>
/// The keyword view of normalized text: runs of separator characters standing between two CJK
/// ideographs are dropped (<c>机*密</c>, <c>机.密</c>, <c>机·密</c> read <c>机密</c>), with a map from
/// every view offset back to the normalized offset. Line breaks are never separators, so a phrase never
/// matches across paragraphs. When the text has no such run the view is the text itself and costs one
/// vectorized search and no copy.
/// </summary>
internal readonly struct SkeletonView
{
    private readonly int[]? _map;

    private SkeletonView(string text, int[]? map, int removed)
    {
        Text = text;
        _map = map;
        Removed = removed;
    }

    /// <summary>The view's text (the normalized text itself when nothing was dropped).</summary>
    public string Text { get; }

    /// <summary>Characters dropped.</summary>
    public int Removed { get; }

    /// <summary>Maps a view span to the normalized span it came from (dropped characters inside it included).</summary>
    public (int Start, int End) ToNormalized(int start, int end) =>
        _map is null ? (start, end) : (_map[start], _map[end - 1] + 1);

    public static SkeletonView Create(string text, SearchValues<char> separators, int maxRun)
    {
        var span = text.AsSpan();
        int first = FindRemovable(span, 0, separators, maxRun, out int firstEnd);
        if (first < 0) return new SkeletonView(text, null, 0);

        var chars = new char[text.Length];
        var map = new int[text.Length];
        int n = 0, pos = 0, removed = 0;
        int runStart = first, runEnd = firstEnd;
        while (runStart >= 0)
        {
            for (int i = pos; i < runStart; i++) { chars[n] = text[i]; map[n++] = i; }
            removed += runEnd - runStart;
            pos = runEnd;
            runStart = FindRemovable(span, pos, separators, maxRun, out runEnd);
        }
        for (int i = pos; i < text.Length; i++) { chars[n] = text[i]; map[n++] = i; }
        return new SkeletonView(new string(chars, 0, n), map, removed);
    }

    /// <summary>The next run of 1..maxRun separators at or after <paramref name="from"/> with an ideograph on each side.</summary>
    private static int FindRemovable(ReadOnlySpan<char> text, int from, SearchValues<char> separators, int maxRun, out int end)
    {
        int pos = from;
        while (pos < text.Length)
        {
            int hit = text[pos..].IndexOfAny(separators);
            if (hit < 0) break;
            int start = pos + hit;
            end = start;
            while (end < text.Length && separators.Contains(text[end])) end++;
            if (start > 0 && end < text.Length && end - start <= maxRun && IsIdeograph(text[start - 1]) && IsIdeograph(text[end]))
                return start;
            pos = end;
        }
        end = -1;
        return -1;
    }

    internal static bool IsIdeograph(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
