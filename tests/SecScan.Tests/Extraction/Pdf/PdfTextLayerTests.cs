using System.Globalization;
using System.Text;
using SecScan.Extraction.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace SecScan.Tests.Extraction.Pdf;

/// <summary>
/// The text layer (<see cref="PdfTextLayer"/>, <see cref="PdfTextFont"/>, <see cref="PdfToUnicodeCMap"/>) against
/// PdfPig's own letters on every real PDF we have, and its decoding on real fonts from LibreOffice, pango/cairo
/// and hand-built Standard 14 fonts.
/// </summary>
public class PdfTextLayerTests
{
    /// <summary>Every PDF of corpora/samples and corpora/labelled (the encrypted one opens only with its password).</summary>
    public static TheoryData<string> RealPdfs()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { TestFiles.SamplesRoot, TestFiles.LabelledRoot })
            foreach (var f in Directory.GetFiles(root, "*.pdf").Order(StringComparer.Ordinal))
                if (!f.EndsWith(TestFiles.PdfEncrypted, StringComparison.Ordinal))
                    data.Add(Path.GetRelativePath(Path.GetDirectoryName(TestFiles.SamplesRoot)!, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(RealPdfs))]
    public void Text_layer_gives_the_same_lines_as_PdfPig_letters(string file)
    {
        var path = Path.Combine(Path.GetDirectoryName(TestFiles.SamplesRoot)!, file);
        var bytes = File.ReadAllBytes(path);
        using var document = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = false });
        document.AddPageFactory(new PdfTextLayer(document.Structure.TokenScanner, document.Structure.FilterProvider)
        {
            RawObjects = (bytes, document.Structure.CrossReferenceTable.ObjectOffsets), // as PdfExtractor reads
        });

        int read = 0;
        for (int number = 1; number <= document.NumberOfPages; number++)
        {
            var fast = document.GetPage<PdfTextPage>(number);
            if (fast.Unsupported is not null) continue;
            read++;
            var page = document.GetPage(number);
            var (top, height) = PdfExtractor.DisplayedTop(page);

            var expected = PdfLineBuilder.Build(page.Letters, top, height).Select(l => NoSpace(l.Text)).ToList();
            var actual = PdfLineBuilder.Build(fast.Glyphs, fast.Top, fast.Height).Select(l => NoSpace(l.Text)).ToList();

            Assert.Equal(expected, actual);
            Assert.Equal(page.NumberOfImages, fast.Images);
            Assert.Equal((top, height), (fast.Top, fast.Height));
        }
        // Every page of these files is LibreOffice, pango/cairo or qpdf output: all are for the text layer.
        Assert.Equal(document.NumberOfPages, read);
    }

    [Theory]
    [MemberData(nameof(RealPdfs))]
    public void Raw_font_objects_give_the_glyphs_PdfPig_objects_give(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(TestFiles.SamplesRoot)!, file));
        var options = new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = false };
        using var raw = PdfDocument.Open(bytes, options);
        using var pig = PdfDocument.Open(bytes, options);
        raw.AddPageFactory(new PdfTextLayer(raw.Structure.TokenScanner, raw.Structure.FilterProvider)
        {
            RawObjects = (bytes, raw.Structure.CrossReferenceTable.ObjectOffsets),
        });
        pig.AddPageFactory(new PdfTextLayer(pig.Structure.TokenScanner, pig.Structure.FilterProvider));

        for (int number = 1; number <= raw.NumberOfPages; number++)
        {
            var fromRaw = raw.GetPage<PdfTextPage>(number);
            var expected = pig.GetPage<PdfTextPage>(number);
            Assert.Equal(expected.Unsupported, fromRaw.Unsupported);
            Assert.Equal(expected.Glyphs, fromRaw.Glyphs); // exact: text, positions, size, direction
        }
    }

    [Fact]
    public void Pango_cid_fonts_are_read_without_PdfPig_object_scanner()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.PdfCidPango));
        using var document = PdfDocument.Open(bytes);
        var offsets = document.Structure.CrossReferenceTable.ObjectOffsets;
        var scanner = document.Structure.TokenScanner;
        int type0 = 0;
        foreach (var reference in offsets.Keys)
        {
            if (scanner.Get(reference)?.Data is not DictionaryToken dictionary
                || !dictionary.Data.TryGetValue("Subtype", out var subtype) || subtype is not NameToken { Data: "Type0" })
                continue;
            type0++;
            Assert.True(PdfTextFont.TryCreateType0Raw(bytes, offsets, reference, scanner, document.Structure.FilterProvider, new PdfOperands(), out var font));
            Assert.NotNull(font);
        }
        Assert.True(type0 > 0);
    }

    [Fact]
    public void Pango_cid_font_is_decoded_through_its_to_unicode_cmap()
    {
        var lines = FastLines(TestFiles.Sample(TestFiles.PdfCidPango), 1);

        Assert.Equal("机密★10年", lines[0].Text);
        Assert.Equal("关于2026年度设备检修计划的通知", lines[1].Text);
        Assert.InRange(lines[0].TopFraction, 0, 0.1);
        // Page 2 carries a different subset of the font, with its own codes.
        Assert.Contains("检修期间如遇 Fault code E-17 or E-23，请立即上报值班室。", FastLines(TestFiles.Sample(TestFiles.PdfCidPango), 2).Select(l => l.Text));
    }

    [Fact]
    public void LibreOffice_type1_subsets_are_decoded_through_their_to_unicode_cmaps()
    {
        var lines = FastLines(TestFiles.Sample(TestFiles.PdfSecretHeader), 1);

        Assert.Equal("秘密★1年", lines[0].Text);
        Assert.Equal("2026年第三季度设备维护情况报告", lines[1].Text);
    }

    [Fact]
    public void Standard_14_font_without_widths_uses_its_encoding_and_metrics()
    {
        var pdf = HandMadePdf("BT /F1 12 Tf 20 250 Td (Top) Tj 24 0 Td (Secret) Tj ET",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var page = FastPage(pdf, 1);

        Assert.Null(page.Unsupported);
        Assert.Equal("Top Secret", Assert.Single(PdfLineBuilder.Build(page.Glyphs, page.Top, page.Height)).Text);
        // "T" of Helvetica is 611/1000 em wide: the next glyph starts there.
        Assert.Equal(20 + 12 * 0.611, page.Glyphs[1].Start.X, 3);
    }

    [Fact]
    public void Differences_glyph_names_are_decoded_through_the_adobe_glyph_list()
    {
        // A simple font whose codes 65 and 66 are renamed to uni79D8 (秘) and uni5BC6 (密).
        var pdf = HandMadePdf("BT /F1 12 Tf 20 250 Td (AB) Tj ET",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 65 /LastChar 66 /Widths [1000 1000] "
            + "/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /uni79D8 /uni5BC6] >> >>");

        var page = FastPage(pdf, 1);

        Assert.Equal(["秘", "密"], page.Glyphs.Select(g => g.Value));
        Assert.Equal(32, page.Glyphs[1].Start.X, 3);
    }

    [Fact]
    public void Type3_font_pages_are_left_to_PdfPig()
    {
        var pdf = HandMadePdf("BT /F1 12 Tf 20 250 Td (A) Tj ET",
            "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> "
            + "/Encoding << /Type /Encoding /Differences [65 /A] >> /FirstChar 65 /LastChar 65 /Widths [1000] >>");

        Assert.NotNull(FastPage(pdf, 1).Unsupported);
    }

    [Fact]
    public void To_unicode_cmap_reads_bfchar_and_both_kinds_of_bfrange()
    {
        const string cmap = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <79D8> <0004> <D83DDE00> endbfchar
            2 beginbfrange <0010> <0012> <5BC6> <0020> <0021> [<673A> <00410042>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end
            """;
        var map = PdfToUnicodeCMap.Parse(Encoding.ASCII.GetBytes(cmap));

        Assert.True(map.TryGet(3, out var secret) && secret == "秘");
        Assert.True(map.TryGet(4, out var emoji) && emoji == "\U0001F600");
        Assert.True(map.TryGet(0x12, out var third) && third == "\u5BC8");
        Assert.True(map.TryGet(0x20, out var machine) && machine == "机");
        Assert.True(map.TryGet(0x21, out var ligature) && ligature == "AB");
        Assert.False(map.TryGet(0x13, out _));
    }

    [Fact]
    public void Rotated_page_is_left_to_PdfPig_and_still_read_by_the_extractor()
    {
        var rotated = PdfExtractorTests.Qpdf("--rotate=+90", TestFiles.Sample(TestFiles.PdfCidPango), "{out}");

        Assert.Equal("rotated page", FastPage(rotated, 1).Unsupported);
    }

    [Theory]
    [InlineData("[[[[", "content stream: arrays or dictionaries nested too deep")]
    [InlineData("(never closed", "content stream: unterminated string")]
    [InlineData("BI /W 1 /H 1 ID \u0001\u0002", "content stream: inline image without EI")]
    [InlineData("/F1 Tf", "content stream: an operator with operands of the wrong kind")]
    [InlineData("12 /F1 Tf", "content stream: an operator with operands of the wrong kind")]
    [InlineData("[(a) [1]] 3 TJ", "content stream: an operator with operands of the wrong kind")]
    public void Content_the_layer_cannot_read_is_left_to_PdfPig_with_its_reason(string tail, string reason)
    {
        var bomb = tail == "[[[[" ? new string('[', 100_000) : tail;
        var pdf = HandMadePdf("BT /F1 12 Tf 20 250 Td (Top) Tj " + bomb, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        Assert.Equal(reason, FastPage(pdf, 1).Unsupported);
    }

    [Fact]
    public void Deep_q_nesting_is_left_to_PdfPig()
    {
        var pdf = HandMadePdf(string.Concat(Enumerable.Repeat("q ", 5_000)), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        Assert.Equal("content stream: q nested too deep", FastPage(pdf, 1).Unsupported);
    }

    private static string NoSpace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static List<PdfLine> FastLines(string path, int number)
    {
        var page = FastPage(File.ReadAllBytes(path), number);
        Assert.Null(page.Unsupported);
        return PdfLineBuilder.Build(page.Glyphs, page.Top, page.Height);
    }

    private static PdfTextPage FastPage(byte[] pdf, int number)
    {
        using var document = PdfDocument.Open(pdf);
        document.AddPageFactory(new PdfTextLayer(document.Structure.TokenScanner, document.Structure.FilterProvider));
        return document.GetPage<PdfTextPage>(number);
    }

    /// <summary>One 300×300 page with the given content stream and font /F1.</summary>
    internal static byte[] HandMadePdf(string content, string font) => PdfExtractorTests.HandMadePdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        $"<< /Length {Encoding.ASCII.GetByteCount(content)} >>\nstream\n{content}\nendstream",
        font);
}
