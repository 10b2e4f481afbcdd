using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Findings;

namespace SecScan.Core.Rulesets;

/// <summary>The outcome of checking one rule example.</summary>
public sealed record ExampleResult(RuleExample Example, bool Passed, Decision Got, string Detail);

/// <summary>
/// Runs a ruleset's own examples through the engine, exactly as a document would be scanned: each
/// line of the example is a paragraph of the example's part. Used by the tests and <c>secscan rules test</c>.
/// </summary>
public static class RuleExampleRunner
{
    public static IEnumerable<ExampleResult> RunAll(ScanEngine engine) => engine.Ruleset.Examples.Select(e => Run(engine, e));

    public static ExampleResult Run(ScanEngine engine, RuleExample e)
    {
        var verdict = ScanText(engine, e.Text, e.Part);
        var got = verdict.Findings.Where(f => f.Rule == e.Rule)
            .Select(f => engine.Ruleset.Policy.DecisionFor(verdict.Channel, f))
            .DefaultIfEmpty(Decision.Allow).Max();
        // A match example must make the rule fire (an informational finding counts when the example expects allow).
        bool fired = verdict.Findings.Any(f => f.Rule == e.Rule);
        bool passed = !e.ShouldMatch ? got == Decision.Allow && !(e.StrictNoMatch && fired)
            : fired && (e.ExactExpectation ? got == e.Expect : got >= e.Expect);
        var want = !e.ShouldMatch ? (e.StrictNoMatch ? "no finding" : "no firing")
            : (e.ExactExpectation ? VerdictPolicyName(e.Expect) : "at least " + VerdictPolicyName(e.Expect)) + " (the rule firing)";
        var detail = $"expected {want}, got {VerdictPolicyName(got)}" +
            string.Concat(verdict.Findings.Select(f => $"\n    {f.Rule} {f.Confidence:0.00}: {f.Explanation}"));
        return new ExampleResult(e, passed, got, detail);
    }

    /// <summary>Scans text as a document whose lines are paragraphs of <paramref name="part"/>.</summary>
    public static Verdict ScanText(ScanEngine engine, string text, SegmentPart part = SegmentPart.Body, string channel = Channels.Publish)
    {
        var segments = text.Split('\n')
            .Select((line, i) => new TextSegment(line, new Location { Container = "example", Part = part, Paragraph = i + 1 }))
            .ToList();
        return engine.Evaluate(new ExtractedDocument("text/plain", segments), "example", channel, text.Length, "");
    }

    private static string VerdictPolicyName(Decision d) => Policy.VerdictPolicy.Name(d);
}
