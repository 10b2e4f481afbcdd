using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.OpenXml;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.Tests.Extraction.OpenXml;

public class DocxExtractorTests
{
    private static ExtractedDocument Read(string sample, ScanLimits? limits = null, CancellationToken token = default)
    {
        using var stream = File.OpenRead(TestFiles.Sample(sample));
        return Read(stream, sample, limits, token);
    }

    private static ExtractedDocument Read(Stream stream, string name = "test.docx", ScanLimits? limits = null, CancellationToken token = default) =>
        new DocxExtractor().Extract(stream, new ExtractionContext(name, name, limits ?? ScanLimits.Default, 0, token));

    private static TextSegment Single(ExtractedDocument doc, string text) =>
        Assert.Single(doc.Segments, s => s.Text.Contains(text, StringComparison.Ordinal));

    [Fact]
    public void Marking_on_the_first_line_is_body_paragraph_1_of_the_main_part()
    {
        var doc = Read(TestFiles.DocxFirstLineMarking);

        var first = doc.Segments[0];
        Assert.Equal("机密★10年", first.Text);
        Assert.Equal(new Location { Container = TestFiles.DocxFirstLineMarking, Part = SegmentPart.Body, Paragraph = 1 }, first.Location);
        Assert.Equal(MediaTypes.Docx, doc.MediaType);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void Text_split_across_runs_comes_out_whole()
    {
        var title = Read(TestFiles.DocxFirstLineMarking).Segments[1];
        Assert.Equal("关于XX项目建设的通知", title.Text);
        Assert.Equal(2, title.Location.Paragraph);

        // LibreOffice writes "机密★", "5", "年" as three runs.
        Assert.Contains(Read(TestFiles.DocxLibreOfficeCoverTable).Segments, s => s.Text == "机密★5年");
    }

    [Fact]
    public void Table_cells_carry_table_row_and_column_and_keep_the_paragraph_count()
    {
        var doc = Read(TestFiles.DocxFirstLineMarking);

        var a = Single(doc, "统筹协调项目推进").Location;
        var b = Single(doc, "组织开展项目前期论证").Location;
        Assert.Equal((SegmentPart.Body, 1, 2, 2, 12), (a.Part, a.Table, a.Row, a.Column, a.Paragraph));
        Assert.Equal((1, 2, 2, 13), (b.Table, b.Row, b.Column, b.Paragraph));

        // A nested table is table 2; the outer cell's paragraph after it is table 1 again.
        var nested = Single(doc, "2025年6月").Location;
        Assert.Equal((2, 2, 2), (nested.Table, nested.Row, nested.Column));
        var after = Single(doc, "按月通报进度").Location;
        Assert.Equal((1, 3, 2, 20), (after.Table, after.Row, after.Column, after.Paragraph));

        var outside = Single(doc, "XX市发展和改革委员会").Location;
        Assert.Null(outside.Table);
        Assert.Equal(21, outside.Paragraph);
    }

    [Fact]
    public void LibreOffice_cover_table_label_and_value_are_adjacent_cells_of_row_1()
    {
        var doc = Read(TestFiles.DocxLibreOfficeCoverTable);

        var label = Single(doc, "密级").Location;
        var value = Single(doc, "机密★5年").Location;
        Assert.Equal((1, 1, 1), (label.Table, label.Row, label.Column));
        Assert.Equal((1, 1, 2), (value.Table, value.Row, value.Column));
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Metadata && s.Text == "title: 城市地下管网普查技术报告");
    }

    [Fact]
    public void Tracked_deletion_is_its_own_segment_and_not_body_text()
    {
        var doc = Read(TestFiles.DocxTrackedDeletion);

        var deleted = Single(doc, "秘密★5年");
        Assert.Equal(SegmentPart.TrackedDeletion, deleted.Location.Part);
        Assert.Equal(1, deleted.Location.Paragraph);
        Assert.Equal("秘密★5年", deleted.Text);
        Assert.DoesNotContain(doc.Segments, s => s.Location.Part == SegmentPart.Body && s.Text.Contains("秘密", StringComparison.Ordinal));
    }

    [Fact]
    public void Inserted_text_is_part_of_what_the_document_shows()
    {
        var doc = Read(TestFiles.DocxTrackedDeletion);

        var mixed = Single(doc, "选派青年骨干");
        Assert.Equal("在人才队伍建设方面，新引进博士研究生6名，选派青年骨干赴高校访学交流，组建了三个青年创新团队。", mixed.Text);
        Assert.Equal(SegmentPart.Body, mixed.Location.Part);

        var inserted = Single(doc, "下一步");
        Assert.Equal(SegmentPart.TrackedInsertion, inserted.Location.Part);
        Assert.Equal(5, inserted.Location.Paragraph);
    }

    [Fact]
    public void Hidden_text_is_its_own_segment_and_not_body_text()
    {
        var doc = Read(TestFiles.DocxTrackedDeletion);

        var hidden = Single(doc, "编辑备注");
        Assert.Equal(SegmentPart.HiddenText, hidden.Location.Part);
        Assert.Equal(6, hidden.Location.Paragraph);
        var visible = doc.Segments.Single(s => s.Location is { Part: SegmentPart.Body, Paragraph: 6 });
        Assert.Equal("全年科研经费支出情况详见附表。", visible.Text);
    }

    [Fact]
    public void Comment_text_is_a_comment_segment_named_by_its_part()
    {
        var doc = Read(TestFiles.DocxCommentMarking);

        var comment = Single(doc, "机密★5年");
        Assert.Equal("机密★5年", comment.Text);
        Assert.Equal((SegmentPart.Comment, "/word/comments.xml", 1), (comment.Location.Part, comment.Location.PartName, comment.Location.Paragraph));
    }

    [Fact]
    public void Header_and_footer_are_read_and_field_codes_are_not_text()
    {
        var doc = Read(TestFiles.DocxHeaderInternal);

        var header = Single(doc, "内部资料");
        Assert.Equal((SegmentPart.Header, "/word/header1.xml", 1), (header.Location.Part, header.Location.PartName, header.Location.Paragraph));
        var footer = doc.Segments.Single(s => s.Location.Part == SegmentPart.Footer);
        Assert.Equal("第 1 页", footer.Text);
        Assert.Equal("/word/footer1.xml", footer.Location.PartName);
    }

    [Fact]
    public void Footnotes_and_endnotes_are_read_without_their_separators()
    {
        var doc = Read(TestFiles.DocxPublicArticle);

        var footnote = Assert.Single(doc.Segments, s => s.Location.Part == SegmentPart.Footnote);
        Assert.StartsWith("《中华人民共和国保守国家秘密法》", footnote.Text, StringComparison.Ordinal);
        Assert.Equal(("/word/footnotes.xml", 1), (footnote.Location.PartName, footnote.Location.Paragraph));
        var endnote = Assert.Single(doc.Segments, s => s.Location.Part == SegmentPart.Endnote);
        Assert.Equal("本文为普法宣传材料，欢迎转载，转载请注明出处。", endnote.Text);
        Assert.Contains("应标注为“机密★10年”", Single(doc, "应标注为").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_are_metadata_segments_named_by_property()
    {
        var doc = Read(TestFiles.DocxCustomProperty);
        var metadata = doc.Segments.Where(s => s.Location.Part == SegmentPart.Metadata).ToList();

        var level = Assert.Single(metadata, s => s.Location.PartName == "密级");
        Assert.Equal("密级: 秘密", level.Text);
        Assert.Contains(metadata, s => s.Text == "title: 城市更新专项规划编制工作方案");
        Assert.Contains(metadata, s => s.Text == "creator: 办公室");
        Assert.Contains(metadata, s => s.Text == "Company: XX市规划设计研究院");
        Assert.DoesNotContain(metadata, s => s.Location.PartName == "Manager");   // empty values are skipped
    }

    [Fact]
    public void Text_box_in_alternate_content_appears_once_and_not_in_the_anchor_paragraph()
    {
        var doc = Read(TestFiles.DocxTextBoxCommercial);

        var box = Single(doc, "商密");
        Assert.Equal("XX公司普通商密▲3年", box.Text);
        Assert.Equal((SegmentPart.TextBox, 1), (box.Location.Part, box.Location.Paragraph));
        var anchor = doc.Segments.Single(s => s.Location is { Part: SegmentPart.Body, Paragraph: 1 });
        Assert.Equal("智能巡检机器人产品技术方案", anchor.Text);
    }

    [Fact]
    public void Zero_width_characters_and_run_splits_are_kept_exactly()
    {
        var first = Read(TestFiles.DocxZeroWidth).Segments[0];
        Assert.Equal("机\u200B密\u200D★\uFEFF10年", first.Text);
        Assert.Equal(1, first.Location.Paragraph);
    }

    [Fact]
    public void Tabs_breaks_and_non_breaking_hyphens_become_characters()
    {
        var doc = Read(Build(body => body.Append(new Paragraph(new Run(
            new W.Text("甲"), new TabChar(), new W.Text("乙"), new Break(), new W.Text("丙"), new NoBreakHyphen(), new W.Text("丁"))))));
        Assert.Equal("甲\t乙\n丙-丁", doc.Segments[0].Text);
    }

    [Fact]
    public void Images_embedded_objects_and_charts_are_counted_in_coverage()
    {
        var doc = Read(Build((body, main) =>
        {
            var image = main.AddImagePart(ImagePartType.Png);
            image.FeedData(new MemoryStream([0x89, 0x50, 0x4E, 0x47]));
            var embedded = main.AddEmbeddedPackagePart(EmbeddedPackagePartType.Xlsx);
            embedded.FeedData(new MemoryStream([0x50, 0x4B, 0x03, 0x04]));
            main.AddNewPart<ChartPart>().FeedData(new MemoryStream(Encoding.UTF8.GetBytes(
                "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"/>")));
            body.Append(new Paragraph($"""
                <w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
                     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
                     xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
                     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
                     xmlns:v="urn:schemas-microsoft-com:vml">
                  <w:r><mc:AlternateContent>
                    <mc:Choice Requires="wps"><w:drawing><a:blip r:embed="{main.GetIdOfPart(image)}"/></w:drawing></mc:Choice>
                    <mc:Fallback><w:pict><v:imagedata r:id="{main.GetIdOfPart(image)}"/></w:pict></mc:Fallback>
                  </mc:AlternateContent></w:r>
                  <w:r><w:t>图1 项目区位示意</w:t></w:r>
                </w:p>
                """));
        }));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected && n.Message == "1 image not inspected");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Unsupported && n.Message == "1 embedded object not read");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Unsupported && n.Message == "1 chart, SmartArt or imported-content part not read");
        Assert.Equal("图1 项目区位示意", doc.Segments[0].Text);
    }

    [Fact]
    public void Character_limit_stops_reading_with_a_note_and_keeps_what_was_read()
    {
        var doc = Read(TestFiles.DocxFirstLineMarking, ScanLimits.Default with { MaxCharacters = 100 });

        Assert.Equal("机密★10年", doc.Segments[0].Text);
        Assert.True(doc.Segments.Sum(s => s.Text.Length) < 100 + 4096);
        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded);
        Assert.Contains("100 characters", note.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Segments, s => s.Location.Part == SegmentPart.Metadata);   // nothing after the bound
    }

    [Fact]
    public void Part_byte_limit_stops_that_part_with_a_note_naming_it()
    {
        var doc = Read(TestFiles.DocxHeaderInternal, ScanLimits.Default with { MaxPartBytes = 600 });

        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Location?.PartName == "/word/document.xml");
        Assert.Contains("600 bytes", note.Message, StringComparison.Ordinal);
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Header);   // small parts are still read
    }

    [Fact]
    public void Cancellation_is_observed()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => Read(TestFiles.DocxFirstLineMarking, token: cts.Token));
    }

    [Fact]
    public void Truncated_docx_gives_a_corrupt_note_and_does_not_throw()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking));
        var cut = bytes.AsMemory(0, bytes.Length / 2);

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("cut", "cut.docx", cut), ScanLimits.Default, default);

        Assert.Equal(MediaTypes.Docx, doc.MediaType);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
    }

    [Fact]
    public void Billion_laughs_in_document_xml_is_not_expanded()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++)
            entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        var bomb = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE w:document [{entities}]>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
            """;
        var bytes = ReplaceEntry(File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxCommentMarking)), "word/document.xml", bomb);

        var watch = Stopwatch.StartNew();
        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("bomb", "bomb.docx", bytes), ScanLimits.Default, default);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Equal("/word/document.xml", note.Location?.PartName);
        Assert.Contains("DTDs are prohibited", note.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains("lol", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Comment);   // the other parts are still read
    }

    [Fact]
    public void Hyperlink_with_a_malformed_uri_does_not_lose_the_document()
    {
        const string rels = """
            <?xml version="1.0" encoding="utf-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
              <Relationship Id="rIdBad" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://exa mple.com/a" TargetMode="External"/>
            </Relationships>
            """;
        var bytes = ReplaceEntry(File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking)), "word/_rels/document.xml.rels", rels, mustExist: false);

        var doc = Read(new MemoryStream(bytes, writable: false));

        Assert.Equal("机密★10年", doc.Segments[0].Text);
        Assert.Empty(doc.Coverage);
    }

    [Theory]
    [InlineData(TestFiles.DocxLibreOfficeCoverTable)]
    [InlineData(TestFiles.DocxTextBoxCommercial)]
    public void Damaged_packages_give_notes_never_errors(string sample)
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(sample));
        var extractor = DocumentExtractor.CreateDefault();
        var random = new Random(20240315);
        for (int i = 0; i < 150; i++)
        {
            // Every 23rd cut, and random bit flips: both reach the package reader and the part parser.
            var cut = bytes.AsMemory(0, Math.Min(bytes.Length, i * 23));
            var flipped = (byte[])bytes.Clone();
            for (int j = 0; j < 3; j++) flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));

            foreach (var input in new[] { cut, flipped.AsMemory() })
            {
                var doc = extractor.Extract(ScanSource.FromBytes("damaged", "damaged.docx", input), ScanLimits.Default, default);
                Assert.DoesNotContain(doc.Coverage, n => n.Kind is CoverageKind.Error or CoverageKind.TimedOut);
            }
        }
    }

    /// <summary>
    /// Run shapes on and off the fused plain-run path (Utf8XmlScanner.TryReadPlainRun), each read twice: as written,
    /// and with a comment after every run start tag, which the full reader passes over and the fused path never
    /// matches. Segments and notes must be the same.
    /// </summary>
    [Theory]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t>plain 明文</w:t></w:r><w:r><w:rPr/><w:t xml:space=\"preserve\"> lead </w:t></w:r><w:r><w:t>bare</w:t></w:r>")]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t></w:t></w:r><w:r><w:rPr></w:rPr><w:t>&amp; &#x4E2D;\r\nx &gt;</w:t></w:r><w:r><w:t/></w:r>")]
    [InlineData("w", "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:rPr></w:rPr><w:t>after hidden</w:t></w:r>")]
    [InlineData("w", "<w:del><w:r><w:rPr></w:rPr><w:t>deleted</w:t></w:r></w:del><w:ins><w:r><w:t>inserted</w:t></w:r></w:ins>")]
    [InlineData("w", "<w:ins><w:r><w:rPr></w:rPr><w:t>only inserted</w:t></w:r></w:ins>")]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t>a</w:t><w:t>b</w:t></w:r><w:r><w:rPr></w:rPr><w:t>x<!--c-->y</w:t></w:r><w:r><w:rPr></w:rPr><w:t>z</w:t><w:tab/></w:r>")]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t xml:space=\"default\">attr</w:t></w:r><w:r><w:rPr></w:rPr><w:t>cdata <![CDATA[x]]></w:t></w:r><w:r><w:rPr></w:rPr><w:instrText>PAGE</w:instrText></w:r>")]
    [InlineData("x", "<x:r><x:rPr></x:rPr><x:t>other prefix</x:t></x:r><x:r><x:rPr/><x:t>y</x:t></x:r>")]
    [InlineData("", "<r><rPr></rPr><t>unprefixed</t></r><r><t xml:space=\"preserve\">u </t></r>")]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t>bad &bogus; reference</w:t></w:r>")]
    [InlineData("w", "<w:r><w:rPr></w:rPr><w:t>mismatched</w:t></w:x>")]
    public void Plain_runs_read_whole_give_what_the_token_path_gives(string prefix, string runs)
    {
        string p = prefix.Length == 0 ? "" : prefix + ":";
        string ns = prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix;
        string Document(string content) =>
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><{p}document {ns}=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><{p}body>"
            + $"<{p}p>{content}</{p}p><{p}p><{p}r><{p}rPr></{p}rPr><{p}t>next paragraph</{p}t></{p}r></{p}p></{p}body></{p}document>";
        string commented = runs.Replace($"<{p}r>", $"<{p}r><!---->", StringComparison.Ordinal);
        Assert.NotEqual(runs, commented);
        var sample = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking));

        var fused = Read(new MemoryStream(ReplaceEntry(sample, "word/document.xml", Document(runs)), writable: false));
        var tokens = Read(new MemoryStream(ReplaceEntry(sample, "word/document.xml", Document(commented)), writable: false));

        Assert.Equal(tokens.Segments, fused.Segments);
        // Error positions move with the inserted comments; the kind and the part stay.
        Assert.Equal(tokens.Coverage.Select(n => (n.Kind, n.Location)), fused.Coverage.Select(n => (n.Kind, n.Location)));
    }

    private static MemoryStream Build(Action<Body> build) => Build((body, _) => build(body));

    private static MemoryStream Build(Action<Body, MainDocumentPart> build)
    {
        var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            main.Document = new Document(body);
            build(body, main);
        }
        stream.Position = 0;
        return stream;
    }

    private static byte[] ReplaceEntry(byte[] package, string entryName, string content, bool mustExist = true)
    {
        using var stream = new MemoryStream();
        stream.Write(package);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(entryName);
            Assert.True(entry is not null || !mustExist);
            entry?.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open(), new UTF8Encoding(false));
            writer.Write(content);
        }
        return stream.ToArray();
    }
}
