using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Extraction;
using SecScan.Extraction;

namespace SecScan.Tests.Extraction;

/// <summary>The dispatcher: sniffing by bytes, the time bound, limits, and "a failing document is a result".</summary>
public class DocumentExtractorTests
{
    private static readonly DocumentExtractor Extractor = DocumentExtractor.CreateDefault();

    private static ExtractedDocument Extract(string file, ScanLimits limits) =>
        Extractor.Extract(ScanSource.FromFile(TestFiles.Sample(file)), limits, default);

    [Fact]
    public void Cooperative_extractor_past_the_time_bound_gives_a_timed_out_note()
    {
        var doc = ExtractWith(new SpinningExtractor(observeToken: true), TimeSpan.FromMilliseconds(100));
        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.TimedOut);
        var verdict = TestEngine.Shared.Evaluate(doc, "slow.txt", "publish", 0, "");
        Assert.Equal(Decision.Review, verdict.Decision);
    }

    [Fact]
    public void Extractor_that_ignores_cancellation_is_abandoned_after_the_time_bound()
    {
        using var release = new ManualResetEventSlim();
        var doc = ExtractWith(new SpinningExtractor(observeToken: false, release), TimeSpan.FromMilliseconds(100));
        release.Set();
        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.TimedOut);
    }

    [Fact]
    public void An_abandoned_extractor_still_reads_the_bytes_it_was_given()
    {
        // The file is read into a pooled buffer; an extractor abandoned at the time bound may still be reading it, so
        // the buffer must not go back to the pool, where the next caller (here, this thread) would write over it.
        using var release = new ManualResetEventSlim();
        var late = new LateReader(release);
        var doc = ExtractWith(late, TimeSpan.FromMilliseconds(100));
        Assert.Contains(doc.AllCoverage(), n => n.Kind == CoverageKind.TimedOut);
        var file = File.ReadAllBytes(TestFiles.Sample("txt-gbk-notice.txt"));
        var next = System.Buffers.ArrayPool<byte>.Shared.Rent(file.Length);
        next.AsSpan().Fill(0xFF);
        System.Buffers.ArrayPool<byte>.Shared.Return(next);
        release.Set();
        Assert.True(late.Done.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(file, late.Bytes);
    }

    /// <summary>Reads its input only when the test lets it go, long after the time bound.</summary>
    private sealed class LateReader(ManualResetEventSlim release) : IExtractor
    {
        public ManualResetEventSlim Done { get; } = new();

        public byte[]? Bytes { get; private set; }

        public IReadOnlyCollection<string> MediaTypes => [SecScan.Extraction.MediaTypes.PlainText];

        public ExtractedDocument Extract(Stream stream, ExtractionContext context)
        {
            release.Wait();
            var copy = new MemoryStream();
            stream.Position = 0;
            stream.CopyTo(copy);
            Bytes = copy.ToArray();
            Done.Set();
            throw new InvalidOperationException("read late");
        }
    }

    private static ExtractedDocument ExtractWith(IExtractor extractor, TimeSpan bound) =>
        new DocumentExtractor([extractor]).Extract(ScanSource.FromFile(TestFiles.Sample("txt-gbk-notice.txt")),
            ScanLimits.Default with { TimePerDocument = bound }, default);

    /// <summary>A parser stuck in its input: it loops until cancelled, or (hostile) until the test lets it go.</summary>
    private sealed class SpinningExtractor(bool observeToken, ManualResetEventSlim? release = null) : IExtractor
    {
        public IReadOnlyCollection<string> MediaTypes => [SecScan.Extraction.MediaTypes.PlainText];

        public ExtractedDocument Extract(Stream stream, ExtractionContext context)
        {
            while (true)
            {
                if (observeToken) context.CancellationToken.ThrowIfCancellationRequested();
                else if (release!.Wait(10)) throw new InvalidOperationException("released");
                else continue;
                Thread.Sleep(10);
            }
        }
    }

    [Fact]
    public void Oversized_input_is_a_limit_note_not_a_read()
    {
        var doc = Extract(TestFiles.PdfSecretHeader, ScanLimits.Default with { MaxInputBytes = 1000 });
        var note = Assert.Single(doc.Coverage);
        Assert.Equal(CoverageKind.LimitExceeded, note.Kind);
    }

    [Theory]
    [InlineData(TestFiles.DocxFirstLineMarking, "report.pdf", MediaTypes.Docx)]
    [InlineData(TestFiles.PdfFirstLineMarking, "notes.docx", MediaTypes.Pdf)]
    [InlineData("txt-gbk-notice.txt", "scan.pdf", MediaTypes.PlainText)]
    public void Lying_extension_is_read_by_its_bytes(string sample, string name, string mediaType)
    {
        var bytes = File.ReadAllBytes(TestFiles.Sample(sample));
        var verdict = TestEngine.ScanBytes(name, bytes);
        Assert.Equal(mediaType, verdict.MediaType);
        Assert.Equal(Decision.Block, verdict.Decision);
    }

    [Fact]
    public void File_name_is_scanned_as_text()
    {
        var verdict = TestEngine.ScanBytes("【机密】2025年部署方案.txt", "ordinary text"u8.ToArray());
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Equal(SegmentPart.FileName, verdict.Findings[0].Location.Part);
    }
}
