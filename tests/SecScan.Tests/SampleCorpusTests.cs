using SecScan.Core.Findings;
using SecScan.Core.Policy;

namespace SecScan.Tests;

/// <summary>
/// Every file of <c>corpora/samples/</c> gets the decision its samples.tsv row expects, and names the
/// expected location — the golden test of the whole pipeline on real files from real writers.
/// </summary>
public class SampleCorpusTests
{
    public static TheoryData<string, string, string> Manifest()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(TestFiles.Manifest).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cols = line.Split('\t');
            data.Add(cols[0], cols[1], cols[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Manifest))]
    public void Sample_gets_its_expected_decision_and_location(string file, string expected, string location)
    {
        Assert.True(File.Exists(TestFiles.Sample(file)), $"{file} is listed in samples.tsv but missing");
        var verdict = TestEngine.ScanFile(TestFiles.Sample(file));
        Assert.True(VerdictPolicy.TryParse(expected, out var want), $"bad decision '{expected}' in samples.tsv");
        Assert.True(verdict.Decision == want, $"{file}: expected {expected}, got {VerdictPolicy.Name(verdict.Decision)}\n{TestEngine.Explain(verdict)}");
        if (location == "-") return;
        var places = verdict.Findings
            .Where(f => TestEngine.Shared.Ruleset.Policy.DecisionFor(verdict.Channel, f) >= Decision.Review)
            .Select(f => f.Location + (f.Line is { } l ? $" › line {l}" : ""))
            .Concat(verdict.Coverage.Notes.Select(n => n.Location?.ToString() ?? ""))
            .ToList();
        Assert.True(places.Exists(p => p.Contains(location, StringComparison.Ordinal)),
            $"{file}: no finding at '{location}'; found at: {string.Join("; ", places)}");
    }

    [Fact]
    public void Every_sample_file_is_listed()
    {
        var listed = Manifest().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var dir = TestFiles.SamplesRoot;
        var unlisted = Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(n => !listed.Contains(n!)).ToList();
        Assert.True(unlisted.Count == 0, "not in samples.tsv: " + string.Join(", ", unlisted));
    }
}
