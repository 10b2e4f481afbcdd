using System.IO.Compression;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Ofd;

namespace SecScan.Tests.Extraction.Ofd;

public class OfdExtractorTests
{
    private static ExtractedDocument Scan(string path) => Extract(File.ReadAllBytes(path));

    private static ExtractedDocument Extract(byte[] bytes) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("t.ofd", "t.ofd", bytes), ScanLimits.Default, CancellationToken.None);

    /// <summary>A package from name → XML text.</summary>
    private static byte[] Package(params (string Name, string Xml)[] parts)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, xml) in parts)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(xml));
            }
        return ms.ToArray();
    }

    private const string OfdXml = "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody><ofd:DocInfo><ofd:Title>T</ofd:Title><ofd:Keywords><ofd:Keyword>甲</ofd:Keyword><ofd:Keyword>乙</ofd:Keyword></ofd:Keywords><ofd:CustomDatas><ofd:CustomData Name=\"密级\">秘密</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>";

    private static string Document(string pages, string extra = "") =>
        $"<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 200 300</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID=\"7\" BaseLoc=\"Tpls/Tpl_0/Content.xml\"/></ofd:CommonData><ofd:Pages>{pages}</ofd:Pages>{extra}</ofd:Document>";

    private static string Text(string boundary, string code, double size = 5) =>
        $"<ofd:TextObject ID=\"1\" Boundary=\"{boundary}\" Size=\"{size}\">{code}</ofd:TextObject>";

    private static string Page(string objects, string template = "") =>
        $"<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\">{template}<ofd:Content><ofd:Layer ID=\"2\">{objects}</ofd:Layer></ofd:Content></ofd:Page>";

    [Fact]
    public void Marked_sample_blocks_on_page_1_top()
    {
        var doc = Scan(TestFiles.Sample(TestFiles.OfdFirstLineMarking));
        Assert.Equal(MediaTypes.Ofd, doc.MediaType);
        var first = doc.Segments.First(s => s.Location.Part == SegmentPart.Body);
        Assert.Equal("机密★10年", first.Text);
        Assert.Equal(1, first.Location.Page);
        Assert.InRange(first.Location.TopFraction!.Value, 0.05, 0.2);
        Assert.Equal(Decision.Block, TestEngine.ScanFile(TestFiles.Sample(TestFiles.OfdFirstLineMarking)).Decision);
    }

    [Fact]
    public void Public_sample_reads_annotation_attachment_and_docinfo()
    {
        var doc = Scan(TestFiles.Sample(TestFiles.OfdPublicNotice));
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Comment && s.Text == "请核对报名截止日期" && s.Location.Page == 1);
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Metadata && s.Text == "Title: 关于举办2026年全民健身运动会的通知");
        var child = Assert.Single(doc.Children);
        Assert.Contains(child.Segments, s => s.Location.Container == "t.ofd › 报名表.txt" && s.Text.StartsWith("报名表", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_objects_are_ordered_into_lines_by_position()
    {
        // Written out of order, one character per object, as some converters do; a template adds a running head.
        var objects = Text("50 50 10 6", "<ofd:TextCode X=\"0\" Y=\"5\">年</ofd:TextCode>")
            + Text("30 50 10 6", "<ofd:TextCode X=\"0\" Y=\"5\">机</ofd:TextCode>")
            + Text("35 50 10 6", "<ofd:TextCode X=\"0\" Y=\"5\">密</ofd:TextCode><ofd:TextCode X=\"5\" Y=\"5\">★</ofd:TextCode><ofd:TextCode X=\"10\" Y=\"5.3\">10</ofd:TextCode>")
            + Text("30 100 100 6", "<ofd:TextCode X=\"0\" Y=\"5\">正文</ofd:TextCode>");
        var template = Page(Text("30 10 100 6", "<ofd:TextCode X=\"0\" Y=\"5\">页眉单位</ofd:TextCode>"));
        var bytes = Package(("OFD.xml", OfdXml), ("Doc_0/Document.xml", Document("<ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/>")),
            ("Doc_0/Pages/Page_0/Content.xml", Page(objects, "<ofd:Template TemplateID=\"7\"/>")), ("Doc_0/Tpls/Tpl_0/Content.xml", template));
        var doc = Extract(bytes);
        var body = doc.Segments.Where(s => s.Location.Part == SegmentPart.Body).ToList();
        Assert.Equal(["页眉单位", "机密★10年", "正文"], body.Select(s => s.Text));
        Assert.Equal(50.0 / 300, body[1].Location.TopFraction!.Value, 3);
        Assert.Contains(doc.Segments, s => s.Text == "Keywords: 甲，乙");
        Assert.Contains(doc.Segments, s => s.Text == "密级: 秘密" && s.Location.PartName == "密级");
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void A_missing_page_and_a_dtd_are_notes_and_other_pages_are_read()
    {
        var bytes = Package(("OFD.xml", OfdXml),
            ("Doc_0/Document.xml", Document("<ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/><ofd:Page ID=\"2\" BaseLoc=\"Pages/Page_1/Content.xml\"/><ofd:Page ID=\"3\" BaseLoc=\"Pages/Page_2/Content.xml\"/>")),
            ("Doc_0/Pages/Page_1/Content.xml", "<!DOCTYPE lol [<!ENTITY a \"aaaa\">]><ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\">&a;</ofd:Page>"),
            ("Doc_0/Pages/Page_2/Content.xml", Page(Text("10 10 100 6", "<ofd:TextCode X=\"0\" Y=\"5\">第三页</ofd:TextCode>"))));
        var doc = Extract(bytes);
        Assert.Contains(doc.Segments, s => s.Text == "第三页" && s.Location.Page == 3);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("DTD", StringComparison.Ordinal));
        Assert.NotEqual(Decision.Allow, TestEngine.ScanBytes("t.ofd", bytes).Decision);
    }

    [Fact]
    public void An_image_only_page_is_noted()
    {
        var bytes = Package(("OFD.xml", OfdXml), ("Doc_0/Document.xml", Document("<ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/>")),
            ("Doc_0/Pages/Page_0/Content.xml", Page("<ofd:ImageObject ID=\"5\" Boundary=\"0 0 200 300\" ResourceID=\"9\"/>")));
        var doc = Extract(bytes);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImageOnly && n.Location!.Page == 1);
    }

    [Fact]
    public void Ofd_is_sniffed_and_a_package_without_ofd_xml_body_is_corrupt()
    {
        var bytes = Package(("OFD.xml", "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>"));
        Assert.Equal(MediaTypes.Ofd, Sniffer.Sniff(new MemoryStream(bytes)));
        Assert.Contains(Extract(bytes).Coverage, n => n.Kind == CoverageKind.Corrupt);
    }

    [Theory]
    [InlineData("", "a.xml", "a.xml")]
    [InlineData("Doc_0", "Pages/Page_0/Content.xml", "Doc_0/Pages/Page_0/Content.xml")]
    [InlineData("Doc_0/Annots", "../Pages/x.xml", "Doc_0/Pages/x.xml")]
    [InlineData("Doc_0", "/Doc_1/Document.xml", "Doc_1/Document.xml")]
    [InlineData("Doc_0", "..\\..\\..\\etc\\x", "etc/x")]
    public void Locations_resolve_relative_to_their_file(string dir, string loc, string expected) =>
        Assert.Equal(expected, OfdExtractor.Resolve(dir, loc));
}
