using System.Buffers.Binary;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Extraction;
using static SecScan.Tests.Extraction.Ole.OleTestKit;

namespace SecScan.Tests.Extraction.Ole;

/// <summary>Hostile and damaged OLE2 input: never a throw, never a hang, a clear coverage note and at least review.</summary>
public class OleMalformedInputTests
{
    private static Verdict AssertReview(byte[] bytes, CoverageKind kind, string name = "bad.doc")
    {
        var verdict = TestEngine.ScanBytes(name, bytes);
        Assert.True(verdict.Decision >= Decision.Review, TestEngine.Explain(verdict));
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == kind);
        Assert.DoesNotContain(verdict.Coverage.Notes, n => n.Kind is CoverageKind.TimedOut or CoverageKind.Error);
        return verdict;
    }

    [Fact]
    public void Truncated_compound_file_is_corrupt()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocFirstLineMarking));
        AssertReview(bytes[..(bytes.Length / 2)], CoverageKind.Corrupt);
    }

    [Fact]
    public void Header_only_compound_file_is_corrupt() =>
        AssertReview(File.ReadAllBytes(TestFiles.Sample(TestFiles.DocFirstLineMarking))[..512], CoverageKind.Corrupt);

    [Fact]
    public void Cyclic_directory_sector_chain_is_corrupt_not_a_hang()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocFirstLineMarking));
        // [MS-CFB] 2.2: the directory's first sector at 0x30, the first FAT sector at 0x4C; 512-byte sectors
        // follow the 512-byte header. Point the directory sector's FAT entry at itself.
        int dir = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x30));
        int fat = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x4C));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((fat + 1) * 512 + 4 * dir), dir);
        AssertReview(bytes, CoverageKind.Corrupt);
    }

    [Fact]
    public void Two_sector_cycle_in_a_stream_chain_is_corrupt()
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.XlsSheet2C7Marking));
        int fat = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x4C));
        var table = bytes.AsSpan((fat + 1) * 512, 512);
        // Every chain link n → n+1 becomes n+1 → n: the first long chain now loops.
        for (int i = 0; i + 1 < 128; i++)
            if (BinaryPrimitives.ReadInt32LittleEndian(table[(4 * i)..]) == i + 1)
            {
                BinaryPrimitives.WriteInt32LittleEndian(table[(4 * (i + 1))..], i);
                break;
            }
        AssertReview(bytes, CoverageKind.Corrupt, "bad.xls");
    }

    [Fact]
    public void Encrypted_doc_flag_is_an_encrypted_note()
    {
        var bytes = WithStream(TestFiles.DocFirstLineMarking, "WordDocument", w => { w[0x0B] |= 0x01; return w; });
        AssertReview(bytes, CoverageKind.Encrypted);
    }

    [Fact]
    public void Lying_character_counts_and_pieces_keep_what_was_read()
    {
        // ccpText claims two billion characters: reading stops at the piece table's end, text already decoded stays.
        var huge = WithStream(TestFiles.DocFirstLineMarking, "WordDocument", w =>
        {
            int rgLw = 34 + 2 * BinaryPrimitives.ReadUInt16LittleEndian(w.AsSpan(32)) + 2;
            BinaryPrimitives.WriteInt32LittleEndian(w.AsSpan(rgLw + 12), int.MaxValue);
            return w;
        });
        var doc = Read(new MemoryStream(huge), "huge.doc");
        Assert.Contains(doc.Segments, s => s.Text == "机密★10年");

        // The FIB survives but the pieces point past the end of the cut WordDocument stream.
        AssertReview(WithStream(TestFiles.DocFirstLineMarking, "WordDocument", w => w[..600]), CoverageKind.Corrupt);
    }

    [Fact]
    public void Truncated_word_stream_is_corrupt() =>
        AssertReview(WithStream(TestFiles.DocFirstLineMarking, "WordDocument", w => w[..40]), CoverageKind.Corrupt);

    [Fact]
    public void Lying_ppt_record_lengths_keep_what_was_read()
    {
        var bytes = WithStream(TestFiles.PptSlide3NotesMarking, "PowerPoint Document", d =>
        {
            // Make the last top-level record claim more bytes than the stream has left.
            int at = 0, last = 0;
            while (at + 8 <= d.Length)
            {
                last = at;
                at += 8 + (int)BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at + 4));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(last + 4), 0x7FFFFFF0);
            return d;
        });
        var doc = Read(new MemoryStream(bytes), "bad.ppt");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Contains(doc.Segments, s => s.Text == "秘密★1年");
    }

    [Fact]
    public void Ppt_records_nested_past_any_real_depth_do_not_recurse_without_bound()
    {
        // 5,000 containers each holding only the next: the walk stops at its depth bound.
        const int depth = 5000;
        var d = new byte[8 * depth];
        for (int i = 0; i < depth; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(8 * i), 0x000F);
            BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(8 * i + 2), i == 0 ? (ushort)0x03EE : (ushort)0xF004);
            BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(8 * i + 4), (uint)(8 * (depth - i - 1)));
        }
        var bytes = WithStream(TestFiles.PptSlide3NotesMarking, "PowerPoint Document", _ => d);
        var doc = Read(new MemoryStream(bytes), "deep.ppt");
        Assert.Contains(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
    }

    [Fact]
    public void Unknown_compound_file_is_unsupported()
    {
        var fs = new NPOI.POIFS.FileSystem.POIFSFileSystem();
        fs.Root.CreateDocument("Contents", new MemoryStream([1, 2, 3]));
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        var verdict = AssertReview(output.ToArray(), CoverageKind.Unsupported, "x.bin");
        Assert.Equal(Decision.Review, verdict.Decision);
    }

    [Fact]
    public void Ole_magic_followed_by_garbage_is_corrupt()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        AssertReview(bytes, CoverageKind.Corrupt);
    }

    [Fact]
    public void The_sniffer_still_says_ole2_and_the_document_says_what_it_is()
    {
        using var stream = File.OpenRead(TestFiles.Sample(TestFiles.DocFirstLineMarking));
        Assert.Equal(MediaTypes.Ole2, Sniffer.Sniff(stream));
        Assert.Equal(MediaTypes.Doc, Read(TestFiles.DocFirstLineMarking).MediaType);
    }
}
