using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SharpCompress.Archives;
using SharpCompress.Readers;
using static SecScan.Extraction.Magic;

namespace SecScan.Extraction.Archives;

/// <summary>
/// Reads ZIP (other than OOXML and OFD packages), 7z, RAR and TAR with SharpCompress: every member is a
/// child document, extracted through the dispatcher (so nesting is bounded by <see cref="ScanLimits.MaxDepth"/>)
/// under the bounds of <see cref="MemberReader"/>. An encrypted member is an Encrypted note and the others are
/// still read; an archive whose member list is encrypted is one Encrypted note. A ZIP without a readable
/// central directory (a cut download) is read forward from its local headers as far as it goes.
/// Throws only <see cref="OperationCanceledException"/>. Stateless and thread-safe.
/// </summary>
public sealed class ArchiveExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } =
        [Extraction.MediaTypes.Zip, Extraction.MediaTypes.SevenZip, Extraction.MediaTypes.Rar, Extraction.MediaTypes.Tar];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        string mediaType = Identify(stream);
        var members = new MemberReader(context, stream.Length);
        stream.Position = 0;
        IArchive archive;
        try
        {
            archive = ArchiveFactory.OpenArchive(stream, Options());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (MemberReader.IsEncryption(ex))
                return Unreadable(mediaType, CoverageKind.Encrypted, $"{Describe(mediaType)} is encrypted (its member list too): not read", context);
            if (mediaType == Extraction.MediaTypes.Zip)
                return ReadForward(stream, context, mediaType, members, ex);
            return Unreadable(mediaType, CoverageKind.Corrupt, $"{Describe(mediaType)} could not be opened: {SafeText.Of(ex)}", context);
        }

        // SharpCompress gives an empty or short member list, without an error, when the central directory the end
        // record points at is damaged: then the local headers are read instead.
        if (mediaType == Extraction.MediaTypes.Zip && DeclaredZipMembers(stream) is { } declared
            && archive.Entries.Count() is var found && found < declared)
        {
            archive.Dispose();
            return ReadForward(stream, context, mediaType, members,
                new InvalidDataException($"its end record lists {declared} members, {found} could be found"));
        }

        using (archive)
        {
            int index = 0;
            try
            {
                foreach (var entry in archive.Entries)
                {
                    index++;
                    if (entry.IsDirectory || !string.IsNullOrEmpty(entry.LinkTarget)) continue;
                    var name = NameOf(entry.Key, index);
                    // ZIP and 7z record a CRC-32 of each member's bytes (0 where a 7z member has none); SharpCompress does not check it.
                    uint? crc = mediaType is Extraction.MediaTypes.Zip or Extraction.MediaTypes.SevenZip && entry.Crc != 0 ? (uint)entry.Crc : null;
                    members.Read(name, entry.Size, entry.CompressedSize, entry.IsEncrypted, entry.OpenEntryStream, crc);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                members.Coverage.Add(new CoverageNote(MemberReader.IsEncryption(ex) ? CoverageKind.Encrypted : CoverageKind.Corrupt,
                    $"{Describe(mediaType)} member list could not be read to its end (after {index - 1} members): {SafeText.Of(ex)}", context.At()));
            }
        }
        members.Finish();
        return new ExtractedDocument(mediaType, [], members.Coverage, members.Children);
    }

    /// <summary>
    /// A ZIP whose central directory is missing or damaged: the local headers still name each member and
    /// precede its data, so the members before the damage are read. The damage itself is a Corrupt note.
    /// </summary>
    private static ExtractedDocument ReadForward(Stream stream, ExtractionContext context, string mediaType, MemberReader members, Exception openFailure)
    {
        members.Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
            $"ZIP central directory unreadable ({SafeText.Of(openFailure)}): members read from local headers as far as they go", context.At()));
        stream.Position = 0;
        int index = 0;
        try
        {
            using var reader = ReaderFactory.OpenReader(stream, Options());
            while (reader.MoveToNextEntry())
            {
                index++;
                var entry = reader.Entry;
                if (entry.IsDirectory) continue;
                var name = NameOf(entry.Key, index);
                // Streamed entries may carry sizes only in a trailing data descriptor: unknown is negative.
                long size = entry.Size > 0 ? entry.Size : -1;
                members.Read(name, size, entry.CompressedSize, entry.IsEncrypted, reader.OpenEntryStream);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            members.Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"ZIP read stopped after {Math.Max(index - 1, 0)} members: {SafeText.Of(ex)}", context.At()));
        }
        members.Finish();
        return new ExtractedDocument(mediaType, [], members.Coverage, members.Children);
    }

    /// <summary>
    /// The member count of a ZIP's end-of-central-directory record ([APPNOTE] 4.3.16: total entries at 10), searched
    /// backwards over the last 64 KiB + 22 bytes; null when there is none or it defers to ZIP64 (0xFFFF).
    /// </summary>
    internal static int? DeclaredZipMembers(Stream stream)
    {
        int tail = (int)Math.Min(stream.Length, 0xFFFF + 22);
        var buffer = new byte[tail];
        stream.Position = stream.Length - tail;
        stream.ReadExactly(buffer);
        stream.Position = 0;
        for (int at = tail - 22; at >= 0; at--)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at)) != 0x06054b50) continue;
            int total = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 10));
            return total == 0xFFFF ? null : total;
        }
        return null;
    }

    private static ReaderOptions Options() => new() { LeaveStreamOpen = true, ArchiveEncoding = ArchiveNames.NameEncoding };

    /// <summary>The member's path inside the archive, with forward slashes.</summary>
    private static string NameOf(string? key, int index) =>
        string.IsNullOrWhiteSpace(key) ? $"member {index}" : key.Replace('\\', '/');

    private static string Identify(Stream stream)
    {
        Span<byte> head = stackalloc byte[8];
        stream.Position = 0;
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        stream.Position = 0;
        if (head.StartsWith("PK"u8)) return Extraction.MediaTypes.Zip;
        if (head.StartsWith(SevenZipMagic)) return Extraction.MediaTypes.SevenZip;
        if (head.StartsWith(RarMagic)) return Extraction.MediaTypes.Rar;
        return Extraction.MediaTypes.Tar;
    }

    private static ExtractedDocument Unreadable(string mediaType, CoverageKind kind, string message, ExtractionContext context) =>
        ExtractedDocument.Unreadable(mediaType, new CoverageNote(kind, message, context.At()));

    internal static string Describe(string mediaType) => mediaType switch
    {
        Extraction.MediaTypes.Zip => "ZIP archive",
        Extraction.MediaTypes.SevenZip => "7z archive",
        Extraction.MediaTypes.Rar => "RAR archive",
        Extraction.MediaTypes.Tar => "TAR archive",
        Extraction.MediaTypes.GZip => "gzip file",
        Extraction.MediaTypes.BZip2 => "bzip2 file",
        Extraction.MediaTypes.Xz => "xz file",
        _ => mediaType,
    };
}
