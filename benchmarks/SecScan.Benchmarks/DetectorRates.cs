using System.Diagnostics;
using System.Globalization;
using SecScan.Core.Detection;
using SecScan.Core.Findings;

namespace SecScan.Benchmarks;

/// <summary>
/// Quick Stopwatch mode (<c>--detector-rates [--seconds S]</c>): the rows of <see cref="DetectorBenchmarks"/>
/// without BenchmarkDotNet. Per row, one warm-up pass over the corpus, then whole passes for at least S
/// seconds (3 by default) and at least 3 passes; prints a Markdown table of MB/s (mean and best pass).
/// The "result" column is the number of findings (normalized characters for normalization alone, 1 if
/// the corpus reads as a discussion for the genre cues), to show that each row did its work.
/// </summary>
internal static class DetectorRates
{
    public static int Run(double budgetSeconds)
    {
        var ruleset = BenchData.Ruleset;
        var segments = BenchData.CorpusSegments();
        double megabytes = new FileInfo(BenchData.CorpusPath).Length / 1e6;
        var normalized = ruleset.Normalizer.Normalize(segments);

        var rows = new List<(string Name, Func<int> Pass)>();
        foreach (var detector in ruleset.Detectors)
        {
            var d = detector;
            rows.Add(($"{d.Id} alone", () =>
            {
                var findings = new List<Finding>();
                d.Detect(new DetectionInput(normalized, ruleset.Genres), findings);
                return findings.Count;
            }));
        }
        rows.Add(("genre cues alone", () => new DetectionInput(normalized, ruleset.Genres).Genre.IsDiscussion ? 1 : 0));
        rows.Add(("all detectors (normalization excluded)", () => All(normalized)));
        rows.Add(("normalization alone", () => ruleset.Normalizer.Normalize(segments).Text.Length));
        rows.Add(("normalization + all detectors", () => All(ruleset.Normalizer.Normalize(segments))));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"corpus: {megabytes:F2} MB of UTF-8, {segments.Count:N0} segments; at least {budgetSeconds:F0} s per row after one warm-up pass"));
        Console.WriteLine();
        Console.WriteLine("| what | result | passes | mean ms | MB/s (mean) | best ms | MB/s (best) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        // result: findings; for normalization alone, normalized characters; for the genre cues, 1 if the corpus reads as a discussion.
        foreach (var (name, pass) in rows)
        {
            int found = pass(); // warm-up: JIT, tiering, lazy tables
            int passes = 0;
            double best = double.MaxValue;
            var total = Stopwatch.StartNew();
            do
            {
                long t0 = Stopwatch.GetTimestamp();
                pass();
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
                passes++;
            }
            while (total.Elapsed.TotalSeconds < budgetSeconds || passes < 3);
            double mean = total.Elapsed.TotalSeconds / passes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {found:N0} | {passes} | {mean * 1e3:F1} | {megabytes / mean:F1} | {best * 1e3:F1} | {megabytes / best:F1} |"));
        }
        return 0;

        int All(SecScan.Core.Text.NormalizedText text)
        {
            var findings = new List<Finding>();
            var input = new DetectionInput(text, ruleset.Genres);
            foreach (var detector in ruleset.Detectors) detector.Detect(input, findings);
            return findings.Count;
        }
    }
}
