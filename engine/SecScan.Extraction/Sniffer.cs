using System.IO.Compression;
using SecScan.Extraction.Mail;
using static SecScan.Extraction.Magic;

namespace SecScan.Extraction;

/// <summary>
/// Decides a file's type from its bytes, never from its name: a report.pdf that is really a DOCX is
/// read as a DOCX, and a renamed executable is "unsupported", not "plain text".
/// </summary>
public static class Sniffer
{
    private const int HeadBytes = 4096;

    /// <summary>Sniffs a seekable stream and leaves it at position 0.</summary>
    public static string Sniff(Stream stream)
    {
        Span<byte> head = stackalloc byte[HeadBytes];
        stream.Position = 0;
        int n = stream.ReadAtLeast(head, HeadBytes, throwOnEndOfStream: false);
        head = head[..n];
        stream.Position = 0;

        if (head.IndexOf("%PDF-"u8) is >= 0 and < 1024) return MediaTypes.Pdf;
        if (head.StartsWith("PK\x03\x04"u8)) return SniffZip(stream);
        if (head.StartsWith(Ole2Magic)) return SniffOle2(stream);
        if (head.StartsWith("{\\rtf"u8)) return MediaTypes.Rtf;
        if (SniffCompressed(head) is { } compressed) return compressed;
        // A flat OpenDocument file (.fodt, .fods, .fodp) is XML whose root is office:document.
        if (head.IndexOf("<office:document"u8) >= 0 && head.IndexOf("urn:oasis:names:tc:opendocument:xmlns:office:1.0"u8) >= 0) return MediaTypes.Odf;
        // MHT before mail: a saved page is multipart/related without mail's To:/Received: headers.
        if (LooksLikeMht(head)) return MediaTypes.Mht;
        if (LooksLikeHtml(head)) return MediaTypes.Html;
        if (LooksLikeText(head))
            return MailSniffer.LooksLikeMail(head) ? MediaTypes.Eml : MediaTypes.PlainText;
        return MediaTypes.Unknown;
    }

    /// <summary>Archives and single-file compressors, by their magic bytes.</summary>
    private static string? SniffCompressed(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\x05\x06"u8)) return MediaTypes.Zip;   // an empty ZIP: only the end record
        if (head.StartsWith(SevenZipMagic)) return MediaTypes.SevenZip;
        if (head.StartsWith(RarMagic)) return MediaTypes.Rar;
        if (head.StartsWith(GZipMagic)) return MediaTypes.GZip;
        if (head.StartsWith(XzMagic)) return MediaTypes.Xz;
        if (head.Length >= 10 && head.StartsWith("BZh"u8) && head[3] is >= (byte)'1' and <= (byte)'9'
            && (head[4..].StartsWith(BZip2BlockMagic) || head[4..].StartsWith(BZip2EndMagic)))
            return MediaTypes.BZip2;
        if (IsTarHeader(head)) return MediaTypes.Tar;
        return null;
    }

    /// <summary>
    /// A tar header block: "ustar" at 257 (POSIX and GNU), or, for old V7 archives without it, a header
    /// checksum at 148 that matches the block (the sum of its bytes with the checksum field read as spaces).
    /// </summary>
    internal static bool IsTarHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 512) return false;
        if (head[257..].StartsWith("ustar"u8)) return true;
        if (head[0] == 0) return false;
        var field = head.Slice(148, 8);
        long stored = 0;
        int digits = 0;
        foreach (byte b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7') { stored = stored * 8 + (b - '0'); digits++; }
            else if (b is 0 or (byte)' ') { if (digits > 0) break; }
            else return false;
        }
        if (digits == 0) return false;
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? ' ' : head[i];
        return sum == stored;
    }

    private static string SniffZip(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return ClassifyZip(zip.Entries.Select(e => e.FullName), truncated: false);
        }
        catch (InvalidDataException)
        {
            // No readable central directory (a truncated download, a cut attachment): the local headers at
            // the front still name the members, so a cut DOCX goes to the DOCX reader, which reports it corrupt.
            return ClassifyZip(LocalHeaderNames(stream), truncated: true);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <param name="names">Member names, in any order.</param>
    /// <param name="truncated">
    /// Only the front of the archive was seen. Writers put [Content_Types].xml anywhere (System.IO.Packaging
    /// writes it last), so a word/, xl/ or ppt/ member alone decides; at worst a cut plain ZIP is then
    /// reported corrupt by an Office reader instead of unsupported, which is no less cautious.
    /// </param>
    private static string ClassifyZip(IEnumerable<string> names, bool truncated)
    {
        bool contentTypes = false, word = false, xl = false, ppt = false, ofd = false, odfContent = false, odfManifest = false;
        foreach (var name in names)
        {
            if (name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)) contentTypes = true;
            else if (name.Equals("content.xml", StringComparison.Ordinal)) odfContent = true;
            else if (name.Equals("META-INF/manifest.xml", StringComparison.Ordinal) || name.Equals("mimetype", StringComparison.Ordinal)) odfManifest = true;
            else if (name.StartsWith("word/", StringComparison.OrdinalIgnoreCase)) word = true;
            else if (name.StartsWith("xl/", StringComparison.OrdinalIgnoreCase)) xl = true;
            else if (name.StartsWith("ppt/", StringComparison.OrdinalIgnoreCase)) ppt = true;
            else if (name.Equals("OFD.xml", StringComparison.OrdinalIgnoreCase)) ofd = true;
        }
        contentTypes |= truncated;
        if (ofd) return MediaTypes.Ofd;
        if (odfContent && odfManifest) return MediaTypes.Odf;
        if (contentTypes && word) return MediaTypes.Docx;
        if (contentTypes && xl) return MediaTypes.Xlsx;
        if (contentTypes && ppt) return MediaTypes.Pptx;
        return MediaTypes.Zip;
    }

    /// <summary>
    /// Member names from local file headers ("PK\x03\x04", name length at +26, name at +30) in the first MiB.
    /// Sizes in local headers may be zero (data descriptors), so headers are found by signature, not by walking.
    /// </summary>
    private static List<string> LocalHeaderNames(Stream stream)
    {
        var probe = new byte[Math.Min(stream.Length, 1 << 20)];
        stream.Position = 0;
        var head = probe.AsSpan(0, stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false));
        var names = new List<string>();
        int at = 0;
        while (at < head.Length)
        {
            int i = head[at..].IndexOf("PK\x03\x04"u8);
            if (i < 0) break;
            at += i;
            if (at + 30 > head.Length) break;
            int length = head[at + 26] | (head[at + 27] << 8);
            if (length is > 0 and <= 512 && at + 30 + length <= head.Length)
                names.Add(System.Text.Encoding.UTF8.GetString(head.Slice(at + 30, length)));
            at += 4;
        }
        return names;
    }

    /// <summary>An encrypted OOXML file is an OLE2 container holding EncryptionInfo and EncryptedPackage streams.</summary>
    private static string SniffOle2(Stream stream)
    {
        var probe = new byte[Math.Min(stream.Length, 1 << 20)];
        stream.Position = 0;
        int n = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        // Directory entry names are UTF-16LE.
        ReadOnlySpan<byte> encryptedPackage = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0"u8;
        return probe.AsSpan(0, n).IndexOf(encryptedPackage) >= 0 ? MediaTypes.EncryptedOoxml : MediaTypes.Ole2;
    }

    /// <summary>
    /// A web archive: the header block (up to the first empty line) declares MIME-Version and a
    /// multipart/related Content-Type, and names no recipient or relay (a mail whose top part is
    /// multipart/related is still mail).
    /// </summary>
    internal static bool LooksLikeMht(ReadOnlySpan<byte> head)
    {
        var text = System.Text.Encoding.Latin1.GetString(head.StartsWith(Utf8Bom) ? head[3..] : head);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) end = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (end <= 0) return false;
        var headers = "\n" + text[..end].Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!headers.Contains("\nmime-version:", StringComparison.OrdinalIgnoreCase)) return false;
        if (headers.Contains("\nreceived:", StringComparison.OrdinalIgnoreCase) || headers.Contains("\nto:", StringComparison.OrdinalIgnoreCase)) return false;
        int type = headers.IndexOf("\ncontent-type:", StringComparison.OrdinalIgnoreCase);
        return type >= 0 && headers.AsSpan(type + 14).TrimStart().StartsWith("multipart/related", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// HTML or XHTML: after a BOM, whitespace and comments, the text opens with a doctype, &lt;html&gt;,
    /// &lt;head&gt; or &lt;body&gt; (an XML declaration may come first). UTF-16 pages are read through their BOM.
    /// </summary>
    internal static bool LooksLikeHtml(ReadOnlySpan<byte> head)
    {
        string text = head.StartsWith(Utf16LeBom) ? System.Text.Encoding.Unicode.GetString(head[2..])
            : head.StartsWith(Utf16BeBom) ? System.Text.Encoding.BigEndianUnicode.GetString(head[2..])
            : System.Text.Encoding.Latin1.GetString(head.StartsWith(Utf8Bom) ? head[3..] : head);
        var s = text.AsSpan().TrimStart();
        if (s.StartsWith("<?xml", StringComparison.Ordinal))
        {
            int close = s.IndexOf("?>", StringComparison.Ordinal);
            if (close < 0) return false;
            s = s[(close + 2)..].TrimStart();
        }
        while (s.StartsWith("<!--", StringComparison.Ordinal))
        {
            int close = s.IndexOf("-->", StringComparison.Ordinal);
            if (close < 0) return false;
            s = s[(close + 3)..].TrimStart();
        }
        return StartsWithTag(s, "<!doctype html") || StartsWithTag(s, "<html") || StartsWithTag(s, "<head") || StartsWithTag(s, "<body");
    }

    private static bool StartsWithTag(ReadOnlySpan<char> s, string tag) =>
        s.StartsWith(tag, StringComparison.OrdinalIgnoreCase) && (s.Length == tag.Length || s[tag.Length] is '>' or ' ' or '\t' or '\r' or '\n' or '/');

    /// <summary>
    /// Text if it has a BOM, or no NUL bytes and few control bytes; UTF-16 without a BOM shows as NULs
    /// in every other byte of ASCII-range text, which is also accepted.
    /// </summary>
    internal static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return true;
        if (head.StartsWith(Utf8Bom) || head.StartsWith(Utf16LeBom) || head.StartsWith(Utf16BeBom)) return true;
        int nul = 0, control = 0, evenNul = 0, oddNul = 0;
        for (int i = 0; i < head.Length; i++)
        {
            byte b = head[i];
            if (b == 0)
            {
                nul++;
                if ((i & 1) == 0) evenNul++; else oddNul++;
            }
            else if (b < 0x20 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t' or 0x0C or 0x1B)) control++;
        }
        if (nul == 0) return control * 100 <= head.Length;
        // UTF-16 without BOM: the NULs of ASCII-range characters fall on one parity (a CJK character such
        // as U+4E00 rarely adds one on the other); binary data has NULs on both alike. The decoder then
        // confirms by plausibility.
        return (evenNul >= 2 && oddNul * 10 <= evenNul) || (oddNul >= 2 && evenNul * 10 <= oddNul);
    }
}
