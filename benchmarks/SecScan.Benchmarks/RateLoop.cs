using System.Diagnostics;
using System.Globalization;
using SecScan.Core.Documents;
using SecScan.Extraction;

namespace SecScan.Benchmarks;

/// <summary>
/// The Stopwatch mode that run-peers.sh compares with native tools: one pass over a folder (JIT, caches) and, with
/// <c>--warmup S</c>, passes for at least S seconds and until the JIT is idle (<see cref="WarmUp"/>), then whole passes
/// until the time budget is spent; prints one parseable line
/// <c>RATE kind units/s units passes seconds</c>. Reads files from disk as the native tools do.
/// </summary>
internal static class RateLoop
{
    /// <summary>Exit code when the extractor read no text (e.g. a placeholder): nothing was measured.</summary>
    public const int NotMeasured = 3;

    /// <remarks>
    /// <c>warmupSeconds</c>: 0 times the passes right after the first (a fresh process: what one <c>secscan check</c>
    /// sees); more runs untimed passes for at least this long and until the JIT is idle (what a bulk scan runs on).
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

        var (warmedFor, steady) = warmupSeconds > 0 ? WarmUp(() => Pass(extractor, files, check: false), warmupSeconds) : (0, false);
        if (warmupSeconds > 0)
            Console.WriteLine(steady
                ? string.Create(CultureInfo.InvariantCulture, $"warm-up {warmedFor:F0} s: no method compiled in the last {JitIdleSeconds:F0} s")
                : string.Create(CultureInfo.InvariantCulture, $"warm-up stopped at {warmedFor:F0} s, methods still being compiled: NOT STEADY"));

        int passes = 0;
        int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var pauseBefore = GC.GetTotalPauseDuration();
        long jittedBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
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
            $"GC per pass: gen0 {(GC.CollectionCount(0) - gcBefore[0]) / (double)passes:F1}, gen1 {(GC.CollectionCount(1) - gcBefore[1]) / (double)passes:F2}, gen2 {(GC.CollectionCount(2) - gcBefore[2]) / (double)passes:F2}; paused {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / seconds / 10:F1} % of the time; {System.Runtime.JitInfo.GetCompiledMethodCount() - jittedBefore} methods compiled while timed"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RATE {kind} {rate:F1} {unit}/s {unitsPerPass * passes} {passes} {seconds:F3}"));
        return 0;
    }

    /// <summary>How long the JIT must have compiled nothing before the timed passes start.</summary>
    public const double JitIdleSeconds = 3;

    /// <summary>The longest warm-up: a run still compiling after this reports itself not steady.</summary>
    public const double MaxWarmupSeconds = 180;

    /// <summary>
    /// Runs <paramref name="pass"/> for at least <paramref name="minSeconds"/>, then until no method has been compiled
    /// for <see cref="JitIdleSeconds"/> (at most <see cref="MaxWarmupSeconds"/>). Returns the seconds spent and whether
    /// the JIT went idle.
    /// </summary>
    /// <remarks>
    /// A fixed warm-up is not enough for a process pinned to one core: the runtime sees one processor and multiplies
    /// its tiering delay by ten (TC_DelaySingleProcMultiplier), so methods reach their final tier only after 30–50 s of
    /// DOCX passes; until then PGO-instrumented code (with its counting helpers, ~15 % of the samples) runs. Measured
    /// 2026-11-27: 1,243–1,632 files/s after 10 s, 2,078–2,175 after 50 s, same files, same build.
    /// </remarks>
    public static (double Seconds, bool Steady) WarmUp(Action pass, double minSeconds)
    {
        var clock = Stopwatch.StartNew();
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        double lastCompile = 0;
        while (true)
        {
            pass();
            double now = clock.Elapsed.TotalSeconds;
            long count = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                compiled = count;
                lastCompile = now;
            }
            if (now >= minSeconds && now - lastCompile >= JitIdleSeconds) return (now, true);
            if (now >= Math.Max(minSeconds, MaxWarmupSeconds)) return (now, false);
        }
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
