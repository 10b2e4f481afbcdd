using System.Runtime.InteropServices;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace SecScan.Extraction.Pdf;

/// <summary>One visual text line of a PDF page.</summary>
/// <param name="Text">The line's characters; spaces only where the PDF draws one or Latin words stand apart.</param>
/// <param name="TopFraction">Top of the line as a fraction of the page height as displayed (0 = top edge).</param>
internal readonly record struct PdfLine(string Text, double TopFraction);

/// <summary>
/// One drawn glyph as the line builder needs it, whoever read it: PdfPig's <see cref="Letter"/> or the text layer
/// (<see cref="PdfTextLayer"/>). Coordinates are PdfPig's displayed page space (y up).
/// </summary>
/// <param name="Value">The glyph's Unicode text; may be empty (unmappable) or whitespace.</param>
/// <param name="Start">Start of the glyph's baseline.</param>
/// <param name="End">End of the glyph's baseline (start plus the advance width, without character spacing).</param>
/// <param name="Em">The font size in points on the page; the unit of every gap threshold.</param>
/// <param name="Top">The highest y the glyph reaches: its outline's top, or the font's ascent when outlines are not read.</param>
/// <param name="Degrees">Writing direction to use when the glyph has no advance to take one from (0, 90, 180, 270).</param>
internal readonly record struct PdfGlyph(string Value, PdfPoint Start, PdfPoint End, double Em, double Top, int Degrees)
{
    public static PdfGlyph Of(Letter letter) => new(letter.Value, letter.StartBaseLine, letter.EndBaseLine,
        letter.PointSize > 0 ? letter.PointSize : Math.Max(letter.BoundingBox.Height, 1), letter.BoundingBox.Top,
        letter.TextOrientation switch { TextOrientation.Rotate90 => 90, TextOrientation.Rotate180 => 180, TextOrientation.Rotate270 => 270, _ => 0 });
}

/// <summary>
/// Groups a page's letters into lines by baseline. Chosen over PdfPig's word extractors and Docstrum:
/// those split unspaced CJK runs at arbitrary glyph gaps and insert spaces between ideographs, which
/// breaks exact matching of markings such as 秘密★1年.
/// </summary>
/// <remarks>
/// Letters are first bucketed by writing direction (whole degrees), so a diagonal watermark or a
/// rotated margin note forms its own lines instead of scattering over horizontal ones. Within a
/// direction, a letter belongs to the current line while its baseline lies within half an em of the
/// line's first baseline; a line is cut into separate segments at gaps wider than
/// <see cref="ColumnGapEm"/>, so two columns or a table row's cells side by side do not merge.
/// </remarks>
internal static class PdfLineBuilder
{
    /// <summary>A gap this wide (in ems of the larger neighbour) between Latin letters is a word space.</summary>
    private const double WordGapEm = 0.2;

    /// <summary>A gap this wide separates columns or table cells: the line is cut there.</summary>
    private const double ColumnGapEm = 3.0;

    /// <summary>Baselines closer than this (in ems) are one line; sub- and superscripts stay on it.</summary>
    private const double SameLineEm = 0.5;

    /// <summary>A glyph in its direction's frame: u along the baseline, v across it (towards the top of the text).</summary>
    /// <remarks>Order is the drawing order: ties in either sort keep it, so the result does not depend on the sort algorithm.</remarks>
    private readonly record struct Glyph(string Value, double U0, double U1, double V, double Em, double Top, bool IsSpace, bool IsWide, int Order);

    /// <summary>Baselines from the top of the text down (v descending).</summary>
    private readonly struct TopDown : IComparer<Glyph>
    {
        public int Compare(Glyph a, Glyph b) => b.V != a.V ? b.V.CompareTo(a.V) : a.Order.CompareTo(b.Order);
    }

    /// <summary>Along the baseline (u ascending).</summary>
    private readonly struct Along : IComparer<Glyph>
    {
        public int Compare(Glyph a, Glyph b) => a.U0 != b.U0 ? a.U0.CompareTo(b.U0) : a.Order.CompareTo(b.Order);
    }

    /// <param name="letters">The page's letters, in PdfPig's displayed coordinates (y up).</param>
    /// <param name="pageTop">The y of the displayed page's top edge.</param>
    /// <param name="pageHeight">The displayed page's height.</param>
    public static List<PdfLine> Build(IReadOnlyList<Letter> letters, double pageTop, double pageHeight)
    {
        var drawn = new List<PdfGlyph>(letters.Count);
        foreach (var letter in letters) drawn.Add(PdfGlyph.Of(letter));
        return Build(drawn, pageTop, pageHeight);
    }

    /// <param name="glyphs">The page's glyphs in drawing order, in PdfPig's displayed coordinates (y up).</param>
    /// <param name="pageTop">The y of the displayed page's top edge.</param>
    /// <param name="pageHeight">The displayed page's height.</param>
    public static List<PdfLine> Build(List<PdfGlyph> glyphs, double pageTop, double pageHeight)
    {
        // The first direction's list (on most pages the only one) is kept for the thread's next page: a page of CJK
        // text fills a large-object-heap array. Build does not re-enter, so one cached list per thread suffices.
        var first = t_firstDirection ?? [];
        t_firstDirection = null;
        first.Clear();
        var lines = Build(glyphs, pageTop, pageHeight, first);
        first.Clear(); // no strings kept alive
        t_firstDirection = first;
        return lines;
    }

    [ThreadStatic]
    private static List<Glyph>? t_firstDirection;

    private static List<PdfLine> Build(List<PdfGlyph> glyphs, double pageTop, double pageHeight, List<Glyph> first)
    {
        var byDirection = new Dictionary<int, List<Glyph>>();
        int lastDegrees = -1;
        List<Glyph>? last = null;
        for (int order = 0; order < glyphs.Count; order++)
        {
            var glyph = glyphs[order];
            if (string.IsNullOrEmpty(glyph.Value)) continue;
            double dx = glyph.End.X - glyph.Start.X, dy = glyph.End.Y - glyph.Start.Y;
            // Zero-advance glyphs (some spaces, combining marks) carry no direction: use the one their reader inferred.
            int degrees = dy == 0 && dx > 0 ? 0
                : Math.Abs(dx) + Math.Abs(dy) < 1e-6 ? glyph.Degrees
                : ((int)Math.Round(Math.Atan2(dy, dx) * 180 / Math.PI) + 360) % 360;
            // (u, v): along the baseline and perpendicular to it, v growing towards the top of the text.
            double u0, u1, v;
            if (degrees == 0)
                (u0, u1, v) = (glyph.Start.X, glyph.End.X, glyph.Start.Y);
            else
            {
                double rad = degrees * Math.PI / 180, cos = Math.Cos(rad), sin = Math.Sin(rad);
                u0 = glyph.Start.X * cos + glyph.Start.Y * sin;
                u1 = glyph.End.X * cos + glyph.End.Y * sin;
                v = -glyph.Start.X * sin + glyph.Start.Y * cos;
            }
            if (degrees != lastDegrees || last is null)
            {
                if (!byDirection.TryGetValue(degrees, out last)) byDirection[degrees] = last = byDirection.Count == 0 ? first : new List<Glyph>(16);
                lastDegrees = degrees;
            }
            last.Add(new Glyph(glyph.Value, u0, Math.Max(u0, u1), v, glyph.Em, glyph.Top, string.IsNullOrWhiteSpace(glyph.Value), IsWide(glyph.Value), order));
        }

        var lines = new List<PdfLine>();
        var text = new LineText();
        // The dominant direction is the page's reading direction: its lines come first (ties: the first drawn).
        var directions = new List<List<Glyph>>(byDirection.Values);
        directions.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a[0].Order.CompareTo(b[0].Order));
        foreach (var direction in directions)
        {
            var span = CollectionsMarshal.AsSpan(direction);
            SortIfNeeded(span, new TopDown());
            int start = 0;
            while (start < span.Length)
            {
                double v = span[start].V, em = span[start].Em;
                int end = start + 1;
                while (end < span.Length && v - span[end].V <= SameLineEm * Math.Max(em, span[end].Em))
                    em = Math.Max(em, span[end++].Em);
                var line = span[start..end];
                SortIfNeeded(line, new Along());
                EmitSegments(line, pageTop, pageHeight, text, lines);
                start = end;
            }
        }
        return lines;
    }

    /// <summary>Sorts unless already sorted: text is mostly drawn top down and left to right, so the check usually suffices.</summary>
    private static void SortIfNeeded<TComparer>(Span<Glyph> glyphs, TComparer comparer) where TComparer : IComparer<Glyph>
    {
        for (int i = 1; i < glyphs.Length; i++)
        {
            if (comparer.Compare(glyphs[i - 1], glyphs[i]) > 0)
            {
                glyphs.Sort(comparer);
                return;
            }
        }
    }

    /// <summary>
    /// Writes one baseline's glyphs (sorted along the line) as one or more segments. Every segment of the line
    /// gets the line's top (its highest glyph): cells drawn side by side in different fonts (a CJK font's ascent
    /// is taller than a Latin one's) then share one <see cref="PdfLine.TopFraction"/>, which is how the row model
    /// puts them back into one table row.
    /// </summary>
    private static void EmitSegments(ReadOnlySpan<Glyph> line, double pageTop, double pageHeight, LineText text, List<PdfLine> output)
    {
        int previous = -1;
        double top = double.MinValue;
        foreach (ref readonly var g in line)
            if (!g.IsSpace) top = Math.Max(top, g.Top);
        for (int i = 0; i < line.Length; i++)
        {
            ref readonly var g = ref line[i];
            if (g.IsSpace)
            {
                // A drawn space is kept (once): letter-spaced "机 密" is how the author wrote it.
                text.Space();
                continue;
            }
            if (previous >= 0)
            {
                ref readonly var p = ref line[previous];
                double gap = g.U0 - p.U1, em = Math.Max(p.Em, g.Em);
                // Fake bold and shadows draw the same glyph twice at nearly the same spot: keep one.
                if (string.Equals(g.Value, p.Value, StringComparison.Ordinal) && Math.Abs(g.U0 - p.U0) < 0.1 * em) continue;
                if (gap > ColumnGapEm * em) Flush(text, top, pageTop, pageHeight, output);
                else if (gap > WordGapEm * em && !p.IsWide && !g.IsWide)
                {
                    text.Space();
                }
            }
            text.Append(g.Value);
            previous = i;
        }
        Flush(text, top, pageTop, pageHeight, output);
    }

    private static void Flush(LineText text, double top, double pageTop, double pageHeight, List<PdfLine> output)
    {
        var line = text.TakeTrimmed();
        if (line is null) return;
        double fraction = (pageTop - top) / pageHeight;
        output.Add(new PdfLine(line, double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0));
    }

    /// <summary>The characters of the segment being built, in a buffer reused for every segment of a page.</summary>
    private sealed class LineText
    {
        private char[] _chars = new char[256];
        private int _length;

        /// <summary>One space, never two in a row nor at the start (what the old StringBuilder code did).</summary>
        public void Space()
        {
            if (_length > 0 && _chars[_length - 1] != ' ') Append(" ");
        }

        public void Append(string value)
        {
            if (_length + value.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + value.Length));
            value.CopyTo(_chars.AsSpan(_length));
            _length += value.Length;
        }

        /// <summary>The text without leading and trailing white space, or null when nothing is left; empties the buffer.</summary>
        public string? TakeTrimmed()
        {
            var span = _chars.AsSpan(0, _length).Trim();
            _length = 0;
            return span.IsEmpty ? null : new string(span);
        }
    }

    /// <summary>
    /// Characters written without spaces between them: CJK ideographs, kana, hangul, CJK and full-width
    /// punctuation. A gap next to one of these is layout (justification), never a word break.
    /// </summary>
    internal static bool IsWide(string value)
    {
        if (value.Length == 0) return false;
        int c = char.IsHighSurrogate(value[0]) && value.Length > 1 ? char.ConvertToUtf32(value[0], value[1]) : value[0];
        return c is (>= 0x1100 and <= 0x11FF) or (>= 0x2E80 and <= 0x9FFF) or (>= 0xA960 and <= 0xA97F)
            or (>= 0xAC00 and <= 0xD7FF) or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE10 and <= 0xFE1F)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFFEF) or (>= 0x20000 and <= 0x3FFFF);
    }
}
