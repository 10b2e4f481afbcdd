using System.Buffers;
using System.Collections.Frozen;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.Archives;
using SecScan.Extraction.Mail;
using SecScan.Extraction.Html;
using SecScan.Extraction.Odf;
using SecScan.Extraction.Ofd;
using SecScan.Extraction.Ole;
using SecScan.Extraction.OpenXml;
using SecScan.Extraction.Pdf;
using SecScan.Extraction.Text;

namespace SecScan.Extraction;

/// <summary>
/// Sniffs, routes and guards: every document, and every child of a container, passes through here, so
/// limits, the time bound and the "a failing document is a result" rule are enforced in one place.
/// Thread-safe; one instance per process.
/// </summary>
public sealed class DocumentExtractor : IDocumentExtractor
{
    private readonly FrozenDictionary<string, IExtractor> _byType;

    public DocumentExtractor(IEnumerable<IExtractor> extractors)
    {
        var map = new Dictionary<string, IExtractor>(StringComparer.Ordinal);
        foreach (var e in extractors)
            foreach (var t in e.MediaTypes) map[t] = e;
        _byType = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The extractors that ship with SecScan.</summary>
    public static DocumentExtractor CreateDefault() =>
        new([new PlainTextExtractor(), new PdfExtractor(), new DocxExtractor(), new XlsxExtractor(), new PptxExtractor(), new RtfExtractor(),
            new HtmlExtractor(), new MhtExtractor(), new OfdExtractor(), new OdfExtractor(),
            new MailExtractor(), new ArchiveExtractor(), new CompressedFileExtractor(), new Ole2Extractor()]);

    public ExtractedDocument Extract(ScanSource source, ScanLimits limits, CancellationToken cancellationToken)
    {
        var context = new ExtractionContext(source.Name, source.Name, limits, 0, cancellationToken) { ExtractChild = ExtractChild };
        if (source.Length > limits.MaxInputBytes)
            return WithFileName(ExtractedDocument.Unreadable(MediaTypes.Unknown, new CoverageNote(CoverageKind.LimitExceeded,
                $"file is {source.Length:N0} bytes, over the {limits.MaxInputBytes:N0}-byte limit", context.At())), context);
        try
        {
            using var stream = source.Open();
            if (stream is FileStream file && file.Length <= WholeFileBytes) return ExtractWhole(file, source.Name, context);
            return ExtractChild(stream, source.Name, context);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return WithFileName(ExtractedDocument.Unreadable(MediaTypes.Unknown,
                new CoverageNote(CoverageKind.Error, $"could not open: {SafeText.Of(ex)}", context.At())), context);
        }
    }

    /// <summary>Files up to this size are read with one call into pooled memory before they are sniffed and parsed.</summary>
    private const long WholeFileBytes = 16L << 20;

    /// <summary>
    /// Reads a small file in one call into a pooled buffer and extracts it from there: the sniffer, ZipArchive and
    /// the parsers then seek and read memory instead of a buffered file (a DOCX's central directory, members and
    /// sniffing took ~20 system calls per file), and the PDF and DOCX readers use the buffer without copying it.
    /// </summary>
    private ExtractedDocument ExtractWhole(FileStream file, string name, ExtractionContext context)
    {
        int length = (int)file.Length;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(length);
        bool abandoned = true;
        try
        {
            // A file that changes while it is read is read as far as it goes; the parser says what is wrong with it.
            int read = 0, n;
            while (read < length && (n = RandomAccess.Read(file.SafeFileHandle, bytes.AsSpan(read, length - read), read)) > 0) read += n;
            var doc = ExtractChild(new MemoryStream(bytes, 0, read, writable: false, publiclyVisible: true), name, context);
            // An extraction that overran the time bound may still be reading the buffer on the pool: it is left to the GC.
            abandoned = doc.Coverage.Any(c => c.Kind == CoverageKind.TimedOut);
            return doc;
        }
        finally
        {
            if (!abandoned) ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Extracts one document (top level or child) with the time bound; never throws for bad input.</summary>
    private ExtractedDocument ExtractChild(Stream input, string name, ExtractionContext context)
    {
        if (context.Depth > context.Limits.MaxDepth)
            return ExtractedDocument.Unreadable(MediaTypes.Unknown, new CoverageNote(CoverageKind.LimitExceeded,
                $"nested deeper than {context.Limits.MaxDepth} containers", context.At()));

        Stream stream = input.CanSeek ? input : AsMemory(StreamBytes.ReadAll(input, context.Limits.MaxInputBytes));
        string mediaType;
        try
        {
            mediaType = Sniffer.Sniff(stream);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return WithFileName(ExtractedDocument.Unreadable(MediaTypes.Unknown, new CoverageNote(CoverageKind.Corrupt, $"unreadable: {SafeText.Of(ex)}", context.At())), context);
        }

        if (mediaType == MediaTypes.EncryptedOoxml)
            return WithFileName(ExtractedDocument.Unreadable(mediaType, new CoverageNote(CoverageKind.Encrypted,
                "password-protected Office document: contents not read", context.At())), context);
        if (!_byType.TryGetValue(mediaType, out var extractor))
            return WithFileName(ExtractedDocument.Unreadable(mediaType, new CoverageNote(CoverageKind.Unsupported,
                $"format {mediaType} is not read yet", context.At())), context);

        if (context.Depth > 0)
            return WithFileName(Run(extractor, stream, context, mediaType), context);   // inside the parent's time bound

        // The whole file, children included, has one time bound. The extractor runs on the pool so that a
        // parser stuck in hostile input cannot hold the caller past it; cooperative extractors also stop
        // through the token.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(context.Limits.TimePerDocument);
        var bounded = new ExtractionContext(context.Container, context.Name, context.Limits, context.Depth, timeout.Token, context.Budget) { ExtractChild = ExtractChild };
        var work = Task.Run(() => Run(extractor, stream, bounded, mediaType), CancellationToken.None);
        if (!work.Wait(context.Limits.TimePerDocument + TimeSpan.FromSeconds(1), context.CancellationToken))
            return WithFileName(TimedOut(mediaType, context), context);
        return WithFileName(work.Result, context);
    }

    /// <summary>Runs one extractor; its failures become coverage notes.</summary>
    private static ExtractedDocument Run(IExtractor extractor, Stream stream, ExtractionContext context, string mediaType)
    {
        try
        {
            return extractor.Extract(stream, context);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            return TimedOut(mediaType, context);
        }
        catch (Exception ex)
        {
            var kind = ex is InvalidDataException or FormatException or EndOfStreamException or System.Xml.XmlException
                ? CoverageKind.Corrupt : CoverageKind.Error;
            return ExtractedDocument.Unreadable(mediaType, new CoverageNote(kind,
                $"{Describe(mediaType)} could not be read: {SafeText.Of(ex)}", context.At()));
        }
    }

    private static ExtractedDocument TimedOut(string mediaType, ExtractionContext context) =>
        ExtractedDocument.Unreadable(mediaType, new CoverageNote(CoverageKind.TimedOut,
            $"extraction did not finish within {context.Limits.TimePerDocument.TotalSeconds:0} s", context.At()));

    /// <summary>A read-only memory stream whose buffer parsers may take without another copy.</summary>
    private static MemoryStream AsMemory(byte[] bytes) => new(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

    /// <summary>The file name is text too: "（机密）计划.docx" carries a marking.</summary>
    private static ExtractedDocument WithFileName(ExtractedDocument doc, ExtractionContext context)
    {
        if (string.IsNullOrEmpty(context.Name)) return doc;
        var segments = new List<TextSegment>(doc.Segments.Count + 1) { new(Path.GetFileName(context.Name), context.At(SegmentPart.FileName)) };
        segments.AddRange(doc.Segments);
        return new ExtractedDocument(doc.MediaType, segments, doc.Coverage, doc.Children);
    }

    private static string Describe(string mediaType) => mediaType switch
    {
        MediaTypes.Pdf => "PDF",
        MediaTypes.Docx => "DOCX",
        MediaTypes.Xlsx => "XLSX",
        MediaTypes.Pptx => "PPTX",
        MediaTypes.PlainText => "text",
        MediaTypes.Eml => "mail message",
        MediaTypes.Zip or MediaTypes.SevenZip or MediaTypes.Rar or MediaTypes.Tar or MediaTypes.GZip or MediaTypes.BZip2 or MediaTypes.Xz
            => ArchiveExtractor.Describe(mediaType),
        MediaTypes.Rtf => "RTF",
        MediaTypes.Html => "HTML",
        MediaTypes.Mht => "MHT",
        MediaTypes.Ofd => "OFD",
        MediaTypes.Odf => "OpenDocument file",
        _ => mediaType,
    };
}
