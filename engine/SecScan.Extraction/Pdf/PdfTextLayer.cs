using System.Text;
using System.Text.Unicode;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Outline.Destinations;
using UglyToad.PdfPig.Parser;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace SecScan.Extraction.Pdf;

/// <summary>A page as the text layer read it, or the reason it left the page to PdfPig.</summary>
internal sealed class PdfTextPage
{
    /// <summary>Null when the page was read; otherwise why PdfPig's letters must be used instead.</summary>
    public string? Unsupported { get; init; }

    /// <summary>
    /// The page's glyphs in drawing order. From <see cref="PdfTextLayer"/>, the list is the layer's own and is
    /// refilled by the next page it reads: use it before reading another page.
    /// </summary>
    public List<PdfGlyph> Glyphs { get; init; } = [];

    /// <summary>Image XObjects and inline images drawn, forms included (as PdfPig's <see cref="Page.NumberOfImages"/>).</summary>
    public int Images { get; init; }

    /// <summary>The y of the page's top edge and its height (crop box, else media box).</summary>
    public double Top { get; init; }

    public double Height { get; init; }

    /// <summary>The page's /FileAttachment annotation dictionaries.</summary>
    public List<DictionaryToken> FileAttachments { get; init; } = [];
}

/// <summary>
/// A text-only reader of PDF pages on PdfPig's public lower-level API: PdfPig finds the page and decodes its content
/// streams; <see cref="PdfContentLexer"/> (ours) reads their operations; this class follows the text state
/// (Tf, Tm/Td/TD/T*, Tj/TJ/'/", Tc/Tw/Tz/TL/Ts, q/Q/cm, BT/ET, forms through Do) and decodes character codes with
/// <see cref="PdfTextFont"/>, placing each glyph by its advance width. It never reads a font program, which is
/// where PdfPig spends most of its time (parsing each embedded CFF/Type 1 subset, then running every glyph's
/// charstring for its bounding box).
/// </summary>
/// <remarks>
/// <para>
/// PdfPig stays the parser of the file: its structure and objects, streams and their filters, encryption, the page
/// tree, resource and font dictionaries, metadata and attachments, and every page this class leaves. Only content
/// streams and ToUnicode CMaps go through our lexer, because PdfPig's tokenizer allocates an object per token.
/// </para>
/// <para>
/// Registered on a document with <see cref="PdfDocument.AddPageFactory{TPage}(IPageFactory{TPage})"/>. Pages it
/// cannot read as PdfPig would come back with <see cref="PdfTextPage.Unsupported"/> set, and the caller reads them
/// with PdfPig's letters: a font <see cref="PdfTextFont.TryCreate"/> refuses or a code it cannot decode, a font
/// missing from the resources, a rotated page or one with a /UserUnit, fonts set through an ExtGState, content the
/// lexer refuses (<see cref="PdfLexError"/>: past a bound or unreadable), an operator of ours with operands of the
/// wrong kind, q nested deeper than <see cref="MaxSavedStates"/>.
/// Fonts are cached per document by object reference, so a font shared by all pages is read once.
/// Not thread-safe (one document, one reader).
/// </para>
/// </remarks>
internal sealed class PdfTextLayer(IPdfTokenScanner scanner, ILookupFilterProvider filters) : IPageFactory<PdfTextPage>
{
    private readonly IPdfTokenScanner _scanner = scanner;
    private readonly ILookupFilterProvider _filters = filters;

    /// <summary>Forms within forms deeper than this are not followed (PdfPig's own content nesting guard is similar).</summary>
    private const int MaxFormDepth = 16;

    /// <summary>q without Q past this depth is hostile (real pages nest a few levels): the page is left to PdfPig.</summary>
    private const int MaxSavedStates = 4_096;

    /// <summary>Distinct resource names remembered as <see cref="NameToken"/>s, so that Tf and Do allocate nothing.</summary>
    private const int NamesCached = 64;

    private readonly Dictionary<IndirectReference, PdfTextFont?> _fonts = [];
    private readonly PdfOperands _operands = new();

    /// <summary>For ToUnicode CMaps, which are read in the middle of a content stream's operation (at Tf).</summary>
    private readonly PdfOperands _cmapOperands = new();
    private readonly List<(byte[] Bytes, NameToken Token)> _names = [];

    /// <summary>
    /// Reused page after page: a page of CJK text holds a couple of thousand glyphs, and a fresh list per page
    /// grew through large-object-heap arrays that made the GC collect gen 2 again and again.
    /// </summary>
    private readonly List<PdfGlyph> _glyphs = [];

    /// <summary>Checked every few thousand operations: a page's content can be long.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Glyphs past this many on one page are not kept (the caller's character limit then stops reading).</summary>
    public int MaxGlyphs { get; set; } = int.MaxValue;

    /// <summary>
    /// The whole file and PdfPig's cross-reference offsets: when set, Identity-H Type 0 fonts are read with
    /// <see cref="PdfRawObjects"/> (see <see cref="PdfTextFont.TryCreateType0Raw"/>) before PdfPig's object scanner
    /// is asked. Leave unset for an encrypted document.
    /// </summary>
    public (ReadOnlyMemory<byte> File, IReadOnlyDictionary<IndirectReference, XrefLocation> Offsets)? RawObjects { get; set; }

    public PdfTextPage Create(int number, DictionaryToken dictionary, PageTreeMembers pageTreeMembers, NamedDestinations namedDestinations)
    {
        int rotation = dictionary.TryGet(NameToken.Rotate, _scanner, out NumericToken? rotate) ? rotate.Int : pageTreeMembers.Rotation;
        if (rotation % 360 != 0) return new PdfTextPage { Unsupported = "rotated page" };
        if (dictionary.ContainsKey(NameToken.UserUnit)) return new PdfTextPage { Unsupported = "user unit" };

        var (top, height) = DisplayedBox(dictionary, pageTreeMembers);
        // Inherited resources first, the page's own last: lookups go from the innermost outwards.
        var resources = new List<DictionaryToken>(pageTreeMembers.ParentResources);
        if (dictionary.TryGet(NameToken.Resources, _scanner, out DictionaryToken? own)) resources.Add(own);

        _glyphs.Clear();
        var interpreter = new Interpreter(this, resources);
        interpreter.Run(ReadContents(dictionary).Span, 0);
        if (interpreter.Unsupported is { } reason) return new PdfTextPage { Unsupported = reason };
        return new PdfTextPage
        {
            Glyphs = interpreter.Glyphs,
            Images = interpreter.Images,
            Top = top,
            Height = height,
            FileAttachments = FileAttachments(dictionary),
        };
    }

    /// <summary>A resource name's token: its bytes as UTF-8 when they are, else Latin-1, as PdfPig's tokenizer reads names.</summary>
    private NameToken Name(ReadOnlySpan<byte> bytes)
    {
        foreach (var (known, token) in _names)
            if (bytes.SequenceEqual(known)) return token;
        var name = NameToken.Create(Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes));
        if (_names.Count < NamesCached) _names.Add((bytes.ToArray(), name));
        return name;
    }

    /// <summary>The page's content: one stream, or an array of streams joined by newlines (as PdfPig joins them).</summary>
    internal ReadOnlyMemory<byte> ReadContents(DictionaryToken page)
    {
        if (!page.TryGet(NameToken.Contents, out var contents)) return ReadOnlyMemory<byte>.Empty;
        if (DirectObjectFinder.TryGet(contents, _scanner, out ArrayToken? parts))
        {
            using var joined = new MemoryStream();
            for (int i = 0; i < parts.Length; i++)
            {
                var part = DirectObjectFinder.Get<StreamToken>(parts[i], _scanner)
                    ?? throw new PdfDocumentFormatException("a page content array holds something that is not a stream");
                if (i > 0) joined.WriteByte((byte)'\n');
                joined.Write(part.Decode(_filters, _scanner).Span);
            }
            return joined.ToArray();
        }
        var stream = DirectObjectFinder.Get<StreamToken>(contents, _scanner)
            ?? throw new PdfDocumentFormatException("page contents are not a stream");
        return stream.Decode(_filters, _scanner);
    }

    /// <summary>Top edge and height of the crop box (the page's own, else an ancestor's), else of the media box.</summary>
    private (double Top, double Height) DisplayedBox(DictionaryToken page, PageTreeMembers members)
    {
        var media = Box(page, NameToken.MediaBox) ?? members.MediaBox?.Bounds ?? new PdfRectangle(0, 0, 612, 792);
        PdfRectangle? crop = null;
        var node = page;
        for (int depth = 0; depth < 32 && node is not null && crop is null; depth++)
        {
            crop = Box(node, NameToken.CropBox);
            node = node.TryGet(NameToken.Parent, _scanner, out DictionaryToken? parent) ? parent : null;
        }
        var box = crop is { Width: > 0, Height: > 0 } c ? c : media;
        return (box.Top, box.Height);
    }

    private PdfRectangle? Box(DictionaryToken dictionary, NameToken key)
    {
        if (!dictionary.TryGet(key, _scanner, out ArrayToken? array) || array.Length != 4) return null;
        Span<double> v = stackalloc double[4];
        for (int i = 0; i < 4; i++)
        {
            if (!DirectObjectFinder.TryGet(array[i], _scanner, out NumericToken? n)) return null;
            v[i] = n.Double;
        }
        return new PdfRectangle(Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Max(v[0], v[2]), Math.Max(v[1], v[3]));
    }

    private List<DictionaryToken> FileAttachments(DictionaryToken page)
    {
        var found = new List<DictionaryToken>();
        try
        {
            if (!page.TryGet(NameToken.Annots, _scanner, out ArrayToken? annotations)) return found;
            foreach (var item in annotations.Data)
                if (DirectObjectFinder.TryGet(item, _scanner, out DictionaryToken? annotation)
                    && annotation.TryGet(NameToken.Subtype, _scanner, out NameToken? subtype) && subtype.Data == "FileAttachment")
                    found.Add(annotation);
        }
        catch (Exception ex) when (ex is PdfDocumentFormatException or InvalidOperationException or InvalidCastException)
        {
            // The text was read; a broken annotation list holds nothing we can reach (as on PdfPig's path).
        }
        return found;
    }

    /// <summary>A font by reference, read once per document; null when the text layer cannot decode it.</summary>
    private PdfTextFont? Font(IToken token)
    {
        if (token is IndirectReferenceToken reference)
        {
            if (_fonts.TryGetValue(reference.Data, out var cached)) return cached;
            if (RawObjects is var (file, offsets)
                && PdfTextFont.TryCreateType0Raw(file.Span, offsets, reference.Data, _scanner, _filters, _cmapOperands, out var raw))
                return _fonts[reference.Data] = raw;
            var font = DirectObjectFinder.TryGet(token, _scanner, out DictionaryToken? dictionary) ? PdfTextFont.TryCreate(dictionary, _scanner, _filters, _cmapOperands) : null;
            _fonts[reference.Data] = font;
            return font;
        }
        return token is DictionaryToken direct ? PdfTextFont.TryCreate(direct, _scanner, _filters, _cmapOperands) : null;
    }

    /// <summary>The text state of PDF 32000 §9.3 plus the CTM: what q saves and Q restores.</summary>
    private struct GraphicsState
    {
        public TransformationMatrix Ctm;
        public PdfTextFont? Font;
        public double FontSize, CharSpacing, WordSpacing, Leading, Rise;
        public double HorizontalScale; // Tz / 100
    }

    /// <summary>The operators the text layer acts on; every other one is read and ignored.</summary>
    private enum Op : byte
    {
        Other, Save, Restore, Concat, BeginText, SetFont, CharSpacing, WordSpacing, HorizontalScale, Leading, Rise,
        MoveSetLeading, Move, NextLine, TextMatrix, Show, ShowPositioned, NextLineShow, NextLineShowSpaced, Draw,
        InlineImage, GraphicsState,
    }

    /// <summary>ISO 32000-1 Table 51 (the subset above); "ID" is where <see cref="PdfContentLexer"/> reports an inline image.</summary>
    private static Op Classify(ReadOnlySpan<byte> op) => op switch
    {
        [(byte)'q'] => Op.Save,
        [(byte)'Q'] => Op.Restore,
        [(byte)'\''] => Op.NextLineShow,
        [(byte)'"'] => Op.NextLineShowSpaced,
        [(byte)'c', (byte)'m'] => Op.Concat,
        [(byte)'B', (byte)'T'] => Op.BeginText,
        [(byte)'T', var second] => second switch
        {
            (byte)'f' => Op.SetFont,
            (byte)'c' => Op.CharSpacing,
            (byte)'w' => Op.WordSpacing,
            (byte)'z' => Op.HorizontalScale,
            (byte)'L' => Op.Leading,
            (byte)'s' => Op.Rise,
            (byte)'D' => Op.MoveSetLeading,
            (byte)'d' => Op.Move,
            (byte)'*' => Op.NextLine,
            (byte)'m' => Op.TextMatrix,
            (byte)'j' => Op.Show,
            (byte)'J' => Op.ShowPositioned,
            _ => Op.Other,
        },
        [(byte)'D', (byte)'o'] => Op.Draw,
        [(byte)'I', (byte)'D'] => Op.InlineImage,
        [(byte)'g', (byte)'s'] => Op.GraphicsState,
        _ => Op.Other,
    };

    private static string Describe(PdfLexError error) => error switch
    {
        PdfLexError.NestingTooDeep => "content stream: arrays or dictionaries nested too deep",
        PdfLexError.TooManyOperands => "content stream: too many operands",
        PdfLexError.TokenTooLong => "content stream: a number, name or operator too long",
        PdfLexError.StringTooLong => "content stream: a string too long",
        PdfLexError.UnterminatedString => "content stream: unterminated string",
        PdfLexError.BadHexString => "content stream: malformed hex string",
        PdfLexError.UnterminatedArray => "content stream: unterminated array",
        PdfLexError.UnterminatedDictionary => "content stream: unterminated dictionary",
        PdfLexError.UnbalancedDelimiter => "content stream: unbalanced delimiter",
        PdfLexError.UnterminatedInlineImage => "content stream: inline image without EI",
        _ => "content stream: unreadable",
    };

    private sealed class Interpreter(PdfTextLayer layer, List<DictionaryToken> resources)
    {
        private readonly Stack<GraphicsState> _saved = new();
        private readonly HashSet<IndirectReference> _activeForms = [];
        private readonly PdfOperands _operands = layer._operands;
        private GraphicsState _state = new() { Ctm = TransformationMatrix.Identity, HorizontalScale = 1 };
        private TransformationMatrix _textMatrix = TransformationMatrix.Identity, _lineMatrix = TransformationMatrix.Identity;
        private int _operations;

        public List<PdfGlyph> Glyphs { get; } = layer._glyphs;

        public int Images { get; private set; }

        public string? Unsupported { get; private set; }

        /// <summary>Runs one content stream (the page's, or a form's from <see cref="Draw"/>).</summary>
        /// <remarks>
        /// The operand stack is the layer's, shared with nested forms: a form runs inside <see cref="Draw"/>, after
        /// this stream's operands for Do were used and before its next operation clears them.
        /// </remarks>
        public void Run(ReadOnlySpan<byte> content, int depth)
        {
            var lexer = new PdfContentLexer(content, _operands, PdfLexLimits.Content);
            while (Unsupported is null && lexer.ReadOperation())
            {
                if ((++_operations & 0xFFF) == 0) layer.CancellationToken.ThrowIfCancellationRequested();
                Execute(Classify(lexer.Operator), depth);
            }
            if (Unsupported is null && lexer.Error != PdfLexError.None) Unsupported = Describe(lexer.Error);
        }

        private void Execute(Op op, int depth)
        {
            Span<double> n = stackalloc double[6];
            switch (op)
            {
                case Op.Save:
                    if (_saved.Count == MaxSavedStates) Unsupported = "content stream: q nested too deep";
                    else _saved.Push(_state);
                    break;
                case Op.Restore: if (_saved.Count > 0) _state = _saved.Pop(); break;
                case Op.Concat: if (Numbers(n)) _state.Ctm = TransformationMatrix.FromArray(n).Multiply(_state.Ctm); break;
                case Op.BeginText: _textMatrix = _lineMatrix = TransformationMatrix.Identity; break;
                case Op.SetFont:
                    if (Numbers(n[..1]) && Operand(2, PdfOperandKind.Name) is { } font) SetFont(layer.Name(_operands.Bytes(font)), n[0]);
                    break;
                case Op.CharSpacing: if (Numbers(n[..1])) _state.CharSpacing = n[0]; break;
                case Op.WordSpacing: if (Numbers(n[..1])) _state.WordSpacing = n[0]; break;
                case Op.HorizontalScale: if (Numbers(n[..1])) _state.HorizontalScale = n[0] / 100; break;
                case Op.Leading: if (Numbers(n[..1])) _state.Leading = n[0]; break;
                case Op.Rise: if (Numbers(n[..1])) _state.Rise = n[0]; break;
                case Op.MoveSetLeading:
                    if (Numbers(n[..2]))
                    {
                        _state.Leading = -n[1];
                        NextLine(n[0], n[1]);
                    }
                    break;
                case Op.Move: if (Numbers(n[..2])) NextLine(n[0], n[1]); break;
                case Op.NextLine: NextLine(0, -_state.Leading); break;
                case Op.TextMatrix: if (Numbers(n)) _textMatrix = _lineMatrix = TransformationMatrix.FromArray(n); break;
                case Op.Show: if (Operand(1, PdfOperandKind.String) is { } text) Show(_operands.Bytes(text)); break;
                case Op.NextLineShow:
                    if (Operand(1, PdfOperandKind.String) is { } line)
                    {
                        NextLine(0, -_state.Leading);
                        Show(_operands.Bytes(line));
                    }
                    break;
                case Op.NextLineShowSpaced:
                    if (Numbers(n[..2], below: 1) && Operand(1, PdfOperandKind.String) is { } spaced)
                    {
                        _state.WordSpacing = n[0];
                        _state.CharSpacing = n[1];
                        NextLine(0, -_state.Leading);
                        Show(_operands.Bytes(spaced));
                    }
                    break;
                case Op.ShowPositioned: ShowPositioned(); break;
                case Op.Draw: if (Operand(1, PdfOperandKind.Name) is { } xObject) Draw(layer.Name(_operands.Bytes(xObject)), depth); break;
                case Op.InlineImage: Images++; break;
                case Op.GraphicsState: if (Operand(1, PdfOperandKind.Name) is { } gs) CheckGraphicsState(layer.Name(_operands.Bytes(gs))); break;
            }
        }

        /// <summary>
        /// The operand <paramref name="fromTop"/> places below the top (1 = the last), which must be of
        /// <paramref name="kind"/> and the operator's own (not inside an array); otherwise the page is left to PdfPig.
        /// </summary>
        private PdfOperand? Operand(int fromTop, PdfOperandKind kind)
        {
            int at = _operands.Count - fromTop;
            if (at >= 0 && _operands[at] is { Depth: 0 } operand && operand.Kind == kind) return operand;
            Unsupported = "content stream: an operator with operands of the wrong kind";
            return null;
        }

        /// <summary>Fills <paramref name="values"/> with the numbers that end <paramref name="below"/> operands below the top.</summary>
        private bool Numbers(Span<double> values, int below = 0)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (Operand(below + values.Length - i, PdfOperandKind.Number) is not { } number) return false;
                values[i] = number.Number;
            }
            return true;
        }

        private void NextLine(double tx, double ty) =>
            _textMatrix = _lineMatrix = TransformationMatrix.GetTranslationMatrix(tx, ty).Multiply(_lineMatrix);

        private void SetFont(NameToken name, double size)
        {
            _state.FontSize = size;
            var token = Lookup(NameToken.Font, name);
            if (token is null)
            {
                Unsupported = "font not in the page resources";
                return;
            }
            _state.Font = layer.Font(token);
            if (_state.Font is null) Unsupported = "font the text layer cannot decode";
        }

        private void CheckGraphicsState(NameToken name)
        {
            if (Lookup(NameToken.ExtGState, name) is { } token && DirectObjectFinder.TryGet(token, layer._scanner, out DictionaryToken? gs)
                && gs.ContainsKey(NameToken.Font))
                Unsupported = "font set through an ExtGState";
        }

        /// <summary>A named resource of a category, from the innermost resource dictionary outwards.</summary>
        private IToken? Lookup(NameToken category, NameToken name)
        {
            for (int i = resources.Count - 1; i >= 0; i--)
                if (resources[i].TryGet(category, layer._scanner, out DictionaryToken? entries) && entries.TryGet(name, out var token))
                    return token;
            return null;
        }

        /// <summary>TJ: its array is the last operand; numbers move back by thousandths of the font size, strings are shown.</summary>
        private void ShowPositioned()
        {
            int marker = _operands.LastTopLevel;
            if (marker < 0 || marker != _operands.Count - 1 - _operands[marker].Length || _operands[marker].Kind != PdfOperandKind.Array)
            {
                Unsupported = "content stream: an operator with operands of the wrong kind";
                return;
            }
            for (int i = marker + 1; i < _operands.Count && Unsupported is null; i++)
            {
                ref readonly var item = ref _operands[i];
                if (item.Depth != 1) continue; // inside an array nested in TJ's: not a TJ element
                if (item.Kind == PdfOperandKind.Number)
                    _textMatrix = Translated(_textMatrix, -item.Number / 1000 * _state.FontSize * _state.HorizontalScale);
                else if (item.Kind == PdfOperandKind.String) Show(_operands.Bytes(item));
            }
        }

        /// <summary>
        /// Places each code of a shown string (PDF 32000 §9.4.4): in text space the glyph spans x … x + w·Tfs·Th at
        /// height Ts; the text matrix times the CTM takes it to the page; x advances by (w·Tfs + Tc + Tw) · Th.
        /// </summary>
        private void Show(ReadOnlySpan<byte> bytes)
        {
            if (_state.Font is not { } font)
            {
                Unsupported = "text shown before a font was set";
                return;
            }
            double size = _state.FontSize, scale = _state.HorizontalScale, rise = _state.Rise;
            var m = _textMatrix.Multiply(_state.Ctm);
            var (em, degrees) = SizeAndDirection(m, size);
            double ascent = rise + font.Ascent * size;
            // Text space to the page, written out: (x, y) → (a·x + c·y + e, b·x + d·y + f).
            double a = m.A, b = m.B, c = m.C, d = m.D, e = m.E, f = m.F;
            double x = 0;
            for (int at = 0; at < bytes.Length;)
            {
                int length = font.ReadCode(bytes, at, out int code);
                at += length;
                if (!font.TryDecode(code, out var text))
                {
                    Unsupported = "a code only the font program can decode";
                    return;
                }
                double advance = font.Width(code) * size * scale;
                if (Glyphs.Count < layer.MaxGlyphs)
                {
                    double x1 = x + advance;
                    var start = new PdfPoint(a * x + c * rise + e, b * x + d * rise + f);
                    var end = new PdfPoint(a * x1 + c * rise + e, b * x1 + d * rise + f);
                    double top = Math.Max(Math.Max(start.Y, end.Y), Math.Max(b * x + d * ascent + f, b * x1 + d * ascent + f));
                    Glyphs.Add(new PdfGlyph(text, start, end, em, top, degrees));
                }
                x += advance + (_state.CharSpacing + (code == ' ' && length == 1 ? _state.WordSpacing : 0)) * scale;
            }
            _textMatrix = Translated(_textMatrix, x);
        }

        private TransformationMatrix _sizedCtm, _sizedText;
        private double _sizedAt = double.NaN, _em;
        private int _degrees;

        /// <summary>
        /// The point size PdfPig gives the letters of a string (CTM × Tm applied to a unit-wide box of the font
        /// size's height, rounded to 0.01; the font size itself when that is 0) and the writing direction in
        /// quarter turns. Both depend on the matrices' linear parts and the size only, so the strings of a TJ array,
        /// whose text matrices differ by a translation, compute them once.
        /// </summary>
        private (double Em, int Degrees) SizeAndDirection(in TransformationMatrix toPage, double size)
        {
            if (size.Equals(_sizedAt) && SameLinearPart(_state.Ctm, _sizedCtm) && SameLinearPart(_textMatrix, _sizedText))
                return (_em, _degrees);
            double pointSize = Math.Round(_state.Ctm.Multiply(_textMatrix).Transform(new PdfRectangle(0, 0, 1, size)).Height, 2);
            _em = pointSize > 0 ? pointSize : Math.Max(Math.Abs(size), 1);
            _degrees = ((int)Math.Round(Math.Atan2(toPage.B, toPage.A) * 180 / Math.PI / 90) * 90 + 360) % 360;
            (_sizedCtm, _sizedText, _sizedAt) = (_state.Ctm, _textMatrix, size);
            return (_em, _degrees);
        }

        private static bool SameLinearPart(in TransformationMatrix x, in TransformationMatrix y) =>
            x.A == y.A && x.B == y.B && x.C == y.C && x.D == y.D;

        /// <summary>T(tx, 0) × m: the text matrix moved along its own baseline.</summary>
        private static TransformationMatrix Translated(in TransformationMatrix m, double tx) =>
            TransformationMatrix.FromValues(m.A, m.B, m.C, m.D, tx * m.A + m.E, tx * m.B + m.F);

        private void Draw(NameToken name, int depth)
        {
            if (Lookup(NameToken.Xobject, name) is not { } token || !DirectObjectFinder.TryGet(token, layer._scanner, out StreamToken? xObject))
            {
                Unsupported = "XObject not in the page resources";
                return;
            }
            var subtype = xObject.StreamDictionary.TryGet(NameToken.Subtype, layer._scanner, out NameToken? s) ? s.Data : "";
            if (subtype == "Image")
            {
                Images++;
                return;
            }
            if (subtype != "Form" || depth >= MaxFormDepth) return;
            if (token is IndirectReferenceToken reference && !_activeForms.Add(reference.Data)) return; // a form that draws itself

            var saved = _state;
            var savedStack = _saved.Count;
            bool pushedResources = xObject.StreamDictionary.TryGet(NameToken.Resources, layer._scanner, out DictionaryToken? formResources);
            if (pushedResources) resources.Add(formResources!);
            try
            {
                if (xObject.StreamDictionary.TryGet(NameToken.Matrix, layer._scanner, out ArrayToken? matrix) && matrix.Length == 6)
                {
                    Span<double> m = stackalloc double[6];
                    for (int i = 0; i < 6; i++) m[i] = DirectObjectFinder.TryGet(matrix[i], layer._scanner, out NumericToken? n) ? n.Double : (i is 0 or 3 ? 1 : 0);
                    _state.Ctm = TransformationMatrix.FromArray(m).Multiply(_state.Ctm);
                }
                Run(xObject.Decode(layer._filters, layer._scanner).Span, depth + 1);
            }
            finally
            {
                if (pushedResources) resources.RemoveAt(resources.Count - 1);
                while (_saved.Count > savedStack) _saved.Pop();
                _state = saved;
                if (token is IndirectReferenceToken r) _activeForms.Remove(r.Data);
            }
        }
    }
}
