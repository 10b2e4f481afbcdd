using SecScan.Core.Findings;
using SecScan.Core.Keywords;
using SecScan.Core.Text;

namespace SecScan.Tests.Keywords;

/// <summary>The keyword library through the whole engine: every evasion, exceptions, proximity, word boundaries, context.</summary>
public class KeywordDetectorTests
{
    private static List<Finding> Keyword(string text, string? rule = null) =>
        [.. TestEngine.ScanText(text).Findings.Where(f => f.Category == FindingCategory.Keyword && (rule is null || f.Rule == rule))];

    private static bool Hits(string text, string phrase) => Keyword(text).Any(f => f.Evidence == phrase);

    [Theory]
    [InlineData("项目的控制点已经布设", "plain")]
    [InlineData("项目的控　制　点已经布设", "ideographic spaces")]
    [InlineData("项目的控 制 点已经布设", "spaces")]
    [InlineData("项目的控*制*点已经布设", "asterisks")]
    [InlineData("项目的控.制.点已经布设", "dots")]
    [InlineData("项目的控·制-点已经布设", "middle dot and hyphen")]
    [InlineData("项目的控＊制．点已经布设", "full-width separators")]
    [InlineData("项目的控\u200b制\u200d点已经布设", "zero-width characters")]
    [InlineData("項目的控制點已經佈設", "traditional characters")]
    public void Evasions_of_a_phrase_are_matched(string text, string trick)
    {
        Assert.True(Hits(text, "控制点"), trick);
    }

    [Fact]
    public void Homoglyph_radicals_fold_to_ideographs()
    {
        // ⾼ U+2FBC KANGXI RADICAL TALL, ⼝ U+2F1D KANGXI RADICAL MOUTH, ⺠ U+2EA0 CJK RADICAL CIVILIAN.
        Assert.True(Hits("测区⾼程数据", "高程"));
        Assert.True(Hits("⼝令已更换", "口令"));
        Assert.Equal("民", TestEngine.Shared.Ruleset.Normalizer.Normalize("⺠"));
    }

    [Fact]
    public void Full_width_ascii_phrases_match_case_insensitively()
    {
        Assert.True(Hits("接入ＶＰＮ后访问", "VPN"));
        Assert.True(Hits("配置 vpn 网关", "VPN"));
    }

    [Fact]
    public void A_skeleton_match_says_which_path_matched()
    {
        var f = Assert.Single(Keyword("控*制*点布设", "keyword-k5"));
        Assert.Contains("skeleton view", f.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, f.Start);
        Assert.Equal(5, f.Length);     // the original characters, separators included
        var plain = Assert.Single(Keyword("控制点布设", "keyword-k5"));
        Assert.Contains("matched by substring", plain.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Separators_never_join_across_clause_punctuation_or_lines()
    {
        Assert.False(Hits("他们的目标是控，制点名", "控制点"));
        Assert.False(Hits("控制\n点", "控制点"));
    }

    [Fact]
    public void Overlapping_phrases_are_all_reported()
    {
        var automaton = KeywordAutomaton.Build(["国家秘密", "秘密", "家秘", "密级", "国家"]);
        var found = new List<(string, int)>();
        var sink = new ListSink(found, ["国家秘密", "秘密", "家秘", "密级", "国家"], automaton);
        automaton.Scan("国家秘密级", ref sink);
        Assert.Equal([("国家", 2), ("家秘", 3), ("国家秘密", 4), ("秘密", 4), ("密级", 5)], found.OrderBy(x => x.Item2).ThenBy(x => x.Item1.Length, Comparer<int>.Create((a, b) => b.CompareTo(a))).ToList());
        Assert.Equal(5, automaton.Count("国家秘密级"));
    }

    [Fact]
    public void The_automaton_agrees_with_naive_search_on_random_text()
    {
        var rng = new Random(5);
        const string alphabet = "机密秘绝级国家部队坐标控制点AB";
        var patterns = Enumerable.Range(0, 300).Select(_ => new string([.. Enumerable.Range(0, rng.Next(1, 5)).Select(_ => alphabet[rng.Next(alphabet.Length)])])).ToList();
        var text = new string([.. Enumerable.Range(0, 5000).Select(_ => alphabet[rng.Next(alphabet.Length)])]);
        var automaton = KeywordAutomaton.Build(patterns);
        long naive = 0;
        foreach (var p in patterns.Distinct(StringComparer.Ordinal))
            for (int i = text.IndexOf(p, StringComparison.Ordinal); i >= 0; i = text.IndexOf(p, i + 1, StringComparison.Ordinal)) naive++;
        Assert.Equal(naive, automaton.Count(text));
    }

    [Fact]
    public void Exceptions_cancel_a_phrase_inside_a_longer_one()
    {
        Assert.False(Hits("系统应保证数据的机密性", "机密"));
        Assert.True(Hits("该文件属于机密", "机密"));
        Assert.False(Hits("画出坐标轴并标注刻度", "坐标"));
        Assert.True(Hits("报送控制点坐标", "坐标"));
    }

    [Fact]
    public void A_paragraph_with_a_huge_number_of_hits_is_evaluated_in_linear_time()
    {
        // One line of 200,000 机密性 and 坐标…控制点 pairs: exceptions, proximity and required context look
        // only at nearby hits, so this finishes at once instead of after 10^10 comparisons.
        var line = string.Concat(Enumerable.Repeat("机密性。控制点坐标。设备启用前", 200_000));
        var findings = Keyword(line);
        Assert.DoesNotContain(findings, f => f.Evidence == "机密");
        Assert.Equal(Core.Keywords.KeywordDetector.MaxFindingsPerRule, findings.Count(f => f.Rule == "control-point-coordinates"));
        Assert.DoesNotContain(findings, f => f.Rule == "exam-before-use");
    }

    [Fact]
    public void Proximity_rule_needs_the_other_phrase_within_its_window()
    {
        var near = Assert.Single(Keyword("附件：测区控制点坐标一览", "control-point-coordinates"));
        Assert.Equal(Decision.Review, TestEngine.Shared.Ruleset.Policy.DecisionFor("publish", near));
        Assert.Contains(near.Score, s => s.Reason.Contains("near '控制点'", StringComparison.Ordinal));
        Assert.Empty(Keyword("控制点的布设应当均匀，埋石牢固，便于长期保存和后续的复测工作，其具体坐标另行通知。", "control-point-coordinates"));
    }

    [Fact]
    public void Required_context_must_be_in_the_same_paragraph()
    {
        Assert.Single(Keyword("绝密★启用前 2024年全国统一考试", "exam-before-use"));
        Assert.Empty(Keyword("设备启用前应当完成调试", "exam-before-use"));
        Assert.Empty(Keyword("设备启用前应当完成调试\n考试安排另行通知", "exam-before-use"));
    }

    [Fact]
    public void Word_boundary_rule_uses_jieba_around_the_hit()
    {
        var f = Assert.Single(Keyword("本项目标底价格为三百万元", "tender-reserve-price"));
        Assert.Contains("word boundary (jieba)", f.Explanation, StringComparison.Ordinal);
        Assert.Empty(Keyword("守住目标底线，确保完成任务", "tender-reserve-price"));
        Assert.True(WordBoundaries.IsWholeWords("标底编制完成", 0, 2, 0, 6));
    }

    [Fact]
    public void Three_categories_in_a_paragraph_make_a_review_finding()
    {
        var v = TestEngine.ScanText("部队营区雷达阵地坐标和行车路线见附件");
        var f = Assert.Single(v.Findings, f => f.Rule == "keyword-categories");
        Assert.Equal(0.55, f.Confidence);
        Assert.Equal(Decision.Review, v.Decision);
        Assert.Contains("K4", f.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Discussion_cues_silence_the_standalone_finding()
    {
        var v = TestEngine.ScanText("保密法规定，涉密人员不得携带试卷和身份证进入军事禁区。");
        Assert.DoesNotContain(v.Findings, f => f.Rule == "keyword-categories");
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void A_keyword_alone_never_blocks()
    {
        Assert.Equal(Decision.Allow, TestEngine.ScanText("涉密").Decision);
        var v = TestEngine.ScanText("部队营区雷达阵地坐标和行车路线、口令、试卷、拟任名单、身份证、标底");
        Assert.Equal(Decision.Review, v.Decision);
        Assert.All(v.Findings.Where(f => f.Category == FindingCategory.Keyword), f => Assert.True(f.Confidence < 0.80));
    }

    [Fact]
    public void Categories_raise_other_findings_in_their_paragraph_but_not_the_mark_itself()
    {
        // 秘密★ mid-sentence alone (no period) scores 0.45 − 0.30 mid-sentence; K4 and K5 outside the mark add 0.10.
        var plain = TestEngine.ScanText("本次会议材料中标有秘密★字样的页面请收回").Findings.Single(f => f.Rule == "state-secret-marking");
        var context = TestEngine.ScanText("本次会议材料中标有秘密★字样的部队坐标页面请收回").Findings.Single(f => f.Rule == "state-secret-marking");
        Assert.Equal(plain.Confidence + 0.10, context.Confidence, 3);
        Assert.Contains(context.Score, s => s.Reason == "keyword context: K4, K5 in the paragraph");
        Assert.DoesNotContain(plain.Score, s => s.Reason.StartsWith("keyword context", StringComparison.Ordinal));
    }

    [Fact]
    public void The_words_of_a_reported_marking_are_not_reported_again_as_keywords()
    {
        var verdict = TestEngine.ScanText("秘密★1年\n关于调整值班安排的通知\n各处室：春节期间实行双人值班。");
        var marking = Assert.Single(verdict.Findings, f => f.Rule == "state-secret-marking");
        Assert.DoesNotContain(verdict.Findings, f => f.Category == FindingCategory.Keyword && f.Location == marking.Location
            && f.Start >= marking.Start && f.Start + f.Length <= marking.Start + marking.Length);
        // Outside a finding the same word is still an informational hit.
        Assert.Contains(Keyword("会上讨论了秘密载体的管理"), f => f.Evidence == "秘密");
    }

    [Fact]
    public void Evidence_is_the_library_phrase_not_the_document_text()
    {
        var f = Assert.Single(Keyword("控.制.点", "keyword-k5"));
        Assert.Equal("控制点", f.Evidence);
    }

    private struct ListSink(List<(string, int)> found, string[] patterns, KeywordAutomaton automaton) : IMatchSink
    {
        public readonly void OnMatch(int pattern, int end) => found.Add((patterns[automaton.CanonicalOf(pattern)], end));
    }
}
