using System.Text.Json;
using SecScan.Cli;

namespace SecScan.Tests.Cli;

/// <summary>The <c>secscan</c> command in-process: exit codes, formats, and a scan that never stops at a bad file.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secscan-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Check_prints_a_json_verdict_and_exits_with_the_decision()
    {
        var (code, output, _) = Run("check", TestFiles.Sample(TestFiles.PdfSecretHeader));
        Assert.Equal(ExitCodes.Block, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("block", root.GetProperty("decision").GetString());
        Assert.Equal("publish", root.GetProperty("channel").GetString());
        Assert.Equal(64, root.GetProperty("sha256").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("ruleset").GetProperty("version").GetString()));
        Assert.True(root.GetProperty("coverage").GetProperty("complete").GetBoolean());
        var finding = root.GetProperty("findings")[0];
        Assert.Equal("state-secret-marking", finding.GetProperty("rule").GetString());
        Assert.Equal("marking", finding.GetProperty("category").GetString());
        Assert.Equal("秘密★1年", finding.GetProperty("evidence").GetString());
        Assert.Equal(1, finding.GetProperty("location").GetProperty("page").GetInt32());
        Assert.Contains("alone on its line", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_exit_codes_follow_the_decision()
    {
        Assert.Equal(ExitCodes.Allow, Run("check", TestFiles.Sample("txt-gb18030-law-article.txt")).Code);
        Assert.Equal(ExitCodes.Review, Run("check", TestFiles.Sample(TestFiles.PdfEncrypted)).Code);
        Assert.Equal(ExitCodes.Block, Run("check", TestFiles.Sample("txt-gbk-notice.txt")).Code);
    }

    [Fact]
    public void Encrypted_pdf_is_review_with_a_coverage_note()
    {
        var (code, output, _) = Run("check", TestFiles.Sample(TestFiles.PdfEncrypted));
        Assert.Equal(ExitCodes.Review, code);
        using var json = JsonDocument.Parse(output);
        var coverage = json.RootElement.GetProperty("coverage");
        Assert.False(coverage.GetProperty("complete").GetBoolean());
        Assert.Equal("encrypted", coverage.GetProperty("notes")[0].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("check")]                                   // missing argument
    [InlineData("check", "--format", "xml", "x.txt")]       // bad format
    [InlineData("frobnicate")]                              // unknown command
    public void Usage_errors_exit_64(params string[] args) => Assert.Equal(ExitCodes.Usage, Run(args).Code);

    [Fact]
    public void Missing_file_and_unknown_channel_are_usage_errors()
    {
        var (code, _, err) = Run("check", Path.Combine(_dir, "nope.txt"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no such file", err, StringComparison.Ordinal);
        var (code2, _, err2) = Run("check", "--channel", "carrier-pigeon", TestFiles.Sample("txt-tourism.txt"));
        Assert.Equal(ExitCodes.Usage, code2);
        Assert.Contains("unknown channel", err2, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_of_a_folder_never_stops_at_a_bad_file()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "share", "old"));
        File.Copy(TestFiles.Sample("txt-gbk-notice.txt"), Path.Combine(_dir, "share", "a-notice.txt"));
        var pdf = File.ReadAllBytes(TestFiles.Sample(TestFiles.PdfFirstLineMarking));
        File.WriteAllBytes(Path.Combine(_dir, "share", "b-truncated.pdf"), pdf[..(pdf.Length / 3)]);
        var noise = new byte[8192];
        new Random(42).NextBytes(noise);
        File.WriteAllBytes(Path.Combine(sub.FullName, "c-random.bin"), noise);
        File.WriteAllBytes(Path.Combine(sub.FullName, "d-empty.txt"), []);
        File.Copy(TestFiles.Sample(TestFiles.PdfPublicArticle), Path.Combine(sub.FullName, "e-lying-extension.txt"));

        var (code, output, err) = Run("scan", Path.Combine(_dir, "share"));
        Assert.Equal(ExitCodes.Block, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        var verdicts = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string Decision(string name) => verdicts.Single(v => v.GetProperty("source").GetString()!.EndsWith(name, StringComparison.Ordinal)).GetProperty("decision").GetString()!;
        Assert.Equal("block", Decision("a-notice.txt"));
        Assert.Equal("review", Decision("b-truncated.pdf"));
        Assert.Equal("review", Decision("c-random.bin"));
        Assert.Equal("allow", Decision("d-empty.txt"));
        // Sniffed by magic bytes: the ".txt" is a PDF and is read as one.
        var lying = verdicts.Single(v => v.GetProperty("source").GetString()!.EndsWith("e-lying-extension.txt", StringComparison.Ordinal));
        Assert.Equal("application/pdf", lying.GetProperty("mediaType").GetString());
        Assert.Equal("allow", lying.GetProperty("decision").GetString());
        Assert.Contains("5 files", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_text_format_reads_as_a_report()
    {
        var (code, output, _) = Run("scan", "--format", "text", TestFiles.Sample("txt-gbk-notice.txt"), TestFiles.Sample(TestFiles.PdfEncrypted));
        Assert.Equal(ExitCodes.Block, code);
        Assert.Contains("BLOCK  ", output, StringComparison.Ordinal);
        Assert.Contains("REVIEW ", output, StringComparison.Ordinal);
        Assert.Contains("not read (encrypted)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_json_format_is_one_array()
    {
        var (_, output, _) = Run("scan", "--format", "json", TestFiles.Sample("txt-tourism.txt"), TestFiles.Sample("txt-zero-width.txt"));
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void Rules_test_runs_every_example()
    {
        var (code, output, _) = Run("rules", "test");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+ passed, 0 failed", output.Trim().Split('\n')[^1]);
    }

    [Fact]
    public void A_broken_ruleset_is_refused_naming_file_rule_and_field()
    {
        var copy = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(copy);
        TestFiles.CopyDefaultRuleset(copy);
        var markings = Path.Combine(copy, "markings.yaml");
        File.WriteAllText(markings, File.ReadAllText(markings).Replace("    line_star: 0.90", "    line_star: 9.0", StringComparison.Ordinal));
        var (code, _, err) = Run("check", "--ruleset", copy, TestFiles.Sample("txt-tourism.txt"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("markings.yaml: rule 'state-secret-marking': field 'scores.line_star'", err, StringComparison.Ordinal);
    }
}
