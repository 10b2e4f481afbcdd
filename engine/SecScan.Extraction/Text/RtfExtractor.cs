using System.Globalization;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.Ole;

namespace SecScan.Extraction.Text;

/// <summary>
/// Reads RTF (Word, WordPad, LibreOffice, WPS): body paragraphs, table cells, headers, footers, footnotes,
/// endnotes, comments, text boxes, hidden text (<c>\v</c>) and the title, subject, author, keywords, comment
/// and custom properties of <c>\info</c>/<c>\userprops</c>, one segment per paragraph.
/// </summary>
/// <remarks>
/// No maintained RTF reader is packaged for .NET, so this is a tokenizer over the RTF 1.9.1 syntax: groups,
/// control words with their numeric parameter, control symbols, <c>\'hh</c> bytes decoded in the code page of
/// the current font (<c>\fcharset</c>, <c>\cpg</c>) or of the document (<c>\ansicpg</c>), <c>\uN</c> with its
/// <c>\ucN</c> fallback skipped, and <c>\binN</c> data stepped over. Destinations that hold no text (font
/// and colour tables, style sheets, pictures, object data, field instructions, every unknown <c>\*</c>
/// destination) are skipped. A truncated file (groups left open) keeps what was read and gets a Corrupt note.
/// Work is linear in the input; group nesting costs one small record per open group. Stateless and thread-safe.
/// </remarks>
public sealed class RtfExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Rtf];

    static RtfExtractor() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        var bytes = StreamBytes.ReadAll(stream, context.Limits.MaxInputBytes);
        var reader = new RtfReader(bytes, context);
        reader.Run();
        return new ExtractedDocument(Extraction.MediaTypes.Rtf, reader.Segments, reader.Coverage, reader.Children);
    }

    /// <summary>The code page of a font's <c>\fcharset</c> (Windows charset ids); null for "use the document's".</summary>
    internal static int? CodePageOfCharset(int charset) => charset switch
    {
        0 => null,       // ANSI: the document's \ansicpg (Chinese writers put GBK text in "ANSI" fonts of a cp936 file)
        1 => null,       // DEFAULT_CHARSET
        2 => null,       // SYMBOL: glyph codes, decoded as the document's code page rather than dropped
        77 => 10000,
        128 => 932,
        129 => 949,
        130 => 1361,
        134 => 936,      // GB2312 / GBK
        136 => 950,      // Big5
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        254 => 437,
        _ => null,
    };

    /// <summary>An encoding for a Windows code page; GBK is read as GB18030, its superset.</summary>
    internal static Encoding EncodingFor(int codePage)
    {
        if (codePage == 936) return TextDecoder.Gb18030;
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>Thrown inside one extraction when the character bound is reached.</summary>
    private sealed class LimitReachedException : Exception;

    /// <summary>What a group's text is: read into a story, kept as a property, or skipped.</summary>
    private enum DestKind { Story, Property, Skip, FontTable }

    /// <summary>
    /// One destination: a story (body, header, footnote …) with its open paragraph, or a property value.
    /// Text of a destination is collected until <c>\par</c> or until its group closes.
    /// </summary>
    private sealed class Destination(DestKind kind, SegmentPart part, string? partName)
    {
        public DestKind Kind { get; } = kind;
        public SegmentPart Part { get; } = part;
        public string? PartName { get; set; } = partName;
        public StringBuilder Visible { get; } = new();
        public StringBuilder Hidden { get; } = new();
        public int Paragraphs { get; set; }
        // Tables: the table number, the row and the next cell of the paragraph being read.
        public int Table { get; set; }
        public int Row { get; set; }
        public int Cell { get; set; }
        public bool InTableParagraph { get; set; }
        public bool TableOpen { get; set; }
        /// <summary>For the skipped ANSI half of <c>\upr</c>: the destination its <c>\ud</c> half reads into.</summary>
        public Destination? UprOuter { get; init; }
    }

    /// <summary>The state a group inherits from its parent and restores when it closes.</summary>
    private struct GroupState
    {
        public Destination Dest;
        public bool Hidden;
        public int SkipAfterUnicode;
        public int CodePage;
    }

    private sealed class RtfReader(byte[] bytes, ExtractionContext context)
    {
        private const int TokensPerCancellationCheck = 1 << 16;

        private readonly List<GroupState> _stack = [];
        private readonly Dictionary<int, int> _fontCodePages = [];
        private readonly List<byte> _pendingBytes = [];
        private readonly Destination _body = new(DestKind.Story, SegmentPart.Body, null);
        private GroupState _state;
        private int _pos;
        private int _documentCodePage = 1252;
        private int? _defaultFont;
        private long _characters;
        private int _pictures;
        private int _objects;
        private int _objectsRead;
        private int _footnotes;
        private int _comments;
        private int _textBoxes;
        private int _unicodeSkipLeft;
        // Font table parsing: the font being described.
        private int _fontNumber = -1;
        private string? _propertyName;
        // The group depth of an open \info or \userprops, or -1.
        private int _inInfoDepth = -1;

        public List<TextSegment> Segments { get; } = [];

        public List<CoverageNote> Coverage { get; } = [];

        public List<ExtractedDocument> Children { get; } = [];

        public void Run()
        {
            _state = new GroupState { Dest = _body, CodePage = _documentCodePage, SkipAfterUnicode = 1 };
            try
            {
                Tokenize();
                FlushBytes();
                if (_stack.Count > 0)
                    Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                        $"RTF ends with {_stack.Count:N0} group(s) still open: the file is truncated", context.At()));
            }
            catch (LimitReachedException)
            {
                Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"text beyond {context.Limits.MaxCharacters:N0} characters was not read", context.At()));
            }
            // Whatever is still open (a truncated file, a stop at the bound) is text the reader has seen.
            for (int i = _stack.Count - 1; i >= 0; i--) EndParagraph(_stack[i].Dest, force: true);
            EndParagraph(_state.Dest, force: true);
            EndParagraph(_body, force: true);
            if (_pictures > 0)
                Coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    _pictures == 1 ? "1 image not inspected" : $"{_pictures} images not inspected", context.At()));
            if (_objects > _objectsRead)
                Coverage.Add(new CoverageNote(CoverageKind.Unsupported,
                    _objects - _objectsRead == 1 ? "1 embedded object not read" : $"{_objects - _objectsRead} embedded objects not read", context.At()));
        }

        private void Tokenize()
        {
            int tokens = 0;
            while (_pos < bytes.Length)
            {
                if ((++tokens & (TokensPerCancellationCheck - 1)) == 0) context.CancellationToken.ThrowIfCancellationRequested();
                byte b = bytes[_pos];
                switch (b)
                {
                    case (byte)'{':
                        _pos++;
                        FlushBytes();
                        _stack.Add(_state);
                        _unicodeSkipLeft = 0;
                        break;
                    case (byte)'}':
                        _pos++;
                        FlushBytes();
                        _unicodeSkipLeft = 0;
                        if (_stack.Count == 0) return;   // the document's closing brace: anything after it is not RTF
                        var closing = _state;
                        _state = _stack[^1];
                        _stack.RemoveAt(_stack.Count - 1);
                        if (!ReferenceEquals(closing.Dest, _state.Dest)) CloseDestination(closing.Dest);
                        if (closing.Dest.Kind == DestKind.FontTable && _state.Dest.Kind != DestKind.FontTable)
                        {
                            _fontNumber = -1;
                            // Text before any \f is in the default font.
                            if (_defaultFont is { } df && _fontCodePages.TryGetValue(df, out var dcp)) _state.CodePage = dcp;
                        }
                        break;
                    case (byte)'\\':
                        ControlWord();
                        break;
                    case (byte)'\r' or (byte)'\n':
                        _pos++;
                        break;
                    default:
                        _pos++;
                        if (_unicodeSkipLeft > 0) { _unicodeSkipLeft--; break; }
                        if (b == (byte)'\t') { AppendChar('\t'); break; }
                        if (b < 0x20) break;
                        AppendByte(b);
                        break;
                }
            }
        }

        private void ControlWord()
        {
            int start = ++_pos;
            if (_pos >= bytes.Length) return;
            byte c = bytes[_pos];
            if (!IsLetter(c))
            {
                _pos++;
                ControlSymbol(c);
                return;
            }
            while (_pos < bytes.Length && IsLetter(bytes[_pos]) && _pos - start < 32) _pos++;
            var word = Encoding.ASCII.GetString(bytes, start, _pos - start);
            int? param = null;
            if (_pos < bytes.Length && (bytes[_pos] == '-' || IsDigit(bytes[_pos])))
            {
                bool negative = bytes[_pos] == '-';
                if (negative) _pos++;
                long value = 0;
                int digits = 0;
                while (_pos < bytes.Length && IsDigit(bytes[_pos]))
                {
                    if (digits++ < 10) value = value * 10 + (bytes[_pos] - '0');
                    _pos++;
                }
                value = Math.Clamp(negative ? -value : value, int.MinValue, int.MaxValue);
                param = (int)value;
            }
            if (_pos < bytes.Length && bytes[_pos] == ' ') _pos++;   // the delimiting space belongs to the word

            if (word == "bin")
            {
                // Binary data of the given length follows; it is never text, not even in a skipped group.
                FlushBytes();
                _pos = (int)Math.Min(bytes.Length, (long)_pos + Math.Max(0, param ?? 0));
                return;
            }
            if (_unicodeSkipLeft > 0)
            {
                // A control word inside the fallback of \uN counts as one fallback character.
                _unicodeSkipLeft--;
                return;
            }
            Word(word, param);
        }

        private void ControlSymbol(byte c)
        {
            if (c == '\'')
            {
                int hi = _pos < bytes.Length ? HexValue(bytes[_pos]) : -1;
                int lo = _pos + 1 < bytes.Length ? HexValue(bytes[_pos + 1]) : -1;
                if (hi >= 0 && lo >= 0) _pos += 2;
                if (_unicodeSkipLeft > 0) { _unicodeSkipLeft--; return; }
                if (hi >= 0 && lo >= 0) AppendByte((byte)(hi * 16 + lo));
                return;
            }
            if (_unicodeSkipLeft > 0) { _unicodeSkipLeft--; return; }
            switch (c)
            {
                case (byte)'*':
                    if (_stack.Count > 0 && _state.Dest.Kind != DestKind.Skip && !NextIsKnownStarDestination())
                        EnterDestination(DestKind.Skip, SegmentPart.Body, null);
                    break;
                case (byte)'\\' or (byte)'{' or (byte)'}': AppendByte(c); break;
                case (byte)'~': AppendChar('\u00A0'); break;
                case (byte)'_': AppendChar('\u2011'); break;
                case (byte)'\r' or (byte)'\n': Paragraph(); break;   // "\<newline>" is \par
                case (byte)'\t': AppendChar('\t'); break;
                default: break;   // \- optional hyphen, \: index subentry, \| formula
            }
        }

        /// <summary>The <c>\*</c> destinations whose text is read although older readers would skip them.</summary>
        private bool NextIsKnownStarDestination()
        {
            int p = _pos;
            while (p < bytes.Length && bytes[p] is (byte)'\r' or (byte)'\n' or (byte)' ') p++;
            if (p >= bytes.Length || bytes[p] != '\\') return false;
            int s = ++p;
            while (p < bytes.Length && IsLetter(bytes[p]) && p - s < 32) p++;
            var word = Encoding.ASCII.GetString(bytes, s, p - s);
                        // \shppict holds the picture Word shows (counted); its \nonshppict twin is skipped as a duplicate.
            return word is "annotation" or "footnote" or "shpinst" or "shptxt" or "shppict" or "userprops" or "company" or "objdata";
        }

        private void Word(string word, int? param)
        {
            var dest = _state.Dest;
            if (dest.Kind == DestKind.FontTable)
            {
                FontTableWord(word, param);
                return;
            }
            if (dest.Kind == DestKind.Skip)
            {
                // \upr holds an ANSI copy and a Unicode copy (\*\ud) of the same text: only the latter is read.
                if (dest.UprOuter is { } outer)
                {
                    if (word == "ud") _state.Dest = outer;
                    return;
                }
                if (word == "upr")
                {
                    _state.Dest = new Destination(DestKind.Skip, SegmentPart.Body, null) { UprOuter = dest };
                    return;
                }
                // \info and \userprops are skipped except for the properties that carry text.
                if (!InInfo()) return;
                if (word is "title" or "subject" or "author" or "keywords" or "doccomm" or "company" or "propname")
                    EnterDestination(DestKind.Property, SegmentPart.Metadata, word);
                else if (word == "staticval")
                    EnterDestination(DestKind.Property, SegmentPart.Metadata, _propertyName ?? "property");
                return;
            }
            switch (word)
            {
                // Document and character state.
                case "ansicpg" when param is > 0:
                    _documentCodePage = param.Value;
                    _state.CodePage = _documentCodePage;
                    return;
                case "mac": _documentCodePage = 10000; _state.CodePage = 10000; return;
                case "pc": _documentCodePage = 437; _state.CodePage = 437; return;
                case "pca": _documentCodePage = 850; _state.CodePage = 850; return;
                case "deff": _defaultFont = param; return;
                case "f" when param is { } f:
                    FlushBytes();
                    _state.CodePage = _fontCodePages.TryGetValue(f, out var cp) ? cp : _documentCodePage;
                    return;
                case "plain":
                    FlushBytes();
                    _state.Hidden = false;
                    _state.CodePage = _defaultFont is { } df && _fontCodePages.TryGetValue(df, out var dcp) ? dcp : _documentCodePage;
                    return;
                case "v":
                    FlushBytes();
                    _state.Hidden = param is null or not 0;
                    return;
                case "uc":
                    _state.SkipAfterUnicode = Math.Clamp(param ?? 1, 0, 16);
                    return;
                case "u" when param is { } u:
                    FlushBytes();
                    AppendChar((char)(u < 0 ? u + 65536 : u));
                    _unicodeSkipLeft = _state.SkipAfterUnicode;
                    return;

                // Paragraphs and tables.
                case "par" or "sect": Paragraph(); return;
                case "pard": dest.InTableParagraph = false; return;
                case "intbl": dest.InTableParagraph = true; return;
                case "cell" or "nestcell": Cell(); return;
                case "row" or "nestrow":
                    EndParagraph(dest, force: false);
                    if (dest.TableOpen) { dest.Row++; dest.Cell = 0; }
                    return;
                case "line" or "page" or "column": AppendChar('\n'); return;
                case "tab": AppendChar('\t'); return;
                case "emdash": AppendChar('—'); return;
                case "endash": AppendChar('–'); return;
                case "emspace" or "enspace" or "qmspace": AppendChar(' '); return;
                case "bullet": AppendChar('•'); return;
                case "lquote": AppendChar('‘'); return;
                case "rquote": AppendChar('’'); return;
                case "ldblquote": AppendChar('“'); return;
                case "rdblquote": AppendChar('”'); return;

                // Stories.
                case "header" or "headerl" or "headerr" or "headerf":
                    EnterDestination(DestKind.Story, SegmentPart.Header, word == "header" ? null : word);
                    return;
                case "footer" or "footerl" or "footerr" or "footerf":
                    EnterDestination(DestKind.Story, SegmentPart.Footer, word == "footer" ? null : word);
                    return;
                case "footnote":
                    EnterDestination(DestKind.Story, SegmentPart.Footnote, (++_footnotes).ToString(CultureInfo.InvariantCulture));
                    return;
                case "ftnalt":
                    // \ftnalt inside \footnote makes it an endnote.
                    if (dest.Kind == DestKind.Story && dest.Part == SegmentPart.Footnote && dest.Visible.Length == 0 && dest.Hidden.Length == 0 && dest.Paragraphs == 0)
                    {
                        _state.Dest = new Destination(DestKind.Story, SegmentPart.Endnote, dest.PartName);
                    }
                    return;
                case "annotation":
                    EnterDestination(DestKind.Story, SegmentPart.Comment, (++_comments).ToString(CultureInfo.InvariantCulture));
                    return;
                case "shptxt":
                    EnterDestination(DestKind.Story, SegmentPart.TextBox, (++_textBoxes).ToString(CultureInfo.InvariantCulture));
                    return;

                // Properties: \info and \userprops are skipped but for the values read above.
                case "upr":
                    FlushBytes();
                    _state.Dest = new Destination(DestKind.Skip, SegmentPart.Body, null) { UprOuter = dest };
                    return;
                case "info" or "userprops":
                    FlushBytes();
                    _state.Dest = new Destination(DestKind.Skip, SegmentPart.Metadata, word);
                    _inInfoDepth = _stack.Count;
                    return;

                // Skipped destinations: no text, or text that duplicates what is read elsewhere.
                case "fonttbl":
                    _state.Dest = new Destination(DestKind.FontTable, SegmentPart.Body, null);
                    return;
                case "pict":
                    _pictures++;
                    EnterDestination(DestKind.Skip, SegmentPart.Body, null);
                    return;
                case "object":
                    _objects++;   // its \result (the rendering) is still read
                    return;
                case "objdata":
                    ObjectData();
                    return;
                case "objclass" or "objname" or "colortbl" or "stylesheet" or "listtable" or "listoverridetable"
                    or "revtbl" or "rsidtbl" or "fldinst" or "xmlnstbl" or "filetbl" or "pntext" or "pntxta" or "pntxtb"
                    or "listtext" or "shprslt" or "nonshppict" or "sp" or "template" or "datastore" or "themedata"
                    or "colorschememapping" or "latentstyles" or "generator" or "pgdsctbl" or "bkmkstart" or "bkmkend"
                    or "atnid" or "atnauthor" or "atndate" or "atnref" or "fchars" or "lchars" or "xe" or "tc" or "private":
                    EnterDestination(DestKind.Skip, SegmentPart.Body, null);
                    return;
                default:
                    return;
            }
        }

        /// <summary>True inside <c>\info</c> or <c>\userprops</c>, whose groups are otherwise skipped.</summary>
        private bool InInfo() => _inInfoDepth >= 0 && _stack.Count >= _inInfoDepth;

        private void FontTableWord(string word, int? param)
        {
            switch (word)
            {
                case "f" when param is { } f:
                    _fontNumber = f;
                    break;
                case "fcharset" when param is { } charset && _fontNumber >= 0:
                    if (CodePageOfCharset(charset) is { } cp) _fontCodePages[_fontNumber] = cp;
                    break;
                case "cpg" when param is > 0 && _fontNumber >= 0:
                    _fontCodePages[_fontNumber] = param.Value;
                    break;
                default:
                    // A font's alternative and panose names are nested destinations: skip them.
                    if (word is "falt" or "panose" or "fontemb" or "fontfile") EnterDestination(DestKind.Skip, SegmentPart.Body, null);
                    break;
            }
        }

        /// <summary>Switches this group (which must just have opened) to a new destination.</summary>
        private void EnterDestination(DestKind kind, SegmentPart part, string? partName)
        {
            FlushBytes();
            if (_state.Dest.Kind == DestKind.Skip && kind != DestKind.Skip && !InInfo()) return;
            _state.Dest = new Destination(kind, part, partName);
            _state.Hidden = false;
        }

        private void CloseDestination(Destination dest)
        {
            if (dest.Kind == DestKind.Property)
            {
                string text = dest.Visible.ToString().Trim();
                dest.Visible.Clear();
                if (dest.PartName == "propname")
                {
                    _propertyName = text.Length > 0 ? text : null;
                    return;
                }
                if (text.Length > 0)
                {
                    string name = dest.PartName ?? "property";
                    Segments.Add(new TextSegment($"{name}: {text}", context.At(SegmentPart.Metadata) with { PartName = name }));
                }
                if (dest.PartName == _propertyName) _propertyName = null;
                return;
            }
            if (dest.Kind == DestKind.Story) EndParagraph(dest, force: true);
            if (_inInfoDepth >= 0 && _stack.Count < _inInfoDepth) _inInfoDepth = -1;
        }

        private void Paragraph()
        {
            FlushBytes();
            var dest = _state.Dest;
            if (dest.Kind != DestKind.Story)
            {
                if (dest.Kind == DestKind.Property) dest.Visible.Append('\n');
                return;
            }
            if (dest.InTableParagraph) OpenTable(dest);
            else dest.TableOpen = false;
            EndParagraph(dest, force: false);
        }

        private void Cell()
        {
            FlushBytes();
            var dest = _state.Dest;
            if (dest.Kind != DestKind.Story) return;
            OpenTable(dest);
            dest.Cell++;
            EndParagraph(dest, force: false, cell: true);
        }

        private static void OpenTable(Destination dest)
        {
            if (dest.TableOpen) return;
            dest.TableOpen = true;
            dest.Table++;
            dest.Row = 1;
            dest.Cell = 0;
        }

        /// <summary>Emits the open paragraph of <paramref name="dest"/> (visible and hidden text apart).</summary>
        private void EndParagraph(Destination dest, bool force, bool cell = false)
        {
            if (dest.Kind != DestKind.Story) return;
            if (dest == _state.Dest) FlushBytes();
            bool empty = IsBlank(dest.Visible) && IsBlank(dest.Hidden);
            if (empty)
            {
                dest.Visible.Clear();
                dest.Hidden.Clear();
                if (!force) dest.Paragraphs++;
                return;
            }
            dest.Paragraphs++;
            var at = context.At(dest.Part) with { PartName = dest.PartName, Paragraph = dest.Paragraphs };
            if (cell || (dest.TableOpen && dest.InTableParagraph))
                at = at with { Table = dest.Table, Row = dest.Row, Column = Math.Max(1, cell ? dest.Cell : dest.Cell + 1) };
            if (!IsBlank(dest.Visible)) Segments.Add(new TextSegment(dest.Visible.ToString(), at));
            if (!IsBlank(dest.Hidden)) Segments.Add(new TextSegment(dest.Hidden.ToString(), at with { Part = SegmentPart.HiddenText, PartName = dest.PartName }));
            dest.Visible.Clear();
            dest.Hidden.Clear();
        }

        private static bool IsBlank(StringBuilder sb)
        {
            foreach (var chunk in sb.GetChunks())
                if (!chunk.Span.IsWhiteSpace()) return false;
            return true;
        }

        private void AppendByte(byte b)
        {
            if (_state.Dest.Kind is DestKind.Skip) return;
            if (_state.Dest.Kind is DestKind.FontTable) return;
            _pendingBytes.Add(b);
            if (_pendingBytes.Count >= 4096) FlushBytes();
        }

        private void AppendChar(char c)
        {
            if (_state.Dest.Kind is DestKind.Skip or DestKind.FontTable) return;
            FlushBytes();
            Target().Append(c);
            Charge(1);
        }

        private StringBuilder Target() => _state.Hidden ? _state.Dest.Hidden : _state.Dest.Visible;

        /// <summary>Decodes the bytes gathered so far in the current code page; called before any state change.</summary>
        private void FlushBytes()
        {
            if (_pendingBytes.Count == 0) return;
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pendingBytes);
            // A DBCS lead byte whose trail byte has not arrived yet stays pending only while the state is
            // unchanged; callers flush at every state change, so a lone lead byte decodes as U+FFFD.
            string text = EncodingFor(_state.CodePage).GetString(span);
            _pendingBytes.Clear();
            if (_state.Dest.Kind is DestKind.Skip or DestKind.FontTable) return;
            Target().Append(text);
            Charge(text.Length);
        }

        /// <summary>
        /// <c>\objdata</c>: the object as hexadecimal text, an OLE 1.0 EmbeddedObject ([MS-OLEDS] 2.2.4: version,
        /// format 2 for embedded, class name, topic and item names, native data). The native data of an embedded
        /// object is a compound file (a Word document, an Excel workbook …), or for the class "Package" an OLE
        /// package (a file inserted as an icon); either becomes a child document "object N (class)" read through the
        /// dispatcher. The group is consumed here up to its closing brace; a linked object or damaged data is left
        /// to the "not read" note.
        /// </summary>
        private void ObjectData()
        {
            EnterDestination(DestKind.Skip, SegmentPart.Body, null);
            int end = _pos;
            while (end < bytes.Length && bytes[end] is not ((byte)'}' or (byte)'{' or (byte)'\\')) end++;
            var hex = bytes.AsSpan(_pos, end - _pos);
            _pos = end;   // the tokenizer closes (or, at damage, goes on reading) the group from here
            // The \object group that holds this data counted it; data outside one is an object all the same.
            int number = _objects = Math.Max(_objects, _objectsRead + 1);
            string what = $"embedded object {number}";
            long digits = 0;
            foreach (byte b in hex) if (HexValue(b) >= 0) digits++;
            if (digits / 2 > context.Limits.MaxPartBytes || !context.Budget.TryTakeMember() || !context.Budget.TryTakeBytes(digits / 2))
            {
                Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, $"{what} is over the part limit or the file's budget: not read", context.At()));
                return;
            }
            var data = new byte[digits / 2];
            int n = 0, high = -1;
            foreach (byte b in hex)
            {
                int v = HexValue(b);
                if (v < 0) continue;
                if (high < 0) high = v;
                else if (n < data.Length) { data[n++] = (byte)(high * 16 + v); high = -1; }
            }
            if (!Ole1Object.TryParse(data, out var className, out var native, out string? problem))
            {
                // A linked object's data is in another file: the "not read" note says so; anything else is damage.
                if (!problem!.StartsWith("a linked object", StringComparison.Ordinal))
                    Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"{what} could not be read: {problem}", context.At()));
                return;
            }
            if (context.ExtractChild is not { } extract) return;
            string name = $"object {number} ({className})";
            var payload = className.Equals("Package", StringComparison.OrdinalIgnoreCase) ? Ole1Object.PackageCompoundFile(native) : native;
            Children.Add(extract(new MemoryStream(payload, writable: false), name, context.ForChild(name)));
            _objectsRead++;
        }

        private void Charge(int n)
        {
            _characters += n;
            if (_characters > context.Limits.MaxCharacters) throw new LimitReachedException();
        }

        private static bool IsLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

        private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

        private static int HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
    }
}
