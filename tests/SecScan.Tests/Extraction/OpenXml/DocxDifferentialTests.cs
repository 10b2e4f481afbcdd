using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.OpenXml;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.Tests.Extraction.OpenXml;

/// <summary>
/// The hand-written scanner against an independent reader: for every DOCX in corpora/samples and
/// corpora/labelled, each body paragraph's text as the OpenXml SDK's DOM gives it (Paragraph.InnerText) must be
/// the text the extractor returns for that paragraph number.
/// </summary>
/// <remarks>
/// InnerText concatenates every text-bearing descendant, and the extractor routes some of them elsewhere on
/// purpose (deleted text, hidden runs, field codes, text boxes, the second branch of mc:AlternateContent) or adds
/// characters InnerText leaves out (tabs, breaks). Paragraphs holding any of those are left out of the comparison,
/// so that what is compared is exact; a second test fails if, over the whole corpus, fewer than 90 % of the
/// non-empty paragraphs were compared.
/// Paragraph numbers count every w:p of the body outside text boxes, in document order, as the extractor does.
/// </remarks>
public class DocxDifferentialTests
{
    public static TheoryData<string> Files()
    {
        var corpora = Path.GetDirectoryName(TestFiles.SamplesRoot.TrimEnd(Path.DirectorySeparatorChar))!;
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "samples", "labelled" })
            foreach (var f in Directory.GetFiles(Path.Combine(corpora, folder), "*.docx").Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(corpora, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Body_paragraph_text_equals_the_SDK_DOM(string file)
    {
        var corpora = Path.GetDirectoryName(TestFiles.SamplesRoot.TrimEnd(Path.DirectorySeparatorChar))!;
        var path = Path.Combine(corpora, file);
        Dictionary<int, string> expected;
        try
        {
            (expected, _) = SdkBodyParagraphs(path);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or FileFormatException or InvalidDataException)
        {
            return;   // encrypted or damaged on purpose: nothing to compare with
        }

        using var stream = File.OpenRead(path);
        var doc = new DocxExtractor().Extract(stream, new ExtractionContext(file, file, ScanLimits.Default, 0, default));
        var actual = doc.Segments.Where(s => s.Location.Part is SegmentPart.Body or SegmentPart.TrackedInsertion && s.Location.PartName is null)
            .ToDictionary(s => s.Location.Paragraph!.Value, s => s.Text);

        foreach (var (number, text) in expected)
        {
            if (text.Length == 0) Assert.False(actual.ContainsKey(number), $"{file} paragraph {number}: the SDK has no text, the extractor has some");
            else Assert.True(actual.TryGetValue(number, out var got) && got == text, $"{file} paragraph {number} differs from the SDK DOM");
        }
    }

    [Fact]
    public void The_comparison_covers_at_least_90_percent_of_the_corpus_paragraphs()
    {
        var corpora = Path.GetDirectoryName(TestFiles.SamplesRoot.TrimEnd(Path.DirectorySeparatorChar))!;
        int compared = 0, nonEmpty = 0;
        foreach (var file in Files())
        {
            try
            {
                var (texts, count) = SdkBodyParagraphs(Path.Combine(corpora, file));
                compared += texts.Count(t => t.Value.Length > 0);
                nonEmpty += count;
            }
            catch (Exception ex) when (ex is OpenXmlPackageException or FileFormatException or InvalidDataException)
            {
            }
        }
        Assert.True(nonEmpty > 1000 && compared >= nonEmpty * 9 / 10, $"{compared} of {nonEmpty} non-empty body paragraphs compared");
    }

    /// <summary>Paragraph number → InnerText for the paragraphs a plain comparison is exact for; and the count of non-empty paragraphs.</summary>
    private static (Dictionary<int, string> Texts, int NonEmpty) SdkBodyParagraphs(string path)
    {
        using var document = WordprocessingDocument.Open(path, false);
        var body = document.MainDocumentPart?.Document?.Body ?? throw new InvalidDataException("no body");
        var texts = new Dictionary<int, string>();
        int number = 0, nonEmpty = 0;
        foreach (var p in body.Descendants<W.Paragraph>())
        {
            if (p.Ancestors<W.TextBoxContent>().Any()) continue;
            number++;
            if (p.InnerText.Length > 0) nonEmpty++;
            if (!IsPlain(p)) continue;
            texts[number] = p.InnerText;
        }
        return (texts, nonEmpty);
    }

    private static bool IsPlain(W.Paragraph p) => !p.Descendants().Any(e =>
        e is W.TextBoxContent or W.Paragraph or W.DeletedText or W.FieldCode or W.DeletedFieldCode or W.InsertedRun or W.DeletedRun
            or W.MoveFromRun or W.MoveToRun or W.TabChar or W.Break or W.CarriageReturn or W.NoBreakHyphen or W.RubyContent or W.Ruby
            or AlternateContent
        || (e is W.Vanish && e.Parent is W.RunProperties));
}
