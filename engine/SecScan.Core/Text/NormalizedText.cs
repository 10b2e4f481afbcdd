using SecScan.Core.Documents;

namespace SecScan.Core.Text;

/// <summary>
/// The text detectors see, with an exact map back to the original characters. Segments are joined
/// with one '\n' each, so a segment boundary is always a line boundary.
/// </summary>
/// <remarks>
/// Invariant: <c>_origin[i]</c> is the offset, in the virtual concatenation of the original segments
/// (each followed by one separator), of the original character that produced normalized character i
/// (stored as runs, see <see cref="OffsetMap"/>).
/// Separators map to the offset just past their segment.
/// </remarks>
public sealed class NormalizedText
{
    private readonly OffsetMap _origin;
    private readonly int[] _segmentOriginStart;   // offset of each segment in the original concatenation
    private readonly int[] _segmentStart;         // offset of each segment in the normalized text

    internal NormalizedText(string text, OffsetMap origin, IReadOnlyList<TextSegment> segments, int[] segmentOriginStart, int[] segmentStart)
    {
        Text = text;
        _origin = origin;
        Segments = segments;
        _segmentOriginStart = segmentOriginStart;
        _segmentStart = segmentStart;
    }

    public string Text { get; }

    /// <summary>How many runs the offset map holds: one per place where it jumps (see <see cref="OffsetMap"/>).</summary>
    internal int OffsetRuns => _origin.Runs;

    public IReadOnlyList<TextSegment> Segments { get; }

    /// <summary>Where segment <paramref name="index"/> starts in <see cref="Text"/>.</summary>
    public int SegmentStart(int index) => _segmentStart[index];

    /// <summary>Where segment <paramref name="index"/> ends in <see cref="Text"/> (exclusive, before its separator).</summary>
    public int SegmentEnd(int index) => index + 1 < _segmentStart.Length ? _segmentStart[index + 1] - 1 : Text.Length;

    /// <summary>The index of the segment holding normalized offset <paramref name="offset"/>.</summary>
    public int SegmentIndexAt(int offset)
    {
        int i = Array.BinarySearch(_segmentStart, offset);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>
    /// Maps a span of the normalized text to the original segment and the span of original characters
    /// that produced it (deleted characters inside the span are included; the span never crosses a segment).
    /// </summary>
    public OriginalSpan MapToOriginal(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        int seg = SegmentIndexAt(Math.Min(start, Math.Max(0, Text.Length - 1)));
        int segEnd = SegmentEnd(seg);
        int end = Math.Min(start + Math.Max(length, 1), segEnd);
        if (start >= segEnd) return new OriginalSpan(seg, Segments[seg].Text.Length, 0);
        int originStart = _origin[start] - _segmentOriginStart[seg];
        int originEnd = _origin[end - 1] - _segmentOriginStart[seg] + 1;
        // A surrogate pair folded to one BMP character covers both code units.
        var original = Segments[seg].Text;
        if (originEnd < original.Length && char.IsLowSurrogate(original[originEnd]) && originEnd > 0 && char.IsHighSurrogate(original[originEnd - 1]))
            originEnd++;
        return new OriginalSpan(seg, originStart, Math.Max(0, originEnd - originStart));
    }
}

/// <summary>A span of original characters inside one segment.</summary>
public readonly record struct OriginalSpan(int Segment, int Start, int Length);
