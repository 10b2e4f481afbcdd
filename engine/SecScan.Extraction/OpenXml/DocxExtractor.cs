using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>DOCX text by streaming each part (being written).</summary>
public sealed class DocxExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Docx];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context) =>
        ExtractedDocument.Unreadable(Extraction.MediaTypes.Docx, new CoverageNote(CoverageKind.Unsupported, "DOCX reader pending", context.At()));
}
