using BenchmarkDotNet.Attributes;
using SecScan.Core.Keywords;

namespace SecScan.Benchmarks.Keywords;

/// <summary>
/// The keyword automaton alone: build from a library of 100, 10,000 or 1,000,000 phrases
/// (<c>benchmarks/data/phrases-*.txt</c>, made by <c>tools/make-keyword-data.py</c>) and count every match
/// over the corpus (~6.7 MB of UTF-8). The memory diagnoser shows the scan allocates nothing, whatever the
/// number of matches; Rate is MB/s of the UTF-8 file.
/// </summary>
[MemoryDiagnoser]
public class KeywordMatcherBenchmarks
{
    private string _text = null!;
    private List<string> _phrases = null!;
    private KeywordAutomaton _automaton = null!;

    [Params("100", "10k", "1m")]
    public string Library { get; set; } = "10k";

    /// <summary>UTF-8 bytes of the corpus: the unit of the Rate column.</summary>
    public static long CorpusBytes() => new FileInfo(BenchData.CorpusPath).Length;

    [GlobalSetup]
    public void Setup()
    {
        _text = File.ReadAllText(BenchData.CorpusPath);
        _phrases = [.. File.ReadAllLines(Path.Combine(BenchData.Dir, $"phrases-{Library}.txt")).Where(l => l.Length > 0)];
        _automaton = KeywordAutomaton.Build(_phrases);
        if (_automaton.Count(_text) == 0) throw new InvalidOperationException("no match in the corpus: a benchmark that finds nothing measures nothing");
    }

    [Benchmark]
    public long Count() => _automaton.Count(_text);
}

/// <summary>Building the automaton from each library (the Rate column does not apply).</summary>
[MemoryDiagnoser]
public class KeywordBuildBenchmarks
{
    private List<string> _phrases = null!;

    [Params("10k", "1m")]
    public string Library { get; set; } = "10k";

    [GlobalSetup]
    public void Setup() => _phrases = [.. File.ReadAllLines(Path.Combine(BenchData.Dir, $"phrases-{Library}.txt")).Where(l => l.Length > 0)];

    [Benchmark]
    public int Build() => KeywordAutomaton.Build(_phrases).StateCount;
}
