using System.Globalization;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.Pdf;

namespace SecScan.Tests.Extraction.Pdf;

/// <summary>PdfExtractor on the real LibreOffice/qpdf samples in corpora/samples, and on hand-built hostile files.</summary>
public class PdfExtractorTests
{
    private static readonly PdfExtractor Extractor = new();

    private static ExtractedDocument Extract(string sample, ScanLimits? limits = null, CancellationToken cancellationToken = default)
    {
        using var stream = File.OpenRead(TestFiles.Sample(sample));
        return Extractor.Extract(stream, new ExtractionContext(sample, sample, limits ?? ScanLimits.Default, 0, cancellationToken));
    }

    private static ExtractedDocument Extract(byte[] pdf, ScanLimits? limits = null)
    {
        using var stream = new MemoryStream(pdf, writable: false);
        return Extractor.Extract(stream, new ExtractionContext("test.pdf", "test.pdf", limits ?? ScanLimits.Default, 0, default));
    }

    private static List<TextSegment> Body(ExtractedDocument doc) => doc.Segments.Where(s => s.Location.Part == SegmentPart.Body).ToList();

    [Fact]
    public void Secret_header_is_the_first_line_of_each_of_the_three_pages()
    {
        var doc = Extract(TestFiles.PdfSecretHeader);
        var body = Body(doc);

        Assert.Equal([1, 2, 3], body.Select(s => s.Location.Page!.Value).Distinct());
        foreach (var page in new[] { 1, 2, 3 })
        {
            var first = body.First(s => s.Location.Page == page);
            Assert.Equal("秘密★1年", first.Text);
            Assert.Equal(1, first.Location.Paragraph);
            Assert.InRange(first.Location.TopFraction!.Value, 0, 0.15);
            Assert.Equal(TestFiles.PdfSecretHeader, first.Location.Container);
            Assert.Contains($"page {page}", first.Location.ToString(), StringComparison.Ordinal);
        }
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void Lines_come_in_reading_order_with_consecutive_paragraph_numbers()
    {
        var body = Body(Extract(TestFiles.PdfSecretHeader));

        foreach (var page in body.GroupBy(s => s.Location.Page))
        {
            var lines = page.ToList();
            Assert.Equal(Enumerable.Range(1, lines.Count), lines.Select(s => s.Location.Paragraph!.Value));
            // Top to bottom: each line starts lower on the page than the one before.
            Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.Location.TopFraction < p.Second.Location.TopFraction));
        }
        var page1 = body.Where(s => s.Location.Page == 1).Select(s => s.Text).ToList();
        Assert.Equal("2026年第三季度设备维护情况报告", page1[1]);
        Assert.Equal("本季度共完成设备例行检修四十二次，其中供电系统十二次，通信系统十八次，其余", page1[2]);
        Assert.Equal("为空调与消防设施。", page1[3]);
        Assert.Equal("二、备件与经费", body.First(s => s.Location.Page == 2 && s.Location.Paragraph == 2).Text);
    }

    [Fact]
    public void Chinese_text_comes_out_exactly_without_spaces_between_characters()
    {
        var body = Body(Extract(TestFiles.PdfPublicArticle));
        var text = string.Join("\n", body.Select(s => s.Text));

        Assert.Contains("国家秘密的密级分为绝密、机密、秘", text, StringComparison.Ordinal);
        Assert.Contains("应标注为“秘密★1年”。", text, StringComparison.Ordinal);
        // Only the one space the source has, between 译名为 and the English title, and those between English words.
        Assert.Contains("该法的英文译名为 Law of the People's Republic of China on Guarding State", text, StringComparison.Ordinal);
        foreach (var line in body)
            for (int i = 1; i + 1 < line.Text.Length; i++)
                if (line.Text[i] == ' ')
                    Assert.False(PdfLineBuilder.IsWide(line.Text[i - 1].ToString()) && PdfLineBuilder.IsWide(line.Text[i + 1].ToString()),
                        $"space between CJK characters in “{line.Text}”");
        Assert.Equal([1, 2], body.Select(s => s.Location.Page!.Value).Distinct());
    }

    [Fact]
    public void First_line_marking_is_paragraph_one_at_the_top_of_page_one()
    {
        var body = Body(Extract(TestFiles.PdfFirstLineMarking));

        Assert.Equal("机密★10年", body[0].Text);
        Assert.Equal(1, body[0].Location.Page);
        Assert.Equal(1, body[0].Location.Paragraph);
        Assert.InRange(body[0].Location.TopFraction!.Value, 0, 0.1);
        Assert.Equal("关于调整值班安排的通知", body[1].Text);
    }

    [Fact]
    public void Document_information_becomes_named_metadata_segments()
    {
        var metadata = Extract(TestFiles.PdfSecretHeader).Segments.Where(s => s.Location.Part == SegmentPart.Metadata).ToList();

        var title = Assert.Single(metadata, s => s.Location.PartName == "Title");
        Assert.Equal("Title: 2026年第三季度设备维护情况报告", title.Text);
        Assert.Contains(metadata, s => s.Text == "Author: 办公室");
        Assert.Contains(metadata, s => s.Text == "Keywords: 季度报告");
        Assert.DoesNotContain(metadata, s => s.Location.PartName is "CreationDate" or "ModDate");
    }

    [Fact]
    public void Xmp_packet_values_are_read_by_property_name()
    {
        // The PDF/A export carries XMP; its values duplicate the info dictionary, so the extractor keeps one copy.
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(TestFiles.Sample(TestFiles.PdfPublicArticle));
        Assert.True(pdf.TryGetXmpMetadata(out var xmp));
        var values = PdfMetadata.ReadXmp(xmp.GetXmlBytes(), 1 << 20);

        Assert.Contains(("dc:title", "保密法知识问答：国家秘密的密级与标志"), values);
        Assert.Contains(("dc:description", "普法宣传"), values);
        Assert.DoesNotContain(values, v => v.Name.StartsWith("xmpMM:", StringComparison.Ordinal) || v.Name == "xmp:CreateDate");
    }

    [Fact]
    public void Custom_xmp_text_is_read_and_dtds_are_not_expanded()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY e "boom">]>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:acme="http://acme.example/ns/" acme:level="机密">
                <acme:note><rdf:Alt><rdf:li xml:lang="x-default">内部 资料</rdf:li></rdf:Alt></acme:note>
                <acme:empty>  </acme:empty>
              </rdf:Description>
            </rdf:RDF></x:xmpmeta>
            """;
        var values = PdfMetadata.ReadXmp(Encoding.UTF8.GetBytes(xml), 1 << 20);

        Assert.Equal([("acme:level", "机密"), ("acme:note", "内部 资料")], values);
    }

    [Fact]
    public void Encrypted_pdf_gives_an_encrypted_note_and_no_text()
    {
        var doc = Extract(TestFiles.PdfEncrypted);

        Assert.Empty(doc.Segments);
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.Encrypted, note.Kind);
    }

    [Fact]
    public void Pdf_with_only_an_owner_password_is_read_normally()
    {
        var doc = Extract(Encrypt(File.ReadAllBytes(TestFiles.Sample(TestFiles.PdfFirstLineMarking)), userPassword: ""));

        Assert.Equal("机密★10年", Body(doc)[0].Text);
        Assert.DoesNotContain(doc.Coverage, n => n.Kind == CoverageKind.Encrypted);
    }

    [Fact]
    public void Image_only_page_gives_an_image_only_note_for_page_one()
    {
        var doc = Extract(TestFiles.PdfImageOnly);

        Assert.Empty(Body(doc));
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.ImageOnly, note.Kind);
        Assert.Equal(1, note.Location!.Page);
    }

    [Fact]
    public void Images_beside_text_give_one_note_naming_the_pages()
    {
        // The scanned page laid under the text page: one page with both text and an image.
        var overlaid = Qpdf(TestFiles.Sample(TestFiles.PdfFirstLineMarking), "--underlay", TestFiles.Sample(TestFiles.PdfImageOnly), "--", "{out}");
        var doc = Extract(overlaid);

        Assert.Equal("机密★10年", Body(doc)[0].Text);
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.ImagesNotInspected, note.Kind);
        Assert.Contains("1 image on page 1 ", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_only_page_after_a_text_page_is_noted_with_its_page()
    {
        var merged = Qpdf("--empty", "--pages", TestFiles.Sample(TestFiles.PdfFirstLineMarking), TestFiles.Sample(TestFiles.PdfImageOnly), "--", "{out}");
        var doc = Extract(merged);

        Assert.Equal([1], Body(doc).Select(s => s.Location.Page!.Value).Distinct());
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.ImageOnly, note.Kind);
        Assert.Equal(2, note.Location!.Page);
    }

    [Fact]
    public void Pages_over_the_limit_are_not_read_and_say_so()
    {
        var doc = Extract(TestFiles.PdfSecretHeader, ScanLimits.Default with { MaxPages = 2 });

        Assert.Equal([1, 2], Body(doc).Select(s => s.Location.Page!.Value).Distinct());
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.LimitExceeded, note.Kind);
        Assert.Contains("3 pages", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_honoured_between_pages()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => Extract(TestFiles.PdfSecretHeader, cancellationToken: cts.Token));
    }

    [Fact]
    public void Truncated_pdf_through_the_dispatcher_does_not_throw_and_is_not_a_silent_pass()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.PdfSecretHeader));
        var half = bytes.AsMemory(0, bytes.Length / 2);

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("half", "half.pdf", half), ScanLimits.Default, default);

        Assert.Equal(MediaTypes.Pdf, doc.MediaType);
        Assert.Contains(doc.Coverage, n => n.Kind is CoverageKind.Corrupt or CoverageKind.Error);
    }

    [Fact]
    public void Garbage_bytes_after_a_pdf_header_become_a_corrupt_note()
    {
        var junk = Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 4000));

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("junk", "junk.pdf", junk), ScanLimits.Default, default);

        Assert.Contains(doc.Coverage, n => n.Kind is CoverageKind.Corrupt or CoverageKind.Error);
    }

    [Fact]
    public void Circular_page_tree_does_not_hang_and_reads_the_real_page_once()
    {
        // /Pages lists itself as a kid; a naive tree walk never ends.
        var pdf = HandMadePdf(
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            Stream("BT /F1 12 Tf 20 250 Td (Secret) Tj ET"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("loop", "loop.pdf", pdf),
            ScanLimits.Default with { TimePerDocument = TimeSpan.FromSeconds(10) }, default);

        Assert.DoesNotContain(doc.Coverage, n => n.Kind == CoverageKind.TimedOut);
        // PdfPig's tree walk remembers visited nodes, so the one real page is read once.
        Assert.Equal(["Secret"], Body(doc).Select(s => s.Text));
    }

    [Fact]
    public void Unmapped_glyphs_make_the_page_garbled_but_its_text_is_kept()
    {
        // A subset font without ToUnicode is hard to hand-build; control bytes through a Standard 14 font
        // come out as the same kind of unusable letters (U+0001–U+0004) next to two good ones.
        var pdf = HandMadePdf(
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            Stream("BT /F1 12 Tf 20 250 Td (\\001\\002\\003\\004ab) Tj ET"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var doc = Extract(pdf);

        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.Garbled, note.Kind);
        Assert.Equal(1, note.Location!.Page);
        Assert.Contains("ab", Assert.Single(Body(doc)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin_words_drawn_without_space_glyphs_are_separated_and_columns_are_split()
    {
        // Words positioned apart with Td and no space characters, as many writers do; then a far-right cell.
        var pdf = HandMadePdf(
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            Stream("BT /F1 12 Tf 20 250 Td (Top) Tj 24 0 Td (Secret) Tj 300 0 Td (Page 1) Tj ET BT /F1 12 Tf 20 200 Td (Below) Tj ET"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var body = Body(Extract(pdf));

        Assert.Equal(["Top Secret", "Page 1", "Below"], body.Select(s => s.Text));
        Assert.Equal([1, 2, 3], body.Select(s => s.Location.Paragraph!.Value));
        Assert.Equal((300 - 250 - 12 * 0.718) / 300, body[0].Location.TopFraction!.Value, 1);
    }

    [Fact]
    public void Rotated_page_measures_top_fraction_from_the_displayed_top()
    {
        var rotated = Qpdf("--rotate=+90", TestFiles.Sample(TestFiles.PdfFirstLineMarking), "{out}");
        var line = Body(Extract(rotated))[0];

        Assert.Equal("机密★10年", line.Text);
        // Shown rotated, the line's left end (at the left margin) is now near the top edge.
        Assert.InRange(line.Location.TopFraction!.Value, 0, 0.2);
    }

    private static byte[] Encrypt(byte[] pdf, string userPassword)
    {
        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(input, pdf);
            return Qpdf("--encrypt", userPassword, "owner-pw", "256", "--", input, "{out}");
        }
        finally { File.Delete(input); }
    }

    /// <summary>Runs qpdf with <c>{out}</c> standing for a temporary output file, and returns that file's bytes.</summary>
    internal static byte[] Qpdf(params string[] args)
    {
        var output = Path.GetTempFileName();
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("qpdf") { RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a == "{out}" ? output : a);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            // Exit code 3 is "succeeded with warnings".
            Assert.True(process.ExitCode is 0 or 3, $"qpdf failed: {error}");
            return File.ReadAllBytes(output);
        }
        finally { File.Delete(output); }
    }

    private static string Stream(string content) =>
        $"<< /Length {Encoding.ASCII.GetByteCount(content)} >>\nstream\n{content}\nendstream";

    /// <summary>A PDF with objects 1..n as given (object 1 the catalog) and a correct xref table.</summary>
    internal static byte[] HandMadePdf(params string[] objects)
    {
        var sb = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(sb.ToString()));
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        int xref = Encoding.ASCII.GetByteCount(sb.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
