using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;

namespace SecScan.Core.Evaluation;

/// <summary>What the harness needs from a scanner: a decision, the rules that fired, and why.</summary>
public sealed record ScanOutcome(Decision Decision, IReadOnlyList<string> Rules, IReadOnlyList<string> Reasons);

/// <summary>A scanner the harness can evaluate: the engine, or a baseline to compare it with.</summary>
public interface IEvaluationScanner
{
    string Name { get; }

    /// <summary>Scans one file; never throws for bad input.</summary>
    ScanOutcome Scan(string path, CancellationToken cancellationToken);
}

/// <summary>The real engine on a channel: the decision and reasons of its verdict.</summary>
public sealed class EngineScanner(ScanEngine engine, string channel = Channels.Publish) : IEvaluationScanner
{
    public string Name => "secscan";

    public ScanOutcome Scan(string path, CancellationToken cancellationToken)
    {
        var v = engine.Scan(ScanSource.FromFile(path, channel), cancellationToken);
        var rules = v.Findings.Where(f => engine.Ruleset.Policy.DecisionFor(channel, f) > Decision.Allow)
            .Select(f => f.Rule).Distinct(StringComparer.Ordinal).ToList();
        return new ScanOutcome(v.Decision, rules, v.Reasons);
    }
}

/// <summary>
/// The naive baseline: block on any occurrence of a keyword (绝密, 机密, 秘密, 内部, 坐标) in the
/// extracted text, allow otherwise. Reads files through the same extractors as the engine, so the
/// comparison is about detection, not about reading formats.
/// </summary>
public sealed class NaiveKeywordScanner(IDocumentExtractor extractor, ScanLimits limits) : IEvaluationScanner
{
    public static readonly IReadOnlyList<string> Keywords = ["绝密", "机密", "秘密", "内部", "坐标"];

    public string Name => "naive";

    public ScanOutcome Scan(string path, CancellationToken cancellationToken)
    {
        var doc = extractor.Extract(ScanSource.FromFile(path), limits, cancellationToken);
        foreach (var segment in doc.AllSegments())
            foreach (var k in Keywords)
                if (segment.Text.Contains(k, StringComparison.Ordinal))
                    return new ScanOutcome(Decision.Block, ["naive-keyword"], [$"block: keyword {k} at {segment.Location}"]);
        return new ScanOutcome(Decision.Allow, [], []);
    }
}
