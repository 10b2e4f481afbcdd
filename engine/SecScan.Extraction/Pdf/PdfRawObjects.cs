using System.Globalization;
using UglyToad.PdfPig.Core;

namespace SecScan.Extraction.Pdf;

internal enum PdfRawKind : byte
{
    Number,
    Name,
    Reference,
    String,
    Array,
    Dictionary,
    Boolean,
    Null,
}

/// <summary>
/// One PDF object as <see cref="PdfRawObjects"/> read it, without allocating: for a number, the byte range of its
/// text (<see cref="PdfRawObjects.TryNumber"/>); for a name, the byte range of its characters after the slash; for
/// an array or a dictionary, the byte range between its delimiters; for a reference, its object and generation
/// numbers (<see cref="Reference"/>); for a boolean, <see cref="Flag"/> 1 for true.
/// </summary>
internal readonly record struct PdfRawValue(PdfRawKind Kind, byte Flag, int Start, int End)
{
    public IndirectReference Reference => new(Start, End);
}

/// <summary>
/// A reader of plain direct objects (ISO 32000-1 §7.3) straight from the file's bytes at the offsets of PdfPig's
/// cross-reference table, for the few small dictionaries the text layer asks for on every page (a CID font's Type 0
/// dictionary, its descendant with the /W widths, its descriptor). PdfPig's object scanner allocates a token per
/// number and grows a list per array: on a file whose pages each embed their own CID font, that was a quarter of the
/// extraction time.
/// </summary>
/// <remarks>
/// It decides nothing on its own: every method returns false for anything it does not read exactly as PdfPig would
/// (an object missing from the table or inside an object stream, a header that does not match the reference, a
/// stream, a name with # escapes, a malformed or over-deep object), and the caller then asks PdfPig. Every loop
/// advances through a bounded span, so no input can make it hang; nesting is bounded by <see cref="MaxDepth"/>.
/// Callers must not use it on encrypted documents (strings would be cipher text).
/// </remarks>
internal static class PdfRawObjects
{
    /// <summary>Arrays and dictionaries nested deeper than this are left to PdfPig.</summary>
    public const int MaxDepth = 32;

    /// <summary>The object <paramref name="reference"/> points at, when it is a plain direct object (not a stream).</summary>
    public static bool TryReadObject(ReadOnlySpan<byte> file, IReadOnlyDictionary<IndirectReference, XrefLocation> offsets,
        IndirectReference reference, out PdfRawValue value)
    {
        value = default;
        if (!offsets.TryGetValue(reference, out var location) || location.Type != XrefEntryType.File
            || location.Value1 < 0 || location.Value1 >= file.Length)
            return false;
        long offset = location.Value1;
        int p = (int)offset;
        if (!TryReadInteger(file, ref p, out long number) || number != reference.ObjectNumber
            || !TryReadInteger(file, ref p, out long generation) || generation != reference.Generation)
            return false;
        SkipWhite(file, ref p);
        if (!file[p..].StartsWith("obj"u8)) return false;
        p += 3;
        if (!TryRead(file, ref p, 0, out value)) return false;
        // "endobj" must follow: a dictionary followed by "stream" is a stream object, which is PdfPig's to read.
        SkipWhite(file, ref p);
        return file[p..].StartsWith("endobj"u8);
    }

    /// <summary>The last value of <paramref name="key"/> in a dictionary (PdfPig keeps the last of repeated keys).</summary>
    /// <returns>False when the key is absent or the dictionary cannot be read.</returns>
    public static bool TryGet(ReadOnlySpan<byte> file, in PdfRawValue dictionary, ReadOnlySpan<byte> key, out PdfRawValue value)
    {
        value = default;
        bool found = false;
        int p = dictionary.Start;
        while (true)
        {
            SkipWhite(file, ref p);
            if (p >= dictionary.End) return found;
            if (!TryRead(file, ref p, 1, out var name) || name.Kind != PdfRawKind.Name || !TryRead(file, ref p, 1, out var item))
                return false;
            if (file[name.Start..name.End].SequenceEqual(key))
            {
                value = item;
                found = true;
            }
        }
    }

    /// <summary>The next element of an array whose elements start at <paramref name="position"/>; false at its end or on an error.</summary>
    public static bool TryNext(ReadOnlySpan<byte> file, in PdfRawValue array, ref int position, out PdfRawValue value)
    {
        value = default;
        if (position < array.Start) position = array.Start;
        SkipWhite(file, ref position);
        return position < array.End && TryRead(file, ref position, 1, out value);
    }

    /// <summary>A number's value, as PdfPig's decimal; false when it is not a number or does not fit one.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> file, in PdfRawValue value, out decimal number)
    {
        number = 0;
        if (value.Kind != PdfRawKind.Number) return false;
        var text = file[value.Start..value.End];
        if (text.Length <= 18 && !text.Contains((byte)'.') && text[0] is >= (byte)'0' and <= (byte)'9')
        {
            long integer = 0;
            foreach (byte b in text) integer = integer * 10 + (b - '0');
            number = integer;
            return true;
        }
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Reads one object at <paramref name="p"/>, leaving <paramref name="p"/> after it.</summary>
    private static bool TryRead(ReadOnlySpan<byte> data, ref int p, int depth, out PdfRawValue value)
    {
        value = default;
        SkipWhite(data, ref p);
        if (p >= data.Length || depth > MaxDepth) return false;
        byte b = data[p];
        switch (b)
        {
            case (byte)'/':
            {
                int start = ++p;
                while (p < data.Length && IsRegular(data[p])) p++;
                // Escaped names (#xx) would need decoding to compare: left to PdfPig.
                if (data[start..p].Contains((byte)'#')) return false;
                value = new PdfRawValue(PdfRawKind.Name, 0, start, p);
                return true;
            }
            case (byte)'(':
            {
                int open = 0;
                for (; p < data.Length; p++)
                {
                    if (data[p] == '\\') p++;
                    else if (data[p] == '(') open++;
                    else if (data[p] == ')' && --open == 0)
                    {
                        p++;
                        value = new PdfRawValue(PdfRawKind.String, 0, 0, 0);
                        return true;
                    }
                }
                return false;
            }
            case (byte)'<' when p + 1 < data.Length && data[p + 1] == '<':
            {
                p += 2;
                int start = p;
                while (true)
                {
                    SkipWhite(data, ref p);
                    if (p + 1 < data.Length && data[p] == '>' && data[p + 1] == '>')
                    {
                        value = new PdfRawValue(PdfRawKind.Dictionary, 0, start, p);
                        p += 2;
                        return true;
                    }
                    if (!TryRead(data, ref p, depth + 1, out var key) || key.Kind != PdfRawKind.Name || !TryRead(data, ref p, depth + 1, out _))
                        return false;
                }
            }
            case (byte)'<':
            {
                int close = data[p..].IndexOf((byte)'>');
                if (close < 0) return false;
                p += close + 1;
                value = new PdfRawValue(PdfRawKind.String, 0, 0, 0);
                return true;
            }
            case (byte)'[':
            {
                int start = ++p;
                while (true)
                {
                    SkipWhite(data, ref p);
                    if (p < data.Length && data[p] == ']')
                    {
                        value = new PdfRawValue(PdfRawKind.Array, 0, start, p);
                        p++;
                        return true;
                    }
                    if (!TryRead(data, ref p, depth + 1, out _)) return false;
                }
            }
            case (byte)'+' or (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'):
            {
                // [+-]? digits ( . digits )?, or [+-]? . digits: the forms decimal.TryParse below accepts; the value itself
                // is parsed only when asked for (TryNumber), as most numbers read are skipped over.
                int start = p;
                if (data[p] is (byte)'+' or (byte)'-') p++;
                int digits = 0;
                bool point = false;
                long integer = 0;
                for (; p < data.Length; p++)
                {
                    if (data[p] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (++digits > 28) return false; // past decimal's precision: left to PdfPig
                        integer = integer * 10 + (data[p] - '0');
                    }
                    else if (data[p] == '.' && !point) point = true;
                    else break;
                }
                if (digits == 0 || (p < data.Length && IsRegular(data[p]))) return false; // "12abc", "--1", "1.2.3"
                value = new PdfRawValue(PdfRawKind.Number, 0, start, p);
                // "n g R" is a reference: two unsigned integers and R.
                int after = p;
                if (!point && data[start] is >= (byte)'0' and <= (byte)'9' && digits <= 10 && integer <= int.MaxValue
                    && TryReadInteger(data, ref after, out long generation) && generation <= ushort.MaxValue)
                {
                    SkipWhite(data, ref after);
                    if (after < data.Length && data[after] == 'R' && (after + 1 == data.Length || !IsRegular(data[after + 1])))
                    {
                        value = new PdfRawValue(PdfRawKind.Reference, 0, (int)integer, (int)generation);
                        p = after + 1;
                    }
                }
                return true;
            }
            default:
            {
                var rest = data[p..];
                foreach (var (word, kind) in s_keywords)
                    if (rest.StartsWith(word) && (rest.Length == word.Length || !IsRegular(rest[word.Length])))
                    {
                        p += word.Length;
                        value = new PdfRawValue(kind, (byte)(word[0] == 't' ? 1 : 0), 0, 0);
                        return true;
                    }
                return false;
            }
        }
    }

    private static readonly (byte[] Word, PdfRawKind Kind)[] s_keywords =
        [("true"u8.ToArray(), PdfRawKind.Boolean), ("false"u8.ToArray(), PdfRawKind.Boolean), ("null"u8.ToArray(), PdfRawKind.Null)];

    /// <summary>A run of digits after white space (no sign): object and generation numbers.</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> data, ref int p, out long value)
    {
        value = 0;
        SkipWhite(data, ref p);
        int start = p;
        while (p < data.Length && data[p] is >= (byte)'0' and <= (byte)'9' && p - start < 10) value = value * 10 + (data[p++] - '0');
        return p > start && (p == data.Length || !IsRegular(data[p]));
    }

    /// <summary>White space (§7.2.2) and comments.</summary>
    private static void SkipWhite(ReadOnlySpan<byte> data, ref int p)
    {
        while (p < data.Length)
        {
            if (PdfContentLexer.IsWhite(data[p])) p++;
            else if (data[p] == '%')
                while (p < data.Length && data[p] is not ((byte)'\r' or (byte)'\n')) p++;
            else return;
        }
    }

    private static bool IsRegular(byte b) => !PdfContentLexer.IsWhite(b) && b is not ((byte)'(' or (byte)')' or (byte)'<' or (byte)'>'
        or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%');
}
