using SecScan.Core.Documents;
using SecScan.Core.Markings;
using SecScan.Core.Rulesets;
using UglyToad.PdfPig;

namespace SecScan.Benchmarks;

/// <summary>
/// The inputs made by <c>benchmarks/make-bench-data.sh</c> and the default ruleset, found the same way
/// from the host process and from BenchmarkDotNet's child processes.
/// </summary>
internal static class BenchData
{
    /// <summary>Overrides where the data folder is (the scripts set it; the child processes inherit it).</summary>
    public const string DirVariable = "SECSCAN_BENCH_DATA";

    private static readonly Lazy<CompiledRuleset> s_ruleset = new(() => SecScan.Core.Rulesets.Ruleset.Load(RulesetLocator.Default()).Compile());

    public static CompiledRuleset Ruleset => s_ruleset.Value;

    public static MarkingDetector Markings => Ruleset.Detectors.OfType<MarkingDetector>().Single();

    /// <summary>benchmarks/data: from <see cref="DirVariable"/>, else searched above the working directory and the program.</summary>
    /// <exception cref="DirectoryNotFoundException">The data has not been made.</exception>
    public static string Dir
    {
        get
        {
            var set = Environment.GetEnvironmentVariable(DirVariable);
            if (!string.IsNullOrEmpty(set)) return set;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "benchmarks", "data");
                    if (File.Exists(Path.Combine(candidate, "corpus.txt"))) return candidate;
                }
            throw new DirectoryNotFoundException($"benchmarks/data not found: run benchmarks/make-bench-data.sh, or set {DirVariable}");
        }
    }

    public static string CorpusPath => Path.Combine(Dir, "corpus.txt");

    /// <summary>The corpus as an extractor of plain text emits it: one segment per line.</summary>
    public static List<TextSegment> CorpusSegments()
    {
        var lines = File.ReadAllLines(CorpusPath);
        var segments = new List<TextSegment>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
            segments.Add(new TextSegment(lines[i], new Location { Container = "corpus.txt", Paragraph = i + 1 }));
        return segments;
    }

    public static string PdfDir => Path.Combine(Dir, "pdf");

    public static string DocxDir => Path.Combine(Dir, "docx");

    /// <summary>The files of a folder in ordinal order, so every run reads them in the same order.</summary>
    public static string[] Files(string directory, string pattern) =>
        [.. Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal)];

    public static int PdfPages(IEnumerable<string> paths)
    {
        int pages = 0;
        foreach (var path in paths)
        {
            using var doc = PdfDocument.Open(path);
            pages += doc.NumberOfPages;
        }
        return pages;
    }
}
