using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Text;

namespace SecScan.Core.Keywords;

/// <summary>
/// D19 keyword categories (DOMAIN.md §6) and keyword rules: one Aho-Corasick pass over the keyword view
/// of the normalized text (<see cref="SkeletonView"/>) finds every phrase of every list and rule,
/// overlapping hits included; exceptions, proximity, required context and (where a rule asks) jieba word
/// boundaries are then checked per paragraph on the few hits there are. Category hits are context:
/// they raise other findings in their paragraph, and enough distinct categories in one paragraph make a
/// standalone review finding. A keyword never blocks alone unless its rule says so.
/// Built once per ruleset; immutable and thread-safe.
/// </summary>
public sealed class KeywordDetector : IContextDetector
{
    /// <summary>Hits kept per document; past this, later hits are not evaluated (the explanation of the last finding says so).</summary>
    public const int MaxHitsPerDocument = 1_000_000;

    /// <summary>Findings kept per rule and document for review/block/info actions.</summary>
    public const int MaxFindingsPerRule = 1000;

    /// <summary>The automaton is run over chunks of about this many characters cut at line breaks, so cancellation is seen.</summary>
    private const int Chunk = 1 << 20;

    private const byte HasExceptions = 1, IsCue = 2, HasRules = 4;

    private readonly KeywordsConfig _cfg;
    private readonly KeywordAutomaton _automaton;
    private readonly string[] _patternText;
    private readonly int[] _categoryOf;                         // pattern → first category, or -1
    private readonly Dictionary<int, int[]> _moreCategories;    // pattern → further categories
    private readonly byte[] _flags;
    private readonly Dictionary<int, int[]> _exceptionsOf;      // pattern → patterns that cancel it when they cover it
    private readonly Dictionary<int, int[]> _rulesOf;           // pattern → rules it is a primary phrase of
    private readonly CompiledRule[] _rules;
    private readonly SearchValues<char> _separators;
    private readonly Regex[] _discussionPatterns;
    private readonly long _discussionZeroes;
    private readonly int _maxPatternLength;
    private readonly HashSet<FindingCategory> _appliesTo;

    private KeywordDetector(KeywordsConfig cfg, KeywordAutomaton automaton, string[] patternText, int[] categoryOf,
        Dictionary<int, int[]> moreCategories, byte[] flags, Dictionary<int, int[]> exceptionsOf, Dictionary<int, int[]> rulesOf,
        CompiledRule[] rules, KeywordStats stats)
    {
        _cfg = cfg;
        _automaton = automaton;
        _patternText = patternText;
        _categoryOf = categoryOf;
        _moreCategories = moreCategories;
        _flags = flags;
        _exceptionsOf = exceptionsOf;
        _rulesOf = rulesOf;
        _rules = rules;
        Stats = stats;
        _separators = SearchValues.Create(cfg.Evasion.Separators);
        _discussionPatterns = [.. cfg.Context.DiscussionPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];
        _maxPatternLength = patternText.Length == 0 ? 0 : patternText.Max(t => t.Length);
        _appliesTo = [.. cfg.Context.AppliesTo.Select(a => Enum.Parse<FindingCategory>(a, ignoreCase: true))];
        for (int i = 0; i < cfg.Categories.Count; i++)
            if (cfg.Context.DiscussionZeroes.Contains(cfg.Categories[i].Id)) _discussionZeroes |= 1L << i;
    }

    public string Id => "keywords";

    /// <summary>The automaton, for benchmarks and <c>secscan rules stats</c>.</summary>
    public KeywordAutomaton Automaton => _automaton;

    public KeywordStats Stats { get; }

    /// <summary>Compiles a library: phrases normalized as text is, one automaton for lists, rule phrases, exceptions and cues.</summary>
    public static KeywordDetector Compile(KeywordLibrary library, Normalizer normalizer)
    {
        var clock = Stopwatch.StartNew();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var cfg = library.Config;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new List<string>();
        var categoryOf = new List<int>();
        var more = new Dictionary<int, List<int>>();
        var flags = new List<byte>();
        var rulesOf = new Dictionary<int, List<int>>();
        var wordBoundaryPhrases = new List<string>();

        int Intern(string phrase)
        {
            var key = Normalize(normalizer, phrase);
            if (key.Length == 0) return -1;
            if (ids.TryGetValue(key, out int id)) return id;
            id = texts.Count;
            ids[key] = id;
            texts.Add(key);
            categoryOf.Add(-1);
            flags.Add(0);
            return id;
        }

        var perCategory = new int[cfg.Categories.Count];
        for (int c = 0; c < cfg.Categories.Count; c++)
        {
            foreach (var phrase in library.Lists[c])
            {
                int id = Intern(phrase);
                if (id < 0) continue;
                perCategory[c]++;
                if (categoryOf[id] < 0) categoryOf[id] = c;
                else if (categoryOf[id] != c) (more.TryGetValue(id, out var l) ? l : more[id] = []).Add(c);
                if (cfg.Categories[c].WordBoundary) wordBoundaryPhrases.Add(texts[id]);
            }
        }
        var rules = new CompiledRule[cfg.Rules.Count];
        for (int r = 0; r < rules.Length; r++)
        {
            var rc = cfg.Rules[r];
            foreach (var phrase in rc.Phrases)
            {
                int id = Intern(phrase);
                if (id < 0) continue;
                flags[id] |= HasRules;
                (rulesOf.TryGetValue(id, out var l) ? l : rulesOf[id] = []).Add(r);
                if (rc.WordBoundary) wordBoundaryPhrases.Add(texts[id]);
            }
            var near = rc.Near is null ? [] : rc.Near.Phrases.Select(Intern).Where(i => i >= 0).ToHashSet();
            var requires = rc.Requires.Select(Intern).Where(i => i >= 0).ToHashSet();
            int category = cfg.Categories.FindIndex(c => c.Id == rc.Category);
            double score = rc.Score ?? (rc.Action == "context" ? cfg.ActionScores["info"] : cfg.ActionScores[rc.Action]);
            rules[r] = new CompiledRule(rc, category, score, near, requires);
        }
        var exceptions = new Dictionary<int, List<int>>();
        foreach (var (phrase, longer) in cfg.Exceptions)
        {
            int id = Intern(phrase);
            if (id < 0) continue;
            flags[id] |= HasExceptions;
            foreach (var l in longer)
            {
                int x = Intern(l);
                if (x >= 0 && x != id) (exceptions.TryGetValue(id, out var list) ? list : exceptions[id] = []).Add(x);
            }
        }
        foreach (var cue in cfg.Context.DiscussionCues)
        {
            int id = Intern(cue);
            if (id >= 0) flags[id] |= IsCue;
        }
        var automatonClock = Stopwatch.StartNew();
        var automaton = KeywordAutomaton.Build(texts);
        double automatonMs = automatonClock.Elapsed.TotalMilliseconds;
        long keywordAllocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        // jieba loads its dictionary once per process on first use: timed apart from the library's own build.
        var jiebaClock = Stopwatch.StartNew();
        if (wordBoundaryPhrases.Count > 0) WordBoundaries.AddWords(wordBoundaryPhrases);
        var stats = new KeywordStats(
            [.. cfg.Categories.Select((c, i) => (c.Id, c.Name, perCategory[i]))],
            library.PhraseCount, texts.Count, automaton.StateCount, automaton.AlphabetSize, automaton.Layout, automaton.MemoryBytes,
            clock.Elapsed.TotalMilliseconds - jiebaClock.Elapsed.TotalMilliseconds, automatonMs, keywordAllocated,
            wordBoundaryPhrases.Count, jiebaClock.Elapsed.TotalMilliseconds);
        return new KeywordDetector(cfg, automaton, [.. texts], [.. categoryOf],
            more.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), [.. flags],
            exceptions.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            rulesOf.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), rules, stats);
    }

    /// <summary>Keyword findings alone, without reading other detectors' findings.</summary>
    public void Detect(DetectionInput input, List<Finding> findings) => Detect(input, findings, findings.Count);

    public void Detect(DetectionInput input, List<Finding> findings, int documentStart)
    {
        var text = input.Text.Text;
        var view = SkeletonView.Create(text, _separators, _cfg.Evasion.MaxRun);
        var hits = CollectHits(view, input.CancellationToken, out bool truncated);
        if (hits.Count == 0) return;
        hits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));

        var state = new DocumentState(_cfg.Categories.Count, _rules.Length) { Others = (documentStart, findings.Count) };
        var contexts = new Dictionary<(Location, int), LineContext>();
        var lineCounter = new LineCounter(input.Text);
        int i = 0;
        while (i < hits.Count)
        {
            int lineStart = hits[i].Start == 0 ? 0 : text.LastIndexOf('\n', hits[i].Start - 1) + 1;
            int lineEnd = text.IndexOf('\n', hits[i].Start);
            if (lineEnd < 0) lineEnd = text.Length;
            int j = i;
            while (j < hits.Count && hits[j].Start < lineEnd) j++;
            EvaluateLine(input, text, lineStart, lineEnd, hits, i, j, state, findings, contexts, ref lineCounter);
            i = j;
            if ((i & 0x3FF) == 0) input.CancellationToken.ThrowIfCancellationRequested();
        }
        if (truncated && findings.Count > 0 && findings[^1].Category == FindingCategory.Keyword)
            findings[^1] = findings[^1] with { Explanation = findings[^1].Explanation + $" (only the first {MaxHitsPerDocument:N0} keyword hits of this document were evaluated)" };

        if (contexts.Count == 0) return;
        // Replacements only once every hit is evaluated, after everything that could throw.
        var replacements = new List<(int, Finding)>();
        for (int k = documentStart; k < findings.Count; k++)
        {
            var f = findings[k];
            if (!_appliesTo.Contains(f.Category) || !contexts.TryGetValue((f.Location, f.Line ?? 1), out var ctx)) continue;
            // Only hits outside the finding count: the 机密 of a marking is not context for itself.
            long mask = 0;
            foreach (var (c, start, end) in ctx.Hits)
                if (end <= f.Start || start >= f.Start + f.Length) mask |= 1L << c;
            if (ctx.Cue) mask &= ~_discussionZeroes;
            double boost = 0;
            var names = new List<string>();
            for (long m = mask; m != 0; m &= m - 1)
            {
                int c = BitOperations.TrailingZeroCount(m);
                boost += _cfg.Categories[c].Weight;
                names.Add(_cfg.Categories[c].Id);
            }
            double delta = Math.Min(boost, _cfg.Context.MaxBoost);
            if (delta <= 0) continue;
            replacements.Add((k, f with
            {
                Confidence = Math.Round(Math.Clamp(f.Confidence + delta, 0, 1), 3),
                Score = [.. f.Score, new ScoreStep($"keyword context: {string.Join(", ", names)} in the paragraph", delta)],
            }));
        }
        foreach (var (k, f) in replacements) findings[k] = f;
    }

    private List<Hit> CollectHits(SkeletonView view, CancellationToken cancellationToken, out bool truncated)
    {
        var sink = new HitSink(_automaton, view, new List<Hit>());
        var s = view.Text.AsSpan();
        int pos = 0;
        while (pos < s.Length && !sink.Full)
        {
            int end = Math.Min(s.Length, pos + Chunk);
            if (end < s.Length)
            {
                int nl = s[end..].IndexOf('\n');
                end = nl < 0 ? s.Length : end + nl + 1;
            }
            _automaton.Scan(s[pos..end], ref sink, pos);
            pos = end;
            cancellationToken.ThrowIfCancellationRequested();
        }
        truncated = sink.Full;
        return sink.Hits;
    }

    private void EvaluateLine(DetectionInput input, string text, int lineStart, int lineEnd, List<Hit> hits, int from, int to,
        DocumentState doc, List<Finding> findings, Dictionary<(Location, int), LineContext> contexts, ref LineCounter lines)
    {
        bool cue = false;
        for (int k = from; k < to; k++)
            if ((_flags[hits[k].Pattern] & IsCue) != 0) { cue = true; break; }
        long categories = 0;
        Span<int> firstHit = stackalloc int[64];
        firstHit.Fill(-1);
        var lineHits = new List<(int Category, int Hit)>();

        for (int k = from; k < to; k++)
        {
            var h = hits[k];
            int p = h.Pattern;
            if ((_flags[p] & HasExceptions) != 0 && IsExcepted(hits, from, to, h)) continue;
            int cat = _categoryOf[p];
            if (cat >= 0)
            {
                if (CategoryHit(input, text, lineStart, lineEnd, h, k, cat, doc, findings, ref categories, firstHit)) lineHits.Add((cat, k));
                if (_moreCategories.TryGetValue(p, out var others))
                    foreach (int c in others)
                        if (CategoryHit(input, text, lineStart, lineEnd, h, k, c, doc, findings, ref categories, firstHit)) lineHits.Add((c, k));
            }
            if ((_flags[p] & HasRules) != 0)
                foreach (int r in _rulesOf[p])
                    if (RuleHit(input, text, lineStart, lineEnd, hits, from, to, k, r, doc, findings, ref categories, firstHit) && _rules[r].Category >= 0)
                        lineHits.Add((_rules[r].Category, k));
        }
        if (categories == 0) return;

        if (!cue && (categories & _discussionZeroes) != 0 && _discussionPatterns.Length > 0)
        {
            var line = text.AsSpan(lineStart, Math.Min(lineEnd - lineStart, 4096));
            foreach (var re in _discussionPatterns)
                if (re.IsMatch(line)) { cue = true; break; }
        }
        long effective = cue ? categories & ~_discussionZeroes : categories;
        var names = new List<string>();
        for (long m = effective; m != 0; m &= m - 1) names.Add(_cfg.Categories[BitOperations.TrailingZeroCount(m)].Id);
        if (names.Count == 0) return;
        var (location, lineNo) = lines.KeyAt(lineStart);
        var counted = new List<(int, int, int)>();
        foreach (var (c, k) in lineHits)
        {
            var h = hits[k];
            var span = input.Text.MapToOriginal(h.Start, h.End - h.Start);
            counted.Add((c, span.Start, span.Start + span.Length));
        }
        contexts[(location, lineNo)] = new LineContext(counted, cue);

        var ctx = _cfg.Context;
        if (!cue && names.Count >= ctx.MinCategories)
        {
            int first = firstHit[BitOperations.TrailingZeroCount(effective)];
            var h = hits[first];
            var parts = new List<string>(names.Count);
            for (long m = effective; m != 0; m &= m - 1)
            {
                int c = BitOperations.TrailingZeroCount(m);
                parts.Add($"{_cfg.Categories[c].Id} {_patternText[hits[firstHit[c]].Pattern]}");
            }
            var evidence = string.Join(" · ", parts);
            findings.Add(input.CreateFinding(ctx.Id, FindingCategory.Keyword, h.Start, h.End - h.Start, ctx.Score,
                [new ScoreStep($"base: {names.Count} keyword categories in one paragraph, no discussion cue", ctx.Score)],
                evidence, $"keyword categories {string.Join(", ", names)} together in one paragraph", Basis(ctx.Basis)));
        }
    }

    /// <summary>Evaluates a list hit for one of its categories; true when it counts (word boundary held).</summary>
    private bool CategoryHit(DetectionInput input, string text, int lineStart, int lineEnd, Hit h, int index, int c, DocumentState doc,
        List<Finding> findings, ref long categories, Span<int> firstHit)
    {
        var cat = _cfg.Categories[c];
        bool wordPath = false;
        if (cat.WordBoundary)
        {
            if (!WordBoundaries.IsWholeWords(text, h.Start, h.End, lineStart, lineEnd)) return false;
            wordPath = true;
        }
        bool firstInLine = (categories & (1L << c)) == 0;
        categories |= 1L << c;
        if (firstInLine) firstHit[c] = index;
        if (cat.Action == "context")
        {
            if (!firstInLine || doc.InfoFindings[c] >= _cfg.Context.MaxInfoFindings) return true;
            // The 秘密 of a reported 秘密★1年 is part of that finding, not news: it still counts as context.
            if (InsideOtherFinding(input, findings, doc.Others, h)) return true;
            doc.InfoFindings[c]++;
            double s = _cfg.ActionScores["info"];
            findings.Add(Create(input, cat.Rule, h, s, $"context: keyword category {cat.Id} {cat.Name}", cat.Id, cat.Name, wordPath, cat.Basis));
            return true;
        }
        if (doc.CategoryFindings[c] >= MaxFindingsPerRule) return true;
        doc.CategoryFindings[c]++;
        double score = _cfg.ActionScores[cat.Action];
        findings.Add(Create(input, cat.Rule, h, score, $"base: {cat.Action} (category {cat.Id})", cat.Id, cat.Name, wordPath, cat.Basis));
        return true;
    }

    /// <summary>True when another detector's finding already covers the hit's characters.</summary>
    private static bool InsideOtherFinding(DetectionInput input, List<Finding> findings, (int From, int To) others, Hit h)
    {
        if (others.From == others.To) return false;
        var span = input.Text.MapToOriginal(h.Start, h.End - h.Start);
        var location = input.Text.Segments[span.Segment].Location;
        for (int k = others.From; k < others.To; k++)
        {
            var f = findings[k];
            if (f.Start <= span.Start && span.Start + span.Length <= f.Start + f.Length && f.Location == location) return true;
        }
        return false;
    }

    /// <summary>Evaluates a rule's primary hit; true when its conditions held.</summary>
    private bool RuleHit(DetectionInput input, string text, int lineStart, int lineEnd, List<Hit> hits, int from, int to, int index, int r,
        DocumentState doc, List<Finding> findings, ref long categories, Span<int> firstHit)
    {
        var rule = _rules[r];
        var h = hits[index];
        var steps = new List<ScoreStep>(3);
        if (rule.Near.Count > 0)
        {
            int within = rule.Config.Near!.Within;
            int found = -1;
            for (int k = FirstStartingAt(hits, from, to, h.Start - within - _maxPatternLength); k < to && found < 0; k++)
            {
                var x = hits[k];
                if (x.Start > h.End + within) break;
                if (!rule.Near.Contains(x.Pattern)) continue;
                int gap = x.Start >= h.End ? x.Start - h.End : h.Start >= x.End ? h.Start - x.End : 0;
                if (gap <= within) found = k;
            }
            if (found < 0) return false;
            steps.Add(new ScoreStep($"near '{_patternText[hits[found].Pattern]}' (within {within} characters)", 0));
        }
        if (rule.Requires.Count > 0)
        {
            // Once per paragraph and rule: a paragraph with many hits must not cost hits² lookups.
            if (doc.RequiresLine[r] != from)
            {
                doc.RequiresLine[r] = from;
                doc.RequiresHit[r] = -1;
                for (int k = from; k < to; k++)
                    if (rule.Requires.Contains(hits[k].Pattern)) { doc.RequiresHit[r] = k; break; }
            }
            int found = doc.RequiresHit[r];
            if (found < 0) return false;
            steps.Add(new ScoreStep($"required context '{_patternText[hits[found].Pattern]}' in the paragraph", 0));
        }
        bool wordPath = false;
        if (rule.Config.WordBoundary)
        {
            if (!WordBoundaries.IsWholeWords(text, h.Start, h.End, lineStart, lineEnd)) return false;
            wordPath = true;
        }
        if (rule.Category >= 0)
        {
            if ((categories & (1L << rule.Category)) == 0) firstHit[rule.Category] = index;
            categories |= 1L << rule.Category;
        }
        if (doc.RuleFindings[r] >= (rule.Config.Action == "context" ? _cfg.Context.MaxInfoFindings : MaxFindingsPerRule)) return true;
        doc.RuleFindings[r]++;
        var catName = rule.Category >= 0 ? _cfg.Categories[rule.Category].Name : "";
        var catId = rule.Category >= 0 ? _cfg.Categories[rule.Category].Id : "";
        var baseReason = rule.Config.Action == "context" ? $"context: keyword rule {rule.Config.Id}" : $"base: {rule.Config.Action} (rule {rule.Config.Id})";
        var finding = Create(input, rule.Config.Id, h, rule.Score, baseReason, catId, catName, wordPath, rule.Config.Basis);
        findings.Add(finding with { Score = [.. finding.Score, .. steps] });
        return true;
    }

    private Finding Create(DetectionInput input, string rule, Hit h, double score, string reason, string categoryId, string categoryName,
        bool wordPath, string basis)
    {
        var phrase = _patternText[h.Pattern];
        var path = (h.Skeleton ? "skeleton view (separators between CJK characters ignored)" : "substring")
            + (wordPath ? " + word boundary (jieba)" : "");
        var steps = new List<ScoreStep> { new(reason, score) };
        if (h.Skeleton) steps.Add(new ScoreStep("matched across inserted separators", 0));
        var what = categoryId.Length > 0 ? $" of {categoryId} {categoryName}".TrimEnd() : "";
        return input.CreateFinding(rule, FindingCategory.Keyword, h.Start, h.End - h.Start, score, steps, phrase,
            $"keyword '{phrase}'{what} matched by {path}", Basis(basis));
    }

    private static string Basis(string basis) => basis.Length > 0 ? basis : "DOMAIN.md §6 (engineering)";

    private bool IsExcepted(List<Hit> hits, int from, int to, Hit h)
    {
        var cancelling = _exceptionsOf[h.Pattern];
        // Hits are sorted by start; a covering hit starts at most one pattern length before h.
        for (int k = FirstStartingAt(hits, from, to, h.Start - _maxPatternLength); k < to; k++)
        {
            var x = hits[k];
            if (x.Start > h.Start) break;
            if (x.End >= h.End && Array.IndexOf(cancelling, x.Pattern) >= 0) return true;
        }
        return false;
    }

    /// <summary>The first index in [from, to) whose hit starts at or after <paramref name="start"/> (hits are sorted by start).</summary>
    private static int FirstStartingAt(List<Hit> hits, int from, int to, int start)
    {
        int lo = from, hi = to;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (hits[mid].Start < start) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static string Normalize(Normalizer normalizer, string phrase) =>
        normalizer.Normalize(phrase).Trim();

    internal readonly record struct Hit(int Pattern, int Start, int End, bool Skeleton);

    private sealed record CompiledRule(Keywords.KeywordRuleConfig Config, int Category, double Score, HashSet<int> Near, HashSet<int> Requires);

    /// <summary>A paragraph's counted category hits (original spans in its segment) and whether it has a discussion cue.</summary>
    private sealed record LineContext(List<(int Category, int Start, int End)> Hits, bool Cue);

    private sealed class DocumentState(int categories, int rules)
    {
        public readonly int[] InfoFindings = new int[categories];
        public readonly int[] CategoryFindings = new int[categories];
        public readonly int[] RuleFindings = new int[rules];
        public readonly int[] RequiresLine = Enumerable.Repeat(-1, rules).ToArray();   // the paragraph (first hit index) RequiresHit is for
        public readonly int[] RequiresHit = new int[rules];

        /// <summary>The other detectors' findings for this document: [From, To) in the findings list.</summary>
        public (int From, int To) Others { get; init; }
    }

    /// <summary>Collects hits, mapped from the keyword view back to normalized offsets.</summary>
    private struct HitSink(KeywordAutomaton automaton, SkeletonView view, List<Hit> hits) : IMatchSink
    {
        public readonly List<Hit> Hits = hits;
        public bool Full;

        public void OnMatch(int pattern, int end)
        {
            if (Hits.Count >= MaxHitsPerDocument) { Full = true; return; }
            int len = automaton.PatternLength(pattern);
            var (s, e) = view.ToNormalized(end - len, end);
            Hits.Add(new Hit(pattern, s, e, e - s != len));
        }
    }

    /// <summary>Paragraph keys for normalized lines, counted forward so a long document costs one pass.</summary>
    private struct LineCounter(NormalizedText text)
    {
        private int _segment = -1, _pos, _line;

        public (Location Location, int Line) KeyAt(int lineStart)
        {
            int seg = text.SegmentIndexAt(lineStart);
            if (seg != _segment) { _segment = seg; _pos = text.SegmentStart(seg); _line = 1; }
            _line += text.Text.AsSpan(_pos, lineStart - _pos).Count('\n');
            _pos = lineStart;
            return (text.Segments[seg].Location, _line);
        }
    }
}

/// <summary>What <c>secscan rules stats</c> shows about a compiled keyword library.</summary>
public sealed record KeywordStats(
    IReadOnlyList<(string Id, string Name, int Phrases)> Categories, int Phrases, int Patterns, int States, int Alphabet,
    KeywordLayout Layout, long AutomatonBytes, double BuildMilliseconds, double AutomatonMilliseconds, long AllocatedBytes,
    int WordBoundaryPhrases, double WordBoundaryMilliseconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Phrases} phrases, {Patterns} patterns, {States} states, {Alphabet} symbols, {Layout} scan, {AutomatonBytes / 1024.0 / 1024:0.0} MiB, built in {BuildMilliseconds:0} ms");
}
