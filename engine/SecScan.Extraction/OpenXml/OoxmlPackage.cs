using System.IO.Packaging;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// What DOCX, XLSX and PPTX share: opening the package, failure classification, and the reason text of notes.
/// </summary>
/// <remarks>
/// Fast path: System.IO.Packaging opened read-only and handed to the SDK. Given a read-only stream instead,
/// the SDK copies the whole file to a temporary file on every open so that it could rewrite malformed URIs:
/// about six times slower to open, and the document's bytes would leave memory. Only when the SDK refuses the
/// package (typically a hyperlink whose target is not a valid URI, which only a writable package lets it
/// rewrite) is the document read again from a private in-memory copy; the input stream is never written to.
/// </remarks>
internal static class OoxmlPackage
{
    /// <summary>
    /// Opens the package and runs <paramref name="read"/> on it; then reads the properties, extracts embedded
    /// objects as children and adds the inventory notes (images, charts) common to all three formats.
    /// </summary>
    /// <param name="stream">The seekable input.</param>
    /// <param name="context">The extraction context.</param>
    /// <param name="mediaType">The media type of the result.</param>
    /// <param name="label">The format as a reader names it in notes ("DOCX").</param>
    /// <param name="openPackage">Opens the SDK document over a read-only package.</param>
    /// <param name="openCopy">Opens the SDK document over a writable private copy (the tolerant retry).</param>
    /// <param name="createRun">Makes the format's run state.</param>
    /// <param name="read">Reads the format's own parts; package access inside must go through <see cref="OoxmlRun.Guard"/>.</param>
    public static ExtractedDocument Read<TDocument, TRun>(Stream stream, ExtractionContext context, string mediaType, string label,
        Func<Package, TDocument> openPackage, Func<Stream, TDocument> openCopy,
        Func<ExtractionContext, bool, TRun> createRun, Action<TDocument, TRun> read)
        where TDocument : OpenXmlPackage
        where TRun : OoxmlRun
    {
        // System.IO.Packaging inflates the parts without checking their CRC-32: check it first, note it after.
        var damaged = ZipIntegrity.DamagedMembers(stream, context.Limits, context.CancellationToken);
        var doc = ReadUnchecked(stream, context, mediaType, label, openPackage, openCopy, createRun, read);
        if (damaged.Count == 0) return doc;
        var coverage = doc.Coverage.Concat(damaged.Select(part => ZipIntegrity.Note(part, context.At() with { PartName = part }))).ToList();
        return new ExtractedDocument(doc.MediaType, doc.Segments, coverage, doc.Children);
    }

    private static ExtractedDocument ReadUnchecked<TDocument, TRun>(Stream stream, ExtractionContext context, string mediaType, string label,
        Func<Package, TDocument> openPackage, Func<Stream, TDocument> openCopy,
        Func<ExtractionContext, bool, TRun> createRun, Action<TDocument, TRun> read)
        where TDocument : OpenXmlPackage
        where TRun : OoxmlRun
    {
        try
        {
            Package package;
            try
            {
                package = Package.Open(stream, FileMode.Open, FileAccess.Read);
            }
            catch (Exception ex) when (IsDamagedInput(ex))
            {
                return CannotOpen(ex, context, mediaType, label);
            }
            using (package)
                return ReadDocument(() => openPackage(package), context, mediaType, label, tolerantPackage: false, createRun, read);
        }
        catch (OpenXmlPackageException)
        {
            // Retried below on a copy the SDK may repair.
        }
        var copy = new MemoryStream(checked((int)stream.Length));
        stream.Position = 0;
        stream.CopyTo(copy);
        copy.Position = 0;
        return ReadDocument(() => openCopy(copy), context, mediaType, label, tolerantPackage: true, createRun, read);
    }

    // tolerantPackage is false on the fast path: an OpenXmlPackageException then propagates so that the caller
    // can retry tolerantly; true on the retry, where it is a Corrupt note like any other damage.
    private static ExtractedDocument ReadDocument<TDocument, TRun>(Func<TDocument> open, ExtractionContext context, string mediaType, string label,
        bool tolerantPackage, Func<ExtractionContext, bool, TRun> createRun, Action<TDocument, TRun> read)
        where TDocument : OpenXmlPackage
        where TRun : OoxmlRun
    {
        TDocument document;
        try
        {
            document = open();
        }
        catch (Exception ex) when (IsDamagedInput(ex) && (tolerantPackage || ex is not OpenXmlPackageException))
        {
            return CannotOpen(ex, context, mediaType, label);
        }

        using (document)
        {
            var run = createRun(context, tolerantPackage);
            // The SDK loads relationships lazily, so a damaged package can fail at any step: each step is guarded
            // on its own, what was read stays, and each failure is a Corrupt note.
            read(document, run);
            run.Guard("core properties", () => { if (document.GetPartsOfType<CoreFilePropertiesPart>().FirstOrDefault() is { } part) run.ReadProperties(part, OoxmlRun.PropertyKind.Core); });
            run.Guard("custom properties", () => { if (document.GetPartsOfType<CustomFilePropertiesPart>().FirstOrDefault() is { } part) run.ReadProperties(part, OoxmlRun.PropertyKind.Custom); });
            run.Guard("extended properties", () => { if (document.GetPartsOfType<ExtendedFilePropertiesPart>().FirstOrDefault() is { } part) run.ReadProperties(part, OoxmlRun.PropertyKind.Extended); });
            run.Guard("the part inventory", () => run.ReadEmbeddedObjectsAndInventory(document));
            return new ExtractedDocument(mediaType, run.Segments, run.Coverage, run.Children);
        }
    }

    /// <summary>The one note of a package that cannot be opened at all.</summary>
    public static ExtractedDocument CannotOpen(Exception ex, ExtractionContext context, string mediaType, string label) =>
        ExtractedDocument.Unreadable(mediaType, new CoverageNote(CoverageKind.Corrupt,
            $"{label} package could not be opened: {Describe(ex)}", context.At()));

    /// <summary>
    /// Failures that mean "this package or part is damaged". System.IO.Packaging reports a relationship to a
    /// missing part as <see cref="InvalidOperationException"/> and a bad content type or part name as
    /// <see cref="ArgumentException"/>; both are caught only around package access and part parsing.
    /// </summary>
    public static bool IsDamagedInput(Exception ex) =>
        ex is OpenXmlPackageException or InvalidDataException or FormatException or XmlException or IOException
            or (InvalidOperationException and not ObjectDisposedException) or (ArgumentException and not ArgumentNullException);

    /// <summary>
    /// The reason for a note. XmlException messages quote the offending token, which may be document text:
    /// notes travel with the verdict, so only the position is kept.
    /// </summary>
    public static string Describe(Exception ex) => ex switch
    {
        XmlException x when x.Message.Contains("DTD", StringComparison.Ordinal) =>
            $"XmlException: DTDs are prohibited (line {x.LineNumber}, position {x.LinePosition})",
        XmlException x => $"XmlException: malformed XML at line {x.LineNumber}, position {x.LinePosition}",
        _ => SafeText.Of(ex),
    };
}

/// <summary>Thrown inside one extraction to stop reading at a <see cref="ScanLimits"/> bound.</summary>
internal sealed class LimitReachedException(string message, bool stopAll) : Exception(message)
{
    /// <summary>True when nothing further may be read (character budget); false when only this part stops.</summary>
    public bool StopAll { get; } = stopAll;
}

/// <summary>Reads at most a fixed number of bytes, then throws: one part may not expand without bound.</summary>
internal sealed class BoundedReadStream(Stream inner, long max) : Stream
{
    private long _read;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        if (_read > max) throw new LimitReachedException($"part larger than {max:N0} bytes: the rest was not read", stopAll: false);
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
