using System.IO.Compression;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;

namespace SecScan.Tests.Extraction.Odf;

/// <summary>OpenDocument text, spreadsheets and presentations as LibreOffice writes them, zipped and flat.</summary>
public class OdfExtractorTests
{
    private static ExtractedDocument Read(string sample) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(TestFiles.Sample(sample)), ScanLimits.Default, default);

    private static ExtractedDocument ReadBytes(string name, byte[] bytes) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes(name, name, bytes), ScanLimits.Default, default);

    private static TextSegment Single(ExtractedDocument doc, string text) =>
        Assert.Single(doc.Segments, s => s.Text == text);

    [Fact]
    public void Every_story_of_a_text_document_is_its_own_part()
    {
        var doc = Read("odt-tracked-deletion.odt");

        Assert.Equal(MediaTypes.Odt, doc.MediaType);
        Assert.Equal(SegmentPart.TrackedDeletion, Single(doc, "机密★10年").Location.Part);
        Assert.Equal(SegmentPart.Comment, Single(doc, "请核对各部门名称。").Location.Part);
        Assert.Equal(SegmentPart.Footnote, Single(doc, "节假日另行通知。").Location.Part);
        Assert.Equal(SegmentPart.TextBox, Single(doc, "值班电话保持畅通。").Location.Part);
        var cell = Single(doc, "王强").Location;
        Assert.Equal((1, 2, 2), (cell.Table, cell.Row, cell.Column));
        // The paragraph that anchors the comment and the footnote keeps its own text whole around them.
        Assert.Equal(SegmentPart.Body, Single(doc, "各部门：根据工作需要，现将十二月值班安排调整如下。").Location.Part);
        Assert.Equal(1, Single(doc, "关于调整值班安排的通知").Location.Paragraph);
        Assert.Contains(doc.Segments, s => s.Text == "title: 关于调整值班安排的通知" && s.Location.Part == SegmentPart.Metadata);
        Assert.Contains(doc.Segments, s => s.Text == "承办部门: 办公室" && s.Location.PartName == "承办部门");
        Assert.Empty(doc.Coverage);
        Assert.Equal(Decision.Block, TestEngine.ScanFile(TestFiles.Sample("odt-tracked-deletion.odt")).Decision);
    }

    [Fact]
    public void Page_headers_are_read_from_the_master_pages()
    {
        var header = Single(Read("odt-header-marking.odt"), "秘密★5年").Location;
        Assert.Equal((SegmentPart.Header, "Standard"), (header.Part, header.PartName));
    }

    [Fact]
    public void Spreadsheet_cells_carry_sheet_and_address()
    {
        var doc = Read("ods-sheet2-c7-marking.ods");

        Assert.Equal(MediaTypes.Ods, doc.MediaType);
        var cell = Single(doc, "机密★5年").Location;
        Assert.Equal(("Sheet2", "C7"), (cell.Sheet, cell.Cell));
    }

    [Fact]
    public void Speaker_notes_belong_to_their_slide()
    {
        var doc = Read("odp-notes-marking.odp");

        Assert.Equal(MediaTypes.Odp, doc.MediaType);
        var notes = Single(doc, "秘密★1年").Location;
        Assert.Equal((SegmentPart.SpeakerNotes, 4), (notes.Part, notes.Slide));
        Assert.Equal([1, 2, 3, 4, 5], doc.Segments.Where(s => s.Location.Part == SegmentPart.Body).Select(s => s.Location.Slide!.Value).Distinct().Order());
    }

    [Fact]
    public void An_embedded_object_is_a_child_document()
    {
        var doc = Read("odt-embedded-workbook.odt");

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Ods, child.MediaType);
        var marking = Single(child, "机密★5年").Location;
        Assert.Equal(("odt-embedded-workbook.odt › Object 1", "任务", "A1"), (marking.Container, marking.Sheet, marking.Cell));
    }

    [Fact]
    public void A_flat_file_reads_like_the_package_LibreOffice_makes_of_it()
    {
        var flat = DocumentExtractor.CreateDefault().Extract(
            ScanSource.FromFile(Path.Combine(TestFiles.LabelledRoot, "..", "tools", "ole-src", "header-marking.fodt")), ScanLimits.Default, default);
        var zipped = Read("odt-header-marking.odt");

        static List<(string, SegmentPart, int?)> Text(ExtractedDocument d) =>
            // Body and header: LibreOffice recomputes the page-number field in the footer when it saves.
            d.Segments.Where(s => s.Location.Part is SegmentPart.Body or SegmentPart.Header)
                .Select(s => (s.Text, s.Location.Part, s.Location.Paragraph)).ToList();
        Assert.Equal(MediaTypes.Odt, flat.MediaType);
        Assert.NotEmpty(Text(flat));
        Assert.Equal(Text(flat), Text(zipped));
    }

    [Fact]
    public void Repeated_rows_and_columns_move_the_address_without_being_walked()
    {
        // A sheet as LibreOffice writes its empty tail: a million repeated rows and 16,384 repeated columns.
        const string Fods = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
             <office:body><office:spreadsheet><table:table table:name="表1">
              <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="27"/><table:table-cell><text:p>秘密★1年</text:p></table:table-cell></table:table-row>
              <table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
              <table:table-row><table:table-cell><text:p>末行</text:p></table:table-cell></table:table-row>
             </table:table></office:spreadsheet></office:body>
            </office:document>
            """;
        var doc = ReadBytes("t.fods", Encoding.UTF8.GetBytes(Fods));

        Assert.Equal(MediaTypes.Ods, doc.MediaType);
        Assert.Equal("AB3", Single(doc, "秘密★1年").Location.Cell);
        Assert.Equal("A1048577", Single(doc, "末行").Location.Cell);
    }

    [Fact]
    public void An_encrypted_package_is_a_note_not_a_pass()
    {
        // As a password-protected file is stored: content.xml is ciphertext, and its manifest entry says how.
        var bytes = Rewrite("odt-header-marking.odt", "META-INF/manifest.xml", xml => System.Text.RegularExpressions.Regex.Replace(xml,
            "(<manifest:file-entry[^>]*manifest:full-path=\"content.xml\"[^>]*)/>",
            "$1><manifest:encryption-data manifest:checksum-type=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k\" manifest:checksum=\"AAAA\"/></manifest:file-entry>"));
        bytes = Rewrite(bytes, "content.xml", xml => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)));

        var doc = ReadBytes("locked.odt", bytes);

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Encrypted);
        Assert.Equal(Decision.Review, TestEngine.ScanBytes("locked.odt", bytes).Decision);
    }

    [Fact]
    public void A_damaged_content_part_is_a_corrupt_note_and_the_header_is_still_read()
    {
        var bytes = Rewrite("odt-header-marking.odt", "content.xml", xml => xml[..(xml.Length / 2)]);

        var doc = ReadBytes("cut.odt", bytes);

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Location?.PartName == "content.xml");
        Assert.Equal(SegmentPart.Header, Single(doc, "秘密★5年").Location.Part);
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("cut.odt", bytes).Decision);
    }

    [Fact]
    public void An_odt_named_docx_is_read_by_its_bytes()
    {
        var verdict = TestEngine.ScanBytes("报告.docx", File.ReadAllBytes(TestFiles.Sample("odt-header-marking.odt")));
        Assert.Equal((MediaTypes.Odt, Decision.Block), (verdict.MediaType, verdict.Decision));
    }

    [Fact]
    public void A_file_added_to_the_package_is_read_like_an_archive_member()
    {
        using var stream = new MemoryStream();
        stream.Write(File.ReadAllBytes(TestFiles.Sample("odt-public-article.odt")));
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        using (var writer = new StreamWriter(zip.CreateEntry("附件/说明.txt").Open(), new UTF8Encoding(false)))
            writer.Write("秘密★1年\n补充说明\n");

        var doc = ReadBytes("article.odt", stream.ToArray());

        var child = Assert.Single(doc.Children);
        Assert.Equal("article.odt › 附件/说明.txt", child.Segments[0].Location.Container);
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("article.odt", stream.ToArray()).Decision);
    }

    [Fact]
    public void Nesting_past_the_walk_bound_is_a_note_and_the_rest_is_read()
    {
        // 300 nested spans: deeper than the walk goes (256), within what the parser accepts (1,000).
        var deep = string.Concat(Enumerable.Repeat("<text:span>", 300)) + "深处" + string.Concat(Enumerable.Repeat("</text:span>", 300));
        var doc = ReadBytes("deep.fodt", Encoding.UTF8.GetBytes(DeepFodt(deep)));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("nested deeper than 256", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Text == "机密★10年");
        Assert.Contains(doc.Segments, s => s.Text == "结尾");
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("deep.fodt", Encoding.UTF8.GetBytes(DeepFodt(deep))).Decision);
    }

    [Fact]
    public void Nesting_past_the_parser_bound_makes_the_part_corrupt()
    {
        // 100,000 nested spans: XDocument alone took 18 s over them; a recursive walk would overflow the stack.
        var deep = string.Concat(Enumerable.Repeat("<text:span>", 100_000)) + "深处" + string.Concat(Enumerable.Repeat("</text:span>", 100_000));
        var bytes = Encoding.UTF8.GetBytes(DeepFodt(deep));

        var doc = ReadBytes("deep.fodt", bytes);

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("deeper than 1,000", StringComparison.Ordinal));
        Assert.Equal(Decision.Review, TestEngine.ScanBytes("deep.fodt", bytes).Decision);
    }

    private static string DeepFodt(string deep) => """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:mimetype="application/vnd.oasis.opendocument.text">
         <office:body><office:text><text:p>机密★10年</text:p><text:p>DEEP</text:p><text:p>结尾</text:p></office:text></office:body>
        </office:document>
        """.Replace("DEEP", deep, StringComparison.Ordinal);

    [Fact]
    public void Text_hidden_by_a_style_or_a_section_is_hidden_text()
    {
        var doc = Read("odt-hidden-marking.odt");

        Assert.Equal(SegmentPart.HiddenText, Single(doc, "秘密★1年").Location.Part);
        Assert.Equal(SegmentPart.Body, Single(doc, "各部门：为做好冬季消防安全工作，现开展一次全面检查。").Location.Part);
        Assert.Equal(SegmentPart.HiddenText, Single(doc, "本段仅供内部核对。").Location.Part);
        Assert.Equal(Decision.Block, TestEngine.ScanFile(TestFiles.Sample("odt-hidden-marking.odt")).Decision);
    }

    [Fact]
    public void A_hidden_text_field_is_hidden_text()
    {
        // LibreOffice drops the field when it writes the ODT; the flat source keeps it.
        var doc = DocumentExtractor.CreateDefault().Extract(
            ScanSource.FromFile(Path.Combine(TestFiles.LabelledRoot, "..", "tools", "odf-src", "hidden-text.fodt")), ScanLimits.Default, default);

        Assert.Equal(SegmentPart.HiddenText, Single(doc, "核对人：王强").Location.Part);
        Assert.Equal(SegmentPart.Body, Single(doc, "检查时间另行通知。").Location.Part);
    }

    [Fact]
    public void Hidden_sheets_rows_and_columns_are_hidden_text()
    {
        var sheet = Single(Read("ods-hidden-sheet.ods"), "秘密★10年").Location;
        Assert.Equal((SegmentPart.HiddenText, "内部备注"), (sheet.Part, sheet.Sheet));

        const string Fods = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
             <office:body><office:spreadsheet><table:table table:name="表1">
              <table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>
              <table:table-row><table:table-cell><text:p>甲</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1"/><table:table-cell><text:p>隐列</text:p></table:table-cell></table:table-row>
              <table:table-row table:visibility="collapse"><table:table-cell><text:p>隐行</text:p></table:table-cell></table:table-row>
             </table:table></office:spreadsheet></office:body>
            </office:document>
            """;
        var doc = ReadBytes("t.fods", Encoding.UTF8.GetBytes(Fods));
        Assert.Equal(SegmentPart.Body, Single(doc, "甲").Location.Part);
        Assert.Equal((SegmentPart.HiddenText, "C1"), (Single(doc, "隐列").Location.Part, Single(doc, "隐列").Location.Cell));
        Assert.Equal((SegmentPart.HiddenText, "A2"), (Single(doc, "隐行").Location.Part, Single(doc, "隐行").Location.Cell));
    }

    /// <summary>The sample with one member's text replaced by <paramref name="change"/> of it.</summary>
    private static byte[] Rewrite(string sample, string member, Func<string, string> change) =>
        Rewrite(File.ReadAllBytes(TestFiles.Sample(sample)), member, change);

    private static byte[] Rewrite(byte[] package, string member, Func<string, string> change)
    {
        using var stream = new MemoryStream();
        stream.Write(package);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(member)!;
            string text;
            using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(member).Open(), new UTF8Encoding(false));
            writer.Write(change(text));
        }
        return stream.ToArray();
    }
}
