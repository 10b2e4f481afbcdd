using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Text;

namespace SecScan.Tests.Extraction.Text;

public class RtfExtractorTests
{
    static RtfExtractorTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static ExtractedDocument Extract(string rtf, ScanLimits? limits = null) => Extract(Encoding.ASCII.GetBytes(rtf), limits);

    private static ExtractedDocument Extract(byte[] rtf, ScanLimits? limits = null) =>
        new RtfExtractor().Extract(new MemoryStream(rtf), new ExtractionContext("t.rtf", "t.rtf", limits ?? ScanLimits.Default, 0, CancellationToken.None));

    /// <summary>Chinese text as Word writes it in a cp936 file: every GBK byte as <c>\'hh</c>.</summary>
    private static string Gbk(string text)
    {
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value < 0x80) { sb.Append(rune.ToString()); continue; }
            foreach (var b in Encoding.GetEncoding(936).GetBytes(rune.ToString())) sb.Append($"\\'{b:x2}");
        }
        return sb.ToString();
    }

    /// <summary>A Word 2003-style RTF in GBK: \ansicpg936, a fcharset134 font, \'hh escapes, header, info and body.</summary>
    private static string WordStyleGbk() =>
        @"{\rtf1\ansi\ansicpg936\uc2\deff0\stshfdbch13\deflang1033\deflangfe2052" +
        @"{\fonttbl{\f0\froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}{\f13\fnil\fcharset134\fprq2{\*\panose 02010600030101010101}" + Gbk("宋体") + @"{\*\falt SimSun};}}" +
        @"{\colortbl;\red0\green0\blue0;}{\stylesheet{\ql \li0\ri0\widctlpar\f0\fs21 \snext0 Normal;}}" +
        @"{\info{\title " + Gbk("关于设备维护的通知") + @"}{\author " + Gbk("办公室") + @"}{\operator x}{\creatim\yr2026\mo3\dy2\hr9\min5}{\*\company " + Gbk("某单位") + @"}}" +
        @"\paperw11906\paperh16838\sectd{\header \pard\plain \qc \f13\fs28 " + Gbk("秘密★1年") + @"\par }" +
        @"\pard\plain \qc \f13\fs32 " + Gbk("关于设备维护的通知") + @"\par " +
        @"\pard\plain \f13\fs24 " + Gbk("各部门：本季度设备维护工作已经完成，现将有关情况通知如下。") + @"\par }";

    private static string Text(ExtractedDocument doc, SegmentPart part) =>
        string.Join("|", doc.Segments.Where(s => s.Location.Part == part).Select(s => s.Text));

    [Fact]
    public void Reads_a_word_style_gbk_file_with_its_header_and_properties()
    {
        var doc = Extract(WordStyleGbk());
        Assert.Equal("秘密★1年", Text(doc, SegmentPart.Header));
        Assert.Equal("关于设备维护的通知|各部门：本季度设备维护工作已经完成，现将有关情况通知如下。", Text(doc, SegmentPart.Body));
        Assert.Equal("title: 关于设备维护的通知|author: 办公室|company: 某单位", Text(doc, SegmentPart.Metadata));
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains("Times", StringComparison.Ordinal) || s.Text.Contains("Normal", StringComparison.Ordinal) || s.Text.Contains("宋体", StringComparison.Ordinal));
        Assert.Empty(doc.Coverage);
        var body = doc.Segments.Where(s => s.Location.Part == SegmentPart.Body).ToList();
        Assert.Equal([1, 2], body.Select(s => s.Location.Paragraph));
    }

    [Fact]
    public void Word_style_gbk_header_marking_blocks_through_the_engine()
    {
        var verdict = TestEngine.ScanBytes("notice.rtf", Encoding.ASCII.GetBytes(WordStyleGbk()));
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Part == SegmentPart.Header);
    }

    [Fact]
    public void A_chinese_font_decodes_its_bytes_as_gbk_in_a_western_file()
    {
        var doc = Extract(@"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}{\f1\fcharset134 SimSun;}}\pard caf\'e9 {\f1 " + Gbk("机密★10年") + @"}\par}");
        Assert.Equal("café 机密★10年", Text(doc, SegmentPart.Body));
    }

    [Fact]
    public void Unicode_escapes_skip_their_fallback_by_the_uc_count()
    {
        // \uc1 with '?' fallbacks, \uc2 with a GBK \'hh pair, \uc0 with none, and a negative code (U+FF0C).
        var doc = Extract(@"{\rtf1\ansi{\uc1\u26426?\u23494?}{\uc2\u9733\'a1\'ef}{\uc0\u49 \u24180}\u-244\'2c\par}");
        Assert.Equal("机密★1年，", Text(doc, SegmentPart.Body));
    }

    [Fact]
    public void Hidden_text_is_its_own_segment()
    {
        var doc = Extract(@"{\rtf1\ansi\ansicpg936 " + Gbk("正文") + @"{\v " + Gbk("机密★5年") + @"}\v0 " + Gbk("继续") + @"\par}");
        Assert.Equal("正文继续", Text(doc, SegmentPart.Body));
        var hidden = Assert.Single(doc.Segments, s => s.Location.Part == SegmentPart.HiddenText);
        Assert.Equal("机密★5年", hidden.Text);
        Assert.Equal(1, hidden.Location.Paragraph);
    }

    [Fact]
    public void Footnotes_endnotes_comments_and_text_boxes_are_their_own_parts()
    {
        var doc = Extract(@"{\rtf1\ansi body{\super\chftn}{\footnote\pard\plain note one\par}{\*\footnote\ftnalt end one}" +
            @"{\*\atnid A}{\*\atnauthor Ann}\chatn{\*\annotation\pard remark}" +
            @"{\shp{\*\shpinst{\sp{\sn fillColor}{\sv 255}}{\shptxt\pard boxed\par}}{\shprslt boxed duplicate}} tail\par}");
        Assert.Equal("note one", Text(doc, SegmentPart.Footnote));
        Assert.Equal("end one", Text(doc, SegmentPart.Endnote));
        Assert.Equal("remark", Text(doc, SegmentPart.Comment));
        Assert.Equal("boxed", Text(doc, SegmentPart.TextBox));
        Assert.DoesNotContain("duplicate", Text(doc, SegmentPart.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("Ann", Text(doc, SegmentPart.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("fillColor", Text(doc, SegmentPart.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_cells_carry_table_row_and_column()
    {
        var doc = Extract(@"{\rtf1\ansi\trowd\cellx1000\cellx2000\pard\intbl a\cell b\cell\row\trowd\cellx1000\cellx2000\pard\intbl c\cell d\cell\row\pard after\par}");
        var cells = doc.Segments.Where(s => s.Location.Table is not null).Select(s => $"{s.Text}@{s.Location.Table}R{s.Location.Row}C{s.Location.Column}");
        Assert.Equal(["a@1R1C1", "b@1R1C2", "c@1R2C1", "d@1R2C2"], cells);
        Assert.Contains(doc.Segments, s => s.Text == "after" && s.Location.Table is null);
    }

    [Fact]
    public void Pictures_and_objects_are_counted_not_read_and_binary_data_is_stepped_over()
    {
        var bin = Encoding.ASCII.GetBytes(@"{\rtf1\ansi before {\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}{\pict\bin4 ");
        byte[] payload = [(byte)'}', (byte)'{', (byte)'\\', 0xFF];
        var rest = Encoding.ASCII.GetBytes(@"}{\object\objemb{\*\objclass Word.Document.8}{\*\objdata 0105}{\result shown}} after\par}");
        var doc = Extract([.. bin, .. payload, .. rest]);
        Assert.Equal("before shown after", Text(doc, SegmentPart.Body));
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected && n.Message == "2 images not inspected");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Unsupported && n.Message == "1 embedded object not read");
    }

    [Fact]
    public void Fields_show_their_result_not_their_instruction()
    {
        var doc = Extract(@"{\rtf1\ansi {\field{\*\fldinst HYPERLINK ""http://example.invalid""}{\fldrslt link text}}\par}");
        Assert.Equal("link text", Text(doc, SegmentPart.Body));
    }

    [Fact]
    public void Custom_properties_are_metadata()
    {
        var doc = Extract(@"{\rtf1\ansi\ansicpg936{\*\userprops{\propname " + Gbk("密级") + @"}\proptype30{\staticval " + Gbk("机密") + @"}}body\par}");
        Assert.Equal("密级: 机密", Text(doc, SegmentPart.Metadata));
        Assert.Equal("密级", doc.Segments.Single(s => s.Location.Part == SegmentPart.Metadata).Location.PartName);
    }

    [Fact]
    public void A_truncated_file_keeps_its_text_and_says_so()
    {
        var doc = Extract(@"{\rtf1\ansi\ansicpg936{\header " + Gbk("秘密★1年") + @"\par}" + Gbk("正文第一段") + @"\par " + Gbk("第二段没有结"));
        Assert.Equal("正文第一段|第二段没有结", Text(doc, SegmentPart.Body));
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
    }

    [Fact]
    public void Text_beyond_the_character_bound_is_a_limit_note()
    {
        var doc = Extract(@"{\rtf1\ansi " + new string('a', 500) + @"\par " + new string('b', 500) + @"\par}", ScanLimits.Default with { MaxCharacters = 700 });
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded);
        Assert.StartsWith("aaa", doc.Segments[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"{\rtf1")]
    [InlineData(@"{\rtf1\ansi\'")]
    [InlineData(@"{\rtf1\ansi\'z1\u\uc99999999999\bin-5 x}")]
    [InlineData(@"{\rtf1\ansi\ansicpg99999 \'c3\'dc\f77 text}}}}}")]
    public void Malformed_input_does_not_throw(string rtf)
    {
        var doc = Extract(rtf);
        Assert.NotNull(doc);
    }

    [Fact]
    public void Deep_nesting_is_read_without_recursion()
    {
        var rtf = @"{\rtf1\ansi " + new string('{', 200_000) + "deep" + new string('}', 200_000) + @"\par}";
        Assert.Equal("deep", Text(Extract(rtf), SegmentPart.Body));
    }

    [Fact]
    public void Rtf_is_sniffed_by_its_signature()
    {
        Assert.Equal(MediaTypes.Rtf, Sniffer.Sniff(new MemoryStream(Encoding.ASCII.GetBytes(@"{\rtf1\ansi x}"))));
    }

    [Fact]
    public void LibreOffice_rtf_header_footnote_table_and_hidden_text()
    {
        var doc = Extract(File.ReadAllBytes(TestFiles.Sample(TestFiles.RtfSecretHeader)));
        Assert.Equal("秘密★1年", Text(doc, SegmentPart.Header));
        Assert.Equal("数据截至九月三十日。", Text(doc, SegmentPart.Footnote).Trim());
        Assert.Equal("（编辑备注：本段待核）", Text(doc, SegmentPart.HiddenText));
        Assert.Contains(doc.Segments, s => s.Text == "十八" && s.Location is { Table: 1, Row: 3, Column: 2 });
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Metadata && s.Text == "title: 2026年第三季度设备维护情况报告");
        Assert.StartsWith("2026年第三季度", doc.Segments.First(s => s.Location.Part == SegmentPart.Body).Text, StringComparison.Ordinal);
    }
}

/// <summary>
/// RTF's embedded objects (<c>\object\objemb … {\*\objdata hex}</c>), as Word writes them. LibreOffice 7.4 writes
/// only the object's picture into RTF, so these files are written here to [MS-OLEDS] 2.2.4 around real payloads: the
/// workbook LibreOffice embedded in <c>doc-embedded-xls.doc</c>, and an OLE package made with NPOI.
/// </summary>
public class RtfEmbeddedObjectTests
{
    private static ExtractedDocument Read(byte[] rtf, ScanLimits? limits = null) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("t.rtf", "t.rtf", rtf), limits ?? ScanLimits.Default, default);

    /// <summary>An OLE 1.0 EmbeddedObject: version, format, class, topic and item names, native data.</summary>
    private static byte[] Ole1(string className, byte[] native, uint format = 2, int? declaredSize = null)
    {
        var output = new MemoryStream();
        var w = new BinaryWriter(output);
        w.Write(0x00000501u);
        w.Write(format);
        foreach (var s in new[] { className, "", "" })
        {
            w.Write(s.Length + 1);
            w.Write(Encoding.ASCII.GetBytes(s));
            w.Write((byte)0);
        }
        w.Write(declaredSize ?? native.Length);
        w.Write(native);
        return output.ToArray();
    }

    private static byte[] Rtf(string className, byte[] objdata) => Encoding.ASCII.GetBytes(
        @"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\f0 " + Gbk("任务分解见下表。") + @"\par " +
        @"{\object\objemb{\*\objclass " + className + @"}\objw4000\objh1000{\*\objdata " + Hex(objdata) + @"}{\result {\f0 [table]}}}\par}");

    private static string Gbk(string text) =>
        string.Concat(Encoding.GetEncoding(936).GetBytes(text).Select(b => b < 0x80 ? ((char)b).ToString() : $"\\'{b:x2}"));

    /// <summary>Hex as Word writes it: 128 digits a line.</summary>
    private static string Hex(byte[] bytes) => string.Join("\r\n", Convert.ToHexStringLower(bytes).Chunk(128).Select(c => new string(c)));

    /// <summary>The workbook LibreOffice embedded in the DOC sample, as a compound file of its own.</summary>
    private static byte[] Workbook()
    {
        NPOI.POIFS.FileSystem.POIFSFileSystem doc;
        using (var input = File.OpenRead(TestFiles.Sample("doc-embedded-xls.doc"))) doc = new(input);
        var storage = ((NPOI.POIFS.FileSystem.DirectoryEntry)doc.Root.GetEntry("ObjectPool")).OfType<NPOI.POIFS.FileSystem.DirectoryEntry>().First();
        var copy = new NPOI.POIFS.FileSystem.POIFSFileSystem();
        NPOI.POIFS.FileSystem.EntryUtils.CopyNodes(storage, copy.Root);
        using var output = new MemoryStream();
        copy.WriteFileSystem(output);
        return output.ToArray();
    }

    [Fact]
    public void An_embedded_workbook_is_a_child_document()
    {
        var rtf = Rtf("Excel.Sheet.8", Ole1("Excel.Sheet.8", Workbook()));

        var doc = Read(rtf);

        Assert.Contains(doc.Segments, s => s.Text == "任务分解见下表。");
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Xls, child.MediaType);
        var marking = Assert.Single(child.Segments, s => s.Text == "机密★5年").Location;
        Assert.Equal(("t.rtf › object 1 (Excel.Sheet.8)", "任务", "A1"), (marking.Container, marking.Sheet, marking.Cell));
        Assert.DoesNotContain(doc.AllCoverage(), n => n.Kind is CoverageKind.Unsupported or CoverageKind.Corrupt);
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("t.rtf", rtf).Decision);
    }

    [Fact]
    public void A_packaged_file_is_a_child_document()
    {
        var package = SecScan.CorpusGen.OlePackageSamples.OlePackage("说明.txt", @"C:\temp\说明.txt", Encoding.UTF8.GetBytes("秘密★1年\r\n值班安排补充说明\r\n"));
        NPOI.POIFS.FileSystem.POIFSFileSystem fs;
        using (var input = new MemoryStream(package)) fs = new(input);
        var stream = (NPOI.POIFS.FileSystem.DocumentEntry)fs.Root.GetEntry("\u0001Ole10Native");
        var native = new byte[stream.Size];
        using (var s = new NPOI.POIFS.FileSystem.DocumentInputStream(stream)) s.ReadFully(native);

        var doc = Read(Rtf("Package", Ole1("Package", native[4..])));   // the stream is a 4-byte size, then the package

        var child = Assert.Single(doc.Children);
        Assert.Contains(child.AllSegments(), s => s.Text.Contains("值班安排补充说明", StringComparison.Ordinal));
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("t.rtf", Rtf("Package", Ole1("Package", native[4..]))).Decision);
    }

    [Fact]
    public void A_linked_object_is_not_read_and_says_so()
    {
        var doc = Read(Rtf("Excel.Sheet.8", Ole1("Excel.Sheet.8", [], format: 1)));

        Assert.Empty(doc.Children);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Unsupported && n.Message == "1 embedded object not read");
        Assert.DoesNotContain(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
    }

    [Fact]
    public void Native_data_shorter_than_declared_is_a_corrupt_note()
    {
        var rtf = Rtf("Excel.Sheet.8", Ole1("Excel.Sheet.8", Workbook(), declaredSize: 1 << 20));

        var doc = Read(rtf);

        Assert.Empty(doc.Children);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("embedded object 1", StringComparison.Ordinal));
        Assert.Equal(Decision.Review, TestEngine.ScanBytes("t.rtf", rtf).Decision);
    }

    [Fact]
    public void An_object_over_the_expansion_budget_is_a_note()
    {
        var doc = Read(Rtf("Excel.Sheet.8", Ole1("Excel.Sheet.8", Workbook())), ScanLimits.Default with { MaxExpandedBytes = 1_000 });

        Assert.Empty(doc.Children);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded);
    }
}

public class OoxmlObjectTests
{
    [Fact]
    public void An_office_2007_object_reads_the_package_it_wraps()
    {
        // How Word embeds an Excel 2007+ worksheet: a compound file whose "Package" stream is the XLSX.
        var fs = new NPOI.POIFS.FileSystem.POIFSFileSystem();
        fs.CreateDocument(new MemoryStream(File.ReadAllBytes(TestFiles.Sample("xlsx-sheet2-marking.xlsx"))), "Package");
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("o", "oleObject1.bin", output.ToArray()), ScanLimits.Default, default);

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Xlsx, child.MediaType);
        var cell = Assert.Single(child.Segments, s => s.Text == "机密★5年").Location;
        Assert.Equal(("Sheet2", "C7"), (cell.Sheet, cell.Cell));
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("oleObject1.bin", output.ToArray()).Decision);
    }
}
