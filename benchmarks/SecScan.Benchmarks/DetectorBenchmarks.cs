using BenchmarkDotNet.Attributes;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Rulesets;
using SecScan.Core.Text;

namespace SecScan.Benchmarks;

/// <summary>
/// Each detector of the default ruleset alone, all of them together, and normalization plus all of them,
/// over the whole corpus (~6.7 MB of UTF-8, one segment per line). One operation is one pass over all of
/// it, so MB/s = corpus bytes / mean time (the Rate column). Every operation builds its own
/// <see cref="DetectionInput"/> with the ruleset's genre cues, as the engine does per document, so a
/// detector that asks for the document genre pays for computing it (see <see cref="GenreCues"/>).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 10)]
public class DetectorBenchmarks
{
    private CompiledRuleset _ruleset = null!;
    private List<TextSegment> _segments = null!;
    private NormalizedText _normalized = null!;
    private IDetector _markings = null!, _survey = null!, _pii = null!, _credentials = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ruleset = BenchData.Ruleset;
        _segments = BenchData.CorpusSegments();
        _normalized = _ruleset.Normalizer.Normalize(_segments);
        _markings = BenchData.Detector("markings");
        _survey = BenchData.Detector("survey");
        _pii = BenchData.Detector("pii");
        _credentials = BenchData.Detector("credentials");
        // A benchmark that finds nothing measures nothing: the corpus carries markings on purpose.
        if (Detect(_markings) == 0) throw new InvalidOperationException("no marking found in the corpus: is it the right file?");
    }

    private int Detect(IDetector detector)
    {
        var findings = new List<Finding>();
        detector.Detect(new DetectionInput(_normalized, _ruleset.Genres), findings);
        return findings.Count;
    }

    private static int DetectAll(CompiledRuleset ruleset, NormalizedText text)
    {
        var findings = new List<Finding>();
        var input = new DetectionInput(text, ruleset.Genres);
        foreach (var detector in ruleset.Detectors) detector.Detect(input, findings);
        return findings.Count;
    }

    [Benchmark]
    public int Markings() => Detect(_markings);

    [Benchmark]
    public int Survey() => Detect(_survey);

    [Benchmark]
    public int Pii() => Detect(_pii);

    [Benchmark]
    public int PrivateKey() => Detect(_credentials);

    /// <summary>Only the document-genre facts (shared by the detectors through one input).</summary>
    [Benchmark]
    public bool GenreCues() => new DetectionInput(_normalized, _ruleset.Genres).Genre.IsDiscussion;

    [Benchmark]
    public int AllDetectors() => DetectAll(_ruleset, _normalized);

    [Benchmark]
    public int NormalizeThenAllDetectors() => DetectAll(_ruleset, _ruleset.Normalizer.Normalize(_segments));
}
