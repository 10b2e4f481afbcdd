using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction;

/// <summary>
/// Reading the members of a ZIP package whose parts are XML (OFD, OpenDocument) within the limits: each member is
/// bounded by <see cref="ScanLimits.MaxPartBytes"/>, the expansion ratio and the file's expansion budget, counted
/// while it is inflated (declared sizes are not trusted); XML is parsed with DTDs prohibited. A missing, damaged or
/// oversized part is a coverage note and null, so the caller reads the other parts.
/// </summary>
internal sealed class ZipParts(ZipArchive zip, ExtractionContext context, List<CoverageNote> coverage)
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public ZipArchiveEntry? Find(string path) =>
        zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => e.FullName.Equals(path, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses one XML part; a missing (when <paramref name="required"/>) or damaged part is a note and null.</summary>
    public XDocument? Load(string path, bool required = true)
    {
        var bytes = Read(path, required);
        return bytes is null ? null : Parse(bytes, path, context, coverage);
    }

    /// <summary>Elements nested deeper than this make a part unreadable: XDocument takes time quadratic in the depth.</summary>
    public const int MaxDepth = 1000;

    /// <summary>
    /// Parses XML with DTDs prohibited; damage, or nesting deeper than <see cref="MaxDepth"/> (100,000 nested
    /// elements took XDocument 18 s), is a Corrupt note naming <paramref name="path"/> and null.
    /// </summary>
    public static XDocument? Parse(byte[] bytes, string path, ExtractionContext context, List<CoverageNote> coverage)
    {
        try
        {
            using (var scan = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings))
                while (scan.Read())
                    if (scan.Depth > MaxDepth)
                    {
                        coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                            $"part {path} nests elements deeper than {MaxDepth:N0} levels: not read", context.At() with { PartName = path }));
                        return null;
                    }
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            string why = ex.Message.Contains("DTD", StringComparison.Ordinal) ? "DTDs are prohibited" : "malformed XML";
            coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"part {path} could not be read: {why} (line {ex.LineNumber}, position {ex.LinePosition})", context.At() with { PartName = path }));
            return null;
        }
    }

    /// <summary>
    /// The bytes of a member, or null with a note: missing (when <paramref name="required"/>), over the part bound,
    /// over the expansion ratio or the file's budget.
    /// </summary>
    public byte[]? Read(string path, bool required = true)
    {
        var entry = Find(path);
        if (entry is null)
        {
            if (required) coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"part {path} is missing", context.At() with { PartName = path }));
            return null;
        }
        long bound = context.Limits.MaxPartBytes;
        if (entry.CompressedLength > 0) bound = Math.Min(bound, Math.Max(1L << 20, entry.CompressedLength * context.Limits.MaxExpansionRatio));
        try
        {
            using var input = entry.Open();
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                if (output.Length + n > bound)
                {
                    coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                        $"part {path} expands past {bound:N0} bytes and was not read", context.At() with { PartName = path }));
                    return null;
                }
                output.Write(buffer, 0, n);
            }
            if (!context.Budget.TryTakeBytes(output.Length))
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"part {path} was not read: the file's expansion budget is spent", context.At() with { PartName = path }));
                return null;
            }
            var bytes = output.ToArray();
            if (!ZipIntegrity.Matches(entry, bytes)) coverage.Add(ZipIntegrity.Note(path, context.At() with { PartName = path }));
            return bytes;
        }
        catch (InvalidDataException ex)
        {
            coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"part {path} could not be read: {SafeText.Of(ex)}", context.At() with { PartName = path }));
            return null;
        }
    }
}
