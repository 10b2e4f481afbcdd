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
    // Removal points, sorted: _at[k] is the view offset before which _removedBefore[k] characters in all
    // have been dropped. Sparse, so a text with a few separators costs a few span copies and no per-character map.
    private readonly int[]? _at;
    private readonly int[]? _removedBefore;

    private SkeletonView(string text, int[]? at, int[]? removedBefore, int removed)
    {
        Text = text;
        _at = at;
        _removedBefore = removedBefore;
        Removed = removed;
    }

    /// <summary>The view's text (the normalized text itself when nothing was dropped).</summary>
    public string Text { get; }

    /// <summary>Characters dropped.</summary>
    public int Removed { get; }

    /// <summary>Maps a view span to the normalized span it came from (dropped characters inside it included).</summary>
    public (int Start, int End) ToNormalized(int start, int end) =>
        _at is null ? (start, end) : (start + RemovedAt(start), end - 1 + RemovedAt(end - 1) + 1);

    /// <summary>Characters dropped before the view character at <paramref name="offset"/>.</summary>
    private int RemovedAt(int offset)
    {
        int k = Array.BinarySearch(_at!, offset);
        if (k < 0) k = ~k - 1;
        else while (k + 1 < _at!.Length && _at[k + 1] == offset) k++;
        return k < 0 ? 0 : _removedBefore![k];
    }

    public static SkeletonView Create(string text, SearchValues<char> separators, int maxRun)
    {
        var span = text.AsSpan();
        int first = FindRemovable(span, 0, separators, maxRun, out int firstEnd);
        if (first < 0) return new SkeletonView(text, null, null, 0);

        var chars = new char[text.Length];
        var at = new List<int>();
        var before = new List<int>();
        int n = 0, pos = 0, removed = 0;
        int runStart = first, runEnd = firstEnd;
        while (runStart >= 0)
        {
            span[pos..runStart].CopyTo(chars.AsSpan(n));
            n += runStart - pos;
            removed += runEnd - runStart;
            at.Add(n);
            before.Add(removed);
            pos = runEnd;
            runStart = FindRemovable(span, pos, separators, maxRun, out runEnd);
        }
        span[pos..].CopyTo(chars.AsSpan(n));
        n += text.Length - pos;
        return new SkeletonView(new string(chars, 0, n), [.. at], [.. before], removed);
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
