using System.Text;
using BenchmarkDotNet.Attributes;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Markings;
using SecScan.Core.Text;

namespace SecScan.Benchmarks;

/// <summary>
/// Normalization and marking detection over the whole corpus (~6.7 MB of UTF-8, one segment per line):
/// each operation is one pass over all of it, so MB/s = corpus bytes / mean time (the Rate column).
/// </summary>
[MemoryDiagnoser]
public class NormalizeAndMarkingsBenchmarks
{
    private List<TextSegment> _segments = null!;
    private Normalizer _normalizer = null!;
    private MarkingDetector _markings = null!;
    private NormalizedText _normalized = null!;

    /// <summary>UTF-8 bytes of the corpus text (line breaks included): the unit of the Rate column.</summary>
    public static long CorpusBytes() => new FileInfo(BenchData.CorpusPath).Length;

    [GlobalSetup]
    public void Setup()
    {
        _segments = BenchData.CorpusSegments();
        _normalizer = BenchData.Ruleset.Normalizer;
        _markings = BenchData.Markings;
        _normalized = _normalizer.Normalize(_segments);
        // A benchmark that finds nothing measures nothing: the corpus carries markings on purpose.
        var findings = new List<Finding>();
        _markings.Detect(new DetectionInput(_normalized, BenchData.Ruleset.Genres), findings);
        if (findings.Count == 0) throw new InvalidOperationException("no marking found in the corpus: is it the right file?");
        Console.WriteLine($"// corpus: {Encoding.UTF8.GetByteCount(_normalized.Text):N0} normalized UTF-8 bytes, {findings.Count} marking findings");
    }

    [Benchmark]
    public int Normalize() => _normalizer.Normalize(_segments).Text.Length;

    [Benchmark]
    public int Markings()
    {
        var findings = new List<Finding>();
        _markings.Detect(new DetectionInput(_normalized, BenchData.Ruleset.Genres), findings);
        return findings.Count;
    }

    [Benchmark]
    public int NormalizeThenMarkings()
    {
        var findings = new List<Finding>();
        _markings.Detect(new DetectionInput(_normalizer.Normalize(_segments), BenchData.Ruleset.Genres), findings);
        return findings.Count;
    }
}
