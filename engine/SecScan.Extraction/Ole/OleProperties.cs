using System.Collections;
using NPOI.HPSF;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Document properties of DOC/XLS/PPT files ([MS-OLEPS]: the <c>\u0005SummaryInformation</c> and
/// <c>\u0005DocumentSummaryInformation</c> streams) through NPOI's HPSF, as Metadata segments named after the
/// property. A marking in the title or a custom "密级" property is as real as one on the first page.
/// </summary>
internal static class OleProperties
{
    private const string Summary = "\u0005SummaryInformation";
    private const string DocumentSummary = "\u0005DocumentSummaryInformation";

    public static void Read(DirectoryEntry root, OleTextSink sink)
    {
        if (Ole2Extractor.Find(root, Summary) is not null)
            sink.Guard("summary information", () =>
            {
                var si = new SummaryInformation(PropertySetFactory.Create(root, Summary));
                Emit(sink, "title", si.Title);
                Emit(sink, "subject", si.Subject);
                Emit(sink, "author", si.Author);
                Emit(sink, "keywords", si.Keywords);
                Emit(sink, "comments", si.Comments);
                Emit(sink, "last author", si.LastAuthor);
            });
        if (Ole2Extractor.Find(root, DocumentSummary) is not null)
            sink.Guard("document summary information", () =>
            {
                var dsi = new DocumentSummaryInformation(PropertySetFactory.Create(root, DocumentSummary));
                Emit(sink, "category", dsi.Category);
                Emit(sink, "manager", dsi.Manager);
                Emit(sink, "company", dsi.Company);
                if (dsi.CustomProperties is { } custom)
                    foreach (DictionaryEntry e in custom)
                        // Binary values (_PID_GUID, _PID_HLINKS …) are bookkeeping, not text.
                        if (e.Value is CustomProperty { Value: string or int or long or double or bool or DateTime } p)
                            Emit(sink, p.Name ?? "custom", $"{p.Name}: {Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)}");
            });
    }

    private static void Emit(OleTextSink sink, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            sink.Emit(value, sink.Context.At(SegmentPart.Metadata) with { PartName = name });
    }
}
