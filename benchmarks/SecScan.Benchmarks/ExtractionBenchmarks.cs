using BenchmarkDotNet.Attributes;
using SecScan.Core.Documents;
using SecScan.Extraction;

namespace SecScan.Benchmarks;

/// <summary>
/// Extraction of every file of a folder through <see cref="DocumentExtractor.CreateDefault"/> (sniffing,
/// the time-bound dispatch and the format's extractor), from bytes already in memory so that disk reads
/// are not measured. One operation reads the whole set.
/// </summary>
public abstract class ExtractionBenchmarks
{
    private readonly DocumentExtractor _extractor = DocumentExtractor.CreateDefault();
    private ScanSource[] _sources = [];

    protected abstract string[] InputFiles();

    [GlobalSetup]
    public void Setup()
    {
        _sources = [.. InputFiles().Select(f => ScanSource.FromBytes(f, Path.GetFileName(f), File.ReadAllBytes(f)))];
        // Fail loudly rather than time an extractor that reads nothing (the DOCX placeholder, say).
        foreach (var s in _sources)
            RateLoop.CheckReadable(_extractor.Extract(s, ScanLimits.Default, CancellationToken.None), s.Name);
    }

    [Benchmark]
    public long ExtractAll()
    {
        long chars = 0;
        foreach (var s in _sources)
            foreach (var seg in _extractor.Extract(s, ScanLimits.Default, CancellationToken.None).Segments)
                chars += seg.Text.Length;
        return chars;
    }
}

/// <summary>PdfPig over the PDFs of benchmarks/data/pdf (Rate column: pages/s).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 10)]
public class PdfExtractionBenchmarks : ExtractionBenchmarks
{
    public static string[] Inputs() => BenchData.Files(BenchData.PdfDir, "*.pdf");

    protected override string[] InputFiles() => Inputs();
}

/// <summary>The DOCX extractor over the ~30 KB-of-text files of benchmarks/data/docx (Rate column: files/s).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class DocxExtractionBenchmarks : ExtractionBenchmarks
{
    public static string[] Inputs() => BenchData.Files(BenchData.DocxDir, "*.docx");

    protected override string[] InputFiles() => Inputs();
}
