using System.Text;
using System.Text.Unicode;
using SharpCompress.Common;
using SecScan.Extraction.Text;

namespace SecScan.Extraction.Archives;

/// <summary>
/// Member names as their writers meant them. ZIP names without the UTF-8 flag are in the writer's OEM code
/// page: CP437 in the specification, GBK on Chinese Windows (Explorer's "Send to › Compressed folder",
/// WinRAR and 360压缩 by default). Valid UTF-8 is taken as UTF-8 (Info-ZIP and macOS omit the flag); otherwise
/// the GB18030 and CP437 readings are scored for plausible text and the better one wins.
/// </summary>
internal static class ArchiveNames
{
    private static readonly Encoding StrictGb18030 = Encoding.GetEncoding("GB18030",
        EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    private static readonly Encoding Cp437 = Encoding.GetEncoding(437);

    static ArchiveNames() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reader options whose name decoder is <see cref="Decode"/>.</summary>
    public static ArchiveEncoding NameEncoding { get; } = new() { CustomDecoder = Decode };

    /// <summary>SharpCompress's custom decoder: bytes, offset, count, and whether the archive flagged them UTF-8.</summary>
    public static string Decode(byte[] bytes, int offset, int count, EncodingType type)
    {
        var span = bytes.AsSpan(offset, count);
        if (type == EncodingType.UTF8 || Utf8.IsValid(span)) return Encoding.UTF8.GetString(span);
        string cp437 = Cp437.GetString(span);
        string gb;
        try
        {
            gb = StrictGb18030.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return cp437;
        }
        return TextDecoder.Plausibility(gb) >= TextDecoder.Plausibility(cp437) ? gb : cp437;
    }

    /// <summary>A name for a single-file compressor's payload: the archive's name without its compression extension.</summary>
    public static string PayloadName(string archiveName)
    {
        var file = Path.GetFileName(archiveName);
        foreach (var (suffix, replacement) in Suffixes)
            if (file.Length > suffix.Length && file.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return file[..^suffix.Length] + replacement;
        return file.Length == 0 ? "payload" : file + " (expanded)";
    }

    private static readonly (string Suffix, string Replacement)[] Suffixes =
        [(".tgz", ".tar"), (".tbz2", ".tar"), (".tbz", ".tar"), (".txz", ".tar"), (".gz", ""), (".bz2", ""), (".xz", ""), (".z", "")];
}
