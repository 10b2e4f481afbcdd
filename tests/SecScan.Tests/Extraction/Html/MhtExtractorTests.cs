using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;

namespace SecScan.Tests.Extraction.Html;

public class MhtExtractorTests
{
    private static ExtractedDocument Extract(byte[] bytes) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("p.mht", "p.mht", bytes), ScanLimits.Default, CancellationToken.None);

    [Fact]
    public void Saved_page_reads_its_gb2312_html_and_counts_its_image()
    {
        var doc = Extract(File.ReadAllBytes(TestFiles.Sample(TestFiles.MhtSavedPage)));
        Assert.Equal(MediaTypes.Mht, doc.MediaType);
        Assert.Contains(doc.Segments, s => s.Text == "秘密★1年" && s.Location.Paragraph == 1);
        Assert.Contains(doc.Segments, s => s.Text == "Subject: 内部通报" && s.Location.Part == SegmentPart.Metadata);
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected);
    }

    [Fact]
    public void A_second_html_part_is_a_child_document()
    {
        const string mht = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"; type=\"text/html\"\r\n\r\n"
            + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Location: file:///C:/doc.htm\r\n\r\n<html><body><p>正文</p></body></html>\r\n"
            + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Location: file:///C:/doc.files/header.htm\r\n\r\n<html><body><p>机密★10年</p></body></html>\r\n"
            + "--b--\r\n";
        var bytes = Encoding.UTF8.GetBytes(mht);
        Assert.Equal(MediaTypes.Mht, Sniffer.Sniff(new MemoryStream(bytes)));
        var doc = Extract(bytes);
        var child = Assert.Single(doc.Children);
        Assert.Contains(child.Segments, s => s.Text == "机密★10年" && s.Location.Container == "p.mht › header.htm");
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("p.mht", bytes).Decision);
    }

    [Fact]
    public void A_mail_with_a_related_body_is_not_sniffed_as_mht()
    {
        var bytes = Encoding.ASCII.GetBytes("Received: from x\r\nTo: a@example.invalid\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b--\r\n");
        Assert.NotEqual(MediaTypes.Mht, Sniffer.Sniff(new MemoryStream(bytes)));
    }
}
