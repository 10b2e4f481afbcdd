using SecScan.Core.Rulesets;

namespace SecScan.Tests.Rulesets;

/// <summary>Every match / no_match example in the default ruleset's YAML holds (gitleaks-style).</summary>
public class RuleExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        var examples = TestEngine.Shared.Ruleset.Examples;
        for (int i = 0; i < examples.Count; i++)
            data.Add($"{examples[i].Rule} {(examples[i].ShouldMatch ? "match" : "no_match")}: {examples[i].Text.Replace("\n", "⏎", StringComparison.Ordinal)}", i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_holds(string description, int index)
    {
        var result = RuleExampleRunner.Run(TestEngine.Shared, TestEngine.Shared.Ruleset.Examples[index]);
        Assert.True(result.Passed, $"{description}: {result.Detail}");
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
