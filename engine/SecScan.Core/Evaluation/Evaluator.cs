using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecScan.Core.Findings;
using SecScan.Core.Policy;

namespace SecScan.Core.Evaluation;

/// <summary>One document's expected and actual decision.</summary>
public sealed record EvaluatedDocument(LabelledDocument Label, ScanOutcome Outcome)
{
    public bool Agrees => Label.Expected == Outcome.Decision;

    /// <summary>Expected rules that did not fire at review or stricter.</summary>
    public IReadOnlyList<string> MissedRules => [.. Label.Rules.Where(r => !Outcome.Rules.Contains(r, StringComparer.Ordinal))];
}

/// <summary>Precision and recall of "held" (review or block) within one category; null where undefined.</summary>
public sealed record CategoryMetrics(string Category, int Documents, int Exact, int ExpectedHeld, int Held, int HeldCorrectly, double? Precision, double? Recall);

/// <summary>The figures of one split (tune or holdout). <c>Confusion[expected][got]</c> is indexed allow=0, review=1, block=2.</summary>
public sealed record SplitReport(
    string Split,
    int Documents,
    int Exact,
    int[][] Confusion,
    int PublicDocuments,
    int FalseBlocks,
    double? FalseBlockRate,
    int MustBlock,
    int MissedBlocks,
    double? MissedBlockRate,
    int MarkedAllowed,
    int ExpectedRules,
    int MissedRules,
    IReadOnlyList<CategoryMetrics> Categories,
    IReadOnlyList<Disagreement> Disagreements);

/// <summary>A document whose decision differs from its label, with the verdict's explanation.</summary>
public sealed record Disagreement(string File, string Category, string Expected, string Got, IReadOnlyList<string> MissedRules, IReadOnlyList<string> Reasons);

/// <summary>The whole evaluation: the scanner and one report per split.</summary>
public sealed record EvaluationReport(string Scanner, string Corpus, IReadOnlyList<SplitReport> Splits);

/// <summary>
/// The evaluation harness behind <c>secscan eval</c>: scans every labelled document of a corpus with a
/// scanner and reports, per split, the confusion matrix, false-block and missed-block rates, precision
/// and recall of holding per category, and every disagreement with its explanation. A file that fails
/// to scan is an <c>error</c> outcome (review), never the end of the run.
/// </summary>
public static class Evaluator
{
    public static readonly string[] Splits = ["tune", "holdout"];

    public static EvaluationReport Run(string directory, IEvaluationScanner scanner, CancellationToken cancellationToken = default)
    {
        var labels = LabelledCorpus.Read(directory);
        var results = new List<EvaluatedDocument>(labels.Count);
        foreach (var label in labels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, label.File);
            ScanOutcome outcome;
            if (!File.Exists(path)) outcome = new ScanOutcome(Decision.Review, [], ["review: labelled file is missing"]);
            else
            {
                try
                {
                    outcome = scanner.Scan(path, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    outcome = new ScanOutcome(Decision.Review, [], [$"review: scanner failed ({ex.GetType().Name})"]);
                }
            }
            results.Add(new EvaluatedDocument(label, outcome));
        }
        return Summarize(scanner.Name, directory, results);
    }

    public static EvaluationReport Summarize(string scanner, string corpus, IReadOnlyList<EvaluatedDocument> results)
    {
        var splits = new List<SplitReport>();
        foreach (var split in Splits)
        {
            var docs = results.Where(r => r.Label.Split == split).ToList();
            if (docs.Count > 0) splits.Add(SummarizeSplit(split, docs));
        }
        return new EvaluationReport(scanner, corpus, splits);
    }

    private static SplitReport SummarizeSplit(string split, List<EvaluatedDocument> docs)
    {
        var confusion = new int[3][];
        for (int i = 0; i < 3; i++) confusion[i] = new int[3];
        foreach (var d in docs) confusion[(int)d.Label.Expected][(int)d.Outcome.Decision]++;
        int publicDocs = docs.Count(d => d.Label.Expected == Decision.Allow);
        int falseBlocks = docs.Count(d => d.Label.Expected == Decision.Allow && d.Outcome.Decision == Decision.Block);
        int mustBlock = docs.Count(d => d.Label.Expected == Decision.Block);
        int missedBlocks = docs.Count(d => d.Label.Expected == Decision.Block && d.Outcome.Decision != Decision.Block);
        int markedAllowed = docs.Count(d => d.Label.Expected > Decision.Allow && d.Outcome.Decision == Decision.Allow);
        var categories = docs.GroupBy(d => d.Label.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            int expectedHeld = g.Count(d => d.Label.Expected > Decision.Allow);
            int held = g.Count(d => d.Outcome.Decision > Decision.Allow);
            int both = g.Count(d => d.Label.Expected > Decision.Allow && d.Outcome.Decision > Decision.Allow);
            return new CategoryMetrics(g.Key, g.Count(), g.Count(d => d.Agrees), expectedHeld, held, both,
                held == 0 ? null : (double)both / held, expectedHeld == 0 ? null : (double)both / expectedHeld);
        }).ToList();
        var disagreements = docs.Where(d => !d.Agrees || d.MissedRules.Count > 0)
            .Select(d => new Disagreement(d.Label.File, d.Label.Category, VerdictPolicy.Name(d.Label.Expected), VerdictPolicy.Name(d.Outcome.Decision),
                d.MissedRules, d.Outcome.Reasons.Take(3).ToList()))
            .ToList();
        return new SplitReport(split, docs.Count, docs.Count(d => d.Agrees), confusion,
            publicDocs, falseBlocks, publicDocs == 0 ? null : (double)falseBlocks / publicDocs,
            mustBlock, missedBlocks, mustBlock == 0 ? null : (double)missedBlocks / mustBlock,
            markedAllowed, docs.Sum(d => d.Label.Rules.Count), docs.Sum(d => d.MissedRules.Count), categories, disagreements);
    }
}

/// <summary>Writes an <see cref="EvaluationReport"/> as text (for people and RESULTS.md) or JSON.</summary>
public static class EvaluationReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteJson(EvaluationReport report, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(report, Json));

    public static void WriteText(EvaluationReport report, TextWriter output, bool disagreements = true)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Evaluation of {report.Scanner} on {report.Corpus}"));
        foreach (var s in report.Splits)
        {
            output.WriteLine();
            output.WriteLine(string.Create(inv, $"== {s.Split}: {s.Documents} documents, {s.Exact} exact ({Pct(s.Exact, s.Documents)}) =="));
            output.WriteLine("confusion (rows: expected, columns: got)");
            output.WriteLine("| expected \\ got | allow | review | block |");
            output.WriteLine("|---|---:|---:|---:|");
            string[] names = ["allow", "review", "block"];
            for (int i = 0; i < 3; i++)
                output.WriteLine(string.Create(inv, $"| {names[i]} | {s.Confusion[i][0]} | {s.Confusion[i][1]} | {s.Confusion[i][2]} |"));
            output.WriteLine(string.Create(inv, $"false-block rate (public documents blocked): {s.FalseBlocks}/{s.PublicDocuments} = {Rate(s.FalseBlockRate)}"));
            output.WriteLine(string.Create(inv, $"missed-block rate (must-block documents not blocked): {s.MissedBlocks}/{s.MustBlock} = {Rate(s.MissedBlockRate)}"));
            output.WriteLine(string.Create(inv, $"held documents allowed (expected review or block, got allow): {s.MarkedAllowed}"));
            if (s.ExpectedRules > 0) output.WriteLine(string.Create(inv, $"expected rules not fired: {s.MissedRules}/{s.ExpectedRules}"));
            output.WriteLine("| category | docs | exact | precision (held) | recall (held) |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var c in s.Categories)
                output.WriteLine(string.Create(inv, $"| {c.Category} | {c.Documents} | {c.Exact} | {Rate(c.Precision)} | {Rate(c.Recall)} |"));
            if (!disagreements || s.Disagreements.Count == 0) continue;
            output.WriteLine(string.Create(inv, $"disagreements ({s.Disagreements.Count}):"));
            foreach (var d in s.Disagreements)
            {
                var missed = d.MissedRules.Count > 0 ? $" (rules not fired: {string.Join(", ", d.MissedRules)})" : "";
                output.WriteLine($"  {d.File} [{d.Category}] expected {d.Expected}, got {d.Got}{missed}");
                if (d.Reasons.Count == 0) output.WriteLine("      no finding");
                foreach (var r in d.Reasons) output.WriteLine("      " + r);
            }
        }
    }

    private static string Pct(int n, int of) => of == 0 ? "n/a" : ((double)n / of).ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Rate(double? r) => r is { } v ? v.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a";
}
