using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Reads PresentationML (.pptx, .pptm, .ppsx, .potx): slide text in order (titles, placeholders, text boxes,
/// grouped shapes, tables) with the slide number and a paragraph number per slide; speaker notes; comments;
/// the text of slide masters and layouts that shows on slides; document properties; embedded objects as
/// child documents.
/// </summary>
/// <remarks>
/// Slides are numbered in presentation order (p:sldIdLst), as PowerPoint shows them. A hidden slide (show="0")
/// is read and its text flagged <see cref="SegmentPart.HiddenText"/>: hidden slides are published with the
/// file. Footer, date and slide-number placeholders on a slide are <see cref="SegmentPart.Footer"/>. Masters and
/// layouts act like page headers: their free shapes are <see cref="SegmentPart.Header"/>; their placeholders
/// hold only prompt text ("单击此处编辑母版标题样式", "Click to edit Master title style")
/// and are skipped. A slide with pictures and no text is <see cref="CoverageKind.ImageOnly"/>; pictures beside
/// text are counted in one <see cref="CoverageKind.ImagesNotInspected"/> note. Charts and SmartArt are
/// <see cref="CoverageKind.Unsupported"/>. Part XML is streamed with DTDs prohibited; a damaged part is a
/// Corrupt note and the other parts are still read. Stateless and thread-safe.
/// </remarks>
public sealed class PptxExtractor : IExtractor
{
    private const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Pptx];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context) =>
        OoxmlPackage.Read(stream, context, Extraction.MediaTypes.Pptx, "PPTX",
            package => PresentationDocument.Open(package),
            copy => PresentationDocument.Open(copy, true, new OpenSettings { AutoSave = false }),
            (c, tolerant) => new OoxmlRun(c, tolerant), ReadPresentation);

    private static void ReadPresentation(PresentationDocument document, OoxmlRun run)
    {
        PresentationPart? presentation = null;
        run.Guard("the presentation", () => presentation = document.PresentationPart ?? throw new InvalidDataException("no presentation part"));
        if (presentation is null) return;

        var slideIds = new List<string>();
        run.ReadPart(presentation, reader => ReadSlideIds(reader, slideIds), flush: null);

        // Masters and layouts in the order slides first use them; each is read once.
        var backgrounds = new List<OpenXmlPart>();
        var seen = new HashSet<Uri>();
        void Remember(OpenXmlPart? part)
        {
            if (part is not null && seen.Add(part.Uri)) backgrounds.Add(part);
        }

        for (int i = 0; i < slideIds.Count; i++)
        {
            int number = i + 1;
            if (run.Stopped) break;
            run.Guard($"slide {number}", () =>
            {
                if (presentation.GetPartById(slideIds[i]) is not SlidePart slide) return;
                ReadSlide(run, slide, number);
                var layout = slide.SlideLayoutPart;
                Remember(layout?.SlideMasterPart);
                Remember(layout);
            });
        }
        foreach (var part in backgrounds)
            run.Guard("a slide master or layout", () => ReadBackground(run, part));
    }

    /// <summary>The r:id of each p:sldId in p:sldIdLst, in order.</summary>
    private static void ReadSlideIds(XmlReader reader, List<string> ids)
    {
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sldId"
                && reader.GetAttribute("id", RelationshipsNs) is { Length: > 0 } id)
                ids.Add(id);
        }
    }

    private static void ReadSlide(OoxmlRun run, SlidePart slide, int number)
    {
        int paragraph = 0, content = 0;
        DrawingTextReader? drawing = null;
        drawing = new DrawingTextReader(run, p =>
        {
            // Footers, dates and slide numbers print on the slide like a page footer.
            bool footer = p.Placeholder is "ftr" or "dt" or "sldNum";
            if (!footer) content++;
            var part = drawing!.Hidden ? SegmentPart.HiddenText : footer ? SegmentPart.Footer : SegmentPart.Body;
            run.Emit(p.Text, run.Context.At(part) with
            {
                Slide = number, Paragraph = ++paragraph, Table = p.Table, Row = p.Row, Column = p.Column,
            });
        });
        run.ReadPart(slide, drawing.Read, drawing.Flush);
        run.OleObjects += drawing.OleObjects;
        // A scanned page pasted as a picture, with at most a footer and a slide number, is an image-only slide.
        if (drawing.Pictures > 0 && content == 0)
            run.Coverage.Add(new CoverageNote(CoverageKind.ImageOnly,
                $"slide {number} holds {(drawing.Pictures == 1 ? "a picture" : $"{drawing.Pictures} pictures")} and no text: not read (no OCR)",
                run.Context.At() with { Slide = number }));
        else
            run.Images += drawing.Pictures;

        if (slide.NotesSlidePart is { } notes)
        {
            int noteParagraph = 0;
            var reader = new DrawingTextReader(run, p =>
            {
                if (p.Placeholder is "sldNum" or "sldImg") return;
                run.Emit(p.Text, run.Context.At(SegmentPart.SpeakerNotes) with { Slide = number, Paragraph = ++noteParagraph });
            });
            run.ReadPart(notes, reader.Read, reader.Flush);
        }

        // Legacy comments (p:cmLst/p:cm/p:text) and modern threaded comments (p188:cmLst/p188:cm/p188:txBody).
        foreach (var comments in slide.Parts.Select(p => p.OpenXmlPart).Where(p => p is SlideCommentsPart or PowerPointCommentPart))
            run.ReadPart(comments, reader => ReadComments(run, reader, number), flush: null);
    }

    /// <summary>One segment per comment: the text of p:text (legacy) or of every a:t below the comment (modern).</summary>
    private static void ReadComments(OoxmlRun run, XmlReader reader, int slide)
    {
        var text = new System.Text.StringBuilder();
        int comment = 0;
        bool inComment = false, inText = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "cm" && !reader.IsEmptyElement:
                    inComment = true;
                    text.Clear();
                    break;
                case XmlNodeType.Element when inComment && reader.LocalName == "p" && text.Length > 0:
                    run.Charge(1);
                    text.Append('\n');
                    break;
                case XmlNodeType.Element when inComment && reader.LocalName is "text" or "t" && !reader.IsEmptyElement:
                    inText = true;
                    break;
                case XmlNodeType.EndElement when reader.LocalName is "text" or "t":
                    inText = false;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "cm" && inComment:
                    inComment = false;
                    if (text.Length > 0)
                        run.Emit(text.ToString(), run.Context.At(SegmentPart.Comment) with { Slide = slide, Paragraph = ++comment });
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace when inText:
                    run.AppendValue(reader, text);
                    break;
            }
        }
    }

    /// <summary>
    /// A master or layout: its free shapes, as headers named by part. Placeholders are skipped, footers included:
    /// on a master they hold prompts ("&lt;footer&gt;", "Click to edit the title text format"), and a slide shows
    /// its own placeholder's text, never the master's.
    /// </summary>
    private static void ReadBackground(OoxmlRun run, OpenXmlPart part)
    {
        string name = part.Uri.OriginalString;
        var reader = new DrawingTextReader(run, p =>
        {
            if (p.Placeholder is not null) return;
            run.Emit(p.Text, run.Context.At(SegmentPart.Header) with { PartName = name, Table = p.Table, Row = p.Row, Column = p.Column });
        });
        run.ReadPart(part, reader.Read, reader.Flush);
        // Logos on masters repeat on every slide; they are pictures like any other.
        run.Images += reader.Pictures;
    }
}
