using System.CommandLine;
using System.Diagnostics;
using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Evaluation;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Core.Rulesets;
using SecScan.Extraction;

namespace SecScan.Cli;

/// <summary>
/// <c>secscan</c>: <c>check FILE</c>, <c>scan PATH...</c>, <c>rules test</c>, <c>rules stats</c>. Exit status is the worst
/// decision (0 allow, 1 review, 2 block), 64 for a usage error, 70 for an internal error.
/// </summary>
public static class CliApp
{
    private static readonly string[] Formats = ["json", "jsonl", "text"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var formatOption = new Option<string>("--format", "-f") { Description = "Output format: json, jsonl or text", DefaultValueFactory = _ => "json" };
        formatOption.AcceptOnlyFromAmong(Formats);
        var channelOption = new Option<string>("--channel", "-c") { Description = "Policy channel: publish, mail or audit", DefaultValueFactory = _ => Channels.Publish };
        var rulesetOption = new Option<string?>("--ruleset", "-r") { Description = "Ruleset directory (default: the bundled rulesets/default)" };
        var jobsOption = new Option<int>("--jobs", "-j") { Description = "Files scanned in parallel", DefaultValueFactory = _ => Environment.ProcessorCount };

        var fileArgument = new Argument<string>("FILE") { Description = "The file to check" };
        var check = new Command("check", "Check one file and print its verdict") { fileArgument, formatOption, channelOption, rulesetOption };
        check.SetAction(r => Guarded(stderr, () => Check(r.GetValue(fileArgument)!, r.GetValue(formatOption)!, r.GetValue(channelOption)!, r.GetValue(rulesetOption), stdout, stderr)));

        var pathsArgument = new Argument<string[]>("PATH") { Description = "Files and directories (scanned recursively)", Arity = ArgumentArity.OneOrMore };
        var scanFormat = new Option<string>("--format", "-f") { Description = "Output format: json, jsonl or text", DefaultValueFactory = _ => "jsonl" };
        scanFormat.AcceptOnlyFromAmong(Formats);
        var scan = new Command("scan", "Scan files and directories; one verdict per file, a failing file never stops the scan")
            { pathsArgument, scanFormat, channelOption, rulesetOption, jobsOption };
        scan.SetAction(r => Guarded(stderr, () => Scan(r.GetValue(pathsArgument)!, r.GetValue(scanFormat)!, r.GetValue(channelOption)!, r.GetValue(rulesetOption), Math.Max(1, r.GetValue(jobsOption)), stdout, stderr)));

        var rulesTest = new Command("test", "Run every match/no_match example of the ruleset") { rulesetOption };
        rulesTest.SetAction(r => Guarded(stderr, () => RulesTest(r.GetValue(rulesetOption), stdout, stderr)));
        var rulesStats = new Command("stats", "Show the ruleset's keyword library: phrases per category, automaton size, build time and memory") { rulesetOption };
        rulesStats.SetAction(r => Guarded(stderr, () => RulesStats(r.GetValue(rulesetOption), stdout, stderr)));
        var rules = new Command("rules", "Work with rulesets") { rulesTest, rulesStats };

        var eval = EvalCommand(rulesetOption, channelOption, stdout, stderr);

        var root = new RootCommand("SecScan: may this be published? Scans files for secrecy markings and returns block, review or allow.")
            { check, scan, rules, eval };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"secscan: {e.Message}");
            stderr.WriteLine("Try 'secscan --help'.");
            return Task.FromResult(ExitCodes.Usage);
        }
        return parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary><c>secscan eval DIR [--format text|json] [--baseline naive]</c>: the evaluation harness on a labelled corpus.</summary>
    private static Command EvalCommand(Option<string?> rulesetOption, Option<string> channelOption, TextWriter stdout, TextWriter stderr)
    {
        var dirArgument = new Argument<string>("DIR") { Description = "A labelled corpus: DIR/labels.tsv (file, expected, category, split, rules)" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var baseline = new Option<string?>("--baseline") { Description = "Evaluate a baseline instead of the engine: naive (block on 绝密/机密/秘密/内部/坐标)" };
        baseline.AcceptOnlyFromAmong("naive");
        var command = new Command("eval", "Evaluate the engine (or a baseline) on a labelled corpus: confusion matrix, false-block and missed-block rates per split")
            { dirArgument, format, baseline, rulesetOption, channelOption };
        command.SetAction(r => Guarded(stderr, () => Eval(r.GetValue(dirArgument)!, r.GetValue(format)!, r.GetValue(baseline), r.GetValue(rulesetOption), r.GetValue(channelOption)!, stdout, stderr)));
        return command;
    }

    private static int Eval(string dir, string format, string? baseline, string? rulesetDir, string channel, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(Path.Combine(dir, LabelledCorpus.LabelsFile))) return Usage(stderr, $"no {LabelledCorpus.LabelsFile} in {dir}");
        IEvaluationScanner scanner;
        if (baseline == "naive") scanner = new NaiveKeywordScanner(DocumentExtractor.CreateDefault(), ScanLimits.Default);
        else
        {
            var engine = CreateEngine(rulesetDir, channel, stderr);
            if (engine is null) return ExitCodes.Usage;
            scanner = new EngineScanner(engine, channel);
        }
        EvaluationReport report;
        try
        {
            report = Evaluator.Run(dir, scanner);
        }
        catch (FormatException ex)
        {
            return Usage(stderr, ex.Message);
        }
        if (format == "json") EvaluationReportWriter.WriteJson(report, stdout);
        else EvaluationReportWriter.WriteText(report, stdout);
        return 0;
    }

    private static int Check(string file, string format, string channel, string? rulesetDir, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file)) return Usage(stderr, $"no such file: {file}");
        var engine = CreateEngine(rulesetDir, channel, stderr);
        if (engine is null) return ExitCodes.Usage;
        var verdict = engine.Scan(ScanSource.FromFile(file, channel));
        var writer = VerdictWriter.Create(format, stdout, single: true);
        writer.Begin();
        writer.Write(verdict);
        writer.End();
        return ExitCodes.For(verdict.Decision);
    }

    private static int Scan(string[] paths, string format, string channel, string? rulesetDir, int jobs, TextWriter stdout, TextWriter stderr)
    {
        bool missing = false;
        foreach (var p in paths.Where(p => !File.Exists(p) && !Directory.Exists(p)))
        {
            stderr.WriteLine($"secscan: no such file or directory: {p}");
            missing = true;
        }
        var engine = CreateEngine(rulesetDir, channel, stderr);
        if (engine is null) return ExitCodes.Usage;

        var files = Enumerate(paths, stderr);
        var writer = VerdictWriter.Create(format, stdout, single: false);
        var counts = new int[3];
        var clock = Stopwatch.StartNew();
        writer.Begin();
        // Ordered output, parallel work: results appear in path order as soon as their turn comes.
        foreach (var verdict in files.AsParallel().AsOrdered().WithDegreeOfParallelism(jobs).Select(f => ScanOne(engine, f, channel)))
        {
            writer.Write(verdict);
            counts[(int)verdict.Decision]++;
        }
        writer.End();
        stderr.WriteLine($"secscan: {counts.Sum()} files in {clock.Elapsed.TotalSeconds:0.0} s: {counts[2]} block, {counts[1]} review, {counts[0]} allow");
        int worst = counts[2] > 0 ? ExitCodes.Block : counts[1] > 0 ? ExitCodes.Review : ExitCodes.Allow;
        return missing ? ExitCodes.Usage : worst;
    }

    /// <summary>One file's verdict. The engine does not throw for bad input; this guard keeps even a bug from ending the scan.</summary>
    private static Verdict ScanOne(ScanEngine engine, string file, string channel)
    {
        try
        {
            return engine.Scan(ScanSource.FromFile(file, channel));
        }
        catch (Exception ex)
        {
            var note = new CoverageNote(CoverageKind.Error, $"internal error: {SafeText.Of(ex)}", new Location { Container = Path.GetFileName(file) });
            return engine.Evaluate(ExtractedDocument.Unreadable("application/octet-stream", note), file, channel, 0, "");
        }
    }

    private static int RulesTest(string? rulesetDir, TextWriter stdout, TextWriter stderr)
    {
        var engine = CreateEngine(rulesetDir, Channels.Publish, stderr);
        if (engine is null) return ExitCodes.Usage;
        int passed = 0, failed = 0;
        foreach (var r in RuleExampleRunner.RunAll(engine))
        {
            if (r.Passed) { passed++; continue; }
            failed++;
            stdout.WriteLine($"FAIL {r.Example.Rule} {(r.Example.ShouldMatch ? "match" : "no_match")}: {r.Example.Text.Replace("\n", "⏎", StringComparison.Ordinal)}");
            stdout.WriteLine($"     {r.Detail}");
        }
        stdout.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static int RulesStats(string? rulesetDir, TextWriter stdout, TextWriter stderr)
    {
        var dir = rulesetDir ?? RulesetLocator.Default();
        Ruleset ruleset;
        try
        {
            ruleset = Ruleset.Load(dir);
        }
        catch (RulesetException ex)
        {
            stderr.WriteLine($"secscan: ruleset error: {ex.Message}");
            return ExitCodes.Usage;
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var compiled = ruleset.Compile();
        double compileMs = clock.Elapsed.TotalMilliseconds;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        stdout.WriteLine(string.Create(inv, $"ruleset {compiled.Info.Name} {compiled.Info.Version}: compiled in {compileMs:0} ms, {retained / 1048576.0:0.0} MiB retained"));
        var keywords = compiled.Detectors.OfType<Core.Keywords.KeywordDetector>().FirstOrDefault();
        if (keywords is null)
        {
            stdout.WriteLine("no keyword library (keywords.yaml)");
            GC.KeepAlive(compiled);
            return 0;
        }
        var st = keywords.Stats;
        stdout.WriteLine("category  phrases  name");
        foreach (var (id, name, count) in st.Categories) stdout.WriteLine(string.Create(inv, $"{id,-8}  {count,7}  {name}"));
        stdout.WriteLine(string.Create(inv, $"rules     {ruleset.Keywords!.Config.Rules.Count,7}  ({ruleset.Keywords.Config.Rules.Sum(r => r.Phrases.Count)} phrases)"));
        stdout.WriteLine(string.Create(inv, $"phrases: {st.Phrases} written, {st.Patterns} distinct patterns after normalization (exceptions and cues included)"));
        stdout.WriteLine(string.Create(inv, $"automaton: {st.States} states, {st.Alphabet} symbols, {st.Layout} scan, {st.AutomatonBytes / 1048576.0:0.00} MiB"));
        stdout.WriteLine(string.Create(inv, $"keyword build: {st.BuildMilliseconds:0} ms (automaton {st.AutomatonMilliseconds:0} ms), {st.AllocatedBytes / 1048576.0:0.0} MiB allocated"));
        stdout.WriteLine(string.Create(inv, $"word boundaries: {st.WordBoundaryPhrases} phrases added to jieba in {st.WordBoundaryMilliseconds:0} ms (its dictionary loads once per process)"));
        GC.KeepAlive(compiled);
        return 0;
    }

    private static ScanEngine? CreateEngine(string? rulesetDir, string channel, TextWriter stderr)
    {
        try
        {
            var compiled = Ruleset.Load(rulesetDir ?? RulesetLocator.Default()).Compile();
            if (!compiled.Policy.HasChannel(channel))
            {
                stderr.WriteLine($"secscan: unknown channel '{channel}'; the ruleset has: {string.Join(", ", compiled.Policy.ChannelNames)}");
                return null;
            }
            return new ScanEngine(compiled, DocumentExtractor.CreateDefault());
        }
        catch (RulesetException ex)
        {
            stderr.WriteLine($"secscan: ruleset error: {ex.Message}");
            return null;
        }
    }

    /// <summary>Files under the paths, in ordinal order, without following links into loops.</summary>
    private static List<string> Enumerate(string[] paths, TextWriter stderr)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (File.Exists(p)) files.Add(p);
            else if (Directory.Exists(p))
            {
                var found = Directory.EnumerateFiles(p, "*", options).ToList();
                found.Sort(StringComparer.Ordinal);
                files.AddRange(found);
            }
        }
        if (files.Count == 0) stderr.WriteLine("secscan: no files to scan");
        return files;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine($"secscan: {message}");
        return ExitCodes.Usage;
    }

    private static int Guarded(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"secscan: internal error: {ex}");
            return ExitCodes.Internal;
        }
    }
}
