using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace SecScan.Extraction.Pdf;

/// <summary>
/// A font's /ToUnicode CMap (PDF 32000 §9.10.3): character code → Unicode text, from its <c>bfchar</c> and
/// <c>bfrange</c> sections. PdfPig tokenizes the stream (its CMap-mode <see cref="CoreTokenScanner"/>); this
/// class only reads the operands of the three sections PdfPig's own CMap parser reads for text, because
/// PdfPig keeps that parser internal.
/// </summary>
/// <remarks>
/// Codes are looked up by numeric value, as PdfPig does, whatever their byte length. A <c>bfrange</c> with a
/// string destination increments the destination's last UTF-16 unit; one with an array takes its elements in
/// order. Ranges are kept as ranges (a <c>&lt;0000&gt; &lt;FFFF&gt;</c> identity range is one entry) and every
/// lookup is memoised. Bounded by the stream: each token is read once.
/// </remarks>
internal sealed class PdfToUnicodeCMap
{
    /// <summary>More ranges than this means a hostile or broken CMap: the rest are ignored.</summary>
    private const int MaxRanges = 65_536;

    private readonly Dictionary<int, string> _codes = [];
    private readonly List<Range> _ranges = [];

    private readonly record struct Range(int Low, int High, IToken Destination);

    /// <summary>Number of codes and ranges read: zero means the CMap maps nothing.</summary>
    public int Count => _codes.Count + _ranges.Count;

    /// <summary>The Unicode text of a code, or false when the CMap does not map it.</summary>
    public bool TryGet(int code, out string value)
    {
        if (_codes.TryGetValue(code, out value!)) return true;
        foreach (var range in _ranges)
        {
            if (code < range.Low || code > range.High) continue;
            string? found = range.Destination switch
            {
                HexToken start => Increment(Utf16(start.Bytes), code - range.Low),
                ArrayToken array when code - range.Low < array.Length => Text(array.Data[code - range.Low]),
                _ => null,
            };
            if (found is null) continue;
            _codes[code] = found;
            value = found;
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>Reads a decoded ToUnicode stream.</summary>
    /// <exception cref="PdfDocumentFormatException">PdfPig's tokenizer could not read the stream.</exception>
    public static PdfToUnicodeCMap Parse(ReadOnlyMemory<byte> data)
    {
        var map = new PdfToUnicodeCMap();
        var scanner = new CoreTokenScanner(new MemoryInputBytes(data), true, new StackDepthGuard(64), ScannerScope.None,
            namedDictionaryRequiredKeys: null, useLenientParsing: true, isStream: false, isCMapParser: true);
        var operands = new List<IToken>();
        while (scanner.MoveNext())
        {
            var token = scanner.CurrentToken;
            if (token is not OperatorToken op)
            {
                operands.Add(token);
                continue;
            }
            switch (op.Data)
            {
                case "endbfchar":
                    for (int i = 0; i + 1 < operands.Count; i += 2)
                        if (operands[i] is HexToken source && Text(operands[i + 1]) is { } text)
                            map._codes.TryAdd(Code(source.Bytes), text);
                    break;
                case "endbfrange":
                    for (int i = 0; i + 2 < operands.Count && map._ranges.Count < MaxRanges; i += 3)
                        if (operands[i] is HexToken low && operands[i + 1] is HexToken high && operands[i + 2] is HexToken or ArrayToken)
                            map._ranges.Add(new Range(Code(low.Bytes), Code(high.Bytes), operands[i + 2]));
                    break;
            }
            operands.Clear();
        }
        return map;
    }

    private static int Code(ReadOnlySpan<byte> bytes)
    {
        int code = 0;
        // Codes are at most 4 bytes (§9.7.6.2); longer ones keep their last four, which no real font needs.
        foreach (var b in bytes) code = (code << 8) | b;
        return code;
    }

    private static string? Text(IToken token) => token switch
    {
        HexToken hex => Utf16(hex.Bytes),
        NameToken name => GlyphList.AdobeGlyphList.NameToUnicode(name.Data),
        _ => null,
    };

    /// <summary>UTF-16BE bytes as text; an odd single byte (some writers' mistake) as its Latin-1 character.</summary>
    private static string Utf16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1) return ((char)bytes[0]).ToString();
        return string.Create(bytes.Length / 2, bytes.ToArray(), static (chars, b) =>
        {
            for (int i = 0; i < chars.Length; i++) chars[i] = (char)((b[2 * i] << 8) | b[2 * i + 1]);
        });
    }

    private static string? Increment(string start, int by)
    {
        if (start.Length == 0) return null;
        if (by == 0) return start;
        var chars = start.ToCharArray();
        chars[^1] = (char)(chars[^1] + by);
        return new string(chars);
    }
}
