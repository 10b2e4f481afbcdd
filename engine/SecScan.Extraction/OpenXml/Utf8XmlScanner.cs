using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace SecScan.Extraction.OpenXml;

/// <summary>The namespaces the OOXML readers act on; any other declared namespace is <see cref="Other"/>.</summary>
internal enum XmlNs : byte
{
    /// <summary>No namespace: an unprefixed attribute, or an element with no default namespace in scope.</summary>
    None,
    Other,
    /// <summary>WordprocessingML, transitional.</summary>
    W,
    /// <summary>WordprocessingML, strict (ISO 29500 strict).</summary>
    WStrict,
    /// <summary>Markup compatibility (mc:AlternateContent).</summary>
    Mc,
    /// <summary>DrawingML main (a:blip).</summary>
    A,
    /// <summary>VML (v:imagedata).</summary>
    V,
    /// <summary>Office VML extensions (o:OLEObject).</summary>
    O,
    /// <summary>The predefined xml: prefix.</summary>
    Xml,
    /// <summary>OPC relationships parts (_rels/*.rels).</summary>
    Relationships,
    /// <summary>OPC [Content_Types].xml.</summary>
    ContentTypes,
}

internal enum XmlToken : byte
{
    None,
    StartElement,
    EndElement,
    /// <summary>Character data between tags, entity and character references not yet expanded.</summary>
    Text,
    /// <summary>The inside of a CDATA section: taken literally.</summary>
    CData,
}

/// <summary>
/// A pull tokenizer for XML over UTF-8 bytes held in memory: the part of XML that OOXML parts use, with names
/// resolved through the namespace declarations actually present (a document may bind WordprocessingML to
/// <c>ns0:</c> as well as <c>w:</c>). It allocates nothing per token: names, attributes and text are slices of
/// the input, and text is decoded to UTF-16 only when a reader asks for it (<see cref="XmlCharData"/>).
/// </summary>
/// <remarks>
/// <para>What it checks, so that damaged markup stops the part with an <see cref="XmlException"/> (a Corrupt note
/// for that part) rather than yielding invented structure: every start tag has its end tag with the same
/// qualified name; one root element; element prefixes are declared (xml: is predefined); attribute syntax (name,
/// '=', quoted value without '&lt;'); comments, processing instructions and CDATA sections are terminated; no
/// character data outside the root but whitespace. A DOCTYPE is refused outright ("DTDs are prohibited", as
/// <see cref="XmlReader"/> with <see cref="DtdProcessing.Prohibit"/> refuses it), so no entity is ever
/// declared and entity-expansion attacks cannot start.</para>
/// <para>What it does not check, being a reader of text and not a validator: the characters allowed in names,
/// duplicate attributes, attribute prefixes nobody asks about, and control characters in text that is skipped.
/// Such input is read as far as it goes where <see cref="XmlReader"/> would stop.</para>
/// <para>Comments, processing instructions (the XML declaration included) and whitespace between the root and
/// the end are skipped. The encoding is UTF-8: callers transcode other encodings first
/// (<see cref="XmlEncoding.ToUtf8"/>).</para>
/// <para>In <c>truncated</c> mode the input is a prefix of the part (a size limit cut it): running out of input,
/// even inside a tag, ends the token stream quietly and leaves elements open, so that the text before the cut
/// is still read.</para>
/// <para>The hot methods are compiled fully optimized on first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): a CLI process that scans a handful of files would
/// otherwise tokenize them with tier-0 code, several times slower than the ReadyToRun XmlReader it replaces.</para>
/// </remarks>
internal ref struct Utf8XmlScanner
{
    private readonly ReadOnlySpan<byte> _xml;
    private readonly XmlScanState _state;
    private readonly bool _truncated;

    // Invariant: _pos is the offset of the first byte not yet consumed; every token lies in _xml[.._pos].
    private int _pos;
    // Invariant: _open == the number of elements started and not yet ended == _state's open-element count.
    private int _open;
    private bool _seenRoot;
    // Bindings of an empty element stay in scope until the next Read, so that its attributes can still be resolved.
    private int _bindingsToKeep = -1;

    private int _localStart, _localLength;
    private int _textStart, _textLength;

    public Utf8XmlScanner(ReadOnlySpan<byte> xml, XmlScanState state, bool truncated = false)
    {
        _xml = xml;
        _state = state;
        _truncated = truncated;
        state.Reset();
        // A UTF-8 byte order mark is not content.
        if (xml.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _pos = 3;
    }

    public XmlToken Token { get; private set; }

    /// <summary>The element's depth: the root is 0. For text, the depth of the element that contains it plus one.</summary>
    public int Depth { get; private set; }

    /// <summary>The namespace of the current start or end tag.</summary>
    public XmlNs Namespace { get; private set; }

    /// <summary>The local name of the current start or end tag.</summary>
    public readonly ReadOnlySpan<byte> LocalName => _xml.Slice(_localStart, _localLength);

    /// <summary>The current start tag ends with "/&gt;": no content and no end tag follow.</summary>
    public bool IsEmptyElement { get; private set; }

    /// <summary>The raw bytes of the current <see cref="XmlToken.Text"/> or <see cref="XmlToken.CData"/> token.</summary>
    public readonly ReadOnlySpan<byte> RawText => _xml.Slice(_textStart, _textLength);

    /// <summary>
    /// Decodes the current text token from byte <paramref name="consumed"/> of <see cref="RawText"/> on, as far as
    /// <paramref name="destination"/> holds, and advances <paramref name="consumed"/>. Call until it reaches
    /// RawText.Length; a destination of at least 2 characters always makes progress.
    /// </summary>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="XmlException">Invalid UTF-8, or a malformed or undeclared reference.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly int DecodeText(ref int consumed, Span<char> destination)
    {
        var raw = RawText[consumed..];
        int written = XmlCharData.Decode(ref raw, Token == XmlToken.Text, destination, _textStart + consumed, _xml);
        consumed = _textLength - raw.Length;
        return written;
    }

    /// <summary>The offset just past the last token: how far the input was read.</summary>
    public readonly int Position => _pos;

    /// <summary>Moves to the next token; false at the end of the input.</summary>
    /// <exception cref="XmlException">The markup is malformed, or declares a DTD.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        if (_bindingsToKeep >= 0)
        {
            _state.PopBindings(_bindingsToKeep);
            _bindingsToKeep = -1;
        }
        while (true)
        {
            if (_pos >= _xml.Length) return AtEnd();
            if (_xml[_pos] != (byte)'<')
            {
                int lt = _xml[_pos..].IndexOf((byte)'<');
                int end = lt < 0 ? _xml.Length : _pos + lt;
                if (lt < 0 && _truncated)
                {
                    // Text cut by the limit may end inside a character: dropped.
                    _pos = end;
                    return AtEnd();
                }
                if (_open == 0)
                {
                    if (_xml[_pos..end].IndexOfAnyExcept(" \t\r\n"u8) >= 0) throw Malformed(_pos, "text outside the root element");
                    _pos = end;
                    continue;
                }
                SetText(XmlToken.Text, _pos, end - _pos);
                _pos = end;
                return true;
            }
            if (_pos + 1 >= _xml.Length) return Cut();
            switch (_xml[_pos + 1])
            {
                case (byte)'/':
                    return ReadEndTag();
                case (byte)'?':
                    if (!SkipPast(_pos + 2, "?>"u8)) return Cut();
                    continue;
                case (byte)'!':
                    var rest = _xml[_pos..];
                    if (rest.StartsWith("<!--"u8))
                    {
                        if (!SkipPast(_pos + 4, "-->"u8)) return Cut();
                        continue;
                    }
                    if (rest.StartsWith("<![CDATA["u8))
                    {
                        if (_open == 0) throw Malformed(_pos, "CDATA outside the root element");
                        int start = _pos + 9;
                        int close = _xml[start..].IndexOf("]]>"u8);
                        if (close < 0) return Cut();
                        SetText(XmlToken.CData, start, close);
                        _pos = start + close + 3;
                        return true;
                    }
                    if (rest.StartsWith("<!DOCTYPE"u8))
                        throw Malformed(_pos, "DTDs are prohibited: a DOCTYPE declaration was found");
                    if (rest.Length < 9) return Cut();
                    throw Malformed(_pos, "unexpected markup declaration");
                default:
                    return ReadStartTag();
            }
        }
    }

    /// <summary>
    /// The fused path over LibreOffice's usual run, called on the start tag of a non-empty run element (local name
    /// "r"): matches, byte for byte and with the run's own prefix, an optional empty run-properties element
    /// (<c>&lt;w:rPr&gt;&lt;/w:rPr&gt;</c> or <c>&lt;w:rPr/&gt;</c>), then <c>&lt;w:t&gt;</c> or
    /// <c>&lt;w:t xml:space="preserve"&gt;</c>, character data up to the next '&lt;', <c>&lt;/w:t&gt;</c> and
    /// <c>&lt;/w:r&gt;</c>. On a match the run is closed and consumed, and the current token is its text (possibly
    /// empty, at the depth <see cref="Read"/> would give it), decoded with <see cref="DecodeText"/> as Read's would
    /// be; the next Read continues after the run's end tag. Anything else consumes nothing and returns false.
    /// </summary>
    /// <remarks>
    /// The tags matched hold no namespace declaration and repeat the run's prefix, so they resolve to the run's
    /// namespace; they are well-formed as written, so Read would accept them and give the same tokens: the same
    /// text span (Read's text also ends at the first '&lt;'), and the same open elements afterwards.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadPlainRun()
    {
        if (Token != XmlToken.StartElement || IsEmptyElement || _open == 0) return false;
        ref readonly var run = ref _state.Top;
        if (run.LocalLength != 1 || _xml[run.LocalStart] != (byte)'r') return false;
        // "w:" for "w:r", empty for an unprefixed run.
        var prefix = _xml.Slice(run.NameStart, run.NameLength - 1);
        int p = _pos;
        if (Tag(ref p, "<"u8, prefix, "rPr>"u8))
        {
            if (!Tag(ref p, "</"u8, prefix, "rPr>"u8)) return false;
        }
        else Tag(ref p, "<"u8, prefix, "rPr/>"u8);
        if (!Tag(ref p, "<"u8, prefix, "t>"u8) && !Tag(ref p, "<"u8, prefix, "t xml:space=\"preserve\">"u8)) return false;
        int textStart = p;
        int lt = _xml[p..].IndexOf((byte)'<');
        if (lt < 0) return false;
        p += lt;
        if (!Tag(ref p, "</"u8, prefix, "t>"u8) || !Tag(ref p, "</"u8, prefix, "r>"u8)) return false;
        _state.PopElement();
        _open--;
        Token = XmlToken.Text;
        Depth = _open + 2;
        _textStart = textStart;
        _textLength = lt;
        _pos = p;
        return true;
    }

    /// <summary>Whether <paramref name="open"/>, <paramref name="prefix"/> and <paramref name="rest"/> follow at <paramref name="p"/>; moves past them if so.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool Tag(ref int p, ReadOnlySpan<byte> open, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> rest)
    {
        var s = _xml[p..];
        int length = open.Length + prefix.Length + rest.Length;
        if (s.Length < length || !s.StartsWith(open) || !s[open.Length..].StartsWith(prefix) || !s[(open.Length + prefix.Length)..].StartsWith(rest))
            return false;
        p += length;
        return true;
    }

    /// <summary>
    /// Consumes the content and end tag of the current start tag (nothing for an empty element). Well-formedness
    /// is still checked inside; text is not decoded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Skip()
    {
        if (Token != XmlToken.StartElement || IsEmptyElement) return;
        int depth = Depth;
        while (Read())
            if (Token == XmlToken.EndElement && Depth == depth) return;
    }

    /// <summary>
    /// The fast path over the content of the current start tag, for subtrees a reader ignores (formatting
    /// properties): moves to its end tag, which becomes the current token, without recording attributes, decoding
    /// text or resolving names. It gives up, consuming nothing, as soon as the content holds an element whose local
    /// name is in <paramref name="stops"/> (whatever its prefix), or anything the full reader might reject or read
    /// differently; the caller then reads the content token by token as before.
    /// </summary>
    /// <remarks>
    /// <para>It checks what <see cref="Read"/> checks, and gives up where Read would throw or stop: every end tag
    /// inside must match its start tag, every element prefix must be declared before the subtree, attribute syntax
    /// must hold (a '&gt;' inside a quoted value is taken for what it is, a '&lt;' is damage), comments,
    /// processing instructions and CDATA sections must be terminated; a DOCTYPE, a namespace declaration inside the
    /// subtree and the end of the input (a truncated part) also make it give up. So the fallback meets any damage
    /// exactly where the full reader would, and the output is the same with or without the skip.</para>
    /// <para>Why it pays although it still visits every byte: nothing is recorded per attribute or element, and
    /// the caller's per-token work (name lookups, state checks) is not done for the skipped tokens.</para>
    /// <para>The last content skipped is remembered (<see cref="XmlScanState.SkipMemo"/>): writers repeat one
    /// formatting block byte for byte (LibreOffice the same w:pPr on every paragraph), and content equal to it,
    /// under an element of the same name, with the same stops and the same namespace bindings in scope, gets the
    /// same answer, so one compare of the bytes replaces the walk.</para>
    /// </remarks>
    /// <returns>True when the content was skipped and the current token is the element's end tag.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TrySkipContent(XmlNameSet stops)
    {
        if (Token != XmlToken.StartElement || IsEmptyElement) return false;
        var xml = _xml;
        int contentStart = _pos;
        if (_state.SkipMemo(stops) is var (memoStart, memoLength, memoNameStart, memoNameLength)
            && _state.Top.NameLength == memoNameLength && contentStart <= xml.Length - memoLength
            && xml.Slice(_state.Top.NameStart, memoNameLength).SequenceEqual(xml.Slice(memoNameStart, memoNameLength))
            && xml.Slice(contentStart, memoLength).SequenceEqual(xml.Slice(memoStart, memoLength)))
        {
            // The remembered bytes end with the end tag "</name>": stop at its '<'.
            _pos = contentStart + memoLength - (memoNameLength + 3);
            return ReadEndTag();
        }
        // The names of the elements open inside the subtree, as (start, length) pairs.
        var names = _state.SkipNames;
        int depth = 0;
        int p = _pos;
        int declaredStart = 0, declaredLength = 0;
        while (true)
        {
            if (p >= xml.Length) return false;
            if (xml[p] != (byte)'<')
            {
                int lt = xml[p..].IndexOf((byte)'<');
                if (lt < 0) return false;
                p += lt;
            }
            if (p + 1 >= xml.Length) return false;
            byte next = xml[p + 1];
            if (next == (byte)'/')
            {
                int nameStart = p + 2;
                // As in ReadEndTag: the open name byte for byte, then '>', is a match without looking further.
                int openStart = depth == 0 ? _state.Top.NameStart : names[2 * depth - 2];
                int openLength = depth == 0 ? _state.Top.NameLength : names[2 * depth - 1];
                int after = nameStart + openLength;
                if (after < xml.Length && xml[after] == (byte)'>' && SameBytes(nameStart, openStart, openLength))
                {
                    if (depth == 0)
                    {
                        _state.RememberSkip(stops, contentStart, after + 1 - contentStart, openStart, openLength);
                        _pos = p;
                        return ReadEndTag();
                    }
                    depth--;
                    p = after + 1;
                    continue;
                }
                int nameEnd = NameEnd(nameStart);
                int close = SkipSpace(nameEnd);
                if (close >= xml.Length || xml[close] != (byte)'>') return false;
                var name = xml[nameStart..nameEnd];
                if (depth == 0)
                {
                    ref readonly var open = ref _state.Top;
                    if (!name.SequenceEqual(xml.Slice(open.NameStart, open.NameLength))) return false;
                    _pos = p;
                    return ReadEndTag();
                }
                depth--;
                if (!name.SequenceEqual(xml.Slice(names[2 * depth], names[2 * depth + 1]))) return false;
                p = close + 1;
                continue;
            }
            if (next == (byte)'!')
            {
                var rest = xml[p..];
                int end;
                if (rest.StartsWith("<!--"u8)) end = IndexAfter(p + 4, "-->"u8);
                else if (rest.StartsWith("<![CDATA["u8)) end = IndexAfter(p + 9, "]]>"u8);
                else return false;
                if (end < 0) return false;
                p = end;
                continue;
            }
            if (next == (byte)'?')
            {
                int end = IndexAfter(p + 2, "?>"u8);
                if (end < 0) return false;
                p = end;
                continue;
            }

            int qnameStart = p + 1;
            int qnameEnd = NameEnd(qnameStart, out int colon);
            var local = xml[(colon < 0 ? qnameStart : colon + 1)..qnameEnd];
            if (local.IsEmpty || stops.Contains(local)) return false;
            if (colon >= 0)
            {
                // Bindings do not change during the skip: a prefix checked once stays declared.
                var prefix = xml[qnameStart..colon];
                bool same = prefix.Length == declaredLength
                    && (declaredLength == 1 ? prefix[0] == xml[declaredStart] : prefix.SequenceEqual(xml.Slice(declaredStart, declaredLength)));
                if (declaredLength == 0 || !same)
                {
                    if (!IsDeclared(prefix)) return false;
                    (declaredStart, declaredLength) = (qnameStart, colon - qnameStart);
                }
            }
            // The attributes, checked as ReadStartTag checks them but not kept. A namespace declaration would have
            // to be tracked for the names inside: the full reader does that.
            int i = qnameEnd;
            bool empty;
            while (true)
            {
                int afterName = i;
                i = SkipSpace(i);
                if (i >= xml.Length) return false;
                byte b = xml[i];
                if (b == (byte)'>') { empty = false; break; }
                if (b == (byte)'/')
                {
                    if (i + 1 >= xml.Length || xml[i + 1] != (byte)'>') return false;
                    i++;
                    empty = true;
                    break;
                }
                if (i == afterName) return false;
                int attributeStart = i;
                i = NameEnd(i);
                int attributeNameLength = i - attributeStart;
                i = SkipSpace(i);
                if (i >= xml.Length || attributeNameLength == 0 || xml[i] != (byte)'=') return false;
                i = SkipSpace(i + 1);
                if (i >= xml.Length) return false;
                byte quote = xml[i];
                if (quote is not ((byte)'"' or (byte)'\'')) return false;
                i = QuoteOrLt(xml, i + 1, quote);
                if (i >= xml.Length || xml[i] == (byte)'<') return false;
                if (xml.Slice(attributeStart, attributeNameLength).StartsWith("xmlns"u8)) return false;
                i++;
            }
            if (!empty)
            {
                if (2 * depth + 2 > names.Length) names = _state.GrowSkipNames();
                names[2 * depth] = qnameStart;
                names[2 * depth + 1] = qnameEnd - qnameStart;
                depth++;
            }
            p = i + 1;
        }
    }

    /// <summary>The offset just past the first <paramref name="terminator"/> at or after <paramref name="from"/>, or -1.</summary>
    private readonly int IndexAfter(int from, ReadOnlySpan<byte> terminator)
    {
        int at = _xml[from..].IndexOf(terminator);
        return at < 0 ? -1 : from + at + terminator.Length;
    }

    /// <summary>Whether <see cref="Resolve"/> would accept the element prefix, without throwing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly bool IsDeclared(ReadOnlySpan<byte> prefix) =>
        prefix.SequenceEqual("xml"u8) || prefix.SequenceEqual("xmlns"u8) || _state.TryResolve(_xml, prefix, out _);

    /// <summary>
    /// The value of an attribute of the current start tag, entity references expanded and whitespace characters
    /// normalized to spaces (as XML attribute-value normalization does), written to <paramref name="value"/>.
    /// Unprefixed attributes are in no namespace (<see cref="XmlNs.None"/>).
    /// </summary>
    /// <returns>False when the attribute is absent, or its value does not fit in <paramref name="value"/>.</returns>
    /// <exception cref="XmlException">The value holds a malformed reference, or the attribute's prefix is undeclared.</exception>
    public readonly bool TryGetAttribute(XmlNs ns, ReadOnlySpan<byte> localName, Span<char> value, out int length)
    {
        length = 0;
        var attributes = _state.Attributes;
        for (int i = 0; i < _state.AttributeCount; i++)
        {
            ref readonly var a = ref attributes[i];
            var name = _xml.Slice(a.NameStart, a.NameLength);
            int colon = name.IndexOf((byte)':');
            if (!name[(colon + 1)..].SequenceEqual(localName)) continue;
            var attributeNs = colon < 0 ? XmlNs.None : Resolve(name[..colon], a.NameStart);
            if (attributeNs != ns) continue;
            return XmlCharData.TryDecodeAttribute(_xml.Slice(a.ValueStart, a.ValueLength), value, out length, a.ValueStart, _xml);
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadStartTag()
    {
        int p = _pos + 1;
        int nameStart = p;
        p = NameEnd(p, out int colonAt);
        if (p >= _xml.Length) return Cut();
        int nameLength = p - nameStart;
        if (nameLength == 0) throw Malformed(_pos, "a start tag without a name");
        if (_open == 0 && _seenRoot) throw Malformed(_pos, "more than one root element");

        _state.AttributeCount = 0;
        int bindingsBefore = _state.BindingCount;
        bool empty;
        while (true)
        {
            int afterName = p;
            p = SkipSpace(p);
            if (p >= _xml.Length) return Cut();
            byte b = _xml[p];
            if (b == (byte)'>') { p++; empty = false; break; }
            if (b == (byte)'/')
            {
                if (p + 1 >= _xml.Length) return Cut();
                if (_xml[p + 1] != (byte)'>') throw Malformed(p, "'/' not followed by '>' in a start tag");
                p += 2;
                empty = true;
                break;
            }
            if (p == afterName) throw Malformed(p, "attributes must be separated by whitespace");
            int attributeStart = p;
            p = NameEnd(p);
            int attributeNameLength = p - attributeStart;
            p = SkipSpace(p);
            if (p >= _xml.Length) return Cut();
            if (attributeNameLength == 0 || _xml[p] != (byte)'=') throw Malformed(p, "an attribute without '='");
            p = SkipSpace(p + 1);
            if (p >= _xml.Length) return Cut();
            byte quote = _xml[p];
            if (quote is not ((byte)'"' or (byte)'\'')) throw Malformed(p, "an attribute value without quotes");
            int valueStart = p + 1;
            int end = QuoteOrLt(_xml, valueStart, quote);
            if (end == _xml.Length) return Cut();
            if (_xml[end] == (byte)'<') throw Malformed(end, "'<' in an attribute value");
            int close = end - valueStart;
            _state.AddAttribute(attributeStart, attributeNameLength, valueStart, close);
            p = valueStart + close + 1;
            if (IsNamespaceDeclaration(_xml.Slice(attributeStart, attributeNameLength), out int prefixStart, out int prefixLength))
                _state.PushBinding(attributeStart + prefixStart, prefixLength, NamespaceOf(_xml.Slice(valueStart, close), valueStart));
        }

        var qname = _xml.Slice(nameStart, nameLength);
        int colon = colonAt < 0 ? -1 : colonAt - nameStart;
        var ns = colon < 0 ? _state.DefaultNamespace(_xml) : Resolve(qname[..colon], nameStart);
        _localStart = nameStart + colon + 1;
        _localLength = nameLength - colon - 1;
        if (_localLength == 0) throw Malformed(nameStart, "an element name ending in ':'");
        Namespace = ns;
        Token = XmlToken.StartElement;
        Depth = _open;
        IsEmptyElement = empty;
        _seenRoot = true;
        _pos = p;
        if (empty) _bindingsToKeep = bindingsBefore;
        else
        {
            _state.PushElement(nameStart, nameLength, _localStart, _localLength, ns, bindingsBefore);
            _open++;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadEndTag()
    {
        int nameStart = _pos + 2;
        int p;
        if (_open > 0)
        {
            // The usual case: the open element's name byte for byte, then '>'. That name holds no terminator, so the
            // general path below would find the same name end, no space and the same match.
            ref readonly var top = ref _state.Top;
            p = nameStart + top.NameLength;
            if (p < _xml.Length && _xml[p] == (byte)'>' && SameBytes(nameStart, top.NameStart, top.NameLength))
                return EndTag(in top, p);
        }
        p = NameEnd(nameStart);
        int nameLength = p - nameStart;
        p = SkipSpace(p);
        if (p >= _xml.Length) return Cut();
        if (_xml[p] != (byte)'>') throw Malformed(p, "an end tag without '>'");
        if (_open == 0) throw Malformed(_pos, "an end tag with no element open");
        ref readonly var open = ref _state.Top;
        if (!_xml.Slice(nameStart, nameLength).SequenceEqual(_xml.Slice(open.NameStart, open.NameLength)))
            throw Malformed(_pos, "an end tag that does not match the open element");
        return EndTag(in open, p);
    }

    /// <summary>Ends the open element <paramref name="open"/> at the end tag whose '&gt;' is at <paramref name="close"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private bool EndTag(ref readonly XmlScanState.OpenElement open, int close)
    {
        int p = close;
        Token = XmlToken.EndElement;
        Namespace = open.Namespace;
        _localStart = open.LocalStart;
        _localLength = open.LocalLength;
        IsEmptyElement = false;
        _open--;
        Depth = _open;
        _state.PopElement();
        _pos = p + 1;
        return true;
    }

    /// <summary>Whether the <paramref name="length"/> bytes at <paramref name="a"/> and <paramref name="b"/> are the same; both ranges lie in the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private readonly bool SameBytes(int a, int b, int length)
    {
        var xml = _xml;
        // Names are short: one compare of two 16-byte blocks, when both lie inside the input.
        if (length <= Vector128<byte>.Count && a <= xml.Length - Vector128<byte>.Count && b <= xml.Length - Vector128<byte>.Count)
        {
            ref byte start = ref MemoryMarshal.GetReference(xml);
            uint equal = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)a), Vector128.LoadUnsafe(ref start, (nuint)b)).ExtractMostSignificantBits();
            uint wanted = (uint)((1 << length) - 1);
            return (equal & wanted) == wanted;
        }
        return xml.Slice(a, length).SequenceEqual(xml.Slice(b, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void SetText(XmlToken token, int start, int length)
    {
        Token = token;
        Depth = _open;
        _textStart = start;
        _textLength = length;
    }

    /// <summary>True when the end of the input is a proper end; throws when elements are still open.</summary>
    private bool AtEnd()
    {
        Token = XmlToken.None;
        if (_truncated) return false;
        if (_open > 0) throw Malformed(_xml.Length, "the part ends before its elements are closed");
        if (!_seenRoot) throw Malformed(_xml.Length, "no root element");
        return false;
    }

    /// <summary>The input ended inside a token: the end of a truncated part, or malformed.</summary>
    private bool Cut()
    {
        if (!_truncated) throw Malformed(_pos, "the part ends inside a tag");
        _pos = _xml.Length;
        Token = XmlToken.None;
        return false;
    }

    private bool SkipPast(int from, ReadOnlySpan<byte> terminator)
    {
        int at = _xml[from..].IndexOf(terminator);
        if (at < 0) return false;
        _pos = from + at + terminator.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly XmlNs Resolve(ReadOnlySpan<byte> prefix, int at)
    {
        if (prefix.SequenceEqual("xml"u8)) return XmlNs.Xml;
        // Only attributes carry it (xmlns:p="…"); they are declarations, in no namespace a reader asks for.
        if (prefix.SequenceEqual("xmlns"u8)) return XmlNs.Other;
        return _state.TryResolve(_xml, prefix, out var ns) ? ns : throw Malformed(at, "an undeclared namespace prefix");
    }

    private readonly XmlNs NamespaceOf(ReadOnlySpan<byte> rawUri, int at)
    {
        if (rawUri.IndexOfAny("&\t\n\r"u8) < 0) return KnownNamespaces.Of(rawUri);
        // A URI written with references must resolve as the same URI: "http:&#x2F;&#x2F;…" is still WordprocessingML.
        Span<char> uri = stackalloc char[128];
        return XmlCharData.TryDecodeAttribute(rawUri, uri, out int length, at, _xml) ? KnownNamespaces.Of(uri[..length]) : XmlNs.Other;
    }

    private static bool IsNamespaceDeclaration(ReadOnlySpan<byte> name, out int prefixStart, out int prefixLength)
    {
        prefixStart = prefixLength = 0;
        if (!name.StartsWith("xmlns"u8)) return false;
        if (name.Length == 5) return true;
        if (name[5] != (byte)':') return false;
        prefixStart = 6;
        prefixLength = name.Length - 6;
        return true;
    }

    /// <summary>The end of a name, as <see cref="NameEnd(int)"/>, and the offset of its first ':' (or -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private readonly int NameEnd(int from, out int colon)
    {
        var xml = _xml;
        int i = from;
        // Whole 16-byte blocks only: a load never reaches past the end of the input. A block with a colon and no
        // terminator returns at once, so when a later block is looked at, no colon came before it.
        while (i <= xml.Length - Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(xml), (nuint)i);
            uint stop = NameTerminatorMask(v);
            uint colons = Vector128.Equals(v, Vector128.Create((byte)':')).ExtractMostSignificantBits();
            if (stop != 0)
            {
                colons &= (stop & (0u - stop)) - 1;
                colon = colons != 0 ? i + BitOperations.TrailingZeroCount(colons) : -1;
                return i + BitOperations.TrailingZeroCount(stop);
            }
            if (colons != 0)
            {
                colon = i + BitOperations.TrailingZeroCount(colons);
                return NameEnd(i + Vector128<byte>.Count);
            }
            i += Vector128<byte>.Count;
        }
        var terminators = NameTerminators;
        colon = -1;
        for (; i < xml.Length && terminators[xml[i]] == 0; i++)
            if (xml[i] == (byte)':' && colon < 0) colon = i;
        return i;
    }

    /// <summary>The end of a name: the first whitespace, '/', '&gt;', '=', '&lt;' or the end of the input.</summary>
    /// <remarks>
    /// Names are a few bytes: one 16-byte compare finds the end of nearly all of them, where a call to a generic
    /// vectorized search costs more than the name (and starts at tier 0).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private readonly int NameEnd(int from)
    {
        var xml = _xml;
        int i = from;
        while (i <= xml.Length - Vector128<byte>.Count)
        {
            uint stop = NameTerminatorMask(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(xml), (nuint)i));
            if (stop != 0) return i + BitOperations.TrailingZeroCount(stop);
            i += Vector128<byte>.Count;
        }
        var terminators = NameTerminators;
        while (i < xml.Length && terminators[xml[i]] == 0) i++;
        return i;
    }

    /// <summary>One bit per byte of <paramref name="v"/> that is in <see cref="NameTerminators"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint NameTerminatorMask(Vector128<byte> v)
    {
        // '<' '=' '>' are 0x3C..0x3E, tab and LF 0x09..0x0A: two range tests (unsigned wrap-around) and three compares.
        var markup = Vector128.LessThanOrEqual(v - Vector128.Create((byte)0x3C), Vector128.Create((byte)2));
        var tabLf = Vector128.LessThanOrEqual(v - Vector128.Create((byte)0x09), Vector128.Create((byte)1));
        var rest = Vector128.Equals(v, Vector128.Create((byte)' ')) | Vector128.Equals(v, Vector128.Create((byte)'/'))
            | Vector128.Equals(v, Vector128.Create((byte)'\r'));
        return (markup | tabLf | rest).ExtractMostSignificantBits();
    }

    /// <summary>The offset of the first <paramref name="quote"/> or '&lt;' at or after <paramref name="from"/>, or the input's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static int QuoteOrLt(ReadOnlySpan<byte> xml, int from, byte quote)
    {
        int i = from;
        var q = Vector128.Create(quote);
        var lt = Vector128.Create((byte)'<');
        while (i <= xml.Length - Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(xml), (nuint)i);
            uint m = (Vector128.Equals(v, q) | Vector128.Equals(v, lt)).ExtractMostSignificantBits();
            if (m != 0) return i + BitOperations.TrailingZeroCount(m);
            i += Vector128<byte>.Count;
        }
        while (i < xml.Length && xml[i] != quote && xml[i] != (byte)'<') i++;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private readonly int SkipSpace(int from)
    {
        int i = from;
        while (i < _xml.Length && _xml[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    /// <summary>1 for the bytes that end a name: whitespace, '/', '&gt;', '=', '&lt;'.</summary>
    private static ReadOnlySpan<byte> NameTerminators =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>An exception that gives only the position: parts are document content and must not reach a note.</summary>
    public readonly XmlException Malformed(int at, string what)
    {
        var before = _xml[..Math.Min(at, _xml.Length)];
        int line = before.Count((byte)'\n') + 1;
        int column = at - before.LastIndexOf((byte)'\n');
        return new XmlException(what, null, line, column);
    }
}

/// <summary>
/// The stacks a <see cref="Utf8XmlScanner"/> keeps (open elements, namespace bindings, the attributes of the
/// current tag), held in a class so that one set of arrays serves every part of a run.
/// </summary>
internal sealed class XmlScanState
{
    internal struct OpenElement
    {
        public int NameStart, NameLength, LocalStart, LocalLength, BindingsBefore;
        public XmlNs Namespace;
    }

    internal struct Binding
    {
        /// <summary>The prefix's bytes in the input; length 0 is the default namespace (xmlns="…").</summary>
        public int PrefixStart, PrefixLength;
        public XmlNs Namespace;
    }

    internal struct Attribute
    {
        public int NameStart, NameLength, ValueStart, ValueLength;
    }

    private OpenElement[] _open = new OpenElement[32];
    private int _openCount;
    private Binding[] _bindings = new Binding[64];
    private Attribute[] _attributes = new Attribute[16];
    private int[] _skipNames = new int[32];

    // A one-entry cache of the last prefix resolved: nearly every element of a part uses the same prefix.
    // Invariant: valid only while _bindingsVersion == _cacheVersion (any push or pop bumps the version).
    private int _bindingsVersion, _cacheVersion = -1, _cachePrefixStart, _cachePrefixLength;
    private XmlNs _cacheNamespace;

    public int BindingCount { get; private set; }

    public int AttributeCount { get; set; }

    public Attribute[] Attributes => _attributes;

    public ref readonly OpenElement Top => ref _open[_openCount - 1];

    /// <summary>Scratch for <see cref="Utf8XmlScanner.TrySkipContent"/>: (start, length) of each element open inside the skipped subtree.</summary>
    public int[] SkipNames => _skipNames;

    public int[] GrowSkipNames()
    {
        Array.Resize(ref _skipNames, _skipNames.Length * 2);
        return _skipNames;
    }

    public void Reset()
    {
        _openCount = BindingCount = AttributeCount = 0;
        _bindingsVersion++;
        _cacheVersion = -1;
        _memoStops = null;
    }

    // The content last skipped by TrySkipContent, end tag included, as offsets into the scanner's input; valid only
    // while the bindings are those it was skipped under (Reset, for a new input, bumps the version too).
    private XmlNameSet? _memoStops;
    private int _memoVersion, _memoStart, _memoLength, _memoNameStart, _memoNameLength;

    /// <summary>
    /// The content <see cref="Utf8XmlScanner.TrySkipContent"/> last skipped with <paramref name="stops"/>, end tag
    /// included, and the qualified name of its element, if the namespace bindings in scope are still those it was
    /// skipped under.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Start, int Length, int NameStart, int NameLength)? SkipMemo(XmlNameSet stops) =>
        ReferenceEquals(stops, _memoStops) && _memoVersion == _bindingsVersion
            ? (_memoStart, _memoLength, _memoNameStart, _memoNameLength)
            : null;

    /// <summary>Remembers content just skipped (see <see cref="SkipMemo"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RememberSkip(XmlNameSet stops, int start, int length, int nameStart, int nameLength) =>
        (_memoStops, _memoVersion, _memoStart, _memoLength, _memoNameStart, _memoNameLength) =
            (stops, _bindingsVersion, start, length, nameStart, nameLength);

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void AddAttribute(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (AttributeCount == _attributes.Length) Array.Resize(ref _attributes, _attributes.Length * 2);
        _attributes[AttributeCount++] = new Attribute { NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void PushElement(int nameStart, int nameLength, int localStart, int localLength, XmlNs ns, int bindingsBefore)
    {
        if (_openCount == _open.Length) Array.Resize(ref _open, _open.Length * 2);
        _open[_openCount++] = new OpenElement
        {
            NameStart = nameStart, NameLength = nameLength, LocalStart = localStart, LocalLength = localLength,
            Namespace = ns, BindingsBefore = bindingsBefore,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void PopElement() => PopBindings(_open[--_openCount].BindingsBefore);

    public void PushBinding(int prefixStart, int prefixLength, XmlNs ns)
    {
        if (BindingCount == _bindings.Length) Array.Resize(ref _bindings, _bindings.Length * 2);
        _bindings[BindingCount++] = new Binding { PrefixStart = prefixStart, PrefixLength = prefixLength, Namespace = ns };
        _bindingsVersion++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public void PopBindings(int count)
    {
        if (count == BindingCount) return;
        BindingCount = count;
        _bindingsVersion++;
    }

    /// <summary>The innermost binding of the prefix (the latest declaration wins).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryResolve(ReadOnlySpan<byte> xml, ReadOnlySpan<byte> prefix, out XmlNs ns)
    {
        // The cached prefix is nearly always one byte ("w"): compared without a call.
        if (_cacheVersion == _bindingsVersion && prefix.Length == _cachePrefixLength
            && (prefix.Length == 1 ? prefix[0] == xml[_cachePrefixStart] : prefix.SequenceEqual(xml.Slice(_cachePrefixStart, _cachePrefixLength))))
        {
            ns = _cacheNamespace;
            return true;
        }
        for (int i = BindingCount - 1; i >= 0; i--)
        {
            ref readonly var b = ref _bindings[i];
            if (b.PrefixLength != prefix.Length || !prefix.SequenceEqual(xml.Slice(b.PrefixStart, b.PrefixLength))) continue;
            (_cacheVersion, _cachePrefixStart, _cachePrefixLength, _cacheNamespace) = (_bindingsVersion, b.PrefixStart, b.PrefixLength, b.Namespace);
            ns = b.Namespace;
            return true;
        }
        ns = XmlNs.None;
        return false;
    }

    /// <summary>The default namespace in scope, or <see cref="XmlNs.None"/>; xmlns="" undeclares it.</summary>
    public XmlNs DefaultNamespace(ReadOnlySpan<byte> xml) => TryResolve(xml, [], out var ns) ? ns : XmlNs.None;
}

/// <summary>
/// A fixed set of local names compared as UTF-8 bytes, built once: the names at which
/// <see cref="Utf8XmlScanner.TrySkipContent"/> gives up.
/// </summary>
internal sealed class XmlNameSet
{
    // Indexed by name length; the few names of one length are compared in turn.
    private readonly byte[][][] _byLength;

    // Bit (first byte & 63) of entry [length] is set when some name of that length starts with that byte (mod 64):
    // most names that are not in the set are rejected by this one test.
    private readonly ulong[] _firstBytes;

    public XmlNameSet(params string[] localNames)
    {
        int longest = localNames.Max(n => n.Length);
        _byLength = new byte[longest + 1][][];
        _firstBytes = new ulong[longest + 1];
        for (int length = 0; length <= longest; length++)
            _byLength[length] = [.. localNames.Where(n => n.Length == length).Select(n => Encoding.UTF8.GetBytes(n))];
        foreach (var name in localNames)
            if (name.Length > 0) _firstBytes[name.Length] |= 1UL << (name[0] & 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(ReadOnlySpan<byte> localName)
    {
        if (localName.Length >= _byLength.Length || localName.IsEmpty) return false;
        if ((_firstBytes[localName.Length] & (1UL << (localName[0] & 63))) == 0) return false;
        foreach (var name in _byLength[localName.Length])
            if (localName.SequenceEqual(name)) return true;
        return false;
    }
}

/// <summary>The namespace URIs that map to an <see cref="XmlNs"/>; compared as UTF-8 bytes or as UTF-16.</summary>
internal static class KnownNamespaces
{
    private static readonly (string Uri, XmlNs Ns)[] Table =
    [
        ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", XmlNs.W),
        ("http://purl.oclc.org/ooxml/wordprocessingml/main", XmlNs.WStrict),
        ("http://schemas.openxmlformats.org/markup-compatibility/2006", XmlNs.Mc),
        ("http://schemas.openxmlformats.org/drawingml/2006/main", XmlNs.A),
        ("urn:schemas-microsoft-com:vml", XmlNs.V),
        ("urn:schemas-microsoft-com:office:office", XmlNs.O),
        ("http://www.w3.org/XML/1998/namespace", XmlNs.Xml),
        ("http://schemas.openxmlformats.org/package/2006/relationships", XmlNs.Relationships),
        ("http://schemas.openxmlformats.org/package/2006/content-types", XmlNs.ContentTypes),
    ];

    private static readonly byte[][] Utf8 = [.. Table.Select(t => Encoding.UTF8.GetBytes(t.Uri))];

    public static XmlNs Of(ReadOnlySpan<byte> uri)
    {
        // xmlns:p="" (allowed only for the default namespace) undeclares: nothing is in no-namespace by accident.
        if (uri.IsEmpty) return XmlNs.None;
        for (int i = 0; i < Utf8.Length; i++)
            if (uri.SequenceEqual(Utf8[i])) return Table[i].Ns;
        return XmlNs.Other;
    }

    public static XmlNs Of(ReadOnlySpan<char> uri)
    {
        if (uri.IsEmpty) return XmlNs.None;
        foreach (var (known, ns) in Table)
            if (uri.SequenceEqual(known)) return ns;
        return XmlNs.Other;
    }
}

/// <summary>
/// Decoding of character data and attribute values: UTF-8 to UTF-16, the five predefined entities, decimal and
/// hexadecimal character references (astral ones as surrogate pairs), and line-end normalization (CR LF and a
/// lone CR become LF, as an XML processor delivers them). Any other reference is an error: no entity can be
/// declared, because DTDs are refused.
/// </summary>
internal static class XmlCharData
{
    /// <summary>
    /// Decodes from the front of <paramref name="raw"/> into <paramref name="destination"/> until it is full or
    /// <paramref name="raw"/> is empty, and advances <paramref name="raw"/> past what was decoded.
    /// </summary>
    /// <param name="raw">Character data; shrinks as it is decoded.</param>
    /// <param name="references">False for a CDATA section, whose '&amp;' is literal.</param>
    /// <param name="destination">At least 2 characters, so that a surrogate pair always fits in an empty one.</param>
    /// <param name="at">Offset of <paramref name="raw"/> in <paramref name="xml"/>, for error positions.</param>
    /// <param name="xml">The whole input, for error positions.</param>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="XmlException">Invalid UTF-8, or a malformed or undeclared reference.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Decode(ref ReadOnlySpan<byte> raw, bool references, Span<char> destination, int at, ReadOnlySpan<byte> xml)
    {
        int written = 0;
        while (raw.Length > 0 && written < destination.Length)
        {
            int special = references ? raw.IndexOfAny((byte)'&', (byte)'\r') : raw.IndexOf((byte)'\r');
            if (special != 0)
            {
                var plain = special < 0 ? raw : raw[..special];
                var status = Utf8.ToUtf16(plain, destination[written..], out int read, out int wrote, replaceInvalidSequences: false);
                written += wrote;
                raw = raw[read..];
                if (status == OperationStatus.DestinationTooSmall) return written;
                if (status != OperationStatus.Done) throw Error(xml, at, "invalid UTF-8 in character data");
                continue;
            }
            if (raw[0] == (byte)'\r')
            {
                destination[written++] = '\n';
                raw = raw[(raw.Length > 1 && raw[1] == (byte)'\n' ? 2 : 1)..];
                continue;
            }
            if (destination.Length - written < 2) return written;
            int semicolon = raw.IndexOf((byte)';');
            if (semicolon < 0) throw Error(xml, at, "a reference without ';'");
            written += Reference(raw[1..semicolon], destination[written..], xml, at);
            raw = raw[(semicolon + 1)..];
        }
        return written;
    }

    /// <summary>
    /// An attribute value, decoded and with tab, CR and LF normalized to spaces (references to them stay as they
    /// are, as XML's attribute-value normalization says).
    /// </summary>
    /// <returns>False when the value does not fit in <paramref name="value"/>.</returns>
    /// <exception cref="XmlException">Invalid UTF-8, or a malformed or undeclared reference.</exception>
    public static bool TryDecodeAttribute(ReadOnlySpan<byte> raw, Span<char> value, out int length, int at, ReadOnlySpan<byte> xml)
    {
        length = 0;
        while (raw.Length > 0)
        {
            int special = raw.IndexOfAny("&\t\r\n"u8);
            if (special != 0)
            {
                var plain = special < 0 ? raw : raw[..special];
                var status = Utf8.ToUtf16(plain, value[length..], out int read, out int wrote, replaceInvalidSequences: false);
                length += wrote;
                raw = raw[read..];
                if (status == OperationStatus.DestinationTooSmall) return false;
                if (status != OperationStatus.Done) throw Error(xml, at, "invalid UTF-8 in an attribute value");
                continue;
            }
            if (raw[0] != (byte)'&')
            {
                if (length == value.Length) return false;
                // CR LF is one line end, and so one space.
                value[length++] = ' ';
                raw = raw[(raw[0] == (byte)'\r' && raw.Length > 1 && raw[1] == (byte)'\n' ? 2 : 1)..];
                continue;
            }
            if (value.Length - length < 2) return false;
            int semicolon = raw.IndexOf((byte)';');
            if (semicolon < 0) throw Error(xml, at, "a reference without ';'");
            length += Reference(raw[1..semicolon], value[length..], xml, at);
            raw = raw[(semicolon + 1)..];
        }
        return true;
    }

    /// <summary>Writes the one or two characters a reference stands for ("amp", "#60", "#x1F600").</summary>
    private static int Reference(ReadOnlySpan<byte> name, Span<char> destination, ReadOnlySpan<byte> xml, int at)
    {
        char entity = name switch
        {
            _ when name.SequenceEqual("lt"u8) => '<',
            _ when name.SequenceEqual("gt"u8) => '>',
            _ when name.SequenceEqual("amp"u8) => '&',
            _ when name.SequenceEqual("apos"u8) => '\'',
            _ when name.SequenceEqual("quot"u8) => '"',
            _ => '\0',
        };
        if (entity != '\0')
        {
            destination[0] = entity;
            return 1;
        }
        if (name.Length < 2 || name[0] != (byte)'#') throw Error(xml, at, "a reference to an undeclared entity");
        bool hex = name[1] == (byte)'x';
        var digits = name[(hex ? 2 : 1)..];
        if (digits.IsEmpty) throw Error(xml, at, "a character reference without digits");
        int code = 0;
        foreach (byte d in digits)
        {
            int v = d is >= (byte)'0' and <= (byte)'9' ? d - '0'
                : hex && d is >= (byte)'a' and <= (byte)'f' ? d - 'a' + 10
                : hex && d is >= (byte)'A' and <= (byte)'F' ? d - 'A' + 10
                : -1;
            if (v < 0) throw Error(xml, at, "a malformed character reference");
            code = code * (hex ? 16 : 10) + v;
            if (code > 0x10FFFF) throw Error(xml, at, "a character reference beyond Unicode");
        }
        // XML's Char production: no NUL, no other C0 control but tab, LF and CR, no surrogates, no U+FFFE/U+FFFF.
        bool legal = code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
        if (!legal) throw Error(xml, at, "a character reference to a character XML does not allow");
        return new Rune(code).EncodeToUtf16(destination);
    }

    private static XmlException Error(ReadOnlySpan<byte> xml, int at, string what)
    {
        var before = xml[..Math.Min(at, xml.Length)];
        return new XmlException(what, null, before.Count((byte)'\n') + 1, at - before.LastIndexOf((byte)'\n'));
    }
}

/// <summary>Brings a part that is not UTF-8 (a UTF-16 byte order mark, or another declared encoding) to UTF-8.</summary>
internal static class XmlEncoding
{
    /// <summary>
    /// The part itself when it is UTF-8 (the usual case: no copy); otherwise a UTF-8 copy with the XML
    /// declaration's encoding left as written (the scanner ignores it).
    /// </summary>
    /// <exception cref="XmlException">The declared encoding is unknown.</exception>
    public static ReadOnlyMemory<byte> ToUtf8(ReadOnlyMemory<byte> part)
    {
        var span = part.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(span[2..]));
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(span[2..]));
        if (!span.StartsWith("<?xml"u8)) return part;
        int end = span.IndexOf("?>"u8);
        var declaration = end < 0 ? span : span[..end];
        int at = declaration.IndexOf("encoding"u8);
        if (at < 0) return part;
        var rest = declaration[(at + 8)..].TrimStart(" \t\r\n="u8);
        if (rest.IsEmpty || rest[0] is not ((byte)'"' or (byte)'\'')) return part;
        int close = rest[1..].IndexOf(rest[0]);
        if (close < 0) return part;
        string name = Encoding.ASCII.GetString(rest.Slice(1, close));
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)) return part;
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            throw new XmlException("an unsupported encoding is declared", null, 1, at + 1);
        }
        return Encoding.UTF8.GetBytes(encoding.GetString(span));
    }
}
