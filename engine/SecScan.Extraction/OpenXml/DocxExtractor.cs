using System.IO.Packaging;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Reads WordprocessingML (.docx, .docm, .dotx): body, tables, headers, footers, footnotes, endnotes,
/// comments, text boxes, tracked changes, hidden text and document properties, one segment per paragraph.
/// </summary>
/// <remarks>
/// The SDK's package model finds the parts; each part's XML is then streamed with <see cref="XmlReader"/>
/// (never loaded as a DOM: streaming is about six times faster and bounded in memory). DTDs are prohibited,
/// so entity-expansion attacks fail as a <see cref="CoverageKind.Corrupt"/> note for that part. A package
/// that cannot be opened gives one Corrupt note; a part that fails to parse gives a note and the other parts
/// are still read. Throws only <see cref="OperationCanceledException"/> and unexpected failures.
/// Stateless and thread-safe.
/// </remarks>
public sealed class DocxExtractor : IExtractor
{
    /// <summary>Cancellation is checked at least this often while streaming one part.</summary>
    private const int ParagraphsPerCancellationCheck = 1000;

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Docx];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        // Fast path: System.IO.Packaging opened read-only and handed to the SDK. Given a read-only stream
        // instead, the SDK copies the whole file to a temporary file on every open so that it could rewrite
        // malformed URIs: about six times slower to open, and the document's bytes would leave memory.
        try
        {
            Package package;
            try
            {
                package = Package.Open(stream, FileMode.Open, FileAccess.Read);
            }
            catch (Exception ex) when (IsDamagedInput(ex))
            {
                return CannotOpen(ex, context);
            }
            using (package)
                return Read(() => WordprocessingDocument.Open(package), context, tolerantPackage: false);
        }
        catch (OpenXmlPackageException)
        {
            // Typically a hyperlink whose target is not a valid URI: only a writable package lets the SDK
            // rewrite those. Retry on a private in-memory copy; the input stream is never written to.
        }
        var copy = new MemoryStream(checked((int)stream.Length));
        stream.Position = 0;
        stream.CopyTo(copy);
        copy.Position = 0;
        return Read(() => WordprocessingDocument.Open(copy, true, new OpenSettings { AutoSave = false }), context, tolerantPackage: true);
    }

    private static ExtractedDocument CannotOpen(Exception ex, ExtractionContext context) =>
        ExtractedDocument.Unreadable(Extraction.MediaTypes.Docx, new CoverageNote(CoverageKind.Corrupt,
            $"DOCX package could not be opened: {Describe(ex)}", context.At()));

    /// <param name="open">Opens the document; failures become one Corrupt note.</param>
    /// <param name="context">The extraction context.</param>
    /// <param name="tolerantPackage">
    /// False on the fast path: an <see cref="OpenXmlPackageException"/> then propagates so that the caller can
    /// retry tolerantly; true on the retry, where it is a Corrupt note like any other damage.
    /// </param>
    private static ExtractedDocument Read(Func<WordprocessingDocument> open, ExtractionContext context, bool tolerantPackage)
    {
        WordprocessingDocument document;
        try
        {
            document = open();
        }
        catch (Exception ex) when (IsDamagedInput(ex) && (tolerantPackage || ex is not OpenXmlPackageException))
        {
            return CannotOpen(ex, context);
        }

        using (document)
        {
            var run = new ExtractionRun(context, tolerantPackage);
            // The SDK loads relationships lazily, so a damaged package can fail at any step below. Each step is
            // guarded on its own: what was read stays, and each failure is a Corrupt note.
            MainDocumentPart? main = null;
            run.Guard("the main document", () => main = document.MainDocumentPart ?? throw new InvalidDataException("no main document part"));
            if (main is not null)
            {
                // Reading order: body first, then the stories around it. The body's paragraph numbers are what
                // "top region" detectors use; other parts carry their URI in PartName.
                run.Guard("the body", () => run.ReadStory(main, SegmentPart.Body));
                run.Guard("headers", () => { foreach (var part in main.HeaderParts) run.ReadStory(part, SegmentPart.Header); });
                run.Guard("footers", () => { foreach (var part in main.FooterParts) run.ReadStory(part, SegmentPart.Footer); });
                run.Guard("footnotes", () => { if (main.FootnotesPart is { } part) run.ReadStory(part, SegmentPart.Footnote); });
                run.Guard("endnotes", () => { if (main.EndnotesPart is { } part) run.ReadStory(part, SegmentPart.Endnote); });
                run.Guard("comments", () => { if (main.WordprocessingCommentsPart is { } part) run.ReadStory(part, SegmentPart.Comment); });
            }
            run.Guard("core properties", () => { if (document.CoreFilePropertiesPart is { } part) run.ReadProperties(part, PropertyKind.Core); });
            run.Guard("custom properties", () => { if (document.CustomFilePropertiesPart is { } part) run.ReadProperties(part, PropertyKind.Custom); });
            run.Guard("extended properties", () => { if (document.ExtendedFilePropertiesPart is { } part) run.ReadProperties(part, PropertyKind.Extended); });
            run.Guard("the part inventory", () => run.AddInventoryNotes(document));
            return new ExtractedDocument(Extraction.MediaTypes.Docx, run.Segments, run.Coverage);
        }
    }

    /// <summary>
    /// Failures that mean "this package or part is damaged". System.IO.Packaging reports a relationship to a
    /// missing part as <see cref="InvalidOperationException"/> and a bad content type or part name as
    /// <see cref="ArgumentException"/>; both are caught only around package access and part parsing.
    /// </summary>
    private static bool IsDamagedInput(Exception ex) =>
        ex is OpenXmlPackageException or InvalidDataException or FormatException or XmlException or IOException
            or (InvalidOperationException and not ObjectDisposedException) or (ArgumentException and not ArgumentNullException);

    /// <summary>
    /// The reason for a note. XmlException messages quote the offending token, which may be document text:
    /// notes travel with the verdict, so only the position is kept.
    /// </summary>
    private static string Describe(Exception ex) => ex switch
    {
        XmlException x when x.Message.Contains("DTD", StringComparison.Ordinal) =>
            $"XmlException: DTDs are prohibited (line {x.LineNumber}, position {x.LinePosition})",
        XmlException x => $"XmlException: malformed XML at line {x.LineNumber}, position {x.LinePosition}",
        _ => $"{SafeText.Of(ex)}",
    };

    private enum PropertyKind { Core, Custom, Extended }

    /// <summary>Thrown inside one extraction to stop reading at a <see cref="ScanLimits"/> bound.</summary>
    private sealed class LimitReachedException(string message, bool stopAll) : Exception(message)
    {
        /// <summary>True when nothing further may be read (character budget); false when only this part stops.</summary>
        public bool StopAll { get; } = stopAll;
    }

    /// <summary>The mutable state of one extraction: segments, notes, budgets and counters.</summary>
    private sealed class ExtractionRun
    {
        private readonly ExtractionContext _context;
        private readonly bool _tolerantPackage;
        private readonly XmlReaderSettings _settings;
        private readonly Names _names;
        private readonly char[] _chunk = new char[4096];
        private long _characters;
        private bool _stopped;
        private int _images;
        private int _oleObjects;

        public ExtractionRun(ExtractionContext context, bool tolerantPackage)
        {
            _context = context;
            _tolerantPackage = tolerantPackage;
            var nameTable = new NameTable();
            _names = new Names(nameTable);
            _settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                CloseInput = false,
                NameTable = nameTable,
            };
        }

        public List<TextSegment> Segments { get; } = [];

        public List<CoverageNote> Coverage { get; } = [];

        /// <summary>Streams one story part (document, header, footer, notes, comments) into paragraph segments.</summary>
        public void ReadStory(OpenXmlPart part, SegmentPart kind)
        {
            if (_stopped) return;
            _context.CancellationToken.ThrowIfCancellationRequested();
            // Body locations stay short; every other story names its part ("/word/header1.xml").
            var story = new StoryReader(this, kind, kind == SegmentPart.Body ? null : part.Uri.OriginalString);
            ReadPart(part, story.Read, story.Flush);
        }

        public void ReadProperties(OpenXmlPart part, PropertyKind kind)
        {
            if (_stopped) return;
            _context.CancellationToken.ThrowIfCancellationRequested();
            ReadPart(part, reader => ReadPropertyElements(reader, kind), flush: null);
        }

        /// <summary>Opens a part with the byte bound and turns parse failures and limits into notes for that part.</summary>
        private void ReadPart(OpenXmlPart part, Action<XmlReader> read, Action? flush)
        {
            string where = part.Uri.OriginalString;
            try
            {
                using var raw = part.GetStream(FileMode.Open, FileAccess.Read);
                using var bounded = new BoundedReadStream(raw, _context.Limits.MaxPartBytes);
                using var reader = XmlReader.Create(bounded, _settings);
                read(reader);
            }
            catch (LimitReachedException ex)
            {
                flush?.Invoke();
                _stopped |= ex.StopAll;
                Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, ex.Message, _context.At() with { PartName = where }));
            }
            catch (Exception ex) when (IsDamaged(ex))
            {
                flush?.Invoke();
                Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                    $"part {where} could not be read: {Describe(ex)}", _context.At() with { PartName = where }));
            }
        }

        /// <summary>Package errors on the fast path are left to propagate: the document is then read again tolerantly.</summary>
        private bool IsDamaged(Exception ex) => IsDamagedInput(ex) && (_tolerantPackage || ex is not OpenXmlPackageException);

        /// <summary>Runs one step of package access; a damaged package becomes a Corrupt note, not a lost document.</summary>
        public void Guard(string what, Action step)
        {
            try
            {
                step();
            }
            catch (Exception ex) when (IsDamaged(ex))
            {
                Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"{what} could not be read: {Describe(ex)}", _context.At()));
            }
        }

        public void AddInventoryNotes(WordprocessingDocument document)
        {
            if (_images > 0)
                Coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    _images == 1 ? "1 image not inspected" : $"{_images} images not inspected", _context.At()));
            // An OLE object is an o:OLEObject element pointing at an embedded part; charts carry embedded
            // workbooks with no such element, and linked objects have no part. The larger count misses neither.
            int embeddedParts = 0, otherText = 0;
            foreach (var p in document.GetAllParts())
            {
                if (p is EmbeddedObjectPart or EmbeddedPackagePart) embeddedParts++;
                // Chart labels, SmartArt nodes and altChunk imports are text this reader does not reach: say so.
                else if (p is ChartPart or DiagramDataPart or AlternativeFormatImportPart) otherText++;
            }
            int embedded = Math.Max(embeddedParts, _oleObjects);
            if (embedded > 0)
                Coverage.Add(new CoverageNote(CoverageKind.Unsupported,
                    embedded == 1 ? "1 embedded object not read" : $"{embedded} embedded objects not read", _context.At()));
            if (otherText > 0)
                Coverage.Add(new CoverageNote(CoverageKind.Unsupported,
                    $"{otherText} chart, SmartArt or imported-content part{(otherText == 1 ? "" : "s")} not read", _context.At()));
        }

        /// <summary>Adds a segment; its characters were charged to the budget as they were read.</summary>
        private void Emit(string text, Location location) => Segments.Add(new TextSegment(text, location));

        /// <summary>Appends a text node's value in chunks, so that one huge node cannot outgrow the budget.</summary>
        private void AppendValue(XmlReader reader, System.Text.StringBuilder target)
        {
            if (!reader.CanReadValueChunk)
            {
                Charge(reader.Value.Length);
                target.Append(reader.Value);
                return;
            }
            int n;
            while ((n = reader.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
            {
                Charge(n);
                target.Append(_chunk, 0, n);
            }
        }

        private void Charge(int characters)
        {
            _characters += characters;
            if (_characters > _context.Limits.MaxCharacters)
                throw new LimitReachedException($"text beyond {_context.Limits.MaxCharacters:N0} characters was not read", stopAll: true);
        }

        private void ReadPropertyElements(XmlReader reader, PropertyKind kind)
        {
            var value = new System.Text.StringBuilder();
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1) continue;
                string? name = kind switch
                {
                    PropertyKind.Core => CoreName(reader.LocalName),
                    PropertyKind.Custom => reader.LocalName == "property" ? reader.GetAttribute("name") : null,
                    _ => reader.LocalName is "Company" or "Manager" ? reader.LocalName : null,
                };
                if (name is null || reader.IsEmptyElement) continue;
                // Collect every text node below the property: custom values sit in a typed vt:* child.
                value.Clear();
                int depth = reader.Depth;
                while (reader.Read() && reader.Depth > depth)
                    if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
                        AppendValue(reader, value);
                string text = value.ToString().Trim();
                if (text.Length > 0 && name.Length > 0)
                    Emit($"{name}: {text}", _context.At(SegmentPart.Metadata) with { PartName = name });
            }
        }

        private static string? CoreName(string localName) => localName switch
        {
            "title" or "subject" or "creator" or "keywords" or "description" or "category" or "lastModifiedBy" => localName,
            _ => null,
        };

        /// <summary>
        /// Streams one story. Paragraphs nest (a text box is a paragraph inside a run of another paragraph),
        /// so open paragraphs live on a stack; each is emitted when its end tag is read, which puts a text
        /// box's segments just before those of the paragraph that anchors it.
        /// </summary>
        private sealed class StoryReader(ExtractionRun run, SegmentPart kind, string? partName)
        {
            private readonly Names _n = run._names;
            private readonly List<Paragraph> _paragraphs = [];
            private readonly Stack<Paragraph> _pool = new();
            private readonly List<TableCursor> _tables = [];
            // One entry per open mc:AlternateContent: has a branch of it been read already?
            private readonly List<bool> _alternates = [];
            private int _paragraphCount;
            private int _tableCount;
            private int _textBoxDepth;

            public void Read(XmlReader reader)
            {
                if (!reader.Read()) return;
                int nodes = 0;
                while (!reader.EOF)
                {
                    // A part with few paragraphs can still be huge: check cancellation by nodes as well.
                    if ((++nodes & 0xFFFF) == 0) run._context.CancellationToken.ThrowIfCancellationRequested();
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        if (Start(reader))
                        {
                            reader.Skip();   // leaves the reader on the next node already
                            continue;
                        }
                    }
                    else if (reader.NodeType == XmlNodeType.EndElement)
                    {
                        End(reader);
                    }
                    else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                    {
                        Text(reader);
                    }
                    reader.Read();
                }
            }

            /// <summary>Emits whatever paragraphs were open when a part stopped early, so partial text is still scanned.</summary>
            public void Flush()
            {
                for (int i = _paragraphs.Count - 1; i >= 0; i--) EmitParagraph(_paragraphs[i]);
                _paragraphs.Clear();
            }

            /// <summary>Handles a start tag; returns true when the whole element is to be skipped.</summary>
            private bool Start(XmlReader reader)
            {
                string local = reader.LocalName;
                string ns = reader.NamespaceURI;
                bool empty = reader.IsEmptyElement;
                var p = _paragraphs.Count > 0 ? _paragraphs[^1] : null;

                if (_n.IsW(ns))
                {
                    if ((object)local == _n.P)
                    {
                        var para = OpenParagraph();
                        if (empty) { _paragraphs.RemoveAt(_paragraphs.Count - 1); Recycle(para); }
                        return false;
                    }
                    if (p is not null && p.RunDepth >= 0)
                    {
                        int depth = reader.Depth;
                        if ((object)local == _n.T && depth == p.RunDepth + 1) { p.InText = !empty; p.InDeletedText = false; return false; }
                        if ((object)local == _n.DelText && depth == p.RunDepth + 1) { p.InText = !empty; p.InDeletedText = true; return false; }
                        if ((object)local == _n.RPr && depth == p.RunDepth + 1) { p.RunPropsDepth = empty ? -1 : depth; return false; }
                        if ((object)local == _n.Vanish && p.RunPropsDepth >= 0 && depth == p.RunPropsDepth + 1) { p.RunHidden = IsOn(reader); return false; }
                        if (depth == p.RunDepth + 1)
                        {
                            char c = (object)local == _n.Tab ? '\t'
                                : (object)local == _n.Br || (object)local == _n.Cr ? '\n'
                                : (object)local == _n.NoBreakHyphen ? '-' : '\0';
                            if (c != '\0') { run.Charge(1); p.Target().Append(c); return false; }
                            // Field instructions ("PAGE", "HYPERLINK …") are not shown; ruby guides duplicate their base.
                            if ((object)local == _n.InstrText || (object)local == _n.DelInstrText) return true;
                        }
                    }
                    if ((object)local == _n.R && p is not null && !empty) { p.RunDepth = reader.Depth; p.RunHidden = false; p.RunPropsDepth = -1; return false; }
                    if ((object)local == _n.Ins || (object)local == _n.MoveTo) { if (p is not null && !empty) p.InsertedDepth++; return false; }
                    if ((object)local == _n.Del || (object)local == _n.MoveFrom) { if (p is not null && !empty) p.DeletedDepth++; return false; }
                    if ((object)local == _n.Rt) return true;
                    if ((object)local == _n.TxbxContent) { if (!empty) _textBoxDepth++; return false; }
                    if ((object)local == _n.Tbl && !empty)
                    {
                        // Tables inside text boxes are not numbered: body table numbers must match what a reader counts.
                        _tables.Add(new TableCursor(_textBoxDepth == 0 ? ++_tableCount : 0));
                        return false;
                    }
                    if ((object)local == _n.Tr && _tables.Count > 0) { var t = _tables[^1]; t.Row++; t.Column = 0; return false; }
                    if ((object)local == _n.Tc && _tables.Count > 0) { _tables[^1].Column++; return false; }
                    // Separator and continuation notes carry no text of the author's.
                    if (((object)local == _n.Footnote || (object)local == _n.Endnote) && _paragraphs.Count == 0)
                    {
                        string? type = reader.GetAttribute(_n.Type, ns);
                        return type is not null && type != "normal";
                    }
                    return false;
                }
                if ((object)ns == _n.Mc)
                {
                    // The same content sits in every branch: read the first one only.
                    if ((object)local == _n.AlternateContent) { if (!empty) _alternates.Add(false); return false; }
                    if (((object)local == _n.Choice || (object)local == _n.Fallback) && _alternates.Count > 0)
                    {
                        if (_alternates[^1]) return true;
                        _alternates[^1] = true;
                        return false;
                    }
                    return false;
                }
                if ((object)local == _n.Blip && (object)ns == _n.A) { run._images++; return false; }
                if ((object)local == _n.ImageData && (object)ns == _n.V) { run._images++; return false; }
                if ((object)local == _n.OleObject && (object)ns == _n.O) { run._oleObjects++; return false; }
                return false;
            }

            private void End(XmlReader reader)
            {
                string local = reader.LocalName;
                string ns = reader.NamespaceURI;
                if (_n.IsW(ns))
                {
                    var p = _paragraphs.Count > 0 ? _paragraphs[^1] : null;
                    if ((object)local == _n.P && p is not null)
                    {
                        _paragraphs.RemoveAt(_paragraphs.Count - 1);
                        EmitParagraph(p);
                        Recycle(p);
                    }
                    else if (p is not null && ((object)local == _n.T || (object)local == _n.DelText)) p.InText = false;
                    else if (p is not null && (object)local == _n.RPr && reader.Depth == p.RunPropsDepth) p.RunPropsDepth = -1;
                    else if (p is not null && (object)local == _n.R && reader.Depth == p.RunDepth) { p.RunDepth = -1; p.RunHidden = false; }
                    else if (p is not null && ((object)local == _n.Ins || (object)local == _n.MoveTo)) p.InsertedDepth = Math.Max(0, p.InsertedDepth - 1);
                    else if (p is not null && ((object)local == _n.Del || (object)local == _n.MoveFrom)) p.DeletedDepth = Math.Max(0, p.DeletedDepth - 1);
                    else if ((object)local == _n.TxbxContent) _textBoxDepth = Math.Max(0, _textBoxDepth - 1);
                    else if ((object)local == _n.Tbl && _tables.Count > 0) _tables.RemoveAt(_tables.Count - 1);
                }
                else if ((object)ns == _n.Mc && (object)local == _n.AlternateContent && _alternates.Count > 0)
                {
                    _alternates.RemoveAt(_alternates.Count - 1);
                }
            }

            private void Text(XmlReader reader)
            {
                if (_paragraphs.Count == 0) return;
                var p = _paragraphs[^1];
                if (!p.InText) return;
                var target = p.InDeletedText ? p.Deleted : p.Target();
                int before = target.Length;
                run.AppendValue(reader, target);
                if (target == p.Visible && target.Length > before)
                {
                    if (p.InsertedDepth > 0) p.HasInserted = true;
                    else p.HasOrdinary = true;
                }
            }

            private Paragraph OpenParagraph()
            {
                var para = _pool.Count > 0 ? _pool.Pop() : new Paragraph();
                para.Reset();
                var outer = _paragraphs.Count > 0 ? _paragraphs[^1] : null;
                if (_textBoxDepth > 0)
                {
                    // Text-box paragraphs take the number of the paragraph that anchors the box, so
                    // "text box › paragraph 1" says where on the page the box sits.
                    para.Part = SegmentPart.TextBox;
                    para.Index = outer?.Index;
                }
                else
                {
                    para.Part = kind;
                    para.Index = ++_paragraphCount;
                    if (_paragraphCount % ParagraphsPerCancellationCheck == 0) run._context.CancellationToken.ThrowIfCancellationRequested();
                    if (_tables.Count > 0 && _tables[^1] is { Index: > 0 } table)
                        (para.Table, para.Row, para.Column) = (table.Index, table.Row, table.Column);
                }
                // Inside a deleted or inserted run (a text box in a tracked change) the state carries over.
                if (outer is not null) (para.InsertedDepth, para.DeletedDepth) = (outer.InsertedDepth, outer.DeletedDepth);
                _paragraphs.Add(para);
                return para;
            }

            private void EmitParagraph(Paragraph p)
            {
                var at = run._context.At(p.Part) with { PartName = partName, Paragraph = p.Index, Table = p.Table, Row = p.Row, Column = p.Column };
                if (p.Visible.Length > 0)
                {
                    // A body paragraph made only of inserted text is flagged as such; in other stories the
                    // story (header, comment …) is the more useful location.
                    var part = p.Part == SegmentPart.Body && p.HasInserted && !p.HasOrdinary ? SegmentPart.TrackedInsertion : p.Part;
                    run.Emit(p.Visible.ToString(), at with { Part = part });
                }
                if (p.Deleted.Length > 0) run.Emit(p.Deleted.ToString(), at with { Part = SegmentPart.TrackedDeletion });
                if (p.Hidden.Length > 0) run.Emit(p.Hidden.ToString(), at with { Part = SegmentPart.HiddenText });
            }

            private void Recycle(Paragraph p) => _pool.Push(p);

            /// <summary>w:vanish is on unless its w:val says otherwise.</summary>
            private bool IsOn(XmlReader reader) =>
                (reader.GetAttribute(_n.Val, _n.W) ?? reader.GetAttribute(_n.Val, _n.WStrict)) is not ("0" or "false" or "off");
        }

        private sealed class TableCursor(int index)
        {
            public int Index { get; } = index;
            public int Row { get; set; }
            public int Column { get; set; }
        }

        /// <summary>An open paragraph: its three kinds of text and the run state that routes text between them.</summary>
        private sealed class Paragraph
        {
            public System.Text.StringBuilder Visible { get; } = new();
            public System.Text.StringBuilder Deleted { get; } = new();
            public System.Text.StringBuilder Hidden { get; } = new();
            public SegmentPart Part { get; set; }
            public int? Index { get; set; }
            public int? Table { get; set; }
            public int? Row { get; set; }
            public int? Column { get; set; }
            public bool HasOrdinary { get; set; }
            public bool HasInserted { get; set; }
            public int InsertedDepth { get; set; }
            public int DeletedDepth { get; set; }
            /// <summary>Reader depth of the open w:r, or -1 outside runs.</summary>
            public int RunDepth { get; set; }
            public int RunPropsDepth { get; set; }
            public bool RunHidden { get; set; }
            public bool InText { get; set; }
            public bool InDeletedText { get; set; }

            /// <summary>Deleted wins over hidden: a reviewer who shows changes sees it.</summary>
            public System.Text.StringBuilder Target() => DeletedDepth > 0 ? Deleted : RunHidden ? Hidden : Visible;

            public void Reset()
            {
                Visible.Clear();
                Deleted.Clear();
                Hidden.Clear();
                Index = Table = Row = Column = null;
                HasOrdinary = HasInserted = RunHidden = InText = InDeletedText = false;
                InsertedDepth = DeletedDepth = 0;
                RunDepth = RunPropsDepth = -1;
            }
        }
    }

    /// <summary>Element and namespace names atomized in the reader's name table, so tests are reference compares.</summary>
    private sealed class Names
    {
        public Names(XmlNameTable t)
        {
            W = t.Add("http://schemas.openxmlformats.org/wordprocessingml/2006/main");
            WStrict = t.Add("http://purl.oclc.org/ooxml/wordprocessingml/main");
            Mc = t.Add("http://schemas.openxmlformats.org/markup-compatibility/2006");
            A = t.Add("http://schemas.openxmlformats.org/drawingml/2006/main");
            V = t.Add("urn:schemas-microsoft-com:vml");
            O = t.Add("urn:schemas-microsoft-com:office:office");
            P = t.Add("p"); R = t.Add("r"); T = t.Add("t"); DelText = t.Add("delText"); RPr = t.Add("rPr");
            Vanish = t.Add("vanish"); Tab = t.Add("tab"); Br = t.Add("br"); Cr = t.Add("cr");
            NoBreakHyphen = t.Add("noBreakHyphen"); InstrText = t.Add("instrText"); DelInstrText = t.Add("delInstrText");
            Ins = t.Add("ins"); Del = t.Add("del"); MoveTo = t.Add("moveTo"); MoveFrom = t.Add("moveFrom"); Rt = t.Add("rt");
            TxbxContent = t.Add("txbxContent"); Tbl = t.Add("tbl"); Tr = t.Add("tr"); Tc = t.Add("tc");
            Footnote = t.Add("footnote"); Endnote = t.Add("endnote"); Type = t.Add("type"); Val = t.Add("val");
            AlternateContent = t.Add("AlternateContent"); Choice = t.Add("Choice"); Fallback = t.Add("Fallback");
            Blip = t.Add("blip"); ImageData = t.Add("imagedata"); OleObject = t.Add("OLEObject");
        }

        public string W { get; }
        public string WStrict { get; }
        public string Mc { get; }
        public string A { get; }
        public string V { get; }
        public string O { get; }
        public string P { get; }
        public string R { get; }
        public string T { get; }
        public string DelText { get; }
        public string RPr { get; }
        public string Vanish { get; }
        public string Tab { get; }
        public string Br { get; }
        public string Cr { get; }
        public string NoBreakHyphen { get; }
        public string InstrText { get; }
        public string DelInstrText { get; }
        public string Ins { get; }
        public string Del { get; }
        public string MoveTo { get; }
        public string MoveFrom { get; }
        public string Rt { get; }
        public string TxbxContent { get; }
        public string Tbl { get; }
        public string Tr { get; }
        public string Tc { get; }
        public string Footnote { get; }
        public string Endnote { get; }
        public string Type { get; }
        public string Val { get; }
        public string AlternateContent { get; }
        public string Choice { get; }
        public string Fallback { get; }
        public string Blip { get; }
        public string ImageData { get; }
        public string OleObject { get; }

        public bool IsW(string ns) => (object)ns == W || (object)ns == WStrict;
    }

    /// <summary>Reads at most a fixed number of bytes, then throws: one part may not expand without bound.</summary>
    private sealed class BoundedReadStream(Stream inner, long max) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _read += n;
            if (_read > max) throw new LimitReachedException($"part larger than {max:N0} bytes: the rest was not read", stopAll: false);
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
