using System.Globalization;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Ofd;

/// <summary>
/// Reads OFD (GB/T 33190-2016, China's fixed-layout format): page text in reading order, one segment per
/// visual line with its page and <see cref="Location.TopFraction"/>, template-page text on the pages that use
/// it, annotations as Comment segments, attachments as child documents, and DocInfo (title, author, subject,
/// abstract, keywords, custom data) as Metadata.
/// </summary>
/// <remarks>
/// The package is a ZIP read with System.IO.Compression. The structure followed is that of GB/T 33190-2016
/// §7: OFD.xml → DocBody (DocInfo, DocRoot) → Document.xml (CommonData with PageArea, TemplatePage; Pages/Page
/// with BaseLoc; Annotations; Attachments) → each page's Content.xml (Area/PhysicalBox; Content/Layer and
/// PageBlock holding TextObject with Boundary and Size, whose TextCode children carry X/Y in mm relative to the
/// Boundary, Y being the baseline). Locations are resolved relative to the file that names them, or to the
/// package root when they start with '/'. Elements are matched by local name, so writers that use another
/// prefix or no namespace are read alike. Every part is read through XmlReader with DTDs prohibited, bounded
/// by <see cref="ScanLimits.MaxPartBytes"/>, the expansion ratio and the file's expansion budget; a damaged or
/// missing part is a Corrupt note and the other parts are still read. Stateless and thread-safe.
/// </remarks>
public sealed class OfdExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Ofd];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return ExtractedDocument.Unreadable(Extraction.MediaTypes.Ofd,
                new CoverageNote(CoverageKind.Corrupt, $"OFD package could not be opened: {SafeText.Of(ex)}", context.At()));
        }
        using (zip)
        {
            var run = new OfdRun(zip, context);
            try
            {
                run.Read();
            }
            catch (LimitReachedException)
            {
                run.Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"text beyond {context.Limits.MaxCharacters:N0} characters was not read", context.At()));
            }
            return new ExtractedDocument(Extraction.MediaTypes.Ofd, run.Segments, run.Coverage, run.Children);
        }
    }

    /// <summary>Thrown inside one extraction when the character bound is reached; what was read is kept.</summary>
    private sealed class LimitReachedException : Exception;

    /// <summary>A run of text placed on a page: its box in mm from the page's top-left corner.</summary>
    internal readonly record struct TextItem(double Left, double Top, double Baseline, double Size, string Text);

    /// <summary>
    /// Groups items into visual lines: sorted by baseline then x, an item joins the line whose baseline lies
    /// within 40% of the larger font size; within a line items are ordered by x, and a gap wider than about a
    /// character is a space.
    /// </summary>
    internal static List<(string Text, double Top)> BuildLines(List<TextItem> items)
    {
        items.Sort((a, b) => a.Baseline != b.Baseline ? a.Baseline.CompareTo(b.Baseline) : a.Left.CompareTo(b.Left));
        var lines = new List<List<TextItem>>();
        foreach (var item in items)
        {
            var line = lines.Count > 0 ? lines[^1] : null;
            if (line is not null && Math.Abs(item.Baseline - line[0].Baseline) <= 0.4 * Math.Max(item.Size, line[0].Size)) line.Add(item);
            else lines.Add([item]);
        }
        var result = new List<(string, double)>(lines.Count);
        var sb = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            line.Sort((a, b) => a.Left.CompareTo(b.Left));
            sb.Clear();
            double end = double.NegativeInfinity, top = double.PositiveInfinity;
            foreach (var item in line)
            {
                if (sb.Length > 0 && item.Left - end > item.Size * 0.8) sb.Append(' ');
                sb.Append(item.Text);
                end = item.Left + EstimatedWidth(item.Text, item.Size);
                top = Math.Min(top, item.Top);
            }
            var text = sb.ToString().Trim();
            if (text.Length > 0) result.Add((text, top));
        }
        return result;
    }

    /// <summary>CJK and full-width characters are about one em wide, others about half.</summary>
    private static double EstimatedWidth(string text, double size)
    {
        double w = 0;
        foreach (char c in text) w += c >= '\u2E80' ? size : size / 2;
        return w;
    }

    private sealed class OfdRun
    {
        private readonly ExtractionContext _context;
        private readonly ZipParts _parts;

        public OfdRun(ZipArchive zip, ExtractionContext context)
        {
            _context = context;
            _parts = new ZipParts(zip, context, Coverage);
        }

        private readonly Dictionary<string, XDocument?> _templates = new(StringComparer.OrdinalIgnoreCase);
        private long _characters;
        private int _pagesRead;
        private int _images;

        public List<TextSegment> Segments { get; } = [];

        public List<CoverageNote> Coverage { get; } = [];

        public List<ExtractedDocument> Children { get; } = [];

        public void Read()
        {
            var ofd = Load("OFD.xml");
            if (ofd?.Root is null) return;
            int documents = 0;
            foreach (var body in Elements(ofd.Root, "DocBody"))
            {
                documents++;
                if (Child(body, "DocInfo") is { } info) ReadDocInfo(info);
                var root = Child(body, "DocRoot")?.Value.Trim();
                if (string.IsNullOrEmpty(root))
                {
                    Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"document {documents} names no DocRoot", _context.At()));
                    continue;
                }
                ReadDocument(Resolve("", root));
            }
            if (documents == 0) Coverage.Add(new CoverageNote(CoverageKind.Corrupt, "OFD.xml has no DocBody", _context.At()));
            if (_images > 0)
                Coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    _images == 1 ? "1 image not inspected" : $"{_images} images not inspected", _context.At()));
        }

        private void ReadDocInfo(XElement info)
        {
            foreach (var name in (string[])["Title", "Author", "Subject", "Abstract", "Creator"])
                if (Child(info, name)?.Value.Trim() is { Length: > 0 } value) Metadata(name, value);
            if (Child(info, "Keywords") is { } keywords)
            {
                var words = string.Join("，", Elements(keywords, "Keyword").Select(k => k.Value.Trim()).Where(k => k.Length > 0));
                if (words.Length > 0) Metadata("Keywords", words);
            }
            if (Child(info, "CustomDatas") is { } custom)
                foreach (var data in Elements(custom, "CustomData"))
                    if (data.Value.Trim() is { Length: > 0 } value)
                        Metadata((string?)data.Attribute("Name") is { Length: > 0 } n ? n : "CustomData", value);
        }

        private void Metadata(string name, string value)
        {
            Charge(value.Length);
            Segments.Add(new TextSegment($"{name}: {value}", _context.At(SegmentPart.Metadata) with { PartName = name }));
        }

        private void ReadDocument(string path)
        {
            var doc = Load(path);
            if (doc?.Root is null) return;
            string dir = DirectoryOf(path);
            var common = Child(doc.Root, "CommonData");
            var defaultBox = ParseBox(common is null ? null : Child(Child(common, "PageArea"), "PhysicalBox")?.Value);
            var templates = new Dictionary<string, string>(StringComparer.Ordinal);
            if (common is not null)
                foreach (var t in Elements(common, "TemplatePage"))
                    if ((string?)t.Attribute("ID") is { } id && (string?)t.Attribute("BaseLoc") is { } loc) templates[id] = Resolve(dir, loc);

            var pageNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
            var pages = Child(doc.Root, "Pages") is { } p ? Elements(p, "Page").ToList() : [];
            for (int i = 0; i < pages.Count; i++)
            {
                _context.CancellationToken.ThrowIfCancellationRequested();
                if ((string?)pages[i].Attribute("ID") is { } id) pageNumbers[id] = i + 1;
                if (_pagesRead >= _context.Limits.MaxPages)
                {
                    Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                        $"only the first {_context.Limits.MaxPages:N0} pages were read", _context.At() with { Page = i + 1 }));
                    break;
                }
                _pagesRead++;
                if ((string?)pages[i].Attribute("BaseLoc") is not { Length: > 0 } baseLoc) continue;
                ReadPage(Resolve(dir, baseLoc), i + 1, defaultBox, templates);
            }
            if (Child(doc.Root, "Annotations")?.Value.Trim() is { Length: > 0 } annotations)
                ReadAnnotations(Resolve(dir, annotations), pageNumbers);
            if (Child(doc.Root, "Attachments")?.Value.Trim() is { Length: > 0 } attachments)
                ReadAttachments(Resolve(dir, attachments));
        }

        private void ReadPage(string path, int page, (double Width, double Height) defaultBox, Dictionary<string, string> templates)
        {
            var content = Load(path);
            if (content?.Root is null) return;
            var box = ParseBox(Child(Child(content.Root, "Area"), "PhysicalBox")?.Value);
            if (box.Height <= 0) box = defaultBox;
            var items = new List<TextItem>();
            int images = CollectText(content.Root, items);
            // A template page (letterhead, running header) is drawn on every page that names it.
            foreach (var template in Elements(content.Root, "Template"))
            {
                if ((string?)template.Attribute("TemplateID") is not { } id || !templates.TryGetValue(id, out var templatePath)) continue;
                if (!_templates.TryGetValue(templatePath, out var templateDoc)) _templates[templatePath] = templateDoc = Load(templatePath);
                if (templateDoc?.Root is not null) images += CollectText(templateDoc.Root, items);
            }
            _images += images;
            var lines = BuildLines(items);
            if (lines.Count == 0 && images > 0)
                Coverage.Add(new CoverageNote(CoverageKind.ImageOnly, $"page {page} holds images but no text", _context.At() with { Page = page }));
            for (int i = 0; i < lines.Count; i++)
            {
                Charge(lines[i].Text.Length);
                double? top = box.Height > 0 ? Math.Clamp(lines[i].Top / box.Height, 0, 1) : null;
                Segments.Add(new TextSegment(lines[i].Text, _context.At() with { Page = page, Paragraph = i + 1, TopFraction = top }));
            }
        }

        /// <summary>Collects every TextObject below <paramref name="root"/>; returns the number of ImageObjects.</summary>
        private static int CollectText(XElement root, List<TextItem> items)
        {
            int images = 0;
            foreach (var element in root.Descendants())
            {
                string name = element.Name.LocalName;
                if (name == "ImageObject") images++;
                if (name != "TextObject") continue;
                var boundary = ParseNumbers((string?)element.Attribute("Boundary"));
                double bx = boundary.Length >= 2 ? boundary[0] : 0, by = boundary.Length >= 2 ? boundary[1] : 0;
                double size = Number((string?)element.Attribute("Size")) is { } s and > 0 ? s : 3.5;
                double x = 0, y = size;
                foreach (var code in element.Elements().Where(e => e.Name.LocalName == "TextCode"))
                {
                    x = Number((string?)code.Attribute("X")) ?? x;
                    y = Number((string?)code.Attribute("Y")) ?? y;
                    var text = code.Value;
                    if (text.Length == 0) continue;
                    double baseline = by + y;
                    items.Add(new TextItem(bx + x, Math.Max(by, baseline - size), baseline, size, text));
                }
            }
            return images;
        }

        private void ReadAnnotations(string path, Dictionary<string, int> pageNumbers)
        {
            var index = Load(path);
            if (index?.Root is null) return;
            string dir = DirectoryOf(path);
            foreach (var pageRef in Elements(index.Root, "Page"))
            {
                int? page = (string?)pageRef.Attribute("PageID") is { } id && pageNumbers.TryGetValue(id, out var n) ? n : null;
                if (Child(pageRef, "FileLoc")?.Value.Trim() is not { Length: > 0 } loc) continue;
                var annots = Load(Resolve(dir, loc));
                if (annots?.Root is null) continue;
                foreach (var annot in annots.Root.Descendants().Where(e => e.Name.LocalName == "Annot"))
                {
                    var at = _context.At(SegmentPart.Comment) with { Page = page, PartName = (string?)annot.Attribute("Type") };
                    if (Child(annot, "Remark")?.Value.Trim() is { Length: > 0 } remark)
                    {
                        Charge(remark.Length);
                        Segments.Add(new TextSegment(remark, at));
                    }
                    var items = new List<TextItem>();
                    _images += CollectText(annot, items);
                    foreach (var (text, _) in BuildLines(items))
                    {
                        Charge(text.Length);
                        Segments.Add(new TextSegment(text, at));
                    }
                }
            }
        }

        private void ReadAttachments(string path)
        {
            var index = Load(path);
            if (index?.Root is null) return;
            string dir = DirectoryOf(path);
            foreach (var attachment in Elements(index.Root, "Attachment"))
            {
                _context.CancellationToken.ThrowIfCancellationRequested();
                if (Child(attachment, "FileLoc")?.Value.Trim() is not { Length: > 0 } loc) continue;
                string target = Resolve(dir, loc);
                string name = (string?)attachment.Attribute("Name") is { Length: > 0 } n ? n : Path.GetFileName(target);
                if (!_context.Budget.TryTakeMember())
                {
                    Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, "member limit reached: later attachments were not read", _context.At()));
                    return;
                }
                var bytes = ReadEntry(target);
                if (bytes is null || _context.ExtractChild is not { } extract) continue;
                Children.Add(extract(new MemoryStream(bytes, writable: false), name, _context.ForChild(name)));
            }
        }

        /// <summary>Parses one XML part; a missing or damaged part is a note and null.</summary>
        private XDocument? Load(string path) => _parts.Load(path);

        private byte[]? ReadEntry(string path) => _parts.Read(path);

        private void Charge(int n)
        {
            _characters += n;
            if (_characters > _context.Limits.MaxCharacters)
                throw new LimitReachedException();
        }
    }

    private static IEnumerable<XElement> Elements(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static XElement? Child(XElement? parent, string localName) => Elements(parent, localName).FirstOrDefault();

    /// <summary>A location relative to <paramref name="baseDir"/>, or to the package root when it starts with '/'.</summary>
    internal static string Resolve(string baseDir, string location)
    {
        location = location.Trim().Replace('\\', '/');
        var combined = location.StartsWith('/') ? location : (baseDir.Length == 0 ? location : baseDir + "/" + location);
        var parts = new List<string>();
        foreach (var part in combined.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static string DirectoryOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static (double Width, double Height) ParseBox(string? box)
    {
        var n = ParseNumbers(box);
        return n.Length >= 4 ? (n[2], n[3]) : (0, 0);
    }

    private static double[] ParseNumbers(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return [];
        var parts = s.Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var result = new List<double>(parts.Length);
        foreach (var p in parts)
            if (double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) result.Add(d);
        return [.. result];
    }

    private static double? Number(string? s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
}
