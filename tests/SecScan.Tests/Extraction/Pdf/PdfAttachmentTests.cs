using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Pdf;

namespace SecScan.Tests.Extraction.Pdf;

public class PdfAttachmentTests
{
    private const string AttachmentName = "附件1-项目任务分工.docx";

    private static ExtractedDocument Extract(ScanLimits? limits = null) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(TestFiles.Sample(TestFiles.PdfAttachedDocx)),
            limits ?? ScanLimits.Default, CancellationToken.None);

    [Fact]
    public void An_attached_DOCX_is_a_child_document_under_the_PDF()
    {
        var doc = Extract();

        Assert.Equal(MediaTypes.Pdf, doc.MediaType);
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Docx, child.MediaType);
        var mark = Assert.Single(child.Segments, s => s.Text == "机密★10年").Location;
        Assert.Equal($"{TestFiles.PdfAttachedDocx} › {AttachmentName}", mark.Container);
        Assert.Equal(1, mark.Paragraph);
        // The covering letter itself is unmarked and fully read.
        Assert.Contains(doc.Segments, s => s.Text.Contains("关于报送XX项目推进情况的函", StringComparison.Ordinal));
        Assert.Empty(doc.AllCoverage());
    }

    [Fact]
    public void The_engine_blocks_the_PDF_for_its_attachment()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.PdfAttachedDocx));

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.All(verdict.Findings.Where(f => f.Rule == "state-secret-marking"),
            f => Assert.Contains(AttachmentName, f.Location.Container, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_dispatcher_or_over_the_member_limit_the_attachment_is_a_note()
    {
        using var stream = File.OpenRead(TestFiles.Sample(TestFiles.PdfAttachedDocx));
        var alone = new PdfExtractor().Extract(stream, new ExtractionContext("a.pdf", "a.pdf", ScanLimits.Default, 0, CancellationToken.None));
        var limited = Extract(ScanLimits.Default with { MaxMembers = 0 });

        Assert.Empty(alone.Children);
        Assert.Contains(alone.Coverage, n => n.Kind == CoverageKind.Unsupported && n.Location?.PartName == AttachmentName);
        Assert.Empty(limited.Children);
        Assert.Contains(limited.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Location?.PartName == AttachmentName);
    }
}
