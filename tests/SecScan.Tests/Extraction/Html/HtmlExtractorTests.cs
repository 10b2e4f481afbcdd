using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Html;

namespace SecScan.Tests.Extraction.Html;

public class HtmlExtractorTests
{
    static HtmlExtractorTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static ExtractedDocument Extract(byte[] html, ScanLimits? limits = null) =>
        new HtmlExtractor().Extract(new MemoryStream(html), new ExtractionContext("t.html", "t.html", limits ?? ScanLimits.Default, 0, CancellationToken.None));

    private static ExtractedDocument Extract(string html, ScanLimits? limits = null) => Extract(Encoding.UTF8.GetBytes(html), limits);

    private static string Text(ExtractedDocument doc, SegmentPart part) =>
        string.Join("|", doc.Segments.Where(s => s.Location.Part == part).Select(s => s.Text));

    [Fact]
    public void One_segment_per_block_with_collapsed_whitespace()
    {
        var doc = Extract("<!DOCTYPE html><html><body><h1>标题</h1><div>第一段\n   <b>加粗</b>文字</div><ul><li>一</li><li>二</li></ul>尾<br>行</body></html>");
        Assert.Equal("标题|第一段 加粗文字|一|二|尾\n行", Text(doc, SegmentPart.Body));
        Assert.Equal([1, 2, 3, 4, 5], doc.Segments.Select(s => s.Location.Paragraph));
    }

    [Fact]
    public void Script_style_and_template_are_not_text()
    {
        var doc = Extract("<html><head><style>p{color:red}</style><script>var a='机密★10年';</script></head><body><script>document.write('x')</script><template><p>模板</p></template><p>正文</p></body></html>");
        Assert.Equal("正文", Text(doc, SegmentPart.Body));
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains("机密", StringComparison.Ordinal) || s.Text.Contains("模板", StringComparison.Ordinal));
    }

    [Fact]
    public void Title_and_meta_are_metadata()
    {
        var doc = Extract("<html><head><title> 通知 </title><meta name=\"Keywords\" content=\"内部,通知\"><meta name=\"description\" content=\"说明\"><meta name=\"viewport\" content=\"width=device-width\"></head><body>x</body></html>");
        Assert.Equal("title: 通知|keywords: 内部,通知|description: 说明", Text(doc, SegmentPart.Metadata));
    }

    [Theory]
    [InlineData("<p style=\"display:none\">机密★10年</p>")]
    [InlineData("<p style=\"DISPLAY: none !important\">机密★10年</p>")]
    [InlineData("<p style=\"visibility:hidden\">机密★10年</p>")]
    [InlineData("<p hidden>机密★10年</p>")]
    [InlineData("<style>.m{display:none}</style><p class=\"a m\">机密★10年</p>")]
    [InlineData("<style>#m{visibility:collapse}</style><p id=\"m\">机密★10年</p>")]
    [InlineData("<style>aside{display:none}</style><aside><p>机密★10年</p></aside>")]
    [InlineData("<div style=\"display:none\"><div><span>机密★10年</span></div></div>")]
    public void Text_hidden_by_css_is_hidden_text(string body)
    {
        var doc = Extract($"<html><body><p>前</p>{body}<p>后</p></body></html>");
        Assert.Equal("机密★10年", Text(doc, SegmentPart.HiddenText));
        Assert.Equal("前|后", Text(doc, SegmentPart.Body));
    }

    [Fact]
    public void Inline_display_wins_over_a_sheet_rule()
    {
        var doc = Extract("<html><head><style>.m{display:none}</style></head><body><p class=\"m\" style=\"display:block\">可见</p></body></html>");
        Assert.Equal("可见", Text(doc, SegmentPart.Body));
        Assert.Empty(Text(doc, SegmentPart.HiddenText));
    }

    [Fact]
    public void Hidden_inline_text_stays_with_its_paragraph_number()
    {
        var doc = Extract("<p>正文<span style=\"display:none\">秘密★1年</span>继续</p>");
        Assert.Equal("正文继续", Text(doc, SegmentPart.Body));
        var hidden = Assert.Single(doc.Segments, s => s.Location.Part == SegmentPart.HiddenText);
        Assert.Equal(1, hidden.Location.Paragraph);
    }

    [Fact]
    public void Table_cells_carry_table_row_and_column()
    {
        var doc = Extract("<table><tr><th>密级</th><th>期限</th></tr><tr><td>机密</td><td>10年</td></tr></table><table><tr><td>x</td></tr></table>");
        var cells = doc.Segments.Select(s => $"{s.Text}@{s.Location.Table}R{s.Location.Row}C{s.Location.Column}");
        Assert.Equal(["密级@1R1C1", "期限@1R1C2", "机密@1R2C1", "10年@1R2C2", "x@2R1C1"], cells);
    }

    [Fact]
    public void Alt_and_title_attributes_are_read_with_their_name()
    {
        var doc = Extract("<p>图<img src=\"a.png\" alt=\"秘密★1年 扫描件\"><a href=\"#\" title=\"提示\">链接</a></p><img src=\"data:image/png;base64,iVBORw0KGgo=\">");
        Assert.Contains(doc.Segments, s => s.Text == "秘密★1年 扫描件" && s.Location.PartName == "img alt");
        Assert.Contains(doc.Segments, s => s.Text == "提示" && s.Location.PartName == "a title");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected);
    }

    [Theory]
    [InlineData("<meta charset=\"gbk\">")]
    [InlineData("<meta charset=gb2312>")]
    [InlineData("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\">")]
    [InlineData("")]
    public void Gbk_pages_decode_by_declaration_or_detection(string meta)
    {
        var html = $"<html><head>{meta}<title>通知</title></head><body><p>机密★10年</p><p>关于加强重点项目建设管理工作的通知，各区人民政府、市政府各委办局。</p></body></html>";
        var doc = Extract(Encoding.GetEncoding(936).GetBytes(html));
        Assert.Equal("机密★10年", doc.Segments.First(s => s.Location.Part == SegmentPart.Body).Text);
    }

    [Fact]
    public void A_utf8_declaration_that_the_bytes_contradict_is_ignored()
    {
        var html = "<html><head><meta charset=\"utf-8\"></head><body><p>秘密★1年</p><p>各部门：请于本周五前报送材料，逾期不候。</p></body></html>";
        var doc = Extract(Encoding.GetEncoding(936).GetBytes(html));
        Assert.Equal("秘密★1年", doc.Segments[0].Text);
    }

    [Fact]
    public void Utf16_pages_with_a_bom_are_sniffed_and_decoded()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<html><body><p>秘密★1年</p></body></html>")).ToArray();
        Assert.Equal(MediaTypes.Html, Sniffer.Sniff(new MemoryStream(bytes)));
        Assert.Equal("秘密★1年", Extract(bytes).Segments[0].Text);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><p>x", true)]
    [InlineData("\uFEFF  <html lang=zh>", true)]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- saved -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", true)]
    [InlineData("<HEAD><TITLE>x</TITLE>", true)]
    [InlineData("<body>", true)]
    [InlineData("<htmlx>", false)]
    [InlineData("我们用 <html> 标签写网页。", false)]
    [InlineData("<?xml version=\"1.0\"?><ofd:OFD/>", false)]
    public void Html_is_sniffed_by_its_opening(string head, bool html)
    {
        var type = Sniffer.Sniff(new MemoryStream(Encoding.UTF8.GetBytes(head)));
        Assert.Equal(html, type == MediaTypes.Html);
    }

    [Fact]
    public void Deeply_nested_markup_is_walked_without_recursion()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<span>", 20_000)) + "深" + "</body></html>";
        Assert.Equal("深", Text(Extract(html), SegmentPart.Body));
    }

    [Fact]
    public void Text_beyond_the_character_bound_is_a_limit_note()
    {
        var doc = Extract("<p>" + new string('a', 600) + "</p><p>" + new string('b', 600) + "</p>", ScanLimits.Default with { MaxCharacters = 1000 });
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.LimitExceeded);
        Assert.Equal(new string('a', 600), doc.Segments[0].Text);
    }

    [Fact]
    public void Hidden_marking_sample_is_found_in_hidden_text()
    {
        var doc = Extract(File.ReadAllBytes(TestFiles.Sample(TestFiles.HtmlHiddenMarking)));
        Assert.Equal("机密★10年|（起草人备注：发布前删除本行）", Text(doc, SegmentPart.HiddenText));
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.HtmlHiddenMarking));
        Assert.Contains(verdict.Findings, f => f.Location.Part == SegmentPart.HiddenText);
    }

    [Fact]
    public void Gbk_news_sample_reads_its_text_and_not_its_script()
    {
        var doc = Extract(File.ReadAllBytes(TestFiles.Sample(TestFiles.HtmlGbkNews)));
        Assert.Contains(doc.Segments, s => s.Text.StartsWith("我市举办春季花卉展", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Text == "12.0" && s.Location is { Table: 1, Row: 3, Column: 2 });
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains('★', StringComparison.Ordinal));
        Assert.Equal(Decision.Allow, TestEngine.ScanFile(TestFiles.Sample(TestFiles.HtmlGbkNews)).Decision);
    }
}
