using SecScan.Core.Documents;
using SecScan.Core.Engine;
using SecScan.Core.Findings;
using SecScan.Core.Rulesets;
using SecScan.Extraction;

namespace SecScan.Tests.Keywords;

/// <summary>Hot reload: a changed library is swapped in atomically, scans in flight finish on the old one, a broken one is rejected.</summary>
public sealed class RulesetHostTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "secscan-host-" + Guid.NewGuid().ToString("N"));

    public RulesetHostTests() => TestFiles.CopyDefaultRuleset(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ScanEngine Engine(CompiledRuleset r) => new(r, DocumentExtractor.CreateDefault());

    private static bool HasKeyword(ScanEngine engine, string text, string phrase) =>
        RuleExampleRunner.ScanText(engine, text).Findings.Any(f => f.Category == FindingCategory.Keyword && f.Evidence == phrase);

    private void AddToK7(string phrase) =>
        File.AppendAllText(Path.Combine(_dir, "keywords", "k07-diplomacy.txt"), phrase + "\n");

    [Fact]
    public void A_changed_library_is_swapped_in_and_the_old_engine_keeps_working()
    {
        using var host = new RulesetHost(_dir, Engine, watch: false);
        var old = host.Current;
        Assert.False(HasKeyword(old, "蓝鲸工程启动", "蓝鲸工程"));

        AddToK7("蓝鲸工程");
        var result = host.Reload();

        Assert.True(result.Swapped);
        Assert.NotSame(old, host.Current);
        Assert.NotEqual(old.Ruleset.Info.Version, host.Current.Ruleset.Info.Version);
        Assert.True(HasKeyword(host.Current, "蓝鲸工程启动", "蓝鲸工程"));
        // A scan that took the old engine before the swap finishes on it, with the old library.
        Assert.False(HasKeyword(old, "蓝鲸工程启动", "蓝鲸工程"));
        Assert.Equal(old.Ruleset.Info.Version, RuleExampleRunner.ScanText(old, "x").Ruleset.Version);
    }

    [Fact]
    public async Task Scans_in_flight_finish_on_the_ruleset_they_started_with()
    {
        using var host = new RulesetHost(_dir, Engine, watch: false);
        var started = host.Current;
        var text = string.Join("\n", Enumerable.Repeat("部队营区雷达阵地坐标和行车路线见附件", 20_000));
        var scans = Enumerable.Range(0, 4).Select(_ => Task.Run(() => RuleExampleRunner.ScanText(started, text))).ToArray();
        AddToK7("蓝鲸工程");
        Assert.True(host.Reload().Swapped);
        foreach (var v in await Task.WhenAll(scans))
        {
            Assert.Equal(started.Ruleset.Info.Version, v.Ruleset.Version);
            Assert.Equal(Decision.Review, v.Decision);
        }
        Assert.NotEqual(started.Ruleset.Info.Version, host.Current.Ruleset.Info.Version);
    }

    [Fact]
    public void A_broken_library_is_rejected_and_the_old_one_stays()
    {
        using var host = new RulesetHost(_dir, Engine, watch: false);
        var old = host.Current;
        var yaml = Path.Combine(_dir, "keywords.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("file: keywords/k05-survey.txt, weight: 0.05", "file: keywords/k05-survey.txt, weight: 5", StringComparison.Ordinal));

        var result = host.Reload();

        Assert.False(result.Swapped);
        Assert.Same(old, host.Current);
        Assert.Contains("keywords.yaml: rule 'K5': field 'weight'", result.Error!.Message, StringComparison.Ordinal);
        Assert.Same(result.Error, host.LastError);
        Assert.True(HasKeyword(host.Current, "控制点布设", "控制点"));
    }

    [Fact]
    public void A_missing_word_list_names_the_file()
    {
        using var host = new RulesetHost(_dir, Engine, watch: false);
        File.Delete(Path.Combine(_dir, "keywords", "k09-exams.txt"));
        var result = host.Reload();
        Assert.False(result.Swapped);
        Assert.Contains("keywords/k09-exams.txt: rule 'K9': field 'file'", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watcher_reloads_after_a_change_on_disk()
    {
        using var host = new RulesetHost(_dir, Engine, watch: true, debounce: TimeSpan.FromMilliseconds(100));
        using var swapped = new ManualResetEventSlim();
        host.Reloaded += r => { if (r.Swapped) swapped.Set(); };
        AddToK7("蓝鲸工程");
        // A bound, not a timing assertion: the reload is event-driven and normally takes well under a second.
        Assert.True(swapped.Wait(TimeSpan.FromSeconds(60)), "no reload within 60 s of the change");
        Assert.True(HasKeyword(host.Current, "蓝鲸工程启动", "蓝鲸工程"));
    }
}
