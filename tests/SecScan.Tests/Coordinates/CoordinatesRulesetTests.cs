using SecScan.Core.Rulesets;

namespace SecScan.Tests.Coordinates;

/// <summary>Errors in coordinates.yaml fail at load and name the file, the rule and the field.</summary>
public sealed class CoordinatesRulesetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secscan-coordinates-").FullName;

    public CoordinatesRulesetTests()
    {
        foreach (var f in Directory.GetFiles(RulesetLocator.Default())) File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RulesetException LoadFailsAfter(string from, string to)
    {
        var path = Path.Combine(_dir, Ruleset.CoordinatesFile);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        return Assert.Throws<RulesetException>(() => Ruleset.Load(_dir));
    }

    [Fact]
    public void Invalid_parameter_pattern_names_rule_and_element()
    {
        var ex = LoadFailsAfter("proj_patterns: [\"\\\\+towgs84=\"", "proj_patterns: [\"\\\\+towgs84=(\"");
        Assert.Contains("coordinates.yaml: rule 'transformation-parameters': field 'proj_patterns[0]'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_score_names_rule_and_field()
    {
        var ex = LoadFailsAfter("    datum_hp: 0.85", "    datum_hpx: 0.85");
        Assert.Contains("rule 'geo-coordinates': field 'scores.datum_hp'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_names_the_file_and_position()
    {
        var ex = LoadFailsAfter("  pair_window: 40", "  pair_windo: 40");
        Assert.StartsWith("coordinates.yaml: line ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_survey_rule_carries_examples()
    {
        var rules = TestEngine.Shared.Ruleset.Examples.Select(e => e.Rule).ToHashSet();
        foreach (var id in new[] { "geo-coordinates", "plane-coordinates", "control-point-table", "transformation-parameters", "survey-products", "sensitive-geo-content" })
            Assert.Contains(id, rules);
    }
}
