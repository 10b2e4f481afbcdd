using System.Diagnostics;
using System.Globalization;
using System.Text;
using SecScan.Core.Keywords;

namespace SecScan.Benchmarks.Keywords;

/// <summary>
/// <c>--keywords-count PHRASES TEXT [REPEAT]</c>, for <c>keywords-peers.sh</c>: builds the automaton from a
/// phrase file, scans the UTF-8 text file REPEAT times (the fastest is reported) and prints build time,
/// managed memory, matches (the Hyperscan count) and lines with a match (the <c>grep -c</c> / <c>rg -c</c> count).
/// The rate is UTF-8 bytes of the file per second of scanning the decoded text.
/// </summary>
internal static class KeywordCount
{
    public static int Run(string phrasesPath, string textPath, int repeat)
    {
        // SECSCAN_KEYWORD_LAYOUT=Anchored|AhoCorasick forces a layout, to compare them on one library.
        var layout = Enum.TryParse<KeywordLayout>(Environment.GetEnvironmentVariable("SECSCAN_KEYWORD_LAYOUT"), out var l) ? l : KeywordLayout.Auto;
        var inv = CultureInfo.InvariantCulture;
        var phrases = File.ReadAllLines(phrasesPath, Encoding.UTF8).Where(l => l.Length > 0).ToList();
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var automaton = KeywordAutomaton.Build(phrases, layout);
        double buildS = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        long peakish = GC.GetGCMemoryInfo().PromotedBytes;
        phrases = null;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        _ = peakish;

        long bytes = new FileInfo(textPath).Length;
        var decode = Stopwatch.StartNew();
        var text = File.ReadAllText(textPath, Encoding.UTF8);
        double decodeS = decode.Elapsed.TotalSeconds;
        var (best, matches) = Fastest(repeat, () => automaton.Count(text));
        var (filterS, candidates) = Fastest(repeat, () => automaton.CountCandidates(text));
        var lines = new LineSink(text);
        automaton.Scan(text, ref lines);
        var skeleton = Stopwatch.StartNew();
        var view = SkeletonView.Create(text, System.Buffers.SearchValues.Create("*.·•・‧-_~|/\\+#@^=`※"), 3);
        double skeletonS = skeleton.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(inv,
            $"CS build_s={buildS:0.000} alloc_mb={allocated / 1e6:0.0} retained_mb={retained / 1e6:0.0} automaton_mb={automaton.MemoryBytes / 1e6:0.0} states={automaton.StateCount} symbols={automaton.AlphabetSize} layout={automaton.Layout} candidates={candidates} filter_s={(candidates == 0 ? 0 : filterS):0.000} scan_s={best:0.000} rate_mbs={bytes / 1e6 / best:0.0} bytes={bytes} matches={matches} lines={lines.Lines} decode_s={decodeS:0.000} skeleton_s={skeletonS:0.000} skeleton_removed={view.Removed}"));
        GC.KeepAlive(automaton);
        return 0;
    }

    /// <summary>The fastest of <paramref name="repeat"/> runs (at least one), in seconds, and what the last returned.</summary>
    private static (double Seconds, long Result) Fastest(int repeat, Func<long> run)
    {
        double best = double.MaxValue;
        long result = 0;
        for (int r = 0; r < Math.Max(1, repeat); r++)
        {
            var t = Stopwatch.StartNew();
            result = run();
            best = Math.Min(best, t.Elapsed.TotalSeconds);
        }
        return (best, result);
    }

    /// <summary>Counts lines holding at least one match, as <c>grep -c</c> does.</summary>
    private struct LineSink(string text) : IMatchSink
    {
        private int _lineEnd = -1;
        public long Lines;

        public void OnMatch(int pattern, int end)
        {
            if (end <= _lineEnd) return;
            Lines++;
            int nl = text.IndexOf('\n', end - 1);
            _lineEnd = nl < 0 ? text.Length : nl;
        }
    }
}
