using System.Buffers;
using System.IO.Compression;

namespace SecScan.Extraction.OpenXml;

/// <summary>What a relationship is for, as far as the readers care; the type URI itself is not kept.</summary>
internal enum OpcRelationshipKind : byte
{
    Other,
    OfficeDocument,
    Header,
    Footer,
    Footnotes,
    Endnotes,
    Comments,
    CoreProperties,
    ExtendedProperties,
    CustomProperties,
    /// <summary>An OLE object (EmbeddedObjectPart).</summary>
    OleObject,
    /// <summary>An embedded package such as a workbook (EmbeddedPackagePart).</summary>
    Package,
    Chart,
    DiagramData,
    /// <summary>altChunk imported content (AlternativeFormatImportPart).</summary>
    AFChunk,
}

/// <summary>An internal relationship: its kind and the name of the part it targets ("/word/header1.xml").</summary>
internal readonly record struct OpcRelationship(OpcRelationshipKind Kind, string Target);

/// <summary>
/// An OPC package (DOCX) read straight from its ZIP with <see cref="ZipArchive"/>: [Content_Types].xml and the
/// relationship parts are read with <see cref="Utf8XmlScanner"/>, part names are resolved as OPC says (relative to
/// the source part, case-insensitive), and parts are inflated into a caller's buffer under a byte bound.
/// </summary>
/// <remarks>
/// System.IO.Packaging plus the OpenXml SDK cost ~80–180 µs per file to open (content types, every relationship
/// part, URI validation) before any text was read: a fifth of the per-file budget at 2,000 files/s. Only what the
/// reader uses is read here, and only when it is used. It is also more forgiving: an external hyperlink whose
/// target is not a valid URI is never parsed, because external targets are not followed. Throws
/// <see cref="InvalidDataException"/> for a damaged ZIP and <see cref="System.Xml.XmlException"/> for a damaged
/// relationship or content-types part; callers turn both into Corrupt notes.
/// </remarks>
internal sealed class OpcZipPackage : IDisposable
{
    private const string Transitional = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    private const string Strict = "http://purl.oclc.org/ooxml/officeDocument/relationships/";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships/";

    private readonly ZipArchive _zip;
    // Keyed by part name without the leading '/'; OPC part names compare case-insensitively (ASCII).
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly char[] _value = new char[2048];

    private OpcZipPackage(ZipArchive zip)
    {
        _zip = zip;
        foreach (var entry in zip.Entries)
        {
            string name = entry.FullName.Replace('\\', '/').TrimStart('/');
            if (!_entries.TryAdd(name, entry)) HasDuplicateNames = true;
        }
    }

    /// <summary>Two ZIP members have the same part name: readers may disagree on which one is the part.</summary>
    public bool HasDuplicateNames { get; }

    /// <summary>Reads the ZIP's central directory; the stream stays open and must stay readable while the package is used.</summary>
    /// <exception cref="InvalidDataException">Not a readable ZIP.</exception>
    public static OpcZipPackage Open(Stream stream) => new(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true));

    public void Dispose() => _zip.Dispose();

    /// <summary>The ZIP member holding a part ("/word/document.xml"), if the package has it.</summary>
    public ZipArchiveEntry? Entry(string partName) => _entries.GetValueOrDefault(partName.TrimStart('/'));

    /// <summary>
    /// The internal relationships of a part ("/word/document.xml"), or of the package itself ("/"), in the order
    /// the relationship part lists them; empty when the part has none. External targets are left out.
    /// </summary>
    /// <exception cref="System.Xml.XmlException">The relationship part is malformed.</exception>
    /// <exception cref="InvalidDataException">The relationship part cannot be inflated.</exception>
    public List<OpcRelationship> Relationships(string sourcePart, XmlScanState state, PartBuffer buffer)
    {
        var result = new List<OpcRelationship>();
        int slash = sourcePart.LastIndexOf('/');
        string folder = sourcePart[..(slash + 1)];
        var entry = Entry($"{folder}_rels/{sourcePart[(slash + 1)..]}.rels");
        if (entry is null) return result;
        var xml = XmlEncoding.ToUtf8(buffer.Read(entry, MaxSmallPartBytes, out _));
        var scanner = new Utf8XmlScanner(xml.Span, state);
        Span<char> mode = stackalloc char[16];
        while (scanner.Read())
        {
            if (scanner.Token != XmlToken.StartElement || scanner.Depth != 1 || scanner.Namespace != XmlNs.Relationships
                || !scanner.LocalName.SequenceEqual("Relationship"u8)) continue;
            if (scanner.TryGetAttribute(XmlNs.None, "TargetMode"u8, mode, out int modeLength)
                && mode[..modeLength].Equals("External", StringComparison.OrdinalIgnoreCase)) continue;
            if (!scanner.TryGetAttribute(XmlNs.None, "Type"u8, _value, out int typeLength)) continue;
            var kind = KindOf(_value.AsSpan(0, typeLength));
            if (!scanner.TryGetAttribute(XmlNs.None, "Target"u8, _value, out int targetLength)) continue;
            if (Resolve(folder, _value.AsSpan(0, targetLength)) is { } target) result.Add(new OpcRelationship(kind, target));
        }
        return result;
    }

    /// <summary>The content type [Content_Types].xml gives a part: its Override, else the Default for its extension.</summary>
    /// <exception cref="System.Xml.XmlException">[Content_Types].xml is malformed.</exception>
    /// <exception cref="InvalidDataException">[Content_Types].xml cannot be inflated.</exception>
    public string? ContentType(string partName, XmlScanState state, PartBuffer buffer)
    {
        var entry = Entry("[Content_Types].xml");
        if (entry is null) return null;
        var xml = XmlEncoding.ToUtf8(buffer.Read(entry, MaxSmallPartBytes, out _));
        var scanner = new Utf8XmlScanner(xml.Span, state);
        string extension = Path.GetExtension(partName).TrimStart('.');
        string? byDefault = null;
        while (scanner.Read())
        {
            if (scanner.Token != XmlToken.StartElement || scanner.Depth != 1 || scanner.Namespace != XmlNs.ContentTypes) continue;
            bool isOverride = scanner.LocalName.SequenceEqual("Override"u8);
            if (!isOverride && !scanner.LocalName.SequenceEqual("Default"u8)) continue;
            if (!scanner.TryGetAttribute(XmlNs.None, isOverride ? "PartName"u8 : "Extension"u8, _value, out int keyLength)) continue;
            var key = _value.AsSpan(0, keyLength);
            bool matches = isOverride ? key.Equals(partName, StringComparison.OrdinalIgnoreCase) : key.Equals(extension, StringComparison.OrdinalIgnoreCase);
            if (!matches || !scanner.TryGetAttribute(XmlNs.None, "ContentType"u8, _value, out int typeLength)) continue;
            string type = new(_value, 0, typeLength);
            if (isOverride) return type;
            byDefault ??= type;
        }
        return byDefault;
    }

    /// <summary>Relationship and content-types parts are small; one larger than this is not a real one.</summary>
    private const long MaxSmallPartBytes = 16L << 20;

    private static OpcRelationshipKind KindOf(ReadOnlySpan<char> type)
    {
        if (type.StartsWith(PackageRelationships, StringComparison.Ordinal))
            return type[PackageRelationships.Length..].SequenceEqual("metadata/core-properties") ? OpcRelationshipKind.CoreProperties : OpcRelationshipKind.Other;
        ReadOnlySpan<char> name;
        if (type.StartsWith(Transitional, StringComparison.Ordinal)) name = type[Transitional.Length..];
        else if (type.StartsWith(Strict, StringComparison.Ordinal)) name = type[Strict.Length..];
        else return OpcRelationshipKind.Other;
        return name switch
        {
            "officeDocument" => OpcRelationshipKind.OfficeDocument,
            "header" => OpcRelationshipKind.Header,
            "footer" => OpcRelationshipKind.Footer,
            "footnotes" => OpcRelationshipKind.Footnotes,
            "endnotes" => OpcRelationshipKind.Endnotes,
            "comments" => OpcRelationshipKind.Comments,
            "extended-properties" or "extendedProperties" => OpcRelationshipKind.ExtendedProperties,
            "custom-properties" or "customProperties" => OpcRelationshipKind.CustomProperties,
            "metadata/core-properties" => OpcRelationshipKind.CoreProperties,
            "oleObject" => OpcRelationshipKind.OleObject,
            "package" => OpcRelationshipKind.Package,
            "chart" => OpcRelationshipKind.Chart,
            "diagramData" => OpcRelationshipKind.DiagramData,
            "aFChunk" => OpcRelationshipKind.AFChunk,
            _ => OpcRelationshipKind.Other,
        };
    }

    /// <summary>
    /// A target URI resolved against the source part's folder ("/word/") into a part name ("/word/media/a.png"):
    /// "." and ".." segments removed, percent-escapes decoded, a fragment dropped. Null when it climbs above the root.
    /// </summary>
    private static string? Resolve(string folder, ReadOnlySpan<char> target)
    {
        int hash = target.IndexOf('#');
        if (hash >= 0) target = target[..hash];
        string path = target.ToString().Replace('\\', '/');
        if (path.Contains('%', StringComparison.Ordinal)) path = Uri.UnescapeDataString(path);
        if (!path.StartsWith('/')) path = folder + path;
        if (!path.Contains("./", StringComparison.Ordinal)) return path;
        var segments = new List<string>();
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count == 0) return null;
                segments.RemoveAt(segments.Count - 1);
            }
            else segments.Add(segment);
        }
        return "/" + string.Join('/', segments);
    }
}

/// <summary>
/// One reusable buffer that parts are inflated into, rented from <see cref="ArrayPool{T}"/> and returned on
/// dispose. A part is read whole: the scanner works on one span, and its memory is bounded by the byte limit
/// that applies to the part (<see cref="SecScan.Core.Documents.ScanLimits.MaxPartBytes"/>).
/// </summary>
internal sealed class PartBuffer : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>
    /// Inflates a member, at most <paramref name="max"/> bytes of it. The result is valid until the next call.
    /// </summary>
    /// <param name="entry">The ZIP member.</param>
    /// <param name="max">The most bytes kept.</param>
    /// <param name="truncated">Set when the member is larger than <paramref name="max"/>: the first max bytes are returned.</param>
    /// <exception cref="InvalidDataException">The member's compressed data is damaged.</exception>
    public ReadOnlyMemory<byte> Read(ZipArchiveEntry entry, long max, out bool truncated)
    {
        truncated = false;
        // The declared size is a hint only (a hostile ZIP may understate or overstate it): start from it, capped, and grow.
        long hint = Math.Min(Math.Min(entry.Length, max) + 1, 16L << 20);
        if (_buffer.Length < hint) Replace((int)hint, 0);
        using var stream = entry.Open();
        int length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length > max) break;
                Replace((int)Math.Min((long)_buffer.Length * 2, Math.Min(max + 1, Array.MaxLength)), length);
                if (length == _buffer.Length) break;
            }
            int n = stream.Read(_buffer, length, _buffer.Length - length);
            if (n == 0) break;
            length += n;
        }
        if (length > max)
        {
            truncated = true;
            length = (int)max;
        }
        else if (!ZipIntegrity.Matches(entry, _buffer.AsSpan(0, length))) (Damaged ??= []).Add(entry.FullName);
        return _buffer.AsMemory(0, length);
    }

    /// <summary>The members read whole that failed their CRC-32 check (<see cref="ZipIntegrity"/>), or null.</summary>
    public List<string>? Damaged { get; private set; }

    private void Replace(int size, int keep)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, keep).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
