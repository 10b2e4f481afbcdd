using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Findings;
using SecScan.Extraction;

namespace SecScan.Tests.Extraction;

/// <summary>Runs alone: the bomb tests read the process's peak working set, which parallel tests would blur.</summary>
[CollectionDefinition(nameof(MalformedInputGroup), DisableParallelization = true)]
public sealed class MalformedInputGroup;

/// <summary>
/// Hostile and broken input: no throw, a clear coverage note, a review verdict (never allow), within the time
/// bound and bounded memory. Bombs are built here, streamed, so the test never holds what it would expand to.
/// </summary>
[Collection(nameof(MalformedInputGroup))]
public class MalformedInputTests
{
    private const long GiB = 1L << 30;

    /// <summary>One member of 1 GiB of zeros deflated to about 1 MiB: a 1000:1 bomb.</summary>
    private static readonly Lazy<byte[]> ZipBomb = new(() => ZipOfZeros("zeros.bin", GiB));

    private static Verdict Scan(string name, byte[] bytes, ScanLimits? limits = null) =>
        limits is null ? TestEngine.ScanBytes(name, bytes)
            : new ScanEngine(TestEngine.Shared.Ruleset, DocumentExtractor.CreateDefault(), limits).Scan(ScanSource.FromBytes(name, name, bytes));

    private static CoverageNote AssertReviewWith(Verdict verdict, CoverageKind kind, string? messageContains = null)
    {
        Assert.True(verdict.Decision == Decision.Review, $"expected review, got {verdict.Decision}\n{TestEngine.Explain(verdict)}");
        var note = verdict.Coverage.Notes.FirstOrDefault(n => n.Kind == kind && (messageContains is null || n.Message.Contains(messageContains, StringComparison.Ordinal)));
        Assert.True(note is not null, $"no {kind} note{(messageContains is null ? "" : $" mentioning '{messageContains}'")}\n{TestEngine.Explain(verdict)}");
        return note!;
    }

    /// <summary>Peak working set growth while <paramref name="scan"/> runs, in bytes.</summary>
    private static (Verdict Verdict, long PeakGrowth) Measure(Func<Verdict> scan)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.PeakWorkingSet64;
        var verdict = scan();
        process.Refresh();
        return (verdict, process.PeakWorkingSet64 - before);
    }

    [Theory]
    [InlineData("nesting")]
    [InlineData("digits")]
    public void Pdf_page_our_lexer_refuses_is_read_by_PdfPig_or_noted_as_corrupt(string kind)
    {
        // Page content our lexer refuses (past its nesting or token bound) goes to PdfPig; whatever PdfPig makes of
        // it, the scan ends, and a page it cannot read either is a corrupt-page note with a review verdict.
        string hostile = kind == "nesting" ? new string('[', 100_000) : new string('7', 5 << 20);
        var pdf = SecScan.Tests.Extraction.Pdf.PdfTextLayerTests.HandMadePdf(
            "BT /F1 12 Tf 20 250 Td (Secret) Tj ET " + hostile, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var document = DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("hostile.pdf", "hostile.pdf", pdf), ScanLimits.Default, CancellationToken.None);

        // Either PdfPig read the page (then its text is there) or the page has its note and the verdict is review.
        bool read = document.Segments.Any(s => s.Text.Contains("Secret", StringComparison.Ordinal));
        bool noted = document.Coverage.Any(n => n.Kind is CoverageKind.Corrupt or CoverageKind.Error && n.Location?.Page == 1);
        Assert.True(read || noted, string.Join("\n", document.Coverage.Select(n => $"{n.Kind}: {n.Message}")));
        if (!read) AssertReviewWith(Scan("hostile.pdf", pdf), CoverageKind.Corrupt);
    }

    [Fact]
    public void Zip_bomb_is_refused_from_its_declared_size_without_expanding()
    {
        var bomb = ZipBomb.Value;
        Assert.True(bomb.Length < 4 << 20, $"bomb is {bomb.Length:N0} bytes");
        var (verdict, growth) = Measure(() => Scan("bomb.zip", bomb));
        var note = AssertReviewWith(verdict, CoverageKind.LimitExceeded, "not read");
        Assert.Contains("zeros.bin", note.Location!.Container, StringComparison.Ordinal);
        Assert.True(growth < 256L << 20, $"peak working set grew by {growth:N0} bytes");
    }

    [Fact]
    public void Member_under_the_size_limit_but_over_the_expansion_ratio_is_not_expanded()
    {
        var bomb = ZipOfZeros("zeros.bin", 128L << 20);
        var (verdict, growth) = Measure(() => Scan("ratio.zip", bomb));
        AssertReviewWith(verdict, CoverageKind.LimitExceeded, "200:1 expansion bound");
        Assert.True(growth < 96L << 20, $"peak working set grew by {growth:N0} bytes");
    }

    [Fact]
    public void Zip_bomb_with_lying_sizes_is_stopped_while_copying()
    {
        // The same bomb whose local and central headers claim 1,000 bytes: only counting the bytes produced
        // catches it, and copying must stop at the bound instead of holding the gigabyte.
        var liar = (byte[])ZipBomb.Value.Clone();
        PatchDeclaredSize(liar, 1000);
        var (verdict, growth) = Measure(() => Scan("liar.zip", liar));
        Assert.True(verdict.Decision == Decision.Review, TestEngine.Explain(verdict));
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind is CoverageKind.LimitExceeded or CoverageKind.Corrupt);
        Assert.True(growth < 768L << 20, $"peak working set grew by {growth:N0} bytes: the bomb was materialised");
    }

    [Fact]
    public void Nested_zip_deeper_than_the_depth_limit_stops_with_a_note_and_never_allows()
    {
        // The innermost member carries a marking the depth limit keeps out of reach: the verdict must not be allow.
        byte[] inner = Zip(("deep.txt", Encoding.UTF8.GetBytes("机密★10年\n内部测试材料\n")));
        for (int i = 0; i < 12; i++) inner = Zip(($"level{i}.zip", inner));
        var verdict = Scan("nested.zip", inner);
        AssertReviewWith(verdict, CoverageKind.LimitExceeded, "nested deeper");
    }

    [Fact]
    public void Nested_fan_out_bomb_stops_at_the_member_limit()
    {
        // 16 copies per level, 4 levels: 65,536 leaves from a few kilobytes.
        byte[] layer = Zip(("leaf.txt", Encoding.UTF8.GetBytes("公开的活动通知。\n")));
        for (int level = 0; level < 4; level++)
            layer = Zip(Enumerable.Range(0, 16).Select(i => ($"copy{i}.zip", layer)).ToArray());
        Assert.True(layer.Length < 1 << 20, $"fan-out bomb is {layer.Length:N0} bytes");
        var verdict = Scan("fanout.zip", layer, ScanLimits.Default with { MaxMembers = 300 });
        AssertReviewWith(verdict, CoverageKind.LimitExceeded, "members");
    }

    [Fact]
    public void Expansion_budget_of_the_whole_file_stops_the_archive()
    {
        var members = Enumerable.Range(0, 32).Select(i => ($"part{i}.txt", Encoding.ASCII.GetBytes(new string(' ', 900 << 10) + "x\n"))).ToArray();
        var verdict = Scan("many.zip", Zip(members), ScanLimits.Default with { MaxExpandedBytes = 4L << 20 });
        AssertReviewWith(verdict, CoverageKind.LimitExceeded, "expansion budget");
    }

    [Fact]
    public void Billion_laughs_in_a_docx_part_is_a_corrupt_note_not_an_expansion()
    {
        var verdict = Scan("laughs.docx", DocxWithDocumentXml(BillionLaughs()));
        var note = AssertReviewWith(verdict, CoverageKind.Corrupt);
        Assert.Contains("DTD", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_zip_reads_what_precedes_the_cut_and_notes_the_damage()
    {
        var whole = Zip(("first.txt", Encoding.UTF8.GetBytes("第一份公开材料：植树活动通知。\n")),
            ("second.txt", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("第二份公开材料，内容较长。", 400)))));
        var cut = whole[..(whole.Length * 2 / 3)];
        var verdict = Scan("cut.zip", cut);
        AssertReviewWith(verdict, CoverageKind.Corrupt);
        Assert.Equal(MediaTypes.Zip, verdict.MediaType);
    }

    [Fact]
    public void Executable_with_a_document_extension_is_unsupported_not_text()
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        "\x7FELF"u8.CopyTo(bytes);
        var verdict = Scan("年度报告.docx", bytes);
        AssertReviewWith(verdict, CoverageKind.Unsupported);
        Assert.Equal(MediaTypes.Unknown, verdict.MediaType);
    }

    [Fact]
    public void Marked_docx_named_as_a_zip_is_read_as_a_docx()
    {
        var verdict = TestEngine.ScanBytes("photos.zip", File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking)));
        Assert.Equal(MediaTypes.Docx, verdict.MediaType);
        Assert.Equal(Decision.Block, verdict.Decision);
    }

    [Fact]
    public void Encrypted_zip_member_is_named_and_the_other_members_are_still_read()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.ZipEncryptedMember));
        var note = AssertReviewWith(verdict, CoverageKind.Encrypted);
        Assert.Contains("工资表.txt", note.Location!.Container, StringComparison.Ordinal);
        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(TestFiles.Sample(TestFiles.ZipEncryptedMember)), ScanLimits.Default, default);
        Assert.Contains(doc.AllSegments(), s => s.Text.Contains("植树活动", StringComparison.Ordinal));
    }

    [Fact]
    public void Password_protected_office_file_is_an_encrypted_note()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.DocxEncryptedPassword));
        AssertReviewWith(verdict, CoverageKind.Encrypted);
        Assert.Equal(MediaTypes.EncryptedOoxml, verdict.MediaType);
    }

    [Fact]
    public void Mail_nested_a_thousand_multiparts_deep_does_not_crash()
    {
        var sb = new StringBuilder("From: a@example.cn\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < 1000; i++) sb.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        sb.Append("Content-Type: text/plain\r\n\r\n公开通知\r\n");
        var verdict = Scan("deep.eml", Encoding.UTF8.GetBytes(sb.ToString()));
        Assert.NotEqual(Decision.Block, verdict.Decision);
        Assert.Equal(MediaTypes.Eml, verdict.MediaType);
    }

    [Fact]
    public void Mail_cut_inside_an_attachment_reads_the_body_and_notes_the_damaged_attachment()
    {
        var docx = Convert.ToBase64String(File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxPublicArticle)));
        var eml = "From: a@example.cn\r\nTo: b@example.cn\r\nSubject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n" +
            "--x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n请查收附件。\r\n" +
            "--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"report.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            docx[..(docx.Length / 2)];
        var verdict = Scan("cut.eml", Encoding.UTF8.GetBytes(eml));
        Assert.Equal(MediaTypes.Eml, verdict.MediaType);
        AssertReviewWith(verdict, CoverageKind.Corrupt, "no closing boundary");   // the message itself is cut short
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt && n.Location!.Container.Contains("report.docx", StringComparison.Ordinal));
    }

    [Fact]
    public void Mail_cut_between_parts_is_a_note_not_a_pass()
    {
        // Cut after the first part, as a size-limited relay does: MimeKit reads the body and never sees the attachment.
        var eml = "From: a@example.cn\r\nTo: b@example.cn\r\nSubject: notice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n" +
            "--x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n请查收。\r\n--x\r\n";
        var whole = eml + "Content-Type: text/plain; charset=utf-8\r\n\r\n附件说明。\r\n--x--\r\n";

        Assert.Equal(Decision.Allow, Scan("whole.eml", Encoding.UTF8.GetBytes(whole)).Decision);
        AssertReviewWith(Scan("cut.eml", Encoding.UTF8.GetBytes(eml)), CoverageKind.Corrupt, "no closing boundary");
    }

    // ---- builders ----

    internal static byte[] Zip(params (string Name, byte[] Bytes)[] members)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in members)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }

    /// <summary>A ZIP with one member of <paramref name="size"/> zero bytes, streamed through the deflater in 1 MiB writes.</summary>
    private static byte[] ZipOfZeros(string name, long size)
    {
        var zeros = new byte[1 << 20];
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open())
            for (long written = 0; written < size; written += zeros.Length) s.Write(zeros);
        return ms.ToArray();
    }

    /// <summary>Overwrites the uncompressed size in the first local header (+22) and the first central header (+24).</summary>
    private static void PatchDeclaredSize(byte[] zip, uint size)
    {
        BitConverter.TryWriteBytes(zip.AsSpan(22, 4), size);
        int central = zip.AsSpan().LastIndexOf("PK\x01\x02"u8);
        Assert.True(central > 0);
        BitConverter.TryWriteBytes(zip.AsSpan(central + 24, 4), size);
    }

    private static string BillionLaughs()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++)
            sb.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">\n");
        sb.Append("]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>");
        return sb.ToString();
    }

    private static byte[] DocxWithDocumentXml(string xml)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(new Paragraph(new Run(new DocumentFormat.OpenXml.Wordprocessing.Text("placeholder")))));
        }
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("word/document.xml")!;
            entry.Delete();
            using var s = zip.CreateEntry("word/document.xml").Open();
            s.Write(Encoding.UTF8.GetBytes(xml));
        }
        return ms.ToArray();
    }
}
