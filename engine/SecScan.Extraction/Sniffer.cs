using System.IO.Compression;
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
        if (LooksLikeText(head)) return MediaTypes.PlainText;
        return MediaTypes.Unknown;
    }

    private static string SniffZip(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            bool contentTypes = false, word = false, xl = false, ppt = false, ofd = false;
            foreach (var e in zip.Entries)
            {
                var name = e.FullName;
                if (name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)) contentTypes = true;
                else if (name.StartsWith("word/", StringComparison.OrdinalIgnoreCase)) word = true;
                else if (name.StartsWith("xl/", StringComparison.OrdinalIgnoreCase)) xl = true;
                else if (name.StartsWith("ppt/", StringComparison.OrdinalIgnoreCase)) ppt = true;
                else if (name.Equals("OFD.xml", StringComparison.OrdinalIgnoreCase)) ofd = true;
            }
            if (ofd) return MediaTypes.Ofd;
            if (contentTypes && word) return MediaTypes.Docx;
            if (contentTypes && xl) return MediaTypes.Xlsx;
            if (contentTypes && ppt) return MediaTypes.Pptx;
            return MediaTypes.Zip;
        }
        catch (InvalidDataException)
        {
            return MediaTypes.Zip;   // a truncated ZIP is still a ZIP; its extractor reports it corrupt
        }
        finally
        {
            stream.Position = 0;
        }
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
