using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.Tests.Extraction.OpenXml;

public class EmbeddedObjectTests
{
    private static ExtractedDocument Extract(string name, byte[] bytes, ScanLimits? limits = null) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes(name, name, bytes), limits ?? ScanLimits.Default, CancellationToken.None);

    [Fact]
    public void A_workbook_embedded_in_a_DOCX_is_a_child_document_named_by_its_member()
    {
        var doc = Extract(TestFiles.DocxEmbeddedXlsx, File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxEmbeddedXlsx)));

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Xlsx, child.MediaType);
        var mark = Assert.Single(child.Segments, s => s.Text == "机密★5年").Location;
        Assert.Equal($"{TestFiles.DocxEmbeddedXlsx} › word/embeddings/package.xlsx", mark.Container);
        Assert.Equal(("分工表", "C1"), (mark.Sheet, mark.Cell));
        Assert.DoesNotContain(doc.Coverage, n => n.Kind == CoverageKind.Unsupported);
    }

    [Fact]
    public void The_engine_blocks_the_DOCX_and_the_finding_names_the_embedded_member()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.DocxEmbeddedXlsx));

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container.EndsWith("word/embeddings/package.xlsx", StringComparison.Ordinal));
    }

    [Fact]
    public void A_PDF_embedded_in_a_PPTX_is_read_as_a_child()
    {
        var deck = new MemoryStream();
        deck.Write(File.ReadAllBytes(TestFiles.Sample(TestFiles.PptxPitchConfidential)));
        deck.Position = 0;
        using (var pptx = PresentationDocument.Open(deck, true))
        {
            var slide = pptx.PresentationPart!.SlideParts.First();
            var part = slide.AddEmbeddedObjectPart("application/pdf");
            part.FeedData(File.OpenRead(TestFiles.Sample(TestFiles.PdfSecretHeader)));
        }

        var doc = Extract("deck.pptx", deck.ToArray());

        var child = Assert.Single(doc.Children);
        Assert.Equal(MediaTypes.Pdf, child.MediaType);
        Assert.Contains(child.Segments, s => s.Text.Contains("秘密★1年", StringComparison.Ordinal) && s.Location.Container.StartsWith("deck.pptx › ppt/slides/embeddings/", StringComparison.Ordinal));
    }

    [Fact]
    public void An_OLE_package_is_handed_to_the_dispatcher_and_never_passes_silently()
    {
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];
        var bytes = Docx(main => main.AddEmbeddedObjectPart("application/vnd.openxmlformats-officedocument.oleObject").FeedData(new MemoryStream(ole)));

        var doc = Extract("report.docx", bytes);
        var verdict = TestEngine.ScanBytes("report.docx", bytes);

        var child = Assert.Single(doc.Children);
        Assert.NotEmpty(child.Coverage);
        Assert.NotEqual(Decision.Allow, verdict.Decision);
    }

    [Fact]
    public void Member_and_byte_budgets_refuse_embedded_objects_with_a_note()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxEmbeddedXlsx));

        var noMembers = Extract("a.docx", bytes, ScanLimits.Default with { MaxMembers = 0 });
        var noBytes = Extract("a.docx", bytes, ScanLimits.Default with { MaxExpandedBytes = 100 });

        Assert.Empty(noMembers.Children);
        Assert.Contains(noMembers.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Location?.PartName == "word/embeddings/package.xlsx");
        Assert.Empty(noBytes.Children);
        Assert.Contains(noBytes.Coverage, n => n.Kind == CoverageKind.LimitExceeded && n.Location?.PartName == "word/embeddings/package.xlsx");
        Assert.NotEqual(Decision.Allow, TestEngine.Shared.Evaluate(noMembers, "a.docx", Channels.Publish, bytes.Length, "-").Decision);
    }

    private static byte[] Docx(Action<MainDocumentPart> build)
    {
        var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new W.Document(new W.Body(new W.Paragraph(new W.Run(new W.Text("项目进展情况报告")))));
            build(main);
        }
        return ms.ToArray();
    }
}
