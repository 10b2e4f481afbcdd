using System.Text;
using System.Text.Unicode;
using UtfUnknown;
using static SecScan.Extraction.Magic;

namespace SecScan.Extraction.Text;

/// <summary>
/// Decodes text in any encoding a Chinese office produces: UTF-8 and UTF-16 with or without a BOM,
/// GB18030 (a superset of GBK and GB2312) and Big5. BOMs decide first; then strict UTF-8; then the
/// candidates are decoded and scored on how much of the result is plausible Chinese text, with
/// UTF.Unknown's guess as one candidate. Scoring beats a single detector on short GBK files, where
/// byte-frequency detectors are often unsure.
/// </summary>
public static class TextDecoder
{
    static TextDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    /// <summary>Decodes <paramref name="bytes"/> and reports the encoding chosen.</summary>
    public static (string Text, Encoding Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Utf8Bom)) return (Encoding.UTF8.GetString(bytes[3..]), Encoding.UTF8);
        if (bytes.StartsWith(Utf16LeBom)) return (Encoding.Unicode.GetString(bytes[2..]), Encoding.Unicode);
        if (bytes.StartsWith(Utf16BeBom)) return (Encoding.BigEndianUnicode.GetString(bytes[2..]), Encoding.BigEndianUnicode);
        if (Utf8.IsValid(bytes) && !LooksLikeUtf16(bytes)) return (Encoding.UTF8.GetString(bytes), Encoding.UTF8);
        if (IsDamagedUtf8(bytes)) return (Encoding.UTF8.GetString(bytes), Encoding.UTF8);

        var candidates = new List<Encoding> { Encoding.Unicode, Encoding.BigEndianUnicode, Gb18030, Encoding.GetEncoding("big5") };
        var guess = GuessWithUtfUnknown(bytes);
        if (guess is not null && !candidates.Exists(c => c.CodePage == guess.CodePage)) candidates.Add(guess);

        string best = "";
        Encoding bestEncoding = Gb18030;
        double bestScore = double.MinValue;
        var sample = bytes[..Math.Min(bytes.Length, 64 * 1024)];
        foreach (var enc in candidates)
        {
            if ((enc.CodePage is 1200 or 1201) && (sample.Length & 1) == 1 && sample.Length == bytes.Length) continue;
            var text = enc.GetString(sample);
            double score = Plausibility(text);
            if (guess is not null && enc.CodePage == guess.CodePage) score += 0.02;   // tie-breaker only
            if (enc.CodePage == Gb18030.CodePage) score += 0.01;                     // the common case in mainland files
            if (score > bestScore)
            {
                bestScore = score;
                bestEncoding = enc;
            }
        }
        best = bestEncoding.GetString(bytes);
        return (best, bestEncoding);
    }

    /// <summary>
    /// UTF-8 with a few damaged bytes (a flipped bit, a cut in the middle of a character): many valid multi-byte
    /// sequences and at most one invalid sequence per 4 of them. GBK, GB18030 and Big5 text has 2.4–9 invalid
    /// sequences per valid one (every such file of the samples and the labelled corpus; a UTF-8 page with 8 random
    /// bytes flipped has 0.03–0.07). Decoded as GB18030 instead, damaged UTF-8 is mojibake throughout and every
    /// marking in it is lost. Looks at the first 64 KiB.
    /// </summary>
    internal static bool IsDamagedUtf8(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 64 * 1024)];
        int multiByte = 0, invalid = 0;
        while (!sample.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(sample, out _, out int consumed);
            if (status == System.Buffers.OperationStatus.Done) { if (consumed > 1) multiByte++; }
            else if (status == System.Buffers.OperationStatus.InvalidData || sample.Length > 4) invalid++;   // not a cut at the end
            sample = sample[Math.Max(consumed, 1)..];
        }
        return invalid > 0 && multiByte >= 16 && invalid * 4 <= multiByte;
    }

    private static Encoding? GuessWithUtfUnknown(ReadOnlySpan<byte> bytes)
    {
        var result = CharsetDetector.DetectFromBytes(bytes[..Math.Min(bytes.Length, 64 * 1024)].ToArray());
        return result.Detected?.Encoding;
    }

    /// <summary>
    /// UTF-16 text without a BOM is valid UTF-8 when it is all ASCII-range (NUL in every other byte).
    /// </summary>
    private static bool LooksLikeUtf16(ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, 4096), even = 0, odd = 0;
        for (int i = 0; i < n; i++)
            if (bytes[i] == 0) { if ((i & 1) == 0) even++; else odd++; }
        return even + odd > n / 4;
    }

    /// <summary>Share of characters that are ordinary text (common CJK, CJK punctuation, printable ASCII, whitespace).</summary>
    internal static double Plausibility(string text)
    {
        if (text.Length == 0) return 0;
        int good = 0, bad = 0;
        foreach (char c in text)
        {
            if (c is >= '\u4E00' and <= '\u9FA5') good += 2;                  // CJK Unified (GB2312 lives here)
            else if (c is >= ' ' and <= '~' or '\n' or '\r' or '\t') good++;
            else if (c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or '★' or '“' or '”' or '‘' or '’' or '…' or '—') good++;
            else if (c is '\uFFFD' or < ' ' or >= '\uE000' and <= '\uF8FF') bad += 4;
            else if (char.IsSurrogate(c) || c is >= '\u3400' and <= '\u4DBF' or >= '\uA000' and <= '\uABFF' or >= '\uAC00' and <= '\uD7AF') bad += 2; // rare blocks: mis-decoding lands here
            else if (c >= '\u0100' && c < '\u3000') bad++;
        }
        return (double)(good - bad) / text.Length;
    }
}
