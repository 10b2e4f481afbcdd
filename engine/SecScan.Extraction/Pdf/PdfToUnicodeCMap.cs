using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts;

namespace SecScan.Extraction.Pdf;

/// <summary>
/// A font's /ToUnicode CMap (PDF 32000 §9.10.3): character code → Unicode text, from its <c>bfchar</c> and
/// <c>bfrange</c> sections, read with our <see cref="PdfContentLexer"/> (PdfPig decodes the stream; its own CMap
/// parser is internal, and its tokenizer allocates per token).
/// </summary>
/// <remarks>
/// Codes are looked up by numeric value, as PdfPig does, whatever their byte length; <c>codespacerange</c> is read
/// past (PdfPig does not use it for text either). A <c>bfrange</c> with a string destination increments the
/// destination's last UTF-16 unit; one with an array takes its elements in order. Ranges are kept as ranges (a
/// <c>&lt;0000&gt; &lt;FFFF&gt;</c> identity range is one entry) and every lookup is memoised. Bounded by the
/// stream and <see cref="PdfLexLimits.CMap"/>: each byte is read once.
/// </remarks>
internal sealed class PdfToUnicodeCMap
{
    /// <summary>More ranges than this means a hostile or broken CMap: the rest are ignored.</summary>
    private const int MaxRanges = 65_536;

    private readonly Dictionary<int, string> _codes = [];
    private readonly List<Range> _ranges = [];

    /// <summary>Start: the destination text of Low (string destination); Each: one per code from Low (array destination).</summary>
    private readonly record struct Range(int Low, int High, string? Start, string?[]? Each);

    /// <summary>Number of codes and ranges read: zero means the CMap maps nothing.</summary>
    public int Count => _codes.Count + _ranges.Count;

    /// <summary>The Unicode text of a code, or false when the CMap does not map it.</summary>
    public bool TryGet(int code, out string value)
    {
        if (_codes.TryGetValue(code, out value!)) return true;
        foreach (var range in _ranges)
        {
            if (code < range.Low || code > range.High) continue;
            string? found = range.Start is { } start ? Increment(start, code - range.Low)
                : range.Each is { } each && code - range.Low < each.Length ? each[code - range.Low] : null;
            if (found is null) continue;
            _codes[code] = found;
            value = found;
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>Reads a decoded ToUnicode stream.</summary>
    /// <param name="data">The decoded stream.</param>
    /// <param name="operands">A stack to lex with, reused across CMaps (its contents are overwritten); a new one when null.</param>
    /// <exception cref="PdfDocumentFormatException">The lexer refused the stream (past a bound, or unreadable); the message names the rule only.</exception>
    public static PdfToUnicodeCMap Parse(ReadOnlySpan<byte> data, PdfOperands? operands = null)
    {
        var map = new PdfToUnicodeCMap();
        operands ??= new PdfOperands();
        var lexer = new PdfContentLexer(data, operands, PdfLexLimits.CMap);
        while (lexer.ReadOperation())
        {
            var op = lexer.Operator;
            if (op.SequenceEqual("endbfchar"u8)) map.ReadChars(operands);
            else if (op.SequenceEqual("endbfrange"u8)) map.ReadRanges(operands);
        }
        if (lexer.Error != PdfLexError.None)
            throw new PdfDocumentFormatException($"ToUnicode CMap not readable: {lexer.Error}");
        return map;
    }

    /// <summary><c>&lt;code&gt; &lt;text&gt;</c> or <c>&lt;code&gt; /glyphname</c> pairs.</summary>
    private void ReadChars(PdfOperands operands)
    {
        for (int i = 0; i + 1 < operands.Count; i += 2)
        {
            ref readonly var source = ref operands[i];
            if (source.Kind == PdfOperandKind.String && Text(operands, operands[i + 1]) is { } text)
                _codes.TryAdd(Code(operands.Bytes(source)), text);
        }
    }

    /// <summary><c>&lt;low&gt; &lt;high&gt; &lt;text&gt;</c> or <c>&lt;low&gt; &lt;high&gt; [&lt;text&gt; …]</c> triples.</summary>
    private void ReadRanges(PdfOperands operands)
    {
        for (int i = 0; i + 2 < operands.Count && _ranges.Count < MaxRanges;)
        {
            ref readonly var low = ref operands[i];
            ref readonly var high = ref operands[i + 1];
            ref readonly var destination = ref operands[i + 2];
            // A triple is three top-level operands; an array destination is followed by its elements.
            int next = i + 3 + (destination.Kind == PdfOperandKind.Array ? destination.Length : 0);
            if (low.Kind == PdfOperandKind.String && high.Kind == PdfOperandKind.String)
            {
                int first = Code(operands.Bytes(low)), last = Code(operands.Bytes(high));
                if (destination.Kind == PdfOperandKind.String)
                    _ranges.Add(new Range(first, last, Utf16(operands.Bytes(destination)), null));
                else if (destination.Kind == PdfOperandKind.Array)
                {
                    var each = new string?[destination.Length];
                    for (int k = 0; k < each.Length; k++) each[k] = Text(operands, operands[i + 3 + k]);
                    _ranges.Add(new Range(first, last, null, each));
                }
            }
            i = next;
        }
    }

    private static int Code(ReadOnlySpan<byte> bytes)
    {
        int code = 0;
        // Codes are at most 4 bytes (§9.7.6.2); longer ones keep their last four, which no real font needs.
        foreach (var b in bytes) code = (code << 8) | b;
        return code;
    }

    private static string? Text(PdfOperands operands, in PdfOperand token) => token.Kind switch
    {
        PdfOperandKind.String => Utf16(operands.Bytes(token)),
        PdfOperandKind.Name => GlyphList.AdobeGlyphList.NameToUnicode(Encoding.Latin1.GetString(operands.Bytes(token))),
        _ => null,
    };

    /// <summary>UTF-16BE bytes as text; an odd single byte (some writers' mistake) as its Latin-1 character.</summary>
    private static string Utf16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1) return ((char)bytes[0]).ToString();
        return string.Create(bytes.Length / 2, bytes, static (chars, b) =>
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
