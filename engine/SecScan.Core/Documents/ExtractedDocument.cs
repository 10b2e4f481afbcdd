namespace SecScan.Core.Documents;

/// <summary>
/// The result of extraction: the sniffed media type, the text segments in reading order, child
/// documents (attachments, archive members, embedded objects) and coverage notes for everything
/// that was not read.
/// </summary>
public sealed class ExtractedDocument
{
    public ExtractedDocument(string mediaType, IReadOnlyList<TextSegment> segments,
        IReadOnlyList<CoverageNote>? coverage = null, IReadOnlyList<ExtractedDocument>? children = null)
    {
        MediaType = mediaType;
        Segments = segments;
        Coverage = coverage ?? [];
        Children = children ?? [];
    }

    public string MediaType { get; }

    public IReadOnlyList<TextSegment> Segments { get; }

    public IReadOnlyList<CoverageNote> Coverage { get; }

    public IReadOnlyList<ExtractedDocument> Children { get; }

    /// <summary>A document that could not be read at all: no text, one note.</summary>
    public static ExtractedDocument Unreadable(string mediaType, CoverageNote note) => new(mediaType, [], [note]);

    /// <summary>This document's segments followed by every descendant's, depth first.</summary>
    public IEnumerable<TextSegment> AllSegments()
    {
        foreach (var s in Segments) yield return s;
        foreach (var c in Children)
            foreach (var s in c.AllSegments()) yield return s;
    }

    /// <summary>This document's coverage notes followed by every descendant's.</summary>
    public IEnumerable<CoverageNote> AllCoverage()
    {
        foreach (var n in Coverage) yield return n;
        foreach (var c in Children)
            foreach (var n in c.AllCoverage()) yield return n;
    }
}
