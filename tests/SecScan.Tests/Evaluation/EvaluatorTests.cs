using System.Text;
using System.Text.Json;
using SecScan.Cli;
using SecScan.Core.Documents;
using SecScan.Core.Evaluation;
using SecScan.Core.Findings;
using SecScan.Extraction;
using Xunit;

namespace SecScan.Tests.Evaluation;

/// <summary>The evaluation harness on a tiny labelled folder built in the test.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secscan-eval-").FullName;

    public EvaluatorTests()
    {
        Write("marked.txt", "机密★10年\n关于召开工作会议的通知\n各单位：定于下周召开会议。");
        Write("law.txt", "保密法规定，国家秘密的密级分为绝密、机密、秘密三级。例如“机密★10年”。");
        Write("news.txt", "本市召开优化营商环境推进会，总结前一阶段工作成效。");
        Write("id.txt", "申请人张三，身份证号码：11010519491231002X。");
        Write("missed.txt", "这是一份本应拦截却没有任何标志的文件。");
        File.WriteAllText(Path.Combine(_dir, LabelledCorpus.LabelsFile), string.Join("\n",
            "file\texpected\tcategory\tsplit\trules",
            "marked.txt\tblock\tmarked-notice\ttune\tstate-secret-marking",
            "law.txt\tallow\tlaw-education\ttune\t-",
            "news.txt\tallow\tnews\tholdout",
            "id.txt\treview\tpersonal-data\tholdout\tid-number",
            "missed.txt\tblock\tcontrol-points\tholdout\t-") + "\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text, new UTF8Encoding(false));

    [Fact]
    public void Reads_labels()
    {
        var docs = LabelledCorpus.Read(_dir);
        Assert.Equal(5, docs.Count);
        Assert.Equal(["state-secret-marking"], docs[0].Rules);
        Assert.Empty(docs[1].Rules);
        Assert.Equal(Decision.Review, docs[3].Expected);
    }

    [Fact]
    public void Malformed_labels_name_the_line()
    {
        File.AppendAllText(Path.Combine(_dir, LabelledCorpus.LabelsFile), "x.txt\tmaybe\tnews\ttune\n");
        var ex = Assert.Throws<FormatException>(() => LabelledCorpus.Read(_dir));
        Assert.Contains("line 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_report_per_split()
    {
        var report = Evaluator.Run(_dir, new EngineScanner(TestEngine.Shared));
        Assert.Equal("secscan", report.Scanner);
        var tune = report.Splits.Single(s => s.Split == "tune");
        var holdout = report.Splits.Single(s => s.Split == "holdout");
        Assert.Equal(2, tune.Documents);
        Assert.Equal(2, tune.Exact);
        Assert.Equal(1, tune.Confusion[(int)Decision.Block][(int)Decision.Block]);
        Assert.Equal(0.0, tune.FalseBlockRate);
        Assert.Equal(0, tune.MissedRules);

        Assert.Equal(3, holdout.Documents);
        Assert.Equal(1, holdout.MissedBlocks);
        Assert.Equal(1.0, holdout.MissedBlockRate);
        Assert.Equal(1, holdout.MarkedAllowed);
        var d = Assert.Single(holdout.Disagreements);
        Assert.Equal("missed.txt", d.File);
        Assert.Equal("block", d.Expected);
        Assert.Equal("allow", d.Got);
        var personal = holdout.Categories.Single(c => c.Category == "personal-data");
        Assert.Equal(1.0, personal.Recall);
        Assert.Null(holdout.Categories.Single(c => c.Category == "news").Recall);
    }

    [Fact]
    public void Naive_baseline_blocks_the_law_article()
    {
        var report = Evaluator.Run(_dir, new NaiveKeywordScanner(DocumentExtractor.CreateDefault(), ScanLimits.Default));
        var tune = report.Splits.Single(s => s.Split == "tune");
        Assert.Equal(1, tune.FalseBlocks);
        Assert.Contains(tune.Disagreements, d => d.File == "law.txt" && d.Reasons.Single().Contains("keyword", StringComparison.Ordinal));
        // The naive scanner does not see personal data at all.
        Assert.Contains(report.Splits.Single(s => s.Split == "holdout").Disagreements, d => d.File == "id.txt" && d.Got == "allow");
    }

    [Fact]
    public void A_missing_file_is_a_review_outcome_not_a_crash()
    {
        File.AppendAllText(Path.Combine(_dir, LabelledCorpus.LabelsFile), "gone.txt\tallow\tnews\ttune\n");
        var report = Evaluator.Run(_dir, new EngineScanner(TestEngine.Shared));
        Assert.Contains(report.Splits.Single(s => s.Split == "tune").Disagreements, d => d.File == "gone.txt" && d.Got == "review");
    }

    [Fact]
    public async Task Cli_eval_prints_text_and_json()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(["eval", _dir], stdout, stderr);
        Assert.Equal(0, code);
        var text = stdout.ToString();
        Assert.Contains("== holdout: 3 documents", text, StringComparison.Ordinal);
        Assert.Contains("missed-block rate", text, StringComparison.Ordinal);
        Assert.Contains("missed.txt [control-points] expected block, got allow", text, StringComparison.Ordinal);
        Assert.DoesNotContain("11010519491231002X", text, StringComparison.Ordinal);

        stdout = new StringWriter();
        code = await CliApp.RunAsync(["eval", _dir, "--format", "json", "--baseline", "naive"], stdout, stderr);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("naive", json.RootElement.GetProperty("scanner").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("splits").GetArrayLength());
    }

    [Fact]
    public async Task Cli_eval_without_labels_is_a_usage_error()
    {
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(["eval", Path.Combine(_dir, "nowhere")], new StringWriter(), stderr);
        Assert.Equal(ExitCodes.Usage, code);
    }
}
