using SecScan.Core.Documents;
using SecScan.Core.Text;

namespace SecScan.Tests.Text;

public class NormalizerTests
{
    private static readonly Normalizer Normalizer = TestEngine.Shared.Ruleset.Normalizer;

    private static TextSegment Seg(string text, SegmentPart part = SegmentPart.Body) => new(text, new Location { Container = "t", Part = part });

    [Theory]
    [InlineData("秘 密 ★ 1 年", "秘密★1年")]
    [InlineData("机　密★１０年", "机密★10年")]                 // ideographic space, full-width digits
    [InlineData("机\u200B密\u200D★\uFEFF10年", "机密★10年")]     // zero-width characters
    [InlineData("机\u00AD密\u2060★5年", "机密★5年")]             // soft hyphen and word joiner (format characters)
    [InlineData("機密★10年", "机密★10年")]                        // traditional → simplified
    [InlineData("關於項目建設的通知", "关于项目建设的通知")]
    [InlineData("ＧＰ０１　４４１９４３７.６０５", "GP01 4419437.605")]
    [InlineData("使用  Word   编辑", "使用 Word 编辑")]            // a space next to Latin text stays, collapsed
    [InlineData("  东经 116°23′17.5″", "东经116°23′17.5″")]       // no NFKC: ′ and ″ survive
    [InlineData("第一行\r\n第二行", "第一行\n第二行")]
    public void Normalizes(string input, string expected) =>
        Assert.Equal(expected, Normalizer.Normalize(input));

    [Fact]
    public void Keeps_line_breaks_and_drops_trailing_spaces()
    {
        Assert.Equal("机密★10年\n特急", Normalizer.Normalize("机密★10年   \n  特急"));
    }

    [Fact]
    public void Table_covers_traditional_characters_beyond_a_hand_picked_few()
    {
        // A complete table derived from OpenCC holds thousands of characters, not a handful.
        var fold = CharacterFold.Load(Path.Combine(Core.Rulesets.RulesetLocator.Default(), "t2s.txt"));
        Assert.True(fold.Count > 4000, $"only {fold.Count} pairs");
        Assert.Equal('万', (char)fold.Map('萬'));
        Assert.Equal('线', (char)fold.Map('綫'));   // a Taiwan variant, via TWVariantsRev
        Assert.Equal('秘', (char)fold.Map('秘'));
    }

    [Fact]
    public void Maps_every_normalized_span_back_to_the_original_characters()
    {
        var segments = new[] { Seg("标题"), Seg("　机\u200B密 ★ １０年　"), Seg("正文") };
        var n = Normalizer.Normalize(segments);
        Assert.Equal("标题\n机密★10年\n正文", n.Text);
        int start = n.Text.IndexOf("机密★10年", StringComparison.Ordinal);
        var span = n.MapToOriginal(start, "机密★10年".Length);
        Assert.Equal(1, span.Segment);
        Assert.Equal("机\u200B密 ★ １０年", segments[1].Text.Substring(span.Start, span.Length));
        var body = n.MapToOriginal(n.Text.IndexOf("正文", StringComparison.Ordinal), 2);
        Assert.Equal((2, 0, 2), (body.Segment, body.Start, body.Length));
    }

    [Fact]
    public void Maps_through_traditional_and_supplementary_characters()
    {
        var segments = new[] { Seg("𠀀機密★10年") };   // U+20000 is outside the BMP and unmapped
        var n = Normalizer.Normalize(segments);
        Assert.Equal("𠀀机密★10年", n.Text);
        var span = n.MapToOriginal(2, 2);
        Assert.Equal("機密", segments[0].Text.Substring(span.Start, span.Length));
    }

    [Fact]
    public void Output_may_outgrow_the_input_when_rare_characters_simplify_into_surrogate_pairs()
    {
        // OpenCC maps U+346E (Ext A) to U+2B748 (Ext B): every character doubles in UTF-16.
        var input = new string('\u346E', 5000);
        var n = Normalizer.Normalize([Seg(input), Seg("机密★10年")]);
        Assert.Equal(string.Concat(Enumerable.Repeat("\U0002B748", 5000)) + "\n机密★10年", n.Text);
        var span = n.MapToOriginal(n.Text.Length - 6, 6);
        Assert.Equal((1, 0, 6), (span.Segment, span.Start, span.Length));
        var pair = n.MapToOriginal(2 * 4999, 2);
        Assert.Equal((0, 4999, 1), (pair.Segment, pair.Start, pair.Length));
    }

    [Fact]
    public void Offset_map_is_stored_as_runs_and_exact_everywhere()
    {
        // 1,000 lines of ordinary text with one zero-width character and one collapsed space each.
        var lines = Enumerable.Range(0, 1000).Select(i => $"第{i}行：机\u200B密★10年  关于项目建设的通知。").ToList();
        var segments = lines.Select(l => Seg(l)).ToList();
        var n = Normalizer.Normalize(segments);
        Assert.True(n.OffsetRuns <= 4 * lines.Count, $"{n.OffsetRuns} runs for {n.Text.Length} characters");
        // Every normalized character maps back to an original character that folds to it.
        for (int i = 0; i < n.Text.Length; i++)
        {
            if (n.Text[i] is '\n' or ' ') continue;
            var span = n.MapToOriginal(i, 1);
            Assert.Equal(n.Text[i], Normalizer.Normalize(segments[span.Segment].Text.Substring(span.Start, span.Length))[0]);
        }
    }

    [Fact]
    public void Segment_index_of_each_offset_is_exact()
    {
        var n = Normalizer.Normalize([Seg("a"), Seg(""), Seg("bc")]);
        Assert.Equal("a\n\nbc", n.Text);
        Assert.Equal(0, n.SegmentIndexAt(0));
        Assert.Equal(2, n.SegmentIndexAt(3));
        Assert.Equal(2, n.SegmentIndexAt(4));
    }
}
