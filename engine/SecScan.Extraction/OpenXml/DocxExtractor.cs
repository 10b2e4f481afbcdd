using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Reads WordprocessingML (.docx, .docm, .dotx): body, tables, headers, footers, footnotes, endnotes,
/// comments, text boxes, tracked changes, hidden text and document properties, one segment per paragraph;
/// embedded objects (word/embeddings) become child documents.
/// </summary>
/// <remarks>
/// <para>The package is read straight from its ZIP (<see cref="OpcZipPackage"/>): parts are found through the
/// relationships, each story part is inflated into one pooled buffer and tokenized by <see cref="Utf8XmlScanner"/>
/// over its UTF-8 bytes, so no string is made per element and text is decoded only inside w:t and w:delText.
/// This is what takes the reader past 2,000 files/s: System.IO.Packaging, the OpenXml SDK's package model and
/// <see cref="System.Xml.XmlReader"/> together cost four times more per file (benchmarks/RESULTS.md §3).
/// The contents of formatting containers (w:pPr, w:rPr …) are passed over by <see cref="Utf8XmlScanner.TrySkipContent"/>
/// when nothing inside them can change the output. The property parts are read with the same scanner; XLSX and
/// PPTX still read theirs with XmlReader (<see cref="OoxmlRun"/>).</para>
/// <para>A DOCTYPE is refused in every part, so entity-expansion attacks fail as a <see cref="CoverageKind.Corrupt"/>
/// note for that part. A package that cannot be opened gives one Corrupt note; a part that fails to parse gives a
/// note naming it, and the other parts are still read; text read before the failure is kept. A part over
/// <see cref="ScanLimits.MaxPartBytes"/> is read up to the bound, with a LimitExceeded note. Throws only
/// <see cref="OperationCanceledException"/> and unexpected failures. Stateless and thread-safe.</para>
/// </remarks>
public sealed class DocxExtractor : IExtractor
{
    /// <summary>Cancellation is checked at least this often while streaming one part.</summary>
    private const int ParagraphsPerCancellationCheck = 1000;

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Docx];

    /// <summary>
    /// Packages up to this size are read whole into a pooled buffer before the ZIP is opened. ZipArchive asks its
    /// stream for the length on every member it opens, an fstat per part on a FileStream (~5 % of a file's time
    /// from disk, benchmarks/RESULTS.md §3); a small package is one read. Larger ones are read where they are.
    /// </summary>
    private const int InMemoryPackageBytes = 4 << 20;

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(context);
        if (stream is MemoryStream || !stream.CanSeek || stream.Length > InMemoryPackageBytes) return ExtractPackage(stream, context);
        int length = (int)stream.Length;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            try
            {
                stream.Position = 0;
                stream.ReadExactly(bytes, 0, length);
            }
            catch (IOException)
            {
                // A file that shrank or failed mid-read: ZipArchive reads it itself and says what is wrong.
                return ExtractPackage(stream, context);
            }
            // Every reader of the package is done with the bytes when this returns: children are copies.
            return ExtractPackage(new MemoryStream(bytes, 0, length, writable: false), context);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static ExtractedDocument ExtractPackage(Stream stream, ExtractionContext context)
    {
        OpcZipPackage package;
        try
        {
            package = OpcZipPackage.Open(stream);
        }
        catch (Exception ex) when (OoxmlPackage.IsDamagedInput(ex))
        {
            return OoxmlPackage.CannotOpen(ex, context, Extraction.MediaTypes.Docx, "DOCX");
        }
        using (package)
        using (var run = new ExtractionRun(context, package))
        {
            run.ReadDocument();
            run.NoteDamagedParts();
            return new ExtractedDocument(Extraction.MediaTypes.Docx, run.Segments, run.Coverage, run.Children);
        }
    }

    /// <summary>Main-part content types of WordprocessingML documents, templates and their macro-enabled forms.</summary>
    private static readonly string[] MainContentTypes =
    [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    ];

    /// <summary>The mutable state of one extraction: the package, segments, notes, budgets and counters.</summary>
    private sealed class ExtractionRun(ExtractionContext context, OpcZipPackage package) : OoxmlRun(context, tolerantPackage: true), IDisposable
    {
        private readonly XmlScanState _scan = new();
        private readonly PartBuffer _buffer = new();
        // The main part's relationships as read for its stories: the inventory walk reaches the main part again
        // and takes them from here instead of inflating and parsing the same .rels twice. Kept only when read whole.
        private (string Part, List<OpcRelationship> Relationships)? _mainRelationships;

        public void Dispose() => _buffer.Dispose();

        /// <summary>A Corrupt note for every part read whole that failed its CRC-32 check.</summary>
        public void NoteDamagedParts()
        {
            foreach (var part in _buffer.Damaged ?? []) Coverage.Add(ZipIntegrity.Note(part, Context.At() with { PartName = part }));
        }

        /// <summary>
        /// Reading order: body first, then the stories around it (headers and footers in relationship order,
        /// footnotes, endnotes, comments), then properties, embedded objects and the inventory notes. The body's
        /// paragraph numbers are what "top region" detectors use; other parts carry their name in PartName.
        /// </summary>
        public void ReadDocument()
        {
            if (package.HasDuplicateNames)
                Coverage.Add(new CoverageNote(CoverageKind.Corrupt, "DOCX package has two members with the same part name: only the first was read", Context.At()));
            List<OpcRelationship> root = [];
            Guard("the package relationships", () => root = package.Relationships("/", _scan, _buffer));
            string? main = root.Find(r => r.Kind == OpcRelationshipKind.OfficeDocument).Target;
            Guard("the main document", () =>
            {
                if (main is null || package.Entry(main) is null) throw new InvalidDataException("no main document part");
            });
            if (main is not null && package.Entry(main) is not null)
            {
                // The SDK refused a main part of another type; it is read anyway, and the note keeps the verdict from allow.
                Guard("the content types", () =>
                {
                    if (package.ContentType(main, _scan, _buffer) is not { } type || !MainContentTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
                        Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                            "the main part is not declared as a WordprocessingML document: read as one anyway", Context.At() with { PartName = main }));
                });
                List<OpcRelationship> stories = [];
                Guard("the main document's relationships", () =>
                {
                    stories = package.Relationships(main, _scan, _buffer);
                    _mainRelationships = (main, stories);
                });
                ReadStory(main, SegmentPart.Body);
                foreach (var (kind, part) in new[]
                {
                    (OpcRelationshipKind.Header, SegmentPart.Header), (OpcRelationshipKind.Footer, SegmentPart.Footer),
                    (OpcRelationshipKind.Footnotes, SegmentPart.Footnote), (OpcRelationshipKind.Endnotes, SegmentPart.Endnote),
                    (OpcRelationshipKind.Comments, SegmentPart.Comment),
                })
                {
                    // Footnotes, endnotes and comments are one part each: the first relationship wins, as in the SDK.
                    bool single = kind is not (OpcRelationshipKind.Header or OpcRelationshipKind.Footer);
                    var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var r in stories)
                    {
                        if (r.Kind != kind || !seen.Add(r.Target)) continue;
                        ReadStory(r.Target, part);
                        if (single) break;
                    }
                }
            }
            ReadProperties(root, OpcRelationshipKind.CoreProperties, PropertyKind.Core);
            ReadProperties(root, OpcRelationshipKind.CustomProperties, PropertyKind.Custom);
            ReadProperties(root, OpcRelationshipKind.ExtendedProperties, PropertyKind.Extended);
            Guard("the part inventory", () => ReadEmbeddedObjectsAndInventory(root));
        }

        private void ReadProperties(List<OpcRelationship> root, OpcRelationshipKind kind, PropertyKind properties)
        {
            var r = root.Find(x => x.Kind == kind);
            if (r.Target is null || package.Entry(r.Target) is not { } entry || Stopped) return;
            Context.CancellationToken.ThrowIfCancellationRequested();
            long max = Context.Limits.MaxPartBytes;
            try
            {
                var xml = XmlEncoding.ToUtf8(_buffer.Read(entry, max, out bool truncated));
                var scanner = new Utf8XmlScanner(xml.Span, _scan, truncated);
                ReadPropertyElements(ref scanner, properties);
                if (truncated) throw new LimitReachedException($"part larger than {max:N0} bytes: the rest was not read", stopAll: false);
            }
            catch (LimitReachedException ex)
            {
                Stopped |= ex.StopAll;
                Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, ex.Message, Context.At() with { PartName = r.Target }));
            }
            catch (Exception ex) when (IsDamaged(ex))
            {
                Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                    $"part {r.Target} could not be read: {OoxmlPackage.Describe(ex)}", Context.At() with { PartName = r.Target }));
            }
        }

        /// <summary>
        /// Every part reached through internal relationships from the package root, depth first in relationship
        /// order, each once: embedded objects become children; charts, SmartArt data and altChunk imports are counted.
        /// </summary>
        private void ReadEmbeddedObjectsAndInventory(List<OpcRelationship> root)
        {
            int embeddedParts = 0, unread = 0, otherText = 0;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Stack<OpcRelationship>();
            for (int i = root.Count - 1; i >= 0; i--) pending.Push(root[i]);
            while (pending.Count > 0)
            {
                var r = pending.Pop();
                if (!seen.Add(r.Target) || package.Entry(r.Target) is not { } entry) continue;
                if (r.Kind is OpcRelationshipKind.OleObject or OpcRelationshipKind.Package)
                {
                    embeddedParts++;
                    if (!ReadEmbedded(r.Target.TrimStart('/'), entry.Open)) unread++;
                }
                else if (r.Kind is OpcRelationshipKind.Chart or OpcRelationshipKind.DiagramData or OpcRelationshipKind.AFChunk) otherText++;
                var children = _mainRelationships is { } known && string.Equals(known.Part, r.Target, StringComparison.Ordinal)
                    ? known.Relationships
                    : package.Relationships(r.Target, _scan, _buffer);
                for (int i = children.Count - 1; i >= 0; i--) pending.Push(children[i]);
            }
            AddInventoryNotes(embeddedParts, unread, otherText);
        }

        /// <summary>Scans one story part (document, header, footer, notes, comments) into paragraph segments.</summary>
        private void ReadStory(string partName, SegmentPart kind)
        {
            if (Stopped) return;
            Context.CancellationToken.ThrowIfCancellationRequested();
            // Body locations stay short; every other story names its part ("/word/header1.xml").
            var story = new StoryReader(this, kind, kind == SegmentPart.Body ? null : partName);
            try
            {
                var entry = package.Entry(partName) ?? throw new InvalidDataException("the part is missing from the package");
                long max = Context.Limits.MaxPartBytes;
                var xml = XmlEncoding.ToUtf8(_buffer.Read(entry, max, out bool truncated));
                var scanner = new Utf8XmlScanner(xml.Span, _scan, truncated);
                story.Read(ref scanner);
                if (truncated) throw new LimitReachedException($"part larger than {max:N0} bytes: the rest was not read", stopAll: false);
            }
            catch (LimitReachedException ex)
            {
                story.Flush();
                Stopped |= ex.StopAll;
                Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, ex.Message, Context.At() with { PartName = partName }));
            }
            catch (Exception ex) when (IsDamaged(ex))
            {
                story.Flush();
                Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                    $"part {partName} could not be read: {OoxmlPackage.Describe(ex)}", Context.At() with { PartName = partName }));
            }
        }

        /// <summary>Appends the current text token, decoded in chunks that are charged before they are kept.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AppendText(ref Utf8XmlScanner xml, TextBuffer target)
        {
            int consumed = 0;
            while (consumed < xml.RawText.Length)
            {
                // UTF-8 never decodes to more UTF-16 units than it has bytes (nor does a reference), so the room
                // for the rest of the token, at most one chunk, is enough: the text is decoded where it is kept.
                int most = Math.Max(2, Math.Min(xml.RawText.Length - consumed, TextChunk));
                int n = xml.DecodeText(ref consumed, target.Room(most)[..most]);
                Charge(n);
                target.Advance(n);
            }
        }

        /// <summary>The most characters decoded and charged at a time.</summary>
        private const int TextChunk = 4096;

        /// <summary>
        /// Reads one story. Paragraphs nest (a text box is a paragraph inside a run of another paragraph), so open
        /// paragraphs live on a stack; each is emitted when its end tag is read, which puts a text box's segments
        /// just before those of the paragraph that anchors it.
        /// </summary>
        private sealed class StoryReader(ExtractionRun run, SegmentPart kind, string? partName)
        {
            private readonly List<Paragraph> _paragraphs = [];
            private readonly Stack<Paragraph> _pool = new();
            private readonly List<TableCursor> _tables = [];
            // One entry per open mc:AlternateContent: has a branch of it been read already?
            private readonly List<bool> _alternates = [];
            private int _paragraphCount;
            private int _tableCount;
            private int _textBoxDepth;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void Read(ref Utf8XmlScanner xml)
            {
                int tokens = 0;
                while (xml.Read())
                {
                    // A part with few paragraphs can still be huge: check cancellation by tokens as well.
                    if ((++tokens & 0xFFFF) == 0) run.Context.CancellationToken.ThrowIfCancellationRequested();
                    switch (xml.Token)
                    {
                        case XmlToken.StartElement:
                            if (Start(ref xml)) xml.Skip();
                            // Start may have read a whole plain run (PlainRun): the current token is then its text.
                            else if (xml.Token == XmlToken.StartElement && IsIgnorable(ref xml) && xml.TrySkipContent(ContentStops)) End(ref xml);
                            break;
                        case XmlToken.EndElement:
                            End(ref xml);
                            break;
                        default:
                            Text(ref xml);
                            break;
                    }
                }
            }

            /// <summary>
            /// Whether the content of the element just started (and handled by <see cref="Start"/>) may go to
            /// <see cref="Utf8XmlScanner.TrySkipContent"/>: a formatting container (w:pPr, w:rPr, w:sectPr, w:tblPr,
            /// w:tcPr … and w:tblGrid), in a state where no element outside <see cref="ContentStops"/> changes
            /// anything and no text is collected. LibreOffice writes about half of document.xml as w:pPr.
            /// </summary>
            /// <remarks>
            /// Why the output cannot change: inside the subtree, <see cref="Start"/> and <see cref="End"/> act only on
            /// the names in <see cref="ContentStops"/> (at which the skip gives up) and on run-level names (w:t,
            /// w:tab, w:rPr, w:instrText …) whose branches require a run open one level up or an open run property at
            /// RunPropsDepth, which the two states allowed here rule out; <see cref="Text"/> keeps nothing while
            /// InText is false. State A: no paragraph, or one with no run and no run property open. State B: the
            /// run's own w:rPr, just opened at RunDepth + 1, whose only child acted on (w:vanish) is a stop.
            /// </remarks>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private bool IsIgnorable(ref Utf8XmlScanner xml)
            {
                if (xml.IsEmptyElement || xml.Namespace is not (XmlNs.W or XmlNs.WStrict)) return false;
                var local = xml.LocalName;
                bool formatting = local.Length >= 3 ? local.EndsWith("Pr"u8) : false;
                if (!formatting && !local.SequenceEqual("tblGrid"u8)) return false;
                if (_paragraphs.Count == 0) return true;
                var p = _paragraphs[^1];
                if (p.InText) return false;
                if (p.RunDepth < 0) return p.RunPropsDepth < 0;
                return xml.Depth == p.RunDepth + 1 && p.RunPropsDepth == xml.Depth;
            }

            /// <summary>
            /// Every local name <see cref="Start"/> or <see cref="End"/> may act on in the states <see cref="IsIgnorable"/>
            /// allows (whatever the namespace: the skip does not resolve it): finding one inside a formatting container
            /// sends the container through the full reader.
            /// </summary>
            private static readonly XmlNameSet ContentStops = new(
                "p", "r", "vanish", "ins", "del", "moveTo", "moveFrom", "rt", "txbxContent", "tbl", "tr", "tc", "footnote", "endnote",
                "AlternateContent", "Choice", "Fallback", "blip", "imagedata", "OLEObject");

            /// <summary>Emits whatever paragraphs were open when a part stopped early, so partial text is still scanned.</summary>
            public void Flush()
            {
                for (int i = _paragraphs.Count - 1; i >= 0; i--) EmitParagraph(_paragraphs[i]);
                _paragraphs.Clear();
            }

            /// <summary>Handles a start tag; returns true when the whole element is to be skipped.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private bool Start(ref Utf8XmlScanner xml)
            {
                var ns = xml.Namespace;
                bool empty = xml.IsEmptyElement;
                var p = _paragraphs.Count > 0 ? _paragraphs[^1] : null;

                if (ns is XmlNs.W or XmlNs.WStrict)
                {
                    var name = WordNames.Of(xml.LocalName);
                    if (name == WordName.P)
                    {
                        var para = OpenParagraph();
                        if (empty) { _paragraphs.RemoveAt(_paragraphs.Count - 1); Recycle(para); }
                        return false;
                    }
                    if (p is not null && p.RunDepth >= 0)
                    {
                        int depth = xml.Depth;
                        if (name == WordName.T && depth == p.RunDepth + 1) { p.InText = !empty; p.InDeletedText = false; return false; }
                        if (name == WordName.DelText && depth == p.RunDepth + 1) { p.InText = !empty; p.InDeletedText = true; return false; }
                        if (name == WordName.RPr && depth == p.RunDepth + 1) { p.RunPropsDepth = empty ? -1 : depth; return false; }
                        if (name == WordName.Vanish && p.RunPropsDepth >= 0 && depth == p.RunPropsDepth + 1) { p.RunHidden = IsOn(ref xml); return false; }
                        if (depth == p.RunDepth + 1)
                        {
                            char c = name switch
                            {
                                WordName.Tab => '\t',
                                WordName.Br or WordName.Cr => '\n',
                                WordName.NoBreakHyphen => '-',
                                _ => '\0',
                            };
                            if (c != '\0') { run.Charge(1); p.Target().Append(c); return false; }
                            // Field instructions ("PAGE", "HYPERLINK …") are not shown; ruby guides duplicate their base.
                            if (name is WordName.InstrText or WordName.DelInstrText) return true;
                        }
                    }
                    switch (name)
                    {
                        case WordName.R when p is not null && !empty:
                            p.RunDepth = xml.Depth; p.RunHidden = false; p.RunPropsDepth = -1;
                            if (xml.TryReadPlainRun()) PlainRun(ref xml, p);
                            return false;
                        case WordName.Ins or WordName.MoveTo:
                            if (p is not null && !empty) p.InsertedDepth++;
                            return false;
                        case WordName.Del or WordName.MoveFrom:
                            if (p is not null && !empty) p.DeletedDepth++;
                            return false;
                        case WordName.Rt:
                            return true;
                        case WordName.TxbxContent:
                            if (!empty) _textBoxDepth++;
                            return false;
                        case WordName.Tbl when !empty:
                            // Tables inside text boxes are not numbered: body table numbers must match what a reader counts.
                            _tables.Add(new TableCursor(_textBoxDepth == 0 ? ++_tableCount : 0));
                            return false;
                        case WordName.Tr when _tables.Count > 0:
                        {
                            var t = _tables[^1];
                            t.Row++;
                            t.Column = 0;
                            return false;
                        }
                        case WordName.Tc when _tables.Count > 0:
                            _tables[^1].Column++;
                            return false;
                        // Separator and continuation notes carry no text of the author's.
                        case WordName.Footnote or WordName.Endnote when _paragraphs.Count == 0:
                        {
                            Span<char> type = stackalloc char[32];
                            if (!xml.TryGetAttribute(ns, "type"u8, type, out int length)) return false;
                            return !type[..length].SequenceEqual("normal");
                        }
                        default:
                            return false;
                    }
                }
                if (ns == XmlNs.Mc)
                {
                    var local = xml.LocalName;
                    // The same content sits in every branch: read the first one only.
                    if (local.SequenceEqual("AlternateContent"u8)) { if (!empty) _alternates.Add(false); return false; }
                    if ((local.SequenceEqual("Choice"u8) || local.SequenceEqual("Fallback"u8)) && _alternates.Count > 0)
                    {
                        if (_alternates[^1]) return true;
                        _alternates[^1] = true;
                        return false;
                    }
                    return false;
                }
                if (ns == XmlNs.A && xml.LocalName.SequenceEqual("blip"u8)) { run.Images++; return false; }
                if (ns == XmlNs.V && xml.LocalName.SequenceEqual("imagedata"u8)) { run.Images++; return false; }
                if (ns == XmlNs.O && xml.LocalName.SequenceEqual("OLEObject"u8)) { run.OleObjects++; return false; }
                return false;
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void End(ref Utf8XmlScanner xml)
            {
                var ns = xml.Namespace;
                if (ns is XmlNs.W or XmlNs.WStrict)
                {
                    var name = WordNames.Of(xml.LocalName);
                    var p = _paragraphs.Count > 0 ? _paragraphs[^1] : null;
                    if (name == WordName.P && p is not null)
                    {
                        _paragraphs.RemoveAt(_paragraphs.Count - 1);
                        EmitParagraph(p);
                        Recycle(p);
                    }
                    else if (p is not null && name is WordName.T or WordName.DelText) p.InText = false;
                    else if (p is not null && name == WordName.RPr && xml.Depth == p.RunPropsDepth) p.RunPropsDepth = -1;
                    else if (p is not null && name == WordName.R && xml.Depth == p.RunDepth) { p.RunDepth = -1; p.RunHidden = false; }
                    else if (p is not null && name is WordName.Ins or WordName.MoveTo) p.InsertedDepth = Math.Max(0, p.InsertedDepth - 1);
                    else if (p is not null && name is WordName.Del or WordName.MoveFrom) p.DeletedDepth = Math.Max(0, p.DeletedDepth - 1);
                    else if (name == WordName.TxbxContent) _textBoxDepth = Math.Max(0, _textBoxDepth - 1);
                    else if (name == WordName.Tbl && _tables.Count > 0) _tables.RemoveAt(_tables.Count - 1);
                }
                else if (ns == XmlNs.Mc && xml.LocalName.SequenceEqual("AlternateContent"u8) && _alternates.Count > 0)
                {
                    _alternates.RemoveAt(_alternates.Count - 1);
                }
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void Text(ref Utf8XmlScanner xml)
            {
                if (_paragraphs.Count == 0) return;
                var p = _paragraphs[^1];
                if (!p.InText) return;
                var target = p.InDeletedText ? p.Deleted : p.Target();
                int before = target.Length;
                run.AppendText(ref xml, target);
                if (target == p.Visible && target.Length > before)
                {
                    if (p.InsertedDepth > 0) p.HasInserted = true;
                    else p.HasOrdinary = true;
                }
            }

            /// <summary>
            /// What the tokens of a run read whole by <see cref="Utf8XmlScanner.TryReadPlainRun"/> do one by one, with
            /// the run just opened by <see cref="Start"/>: the empty w:rPr sets RunPropsDepth and its end tag clears it;
            /// w:t routes its text as any run's (no w:vanish was read, so not to Hidden); the end tags of w:t and w:r
            /// close the text and the run. About half of a LibreOffice document.xml's tokens are such runs.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void PlainRun(ref Utf8XmlScanner xml, Paragraph p)
            {
                p.InText = true;
                p.InDeletedText = false;
                if (xml.RawText.Length > 0) Text(ref xml);
                p.InText = false;
                p.RunDepth = -1;
                p.RunHidden = false;
                p.RunPropsDepth = -1;
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void EmitParagraph(Paragraph p)
            {
                if (p.Visible.Length > 0)
                {
                    // A body paragraph made only of inserted text is flagged as such; in other stories the
                    // story (header, comment …) is the more useful location.
                    var part = p.Part == SegmentPart.Body && p.HasInserted && !p.HasOrdinary ? SegmentPart.TrackedInsertion : p.Part;
                    run.Emit(p.Visible.ToString(), At(p, part));
                }
                if (p.Deleted.Length > 0) run.Emit(p.Deleted.ToString(), At(p, SegmentPart.TrackedDeletion));
                if (p.Hidden.Length > 0) run.Emit(p.Hidden.ToString(), At(p, SegmentPart.HiddenText));
            }

            /// <summary>
            /// What <c>Context.At(part) with { PartName, Paragraph, Table, Row, Column }</c> gives, in one allocation
            /// instead of two or three: a LibreOffice file has hundreds of paragraphs, and the copies were most
            /// of the extractor's garbage.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private Location At(Paragraph p, SegmentPart part) => new()
            {
                Container = run.Context.Container, Part = part, PartName = partName,
                Paragraph = p.Index, Table = p.Table, Row = p.Row, Column = p.Column,
            };

            private void Recycle(Paragraph p) => _pool.Push(p);

            /// <summary>w:vanish is on unless its w:val (in either WordprocessingML namespace) says otherwise.</summary>
            private static bool IsOn(ref Utf8XmlScanner xml)
            {
                Span<char> value = stackalloc char[16];
                if (!xml.TryGetAttribute(XmlNs.W, "val"u8, value, out int length) && !xml.TryGetAttribute(XmlNs.WStrict, "val"u8, value, out length))
                    return true;
                var v = value[..length];
                return !(v.SequenceEqual("0") || v.SequenceEqual("false") || v.SequenceEqual("off"));
            }
        }

        /// <summary>
        /// A paragraph's text as it is read: characters decoded straight into a growing array (kept with the
        /// paragraph object, which is reused), where a StringBuilder took a copy of every decoded chunk.
        /// </summary>
        private sealed class TextBuffer
        {
            private char[] _chars = new char[256];

            public int Length { get; private set; }

            /// <summary>Free space for at least <paramref name="count"/> characters after the text; <see cref="Advance"/> keeps what was written.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public Span<char> Room(int count)
            {
                if (_chars.Length - Length < count) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + count));
                return _chars.AsSpan(Length);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Advance(int count) => Length += count;

            public void Append(char c)
            {
                Room(1)[0] = c;
                Length++;
            }

            public void Clear() => Length = 0;

            public override string ToString() => new(_chars, 0, Length);
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
            public TextBuffer Visible { get; } = new();
            public TextBuffer Deleted { get; } = new();
            public TextBuffer Hidden { get; } = new();
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
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public TextBuffer Target() => DeletedDepth > 0 ? Deleted : RunHidden ? Hidden : Visible;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>The WordprocessingML elements the story reader acts on.</summary>
    private enum WordName : byte
    {
        Other, P, R, T, DelText, RPr, Vanish, Tab, Br, Cr, NoBreakHyphen, InstrText, DelInstrText,
        Ins, Del, MoveTo, MoveFrom, Rt, TxbxContent, Tbl, Tr, Tc, Footnote, Endnote,
    }

    /// <summary>Local names to <see cref="WordName"/>: by length first, so most names cost one or two compares.</summary>
    private static class WordNames
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static WordName Of(ReadOnlySpan<byte> local) => local.Length switch
        {
            1 => local[0] switch { (byte)'p' => WordName.P, (byte)'r' => WordName.R, (byte)'t' => WordName.T, _ => WordName.Other },
            2 => local.SequenceEqual("br"u8) ? WordName.Br
                : local.SequenceEqual("cr"u8) ? WordName.Cr
                : local.SequenceEqual("rt"u8) ? WordName.Rt
                : local.SequenceEqual("tr"u8) ? WordName.Tr
                : local.SequenceEqual("tc"u8) ? WordName.Tc
                : WordName.Other,
            3 => local.SequenceEqual("rPr"u8) ? WordName.RPr
                : local.SequenceEqual("tab"u8) ? WordName.Tab
                : local.SequenceEqual("ins"u8) ? WordName.Ins
                : local.SequenceEqual("del"u8) ? WordName.Del
                : local.SequenceEqual("tbl"u8) ? WordName.Tbl
                : WordName.Other,
            6 => local.SequenceEqual("vanish"u8) ? WordName.Vanish
                : local.SequenceEqual("moveTo"u8) ? WordName.MoveTo
                : WordName.Other,
            7 => local.SequenceEqual("delText"u8) ? WordName.DelText : local.SequenceEqual("endnote"u8) ? WordName.Endnote : WordName.Other,
            8 => local.SequenceEqual("moveFrom"u8) ? WordName.MoveFrom : local.SequenceEqual("footnote"u8) ? WordName.Footnote : WordName.Other,
            9 => local.SequenceEqual("instrText"u8) ? WordName.InstrText : WordName.Other,
            11 => local.SequenceEqual("txbxContent"u8) ? WordName.TxbxContent : WordName.Other,
            12 => local.SequenceEqual("delInstrText"u8) ? WordName.DelInstrText : WordName.Other,
            13 => local.SequenceEqual("noBreakHyphen"u8) ? WordName.NoBreakHyphen : WordName.Other,
            _ => WordName.Other,
        };
    }
}
