using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Reads WordprocessingML (.docx, .docm, .dotx): body, tables, headers, footers, footnotes, endnotes,
/// comments, text boxes, tracked changes, hidden text and document properties, one segment per paragraph;
/// embedded objects (word/embeddings) become child documents.
/// </summary>
/// <remarks>
/// Package opening, part streaming, properties and embedded objects are shared with XLSX and PPTX
/// (<see cref="OoxmlPackage"/>, <see cref="OoxmlRun"/>). The SDK's package model finds the parts; each part's XML is then streamed with <see cref="XmlReader"/>
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

    public ExtractedDocument Extract(Stream stream, ExtractionContext context) =>
        OoxmlPackage.Read(stream, context, Extraction.MediaTypes.Docx, "DOCX",
            package => WordprocessingDocument.Open(package),
            copy => WordprocessingDocument.Open(copy, true, new OpenSettings { AutoSave = false }),
            (c, tolerant) => new ExtractionRun(c, tolerant), ReadDocument);

    /// <summary>
    /// Reading order: body first, then the stories around it. The body's paragraph numbers are what "top region"
    /// detectors use; other parts carry their URI in PartName. Properties, embedded objects and the inventory
    /// notes follow in <see cref="OoxmlPackage"/>.
    /// </summary>
    private static void ReadDocument(WordprocessingDocument document, ExtractionRun run)
    {
        MainDocumentPart? main = null;
        run.Guard("the main document", () => main = document.MainDocumentPart ?? throw new InvalidDataException("no main document part"));
        if (main is null) return;
        run.Guard("the body", () => run.ReadStory(main, SegmentPart.Body));
        run.Guard("headers", () => { foreach (var part in main.HeaderParts) run.ReadStory(part, SegmentPart.Header); });
        run.Guard("footers", () => { foreach (var part in main.FooterParts) run.ReadStory(part, SegmentPart.Footer); });
        run.Guard("footnotes", () => { if (main.FootnotesPart is { } part) run.ReadStory(part, SegmentPart.Footnote); });
        run.Guard("endnotes", () => { if (main.EndnotesPart is { } part) run.ReadStory(part, SegmentPart.Endnote); });
        run.Guard("comments", () => { if (main.WordprocessingCommentsPart is { } part) run.ReadStory(part, SegmentPart.Comment); });
    }

    /// <summary>The mutable state of one extraction: segments, notes, budgets and counters.</summary>
    private sealed class ExtractionRun : OoxmlRun
    {
        private readonly Names _names;

        public ExtractionRun(ExtractionContext context, bool tolerantPackage) : base(context, tolerantPackage) =>
            _names = new Names(NameTable);

        /// <summary>Streams one story part (document, header, footer, notes, comments) into paragraph segments.</summary>
        public void ReadStory(OpenXmlPart part, SegmentPart kind)
        {
            // Body locations stay short; every other story names its part ("/word/header1.xml").
            var story = new StoryReader(this, kind, kind == SegmentPart.Body ? null : part.Uri.OriginalString);
            ReadPart(part, story.Read, story.Flush);
        }

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
                    if ((++nodes & 0xFFFF) == 0) run.Context.CancellationToken.ThrowIfCancellationRequested();
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
                if ((object)local == _n.Blip && (object)ns == _n.A) { run.Images++; return false; }
                if ((object)local == _n.ImageData && (object)ns == _n.V) { run.Images++; return false; }
                if ((object)local == _n.OleObject && (object)ns == _n.O) { run.OleObjects++; return false; }
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
                    if (_paragraphCount % ParagraphsPerCancellationCheck == 0) run.Context.CancellationToken.ThrowIfCancellationRequested();
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
                var at = run.Context.At(p.Part) with { PartName = partName, Paragraph = p.Index, Table = p.Table, Row = p.Row, Column = p.Column };
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
}
