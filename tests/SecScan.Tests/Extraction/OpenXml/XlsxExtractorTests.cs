using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.OpenXml;
using Location = SecScan.Core.Documents.Location;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace SecScan.Tests.Extraction.OpenXml;

public class XlsxExtractorTests
{
    private static ExtractedDocument Read(string sample, ScanLimits? limits = null)
    {
        using var stream = File.OpenRead(TestFiles.Sample(sample));
        return Read(stream, sample, limits);
    }

    private static ExtractedDocument Read(Stream stream, string name = "test.xlsx", ScanLimits? limits = null) =>
        new XlsxExtractor().Extract(stream, new ExtractionContext(name, name, limits ?? ScanLimits.Default, 0, CancellationToken.None));

    private static TextSegment Single(ExtractedDocument doc, string text) =>
        Assert.Single(doc.Segments, s => s.Text == text);

    [Fact]
    public void Marking_in_Sheet2_C7_is_located_by_sheet_cell_row_and_column()
    {
        var doc = Read(TestFiles.XlsxSheet2Marking);

        var mark = Single(doc, "机密★5年").Location;
        Assert.Equal(new Location
        {
            Container = TestFiles.XlsxSheet2Marking, Part = SegmentPart.Body, Sheet = "Sheet2", Cell = "C7", Table = 2, Row = 7, Column = 3,
        }, mark);
        Assert.StartsWith($"{TestFiles.XlsxSheet2Marking} › Sheet2!C7", mark.ToString(), StringComparison.Ordinal);

        // The "密级" label is its left-hand neighbour in the same row, so detectors can pair them.
        var label = Single(doc, "密级").Location;
        Assert.Equal(("Sheet2", "B7", 7, 2), (label.Sheet, label.Cell, label.Row, label.Column));
        Assert.Equal(MediaTypes.Xlsx, doc.MediaType);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void Cells_come_one_segment_each_in_row_order_after_their_sheet_name()
    {
        var doc = Read(TestFiles.XlsxSheet2Marking);
        var texts = doc.Segments.Select(s => s.Text).ToList();

        int sheet1 = texts.IndexOf("Sheet1"), sheet2 = texts.IndexOf("Sheet2");
        Assert.True(sheet1 >= 0 && sheet2 > sheet1);
        Assert.Equal(SegmentPart.Metadata, doc.Segments[sheet2].Location.Part);
        Assert.Equal("sheet name", doc.Segments[sheet2].Location.PartName);
        Assert.True(texts.IndexOf("项目名称") > sheet2 && texts.IndexOf("项目名称") < texts.IndexOf("机密★5年"));
        Assert.Equal(["序号", "科目", "预算金额（万元）", "已支出（万元）", "备注"],
            doc.Segments.Where(s => s.Location is { Sheet: "Sheet1", Row: 2, Part: SegmentPart.Body }).Select(s => s.Text));
    }

    [Fact]
    public void Numbers_are_shown_as_formatted_decimals_percentages_and_dates()
    {
        var budget = Read(TestFiles.XlsxSheet2Marking);
        Assert.Equal("1,280.50", budget.Segments.Single(s => s.Location is { Sheet: "Sheet1", Cell: "C3" }).Text);
        Assert.Equal("2024年3月15日", budget.Segments.Single(s => s.Location is { Sheet: "Sheet2", Cell: "C5" }).Text);
        Assert.Equal("1", budget.Segments.Single(s => s.Location is { Sheet: "Sheet1", Cell: "A3" }).Text);

        var prices = Read(TestFiles.XlsxPublicPriceList);
        Assert.Equal("45.50", prices.Segments.Single(s => s.Location is { Cell: "B4" }).Text);
        Assert.Equal("15%", prices.Segments.Single(s => s.Location is { Cell: "C4" }).Text);
        Assert.Equal("2024-04-01", prices.Segments.Single(s => s.Location is { Cell: "D4" }).Text);
    }

    [Fact]
    public void A_hidden_sheet_is_read_and_its_cells_are_hidden_text()
    {
        var doc = Read(TestFiles.XlsxHiddenSheet);

        var mark = Single(doc, "秘密★10年").Location;
        Assert.Equal((SegmentPart.HiddenText, "内部备注", "A1"), (mark.Part, mark.Sheet, mark.Cell));
        Assert.Contains("hidden text", mark.ToString(), StringComparison.Ordinal);
        Assert.Equal(SegmentPart.Body, Single(doc, "综合处").Location.Part);
    }

    [Fact]
    public void Hidden_rows_and_columns_comments_headers_footers_names_and_properties_are_read()
    {
        var doc = Read(Build(book =>
        {
            var wb = book.WorkbookPart!;
            var sheet = wb.WorksheetParts.Single();
            sheet.Worksheet = new Worksheet(
                new Columns(new Column { Min = 4, Max = 5, Hidden = true, Width = 9, CustomWidth = true }),
                new SheetData(
                    new Row(InlineCell("A1", "项目"), InlineCell("D1", "隐藏列的内容")) { RowIndex = 1 },
                    new Row(InlineCell("A2", "隐藏行的内容")) { RowIndex = 2, Hidden = true },
                    new Row(
                        new Cell { CellReference = "A3", DataType = CellValues.SharedString, CellValue = new CellValue("0") },
                        new Cell { CellReference = "B3", DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                        new Cell { CellReference = "C3", DataType = CellValues.Error, CellValue = new CellValue("#N/A") },
                        new Cell { CellReference = "F3", CellFormula = new CellFormula("SUM(1,2)"), CellValue = new CellValue("3") },
                        new Cell { CellReference = "G3", DataType = CellValues.String, CellFormula = new CellFormula("\"机\"&\"密\""), CellValue = new CellValue("机密") })
                    { RowIndex = 3 }),
                new HeaderFooter(
                    new OddHeader("&L&\"宋体,加粗\"&14秘密★5年&C&A&R第&P页"),
                    new OddFooter("&C内部资料&&注意保存")));
            var shared = wb.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable(new SharedStringItem(
                new Run(new S.Text("共享")), new Run(new S.Text("字符串")),
                new PhoneticRun(new S.Text("きょうゆう")) { BaseTextStartIndex = 0, EndingBaseIndex = 2 }));
            var comments = sheet.AddNewPart<WorksheetCommentsPart>();
            comments.Comments = new Comments(new Authors(new Author("王工")),
                new CommentList(new Comment(new CommentText(new Run(new S.Text("此表数据请勿外传")))) { Reference = "C3", AuthorId = 0 }));
            wb.Workbook.Append(new DefinedNames(
                new DefinedName("Sheet1!$A$1:$C$3") { Name = "预算范围" },
                new DefinedName("Sheet1!$A$1:$C$3") { Name = "_xlnm.Print_Area", LocalSheetId = 0 }));
            book.AddCoreFilePropertiesPart().FeedData(new MemoryStream(Encoding.UTF8.GetBytes(
                """<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>绝密★启用前</dc:title></cp:coreProperties>""")));
        }));

        Assert.Equal(SegmentPart.Body, Single(doc, "项目").Location.Part);
        Assert.Equal((SegmentPart.HiddenText, "D1"), (Single(doc, "隐藏列的内容").Location.Part, Single(doc, "隐藏列的内容").Location.Cell));
        Assert.Equal((SegmentPart.HiddenText, 2), (Single(doc, "隐藏行的内容").Location.Part, Single(doc, "隐藏行的内容").Location.Row));
        Assert.Equal("A3", Single(doc, "共享字符串").Location.Cell);   // phonetic guide left out
        Assert.Equal("B3", Single(doc, "TRUE").Location.Cell);
        Assert.Equal("C3", Single(doc, "#N/A").Location.Cell);
        Assert.Equal("F3", Single(doc, "3").Location.Cell);             // cached value, not the formula
        Assert.Equal("G3", Single(doc, "机密").Location.Cell);
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains("SUM", StringComparison.Ordinal));

        var comment = Single(doc, "此表数据请勿外传").Location;
        Assert.Equal((SegmentPart.Comment, "Sheet1", "C3", 3, 3), (comment.Part, comment.Sheet, comment.Cell, comment.Row, comment.Column));

        var header = Single(doc, "秘密★5年").Location;
        Assert.Equal((SegmentPart.Header, "Sheet1", "oddHeader"), (header.Part, header.Sheet, header.PartName));
        Assert.Contains(doc.Segments, s => s.Text == "第页" && s.Location.Part == SegmentPart.Header);
        Assert.Equal(SegmentPart.Footer, Single(doc, "内部资料&注意保存").Location.Part);

        Assert.Equal((SegmentPart.Metadata, "defined name"), (Single(doc, "预算范围: Sheet1!$A$1:$C$3").Location.Part, Single(doc, "预算范围: Sheet1!$A$1:$C$3").Location.PartName));
        Assert.DoesNotContain(doc.Segments, s => s.Text.StartsWith("_xlnm", StringComparison.Ordinal));
        Assert.Equal(SegmentPart.Metadata, Single(doc, "title: 绝密★启用前").Location.Part);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void Pictures_in_drawings_are_counted_and_text_boxes_read()
    {
        var doc = Read(Build(book =>
        {
            var sheet = book.WorkbookPart!.WorksheetParts.Single();
            var drawing = sheet.AddNewPart<DrawingsPart>();
            drawing.FeedData(new MemoryStream(Encoding.UTF8.GetBytes("""
                <xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
                          xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
                          xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                  <xdr:twoCellAnchor><xdr:pic><xdr:blipFill><a:blip r:embed="rId9"/></xdr:blipFill></xdr:pic></xdr:twoCellAnchor>
                  <xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:p><a:r><a:t>内部资料</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor>
                </xdr:wsDr>
                """)));
        }));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected && n.Message == "1 image not inspected");
        var box = Single(doc, "内部资料").Location;
        Assert.Equal((SegmentPart.TextBox, "Sheet1"), (box.Part, box.Sheet));
    }

    [Theory]
    [InlineData("42", 0, null, "42")]
    [InlineData("0.30000000000000004", 0, null, "0.3")]
    [InlineData("1234.5", 4, null, "1,234.50")]
    [InlineData("0.125", 10, null, "12.50%")]
    [InlineData("45366", 14, null, "2024/3/15")]
    [InlineData("45366", 31, null, "2024年3月15日")]
    [InlineData("45366.5", 22, null, "2024-03-15 12:00:00")]
    [InlineData("45366", 164, "yyyy\"年\"m\"月\"d\"日\"", "2024年3月15日")]
    [InlineData("45366", 165, "[$-804]yyyy/mm/dd;@", "2024-03-15")]
    [InlineData("1234.567", 166, "#,##0.0_);[Red](#,##0.0)", "1,234.6")]
    [InlineData("0.5", 167, "0.0%", "50.0%")]
    [InlineData("1234.5", 168, "\"¥\"#,##0.00", "1,234.50")]
    [InlineData("0.75", 169, "# ?/?", "0.75")]
    [InlineData("60", 14, null, "60")]
    [InlineData("n/a", 2, null, "n/a")]
    public void Number_formats_render_as_displayed(string raw, int id, string? code, string expected) =>
        Assert.Equal(expected, XlsxNumberFormat.Format(raw, id, code, date1904: false));

    [Fact]
    public void Header_codes_are_stripped_and_sections_split()
    {
        Assert.Equal(["机密★5年", "第页", "共页"], XlsxExtractor.HeaderFooterSections("&L&\"宋体,加粗\"&12机密★5年&C第&P页&R&K00FF00共&N页"));
        Assert.Equal(["A&B"], XlsxExtractor.HeaderFooterSections("&CA&&B"));
        Assert.Empty(XlsxExtractor.HeaderFooterSections("&C&P"));
    }

    [Theory]
    [InlineData("A1", 1, 1)]
    [InlineData("C7", 7, 3)]
    [InlineData("XFD1048576", 1048576, 16384)]
    public void Cell_references_parse_and_print_back(string reference, int row, int column)
    {
        Assert.Equal((row, column), XlsxExtractor.ParseReference(reference));
        Assert.Equal(reference, XlsxExtractor.ColumnName(column) + row);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7C")]
    [InlineData("C0")]
    [InlineData("ZZZZZZ1")]
    [InlineData("R1C1")]
    public void Malformed_cell_references_are_not_cells(string reference) =>
        Assert.Equal(((int?)null, (int?)null), XlsxExtractor.ParseReference(reference));

    [Fact]
    public void Cells_without_references_past_the_last_column_are_still_read()
    {
        var cells = string.Concat(Enumerable.Repeat("<c t=\"inlineStr\"><is><t>x</t></is></c>", 20_000));
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.XlsxPublicPriceList));
        var hostile = RewriteEntry(bytes, "xl/worksheets/sheet1.xml",
            $"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row>{cells}<c t=\"inlineStr\"><is><t>最后一格</t></is></c></row></sheetData></worksheet>");

        var doc = Read(new MemoryStream(hostile));

        var last = Single(doc, "最后一格").Location;
        Assert.Equal((1, 20_001), (last.Row, last.Column));
        Assert.Equal("ACOG1", last.Cell);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void A_damaged_sheet_is_a_corrupt_note_and_the_other_sheets_are_still_read()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.XlsxSheet2Marking));
        var damaged = RewriteEntry(bytes, "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c");

        var doc = Read(new MemoryStream(damaged));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Location?.PartName == "/xl/worksheets/sheet1.xml");
        Assert.Contains(doc.Segments, s => s.Text == "机密★5年");
    }

    [Fact]
    public void A_DTD_in_shared_strings_is_refused_with_a_note()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.XlsxSheet2Marking));
        var hostile = RewriteEntry(bytes, "xl/sharedStrings.xml",
            "<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&b;</t></si></sst>");

        var doc = Read(new MemoryStream(hostile));

        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Contains("DTD", note.Message, StringComparison.Ordinal);
        Assert.Contains(doc.Segments, s => s.Text == "Sheet2");
    }

    [Fact]
    public void A_truncated_workbook_gives_a_note_and_no_exception()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.XlsxSheet2Marking));

        var verdict = TestEngine.ScanBytes("cut.xlsx", bytes[..(bytes.Length / 2)]);

        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt);
        Assert.NotEqual(SecScan.Core.Findings.Decision.Allow, verdict.Decision);
    }

    [Fact]
    public void Character_limit_stops_with_a_note_and_keeps_what_was_read()
    {
        // The shared strings (134 characters) and sheet names fit; the cells of Sheet1 do not.
        var doc = Read(TestFiles.XlsxSheet2Marking, ScanLimits.Default with { MaxCharacters = 200 });

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Message.Contains("200 characters", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Text == "XX型号配套项目经费预算汇总表");
        Assert.Contains(doc.Segments, s => s.Text == "Sheet1");
        Assert.DoesNotContain(doc.Segments, s => s.Text == "机密★5年");
    }

    [Fact]
    public void Scanned_through_the_engine_the_workbook_blocks_at_Sheet2_C7()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.XlsxSheet2Marking));

        Assert.Equal(SecScan.Core.Findings.Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Cell == "C7" && f.Location.Sheet == "Sheet2");
    }

    private static MemoryStream Build(Action<SpreadsheetDocument> build)
    {
        var ms = new MemoryStream();
        using (var book = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = book.AddWorkbookPart();
            var sheet = wb.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData());
            wb.Workbook = new Workbook(new Sheets(new Sheet { Name = "Sheet1", SheetId = 1, Id = wb.GetIdOfPart(sheet) }));
            build(book);
        }
        ms.Position = 0;
        return ms;
    }

    private static Cell InlineCell(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new S.Text(text)) };

    internal static byte[] RewriteEntry(byte[] package, string entry, string content)
    {
        using var ms = new MemoryStream();
        ms.Write(package);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(entry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open(), new UTF8Encoding(false));
            writer.Write(content);
        }
        return ms.ToArray();
    }
}
