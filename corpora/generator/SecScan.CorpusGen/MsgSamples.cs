using System.Text;
using NPOI.POIFS.FileSystem;

namespace SecScan.CorpusGen;

/// <summary>
/// Outlook .msg files written with NPOI POIFS after the minimal structure of [MS-OXMSG] 2.1–2.2: no MSG writer
/// is packaged in Debian. The test suite links this file to build variants (8-bit strings, attachments,
/// embedded messages) in memory.
/// </summary>
public static class MsgSamples
{
    /// <summary>
    /// One attachment: a file (<paramref name="Data"/>), an attached message (<paramref name="Message"/>), or an OLE
    /// object (<paramref name="OleObject"/>: a compound file whose root becomes the attachment's object storage).
    /// </summary>
    public sealed record Attachment(string FileName, byte[]? Data = null, Message? Message = null, byte[]? OleObject = null);

    /// <summary>
    /// A message. <paramref name="Ansi"/>: write 8-bit (001E) strings in <paramref name="CodePage"/> instead of UTF-16
    /// (001F). <paramref name="Body"/> null: no plain-text body; <paramref name="CompressedRtf"/>: a PidTagRtfCompressed
    /// stream (see <see cref="CompressRtf"/>).
    /// </summary>
    public sealed record Message(string Subject, string? Body, string From = "张明", string To = "李华",
        IReadOnlyList<Attachment>? Attachments = null, bool Ansi = false, int CodePage = 936, byte[]? CompressedRtf = null);

    public static IEnumerable<(string File, Action<string> Write)> All()
    {
        yield return ("msg-subject-marking.msg", path => File.WriteAllBytes(path, Build(new Message(
            "机密★10年",
            "李华：\r\n附件是第三季度设备维护经费测算，请于周五前反馈意见。\r\n张明",
            Attachments: [new Attachment("经费测算说明.txt", Encoding.UTF8.GetBytes("经费测算说明\n一、配电柜更换一百二十万元。\n二、传感器校准八万元。\n"))]))));
    }

    public static byte[] Build(Message message)
    {
        var fs = new POIFSFileSystem();
        Write(fs.Root, message, topLevel: true);
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }

    private static void Write(DirectoryEntry dir, Message m, bool topLevel)
    {
        String(dir, 0x001A, "IPM.Note", m);          // PidTagMessageClass
        String(dir, 0x0037, m.Subject, m);           // PidTagSubject
        String(dir, 0x0C1A, m.From, m);              // PidTagSenderName
        String(dir, 0x0E04, m.To, m);                // PidTagDisplayTo
        if (m.Body is not null) String(dir, 0x1000, m.Body, m);   // PidTagBody
        if (m.CompressedRtf is not null) dir.CreateDocument("__substg1.0_10090102", new MemoryStream(m.CompressedRtf));   // PidTagRtfCompressed

        // [MS-OXMSG] 2.4.1: the property stream header is 32 bytes for the top-level message (reserved 8,
        // next recipient id, next attachment id, recipient count, attachment count, reserved 8) and 24 for an
        // embedded one; then 16-byte entries. One fixed-length property: PidTagMessageCodepage (0x3FFD, PT_LONG).
        var attachments = m.Attachments ?? [];
        var props = new MemoryStream();
        var w = new BinaryWriter(props);
        w.Write(0L);
        w.Write(0);                                  // next recipient id
        w.Write(attachments.Count);                  // next attachment id
        w.Write(0);                                  // recipient count
        w.Write(attachments.Count);                  // attachment count
        if (topLevel) w.Write(0L);
        w.Write(0x3FFD0003u);
        w.Write(0x6u);                               // readable | writable
        w.Write((long)m.CodePage);
        w.Flush();
        dir.CreateDocument("__properties_version1.0", new MemoryStream(props.ToArray()));

        for (int i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            var storage = dir.CreateDirectory($"__attach_version1.0_#{i:X8}");
            String(storage, 0x3707, a.FileName, m);  // PidTagAttachLongFilename
            var attachProps = new MemoryStream(new byte[8]);
            storage.CreateDocument("__properties_version1.0", attachProps);
            if (a.Data is not null)
                storage.CreateDocument("__substg1.0_37010102", new MemoryStream(a.Data));   // PidTagAttachDataBinary
            else if (a.Message is not null)
                Write(storage.CreateDirectory("__substg1.0_3701000D"), a.Message, topLevel: false);
            else if (a.OleObject is not null)
                EntryUtils.CopyNodes(new POIFSFileSystem(new MemoryStream(a.OleObject)).Root, storage.CreateDirectory("__substg1.0_3701000D"));
        }
    }

    private static void String(DirectoryEntry dir, ushort id, string value, Message m)
    {
        var bytes = m.Ansi
            ? CodePages.Get(m.CodePage).GetBytes(value + "\0")
            : Encoding.Unicode.GetBytes(value + "\0");
        dir.CreateDocument($"__substg1.0_{id:X4}{(m.Ansi ? "001E" : "001F")}", new MemoryStream(bytes));
    }

    /// <summary>
    /// <paramref name="rtf"/> as a PidTagRtfCompressed stream ([MS-OXRTFCP] 2.1.3.1). <paramref name="compressed"/>:
    /// the "LZFu" format, written as literal runs only (every control byte 0, then the end-of-stream reference to
    /// the dictionary's write position) with its CRC-32 — valid input for any decompressor, without a compressor;
    /// otherwise the "MELA" (uncompressed) format.
    /// </summary>
    public static byte[] CompressRtf(byte[] rtf, bool compressed = true)
    {
        var body = new MemoryStream();
        if (compressed)
        {
            // Tokens: every byte as a literal, then the end marker (a reference whose offset is the write position).
            const int InitialDictionaryLength = 207;   // the pre-loaded dictionary of 2.1.2.1
            int writePosition = (InitialDictionaryLength + rtf.Length) % 4096;
            int tokens = rtf.Length + 1;
            for (int group = 0; group * 8 < tokens; group++)
            {
                int first = group * 8, last = Math.Min(tokens, first + 8);
                body.WriteByte(last == tokens ? (byte)(1 << (tokens - 1 - first)) : (byte)0);
                for (int t = first; t < last; t++)
                {
                    if (t < rtf.Length) body.WriteByte(rtf[t]);
                    else { body.WriteByte((byte)(writePosition >> 4)); body.WriteByte((byte)(writePosition << 4)); }
                }
            }
        }
        else body.Write(rtf);
        var data = body.ToArray();
        var header = new MemoryStream();
        var w = new BinaryWriter(header);
        w.Write((uint)(data.Length + 12));                   // COMPSIZE: the bytes after this field
        w.Write((uint)rtf.Length);                           // RAWSIZE
        w.Write(compressed ? 0x75465A4Cu : 0x414C454Du);     // COMPTYPE: "LZFu" or "MELA"
        w.Write(compressed ? Crc32(data) : 0u);              // CRC: over the compressed data only, 0 for MELA
        w.Write(data);
        w.Flush();
        return header.ToArray();
    }

    /// <summary>The CRC of [MS-OXRTFCP] 2.1.3.2: CRC-32 (0xEDB88320), initial value 0, no final inversion.</summary>
    private static uint Crc32(byte[] data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return crc;
    }

    private static class CodePages
    {
        static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        public static Encoding Get(int page) => Encoding.GetEncoding(page);
    }
}
