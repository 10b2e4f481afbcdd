using SecScan.Core.Rulesets;

namespace SecScan.Tests.Rulesets;

/// <summary>Configuration errors fail at load with file, rule and field in the message.</summary>
public sealed class RulesetLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secscan-ruleset-").FullName;

    public RulesetLoadingTests()
    {
        TestFiles.CopyDefaultRuleset(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Edit(string file, string from, string to)
    {
        var path = Path.Combine(_dir, file);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    private RulesetException LoadFails() => Assert.Throws<RulesetException>(() => Ruleset.Load(_dir));

    [Fact]
    public void Default_ruleset_loads_and_its_version_is_a_content_hash()
    {
        var a = Ruleset.Load(_dir);
        Assert.Equal(Ruleset.Load(RulesetLocator.Default()).Version, a.Version);
        Edit("policy.yaml", "block_at: 0.80", "block_at: 0.85");
        Assert.NotEqual(a.Version, Ruleset.Load(_dir).Version);
    }

    [Fact]
    public void Unknown_key_names_file_and_position()
    {
        Edit("markings.yaml", "  example_cue_window: 15", "  example_cue_windw: 15");
        var ex = LoadFails();
        Assert.StartsWith("markings.yaml: line ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("example_cue_windw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_score_names_rule_and_field()
    {
        Edit("markings.yaml", "    header: 0.78 ", "    heder: 0.78 ");
        var ex = LoadFails();
        Assert.Contains("rule 'work-secret-marking': field 'scores.header'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_regex_names_the_element()
    {
        Edit("markings.yaml", "pattern: \"签发人\"", "pattern: \"签发人(\"");
        var ex = LoadFails();
        Assert.Contains("field 'elements[签发人].pattern'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_example_expectation_names_the_example()
    {
        Edit("markings.yaml", "part: header, expect: block }", "part: header, expect: maybe }");
        var ex = LoadFails();
        Assert.Contains("rule 'state-secret-marking'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".expect'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_errors_name_channel_and_field()
    {
        Edit("policy.yaml", "      garbled: review\n", "      garbled: review\n      sunspots: review\n");   // every channel; publish comes first
        Assert.Contains("channels.publish.coverage.sunspots", LoadFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_rule_must_exist()
    {
        Edit("policy.yaml", "      work-secret-marking: { max: review }\n\n  mail:", "      no-such-rule: { max: review }\n\n  mail:");
        Assert.Contains("rule 'no-such-rule'", LoadFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_can_promote_work_secret_marks_to_block()
    {
        Edit("policy.yaml", "      work-secret-marking: { max: review }\n\n  mail:", "      work-secret-marking: { min: block }\n\n  mail:");
        var engine = new Core.Engine.ScanEngine(Ruleset.Load(_dir).Compile(), SecScan.Extraction.DocumentExtractor.CreateDefault());
        var v = RuleExampleRunner.ScanText(engine, "内部资料 注意保存", Core.Documents.SegmentPart.Header);
        Assert.Equal(Core.Findings.Decision.Block, v.Decision);
        var mail = RuleExampleRunner.ScanText(engine, "内部资料 注意保存", Core.Documents.SegmentPart.Header, "mail");
        Assert.Equal(Core.Findings.Decision.Review, mail.Decision);
    }
}
