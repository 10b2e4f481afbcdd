using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Mail;

namespace SecScan.Tests.Extraction.Mail;

public class MailExtractorTests
{
    private static ExtractedDocument Extract(string sample) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(TestFiles.Sample(sample)), ScanLimits.Default, default);

    [Fact]
    public void Gbk_subject_names_and_attachment_name_are_decoded()
    {
        var doc = Extract(TestFiles.EmlGbkAttachment);
        Assert.Equal(MediaTypes.Eml, doc.MediaType);
        var subject = Assert.Single(doc.Segments, s => s.Location.PartName == "Subject");
        Assert.Equal("转发：关于XX项目建设的通知", subject.Text);
        Assert.Equal(SegmentPart.Header, subject.Location.Part);
        Assert.Contains(doc.Segments, s => s.Location.PartName == "From" && s.Text.Contains("市发展改革委办公室", StringComparison.Ordinal));
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Body && s.Text.Contains("请按通知要求", StringComparison.Ordinal));
        var attachment = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Docx, attachment.MediaType);
        Assert.Equal("eml-gbk-attachment.eml › 附件.docx", attachment.Segments[0].Location.Container);
    }

    [Fact]
    public void Marking_in_the_attachment_blocks_with_the_attachment_path()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.EmlGbkAttachment), Channels.Mail);
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container.EndsWith("› 附件.docx", StringComparison.Ordinal));
    }

    [Fact]
    public void Html_alternative_is_read_as_visible_text()
    {
        var doc = Extract(TestFiles.EmlPublicNotice);
        var html = Assert.Single(doc.Segments, s => s.Location.PartName == "body part 2");
        Assert.DoesNotContain("<p>", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("margin", html.Text, StringComparison.Ordinal);
        Assert.Contains("春季读书节", html.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_text_drops_script_style_and_comments_and_decodes_entities()
    {
        var text = HtmlText.ToText("<html><head><style>.a{}</style><script>var s='机密';</script></head><body><!-- 秘密 --><p>机密&#9733;10年</p><div>A&amp;B&nbsp;C</div>1 < 2</body></html>");
        Assert.Equal("机密★10年\nA&B C\n1 < 2", text);
    }

    [Fact]
    public void Rfc2047_encoded_attachment_name_without_rfc2231_is_decoded()
    {
        var gbk = Encoding.GetEncoding("GB18030");
        var name = "=?GBK?B?" + Convert.ToBase64String(gbk.GetBytes("计划.txt")) + "?=";
        var eml = "From: a@example.cn\r\nTo: b@example.cn\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n见附件\r\n" +
            $"--b\r\nContent-Type: text/plain; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            Convert.ToBase64String(gbk.GetBytes("机密★10年\r\n计划全文\r\n")) + "\r\n--b--\r\n";
        var verdict = TestEngine.ScanBytes("m.eml", Encoding.ASCII.GetBytes(eml));
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "m.eml › 计划.txt");
    }

    [Fact]
    public void Attached_message_is_a_child_document()
    {
        var inner = "From: c@example.cn\r\nSubject: inner\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n秘密★1年\r\n内部通知\r\n";
        var eml = "From: a@example.cn\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n\r\nforwarded\r\n" +
            "--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"orig.eml\"\r\n\r\n" + inner + "\r\n--b--\r\n";
        var verdict = TestEngine.ScanBytes("fwd.eml", Encoding.UTF8.GetBytes(eml));
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "fwd.eml › orig.eml");
    }

    [Theory]
    [InlineData("Subject: 会议纪要\nTo: 全体同事\n\n今天的会议讨论了三项议题。\n", false)]
    [InlineData("注意：本周五停电。\nFrom: 物业\n", false)]
    [InlineData("From: a@example.cn\nTo: b@example.cn\nSubject: hi\n\nbody\n", true)]
    [InlineData("Received: from mx.example.cn\n\tby mail.example.cn\nMIME-Version: 1.0\nContent-Type: text/plain\n\nbody\n", true)]
    [InlineData("From: someone\nthis line is not a header\n\nbody\n", false)]
    public void Mail_is_sniffed_by_its_header_block_only(string text, bool mail)
    {
        Assert.Equal(mail, MailSniffer.LooksLikeMail(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData(new byte[] { 0xD6, 0xD0, 0xCE, 0xC4 }, "gb2312", "中文")]
    [InlineData(new byte[] { 0xD6, 0xD0, 0xCE, 0xC4 }, null, "中文")]
    [InlineData(new byte[] { 0xD6, 0xD0, 0xCE, 0xC4 }, "us-ascii", "中文")]
    [InlineData(new byte[] { 0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87 }, "utf-8", "中文")]
    public void Body_charset_is_trusted_only_when_the_bytes_agree(byte[] bytes, string? charset, string expected)
    {
        Assert.Equal(expected, MailExtractor.DecodeText(bytes, charset));
    }
}
