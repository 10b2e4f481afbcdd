using System.Text;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.CorpusGen;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.Ole;
using static SecScan.Tests.Extraction.Ole.OleTestKit;

namespace SecScan.Tests.Extraction.Ole;

public class DocReaderTests
{
    [Fact]
    public void First_paragraph_marking_is_body_paragraph_1_and_Chinese_pieces_decode()
    {
        var doc = Read(TestFiles.DocFirstLineMarking);

        Assert.Equal(MediaTypes.Doc, doc.MediaType);
        Assert.Equal("机密★10年", doc.Segments[0].Text);
        Assert.Equal(new Location { Container = TestFiles.DocFirstLineMarking, Paragraph = 1 }, doc.Segments[0].Location);
        Assert.Equal(6, Single(doc, "特此通知").Location.Paragraph);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void Header_and_footer_stories_are_told_apart_and_the_page_field_keeps_its_result()
    {
        var doc = Read(TestFiles.DocHeaderMarking);

        var header = Single(doc, "秘密★5年").Location;
        Assert.Equal(SegmentPart.Header, header.Part);
        Assert.Equal("section 1, odd pages", header.PartName);
        var footer = Single(doc, "页");
        Assert.Equal(SegmentPart.Footer, footer.Location.Part);
        Assert.DoesNotContain("PAGE", footer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Segments, s => s.Location.Part == SegmentPart.Body && s.Text.Contains('★', StringComparison.Ordinal));
    }

    [Fact]
    public void Summary_information_is_metadata()
    {
        var meta = Assert.Single(Read(TestFiles.DocFirstLineMarking).Segments, s => s.Location.PartName == "title");
        Assert.Equal((SegmentPart.Metadata, "关于调整值班安排的通知"), (meta.Location.Part, meta.Text));
    }

    [Fact]
    public void Field_codes_are_dropped_results_kept_and_fields_nest()
    {
        var sink = new OleTextSink(new ExtractionContext("t.doc", "t.doc", ScanLimits.Default, 0, CancellationToken.None));
        const string text = "前\u0013 PAGE \u00142\u0015后\r\u0013 IF \u0013 DOCPROPERTY x \u0014内\u0015 \u0014结果\u0015\r行一\u000B行二\u0007";
        DocReader.EmitStory(text, 0, text.Length, SegmentPart.Body, null, sink);
        Assert.Equal(["前2后", "结果", "行一\n行二"], sink.Segments.Select(s => s.Text));
    }

    [Fact]
    public void Public_doc_is_allowed() =>
        Assert.Equal(Decision.Allow, TestEngine.ScanFile(TestFiles.Sample(TestFiles.DocPublicArticle)).Decision);
}

public class XlsReaderTests
{
    [Fact]
    public void Cells_carry_sheet_and_address()
    {
        var doc = Read(TestFiles.XlsSheet2C7Marking);

        Assert.Equal(MediaTypes.Xls, doc.MediaType);
        var c7 = Single(doc, "机密★10年").Location;
        Assert.Equal(("Sheet2", "C7", 7, 3, SegmentPart.Body), (c7.Sheet, c7.Cell, c7.Row, c7.Column, c7.Part));
        Assert.EndsWith("Sheet2!C7", c7.ToString(), StringComparison.Ordinal);
        Assert.Equal("120", Single(doc, "120").Text);
    }

    [Fact]
    public void Hidden_sheet_comment_and_header_are_read_with_their_parts()
    {
        var doc = Read(TestFiles.XlsSheet2C7Marking);

        Assert.Equal(SegmentPart.HiddenText, Single(doc, "经费测算草稿").Location.Part);
        var comment = Single(doc, "请核对设备编号").Location;
        Assert.Equal((SegmentPart.Comment, "Sheet1", "B3"), (comment.Part, comment.Sheet, comment.Cell));
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Header && s.Text == "设备台账（内部）");
    }
}

public class PptReaderTests
{
    [Fact]
    public void Slides_are_numbered_and_notes_belong_to_their_slide()
    {
        var doc = Read(TestFiles.PptSlide3NotesMarking);

        Assert.Equal(MediaTypes.Ppt, doc.MediaType);
        var notes = Single(doc, "秘密★1年").Location;
        Assert.Equal((SegmentPart.SpeakerNotes, 3), (notes.Part, notes.Slide));
        Assert.Equal(1, Single(doc, "二〇二六年第三季度").Location.Slide);
        Assert.Equal(2, Single(doc, "传感器全部校准").Location.Slide);
        Assert.Equal((SegmentPart.SpeakerNotes, 1), (Single(doc, "开场介绍").Location.Part, Single(doc, "开场介绍").Location.Slide));
        Assert.Equal(SegmentPart.Body, Single(doc, "下一步计划").Location.Part);
        Assert.DoesNotContain(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
    }
}

public class WpsRoutingTests
{
    [Theory]
    [InlineData(TestFiles.WpsFirstLineMarking, MediaTypes.Doc, "paragraph 1")]
    [InlineData(TestFiles.EtSheet2C7Marking, MediaTypes.Xls, "Sheet2!C7")]
    [InlineData(TestFiles.DpsSlide3NotesMarking, MediaTypes.Ppt, "slide 3")]
    public void Kingsoft_names_route_by_content(string sample, string mediaType, string location)
    {
        Assert.Equal(mediaType, Read(sample).MediaType);
        var verdict = TestEngine.ScanFile(TestFiles.Sample(sample));
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.ToString().Contains(location, StringComparison.Ordinal));
    }
}

public class OlePackageReaderTests
{
    [Fact]
    public void The_packaged_file_is_a_child_and_its_gbk_label_is_text()
    {
        var bytes = OlePackageSamples.OlePackage("（机密）方案.txt", @"C:\Users\张明\（机密）方案.txt", Encoding.UTF8.GetBytes("工作方案\n一、总体要求\n"));

        var doc = ReadAll(bytes, "oleObject1.bin");

        Assert.Contains(doc.Segments, s => s.Text == "（机密）方案.txt" && s.Location.Part == SegmentPart.FileName);
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.PlainText, child.MediaType);
        Assert.Contains(child.Segments, s => s.Text.Contains("总体要求", StringComparison.Ordinal));
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("oleObject1.bin", bytes).Decision);   // the label is a file name with a marking
    }

    [Fact]
    public void A_package_over_the_expansion_budget_is_a_note()
    {
        var bytes = OlePackageSamples.OlePackage("a.txt", @"C:\a.txt", new byte[100_000]);
        var doc = SecScan.Extraction.DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("p", "p.bin", bytes),
            ScanLimits.Default with { MaxExpandedBytes = 10_000 }, default);

        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.LimitExceeded);
        Assert.Empty(doc.Children);
    }
}

public class MsgReaderTests
{
    [Fact]
    public void Subject_sender_recipients_and_body_are_read()
    {
        var doc = Read(TestFiles.MsgSubjectMarking);

        Assert.Equal(MediaTypes.Msg, doc.MediaType);
        Assert.Equal((SegmentPart.Metadata, "subject"), (Single(doc, "机密★10年").Location.Part, Single(doc, "机密★10年").Location.PartName));
        Assert.Contains(doc.Segments, s => s.Location.PartName == "from" && s.Text == "张明");
        Assert.Contains(doc.Segments, s => s.Location.PartName == "to" && s.Text == "李华");
        Assert.Equal(2, Single(doc, "设备维护经费测算").Location.Paragraph);
    }

    [Fact]
    public void Attachments_are_child_documents_with_their_container_path()
    {
        var doc = ReadAll(File.ReadAllBytes(TestFiles.Sample(TestFiles.MsgSubjectMarking)), "m.msg");

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.PlainText, child.MediaType);
        var line = Assert.Single(child.Segments, s => s.Text.Contains("配电柜更换", StringComparison.Ordinal));
        Assert.Equal("m.msg › 经费测算说明.txt", line.Location.Container);
    }

    [Fact]
    public void A_marking_in_an_attached_docx_blocks_with_the_attachment_in_the_location()
    {
        var docx = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking));
        var msg = MsgSamples.Build(new MsgSamples.Message("经费", "见附件", Attachments: [new MsgSamples.Attachment("计划.docx", docx)]));

        var verdict = TestEngine.ScanBytes("m.msg", msg);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "m.msg › 计划.docx");
    }

    [Fact]
    public void Attached_messages_are_read_recursively()
    {
        var inner = new MsgSamples.Message("秘密★1年", "内层正文");
        var msg = MsgSamples.Build(new MsgSamples.Message("转发", "见附件", Attachments: [new MsgSamples.Attachment("原邮件", Message: inner)]));

        var doc = ReadAll(msg, "m.msg");

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Msg, child.MediaType);
        Assert.Contains(child.Segments, s => s.Text == "秘密★1年" && s.Location.Container == "m.msg › 原邮件");
    }

    [Fact]
    public void Eight_bit_strings_decode_in_the_message_code_page()
    {
        var msg = MsgSamples.Build(new MsgSamples.Message("机密★5年 经费请示", "正文第一行", Ansi: true, CodePage: 936));

        var doc = Read(new MemoryStream(msg), "gbk.msg");

        Assert.Contains(doc.Segments, s => s.Text == "机密★5年 经费请示");
        Assert.Contains(doc.Segments, s => s.Text == "正文第一行");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_body_stored_only_as_compressed_rtf_is_read(bool lzfu)
    {
        // Outlook keeps rich-text mail as PidTagRtfCompressed alone; the marking is in its first paragraph.
        const string rtf = @"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\f0 \u26426?\u23494?\u9733?10\u24180?\par \u35831?\u21608?\u20116?\u21069?\u21453?\u39304?\par}";
        var msg = MsgSamples.Build(new MsgSamples.Message("经费请示", null, CompressedRtf: MsgSamples.CompressRtf(Encoding.ASCII.GetBytes(rtf), lzfu)));

        var verdict = TestEngine.ScanBytes("rich.msg", msg);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains("message body.rtf", verdict.Findings[0].Location.ToString(), StringComparison.Ordinal);
        Assert.True(verdict.Coverage.Complete);
    }

    [Fact]
    public void A_compressed_rtf_body_with_a_lying_size_is_a_note_not_a_read()
    {
        var body = MsgSamples.CompressRtf(Encoding.ASCII.GetBytes(@"{\rtf1 \u26426?\u23494?\u9733?10\u24180?\par}"));
        BitConverter.TryWriteBytes(body.AsSpan(4), uint.MaxValue);   // RAWSIZE: 4 GiB
        var doc = Read(new MemoryStream(MsgSamples.Build(new MsgSamples.Message("经费请示", null, CompressedRtf: body))), "lying.msg");

        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.LimitExceeded);
    }

    [Fact]
    public void A_compressed_rtf_body_in_an_unknown_format_is_a_corrupt_note()
    {
        var body = new byte[64];
        new Random(1).NextBytes(body);
        BitConverter.TryWriteBytes(body.AsSpan(4), 100u);
        var doc = Read(new MemoryStream(MsgSamples.Build(new MsgSamples.Message("经费请示", null, CompressedRtf: body))), "garbage.msg");

        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.Corrupt);
    }

    [Fact]
    public void An_attachment_stored_as_an_ole_package_is_read()
    {
        var package = OlePackageSamples.OlePackage("说明.txt", @"C:\temp\说明.txt", Encoding.UTF8.GetBytes("秘密★1年\r\n值班安排补充说明\r\n"));
        var msg = MsgSamples.Build(new MsgSamples.Message("值班安排", "见附件", Attachments: [new MsgSamples.Attachment("说明.txt", OleObject: package)]));

        var verdict = TestEngine.ScanBytes("m.msg", msg);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Equal("m.msg › 说明.txt › 说明.txt", verdict.Findings[0].Location.Container);
    }

    [Fact]
    public void Subject_marking_blocks() =>
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("m.msg", MsgSamples.Build(new MsgSamples.Message("机密★10年", "见附件"))).Decision);

    [Fact]
    public void Doc_table_cells_carry_table_row_and_column()
    {
        // A LibreOffice DOC of a control-point table: Word 97 ends cells with 0x07 and rows with a lone 0x07.
        var labelled = Path.Combine(Path.GetDirectoryName(TestFiles.Manifest)!, "labelled", "control-points-010.doc");
        var doc = SecScan.Extraction.DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(labelled), ScanLimits.Default, default);
        var cells = doc.Segments.Where(s => s.Location.Table is not null).ToList();
        Assert.True(cells.Count >= 12, $"only {cells.Count} table cells");
        Assert.Contains(cells, c => c.Location is { Table: 1, Row: 1, Column: 1 });
        int rows = cells.Max(c => c.Location.Row ?? 0);
        Assert.True(rows >= 4, $"{rows} rows");
        // Every row has the same columns as the header row.
        int columns = cells.Count(c => c.Location.Row == 1);
        Assert.All(cells.GroupBy(c => c.Location.Row), g => Assert.Equal(columns, g.Count()));
        Assert.Equal(Core.Findings.Decision.Block, TestEngine.ScanFile(labelled).Decision);
    }

    [Fact]
    public void Doc_pictures_are_recorded_as_not_inspected()
    {
        var path = TestFiles.Sample("doc-public-with-picture.doc");
        var verdict = TestEngine.ScanFile(path);
        var note = Assert.Single(verdict.Coverage.Notes);
        Assert.Equal(CoverageKind.ImagesNotInspected, note.Kind);
        Assert.False(verdict.Coverage.Complete);
        Assert.Equal(Core.Findings.Decision.Allow, verdict.Decision);                                  // publish: the note is kept, the text is public
        Assert.Equal(Core.Findings.Decision.Review, TestEngine.ScanFile(path, "audit").Decision);      // audit: every gap is reviewed
    }
}

/// <summary>Objects embedded in a DOC (Word's ObjectPool) or an XLS (MBD… storages) are child documents.</summary>
public class OleEmbeddedObjectTests
{
    private const string DocWithWorkbook = "doc-embedded-xls.doc";

    [Fact]
    public void A_workbook_embedded_in_a_doc_is_a_child_with_its_pool_path()
    {
        var doc = ReadAll(File.ReadAllBytes(TestFiles.Sample(DocWithWorkbook)), DocWithWorkbook);

        Assert.Equal(MediaTypes.Doc, doc.MediaType);
        Assert.Contains(doc.Segments, s => s.Text.Contains("任务分解见下表", StringComparison.Ordinal));
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Xls, child.MediaType);
        var marking = Single(child, "机密★5年");
        Assert.StartsWith($"{DocWithWorkbook} › ObjectPool/_", marking.Location.Container, StringComparison.Ordinal);
        Assert.Equal("任务", marking.Location.Sheet);

        var verdict = TestEngine.ScanFile(TestFiles.Sample(DocWithWorkbook));
        Assert.Equal(Core.Findings.Decision.Block, verdict.Decision);
        Assert.Contains("ObjectPool/_", verdict.Findings[0].Location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_storage_in_an_xls_is_a_child()
    {
        // An Excel workbook keeps each embedded object in a root storage named MBD and eight hex digits: here a
        // public LibreOffice workbook gets the object storage LibreOffice wrote into the DOC sample.
        var xls = WorkbookWithObject(out string storageName);

        var doc = ReadAll(xls, "summary.xls");

        Assert.Equal(MediaTypes.Xls, doc.MediaType);
        var child = Assert.Single(doc.Children);
        Assert.Equal($"summary.xls › {storageName}", Single(child, "机密★5年").Location.Container);
        Assert.Equal(Core.Findings.Decision.Block, TestEngine.ScanBytes("summary.xls", xls).Decision);
    }

    [Theory]
    [InlineData(DocWithWorkbook, "任务分解见下表")]
    [InlineData(PptWithWorkbook, "项目进度汇报")]
    public void An_object_over_the_expansion_budget_is_a_note_and_the_document_is_still_read(string sample, string text)
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(sample));
        var doc = SecScan.Extraction.DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("d", sample, bytes),
            ScanLimits.Default with { MaxExpandedBytes = 1_000 }, default);

        Assert.Empty(doc.Children);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Message.Contains("embedded objects", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Text.Contains(text, StringComparison.Ordinal));
        Assert.Equal(Core.Findings.Decision.Review, TestEngine.Shared.Evaluate(doc, "d", "publish", bytes.Length, "").Decision);
    }

    [Fact]
    public void A_damaged_object_is_a_corrupt_child_and_the_document_is_still_read()
    {
        var bytes = WithObjectStream(DocWithWorkbook, "Workbook", _ => [0x09, 0x08, 0x10, 0x00, 0xFF, 0xFF]);

        var doc = ReadAll(bytes, DocWithWorkbook);

        Assert.Contains(doc.Segments, s => s.Text.Contains("任务分解见下表", StringComparison.Ordinal));
        var child = Assert.Single(doc.Children);
        Assert.Contains(child.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Equal(Core.Findings.Decision.Review, TestEngine.ScanBytes(DocWithWorkbook, bytes).Decision);
    }

    private const string PptWithWorkbook = "ppt-embedded-xls.ppt";

    [Fact]
    public void A_workbook_embedded_in_a_ppt_is_a_child()
    {
        var doc = ReadAll(File.ReadAllBytes(TestFiles.Sample(PptWithWorkbook)), PptWithWorkbook);

        Assert.Equal(MediaTypes.Ppt, doc.MediaType);
        Assert.Contains(doc.Segments, s => s.Text == "任务分解" && s.Location.Slide == 2);
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Xls, child.MediaType);
        Assert.Equal($"{PptWithWorkbook} › embedded object 1 (slide 2)", Single(child, "机密★5年").Location.Container);
        Assert.Equal(Core.Findings.Decision.Block, TestEngine.ScanFile(TestFiles.Sample(PptWithWorkbook)).Decision);
    }

    [Fact]
    public void A_compressed_object_shorter_than_it_declares_is_a_corrupt_note_and_the_slides_are_still_read()
    {
        var bytes = WithStream(PptWithWorkbook, "PowerPoint Document", stream =>
        {
            // The ExOleObjStg header (recVer 0, recInstance 1, type 0x1011), then its 4-byte decompressed size.
            int at = stream.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x10, 0x00, 0x11, 0x10]);
            Assert.True(at >= 0);
            var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(at + 8));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(stream.AsSpan(at + 8), size + 4096);
            return stream;
        });

        var doc = ReadAll(bytes, PptWithWorkbook);

        Assert.Empty(doc.Children);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("embedded object 1", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Text == "项目进度汇报");
        Assert.Equal(Core.Findings.Decision.Review, TestEngine.ScanBytes(PptWithWorkbook, bytes).Decision);
    }

    /// <summary>A public workbook written by NPOI with the DOC sample's object storage copied in as MBD0000A1B2.</summary>
    private static byte[] WorkbookWithObject(out string storageName)
    {
        var workbook = new NPOI.HSSF.UserModel.HSSFWorkbook();
        workbook.CreateSheet("汇总").CreateRow(0).CreateCell(0).SetCellValue("季度工作汇总");
        var fs = new POIFSFileSystem();
        using (var written = new MemoryStream())
        {
            workbook.Write(written);
            fs = new POIFSFileSystem(new MemoryStream(written.ToArray()));
        }
        storageName = "MBD0000A1B2";
        EntryUtils.CopyNodes(ObjectStorage(DocWithWorkbook), fs.Root.CreateDirectory(storageName));
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }

    /// <summary>The sample's first ObjectPool storage.</summary>
    private static DirectoryEntry ObjectStorage(string sample)
    {
        using var input = File.OpenRead(TestFiles.Sample(sample));
        var fs = new POIFSFileSystem(input);
        var pool = (DirectoryEntry)fs.Root.GetEntry("ObjectPool");
        return pool.OfType<DirectoryEntry>().First();
    }

    /// <summary>The sample with one stream of its first embedded object replaced by <paramref name="change"/> of it.</summary>
    private static byte[] WithObjectStream(string sample, string streamName, Func<byte[], byte[]> change)
    {
        POIFSFileSystem fs;
        using (var input = File.OpenRead(TestFiles.Sample(sample))) fs = new POIFSFileSystem(input);
        var storage = ((DirectoryEntry)fs.Root.GetEntry("ObjectPool")).OfType<DirectoryEntry>().First();
        var entry = (DocumentEntry)storage.GetEntry(streamName);
        var bytes = new byte[entry.Size];
        using (var s = new DocumentInputStream(entry)) s.ReadFully(bytes);
        ((DirectoryNode)storage).DeleteEntry((EntryNode)entry);
        storage.CreateDocument(streamName, new MemoryStream(change(bytes)));
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }
}
