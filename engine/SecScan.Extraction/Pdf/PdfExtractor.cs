using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Pdf;

/// <summary>PDF text per page with PdfPig (being written).</summary>
public sealed class PdfExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Pdf];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context) =>
        ExtractedDocument.Unreadable(Extraction.MediaTypes.Pdf, new CoverageNote(CoverageKind.Unsupported, "PDF reader pending", context.At()));
}
