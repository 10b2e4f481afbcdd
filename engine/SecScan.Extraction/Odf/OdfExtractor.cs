using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Odf;

/// <summary>
/// Reads OpenDocument files (ISO/IEC 26300, what LibreOffice and the domestic office suites on Kylin and UOS save):
/// text documents (.odt), spreadsheets (.ods), presentations (.odp) and drawings, zipped or flat (.fodt …). Body
/// paragraphs and headings one segment each; tables by table, row and column, spreadsheet cells by sheet and
/// address (<c>Sheet2!C7</c>); slides and their speaker notes; headers and footers of every master page; footnotes
/// and endnotes; comments (office:annotation); text boxes and shapes; tracked deletions; document properties
/// (meta.xml) as metadata; embedded objects (an <c>Object 1/</c> sub-document, an inline one in a flat file, a
/// binary OLE object) as child documents; pictures as an images-not-inspected note.
/// </summary>
/// <remarks>
/// Elements are matched by local name, so any prefix reads alike. Every part is read through <see cref="ZipParts"/>
/// (bounded, DTDs prohibited); a damaged part is a Corrupt note and the other parts are still read. A package whose
/// manifest declares encryption is an Encrypted note. Repeated rows and columns (<c>number-rows-repeated</c>, up to
/// a million for a sheet's empty tail) only advance the address: a cell's text is read once. Stateless and thread-safe.
/// </remarks>
public sealed class OdfExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Odf];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        var coverage = new List<CoverageNote>();
        Span<byte> magic = stackalloc byte[4];
        stream.Position = 0;
        bool zipped = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PK\x03\x04"u8);
        stream.Position = 0;
        if (!zipped)
        {
            var bytes = StreamBytes.ReadAll(stream, context.Limits.MaxInputBytes);
            var flat = ZipParts.Parse(bytes, context.Name, context, coverage);
            var run = new OdfRun(context, coverage, parts: null);
            if (flat?.Root is { } root) run.ReadFlat(root);
            return run.ToDocument();
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return ExtractedDocument.Unreadable(Extraction.MediaTypes.Odf,
                new CoverageNote(CoverageKind.Corrupt, $"OpenDocument package could not be opened: {SafeText.Of(ex)}", context.At()));
        }
        using (zip)
        {
            var run = new OdfRun(context, coverage, new ZipParts(zip, context, coverage));
            run.ReadPackage(zip, "");
            return run.ToDocument();
        }
    }

    /// <summary>The media type an OpenDocument root element (office:text, office:spreadsheet …) stands for.</summary>
    internal static string KindOf(XElement? body) =>
        body?.Elements().FirstOrDefault()?.Name.LocalName switch
        {
            "text" => Extraction.MediaTypes.Odt,
            "spreadsheet" => Extraction.MediaTypes.Ods,
            "presentation" => Extraction.MediaTypes.Odp,
            "drawing" => Extraction.MediaTypes.Odg,
            _ => Extraction.MediaTypes.Odf,
        };

    /// <summary>Thrown inside one extraction when the character bound is reached; what was read is kept.</summary>
    private sealed class LimitReachedException : Exception;

    /// <summary>Where the text being read sits: its part and, inside a table or on a slide, its place there.</summary>
    private sealed record Place(SegmentPart Part, string? PartName = null, int? Slide = null, string? Sheet = null, string? Cell = null,
        int? Table = null, int? Row = null, int? Column = null);

    /// <summary>The mutable state of one document (a package, a sub-document of it, or a flat file).</summary>
    private sealed class OdfRun(ExtractionContext context, List<CoverageNote> coverage, ZipParts? parts)
    {
        private readonly List<TextSegment> _segments = [];
        private readonly List<ExtractedDocument> _children = [];
        private readonly Dictionary<(SegmentPart, int?), int> _paragraphs = [];
        private string _mediaType = Extraction.MediaTypes.Odf;
        private long _characters;
        private int _textTables;
        private int _slides;
        private int _images;
        private int _nesting;
        private bool _tooDeep;
        // Styles that hide what uses them: text and paragraph styles with text:display="none", table styles with
        // table:display="false" (a hidden sheet). What they hide is read as hidden text.
        private readonly HashSet<string> _hiddenTextStyles = new(StringComparer.Ordinal);
        private readonly HashSet<string> _hiddenTableStyles = new(StringComparer.Ordinal);

        /// <summary>Elements nested deeper than this are not read (a note says so): the walk recurses, the stack is bounded.</summary>
        private const int MaxNesting = 256;

        public ExtractedDocument ToDocument() => new(_mediaType, _segments, coverage, _children);

        /// <summary>A zipped package, or the sub-document under <paramref name="prefix"/> ("Object 1/").</summary>
        public void ReadPackage(ZipArchive zip, string prefix)
        {
            if (prefix.Length == 0 && parts!.Read("META-INF/manifest.xml", required: false) is { } manifest
                && Encoding.UTF8.GetString(manifest).Contains("encryption-data", StringComparison.Ordinal))
            {
                coverage.Add(new CoverageNote(CoverageKind.Encrypted, "password-protected OpenDocument file: contents not read", context.At()));
                return;
            }
            Guarded(() =>
            {
                if (Child(parts!.Load(prefix + "meta.xml", required: false)?.Root, "meta") is { } meta) ReadMeta(meta);
                var content = parts.Load(prefix + "content.xml")?.Root;
                _mediaType = KindOf(Child(content, "body"));
                var styles = parts.Load(prefix + "styles.xml", required: false)?.Root;
                ReadHidingStyles(Child(styles, "styles"), Child(styles, "automatic-styles"), Child(content, "automatic-styles"));
                ReadMasterPages(Child(styles, "master-styles"));
                if (Child(content, "body") is { } body) Block(body, new Place(SegmentPart.Body));
            });
            if (prefix.Length > 0) return;
            // Pictures are images we do not read; an object's replacement picture is its rendering, read as the object.
            _images += zip.Entries.Count(e => e.FullName.StartsWith("Pictures/", StringComparison.Ordinal) && e.Length > 0);
            foreach (var name in EmbeddedObjects(zip))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                ReadObject(zip, name);
            }
            // A member no OpenDocument writer puts there (a file added to the ZIP) is read like an archive member.
            foreach (var entry in zip.Entries)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (!entry.FullName.EndsWith('/') && !IsPackagePart(entry.FullName)) ReadMember(entry.FullName);
            }
            AddNotes();
        }

        private void AddNotes()
        {
            if (_tooDeep)
                coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                    $"elements nested deeper than {MaxNesting} levels: the text inside them was not read", context.At()));
            if (_images > 0)
                coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    _images == 1 ? "1 picture not inspected" : $"{_images} pictures not inspected", context.At()));
        }

        /// <summary>The members an OpenDocument package is made of (ISO/IEC 26300-3 and what LibreOffice adds).</summary>
        private static bool IsPackagePart(string name) =>
            name is "mimetype" or "content.xml" or "styles.xml" or "meta.xml" or "settings.xml" or "manifest.rdf" or "layout-cache"
            || name.StartsWith("META-INF/", StringComparison.Ordinal) || name.StartsWith("Pictures/", StringComparison.Ordinal)
            || name.StartsWith("Thumbnails/", StringComparison.Ordinal) || name.StartsWith("Configurations2/", StringComparison.Ordinal)
            || name.StartsWith("ObjectReplacements/", StringComparison.Ordinal) || name.StartsWith("Object ", StringComparison.Ordinal)
            || name.StartsWith("Basic/", StringComparison.Ordinal) || name.StartsWith("Dialogs/", StringComparison.Ordinal)
            || name.StartsWith("Scripts/", StringComparison.Ordinal) || name.StartsWith("media/", StringComparison.Ordinal);

        /// <summary>A member read through the dispatcher as a child document named by its path.</summary>
        private void ReadMember(string name)
        {
            if (!context.Budget.TryTakeMember())
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, "member limit reached: later members were not read", context.At()));
                return;
            }
            if (context.ExtractChild is not { } extract) return;
            if (parts!.Read(name) is { } bytes) _children.Add(extract(new MemoryStream(bytes, writable: false), name, context.ForChild(name)));
        }

        /// <summary>A flat OpenDocument file: meta, master pages and body in one XML document.</summary>
        public void ReadFlat(XElement root)
        {
            Guarded(() =>
            {
                if (Child(root, "meta") is { } meta) ReadMeta(meta);
                _mediaType = KindOf(Child(root, "body"));
                ReadHidingStyles(Child(root, "styles"), Child(root, "automatic-styles"));
                ReadMasterPages(Child(root, "master-styles"));
                if (Child(root, "body") is { } body) Block(body, new Place(SegmentPart.Body));
            });
            AddNotes();
        }

        /// <summary>Runs one level of the walk, or notes that the walk is too deep to go on.</summary>
        private void Nested(Action walk)
        {
            if (_nesting >= MaxNesting)
            {
                _tooDeep = true;
                return;
            }
            _nesting++;
            try
            {
                walk();
            }
            finally
            {
                _nesting--;
            }
        }

        private void Guarded(Action read)
        {
            try
            {
                read();
            }
            catch (LimitReachedException)
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"text beyond {context.Limits.MaxCharacters:N0} characters was not read", context.At()));
            }
        }

        /// <summary>Top-level object names: "Object 1" for a sub-document directory or a binary object file.</summary>
        private static IEnumerable<string> EmbeddedObjects(ZipArchive zip) =>
            zip.Entries.Select(e => e.FullName)
                .Where(n => n.StartsWith("Object ", StringComparison.Ordinal))
                .Select(n => n.Split('/')[0])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);

        /// <summary>
        /// An "Object N/" sub-document is read by a run of its own; a binary object (an OLE compound file LibreOffice
        /// keeps as it came) goes to the dispatcher like any member.
        /// </summary>
        private void ReadObject(ZipArchive zip, string name)
        {
            if (parts!.Find(name + "/content.xml") is null)
            {
                if (parts.Find(name) is not null) ReadMember(name);
                return;
            }
            var child = context.ForChild(name);
            if (!context.Budget.TryTakeMember() || child.Depth > child.Limits.MaxDepth)
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, $"{name} was not read: the member limit or the nesting depth is reached", context.At()));
                return;
            }
            var notes = new List<CoverageNote>();
            var run = new OdfRun(child, notes, new ZipParts(zip, child, notes));
            run.ReadPackage(zip, name + "/");
            _children.Add(run.ToDocument());
        }

        /// <summary>office:meta (of meta.xml, or of a flat file): title, subject, description, keywords, authors and user-defined fields.</summary>
        private void ReadMeta(XElement meta)
        {
            foreach (var e in meta.Elements())
            {
                string value = e.Value.Trim();
                if (value.Length == 0) continue;
                string? name = e.Name.LocalName switch
                {
                    "title" or "subject" or "description" or "keyword" or "initial-creator" or "creator" => e.Name.LocalName,
                    "user-defined" => Attribute(e, "name") ?? "user-defined",
                    _ => null,
                };
                if (name is not null) Emit($"{name}: {value}", new Place(SegmentPart.Metadata, name));
            }
        }

        private void ReadHidingStyles(params XElement?[] containers)
        {
            foreach (var style in containers.SelectMany(c => Elements(c, "style")))
            {
                if (Attribute(style, "name") is not { } name) continue;
                if (Elements(style, "text-properties").Any(t => Attribute(t, "display") == "none")) _hiddenTextStyles.Add(name);
                if (Elements(style, "table-properties").Any(t => Attribute(t, "display") == "false")) _hiddenTableStyles.Add(name);
            }
        }

        private bool HidesText(XElement e) => Attribute(e, "style-name") is { } style && _hiddenTextStyles.Contains(style);

        private static Place Hidden(Place place) => place with { Part = SegmentPart.HiddenText };

        /// <summary>The headers and footers of every master page (text documents); a presentation's master shapes as header text.</summary>
        private void ReadMasterPages(XElement? masterStyles)
        {
            foreach (var page in Elements(masterStyles, "master-page"))
            {
                string? pageName = Attribute(page, "name");
                foreach (var e in page.Elements())
                {
                    var part = e.Name.LocalName switch
                    {
                        "header" or "header-left" or "header-first" => SegmentPart.Header,
                        "footer" or "footer-left" or "footer-first" => SegmentPart.Footer,
                        "frame" or "custom-shape" or "g" => SegmentPart.Header,   // text repeated on every slide
                        _ => (SegmentPart?)null,
                    };
                    if (part is { } p) Block(e, new Place(p, pageName), wrap: e.Name.LocalName is "frame" or "custom-shape" or "g");
                }
            }
        }

        /// <summary>
        /// The paragraphs, tables, slides and shapes under <paramref name="container"/>, depth first; with
        /// <paramref name="wrap"/> the container itself is read as one of them.
        /// </summary>
        private void Block(XElement container, Place place, bool wrap = false) => Nested(() => BlockContent(container, place, wrap));

        private void BlockContent(XElement container, Place place, bool wrap)
        {
            foreach (var e in wrap ? [container] : container.Elements())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                switch (e.Name.LocalName)
                {
                    case "p" or "h":
                        Paragraph(e, place);
                        break;
                    case "table":
                        Table(e, place);
                        break;
                    case "page":
                        _slides++;
                        Block(e, place with { Slide = _slides });
                        break;
                    case "notes":
                        Block(e, place with { Part = SegmentPart.SpeakerNotes });
                        break;
                    case "annotation":
                        Block(e, place with { Part = SegmentPart.Comment });
                        break;
                    case "section" when Attribute(e, "display") == "none":
                        Block(e, Hidden(place));
                        break;
                    case "tracked-changes":
                        foreach (var deletion in e.Descendants().Where(d => d.Name.LocalName == "deletion"))
                            Block(deletion, place with { Part = SegmentPart.TrackedDeletion });
                        break;
                    case "object":
                        InlineObject(e);
                        break;
                    case "image":
                        _images++;
                        break;
                    // Declarations, forms, scripts, settings and sequence declarations hold no text of the author's.
                    case "forms" or "sequence-decls" or "variable-decls" or "user-field-decls" or "calculation-settings"
                        or "named-expressions" or "database-ranges" or "scripts" or "event-listeners" or "annotation-end":
                        break;
                    default:
                        Block(e, place);
                        break;
                }
            }
        }

        /// <summary>An object written inline (a flat file's draw:object holding an office:document) is a child document.</summary>
        private void InlineObject(XElement drawObject)
        {
            if (Child(drawObject, "document") is not { } document) return;   // "./Object 1": read from the package
            string name = Attribute(drawObject.Parent!, "name") ?? "object";
            var child = context.ForChild(name);
            if (child.Depth > child.Limits.MaxDepth || !context.Budget.TryTakeMember())
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, $"embedded object {name} was not read: nesting or member limit", context.At()));
                return;
            }
            var run = new OdfRun(child, [], parts: null);
            run.ReadFlat(document);
            _children.Add(run.ToDocument());
        }

        /// <summary>
        /// One paragraph or heading. Notes, comments and frames anchored in it are read as their own segments
        /// (footnote, comment, text box) before it; the paragraph's own text follows, if it has any.
        /// </summary>
        private void Paragraph(XElement paragraph, Place place)
        {
            var text = new ParagraphText();
            // A hidden paragraph: its style hides it, or a hidden-paragraph field last evaluated to hidden.
            bool hidden = place.Part == SegmentPart.HiddenText || HidesText(paragraph)
                || paragraph.Elements().Any(f => f.Name.LocalName == "hidden-paragraph" && Attribute(f, "is-hidden") == "true");
            Inline(paragraph, text, place, hidden);
            if (!string.IsNullOrWhiteSpace(text.Visible.ToString())) Emit(text.Visible.ToString(), place);
            if (!string.IsNullOrWhiteSpace(text.Hidden.ToString())) Emit(text.Hidden.ToString(), Hidden(place));
        }

        /// <summary>A paragraph's text as a reader sees it, and the text its styles and fields hide.</summary>
        private sealed class ParagraphText
        {
            public StringBuilder Visible { get; } = new();
            public StringBuilder Hidden { get; } = new();
        }

        private void Inline(XElement element, ParagraphText paragraph, Place place, bool hidden) =>
            Nested(() => InlineContent(element, paragraph, place, hidden));

        private void InlineContent(XElement element, ParagraphText paragraph, Place place, bool hidden)
        {
            var text = hidden ? paragraph.Hidden : paragraph.Visible;
            foreach (var node in element.Nodes())
            {
                if (node is XText t)
                {
                    text.Append(t.Value);
                    continue;
                }
                if (node is not XElement e) continue;
                switch (e.Name.LocalName)
                {
                    case "s":
                        text.Append(' ', int.TryParse(Attribute(e, "c"), out int c) && c is > 0 and < 1000 ? c : 1);
                        break;
                    case "tab":
                        text.Append('\t');
                        break;
                    case "line-break":
                        text.Append('\n');
                        break;
                    case "note":
                        var part = Attribute(e, "note-class") == "endnote" ? SegmentPart.Endnote : SegmentPart.Footnote;
                        if (Child(e, "note-body") is { } body) Block(body, place with { Part = part });
                        break;
                    case "annotation":
                        Block(e, place with { Part = SegmentPart.Comment });
                        break;
                    case "frame" or "custom-shape" or "g" or "rect" or "ellipse":
                        Block(e, place with { Part = place.Part == SegmentPart.Body && place.Slide is null && place.Table is null ? SegmentPart.TextBox : place.Part }, wrap: true);
                        break;
                    // Ruby guides repeat their base; change marks and bookmarks carry no text.
                    case "ruby-text" or "change" or "change-start" or "change-end" or "annotation-end" or "note-citation":
                        break;
                    // A hidden-text field shows its text only when its condition is false; read as hidden text.
                    case "hidden-text":
                        Inline(e, paragraph, place, hidden: true);
                        break;
                    default:
                        Inline(e, paragraph, place, hidden || HidesText(e));
                        break;
                }
            }
        }

        /// <summary>
        /// A table: a spreadsheet's sheet (cells located <c>Sheet!A1</c>) or a text document's table (table, row,
        /// column). Row and column groups and headers are walked in document order.
        /// </summary>
        private void Table(XElement table, Place place)
        {
            bool sheet = table.Parent?.Name.LocalName == "spreadsheet";
            string? sheetName = sheet ? Attribute(table, "name") : null;
            int? tableNumber = sheet ? null : ++_textTables;
            if (sheet && Attribute(table, "style-name") is { } style && _hiddenTableStyles.Contains(style)) place = Hidden(place);
            var hiddenColumns = HiddenColumns(table);
            long row = 0;
            foreach (var r in Rows(table))
            {
                long rowRepeat = Repeat(r, "number-rows-repeated");
                bool hiddenRow = Attribute(r, "visibility") is "collapse" or "filter";
                long column = 0;
                foreach (var cell in r.Elements())
                {
                    if (cell.Name.LocalName is not ("table-cell" or "covered-table-cell")) continue;
                    long columnRepeat = Repeat(cell, "number-columns-repeated");
                    if (cell.HasElements && row < int.MaxValue && column < int.MaxValue)
                    {
                        var at = sheet
                            ? place with { Sheet = sheetName, Cell = CellName(row, column) }
                            : place with { Table = tableNumber, Row = (int)row + 1, Column = (int)column + 1 };
                        Block(cell, hiddenRow || hiddenColumns.Exists(h => column >= h.From && column < h.To) ? Hidden(at) : at);
                    }
                    column += columnRepeat;
                }
                row += rowRepeat;
            }
            // Shapes drawn on a sheet.
            if (Child(table, "shapes") is { } shapes) Block(shapes, place with { Sheet = sheetName });
        }

        /// <summary>The [from, to) column ranges that table:table-column elements collapse or filter away.</summary>
        private static List<(long From, long To)> HiddenColumns(XElement table)
        {
            var hidden = new List<(long, long)>();
            long column = 0;
            foreach (var c in Columns(table))
            {
                long repeat = Repeat(c, "number-columns-repeated");
                if (Attribute(c, "visibility") is "collapse" or "filter") hidden.Add((column, column + repeat));
                column += repeat;
            }
            return hidden;
        }

        private static IEnumerable<XElement> Columns(XElement parent)
        {
            foreach (var e in parent.Elements())
            {
                if (e.Name.LocalName == "table-column") yield return e;
                else if (e.Name.LocalName is "table-columns" or "table-header-columns" or "table-column-group")
                    foreach (var c in Columns(e)) yield return c;
            }
        }

        private static IEnumerable<XElement> Rows(XElement parent)
        {
            foreach (var e in parent.Elements())
            {
                if (e.Name.LocalName == "table-row") yield return e;
                else if (e.Name.LocalName is "table-rows" or "table-header-rows" or "table-row-group")
                    foreach (var r in Rows(e)) yield return r;
            }
        }

        private static long Repeat(XElement e, string attribute) =>
            long.TryParse(Attribute(e, attribute), out long n) && n > 0 ? n : 1;

        /// <summary>"C7" for row 6, column 2 (0-based); columns past Z go AA, AB ….</summary>
        internal static string CellName(long row, long column)
        {
            var letters = new StringBuilder();
            for (long c = column + 1; c > 0; c = (c - 1) / 26) letters.Insert(0, (char)('A' + (c - 1) % 26));
            return letters.Append(row + 1).ToString();
        }

        private void Emit(string text, Place place)
        {
            _characters += text.Length;
            if (_characters > context.Limits.MaxCharacters) throw new LimitReachedException();
            var key = (place.Part, place.Slide);
            int paragraph = _paragraphs[key] = _paragraphs.GetValueOrDefault(key) + 1;
            var location = context.At(place.Part) with
            {
                PartName = place.PartName, Slide = place.Slide, Sheet = place.Sheet, Cell = place.Cell,
                Table = place.Table, Row = place.Row, Column = place.Column,
                Paragraph = place.Cell is null && place.Part != SegmentPart.Metadata ? paragraph : null,
            };
            _segments.Add(new TextSegment(text, location));
        }

        private static string? Attribute(XElement e, string localName) =>
            e.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value;
    }

    private static IEnumerable<XElement> Elements(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static XElement? Child(XElement? parent, string localName) => Elements(parent, localName).FirstOrDefault();
}
