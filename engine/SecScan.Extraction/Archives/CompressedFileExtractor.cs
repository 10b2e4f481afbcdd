using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using static SecScan.Extraction.Magic;

namespace SecScan.Extraction.Archives;

/// <summary>
/// Reads the single-file compressors gzip (the BCL's GZipStream, concatenated members included), bzip2 and xz
/// (SharpCompress): the expanded payload is one child document, named by the gzip header's FNAME when there is
/// one, else after the file without its extension ("logs.tar.bz2" → "logs.tar"), so a compressed tar is read
/// as a tar one level down. gzip's trailing size is modulo 4 GiB and the others declare none: the bounds of
/// <see cref="MemberReader"/> are enforced on the bytes produced.
/// Throws only <see cref="OperationCanceledException"/>. Stateless and thread-safe.
/// </summary>
public sealed class CompressedFileExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.GZip, Extraction.MediaTypes.BZip2, Extraction.MediaTypes.Xz];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        var head = new byte[Math.Min(stream.Length, 1024)];
        stream.Position = 0;
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        stream.Position = 0;
        string mediaType = head.AsSpan().StartsWith(XzMagic) ? Extraction.MediaTypes.Xz
            : head.AsSpan().StartsWith(GZipMagic) ? Extraction.MediaTypes.GZip : Extraction.MediaTypes.BZip2;
        string name = (mediaType == Extraction.MediaTypes.GZip ? GZipFileName(head) : null) ?? ArchiveNames.PayloadName(context.Name);

        var members = new MemberReader(context, stream.Length);
        members.Read(name, declaredSize: -1, compressedSize: stream.Length, encrypted: false, open: () => mediaType switch
        {
            Extraction.MediaTypes.GZip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true),
            Extraction.MediaTypes.Xz => new XZStream(new NonClosingStream(stream)),
            _ => BZip2Stream.Create(stream, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
        });
        members.Finish();
        return new ExtractedDocument(mediaType, [], members.Coverage, members.Children);
    }

    /// <summary>
    /// The original file name from a gzip header (RFC 1952: FLG bit 3, after MTIME/XFL/OS and any FEXTRA),
    /// decoded like a ZIP name (gzip on Chinese Windows writes GBK); null when absent or malformed.
    /// </summary>
    internal static string? GZipFileName(ReadOnlySpan<byte> head)
    {
        const byte FExtra = 4, FName = 8;
        if (head.Length < 10 || (head[3] & FName) == 0) return null;
        int at = 10;
        if ((head[3] & FExtra) != 0)
        {
            if (head.Length < 12) return null;
            at = 12 + (head[10] | (head[11] << 8));
        }
        if (at >= head.Length) return null;
        int end = head[at..].IndexOf((byte)0);
        if (end <= 0) return null;
        var name = ArchiveNames.Decode(head.Slice(at, end).ToArray(), 0, end, SharpCompress.Common.EncodingType.Default);
        name = Path.GetFileName(name.Replace('\\', '/'));
        return string.IsNullOrWhiteSpace(name) || name.AsSpan().ContainsAnyInRange('\0', '\u001F') ? null : name;
    }
}
