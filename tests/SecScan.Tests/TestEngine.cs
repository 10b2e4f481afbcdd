using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Findings;
using SecScan.Core.Rulesets;
using SecScan.Extraction;

namespace SecScan.Tests;

/// <summary>The default ruleset compiled once, and an engine over it, shared by all tests (as in production).</summary>
public static class TestEngine
{
    private static readonly Lazy<ScanEngine> Instance = new(() =>
        new ScanEngine(Ruleset.Load(RulesetLocator.Default()).Compile(), DocumentExtractor.CreateDefault()));

    public static ScanEngine Shared => Instance.Value;

    /// <summary>Scans text as a document whose lines are paragraphs of the given part (one segment each).</summary>
    public static Verdict ScanText(string text, SegmentPart part = SegmentPart.Body, string channel = Channels.Publish) =>
        RuleExampleRunner.ScanText(Shared, text, part, channel);

    /// <summary>Scans a file's bytes through the whole pipeline, sniffing included.</summary>
    public static Verdict ScanBytes(string name, byte[] bytes, string channel = Channels.Publish) =>
        Shared.Scan(ScanSource.FromBytes(name, name, bytes, channel));

    public static Verdict ScanFile(string path, string channel = Channels.Publish) =>
        Shared.Scan(ScanSource.FromFile(path, channel));

    /// <summary>The strictest decision any finding of <paramref name="rule"/> asks for.</summary>
    public static Decision RuleDecision(Verdict v, string rule) =>
        v.Findings.Where(f => f.Rule == rule).Select(f => Shared.Ruleset.Policy.DecisionFor(v.Channel, f)).DefaultIfEmpty(Decision.Allow).Max();

    /// <summary>All findings, one per line, for assertion messages.</summary>
    public static string Explain(Verdict v) =>
        string.Join("\n", v.Findings.Select(f => $"{f.Rule} {f.Confidence:0.00} @ {f.Location}: {f.Explanation}")
            .Concat(v.Coverage.Notes.Select(n => $"coverage {n.Kind}: {n.Message}")));
}
