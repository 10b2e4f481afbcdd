using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Reads OLE2 compound files ([MS-CFB]) and routes them by the streams they hold: <c>WordDocument</c> → DOC,
/// <c>Workbook</c>/<c>Book</c> → XLS, <c>PowerPoint Document</c> → PPT, <c>__substg1.0_*</c> → Outlook MSG,
/// <c>\u0001Ole10Native</c> → an OLE package (a file embedded as an icon), whose file is a child document.
/// Objects embedded in a DOC (<c>ObjectPool</c>) or an XLS (<c>MBD…</c> storages) are child documents too, and an
/// Office 2007+ object (its DOCX/XLSX/PPTX in a <c>Package</c> stream) has that package as its child.
/// Kingsoft WPS/ET/DPS files in their legacy form are the same structures and route the same way.
/// </summary>
/// <remarks>
/// The sniffer only says "OLE2": the directory that decides the kind is often at the end of the file, past any
/// cheap probe, so routing happens here after NPOI's POIFS has parsed the container, and the returned document
/// carries the refined media type (<see cref="MediaTypes.Doc"/> …). The container is parsed into memory (the
/// dispatcher has already bounded the input size); POIFS detects cyclic and out-of-range sector chains and
/// throws, which becomes one Corrupt note. Stateless and thread-safe.
/// </remarks>
public sealed class Ole2Extractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Ole2];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        POIFSFileSystem fs;
        try
        {
            // POIFS closes the stream it reads; the dispatcher owns this one.
            fs = new POIFSFileSystem(new NonClosingStream(stream));
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            return ExtractedDocument.Unreadable(Extraction.MediaTypes.Ole2, new CoverageNote(CoverageKind.Corrupt,
                $"OLE2 compound file could not be opened: {SafeText.Of(ex)}", context.At()));
        }

        var root = fs.Root;
        var sink = new OleTextSink(context);
        var kind = Classify(root);
        switch (kind)
        {
            case OleKind.Doc:
                DocReader.Read(root, sink);
                OleEmbeddedObjects.ReadWordObjectPool(root, sink);
                break;
            case OleKind.Xls:
                XlsReader.Read(root, sink);
                OleEmbeddedObjects.ReadExcelObjects(root, sink);
                break;
            case OleKind.Ppt:
                PptReader.Read(root, sink);
                break;
            case OleKind.Msg:
                MsgReader.Read(root, sink);
                return sink.ToDocument(Extraction.MediaTypes.Msg);
            case OleKind.Package:
                sink.Guard("the packaged file", () => OlePackageReader.Read(root, sink));
                return sink.ToDocument(Extraction.MediaTypes.Ole2);
            case OleKind.OoxmlObject:
                // Office 2007+ objects (Excel.Sheet.12, Word.Document.12 …) keep the DOCX/XLSX/PPTX in a "Package" stream.
                sink.Guard("the embedded Office document", () =>
                {
                    var package = (DocumentEntry)Find(root, OoxmlPackageStream)!;
                    if (OleEmbeddedObjects.Take(sink, package.Size) && ReadStream(package, sink, "the embedded Office document") is { } bytes)
                        OleEmbeddedObjects.Child(bytes, OoxmlPackageStream, sink);
                });
                return sink.ToDocument(Extraction.MediaTypes.Ole2);
            case OleKind.EncryptedOoxml:
                sink.Note(CoverageKind.Encrypted, "password-protected Office document: contents not read");
                return sink.ToDocument(Extraction.MediaTypes.EncryptedOoxml);
            default:
                sink.Note(CoverageKind.Unsupported, $"OLE2 compound file of an unrecognised kind ({root.EntryCount} entries): contents not read");
                return sink.ToDocument(Extraction.MediaTypes.Ole2);
        }
        OleProperties.Read(root, sink);
        return sink.ToDocument(kind switch
        {
            OleKind.Doc => Extraction.MediaTypes.Doc,
            OleKind.Xls => Extraction.MediaTypes.Xls,
            _ => Extraction.MediaTypes.Ppt,
        });
    }

    internal enum OleKind { Unknown, Doc, Xls, Ppt, Msg, EncryptedOoxml, Package, OoxmlObject }

    /// <summary>The stream in which an embedded Office 2007+ object keeps its OOXML package.</summary>
    internal const string OoxmlPackageStream = "Package";

    /// <summary>
    /// The kind of an OLE2 file from its root entries. Entry names compare case-insensitively ([MS-CFB] 2.6.4);
    /// the order of checks matters only for files that hold several (a DOC with an embedded workbook keeps the
    /// workbook in a sub-storage, not at the root).
    /// </summary>
    internal static OleKind Classify(DirectoryEntry root)
    {
        bool word = false, workbook = false, ppt = false, msg = false, encrypted = false, package = false, ooxml = false;
        foreach (var name in root.EntryNames)
        {
            if (Is(name, "WordDocument")) word = true;
            else if (Is(name, "Workbook") || Is(name, "Book")) workbook = true;
            else if (Is(name, "PowerPoint Document")) ppt = true;
            else if (Is(name, "EncryptedPackage")) encrypted = true;
            else if (Is(name, OlePackageReader.NativeStream)) package = true;
            else if (Is(name, OoxmlPackageStream) && root.GetEntry(name) is DocumentEntry) ooxml = true;
            else if (name.StartsWith("__substg1.0_", StringComparison.OrdinalIgnoreCase)
                || Is(name, "__properties_version1.0")) msg = true;
        }
        if (encrypted) return OleKind.EncryptedOoxml;
        if (word) return OleKind.Doc;
        if (workbook) return OleKind.Xls;
        if (ppt) return OleKind.Ppt;
        if (msg) return OleKind.Msg;
        if (package) return OleKind.Package;
        return ooxml ? OleKind.OoxmlObject : OleKind.Unknown;

        static bool Is(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    internal static Entry? Find(DirectoryEntry dir, string name)
    {
        foreach (var n in dir.EntryNames)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase)) return dir.GetEntry(n);
        return null;
    }

    /// <summary>
    /// A stream's bytes, or null (with a LimitExceeded note) when it is larger than <see cref="ScanLimits.MaxPartBytes"/>
    /// or 2 GiB. POIFS has already checked that its sectors exist; a short read is Corrupt.
    /// </summary>
    internal static byte[]? ReadStream(DocumentEntry entry, OleTextSink sink, string what)
    {
        long size = entry.Size;
        if (size > sink.Context.Limits.MaxPartBytes || size > Array.MaxLength)
        {
            sink.Note(CoverageKind.LimitExceeded, $"{what} is {size:N0} bytes, over the {sink.Context.Limits.MaxPartBytes:N0}-byte part limit: not read");
            return null;
        }
        var bytes = new byte[size];
        using var input = new DocumentInputStream(entry);
        int read = 0;
        while (read < bytes.Length)
        {
            int n = input.Read(bytes, read, bytes.Length - read);
            if (n <= 0) break;
            read += n;
        }
        if (read < bytes.Length) throw new InvalidDataException($"{what} is shorter than its directory entry says");
        return bytes;
    }
}
