using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Graphics;
using UglyToad.PdfPig.Graphics.Operations;
using UglyToad.PdfPig.Graphics.Operations.InlineImages;
using UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState;
using UglyToad.PdfPig.Graphics.Operations.TextObjects;
using UglyToad.PdfPig.Graphics.Operations.TextPositioning;
using UglyToad.PdfPig.Graphics.Operations.TextShowing;
using UglyToad.PdfPig.Graphics.Operations.TextState;
using UglyToad.PdfPig.Logging;
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
/// A text-only reader of PDF pages on PdfPig's public lower-level API: PdfPig finds the page, decodes its content
/// streams and parses them into operations (<see cref="PageContentParser"/>); this class follows the text state
/// (Tf, Tm/Td/TD/T*, Tj/TJ/'/", Tc/Tw/Tz/TL/Ts, q/Q/cm, BT/ET, forms through Do) and decodes character codes with
/// <see cref="PdfTextFont"/>, placing each glyph by its advance width. It never reads a font program, which is
/// where PdfPig spends most of its time (parsing each embedded CFF/Type 1 subset, then running every glyph's
/// charstring for its bounding box).
/// </summary>
/// <remarks>
/// Registered on a document with <see cref="PdfDocument.AddPageFactory{TPage}(IPageFactory{TPage})"/>. Pages it
/// cannot read as PdfPig would come back with <see cref="PdfTextPage.Unsupported"/> set, and the caller reads them
/// with PdfPig's letters: a font <see cref="PdfTextFont.TryCreate"/> refuses or a code it cannot decode, a font
/// missing from the resources, a rotated page or one with a /UserUnit, fonts set through an ExtGState.
/// Fonts are cached per document by object reference, so a font shared by all pages is read once.
/// Not thread-safe (one document, one reader).
/// </remarks>
internal sealed class PdfTextLayer(IPdfTokenScanner scanner, ILookupFilterProvider filters) : IPageFactory<PdfTextPage>
{
    private readonly IPdfTokenScanner _scanner = scanner;
    private readonly ILookupFilterProvider _filters = filters;

    /// <summary>Forms within forms deeper than this are not followed (PdfPig's own content nesting guard is similar).</summary>
    private const int MaxFormDepth = 16;

    private readonly PageContentParser _parser = new(ReflectionGraphicsStateOperationFactory.Instance, new StackDepthGuard(256), true);
    private readonly Dictionary<IndirectReference, PdfTextFont?> _fonts = [];

    /// <summary>Checked every few thousand operations: a page's content can be long.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Glyphs past this many on one page are not kept (the caller's character limit then stops reading).</summary>
    public int MaxGlyphs { get; set; } = int.MaxValue;

    public PdfTextPage Create(int number, DictionaryToken dictionary, PageTreeMembers pageTreeMembers, NamedDestinations namedDestinations)
    {
        int rotation = dictionary.TryGet(NameToken.Rotate, _scanner, out NumericToken? rotate) ? rotate.Int : pageTreeMembers.Rotation;
        if (rotation % 360 != 0) return new PdfTextPage { Unsupported = "rotated page" };
        if (dictionary.ContainsKey(NameToken.UserUnit)) return new PdfTextPage { Unsupported = "user unit" };

        var (top, height) = DisplayedBox(dictionary, pageTreeMembers);
        // Inherited resources first, the page's own last: lookups go from the innermost outwards.
        var resources = new List<DictionaryToken>(pageTreeMembers.ParentResources);
        if (dictionary.TryGet(NameToken.Resources, _scanner, out DictionaryToken? own)) resources.Add(own);

        var interpreter = new Interpreter(this, number, resources);
        interpreter.Run(Parse(number, ReadContents(dictionary)), 0);
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

    private IReadOnlyList<IGraphicsStateOperation> Parse(int number, ReadOnlyMemory<byte> content) =>
        content.IsEmpty ? [] : _parser.Parse(number, new MemoryInputBytes(content), NoLog.Instance);

    /// <summary>The page's content: one stream, or an array of streams joined by newlines (as PdfPig joins them).</summary>
    private ReadOnlyMemory<byte> ReadContents(DictionaryToken page)
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
            var font = DirectObjectFinder.TryGet(token, _scanner, out DictionaryToken? dictionary) ? PdfTextFont.TryCreate(dictionary, _scanner, _filters) : null;
            _fonts[reference.Data] = font;
            return font;
        }
        return token is DictionaryToken direct ? PdfTextFont.TryCreate(direct, _scanner, _filters) : null;
    }

    /// <summary>The text state of PDF 32000 §9.3 plus the CTM: what q saves and Q restores.</summary>
    private struct GraphicsState
    {
        public TransformationMatrix Ctm;
        public PdfTextFont? Font;
        public double FontSize, CharSpacing, WordSpacing, Leading, Rise;
        public double HorizontalScale; // Tz / 100
    }

    private sealed class Interpreter(PdfTextLayer layer, int pageNumber, List<DictionaryToken> resources)
    {
        private readonly Stack<GraphicsState> _saved = new();
        private readonly HashSet<IndirectReference> _activeForms = [];
        private GraphicsState _state = new() { Ctm = TransformationMatrix.Identity, HorizontalScale = 1 };
        private TransformationMatrix _textMatrix = TransformationMatrix.Identity, _lineMatrix = TransformationMatrix.Identity;
        private int _operations;

        public List<PdfGlyph> Glyphs { get; } = [];

        public int Images { get; private set; }

        public string? Unsupported { get; private set; }

        public void Run(IReadOnlyList<IGraphicsStateOperation> operations, int depth)
        {
            for (int i = 0; i < operations.Count && Unsupported is null; i++)
            {
                if ((++_operations & 0xFFF) == 0) layer.CancellationToken.ThrowIfCancellationRequested();
                switch (operations[i])
                {
                    case Push: _saved.Push(_state); break;
                    case Pop: if (_saved.Count > 0) _state = _saved.Pop(); break;
                    case ModifyCurrentTransformationMatrix cm: _state.Ctm = TransformationMatrix.FromArray(cm.Value).Multiply(_state.Ctm); break;
                    case BeginText: _textMatrix = _lineMatrix = TransformationMatrix.Identity; break;
                    case EndText: break;
                    case SetFontAndSize tf: SetFont(tf.Font, tf.Size); break;
                    case SetCharacterSpacing tc: _state.CharSpacing = tc.Spacing; break;
                    case SetWordSpacing tw: _state.WordSpacing = tw.Spacing; break;
                    case SetHorizontalScaling tz: _state.HorizontalScale = tz.Scale / 100; break;
                    case SetTextLeading tl: _state.Leading = tl.Leading; break;
                    case SetTextRise ts: _state.Rise = ts.Rise; break;
                    case MoveToNextLineWithOffsetSetLeading td:
                        _state.Leading = -td.Ty;
                        NextLine(td.Tx, td.Ty);
                        break;
                    case MoveToNextLineWithOffset td: NextLine(td.Tx, td.Ty); break;
                    case MoveToNextLine: NextLine(0, -_state.Leading); break;
                    case SetTextMatrix tm: _textMatrix = _lineMatrix = TransformationMatrix.FromArray(tm.Value); break;
                    case ShowText tj: Show(Codes(tj.Text, tj.Bytes)); break;
                    case MoveToNextLineShowText quote:
                        NextLine(0, -_state.Leading);
                        Show(Codes(quote.Text, quote.Bytes));
                        break;
                    case MoveToNextLineShowTextWithSpacing doubleQuote:
                        _state.WordSpacing = doubleQuote.WordSpacing;
                        _state.CharSpacing = doubleQuote.CharacterSpacing;
                        NextLine(0, -_state.Leading);
                        Show(Codes(doubleQuote.Text, doubleQuote.Bytes));
                        break;
                    case ShowTextsWithPositioning tjArray: ShowPositioned(tjArray.Array); break;
                    case InvokeNamedXObject xObject: Draw(xObject.Name, depth); break;
                    case EndInlineImage: Images++; break;
                    case SetGraphicsStateParametersFromDictionary gs: CheckGraphicsState(gs.Name); break;
                }
            }
        }

        /// <summary>
        /// A show operation's character codes: PdfPig builds it from a literal string's text (one char per byte,
        /// as its own ShowText.Run reads it back) or from a hex string's bytes.
        /// </summary>
        private static ReadOnlySpan<byte> Codes(string? text, ReadOnlyMemory<byte> bytes) =>
            text is null ? bytes.Span : OtherEncodings.StringAsLatin1Bytes(text);

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

        private void ShowPositioned(IReadOnlyList<IToken> items)
        {
            foreach (var item in items)
            {
                if (item is NumericToken adjustment)
                    _textMatrix = TransformationMatrix.GetTranslationMatrix(-adjustment.Double / 1000 * _state.FontSize * _state.HorizontalScale, 0).Multiply(_textMatrix);
                else if (item is HexToken hex) Show(hex.Bytes);
                else if (item is StringToken text) Show(text.GetBytes());
                if (Unsupported is not null) return;
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
            var toPage = _textMatrix.Multiply(_state.Ctm);
            // PdfPig's point size for the letters of this string, computed its way (CTM × Tm).
            double pointSize = Math.Round(_state.Ctm.Multiply(_textMatrix).Transform(new PdfRectangle(0, 0, 1, size)).Height, 2);
            var origin = toPage.Transform(new PdfPoint(0, 0));
            var along = toPage.Transform(new PdfPoint(1, 0));
            int degrees = ((int)Math.Round(Math.Atan2(along.Y - origin.Y, along.X - origin.X) * 180 / Math.PI / 90) * 90 + 360) % 360;

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
                double width = font.Width(code);
                double advance = width * size * scale;
                if (Glyphs.Count < layer.MaxGlyphs)
                {
                    var start = toPage.Transform(new PdfPoint(x, rise));
                    var end = toPage.Transform(new PdfPoint(x + advance, rise));
                    double ascent = rise + font.Ascent * size;
                    double top = Math.Max(Math.Max(start.Y, end.Y),
                        Math.Max(toPage.Transform(new PdfPoint(x, ascent)).Y, toPage.Transform(new PdfPoint(x + advance, ascent)).Y));
                    Glyphs.Add(new PdfGlyph(text, start, end, pointSize > 0 ? pointSize : Math.Max(Math.Abs(size), 1), top, degrees));
                }
                x += advance + (_state.CharSpacing + (code == ' ' && length == 1 ? _state.WordSpacing : 0)) * scale;
            }
            _textMatrix = TransformationMatrix.GetTranslationMatrix(x, 0).Multiply(_textMatrix);
        }

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
                Run(layer.Parse(pageNumber, xObject.Decode(layer._filters, layer._scanner)), depth + 1);
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

    private sealed class NoLog : ILog
    {
        public static readonly NoLog Instance = new();

        public void Debug(string message) { }

        public void Debug(string message, Exception ex) { }

        public void Warn(string message) { }

        public void Error(string message) { }

        public void Error(string message, Exception ex) { }
    }
}
