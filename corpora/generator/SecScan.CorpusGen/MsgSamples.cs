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
    /// <summary>One attachment: a file (<paramref name="Data"/>) or an attached message (<paramref name="Message"/>).</summary>
    public sealed record Attachment(string FileName, byte[]? Data = null, Message? Message = null);

    /// <summary>A message. <paramref name="Ansi"/>: write 8-bit (001E) strings in <paramref name="CodePage"/> instead of UTF-16 (001F).</summary>
    public sealed record Message(string Subject, string Body, string From = "张明", string To = "李华",
        IReadOnlyList<Attachment>? Attachments = null, bool Ansi = false, int CodePage = 936);

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
        String(dir, 0x1000, m.Body, m);              // PidTagBody

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
        }
    }

    private static void String(DirectoryEntry dir, ushort id, string value, Message m)
    {
        var bytes = m.Ansi
            ? CodePages.Get(m.CodePage).GetBytes(value + "\0")
            : Encoding.Unicode.GetBytes(value + "\0");
        dir.CreateDocument($"__substg1.0_{id:X4}{(m.Ansi ? "001E" : "001F")}", new MemoryStream(bytes));
    }

    private static class CodePages
    {
        static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        public static Encoding Get(int page) => Encoding.GetEncoding(page);
    }
}
