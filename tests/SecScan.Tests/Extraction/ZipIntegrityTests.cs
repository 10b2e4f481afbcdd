using System.Buffers.Binary;
using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;

namespace SecScan.Tests.Extraction;

/// <summary>
/// A ZIP member whose bytes do not match its recorded CRC-32 is damage: the text is read as it came out and the file
/// is reviewed, never allowed silently. The files here are real samples with one member's CRC changed in the
/// central directory (the record ZipArchive reads), which leaves the data itself intact and readable.
/// </summary>
public class ZipIntegrityTests
{
    [Theory]
    [InlineData("docx-public-article.docx", "word/document.xml", MediaTypes.Docx)]
    [InlineData("odt-public-article.odt", "content.xml", MediaTypes.Odt)]
    [InlineData("xlsx-public-price-list.xlsx", "xl/worksheets/sheet1.xml", MediaTypes.Xlsx)]
    public void A_member_failing_its_crc_is_a_corrupt_note_and_its_text_is_still_read(string sample, string member, string mediaType)
    {
        var intact = File.ReadAllBytes(TestFiles.Sample(sample));
        var damaged = WithWrongCrc(intact, member);
        var extractor = DocumentExtractor.CreateDefault();

        var before = extractor.Extract(ScanSource.FromBytes(sample, sample, intact), ScanLimits.Default, default);
        var after = extractor.Extract(ScanSource.FromBytes(sample, sample, damaged), ScanLimits.Default, default);

        Assert.Equal(mediaType, after.MediaType);
        Assert.DoesNotContain(before.Coverage, n => n.Kind == CoverageKind.Corrupt);
        var note = Assert.Single(after.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Equal(member, note.Location?.PartName);
        Assert.Equal(before.Segments.Select(s => s.Text), after.Segments.Select(s => s.Text));
        Assert.Equal(Decision.Allow, TestEngine.ScanBytes(sample, intact).Decision);
        Assert.Equal(Decision.Review, TestEngine.ScanBytes(sample, damaged).Decision);
    }

    /// <summary>The ZIP with the CRC-32 of <paramref name="member"/> in its central directory record inverted.</summary>
    private static byte[] WithWrongCrc(byte[] zip, string member)
    {
        var bytes = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(member);
        for (int at = bytes.Length - 46; at >= 0; at--)
        {
            // [APPNOTE] 4.3.12: signature, …, CRC-32 at 16, name length at 28, name at 46.
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) != 0x02014b50) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 28));
            if (!bytes.AsSpan(at + 46, nameLength).SequenceEqual(name)) continue;
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 16));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 16), ~crc);
            return bytes;
        }
        throw new InvalidOperationException($"{member} is not in the central directory");
    }

    [Fact]
    public void A_member_that_cannot_be_inflated_is_a_note_and_the_other_parts_are_still_read()
    {
        // Sheet 1's deflate data overwritten in its middle: the check before System.IO.Packaging must not turn one
        // damaged part into an unreadable workbook (the marking is on sheet 2).
        var xlsx = File.ReadAllBytes(TestFiles.Sample("xlsx-sheet2-marking.xlsx"));
        var name = Encoding.UTF8.GetBytes("xl/worksheets/sheet1.xml");
        int at = 0;
        while ((at = xlsx.AsSpan(at).IndexOf("PK\u0003\u0004"u8) + at) >= 0)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(xlsx.AsSpan(at + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(xlsx.AsSpan(at + 28));
            if (xlsx.AsSpan(at + 30, nameLength).SequenceEqual(name))
            {
                int data = at + 30 + nameLength + extraLength;
                int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(xlsx.AsSpan(at + 18));
                xlsx.AsSpan(data + size / 3, 32).Fill(0xFF);
                break;
            }
            at += 4;
        }

        var verdict = TestEngine.ScanBytes("plan.xlsx", xlsx);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Equal("C7", verdict.Findings[0].Location.Cell);
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == CoverageKind.Corrupt && n.Message.Contains("sheet1", StringComparison.Ordinal));
    }
}
