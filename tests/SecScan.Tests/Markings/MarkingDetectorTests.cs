using SecScan.Core.Documents;
using SecScan.Core.Findings;

namespace SecScan.Tests.Markings;

/// <summary>
/// DOMAIN.md §9 T1–T9 and T20, with the score breakdown each must show; the YAML examples cover the
/// rest of §3. Named after the corpus rows so a regression points at the rule it breaks.
/// </summary>
public class MarkingDetectorTests
{
    private static Finding Top(Verdict v, string rule) =>
        v.Findings.Where(f => f.Rule == rule).OrderByDescending(f => f.Confidence).First();

    private static bool Has(Finding f, string reason) => f.Score.Any(s => s.Reason.Contains(reason, StringComparison.Ordinal));

    [Fact]
    public void T1_red_header_notice_with_copy_number_and_urgency_blocks()
    {
        var v = TestEngine.ScanText("000012\n机密★5年\n特急\nXX省人民政府文件");
        Assert.Equal(Decision.Block, v.Decision);
        var f = Top(v, "state-secret-marking");
        Assert.Equal(1.0, f.Confidence);
        Assert.Equal(2, f.Location.Paragraph);
        Assert.Equal("机密★5年", f.Evidence);
        Assert.True(Has(f, "份号") && Has(f, "紧急程度") && Has(f, "top region"), TestEngine.Explain(v));
    }

    [Fact]
    public void T2_level_alone_top_right_with_document_number_blocks_at_095()
    {
        var v = TestEngine.ScanText("                                  秘密\n京政发〔2024〕3号\n关于印发工作方案的通知");
        var f = Top(v, "state-secret-marking");
        Assert.Equal(0.95, f.Confidence, 3);
        Assert.Equal([0.70, 0.15, 0.10], f.Score.Select(s => s.Delta));
        Assert.Equal(Decision.Block, v.Decision);
    }

    [Fact]
    public void T3_surveying_levels_sentence_allows()
    {
        var v = TestEngine.ScanText("测绘成果密级分为绝密、机密和秘密三个等级，保密期限为长期。");
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void T4_article_quoting_the_format_allows_and_says_why()
    {
        var v = TestEngine.ScanText("保密知识：一份机密级文件，保密期限10年，应标注为“机密★10年”。");
        Assert.Equal(Decision.Allow, v.Decision);
        var f = Top(v, "state-secret-marking");
        Assert.True(Has(f, "quotation marks") && Has(f, "example"), TestEngine.Explain(v));
    }

    [Fact]
    public void T5_internal_header_on_every_page_is_review_at_078()
    {
        var v = TestEngine.ScanText("内部资料 注意保存", SegmentPart.Header);
        Assert.Equal(Decision.Review, v.Decision);
        var f = Top(v, "work-secret-marking");
        Assert.Equal(0.78, f.Confidence, 3);
        Assert.Equal(SegmentPart.Header, f.Location.Part);
    }

    [Fact]
    public void T6_commercial_mark_in_a_text_box_is_review()
    {
        var v = TestEngine.ScanText("XX公司普通商密▲3年", SegmentPart.TextBox);
        Assert.Equal(Decision.Review, v.Decision);
        Assert.Equal(0.75, Top(v, "commercial-secret-marking").Confidence, 3);
    }

    [Fact]
    public void T7_core_commercial_secret_on_a_cover_blocks_and_notes_the_misused_star()
    {
        var v = TestEngine.ScanText("核心商密★长期\n2025年度经营计划");
        Assert.Equal(Decision.Block, v.Decision);
        Assert.True(Has(Top(v, "commercial-secret-marking"), "reserved for 国家秘密"));
    }

    [Fact]
    public void T8_declassified_mark_is_review_never_allow()
    {
        var v = TestEngine.ScanText("机密★10年\n已解密（2023年5月）\n关于项目论证的报告");
        Assert.Equal(Decision.Review, v.Decision);
        var f = Top(v, "state-secret-marking");
        Assert.Equal(0.65, f.Confidence, 3);
        Assert.True(Has(f, "declassified"), TestEngine.Explain(v));
    }

    [Fact]
    public void T9_republished_exam_paper_is_capped_at_review()
    {
        var v = TestEngine.ScanText("绝密★启用前\n2023年普通高等学校招生全国统一考试\n数学\n注意事项：\n1．答卷前，考生务必将自己的姓名、准考证号填写在答题卡上。");
        Assert.Equal(Decision.Review, v.Decision);
        Assert.True(Has(Top(v, "state-secret-marking"), "exam paper"), TestEngine.Explain(v));
    }

    [Fact]
    public void T20_film_rating_stars_allow()
    {
        Assert.Equal(Decision.Allow, TestEngine.ScanText("《秘密花园》★★★★☆").Decision);
        var v = TestEngine.ScanText("UI枚举：秘密★★");
        Assert.True(Has(Top(v, "state-secret-marking"), "another star"));
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void Marking_in_a_header_of_a_long_document_still_blocks()
    {
        var body = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"第{i}段：本段介绍年度工作的进展情况，各项指标稳步提升。"));
        var v = Core.Rulesets.RuleExampleRunner.ScanText(TestEngine.Shared, body);
        Assert.Equal(Decision.Allow, v.Decision);
        var header = new TextSegment("绝密★长期", new Location { Container = "r.docx", Part = SegmentPart.Header, PartName = "/word/header1.xml", Paragraph = 1 });
        var segments = new List<TextSegment> { header };
        segments.AddRange(body.Split('\n').Select((l, i) => new TextSegment(l, new Location { Container = "r.docx", Paragraph = i + 1 })));
        var withHeader = TestEngine.Shared.Evaluate(new ExtractedDocument("x", segments), "r.docx", "publish", 0, "");
        Assert.Equal(Decision.Block, withHeader.Decision);
        Assert.Equal("r.docx › header (/word/header1.xml) › paragraph 1", Top(withHeader, "state-secret-marking").Location.ToString());
    }

    [Fact]
    public void Level_alone_deep_in_a_document_is_only_informational()
    {
        var lines = Enumerable.Range(1, 15).Select(i => $"第{i}段内容。").Append("机密").Append("以上为正文。");
        var v = TestEngine.ScanText(string.Join("\n", lines));
        Assert.Equal(Decision.Allow, v.Decision);
        Assert.Equal(0.30, Top(v, "state-secret-marking").Confidence, 3);
    }

    [Fact]
    public void Discussion_genre_lowers_marks_outside_the_top_region()
    {
        var article = string.Join("\n",
            "保密宣传教育材料", "一、保密法的主要内容", "根据保密法第十五条，国家秘密的保密期限……", "二、定密工作", "密级分为绝密、机密、秘密。",
            "三、案例", "四、问答", "五、小结", "六、附录", "七、其他", "八、说明",
            "案例：某单位将标有 秘密★5年 字样的文件上网发布，受到处分。");
        var v = TestEngine.ScanText(article);
        var f = Top(v, "state-secret-marking");
        Assert.True(Has(f, "discussion genre"), TestEngine.Explain(v));
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void Template_genre_lowers_a_sample_page()
    {
        var v = TestEngine.ScanText("公文格式示例\n000001\n机密★1年\n特急\nXXX文件\nXXX〔20××〕×号\n（式样）");
        var f = Top(v, "state-secret-marking");
        Assert.True(Has(f, "template genre"), TestEngine.Explain(v));
    }

    [Fact]
    public void Source_code_constant_allows()
    {
        var v = TestEngine.ScanText("public const string Level = \"机密★20年\";");
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void Finding_points_at_the_original_characters()
    {
        var original = "　机\u200B密 ★ １０年　";
        var v = TestEngine.ScanText(original);
        var f = Top(v, "state-secret-marking");
        Assert.Equal("机\u200B密 ★ １０年", original.Substring(f.Start, f.Length));
        Assert.Equal("机密★10年", f.Evidence);
    }

    [Fact]
    public void Pathological_lines_do_not_backtrack()
    {
        // A megabyte-long line of near-misses for every pattern: must finish (no regex timeout note).
        var line = string.Concat(Enumerable.Repeat("密级:□机密★★内部资料,注意保XX公司普通商密▲", 40_000));
        var v = TestEngine.ScanText(line + "\n" + new string('密', 500_000));
        Assert.DoesNotContain(v.Coverage.Notes, n => n.Kind is CoverageKind.TimedOut or CoverageKind.Error);
    }
}
