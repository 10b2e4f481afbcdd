using System.Diagnostics;
using System.Globalization;
using SecScan.Core.Documents;
using SecScan.Extraction;

namespace SecScan.Benchmarks;

/// <summary>
/// The Stopwatch mode that run-peers.sh compares with native tools: one warm-up pass over a folder
/// (JIT, caches), or passes for <c>--warmup S</c> seconds, then whole passes until the time budget is spent; prints one parseable line
/// <c>RATE kind units/s units passes seconds</c>. Reads files from disk as the native tools do.
/// </summary>
internal static class RateLoop
{
    /// <summary>Exit code when the extractor read no text (e.g. a placeholder): nothing was measured.</summary>
    public const int NotMeasured = 3;

    /// <remarks>
    /// <c>warmupSeconds</c>: extra untimed passes for this long after the first. Tiered JIT with PGO takes ~10 s of a
    /// pinned core to reach steady-state code on the PDF path, so a short run after one pass measures the JIT as much
    /// as the extractor.
    /// </remarks>
    public static int Run(string kind, string directory, double budgetSeconds, string? pattern = null, double warmupSeconds = 0)
    {
        var (defaultPattern, unit) = kind switch
        {
            "pdf" => ("*.pdf", "pages"),
            "docx" => ("*.docx", "files"),
            _ => throw new ArgumentException($"unknown kind {kind}", nameof(kind)),
        };
        pattern ??= defaultPattern;
        var files = BenchData.Files(directory, pattern);
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"no {pattern} in {directory}");
            return 2;
        }
        double unitsPerPass = kind == "pdf" ? BenchData.PdfPages(files) : files.Length;
        var extractor = DocumentExtractor.CreateDefault();

        long chars;
        try
        {
            chars = Pass(extractor, files, check: true);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"NOT MEASURED: {ex.Message}");
            return NotMeasured;
        }

        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < warmupSeconds) Pass(extractor, files, check: false);

        int passes = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            Pass(extractor, files, check: false);
            passes++;
        }
        while (clock.Elapsed.TotalSeconds < budgetSeconds || passes < 3);
        double seconds = clock.Elapsed.TotalSeconds;
        var rate = unitsPerPass * passes / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} files, {unitsPerPass} {unit}, {chars:N0} characters of text per pass"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RATE {kind} {rate:F1} {unit}/s {unitsPerPass * passes} {passes} {seconds:F3}"));
        return 0;
    }

    private static long Pass(DocumentExtractor extractor, string[] files, bool check)
    {
        long chars = 0;
        foreach (var f in files)
        {
            var doc = extractor.Extract(ScanSource.FromFile(f), ScanLimits.Default, CancellationToken.None);
            if (check) CheckReadable(doc, Path.GetFileName(f));
            foreach (var s in doc.Segments) chars += s.Text.Length;
        }
        return chars;
    }

    /// <summary>Throws unless the document yielded body text and no note says part of it was not read.</summary>
    /// <exception cref="InvalidOperationException">Nothing, or not everything, was read.</exception>
    public static void CheckReadable(ExtractedDocument doc, string name)
    {
        var unread = doc.Coverage.FirstOrDefault(c => c.Kind is CoverageKind.Unsupported or CoverageKind.Corrupt
            or CoverageKind.Error or CoverageKind.Garbled or CoverageKind.TimedOut or CoverageKind.Encrypted);
        if (unread is not null) throw new InvalidOperationException($"{name}: {unread.Kind}: {unread.Message}");
        long body = doc.Segments.Where(s => s.Location.Part == SegmentPart.Body).Sum(s => (long)s.Text.Length);
        if (body < 1000) throw new InvalidOperationException($"{name}: only {body} characters of body text");
    }
}
