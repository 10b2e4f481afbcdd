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

    [Fact]
    public void A_file_attachment_annotation_is_read_as_a_child_located_on_its_page()
    {
        var docx = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking));
        var pdf = PdfWithAttachmentAnnotation(docx, "plan.docx");

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("letter.pdf", "letter.pdf", pdf), ScanLimits.Default, CancellationToken.None);

        Assert.Contains(doc.Segments, s => s.Text == "Covering letter" && s.Location.Page == 1);
        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Docx, child.MediaType);
        Assert.Contains(child.Segments, s => s.Text == "机密★10年" && s.Location.Container == "letter.pdf › plan.docx");
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("letter.pdf", pdf).Decision);
    }

    [Fact]
    public void An_attachment_annotation_without_an_embedded_file_is_a_note()
    {
        var pdf = PdfWithAttachmentAnnotation(null, "outside.docx");

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("letter.pdf", "letter.pdf", pdf), ScanLimits.Default, CancellationToken.None);

        Assert.Empty(doc.Children);
        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.Unsupported);
        Assert.Equal(1, note.Location?.Page);
    }

    /// <summary>A one-page PDF with a FileAttachment annotation (ISO 32000-1, 12.5.6.15) whose file spec embeds <paramref name="file"/>.</summary>
    private static byte[] PdfWithAttachmentAnnotation(byte[]? file, string name)
    {
        var ms = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => ms.Write(System.Text.Encoding.Latin1.GetBytes(text));
        void Object(string body, byte[]? stream = null)
        {
            offsets.Add(ms.Position);
            Write($"{offsets.Count} 0 obj\n{body}\n");
            if (stream is not null)
            {
                Write("stream\n");
                ms.Write(stream);
                Write("\nendstream\n");
            }
            Write("endobj\n");
        }
        const string content = "BT /F1 12 Tf 72 720 Td (Covering letter) Tj ET";
        Write("%PDF-1.7\n");
        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>");
        Object($"<< /Length {content.Length} >>", System.Text.Encoding.Latin1.GetBytes(content));
        Object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        Object("<< /Type /Annot /Subtype /FileAttachment /Rect [500 780 520 800] /FS 7 0 R /Name /PushPin >>");
        Object(file is null
            ? $"<< /Type /Filespec /F ({name}) >>"
            : $"<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F 8 0 R >> >>");
        if (file is not null) Object($"<< /Type /EmbeddedFile /Length {file.Length} >>", file);
        long xref = ms.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Write($"{o:D10} 00000 n \n");
        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return ms.ToArray();
    }
}
