using SecScan.Core.Keywords;

namespace SecScan.Tests.Keywords;

/// <summary>
/// The matcher's two layouts against a naive search: every occurrence of every pattern, overlapping ones
/// included, exactly once, with its end offset — whatever the layout the library gets.
/// </summary>
public class KeywordAutomatonTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_occurrence_is_reported_once_as_a_naive_search_finds_it(bool anchored)
    {
        var layout = anchored ? KeywordLayout.Anchored : KeywordLayout.AhoCorasick;
        // Lengths 1 to 9 (one- and two-character patterns take their own bitmaps), ASCII in both cases,
        // duplicates, and text whose last positions start patterns.
        var rng = new Random(11);
        const string alphabet = "机密秘绝级国家部队坐标控制点AbCd";
        for (int round = 0; round < 20; round++)
        {
            var patterns = Enumerable.Range(0, 200)
                .Select(_ => new string([.. Enumerable.Range(0, rng.Next(1, 10)).Select(_ => alphabet[rng.Next(alphabet.Length)])]))
                .ToList();
            var text = new string([.. Enumerable.Range(0, rng.Next(1, 3000)).Select(_ => alphabet[rng.Next(alphabet.Length)])]);
            var automaton = KeywordAutomaton.Build(patterns, layout);
            Assert.Equal(layout, automaton.Layout);
            Assert.Equal(Naive(patterns, text), Found(automaton, patterns, text));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Matches_at_the_edges_of_the_text_are_found(bool anchored)
    {
        var layout = anchored ? KeywordLayout.Anchored : KeywordLayout.AhoCorasick;
        string[] patterns = ["密", "秘密", "国家秘密", "级"];
        var automaton = KeywordAutomaton.Build(patterns, layout);
        Assert.Equal(Naive(patterns, "密"), Found(automaton, patterns, "密"));
        Assert.Equal(Naive(patterns, "秘密"), Found(automaton, patterns, "秘密"));
        Assert.Equal(Naive(patterns, "国家秘密"), Found(automaton, patterns, "国家秘密"));
        Assert.Equal(Naive(patterns, "级国家秘密级"), Found(automaton, patterns, "级国家秘密级"));
        Assert.Equal(0, automaton.Count(""));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ascii_letters_match_in_either_case(bool anchored)
    {
        var layout = anchored ? KeywordLayout.Anchored : KeywordLayout.AhoCorasick;
        var automaton = KeywordAutomaton.Build(["J-20项目", "ab"], layout);
        Assert.Equal(3, automaton.Count("j-20项目和J-20项目，AB"));
    }

    [Fact]
    public void A_library_of_many_distinct_characters_is_scanned_anchored()
    {
        Assert.Equal(KeywordLayout.Anchored, KeywordAutomaton.Build(CjkLibrary(2_000, 3_000)).Layout);
    }

    [Fact]
    public void A_library_of_few_distinct_characters_is_scanned_by_aho_corasick()
    {
        Assert.Equal(KeywordLayout.AhoCorasick, KeywordAutomaton.Build(CjkLibrary(100, 200)).Layout);
    }

    [Fact]
    public void A_pattern_longer_than_the_anchored_walk_keeps_aho_corasick()
    {
        var library = CjkLibrary(2_000, 3_000);
        library.Add(new string('哈', KeywordAutomaton.MaxAnchoredLength + 1));
        var automaton = KeywordAutomaton.Build(library);
        Assert.Equal(KeywordLayout.AhoCorasick, automaton.Layout);
        Assert.Equal(2, automaton.Count(new string('哈', KeywordAutomaton.MaxAnchoredLength + 2)));
    }

    [Fact]
    public void Both_layouts_agree_on_a_big_library_over_real_text()
    {
        // Real Chinese text (the UTF-8 samples), and a library of its own 2- to 5-character stretches (which
        // overlap everywhere in it) plus random phrases, as a keyword library mixes frequent and rare terms.
        var text = string.Concat(new[] { TestFiles.TxtNewsCoordinates, TestFiles.TxtMiningRightNotice, TestFiles.TxtSevenParameters, TestFiles.TxtTenderNotice }
            .Select(f => File.ReadAllText(TestFiles.Sample(f))));
        var library = CjkLibrary(5_000, 2_500);
        for (int i = 0; i + 5 < text.Length; i += 7) library.Add(text.Substring(i, 2 + i % 4));
        var anchored = KeywordAutomaton.Build(library, KeywordLayout.Anchored);
        var classic = KeywordAutomaton.Build(library, KeywordLayout.AhoCorasick);
        Assert.Equal(KeywordLayout.Anchored, anchored.Layout);
        var expected = Naive(library, text);
        Assert.True(expected.Count > text.Length / 7, $"only {expected.Count} occurrences");
        Assert.Equal(expected, Found(anchored, library, text));
        Assert.Equal(expected, Found(classic, library, text));
    }

    /// <summary>Random two- to six-character phrases over the first <paramref name="characters"/> CJK ideographs.</summary>
    private static List<string> CjkLibrary(int phrases, int characters)
    {
        var rng = new Random(3);
        return [.. Enumerable.Range(0, phrases)
            .Select(_ => new string([.. Enumerable.Range(0, rng.Next(2, 7)).Select(_ => (char)(0x4E00 + rng.Next(characters)))]))];
    }

    /// <summary>(pattern text, end) of every occurrence, sorted; duplicate patterns count once, ASCII case folded.</summary>
    private static List<(string, int)> Naive(IEnumerable<string> patterns, string text)
    {
        var found = new List<(string, int)>();
        foreach (var p in patterns.Select(p => p.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
            for (int i = text.IndexOf(p, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(p, i + 1, StringComparison.OrdinalIgnoreCase))
                found.Add((p, i + p.Length));
        return [.. found.Order()];
    }

    private static List<(string, int)> Found(KeywordAutomaton automaton, IReadOnlyList<string> patterns, string text)
    {
        var found = new List<(string, int)>();
        var sink = new Collecting(found, patterns, automaton);
        automaton.Scan(text, ref sink);
        return [.. found.Order()];
    }

    private readonly struct Collecting(List<(string, int)> found, IReadOnlyList<string> patterns, KeywordAutomaton automaton) : IMatchSink
    {
        public void OnMatch(int pattern, int end) => found.Add((patterns[automaton.CanonicalOf(pattern)].ToLowerInvariant(), end));
    }
}
