using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Reads SpreadsheetML (.xlsx, .xlsm, .xltx): every cell's displayed value, one segment per cell in row order,
/// located by sheet and cell ("Sheet2!C7", with row, column and the sheet's 1-based index as
/// <see cref="Location.Table"/>); sheet names and defined names; cell comments; headers and footers; text in
/// drawings (text boxes, shapes); document properties; embedded objects as child documents.
/// </summary>
/// <remarks>
/// Hidden and very hidden sheets, hidden rows and hidden columns are read and their cells flagged
/// <see cref="SegmentPart.HiddenText"/>: they are published with the file. Shared and inline strings are read
/// without their phonetic (rPh) runs; numbers are rendered by <see cref="XlsxNumberFormat"/>; formulas are not
/// shown, their cached values are. Pictures are counted in one <see cref="CoverageKind.ImagesNotInspected"/>
/// note; charts are <see cref="CoverageKind.Unsupported"/>. Part XML is streamed with DTDs prohibited (the
/// shared-string table is held in memory, charged to the character budget); a damaged part is a Corrupt note and
/// the other parts are still read. Stateless and thread-safe.
/// </remarks>
public sealed class XlsxExtractor : IExtractor
{
    private const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Cancellation is checked at least this often while streaming one sheet.</summary>
    private const int RowsPerCancellationCheck = 1000;

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Xlsx];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context) =>
        OoxmlPackage.Read(stream, context, Extraction.MediaTypes.Xlsx, "XLSX",
            package => SpreadsheetDocument.Open(package),
            copy => SpreadsheetDocument.Open(copy, true, new OpenSettings { AutoSave = false }),
            (c, tolerant) => new OoxmlRun(c, tolerant), ReadWorkbook);

    private sealed record SheetEntry(string Name, string? RelationshipId, bool Hidden);

    private sealed class Workbook
    {
        public List<SheetEntry> Sheets { get; } = [];
        public List<(string Name, string Value)> DefinedNames { get; } = [];
        public bool Date1904 { get; set; }
        public List<string> SharedStrings { get; } = [];
        public Dictionary<int, string> FormatCodes { get; } = [];
        public List<int> CellFormats { get; } = [];
    }

    private static void ReadWorkbook(SpreadsheetDocument document, OoxmlRun run)
    {
        WorkbookPart? workbookPart = null;
        run.Guard("the workbook", () => workbookPart = document.WorkbookPart ?? throw new InvalidDataException("no workbook part"));
        if (workbookPart is null) return;

        var book = new Workbook();
        run.ReadPart(workbookPart, reader => ReadWorkbookXml(run, reader, book), flush: null);
        run.Guard("shared strings", () => { if (workbookPart.SharedStringTablePart is { } part) run.ReadPart(part, r => ReadSharedStrings(run, r, book.SharedStrings), null); });
        run.Guard("styles", () => { if (workbookPart.WorkbookStylesPart is { } part) run.ReadPart(part, r => ReadStyles(r, book), null); });

        for (int i = 0; i < book.Sheets.Count; i++)
        {
            if (run.Stopped) break;
            var sheet = book.Sheets[i];
            int index = i + 1;
            // Sheet names are text of their own: "机密" as a tab name is as visible as a cell.
            run.Emit(sheet.Name, run.Context.At(SegmentPart.Metadata) with { PartName = "sheet name", Sheet = sheet.Name, Table = index });
            if (sheet.RelationshipId is null) continue;
            run.Guard($"sheet {index}", () =>
            {
                var part = workbookPart.GetPartById(sheet.RelationshipId);
                if (part is not WorksheetPart worksheet) return;   // chart sheets and dialog sheets hold no cells
                var reader = new SheetReader(run, book, sheet, index);
                run.ReadPart(worksheet, reader.Read, flush: null);
                if (worksheet.WorksheetCommentsPart is { } comments)
                    run.ReadPart(comments, r => ReadComments(run, r, sheet.Name, index), flush: null);
                if (worksheet.DrawingsPart is { } drawings)
                {
                    var drawing = new DrawingTextReader(run, p => run.Emit(p.Text,
                        run.Context.At(SegmentPart.TextBox) with { Sheet = sheet.Name, PartName = drawings.Uri.OriginalString }));
                    run.ReadPart(drawings, drawing.Read, drawing.Flush);
                    run.Images += drawing.Pictures;
                    run.OleObjects += drawing.OleObjects;
                }
            });
        }

        foreach (var (name, value) in book.DefinedNames)
            run.Emit($"{name}: {value}", run.Context.At(SegmentPart.Metadata) with { PartName = "defined name" });
    }

    /// <summary>Sheets in tab order, the date system, and the user's defined names (not the _xlnm built-ins).</summary>
    private static void ReadWorkbookXml(OoxmlRun run, XmlReader reader, Workbook book)
    {
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "workbookPr":
                    book.Date1904 = reader.GetAttribute("date1904") is "1" or "true";
                    break;
                case "sheet":
                    string name = reader.GetAttribute("name") ?? "";
                    run.Charge(name.Length);
                    book.Sheets.Add(new SheetEntry(name, reader.GetAttribute("id", RelationshipsNs),
                        reader.GetAttribute("state") is "hidden" or "veryHidden"));
                    break;
                case "definedName" when !reader.IsEmptyElement:
                    string defined = reader.GetAttribute("name") ?? "";
                    var value = new StringBuilder();
                    int depth = reader.Depth;
                    while (reader.Read() && reader.Depth > depth)
                        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA) run.AppendValue(reader, value);
                    if (!defined.StartsWith("_xlnm.", StringComparison.Ordinal) && defined.Length > 0)
                    {
                        run.Charge(defined.Length);
                        book.DefinedNames.Add((defined, value.ToString()));
                    }
                    break;
            }
        }
    }

    /// <summary>One string per sst/si: its t text, rich runs joined, phonetic guides (rPh) left out.</summary>
    private static void ReadSharedStrings(OoxmlRun run, XmlReader reader, List<string> strings)
    {
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "si") continue;
            text.Clear();
            if (!reader.IsEmptyElement) ReadRichText(run, reader, text);
            strings.Add(text.ToString());
        }
    }

    /// <summary>Reads the rich text of the element the reader is on (si, is, comment text) up to its end tag.</summary>
    private static void ReadRichText(OoxmlRun run, XmlReader reader, StringBuilder text)
    {
        int depth = reader.Depth;
        bool inText = false;
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (reader.LocalName == "rPh")
                {
                    reader.Skip();   // leaves the reader on the next node already
                    continue;
                }
                inText = reader.LocalName == "t" && !reader.IsEmptyElement;
            }
            else if (reader.NodeType == XmlNodeType.EndElement) inText = false;
            else if (inText && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                run.AppendValue(reader, text);
            reader.Read();
        }
    }

    /// <summary>numFmts (custom codes by id) and cellXfs (the number format of each cell style, by index).</summary>
    private static void ReadStyles(XmlReader reader, Workbook book)
    {
        bool inCellXfs = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs") inCellXfs = false;
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out int id):
                    book.FormatCodes[id] = reader.GetAttribute("formatCode") ?? "";
                    break;
                case "cellXfs":
                    inCellXfs = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    book.CellFormats.Add(int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out int f) ? f : 0);
                    break;
            }
        }
    }

    /// <summary>One segment per comment (legacy notes and the notes Excel writes for threaded comments), at its cell.</summary>
    private static void ReadComments(OoxmlRun run, XmlReader reader, string sheet, int index)
    {
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "comment" || reader.IsEmptyElement) continue;
            string? cell = reader.GetAttribute("ref");
            text.Clear();
            ReadRichText(run, reader, text);
            if (text.Length == 0) continue;
            var (row, column) = ParseReference(cell);
            run.Emit(text.ToString(), run.Context.At(SegmentPart.Comment) with
            {
                Sheet = sheet, Cell = cell, Table = index, Row = row, Column = column,
            });
        }
    }

    /// <summary>"C7" → (7, 3); (null, null) when it is not a cell reference.</summary>
    internal static (int? Row, int? Column) ParseReference(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return (null, null);
        int i = 0, column = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]) && column <= 16384)
            column = column * 26 + (char.ToUpperInvariant(reference[i++]) - 'A' + 1);
        if (i == 0 || i == reference.Length || column > 16384) return (null, null);
        return int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out int row) && row > 0
            ? (row, column) : (null, null);
    }

    /// <summary>3 → "C"; columns past XFD (cells without r in hostile files) still get letters.</summary>
    internal static string ColumnName(int column)
    {
        Span<char> letters = stackalloc char[8];   // 26^7 > int.MaxValue
        int n = 0;
        for (; column > 0; column = (column - 1) / 26) letters[n++] = (char)('A' + (column - 1) % 26);
        letters = letters[..n];
        letters.Reverse();
        return new string(letters);
    }

    /// <summary>
    /// Removes the codes of a header or footer (ECMA-376 Part 1, 18.3.1.39) and splits it into its left, centre
    /// and right sections. Fields (&amp;P page, &amp;D date, &amp;F file …) are dropped; "&amp;&amp;" is "&amp;".
    /// </summary>
    internal static List<string> HeaderFooterSections(string code)
    {
        var sections = new List<string>();
        var current = new StringBuilder();
        void Close()
        {
            string s = current.ToString().Trim();
            if (s.Length > 0) sections.Add(s);
            current.Clear();
        }
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c != '&' || i + 1 >= code.Length) { current.Append(c); continue; }
            char next = code[++i];
            switch (next)
            {
                case 'L' or 'C' or 'R': Close(); break;
                case '&': current.Append('&'); break;
                case '"':   // &"font,style"
                    int close = code.IndexOf('"', i + 1);
                    i = close < 0 ? code.Length : close;
                    break;
                case 'K':   // &Krrggbb or &Ktt+nnn
                    i = Math.Min(code.Length - 1, i + 6);
                    break;
                case >= '0' and <= '9':   // &nn font size
                    while (i + 1 < code.Length && char.IsAsciiDigit(code[i + 1])) i++;
                    break;
                default: break;   // fields and formatting toggles
            }
        }
        Close();
        return sections;
    }

    /// <summary>Streams one worksheet: hidden columns, rows and their cells, then headers and footers.</summary>
    private sealed class SheetReader(OoxmlRun run, Workbook book, SheetEntry sheet, int index)
    {
        // Hidden column ranges (min, max), known before sheetData because cols precede it.
        private readonly List<(int Min, int Max)> _hiddenColumns = [];
        private readonly StringBuilder _value = new();
        private int _row;
        private int _column;
        private bool _rowHidden;
        private int _rows;
        private int _cells;

        public void Read(XmlReader reader)
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                switch (reader.LocalName)
                {
                    case "col" when reader.GetAttribute("hidden") is "1" or "true":
                        if (int.TryParse(reader.GetAttribute("min"), NumberStyles.None, CultureInfo.InvariantCulture, out int min)
                            && int.TryParse(reader.GetAttribute("max"), NumberStyles.None, CultureInfo.InvariantCulture, out int max))
                            _hiddenColumns.Add((min, max));
                        break;
                    case "row":
                        if ((++_rows % RowsPerCancellationCheck) == 0) run.Context.CancellationToken.ThrowIfCancellationRequested();
                        _row = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r > 0 ? r : _row + 1;
                        _rowHidden = reader.GetAttribute("hidden") is "1" or "true";
                        _column = 0;
                        break;
                    case "c":
                        ReadCell(reader);
                        break;
                    case "oddHeader" or "evenHeader" or "firstHeader" or "oddFooter" or "evenFooter" or "firstFooter" when !reader.IsEmptyElement:
                        ReadHeaderFooter(reader);
                        break;
                }
            }
        }

        private void ReadCell(XmlReader reader)
        {
            // One row may hold many cells: check cancellation by cells as well.
            if ((++_cells & 0xFFFF) == 0) run.Context.CancellationToken.ThrowIfCancellationRequested();
            var (row, column) = ParseReference(reader.GetAttribute("r"));
            if (row is { } rr && rr != _row) _row = rr;   // a cell outside its row element: trust the cell
            _column = column ?? _column + 1;
            string? type = reader.GetAttribute("t");
            int style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0;
            if (reader.IsEmptyElement) return;

            _value.Clear();
            bool inline = false;
            int depth = reader.Depth;
            while (reader.Read() && reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                if (reader.LocalName == "v" && !reader.IsEmptyElement)
                {
                    int d = reader.Depth;
                    while (reader.Read() && reader.Depth > d)
                        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace) run.AppendValue(reader, _value);
                }
                else if (reader.LocalName == "is" && !reader.IsEmptyElement)
                {
                    inline = true;
                    ReadRichText(run, reader, _value);
                }
            }
            // A formula (f) is not displayed and its text is not collected; its cached value (v) is.

            string text = Display(type, inline, _value.ToString(), style);
            if (text.Length == 0) return;
            bool hidden = sheet.Hidden || _rowHidden || IsHiddenColumn(_column);
            run.Emit(text, run.Context.At(hidden ? SegmentPart.HiddenText : SegmentPart.Body) with
            {
                Sheet = sheet.Name, Cell = ColumnName(_column) + _row.ToString(CultureInfo.InvariantCulture),
                Table = index, Row = _row, Column = _column,
            });
        }

        private string Display(string? type, bool inline, string raw, int style)
        {
            if (inline) return raw;
            switch (type)
            {
                case "s":
                    if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= book.SharedStrings.Count) return "";
                    string shared = book.SharedStrings[i];
                    run.Charge(shared.Length);
                    return shared;
                case "b": return raw is "1" or "true" ? "TRUE" : "FALSE";
                case "str" or "e" or "d" or "inlineStr": return raw;
                default:
                    if (raw.Length == 0) return "";
                    int id = style < book.CellFormats.Count ? book.CellFormats[style] : 0;
                    return XlsxNumberFormat.Format(raw, id, id >= 164 && book.FormatCodes.TryGetValue(id, out var code) ? code : null, book.Date1904);
            }
        }

        private bool IsHiddenColumn(int column)
        {
            foreach (var (min, max) in _hiddenColumns)
                if (column >= min && column <= max) return true;
            return false;
        }

        private void ReadHeaderFooter(XmlReader reader)
        {
            string kind = reader.LocalName;
            var code = new StringBuilder();
            int depth = reader.Depth;
            while (reader.Read() && reader.Depth > depth)
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                    run.AppendValue(reader, code);
            var part = kind.EndsWith("Header", StringComparison.Ordinal) ? SegmentPart.Header : SegmentPart.Footer;
            foreach (var section in HeaderFooterSections(code.ToString()))
                run.Emit(section, run.Context.At(part) with { Sheet = sheet.Name, PartName = kind, Table = index });
        }
    }
}
