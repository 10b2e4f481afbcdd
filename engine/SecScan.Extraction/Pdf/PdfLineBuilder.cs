using System.Text;
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

    private readonly record struct Glyph(string Value, double U0, double U1, double V, double Em, double Top, bool IsSpace);

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
        var byDirection = new Dictionary<int, List<Glyph>>();
        int lastDegrees = -1;
        List<Glyph>? last = null;
        foreach (var glyph in glyphs)
        {
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
                if (!byDirection.TryGetValue(degrees, out last)) byDirection[degrees] = last = new List<Glyph>(byDirection.Count == 0 ? glyphs.Count : 16);
                lastDegrees = degrees;
            }
            last.Add(new Glyph(glyph.Value, u0, Math.Max(u0, u1), v, glyph.Em, glyph.Top, string.IsNullOrWhiteSpace(glyph.Value)));
        }

        var lines = new List<PdfLine>();
        // The dominant direction is the page's reading direction: its lines come first.
        foreach (var direction in byDirection.Values.OrderByDescending(g => g.Count))
        {
            direction.Sort((a, b) => b.V.CompareTo(a.V));
            int start = 0;
            while (start < direction.Count)
            {
                double v = direction[start].V, em = direction[start].Em;
                int end = start + 1;
                while (end < direction.Count && v - direction[end].V <= SameLineEm * Math.Max(em, direction[end].Em))
                    em = Math.Max(em, direction[end++].Em);
                var line = direction.GetRange(start, end - start);
                line.Sort((a, b) => a.U0.CompareTo(b.U0));
                EmitSegments(line, pageTop, pageHeight, lines);
                start = end;
            }
        }
        return lines;
    }

    /// <summary>Writes one baseline's glyphs (sorted along the line) as one or more segments.</summary>
    private static void EmitSegments(List<Glyph> line, double pageTop, double pageHeight, List<PdfLine> output)
    {
        var sb = new StringBuilder();
        Glyph? previous = null;
        double top = double.MinValue;
        foreach (var g in line)
        {
            if (g.IsSpace)
            {
                // A drawn space is kept (once): letter-spaced "机 密" is how the author wrote it.
                if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                continue;
            }
            if (previous is { } p)
            {
                double gap = g.U0 - p.U1, em = Math.Max(p.Em, g.Em);
                // Fake bold and shadows draw the same glyph twice at nearly the same spot: keep one.
                if (string.Equals(g.Value, p.Value, StringComparison.Ordinal) && Math.Abs(g.U0 - p.U0) < 0.1 * em) continue;
                if (gap > ColumnGapEm * em)
                {
                    Flush(sb, top, pageTop, pageHeight, output);
                    top = double.MinValue;
                }
                else if (gap > WordGapEm * em && sb.Length > 0 && sb[^1] != ' ' && !IsWide(p.Value) && !IsWide(g.Value))
                {
                    sb.Append(' ');
                }
            }
            sb.Append(g.Value);
            top = Math.Max(top, g.Top);
            previous = g;
        }
        Flush(sb, top, pageTop, pageHeight, output);
    }

    private static void Flush(StringBuilder sb, double top, double pageTop, double pageHeight, List<PdfLine> output)
    {
        var text = sb.ToString().Trim();
        sb.Clear();
        if (text.Length == 0) return;
        double fraction = (pageTop - top) / pageHeight;
        output.Add(new PdfLine(text, double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0));
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
