using System.Collections.Frozen;
using System.Text;

namespace SecScan.Extraction.Mail;

/// <summary>
/// Tells an RFC 5322 message from ordinary text by its first lines. Conservative on purpose: a note that
/// happens to begin with "Subject:" must stay plain text, so every line up to the first blank line has to
/// be a header field (or its folded continuation), at least two of them must be mail headers, and at least
/// one must be a header only mail carries (From, Received, MIME-Version, Content-Type, Message-ID …).
/// </summary>
internal static class MailSniffer
{
    /// <summary>Header fields that ordinary text almost never starts with.</summary>
    private static readonly FrozenSet<string> Strong = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "from", "received", "mime-version", "content-type", "message-id", "return-path", "delivered-to",
        "dkim-signature", "x-mailer", "authentication-results", "x-originating-ip", "arc-seal");

    /// <summary>Header fields common in mail, which may also open a memo ("To:", "Subject:").</summary>
    private static readonly FrozenSet<string> Known = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "to", "cc", "bcc", "subject", "date", "sender", "reply-to", "in-reply-to", "references",
        "content-transfer-encoding", "content-disposition", "user-agent", "thread-topic", "thread-index",
        "importance", "x-priority", "content-language", "x-ms-has-attach", "disposition-notification-to");

    /// <summary>Most header lines looked at; a real header block decides well before this.</summary>
    private const int MaxLines = 64;

    public static bool LooksLikeMail(ReadOnlySpan<byte> head)
    {
        // Long Received/DKIM chains can fill the whole window: a window that is all header lines counts.
        bool full = head.Length >= 4096;
        if (head.StartsWith(Magic.Utf8Bom)) head = head[3..];
        int known = 0, strong = 0, lines = 0;
        bool sawBlank = false, windowFull = false;
        while (!head.IsEmpty && lines < MaxLines)
        {
            int nl = head.IndexOf((byte)'\n');
            if (nl < 0 && full)
            {
                windowFull = true;   // a line cut by the sniffing window is not judged
                break;
            }
            var line = nl < 0 ? head : head[..nl];
            head = nl < 0 ? [] : head[(nl + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (line.IsEmpty)
            {
                sawBlank = true;
                break;
            }
            lines++;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (lines == 1) return false;   // a continuation needs a field before it
                continue;
            }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || colon > 76) return false;
            var name = line[..colon];
            foreach (byte b in name)
                if (b is <= 32 or >= 127) return false;   // RFC 5322 field names are printable ASCII without spaces
            var field = Encoding.ASCII.GetString(name);
            if (Strong.Contains(field)) { strong++; known++; }
            else if (Known.Contains(field)) known++;
        }
        // A header block ends with a blank line; a file that is nothing but headers (cut, or no body) also counts.
        bool ended = sawBlank || windowFull || head.IsEmpty || lines >= MaxLines;
        return ended && known >= 2 && strong >= 1;
    }
}
