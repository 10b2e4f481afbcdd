using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Text;

namespace SecScan.Core.Detection;

/// <summary>
/// A document as detectors see it: normalized text, segment layout, and the document-level facts that
/// several detectors share (the top region). Created once per scanned document.
/// </summary>
public sealed class DetectionInput
{
    /// <summary>The first this many non-empty body lines form the top region (DOMAIN.md §2.4).</summary>
    public const int TopRegionLines = 10;

    /// <summary>On fixed-layout page 1, text above this fraction of the page height is in the top region.</summary>
    public const double TopRegionFraction = 0.2;

    private readonly int _topBodyEnd;
    private readonly Lazy<DocumentGenre> _genre;
    private readonly Lazy<IReadOnlyList<TableRow>> _rows;

    public DetectionInput(NormalizedText text, DocumentGenreRules genres, CancellationToken cancellationToken = default)
    {
        Text = text;
        CancellationToken = cancellationToken;
        _topBodyEnd = FindTopBodyEnd(text);
        _genre = new Lazy<DocumentGenre>(() => DocumentGenre.Compute(text.Text, genres));
        _rows = new Lazy<IReadOnlyList<TableRow>>(() => TableRows.Build(text, cancellationToken));
    }

    /// <summary>The document's genre facts (DOMAIN.md §7), computed on first use and shared by all detectors.</summary>
    public DocumentGenre Genre => _genre.Value;

    /// <summary>The document's rows (<see cref="TableRows"/>) in text order, computed on first use and shared.</summary>
    public IReadOnlyList<TableRow> Rows => _rows.Value;

    /// <summary>The index in <see cref="Rows"/> of the row holding <paramref name="offset"/>, or -1.</summary>
    public int RowIndexAt(int offset)
    {
        var rows = Rows;
        int lo = 0, hi = rows.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (rows[mid].End <= offset) lo = mid + 1;
            else if (rows[mid].Start > offset) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    public NormalizedText Text { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The top region: the first 10 non-empty body lines, the top 20% of page 1, every header and
    /// footer, document properties and the file name (a cover, in effect).
    /// </summary>
    public bool IsTopRegion(int offset)
    {
        var seg = Text.Segments[Text.SegmentIndexAt(offset)];
        var loc = seg.Location;
        switch (loc.Part)
        {
            case SegmentPart.Header or SegmentPart.Footer or SegmentPart.Metadata or SegmentPart.FileName:
                return true;
            case SegmentPart.Body or SegmentPart.TextBox or SegmentPart.TrackedInsertion or SegmentPart.TrackedDeletion or SegmentPart.HiddenText:
                if (loc is { Page: 1, TopFraction: { } top } && top <= TopRegionFraction) return true;
                if (loc.Page is > 1) return false;
                return offset < _topBodyEnd;
            default:
                return false;
        }
    }

    /// <summary>True for parts a reader sees on every page (headers, footers).</summary>
    public bool IsHeaderOrFooter(int offset) =>
        Text.Segments[Text.SegmentIndexAt(offset)].Location.Part is SegmentPart.Header or SegmentPart.Footer;

    public Location LocationAt(int offset) => Text.Segments[Text.SegmentIndexAt(offset)].Location;

    /// <summary>
    /// Builds a finding whose location and span point at the original characters of the normalized span.
    /// </summary>
    public Finding CreateFinding(string rule, FindingCategory category, int start, int length, double confidence,
        IReadOnlyList<ScoreStep> score, string evidence, string explanation, string? basis)
    {
        var span = Text.MapToOriginal(start, length);
        var segment = Text.Segments[span.Segment];
        int? line = null;
        var original = segment.Text.AsSpan(0, Math.Min(span.Start, segment.Text.Length));
        int breaks = original.Count('\n');
        if (breaks > 0 || segment.Text.Contains('\n', StringComparison.Ordinal)) line = breaks + 1;
        return new Finding
        {
            Rule = rule,
            Category = category,
            Confidence = Math.Round(Math.Clamp(confidence, 0, 1), 3),
            Location = segment.Location,
            Line = line,
            Start = span.Start,
            Length = span.Length,
            Evidence = evidence,
            Explanation = explanation,
            Score = score,
            Basis = basis,
        };
    }

    /// <summary>
    /// The end offset of the 10th non-empty line among body segments (tracked changes and hidden text
    /// count: they stand where they were typed). Later body text is outside the top region.
    /// </summary>
    private static int FindTopBodyEnd(NormalizedText text)
    {
        int lines = 0;
        for (int i = 0; i < text.Segments.Count; i++)
        {
            var part = text.Segments[i].Location.Part;
            if (part is not (SegmentPart.Body or SegmentPart.TextBox or SegmentPart.TrackedInsertion or SegmentPart.TrackedDeletion or SegmentPart.HiddenText))
                continue;
            if (text.Segments[i].Location.Page is > 1) break;
            var s = text.Text.AsSpan(text.SegmentStart(i), text.SegmentEnd(i) - text.SegmentStart(i));
            int pos = text.SegmentStart(i);
            foreach (var range in s.Split('\n'))
            {
                var lineText = s[range];
                if (!lineText.IsWhiteSpace() && ++lines >= TopRegionLines) return pos + range.End.Value;
            }
        }
        return int.MaxValue;
    }
}
