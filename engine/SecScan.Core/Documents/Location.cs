using System.Text;

namespace SecScan.Core.Documents;

/// <summary>Which part of a document a segment came from. Serialized in kebab-case.</summary>
public enum SegmentPart
{
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    TrackedInsertion,
    TrackedDeletion,
    HiddenText,
    TextBox,
    SpeakerNotes,
    Metadata,
    FileName,
    Ocr,
}

/// <summary>
/// Where a piece of text lives in the original file. Recorded by the extractor: nothing later can
/// recover it. All numbers are 1-based, as a person reads them; null means "not applicable".
/// </summary>
public sealed record Location
{
    /// <summary>Container path from the outermost file inward, e.g. <c>mail.eml › report.zip › plan.docx</c>.</summary>
    public required string Container { get; init; }

    public SegmentPart Part { get; init; } = SegmentPart.Body;

    /// <summary>Name of the part inside the container when it matters (e.g. <c>word/header1.xml</c>, a property name).</summary>
    public string? PartName { get; init; }

    public int? Page { get; init; }

    public int? Paragraph { get; init; }

    public string? Sheet { get; init; }

    /// <summary>A spreadsheet cell (<c>C7</c>) or a table cell (<c>table 1 R2C3</c>).</summary>
    public string? Cell { get; init; }

    /// <summary>For table cells: the table (1-based), row and column, so detectors can read a row or the cell beside a label.</summary>
    public int? Table { get; init; }

    public int? Row { get; init; }

    public int? Column { get; init; }

    public int? Slide { get; init; }

    /// <summary>For fixed-layout pages: the top of the text as a fraction of the page height (0 = top edge).</summary>
    public double? TopFraction { get; init; }

    /// <summary>Human-readable form used in text output and reports: <c>report.zip › 附件.docx › header › paragraph 1</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Container);
        void Add(string s) => sb.Append(" › ").Append(s);
        if (Page is { } p) Add($"page {p}");
        if (Slide is { } s) Add($"slide {s}");
        if (Sheet is not null) Add(Cell is null ? Sheet : $"{Sheet}!{Cell}");
        if (Part != SegmentPart.Body) Add(PartLabel(Part) + (PartName is null ? "" : $" ({PartName})"));
        if (Table is { } t && Sheet is null) Add($"table {t} R{Row}C{Column}");   // a sheet cell already says Sheet2!C7
        else if (Sheet is null && Cell is not null) Add(Cell);
        if (Paragraph is { } para) Add($"paragraph {para}");
        return sb.ToString();
    }

    public static string PartLabel(SegmentPart part) => part switch
    {
        SegmentPart.Body => "body",
        SegmentPart.Header => "header",
        SegmentPart.Footer => "footer",
        SegmentPart.Footnote => "footnote",
        SegmentPart.Endnote => "endnote",
        SegmentPart.Comment => "comment",
        SegmentPart.TrackedInsertion => "tracked insertion",
        SegmentPart.TrackedDeletion => "tracked deletion",
        SegmentPart.HiddenText => "hidden text",
        SegmentPart.TextBox => "text box",
        SegmentPart.SpeakerNotes => "speaker notes",
        SegmentPart.Metadata => "metadata",
        SegmentPart.FileName => "file name",
        SegmentPart.Ocr => "ocr",
        _ => part.ToString(),
    };
}
