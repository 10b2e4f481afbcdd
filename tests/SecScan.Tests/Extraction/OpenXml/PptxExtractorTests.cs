using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.OpenXml;
using P = DocumentFormat.OpenXml.Presentation;

namespace SecScan.Tests.Extraction.OpenXml;

public class PptxExtractorTests
{
    private const string Namespaces =
        """xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" """;

    private static ExtractedDocument Read(string sample)
    {
        using var stream = File.OpenRead(TestFiles.Sample(sample));
        return Read(stream, sample);
    }

    private static ExtractedDocument Read(Stream stream, string name = "test.pptx") =>
        new PptxExtractor().Extract(stream, new ExtractionContext(name, name, ScanLimits.Default, 0, CancellationToken.None));

    private static TextSegment Single(ExtractedDocument doc, string text) =>
        Assert.Single(doc.Segments, s => s.Text == text);

    [Fact]
    public void Speaker_notes_of_slide_4_carry_slide_number_and_paragraph()
    {
        var doc = Read(TestFiles.PptxNotesMarking);

        var mark = Single(doc, "秘密★1年").Location;
        Assert.Equal(new Location { Container = TestFiles.PptxNotesMarking, Part = SegmentPart.SpeakerNotes, Slide = 4, Paragraph = 1 }, mark);
        Assert.Equal($"{TestFiles.PptxNotesMarking} › slide 4 › speaker notes › paragraph 1", mark.ToString());
        Assert.Equal(MediaTypes.Pptx, doc.MediaType);
    }

    [Fact]
    public void Slide_text_comes_in_slide_order_title_first()
    {
        var doc = Read(TestFiles.PptxNotesMarking);

        var titles = doc.Segments.Where(s => s.Location is { Part: SegmentPart.Body, Paragraph: 1 }).ToList();
        Assert.Equal(["XX工程第三季度工作汇报", "一、总体进展", "二、质量与安全", "三、关键节点调整", "四、下一步工作"], titles.Select(s => s.Text));
        Assert.Equal([1, 2, 3, 4, 5], titles.Select(s => s.Location.Slide!.Value));
        var bullet = Single(doc, "累计完成投资9.6亿元").Location;
        Assert.Equal((SegmentPart.Body, 2, 4), (bullet.Part, bullet.Slide, bullet.Paragraph));
    }

    [Fact]
    public void Footer_placeholders_are_footers_and_master_prompts_are_skipped()
    {
        var doc = Read(TestFiles.PptxPitchConfidential);

        var footers = doc.Segments.Where(s => s.Text == "Confidential").ToList();
        Assert.Equal(5, footers.Count);
        Assert.All(footers, s => Assert.Equal(SegmentPart.Footer, s.Location.Part));
        Assert.Equal([1, 2, 3, 4, 5], footers.Select(s => s.Location.Slide!.Value));
        Assert.DoesNotContain(doc.Segments, s => s.Text.Contains("Click to edit", StringComparison.Ordinal) || s.Text == "<footer>");
    }

    [Fact]
    public void Free_text_on_a_master_is_a_header_and_a_hidden_slide_is_hidden_text()
    {
        var doc = Read(Modify(TestFiles.PptxPitchConfidential, deck =>
        {
            var master = deck.PresentationPart!.SlideMasterParts.First();
            master.SlideMaster.CommonSlideData!.ShapeTree!.Append(new P.Shape(
                $"""<p:sp {Namespaces}><p:nvSpPr><p:cNvPr id="99" name="TextBox 99"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>公司机密</a:t></a:r></a:p></p:txBody></p:sp>"""));
            var slide3 = SlideAt(deck, 3);
            slide3.Slide.Show = false;
        }));

        var master = Single(doc, "公司机密").Location;
        Assert.Equal((SegmentPart.Header, "/ppt/slideMasters/slideMaster1.xml", (int?)null), (master.Part, master.PartName, master.Slide));
        Assert.All(doc.Segments.Where(s => s.Location.Slide == 3 && s.Location.Part != SegmentPart.SpeakerNotes), s => Assert.Equal(SegmentPart.HiddenText, s.Location.Part));
        Assert.Equal(SegmentPart.HiddenText, Single(doc, "我们的方案").Location.Part);
        Assert.Equal(SegmentPart.Body, Single(doc, "痛点").Location.Part);
    }

    [Fact]
    public void Tables_grouped_shapes_and_comments_are_read_with_their_slide()
    {
        var doc = Read(Modify(TestFiles.PptxNotesMarking, deck =>
        {
            var slide = SlideAt(deck, 2);
            var tree = slide.Slide.CommonSlideData!.ShapeTree!;
            tree.Append(new P.GroupShape(
                $"""<p:grpSp {Namespaces}><p:nvGrpSpPr><p:cNvPr id="50" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="51" name="Inner"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>组合图形中的文字</a:t></a:r></a:p></p:txBody></p:sp></p:grpSp>"""));
            tree.Append(new P.GraphicFrame(
                $"""<p:graphicFrame {Namespaces}><p:nvGraphicFramePr><p:cNvPr id="60" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid><a:gridCol w="100"/><a:gridCol w="100"/></a:tblGrid><a:tr h="10"><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>密级</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>秘密★3年</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>"""));
            var comments = slide.AddNewPart<SlideCommentsPart>();
            comments.FeedData(new MemoryStream(Encoding.UTF8.GetBytes(
                """<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cm authorId="0" idx="1"><p:pos x="10" y="10"/><p:text>这页数据需要再核实</p:text></p:cm></p:cmLst>""")));
        }));

        Assert.Equal((SegmentPart.Body, 2), (Single(doc, "组合图形中的文字").Location.Part, Single(doc, "组合图形中的文字").Location.Slide));
        var value = Single(doc, "秘密★3年").Location;
        Assert.Equal((2, 1, 1, 2), (value.Slide, value.Table, value.Row, value.Column));
        var comment = Single(doc, "这页数据需要再核实").Location;
        Assert.Equal((SegmentPart.Comment, 2), (comment.Part, comment.Slide));
    }

    [Fact]
    public void A_slide_with_only_a_picture_is_image_only_and_other_pictures_are_counted()
    {
        var doc = Read(Modify(TestFiles.PptxNotesMarking, deck =>
        {
            var slide = SlideAt(deck, 5);
            var image = slide.AddImagePart(ImagePartType.Png);
            image.FeedData(new MemoryStream([0x89, 0x50, 0x4E, 0x47]));
            var tree = slide.Slide.CommonSlideData!.ShapeTree!;
            foreach (var shape in tree.Elements<P.Shape>().ToList()) shape.Remove();
            tree.Append(new P.Shape(
                $"""<p:sp {Namespaces}><p:nvSpPr><p:cNvPr id="72" name="Footer"/><p:cNvSpPr/><p:nvPr><p:ph type="ftr" idx="2"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>工程总体部</a:t></a:r></a:p></p:txBody></p:sp>"""));
            tree.Append(new P.Picture(
                $"""<p:pic {Namespaces}><p:nvPicPr><p:cNvPr id="70" name="Picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{slide.GetIdOfPart(image)}"/></p:blipFill><p:spPr/></p:pic>"""));
            var slide2 = SlideAt(deck, 2);
            slide2.Slide.CommonSlideData!.ShapeTree!.Append(new P.Picture(
                $"""<p:pic {Namespaces}><p:nvPicPr><p:cNvPr id="71" name="Picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rIdX"/></p:blipFill><p:spPr/></p:pic>"""));
        }));

        // Slide 5 is a picture and a footer: image-only all the same.
        var imageOnly = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.ImageOnly);
        Assert.Equal(5, imageOnly.Location?.Slide);
        Assert.Equal((SegmentPart.Footer, 5), (Single(doc, "工程总体部").Location.Part, Single(doc, "工程总体部").Location.Slide));
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.ImagesNotInspected && n.Message == "1 image not inspected");
    }

    [Fact]
    public void A_damaged_slide_is_a_corrupt_note_and_the_other_slides_are_still_read()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.PptxNotesMarking));
        var damaged = XlsxExtractorTests.RewriteEntry(bytes, "ppt/slides/slide2.xml", "<p:sld xmlns:p=\"x\"><p:cSld>");

        var doc = Read(new MemoryStream(damaged));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Location?.PartName == "/ppt/slides/slide2.xml");
        Assert.Contains(doc.Segments, s => s.Text == "秘密★1年");
    }

    [Fact]
    public void A_slide_id_without_its_relationship_is_a_note_and_the_other_slides_are_read()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.PptxNotesMarking));
        string presentation;
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        using (var reader = new StreamReader(zip.GetEntry("ppt/presentation.xml")!.Open()))
            presentation = reader.ReadToEnd();
        int at = presentation.IndexOf("<p:sldId ", StringComparison.Ordinal);
        var hostile = XlsxExtractorTests.RewriteEntry(bytes, "ppt/presentation.xml",
            presentation.Insert(at, "<p:sldId id=\"9999\" r:id=\"rIdMissing\"/>"));

        var doc = Read(new MemoryStream(hostile));

        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt && n.Message.StartsWith("slide 1 ", StringComparison.Ordinal));
        Assert.Equal(5, Single(doc, "秘密★1年").Location.Slide);   // the broken entry still takes its number
    }

    [Fact]
    public void Not_a_presentation_at_all_gives_a_note_through_the_engine()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.PptxNotesMarking));

        var verdict = TestEngine.ScanBytes("cut.pptx", bytes[..(bytes.Length / 3)]);

        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt);
        Assert.NotEqual(Decision.Allow, verdict.Decision);
    }

    [Fact]
    public void Pitch_deck_with_Confidential_footers_is_held_for_review()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.PptxPitchConfidential));

        Assert.Equal(Decision.Review, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Part == SegmentPart.Footer && f.Location.Slide == 1);
    }

    private static SlidePart SlideAt(PresentationDocument deck, int number)
    {
        var presentation = deck.PresentationPart!;
        var id = presentation.Presentation.SlideIdList!.Elements<P.SlideId>().ElementAt(number - 1).RelationshipId!.Value!;
        return (SlidePart)presentation.GetPartById(id);
    }

    /// <summary>A private copy of a sample, changed with the SDK and saved.</summary>
    private static MemoryStream Modify(string sample, Action<PresentationDocument> change)
    {
        var ms = new MemoryStream();
        ms.Write(File.ReadAllBytes(TestFiles.Sample(sample)));
        ms.Position = 0;
        using (var deck = PresentationDocument.Open(ms, true))
        {
            change(deck);
            deck.Save();
        }
        ms.Position = 0;
        return ms;
    }
}
