using System.IO.Compression;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Archives;
using SharpCompress.Common;

namespace SecScan.Tests.Extraction.Archives;

public class ArchiveExtractorTests
{
    private static readonly byte[] MarkedText = Encoding.UTF8.GetBytes("机密★10年\n关于项目用地的说明\n");

    [Fact]
    public void Gbk_member_names_are_decoded()
    {
        var doc = DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(TestFiles.Sample(TestFiles.ZipGbkNames)), ScanLimits.Default, default);
        Assert.Equal(MediaTypes.Zip, doc.MediaType);
        var containers = doc.Children.Select(c => c.Segments[0].Location.Container).ToList();
        Assert.Contains("zip-gbk-names.zip › 附件.docx", containers);
        Assert.Contains("zip-gbk-names.zip › 说明.txt", containers);
    }

    [Theory]
    [InlineData(new byte[] { 0xB8, 0xBD, 0xBC, 0xFE, 0x2E, 0x64, 0x6F, 0x63, 0x78 }, EncodingType.Default, "附件.docx")]
    [InlineData(new byte[] { 0x52, 0x82, 0x73, 0x75, 0x6D, 0x82, 0x2E, 0x74, 0x78, 0x74 }, EncodingType.Default, "Résumé.txt")]
    [InlineData(new byte[] { 0xE9, 0x99, 0x84, 0xE4, 0xBB, 0xB6 }, EncodingType.Default, "附件")]
    [InlineData(new byte[] { 0x61, 0x2E, 0x74, 0x78, 0x74 }, EncodingType.UTF8, "a.txt")]
    public void Zip_names_without_the_utf8_flag_are_decoded_by_plausibility(byte[] bytes, EncodingType type, string expected)
    {
        Assert.Equal(expected, ArchiveNames.Decode(bytes, 0, bytes.Length, type));
    }

    [Fact]
    public void Tar_gz_with_a_nested_zip_reports_the_full_path()
    {
        var verdict = TestEngine.ScanFile(TestFiles.Sample(TestFiles.TgzNestedZip));
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "tgz-nested-zip.tar.gz › tgz-nested-zip.tar › 项目资料/内层.zip › 说明.txt");
    }

    [Fact]
    public void Bzip2_payload_is_one_child()
    {
        using var ms = new MemoryStream();
        using (var bz = SharpCompress.Compressors.BZip2.BZip2Stream.Create(ms, SharpCompress.Compressors.CompressionMode.Compress, false, leaveOpen: true, tolerateTruncatedStream: false))
            bz.Write(MarkedText);
        var verdict = TestEngine.ScanBytes("note.txt.bz2", ms.ToArray());
        Assert.Equal(MediaTypes.BZip2, verdict.MediaType);
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "note.txt.bz2 › note.txt");
    }

    [Fact]
    public void Gzip_payload_takes_its_header_file_name()
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(MarkedText);
        // The BCL writes no FNAME: set FLG bit 3 and insert the zero-terminated name after the 10-byte header (RFC 1952).
        var plain = ms.ToArray();
        plain[3] |= 0x08;
        var named = plain[..10].Concat("plan.txt\0"u8.ToArray()).Concat(plain[10..]).ToArray();
        var verdict = TestEngine.ScanBytes("archive.gz", named);
        Assert.Equal(MediaTypes.GZip, verdict.MediaType);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "archive.gz › plan.txt");
    }

    [Fact]
    public void Tar_is_sniffed_and_read()
    {
        using var ms = new MemoryStream();
        using (var tar = new System.Formats.Tar.TarWriter(ms, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "docs/说明.txt") { DataStream = new MemoryStream(MarkedText) };
            tar.WriteEntry(entry);
        }
        var verdict = TestEngine.ScanBytes("docs.tar", ms.ToArray());
        Assert.Equal(MediaTypes.Tar, verdict.MediaType);
        Assert.Contains(verdict.Findings, f => f.Location.Container == "docs.tar › docs/说明.txt");
    }

    [Fact]
    public void Seven_zip_written_by_sharpcompress_is_read()
    {
        using var ms = new MemoryStream();
        using (var writer = SharpCompress.Writers.WriterFactory.OpenWriter(ms, ArchiveType.SevenZip, new SharpCompress.Writers.WriterOptions(CompressionType.LZMA) { LeaveStreamOpen = true }))
            writer.Write("报告/计划.txt", new MemoryStream(MarkedText), DateTime.UnixEpoch);
        var verdict = TestEngine.ScanBytes("plans.7z", ms.ToArray());
        Assert.Equal(MediaTypes.SevenZip, verdict.MediaType);
        Assert.True(verdict.Decision == Decision.Block, TestEngine.Explain(verdict));
        Assert.Contains(verdict.Findings, f => f.Location.Container == "plans.7z › 报告/计划.txt");
    }

    [Fact]
    public void Small_repetitive_member_is_within_the_ratio_allowance()
    {
        // 512 KiB of one repeated line compresses far beyond 200:1 but is not a bomb.
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("公开信息。\n", 512 * 1024 / 16)));
        var verdict = TestEngine.ScanBytes("repeat.zip", MalformedInputTests.Zip(("repeat.txt", text)));
        Assert.True(verdict.Decision == Decision.Allow, TestEngine.Explain(verdict));
    }

    [Fact]
    public void A_zip_member_failing_its_crc_is_read_and_noted_as_damage()
    {
        var zip = MalformedInputTests.Zip(("通知.txt", Encoding.UTF8.GetBytes("公开的通知\n")));
        Assert.Equal(Decision.Allow, TestEngine.ScanBytes("n.zip", zip).Decision);
        // The CRC-32 in the local header (at 14) and the central directory record (at 16), inverted; the data is intact.
        for (int at = 0; at + 20 <= zip.Length; at++)
        {
            uint signature = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at));
            int field = signature switch { 0x04034b50 => 14, 0x02014b50 => 16, _ => -1 };
            if (field < 0) continue;
            var crc = zip.AsSpan(at + field, 4);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(crc, ~System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(crc));
        }

        var verdict = TestEngine.ScanBytes("n.zip", zip);

        Assert.Equal(Decision.Review, verdict.Decision);
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("通知.txt does not match its CRC-32", StringComparison.Ordinal));
        var doc = SecScan.Extraction.DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes("n.zip", "n.zip", zip), ScanLimits.Default, default);
        Assert.Contains(doc.AllSegments(), s => s.Text.Contains("公开的通知", StringComparison.Ordinal));
    }

    [Fact]
    public void A_damaged_central_directory_is_read_from_the_local_headers()
    {
        // The first central-directory record's signature spoiled: SharpCompress then lists no member, without an error.
        var zip = File.ReadAllBytes(TestFiles.Sample("zip-gbk-names.zip"));
        int end = zip.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        int directory = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));   // [APPNOTE] 4.3.16
        zip[directory + 1] = (byte)'X';
        Assert.Equal(2, ArchiveExtractor.DeclaredZipMembers(new MemoryStream(zip)));

        var verdict = TestEngine.ScanBytes("z.zip", zip);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("lists 2 members, 0 could be found", StringComparison.Ordinal));
        Assert.Contains("附件.docx", verdict.Findings[0].Location.Container, StringComparison.Ordinal);
    }
}
