using System.Buffers;

namespace SecScan.Extraction.Pdf;

/// <summary>Why <see cref="PdfContentLexer"/> stopped before the end of its data. Names a rule, never content.</summary>
internal enum PdfLexError : byte
{
    None,

    /// <summary>Arrays and dictionaries nested deeper than <see cref="PdfLexLimits.MaxDepth"/>.</summary>
    NestingTooDeep,

    /// <summary>More than <see cref="PdfLexLimits.MaxOperands"/> operands before an operator.</summary>
    TooManyOperands,

    /// <summary>A number, name or operator longer than <see cref="PdfLexLimits.MaxTokenBytes"/>.</summary>
    TokenTooLong,

    /// <summary>A string longer than <see cref="PdfLexLimits.MaxStringBytes"/>, or one operation's strings and names over <see cref="PdfLexLimits.MaxOperandBytes"/>.</summary>
    StringTooLong,

    /// <summary>A literal string whose closing parenthesis never comes.</summary>
    UnterminatedString,

    /// <summary>A hex string without its closing '&gt;', or with a byte that is neither a hex digit nor white space.</summary>
    BadHexString,

    /// <summary>An operator or the end of the data inside an open array.</summary>
    UnterminatedArray,

    /// <summary>An operator or the end of the data inside an open dictionary.</summary>
    UnterminatedDictionary,

    /// <summary>A ']', '&gt;&gt;', ')' or lone '&gt;' that closes nothing open.</summary>
    UnbalancedDelimiter,

    /// <summary>Inline image data (after ID) without a white-space-delimited EI.</summary>
    UnterminatedInlineImage,
}

/// <summary>
/// The bounds that turn hostile content into a <see cref="PdfLexError"/> instead of a hang or an unbounded
/// allocation. Memory is at most <see cref="MaxOperands"/> operands and <see cref="MaxOperandBytes"/> bytes.
/// </summary>
internal readonly record struct PdfLexLimits(int MaxDepth, int MaxOperands, int MaxTokenBytes, int MaxStringBytes, int MaxOperandBytes)
{
    /// <summary>
    /// For page and form content: no real writer nests beyond a handful, a TJ array of a long line holds a few
    /// hundred elements, names are at most 127 bytes (ISO 32000-1 Annex C) and shown strings are short.
    /// </summary>
    public static readonly PdfLexLimits Content = new(MaxDepth: 64, MaxOperands: 65_536, MaxTokenBytes: 256, MaxStringBytes: 1 << 20, MaxOperandBytes: 4 << 20);

    /// <summary>For CMaps: one bfchar section may list tens of thousands of pairs (the spec's 100 is not kept).</summary>
    public static readonly PdfLexLimits CMap = new(MaxDepth: 64, MaxOperands: 1 << 20, MaxTokenBytes: 256, MaxStringBytes: 1 << 16, MaxOperandBytes: 16 << 20);
}

internal enum PdfOperandKind : byte
{
    Number,
    Name,
    String,
    Array,
    Dictionary,
    Boolean,
    Null,
}

/// <summary>One operand. Names and strings are bytes in <see cref="PdfOperands"/>; composites are markers.</summary>
/// <param name="Kind">What the operand is.</param>
/// <param name="Depth">0 for an operand of the operator itself; n inside n open arrays or dictionaries.</param>
/// <param name="Number">A number's value; 1 or 0 for a boolean.</param>
/// <param name="Start">Name or string: offset of its (decoded) bytes in the operand bytes.</param>
/// <param name="Length">Name or string: its byte count. Array: how many operands follow the marker inside it (nested ones included).</param>
internal readonly record struct PdfOperand(PdfOperandKind Kind, byte Depth, double Number, int Start, int Length);

/// <summary>
/// The operands of the operation <see cref="PdfContentLexer"/> read last, on a stack reused from one operation
/// to the next (and shared by nested content, which runs only between two operations of its parent).
/// </summary>
/// <remarks>
/// Arrays are flat: a marker, then their elements in order (nested arrays likewise), so reading an operation
/// allocates nothing once the buffers have grown to the largest operation seen. A dictionary's entries are
/// dropped when it closes; only its marker stays, which is all BDC, DP and CMap operators need of it.
/// Invariant: <c>_count ≤ limits.MaxOperands</c>, <c>_byteCount ≤ limits.MaxOperandBytes</c>, and
/// <c>_open[0.._depth)</c> holds the marker indices of the arrays and dictionaries still open, outermost first.
/// </remarks>
internal sealed class PdfOperands
{
    private PdfOperand[] _items = new PdfOperand[64];
    private byte[] _bytes = new byte[1024];
    private int[] _open = new int[8];
    private int _count, _byteCount, _depth, _lastTopLevel = -1;

    public int Count => _count;

    public ref readonly PdfOperand this[int index] => ref _items.AsSpan(0, _count)[index];

    /// <summary>The bytes of a name (#xx escapes decoded) or string (escapes or hex decoded).</summary>
    public ReadOnlySpan<byte> Bytes(in PdfOperand operand) => _bytes.AsSpan(operand.Start, operand.Length);

    /// <summary>Index of the last operand at depth 0 (an array's marker once it has closed), or -1.</summary>
    public int LastTopLevel => _lastTopLevel;

    /// <summary>Arrays and dictionaries open now.</summary>
    internal int Depth => _depth;

    /// <summary>The kind of the innermost open composite.</summary>
    internal PdfOperandKind Innermost => _items[_open[_depth - 1]].Kind;

    internal void Clear()
    {
        _count = _byteCount = _depth = 0;
        _lastTopLevel = -1;
    }

    internal bool TryPush(PdfOperandKind kind, double number, int start, int length, in PdfLexLimits limits)
    {
        if (_count == limits.MaxOperands) return false;
        if (_count == _items.Length) Array.Resize(ref _items, Math.Min(_items.Length * 2, limits.MaxOperands));
        if (_depth == 0) _lastTopLevel = _count;
        _items[_count++] = new PdfOperand(kind, (byte)Math.Min(_depth, byte.MaxValue), number, start, length);
        return true;
    }

    internal bool TryOpen(PdfOperandKind kind, in PdfLexLimits limits)
    {
        if (_depth == limits.MaxDepth) return false;
        // The marker's Start remembers the byte count, so that a dictionary's bytes go when it closes.
        if (!TryPush(kind, 0, _byteCount, 0, limits)) return false;
        if (_depth == _open.Length) Array.Resize(ref _open, Math.Min(_open.Length * 2, limits.MaxDepth));
        _open[_depth++] = _count - 1;
        return true;
    }

    /// <returns>False when the innermost open composite is not of this kind (or none is open).</returns>
    internal bool TryClose(PdfOperandKind kind)
    {
        if (_depth == 0 || _items[_open[_depth - 1]].Kind != kind) return false;
        int marker = _open[--_depth];
        ref var item = ref _items[marker];
        if (kind == PdfOperandKind.Dictionary)
        {
            _count = marker + 1;
            _byteCount = item.Start;
            item = item with { Length = 0 };
        }
        else item = item with { Length = _count - marker - 1 };
        return true;
    }

    /// <summary>Room for <paramref name="length"/> more bytes; false past the operation's byte bound.</summary>
    internal bool TryReserve(int length, in PdfLexLimits limits)
    {
        long needed = (long)_byteCount + length;
        if (needed > limits.MaxOperandBytes) return false;
        if (needed > _bytes.Length) Array.Resize(ref _bytes, (int)Math.Min(Math.Max(needed, 2L * _bytes.Length), limits.MaxOperandBytes));
        return true;
    }

    /// <summary>The free bytes after the last operand's; <see cref="TryReserve"/> first.</summary>
    internal Span<byte> Free => _bytes.AsSpan(_byteCount);

    internal int ByteCount => _byteCount;

    internal void Commit(int length) => _byteCount += length;
}

/// <summary>
/// A PDF content-stream lexer (ISO 32000-1 §7.2 lexical conventions, §7.3 objects, §7.8.2 content streams,
/// §8.9.7 inline images) that reads one operation at a time: the operands onto a reusable
/// <see cref="PdfOperands"/> stack, the operator as a span of the data. Also reads CMaps (§9.10.3, a PostScript
/// subset with the same tokens). Allocates nothing once the stack's buffers have grown.
/// </summary>
/// <remarks>
/// <para>
/// Ours because PdfPig's tokenizer (<c>CoreTokenScanner</c>) allocates a token object per operand, a string per
/// operator behind a global lock and a list per array: on CID-font PDFs that was half of the extraction time.
/// PdfPig remains the parser of everything else: file structure, objects, streams and their filters,
/// encryption, metadata, attachments, font dictionaries, and the pages this lexer or the text layer refuses.
/// </para>
/// <para>
/// Tokens: white space is NUL, HT, LF, FF, CR, SP; delimiters are <c>( ) &lt; &gt; [ ] { } / %</c>; every other
/// byte is regular. A run of regular bytes is a number when it starts with a digit, sign or point (and stops at
/// the first byte that cannot continue one), else <c>true</c>, <c>false</c> or <c>null</c> (operands), else an
/// operator. <c>{</c> and <c>}</c> (PostScript procedures, only in CMaps) are skipped. A comment runs from
/// <c>%</c> to the end of its line.
/// </para>
/// <para>
/// Every byte is looked at a bounded number of times and every buffer is bounded by <see cref="PdfLexLimits"/>;
/// past a bound, or on a structure that cannot be read (an unterminated string, array or dictionary, a stray
/// closing delimiter, inline image data without EI), <see cref="ReadOperation"/> returns false with
/// <see cref="Error"/> set, and the caller refuses the page or the CMap. It never throws on any input.
/// </para>
/// </remarks>
internal ref struct PdfContentLexer
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly PdfOperands _operands;
    private readonly PdfLexLimits _limits;
    private int _position, _operatorStart, _operatorLength;

    public PdfContentLexer(ReadOnlySpan<byte> data, PdfOperands operands, in PdfLexLimits limits)
    {
        _data = data;
        _operands = operands;
        _limits = limits;
    }

    /// <summary>Why the last <see cref="ReadOperation"/> returned false before the end; <see cref="PdfLexError.None"/> at the end.</summary>
    public PdfLexError Error { get; private set; }

    /// <summary>The operator of the operation just read (for ID: after its data and EI were skipped).</summary>
    public readonly ReadOnlySpan<byte> Operator => _data.Slice(_operatorStart, _operatorLength);

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    // ISO 32000-1 Table 1 and Table 2.
    private const byte Regular = 0, White = 1, Delimiter = 2;

    private static readonly byte[] s_class = BuildClasses();

    /// <summary>Hex digit values; -1 for anything else.</summary>
    private static readonly sbyte[] s_hex = BuildHex();

    /// <summary>Bytes that end a plain run inside a literal string.</summary>
    private static readonly SearchValues<byte> s_literalSpecial = SearchValues.Create("()\\\r\n"u8);

    private static byte[] BuildClasses()
    {
        var classes = new byte[256];
        foreach (var b in "\0\t\n\f\r "u8) classes[b] = White;
        foreach (var b in "()<>[]{}/%"u8) classes[b] = Delimiter;
        return classes;
    }

    private static sbyte[] BuildHex()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < 10; i++) values['0' + i] = (sbyte)i;
        for (int i = 0; i < 6; i++) values['a' + i] = values['A' + i] = (sbyte)(10 + i);
        return values;
    }

    public static bool IsWhite(byte b) => s_class[b] == White;

    /// <summary>
    /// Reads operands up to and including the next operator.
    /// </summary>
    /// <returns>True with <see cref="Operator"/> and the operands set; false at the end of the data (operands left
    /// without an operator are dropped) or on an error (<see cref="Error"/>).</returns>
    public bool ReadOperation()
    {
        _operands.Clear();
        if (Error != PdfLexError.None) return false;
        var data = _data;
        while (true)
        {
            while (_position < data.Length && s_class[data[_position]] == White) _position++;
            if (_position >= data.Length)
            {
                if (_operands.Depth > 0) return Fail(Unterminated(_operands.Innermost));
                return false;
            }
            byte b = data[_position];
            bool ok;
            switch (b)
            {
                case (byte)'%':
                    int eol = data[_position..].IndexOfAny((byte)'\r', (byte)'\n');
                    _position = eol < 0 ? data.Length : _position + eol + 1;
                    continue;
                case (byte)'/':
                    ok = ReadName();
                    break;
                case (byte)'(':
                    ok = ReadLiteralString();
                    break;
                case (byte)'<':
                    if (_position + 1 < data.Length && data[_position + 1] == '<')
                    {
                        _position += 2;
                        if (!_operands.TryOpen(PdfOperandKind.Dictionary, _limits)) return Fail(OverflowError());
                        continue;
                    }
                    ok = ReadHexString();
                    break;
                case (byte)'>':
                    if (_position + 1 >= data.Length || data[_position + 1] != '>' || !_operands.TryClose(PdfOperandKind.Dictionary))
                        return Fail(PdfLexError.UnbalancedDelimiter);
                    _position += 2;
                    continue;
                case (byte)'[':
                    _position++;
                    if (!_operands.TryOpen(PdfOperandKind.Array, _limits)) return Fail(OverflowError());
                    continue;
                case (byte)']':
                    if (!_operands.TryClose(PdfOperandKind.Array)) return Fail(PdfLexError.UnbalancedDelimiter);
                    _position++;
                    continue;
                case (byte)'{' or (byte)'}':
                    _position++;
                    continue;
                case (byte)')':
                    return Fail(PdfLexError.UnbalancedDelimiter);
                case (byte)'+' or (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'):
                    ok = ReadNumber();
                    break;
                default:
                    int start = _position;
                    while (_position < data.Length && s_class[data[_position]] == Regular)
                        if (++_position - start > _limits.MaxTokenBytes) return Fail(PdfLexError.TokenTooLong);
                    var word = data[start.._position];
                    if (word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8))
                        ok = Push(PdfOperandKind.Boolean, word[0] == 't' ? 1 : 0, 0, 0);
                    else if (word.SequenceEqual("null"u8))
                        ok = Push(PdfOperandKind.Null, 0, 0, 0);
                    else
                    {
                        // An operator ends every open array and dictionary's chance to close (§7.8.2: operands are objects).
                        if (_operands.Depth > 0) return Fail(Unterminated(_operands.Innermost));
                        _operatorStart = start;
                        _operatorLength = word.Length;
                        return !word.SequenceEqual("ID"u8) || SkipInlineImageData();
                    }
                    break;
            }
            if (!ok) return false;
        }
    }

    private bool Fail(PdfLexError error)
    {
        Error = error;
        _operands.Clear();
        return false;
    }

    private readonly PdfLexError OverflowError() =>
        _operands.Depth == _limits.MaxDepth ? PdfLexError.NestingTooDeep : PdfLexError.TooManyOperands;

    private static PdfLexError Unterminated(PdfOperandKind kind) =>
        kind == PdfOperandKind.Array ? PdfLexError.UnterminatedArray : PdfLexError.UnterminatedDictionary;

    private bool Push(PdfOperandKind kind, double number, int start, int length) =>
        _operands.TryPush(kind, number, start, length, _limits) || Fail(PdfLexError.TooManyOperands);

    /// <summary>
    /// §7.3.3: optional sign, digits, at most one point, digits. Writers' slips are read as readers do: extra
    /// leading signs are ignored, and a second point or a sign inside the number ends its value (the rest of the
    /// run is consumed). A lone sign or point is 0.
    /// </summary>
    private bool ReadNumber()
    {
        var data = _data;
        int start = _position;
        bool negative = false;
        while (_position < data.Length && data[_position] is (byte)'+' or (byte)'-')
            negative |= data[_position++] == '-';
        // Invariant: mantissa < 10^18, so it is exact; digits past that only scale it.
        long mantissa = 0;
        int scale = 0, exponent = 0;
        bool fraction = false, ended = false;
        for (; _position < data.Length; _position++)
        {
            byte b = data[_position];
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (ended) continue;
                if (mantissa < 100_000_000_000_000_000L)
                {
                    mantissa = mantissa * 10 + (b - '0');
                    if (fraction) scale++;
                }
                else if (!fraction) exponent++;
            }
            else if (b == '.')
            {
                ended |= fraction;
                fraction = true;
            }
            else if (b is (byte)'+' or (byte)'-') ended = true;
            else break;
            if (_position - start >= _limits.MaxTokenBytes) return Fail(PdfLexError.TokenTooLong);
        }
        // mantissa and 10^scale are exact doubles for scale ≤ 22, so the quotient is correctly rounded.
        double value = scale == 0 ? mantissa : scale <= 22 ? mantissa / Pow10[scale] : mantissa / Math.Pow(10, scale);
        if (exponent > 0) value *= Math.Pow(10, exponent);
        return Push(PdfOperandKind.Number, negative ? -value : value, 0, 0);
    }

    private static ReadOnlySpan<double> Pow10 =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>§7.3.5: '/' and regular bytes; #xx is the byte xx (a '#' not followed by two hex digits is itself).</summary>
    private bool ReadName()
    {
        var data = _data;
        int from = ++_position;
        while (_position < data.Length && s_class[data[_position]] == Regular) _position++;
        var raw = data[from.._position];
        if (raw.Length > _limits.MaxTokenBytes) return Fail(PdfLexError.TokenTooLong);
        if (!_operands.TryReserve(raw.Length, _limits)) return Fail(PdfLexError.StringTooLong);
        var into = _operands.Free;
        int length = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && i + 2 < raw.Length && s_hex[raw[i + 1]] >= 0 && s_hex[raw[i + 2]] >= 0)
            {
                into[length++] = (byte)((byte)s_hex[raw[i + 1]] << 4 | (byte)s_hex[raw[i + 2]]);
                i += 2;
            }
            else into[length++] = raw[i];
        }
        int start = _operands.ByteCount;
        _operands.Commit(length);
        return Push(PdfOperandKind.Name, 0, start, length);
    }

    /// <summary>
    /// §7.3.4.2: balanced unescaped parentheses nest; <c>\n \r \t \b \f \( \) \\</c>, <c>\ddd</c> (one to three
    /// octal digits, high-order overflow ignored), a backslash before an end of line continues the string without
    /// it, a backslash before anything else is dropped; an unescaped CR, CR LF or LF is read as one LF.
    /// </summary>
    private bool ReadLiteralString()
    {
        var data = _data;
        int startByte = _operands.ByteCount, length = 0, nesting = 1;
        _position++;
        while (true)
        {
            int run = data[_position..].IndexOfAny(s_literalSpecial);
            if (run < 0) return Fail(PdfLexError.UnterminatedString);
            if (!Append(data.Slice(_position, run), ref length)) return false;
            _position += run;
            byte b = data[_position++];
            switch (b)
            {
                case (byte)'(':
                    nesting++;
                    if (!Append(b, ref length)) return false;
                    break;
                case (byte)')':
                    if (--nesting == 0)
                    {
                        _operands.Commit(length);
                        return Push(PdfOperandKind.String, 0, startByte, length);
                    }
                    if (!Append(b, ref length)) return false;
                    break;
                case (byte)'\r' or (byte)'\n':
                    if (b == '\r' && _position < data.Length && data[_position] == '\n') _position++;
                    if (!Append((byte)'\n', ref length)) return false;
                    break;
                default: // backslash
                    if (_position >= data.Length) return Fail(PdfLexError.UnterminatedString);
                    byte e = data[_position++];
                    int value;
                    switch (e)
                    {
                        case (byte)'n': value = '\n'; break;
                        case (byte)'r': value = '\r'; break;
                        case (byte)'t': value = '\t'; break;
                        case (byte)'b': value = '\b'; break;
                        case (byte)'f': value = '\f'; break;
                        case (byte)'\r':
                            if (_position < data.Length && data[_position] == '\n') _position++;
                            continue;
                        case (byte)'\n':
                            continue;
                        case >= (byte)'0' and <= (byte)'7':
                            value = e - '0';
                            for (int digits = 1; digits < 3 && _position < data.Length && data[_position] is >= (byte)'0' and <= (byte)'7'; digits++)
                                value = value * 8 + (data[_position++] - '0');
                            break;
                        default: value = e; break; // \( \) \\ and any other byte stand for themselves
                    }
                    if (!Append((byte)value, ref length)) return false;
                    break;
            }
        }
    }

    private bool Append(byte b, ref int length)
    {
        if (!Room(1, length)) return false;
        _operands.Free[length++] = b;
        return true;
    }

    private bool Append(ReadOnlySpan<byte> run, ref int length)
    {
        if (run.IsEmpty) return true;
        if (!Room(run.Length, length)) return false;
        run.CopyTo(_operands.Free[length..]);
        length += run.Length;
        return true;
    }

    /// <summary>Room for <paramref name="more"/> bytes after the <paramref name="length"/> written but not committed.</summary>
    private bool Room(int more, int length)
    {
        if (length + (long)more > _limits.MaxStringBytes || !_operands.TryReserve(length + more, _limits))
            return Fail(PdfLexError.StringTooLong);
        return true;
    }

    /// <summary>§7.3.4.3: hex digit pairs between '&lt;' and '&gt;', white space ignored; an odd last digit is followed by 0.</summary>
    private bool ReadHexString()
    {
        var data = _data;
        int close = data[(_position + 1)..].IndexOf((byte)'>');
        if (close < 0) return Fail(PdfLexError.BadHexString);
        var digits = data.Slice(_position + 1, close);
        _position += close + 2;
        int most = (digits.Length + 1) / 2;
        if (most > _limits.MaxStringBytes) return Fail(PdfLexError.StringTooLong);
        if (!_operands.TryReserve(most, _limits)) return Fail(PdfLexError.StringTooLong);
        var into = _operands.Free;
        int length = 0, high = -1;
        foreach (var d in digits)
        {
            int v = s_hex[d];
            if (v < 0)
            {
                if (s_class[d] == White) continue;
                return Fail(PdfLexError.BadHexString);
            }
            if (high < 0) high = v;
            else
            {
                into[length++] = (byte)(high << 4 | v);
                high = -1;
            }
        }
        if (high >= 0) into[length++] = (byte)(high << 4);
        int start = _operands.ByteCount;
        _operands.Commit(length);
        return Push(PdfOperandKind.String, 0, start, length);
    }

    /// <summary>
    /// §8.9.7: after ID and one white-space byte come the image's bytes, then EI. The data may hold any bytes,
    /// "EI" included, so EI counts only with white space before it and white space or the end of the data after
    /// it, as writers emit it. The operands (the image dictionary's entries) stay for the caller.
    /// </summary>
    private bool SkipInlineImageData()
    {
        var data = _data;
        // The single white-space byte after ID belongs to the operator; a writer that omits it starts the data at once.
        int from = _position < data.Length && s_class[data[_position]] == White ? _position + 1 : _position;
        for (int at = from; at <= data.Length - 2;)
        {
            int hit = data[at..].IndexOf("EI"u8);
            if (hit < 0) break;
            int e = at + hit;
            if (e - 1 >= _position && s_class[data[e - 1]] == White && (e + 2 == data.Length || s_class[data[e + 2]] == White))
            {
                _position = e + 2;
                return true;
            }
            at = e + 1;
        }
        return Fail(PdfLexError.UnterminatedInlineImage);
    }
}
