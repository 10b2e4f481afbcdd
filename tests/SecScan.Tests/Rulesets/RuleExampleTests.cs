using SecScan.Core.Findings;
using SecScan.Core.Rulesets;

namespace SecScan.Tests.Rulesets;

/// <summary>Every match / no_match example in the default ruleset's YAML holds (gitleaks-style).</summary>
public class RuleExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        var examples = TestEngine.Shared.Ruleset.Examples;
        for (int i = 0; i < examples.Count; i++) data.Add($"{examples[i].Rule} {(examples[i].ShouldMatch ? "match" : "no_match")}: {examples[i].Text.Replace("\n", "⏎", StringComparison.Ordinal)}", i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_holds(string description, int index)
    {
        var e = TestEngine.Shared.Ruleset.Examples[index];
        var verdict = TestEngine.ScanText(e.Text, e.Part);
        var got = TestEngine.RuleDecision(verdict, e.Rule);
        var explain = string.Join("\n", verdict.Findings.Select(f => $"{f.Rule} {f.Confidence}: {f.Explanation}"));
        if (e.ShouldMatch && e.ExactExpectation) Assert.True(got == e.Expect, $"{description}: expected {e.Expect}, got {got}\n{explain}");
        else if (e.ShouldMatch) Assert.True(got >= e.Expect, $"{description}: expected at least {e.Expect}, got {got}\n{explain}");
        else Assert.True(got == Decision.Allow, $"{description}: expected no firing, got {got}\n{explain}");
    }

    [Fact]
    public void Default_ruleset_has_examples_for_every_marking_rule()
    {
        var rules = TestEngine.Shared.Ruleset.Examples.Select(e => e.Rule).ToHashSet();
        Assert.Contains("state-secret-marking", rules);
        Assert.Contains("secret-level-field", rules);
        Assert.Contains("work-secret-marking", rules);
        Assert.Contains("commercial-secret-marking", rules);
        Assert.True(TestEngine.Shared.Ruleset.Examples.Count(e => !e.ShouldMatch) >= 15);
    }
}
