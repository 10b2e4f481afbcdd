using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Fonts;
using UglyToad.PdfPig.Fonts.Encodings;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;
using PdfEncoding = UglyToad.PdfPig.Fonts.Encodings.Encoding;

namespace SecScan.Extraction.Pdf;

/// <summary>
/// What the text layer needs of a PDF font, read from its dictionaries alone and never from its font program:
/// how to split a string into character codes, each code's Unicode text (/ToUnicode, else the /Encoding and
/// /Differences glyph names through the Adobe Glyph List) and advance width (/Widths, /W and /DW, or the
/// Standard 14 metrics), and the ascent that stands in for the glyph's top.
/// </summary>
/// <remarks>
/// <see cref="TryCreate"/> returns null for what it cannot decode as PdfPig would: Type 3 fonts, vertical or
/// non-Identity CID encodings, Type 0 fonts without /ToUnicode, simple fonts whose widths are in the font
/// program only. <see cref="TryDecode"/> returns false for a code whose text only the font program's built-in
/// encoding knows. The page is then read by PdfPig's letters instead. Decoded text is memoised per code.
/// Not thread-safe: one instance serves one document's pages in turn.
/// </remarks>
internal sealed class PdfTextFont
{
    private const double DefaultAscent = 0.8;

    /// <summary>An array of more entries than this in /W is broken or hostile: the font is left to PdfPig.</summary>
    private const int MaxWidthEntries = 65_536;

    private readonly PdfToUnicodeCMap? _toUnicode;
    private readonly bool _twoByte;

    // Simple fonts: glyph names by code (null entries unknown unless _namesComplete) and widths by code.
    private readonly string?[]? _names;
    private readonly bool _namesComplete;
    private readonly double[]? _simpleWidths;
    private readonly string?[]? _simpleText;

    // Type 0 (Identity-H, so CID = code): /W entries and /DW.
    private readonly Dictionary<int, double>? _cidWidths;
    private readonly List<(int First, int Last, double Width)>? _cidRanges;
    private readonly double _defaultWidth;

    /// <summary>The font's ascent as a fraction of the font size (text space).</summary>
    public double Ascent { get; }

    private PdfTextFont(PdfToUnicodeCMap? toUnicode, string?[] names, bool namesComplete, double[] widths, double ascent)
    {
        _toUnicode = toUnicode;
        _names = names;
        _namesComplete = namesComplete;
        _simpleWidths = widths;
        _simpleText = new string?[256];
        Ascent = ascent;
    }

    private PdfTextFont(PdfToUnicodeCMap toUnicode, Dictionary<int, double> widths, List<(int, int, double)> ranges, double defaultWidth, double ascent)
    {
        _toUnicode = toUnicode;
        _twoByte = true;
        _cidWidths = widths;
        _cidRanges = ranges;
        _defaultWidth = defaultWidth;
        Ascent = ascent;
    }

    /// <summary>Reads the next character code of a string shown in this font.</summary>
    /// <returns>The number of bytes the code took (1 or 2).</returns>
    public int ReadCode(ReadOnlySpan<byte> bytes, int at, out int code)
    {
        if (_twoByte && at + 1 < bytes.Length)
        {
            code = (bytes[at] << 8) | bytes[at + 1];
            return 2;
        }
        code = bytes[at];
        return 1;
    }

    /// <summary>The advance width of a code in text space (thousandths of the font size, divided by 1000).</summary>
    public double Width(int code)
    {
        if (_simpleWidths is { } widths) return (uint)code < (uint)widths.Length ? widths[code] : 0;
        if (_cidWidths!.TryGetValue(code, out var w)) return w;
        foreach (var (first, last, width) in _cidRanges!)
            if (code >= first && code <= last) return width;
        return _defaultWidth;
    }

    /// <summary>The code's Unicode text as PdfPig would give it; false when only the font program could tell.</summary>
    public bool TryDecode(int code, out string text)
    {
        if (_simpleText is { } cache && (uint)code < 256 && cache[code] is { } known)
        {
            text = known;
            return true;
        }

        if (_toUnicode is { } map && map.TryGet(code, out text)) { }
        else if (_names is { } names && (uint)code < 256 && (names[code] is not null || _namesComplete))
            // PdfPig's rule for a name the glyph list does not know, or no name: the code itself as a character.
            text = (names[code] is { } name ? GlyphList.AdobeGlyphList.NameToUnicode(name) : null) ?? ((char)code).ToString();
        else
        {
            text = "";
            return false;
        }

        // A CID font's text comes from its CMap, which memoises every code it resolves.
        if (_simpleText is { } store) store[code] = text;
        return true;
    }

    /// <summary>The font as the text layer can read it, or null when PdfPig must read its pages.</summary>
    /// <param name="font">The font dictionary.</param>
    /// <param name="scanner">PdfPig's object scanner of the document.</param>
    /// <param name="filters">PdfPig's stream filters.</param>
    /// <param name="operands">A stack for lexing the ToUnicode CMap, reused across fonts (its contents are overwritten).</param>
    /// <exception cref="PdfDocumentFormatException">A referenced object cannot be read, or the CMap cannot be lexed.</exception>
    public static PdfTextFont? TryCreate(DictionaryToken font, IPdfTokenScanner scanner, ILookupFilterProvider filters, PdfOperands? operands = null)
    {
        var subtype = font.TryGet(NameToken.Subtype, scanner, out NameToken? s) ? s.Data : "";
        var toUnicode = ReadToUnicode(font, scanner, filters, operands ?? new PdfOperands());
        return subtype switch
        {
            "Type0" => CreateType0(font, toUnicode, scanner),
            "Type1" or "MMType1" or "TrueType" => CreateSimple(font, toUnicode, subtype, scanner),
            _ => null, // Type 3 glyphs are content streams; PdfPig reads them.
        };
    }

    /// <summary>
    /// The Identity-H Type 0 font at <paramref name="reference"/>, with its descendant and descriptor read by
    /// <see cref="PdfRawObjects"/> instead of PdfPig's object scanner; the same font <see cref="TryCreate"/> gives.
    /// </summary>
    /// <returns>
    /// False when the font is anything but the plain case (another subtype or encoding, a value behind a reference
    /// where a direct one is expected, an object the raw reader leaves): the caller then uses <see cref="TryCreate"/>.
    /// </returns>
    /// <exception cref="PdfDocumentFormatException">The ToUnicode stream cannot be read, or its CMap cannot be lexed.</exception>
    public static bool TryCreateType0Raw(ReadOnlySpan<byte> file, IReadOnlyDictionary<IndirectReference, XrefLocation> offsets, IndirectReference reference,
        IPdfTokenScanner scanner, ILookupFilterProvider filters, PdfOperands operands, out PdfTextFont? font)
    {
        font = null;
        if (!PdfRawObjects.TryReadObject(file, offsets, reference, out var dictionary) || dictionary.Kind != PdfRawKind.Dictionary
            || !IsName(file, dictionary, "Subtype"u8, "Type0"u8) || !IsName(file, dictionary, "Encoding"u8, "Identity-H"u8)
            || !PdfRawObjects.TryGet(file, dictionary, "ToUnicode"u8, out var toUnicodeRef) || toUnicodeRef.Kind != PdfRawKind.Reference
            || !PdfRawObjects.TryGet(file, dictionary, "DescendantFonts"u8, out var descendants) || descendants.Kind != PdfRawKind.Array)
            return false;

        int at = 0;
        if (!PdfRawObjects.TryNext(file, descendants, ref at, out var first) || first.Kind != PdfRawKind.Reference
            || !PdfRawObjects.TryReadObject(file, offsets, first.Reference, out var cidFont) || cidFont.Kind != PdfRawKind.Dictionary)
            return false;

        double defaultWidth = 1.0;
        if (PdfRawObjects.TryGet(file, cidFont, "DW"u8, out var dw))
        {
            if (!PdfRawObjects.TryNumber(file, dw, out var value)) return false;
            defaultWidth = (double)value / 1000;
        }
        var widths = new Dictionary<int, double>();
        var ranges = new List<(int, int, double)>();
        if (PdfRawObjects.TryGet(file, cidFont, "W"u8, out var w) && (w.Kind != PdfRawKind.Array || !ReadCidWidthsRaw(file, w, widths, ranges)))
            return false;
        if (!TryDescriptorAscentRaw(file, offsets, cidFont, out var ascent)) return false;

        // Last, as TryCreate's order would fail on it: the CMap, through PdfPig's stream decoding.
        if (!DirectObjectFinder.TryGet(new IndirectReferenceToken(toUnicodeRef.Reference), scanner, out StreamToken? stream)) return false;
        var map = PdfToUnicodeCMap.Parse(stream.Decode(filters, scanner).Span, operands);
        font = map.Count > 0 ? new PdfTextFont(map, widths, ranges, defaultWidth, ascent ?? DefaultAscent) : null;
        return true;
    }

    private static bool IsName(ReadOnlySpan<byte> file, in PdfRawValue dictionary, ReadOnlySpan<byte> key, ReadOnlySpan<byte> name) =>
        PdfRawObjects.TryGet(file, dictionary, key, out var value) && value.Kind == PdfRawKind.Name && file[value.Start..value.End].SequenceEqual(name);

    /// <summary><see cref="ReadCidWidths"/> on the raw array; false (PdfPig decides) on anything but numbers and arrays of numbers.</summary>
    private static bool ReadCidWidthsRaw(ReadOnlySpan<byte> file, in PdfRawValue w, Dictionary<int, double> widths, List<(int, int, double)> ranges)
    {
        int at = 0;
        while (PdfRawObjects.TryNext(file, w, ref at, out var item))
        {
            if (!PdfRawObjects.TryNumber(file, item, out var first) || first is < int.MinValue or > int.MaxValue) return false;
            if (!PdfRawObjects.TryNext(file, w, ref at, out var second)) return at >= w.End; // a trailing lone CID is ignored, as there
            if (second.Kind == PdfRawKind.Array)
            {
                int inner = 0, count = 0;
                while (PdfRawObjects.TryNext(file, second, ref inner, out _)) count++;
                if (inner < second.End || widths.Count + count > MaxWidthEntries) return false;
                widths.EnsureCapacity(widths.Count + count);
                inner = 0;
                for (int k = 0; PdfRawObjects.TryNext(file, second, ref inner, out var width); k++)
                {
                    if (!PdfRawObjects.TryNumber(file, width, out var value)) return false;
                    widths[(int)first + k] = (double)value / 1000;
                }
            }
            else
            {
                if (!PdfRawObjects.TryNumber(file, second, out var last) || last is < int.MinValue or > int.MaxValue || ranges.Count >= MaxWidthEntries
                    || !PdfRawObjects.TryNext(file, w, ref at, out var third) || !PdfRawObjects.TryNumber(file, third, out var width))
                    return false;
                ranges.Add(((int)first, (int)last, (double)width / 1000));
            }
        }
        return at >= w.End;
    }

    /// <summary><see cref="DescriptorAscent"/> on the raw descriptor; false (PdfPig decides) when it is not plainly readable.</summary>
    private static bool TryDescriptorAscentRaw(ReadOnlySpan<byte> file, IReadOnlyDictionary<IndirectReference, XrefLocation> offsets, in PdfRawValue cidFont, out double? ascent)
    {
        ascent = null;
        if (!PdfRawObjects.TryGet(file, cidFont, "FontDescriptor"u8, out var reference) || reference.Kind != PdfRawKind.Reference
            || !PdfRawObjects.TryReadObject(file, offsets, reference.Reference, out var descriptor) || descriptor.Kind != PdfRawKind.Dictionary)
            return false;
        if (PdfRawObjects.TryGet(file, descriptor, "Ascent"u8, out var value))
        {
            if (!PdfRawObjects.TryNumber(file, value, out var number)) return false;
            if (number > 0)
            {
                ascent = (double)number / 1000;
                return true;
            }
        }
        if (!PdfRawObjects.TryGet(file, descriptor, "FontBBox"u8, out var box)) return true;
        if (box.Kind != PdfRawKind.Array) return false;
        int at = 0, count = 0;
        PdfRawValue top = default;
        while (PdfRawObjects.TryNext(file, box, ref at, out var item))
        {
            if (item.Kind == PdfRawKind.Reference) return false;
            if (count++ == 3) top = item;
        }
        if (at < box.End) return false;
        if (count == 4 && PdfRawObjects.TryNumber(file, top, out var height) && height > 0) ascent = (double)height / 1000;
        return true;
    }

    private static PdfToUnicodeCMap? ReadToUnicode(DictionaryToken font, IPdfTokenScanner scanner, ILookupFilterProvider filters, PdfOperands operands)
    {
        if (!font.TryGet(NameToken.ToUnicode, scanner, out StreamToken? stream)) return null;
        var map = PdfToUnicodeCMap.Parse(stream.Decode(filters, scanner).Span, operands);
        return map.Count > 0 ? map : null;
    }

    private static PdfTextFont? CreateType0(DictionaryToken font, PdfToUnicodeCMap? toUnicode, IPdfTokenScanner scanner)
    {
        // Identity-H: two-byte codes that are CIDs. Other CMaps (GBK-EUC-H, UniGB-UCS2-H, embedded ones) and
        // vertical writing are PdfPig's; so is a font without ToUnicode, where PdfPig guesses from the CID ordering.
        if (toUnicode is null || !font.TryGet(NameToken.Encoding, scanner, out NameToken? encoding) || encoding.Data != "Identity-H")
            return null;
        if (!font.TryGet(NameToken.DescendantFonts, scanner, out ArrayToken? descendants) || descendants.Length == 0
            || !DirectObjectFinder.TryGet(descendants[0], scanner, out DictionaryToken? cidFont))
            return null;

        double defaultWidth = cidFont.TryGet(NameToken.Dw, scanner, out NumericToken? dw) ? dw.Double / 1000 : 1.0;
        var widths = new Dictionary<int, double>();
        var ranges = new List<(int, int, double)>();
        if (cidFont.TryGet(NameToken.W, scanner, out ArrayToken? w) && !ReadCidWidths(w, scanner, widths, ranges))
            return null;
        return new PdfTextFont(toUnicode, widths, ranges, defaultWidth, DescriptorAscent(cidFont, scanner) ?? DefaultAscent);
    }

    /// <summary>/W: <c>c [w1 w2 …]</c> gives consecutive CIDs from c; <c>c1 c2 w</c> gives one width to a range.</summary>
    private static bool ReadCidWidths(ArrayToken w, IPdfTokenScanner scanner, Dictionary<int, double> widths, List<(int, int, double)> ranges)
    {
        var items = w.Data;
        int i = 0;
        while (i < items.Count)
        {
            if (!DirectObjectFinder.TryGet(items[i], scanner, out NumericToken? first) || i + 1 >= items.Count) return i + 1 >= items.Count;
            if (DirectObjectFinder.TryGet(items[i + 1], scanner, out ArrayToken? list))
            {
                widths.EnsureCapacity(Math.Min(widths.Count + list.Length, MaxWidthEntries));
                for (int k = 0; k < list.Length; k++)
                {
                    if (widths.Count >= MaxWidthEntries) return false;
                    if (DirectObjectFinder.TryGet(list[k], scanner, out NumericToken? width)) widths[first.Int + k] = width.Double / 1000;
                }
                i += 2;
            }
            else
            {
                if (i + 2 >= items.Count || ranges.Count >= MaxWidthEntries) return false;
                if (DirectObjectFinder.TryGet(items[i + 1], scanner, out NumericToken? last)
                    && DirectObjectFinder.TryGet(items[i + 2], scanner, out NumericToken? width))
                    ranges.Add((first.Int, last.Int, width.Double / 1000));
                i += 3;
            }
        }
        return true;
    }

    private static PdfTextFont? CreateSimple(DictionaryToken font, PdfToUnicodeCMap? toUnicode, string subtype, IPdfTokenScanner scanner)
    {
        string baseFont = font.TryGet(NameToken.BaseFont, scanner, out NameToken? b) ? b.Data : "";
        font.TryGet(NameToken.FontDescriptor, scanner, out DictionaryToken? descriptor);
        bool embedded = descriptor is not null && (descriptor.ContainsKey(NameToken.FontFile) || descriptor.ContainsKey(NameToken.FontFile2) || descriptor.ContainsKey(NameToken.FontFile3));
        var metrics = subtype != "TrueType" && !embedded && Standard14.IsFontInStandard14(baseFont) ? Standard14.GetAdobeFontMetrics(baseFont) : null;
        bool symbolic = metrics is not null && metrics.FontName is "Symbol" or "ZapfDingbats";

        // Glyph names by code: the /Encoding, over its base (or the Standard encoding for a non-embedded Latin
        // font); an embedded font without /Encoding has its names in the font program, which is not read.
        var names = new string?[256];
        bool complete = false;
        if (font.TryGet(NameToken.Encoding, scanner, out NameToken? named))
        {
            if (!PdfEncoding.TryGetNamedEncoding(named, out var encoding) || encoding is null) return null;
            complete = Fill(names, encoding);
        }
        else if (font.TryGet(NameToken.Encoding, scanner, out DictionaryToken? differences))
        {
            if (differences.TryGet(NameToken.BaseEncoding, scanner, out NameToken? baseName))
            {
                if (!PdfEncoding.TryGetNamedEncoding(baseName, out var baseEncoding) || baseEncoding is null) return null;
                complete = Fill(names, baseEncoding);
            }
            else if (!embedded && !symbolic && subtype != "TrueType")
                complete = Fill(names, StandardEncoding.Instance);
            if (differences.TryGet(NameToken.Differences, scanner, out ArrayToken? list)) ApplyDifferences(names, list, scanner);
        }
        else if (!embedded && !symbolic && subtype != "TrueType")
            complete = Fill(names, StandardEncoding.Instance);
        if (symbolic && toUnicode is null) return null;

        var widths = ReadWidths(font, descriptor, metrics, names, scanner);
        if (widths is null) return null;
        double ascent = DescriptorAscent(descriptor, scanner) ?? (metrics is { Ascender: > 0 } ? metrics.Ascender / 1000 : DefaultAscent);
        return new PdfTextFont(toUnicode, names, complete, widths, ascent);
    }

    private static bool Fill(string?[] names, PdfEncoding encoding)
    {
        foreach (var (code, name) in encoding.CodeToNameMap)
            if ((uint)code < 256) names[code] = name;
        return true;
    }

    private static void ApplyDifferences(string?[] names, ArrayToken differences, IPdfTokenScanner scanner)
    {
        int code = 0;
        foreach (var item in differences.Data)
        {
            if (DirectObjectFinder.TryGet(item, scanner, out NumericToken? start)) code = start.Int;
            else if (item is NameToken name)
            {
                if ((uint)code < 256) names[code] = name.Data;
                code++;
            }
        }
    }

    /// <summary>/FirstChar and /Widths (codes outside take /MissingWidth); the Standard 14 metrics for the fonts that may omit them.</summary>
    private static double[]? ReadWidths(DictionaryToken font, DictionaryToken? descriptor, UglyToad.PdfPig.Fonts.AdobeFontMetrics.AdobeFontMetrics? metrics,
        string?[] names, IPdfTokenScanner scanner)
    {
        var widths = new double[256];
        if (font.TryGet(NameToken.Widths, scanner, out ArrayToken? array))
        {
            int first = font.TryGet(NameToken.FirstChar, scanner, out NumericToken? f) ? f.Int : 0;
            double missing = descriptor is not null && descriptor.TryGet(NameToken.MissingWidth, scanner, out NumericToken? m) ? m.Double / 1000 : 0;
            Array.Fill(widths, missing);
            for (int i = 0; i < array.Length; i++)
                if ((uint)(first + i) < 256 && DirectObjectFinder.TryGet(array[i], scanner, out NumericToken? width))
                    widths[first + i] = width.Double / 1000;
            return widths;
        }
        if (metrics is null) return null;
        for (int code = 0; code < 256; code++)
            if (names[code] is { } name && metrics.CharacterMetrics.TryGetValue(name, out var metric))
                widths[code] = metric.Width.X / 1000;
        return widths;
    }

    private static double? DescriptorAscent(DictionaryToken? fontOrDescriptor, IPdfTokenScanner scanner)
    {
        var descriptor = fontOrDescriptor;
        if (descriptor is not null && descriptor.TryGet(NameToken.FontDescriptor, scanner, out DictionaryToken? nested)) descriptor = nested;
        if (descriptor is null) return null;
        if (descriptor.TryGet(NameToken.Ascent, scanner, out NumericToken? ascent) && ascent.Double > 0) return ascent.Double / 1000;
        if (descriptor.TryGet(NameToken.FontBbox, scanner, out ArrayToken? box) && box.Length == 4
            && DirectObjectFinder.TryGet(box[3], scanner, out NumericToken? top) && top.Double > 0)
            return top.Double / 1000;
        return null;
    }
}
