using System.Buffers.Binary;
using System.Text;
using MimeKit.Tnef;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;
using SecScan.Extraction.Text;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Outlook messages (.msg, [MS-OXMSG]), read by hand over NPOI's POIFS: no maintained MSG library is served.
/// Subject, sender and recipients are Metadata; the plain-text body is Body paragraphs; attachments become
/// child documents through the dispatcher (an attached DOCX is read as a DOCX), and attached messages are read
/// as child messages.
/// </summary>
/// <remarks>
/// [MS-OXMSG] 2.1: each variable-length property is a stream named <c>__substg1.0_</c> + property id (4 hex) +
/// property type (4 hex): 001F UTF-16LE string, 001E 8-bit string in the message code page, 0102 binary, 000D
/// an embedded object storage. Fixed-length properties sit in the <c>__properties_version1.0</c> stream after a
/// header of 32 bytes (top-level message), 24 (embedded message) or 8 (attachment, recipient), as 16-byte
/// entries: tag, flags, value.
/// </remarks>
internal static class MsgReader
{
    // [MS-OXPROPS] property ids.
    private const ushort PidSubject = 0x0037, PidSentRepresentingName = 0x0042, PidSenderName = 0x0C1A,
        PidDisplayCc = 0x0E03, PidDisplayTo = 0x0E04, PidBody = 0x1000, PidRtfCompressed = 0x1009, PidBodyHtml = 0x1013,
        PidAttachDataBinary = 0x3701, PidAttachFilename = 0x3704, PidAttachLongFilename = 0x3707, PidDisplayName = 0x3001,
        PidInternetCodepage = 0x3FDE, PidMessageCodepage = 0x3FFD;

    private const string AttachmentPrefix = "__attach_version1.0_#";
    private const string PropertiesStream = "__properties_version1.0";

    static MsgReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <param name="root">The message storage: the file's root, or an attachment's embedded message.</param>
    /// <param name="sink">Where segments, notes and children go.</param>
    /// <param name="embedded">True for an attached message (its property stream header is 24 bytes, not 32).</param>
    public static void Read(DirectoryEntry root, OleTextSink sink, bool embedded = false)
    {
        var encoding = CodePage(root, embedded ? 24 : 32);
        sink.Guard("the message headers", () =>
        {
            Meta(sink, "subject", String(root, PidSubject, encoding, sink));
            Meta(sink, "from", String(root, PidSenderName, encoding, sink) ?? String(root, PidSentRepresentingName, encoding, sink));
            Meta(sink, "to", String(root, PidDisplayTo, encoding, sink));
            Meta(sink, "cc", String(root, PidDisplayCc, encoding, sink));
        });
        sink.Guard("the message body", () => Body(root, encoding, sink));

        int index = 0;
        foreach (var name in root.EntryNames.Where(n => n.StartsWith(AttachmentPrefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            index++;
            if (sink.Full) break;
            int number = index;
            if (root.GetEntry(name) is DirectoryEntry attachment)
                sink.Guard($"attachment {number}", () => Attachment(attachment, number, encoding, sink));
        }
    }

    private static void Body(DirectoryEntry root, Encoding? encoding, OleTextSink sink)
    {
        if (String(root, PidBody, encoding, sink) is { } body)
        {
            int paragraph = 0;
            foreach (var line in body.Split('\n'))
            {
                paragraph++;
                sink.Emit(line.TrimEnd('\r'), sink.Context.At() with { Paragraph = paragraph });
            }
            return;
        }
        // No plain text: an HTML body goes through the dispatcher like any attached document.
        if (Stream(root, PidBodyHtml, "0102") is { } htmlEntry && Ole2Extractor.ReadStream(htmlEntry, sink, "the HTML body") is { } html)
        {
            OleEmbeddedObjects.Child(html, "message body.html", sink);
            return;
        }
        // Only RTF ([MS-OXRTFCP] compressed, as Outlook stores rich-text mail): MimeKit decompresses it, and the
        // RTF goes through the dispatcher like the HTML body.
        if (Stream(root, PidRtfCompressed, "0102") is { } rtfEntry && Ole2Extractor.ReadStream(rtfEntry, sink, "the RTF body") is { } compressed)
        {
            if (DecompressRtf(compressed, sink) is { } rtf) OleEmbeddedObjects.Child(rtf, "message body.rtf", sink);
        }
    }

    /// <summary>
    /// The RTF of a PidTagRtfCompressed stream, or null with a note. The header's raw size is taken from the
    /// file's budget first and bounded by the part limit, so a lying header cannot make the filter grow without bound.
    /// </summary>
    private static byte[]? DecompressRtf(byte[] compressed, OleTextSink sink)
    {
        if (compressed.Length < 16)
        {
            sink.Note(CoverageKind.Corrupt, "the compressed RTF body is shorter than its header: not read");
            return null;
        }
        uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(4));
        if (rawSize > sink.Context.Limits.MaxPartBytes || !sink.Context.Budget.TryTakeBytes(rawSize))
        {
            sink.Note(CoverageKind.LimitExceeded, $"the compressed RTF body declares {rawSize:N0} bytes, over the limits: not read");
            return null;
        }
        var filter = new RtfCompressedToRtf();
        var output = filter.Flush(compressed, 0, compressed.Length, out int index, out int length);
        if (filter.CompressionMode == RtfCompressionMode.Unknown || length == 0)
        {
            sink.Note(CoverageKind.Corrupt, "the compressed RTF body is not in a known compression format: not read");
            return null;
        }
        return output.AsSpan(index, Math.Min(length, (int)rawSize)).ToArray();
    }

    private static void Attachment(DirectoryEntry attachment, int number, Encoding? encoding, OleTextSink sink)
    {
        string name = String(attachment, PidAttachLongFilename, encoding, sink)
            ?? String(attachment, PidAttachFilename, encoding, sink)
            ?? String(attachment, PidDisplayName, encoding, sink)
            ?? $"attachment {number}";
        if (Stream(attachment, PidAttachDataBinary, "0102") is { } data)
        {
            if (!OleEmbeddedObjects.Take(sink, data.Size)) return;
            if (Ole2Extractor.ReadStream(data, sink, $"attachment {number}") is { } bytes) OleEmbeddedObjects.Child(bytes, name, sink);
            return;
        }
        if (Ole2Extractor.Find(attachment, $"__substg1.0_{PidAttachDataBinary:X4}000D") is DirectoryEntry storage)
        {
            if (Ole2Extractor.Classify(storage) != Ole2Extractor.OleKind.Msg)
            {
                OleEmbeddedObjects.Read(storage, name, $"attachment {number}", sink);
                return;
            }
            if (!OleEmbeddedObjects.Take(sink, 0)) return;
            var context = sink.Context.ForChild(name);
            if (context.Depth > context.Limits.MaxDepth)
            {
                sink.Note(CoverageKind.LimitExceeded, $"attachment {number} is nested deeper than {context.Limits.MaxDepth} containers: not read");
                return;
            }
            var child = new OleTextSink(context);
            child.Emit(name, context.At(SegmentPart.FileName));
            Read(storage, child, embedded: true);
            sink.Children.Add(child.ToDocument(MediaTypes.Msg));
            return;
        }
        sink.Note(CoverageKind.Unsupported, $"attachment {number} has no data stored in the message (a link or a reference): not read");
    }

    private static void Meta(OleTextSink sink, string name, string? value)
    {
        if (value is not null) sink.Emit(value, sink.Context.At(SegmentPart.Metadata) with { PartName = name });
    }

    private static DocumentEntry? Stream(DirectoryEntry dir, ushort id, string type) =>
        Ole2Extractor.Find(dir, $"__substg1.0_{id:X4}{type}") as DocumentEntry;

    /// <summary>A string property: the UTF-16 form if present, else the 8-bit form in the message's code page.</summary>
    private static string? String(DirectoryEntry dir, ushort id, Encoding? encoding, OleTextSink sink)
    {
        if (Stream(dir, id, "001F") is { } unicode && Ole2Extractor.ReadStream(unicode, sink, "a string property") is { } u)
            return Encoding.Unicode.GetString(u, 0, u.Length & ~1).TrimEnd('\0');
        if (Stream(dir, id, "001E") is { } ansi && Ole2Extractor.ReadStream(ansi, sink, "a string property") is { } a)
        {
            int end = Array.IndexOf(a, (byte)0);
            var span = a.AsSpan(0, end < 0 ? a.Length : end);
            return encoding is not null ? encoding.GetString(span) : TextDecoder.Decode(span).Text;
        }
        return null;
    }

    /// <summary>
    /// The code page of 8-bit strings: PidTagMessageCodepage, else PidTagInternetCodepage, from the fixed-length
    /// property entries; null (guess per string with <see cref="TextDecoder"/>) when neither is present or known.
    /// </summary>
    private static Encoding? CodePage(DirectoryEntry root, int headerSize)
    {
        if (Ole2Extractor.Find(root, PropertiesStream) is not DocumentEntry entry || entry.Size > 1 << 20) return null;
        var bytes = new byte[entry.Size];
        using (var input = new DocumentInputStream(entry)) input.ReadFully(bytes);
        int? message = null, internet = null;
        for (int at = headerSize; at + 16 <= bytes.Length; at += 16)
        {
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            int value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 8));
            if (tag == ((uint)PidMessageCodepage << 16 | 0x0003)) message = value;
            else if (tag == ((uint)PidInternetCodepage << 16 | 0x0003)) internet = value;
        }
        foreach (var cp in new[] { message, internet })
        {
            if (cp is not { } page || page <= 0) continue;
            try
            {
                return Encoding.GetEncoding(page);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                // An unknown code page: try the next, or guess.
            }
        }
        return null;
    }
}
