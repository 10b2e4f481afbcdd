using SecScan.Core.Detection;
using System.Buffers;
using System.Text.RegularExpressions;

namespace SecScan.Core.Markings;

/// <summary>
/// The regexes and trigger words of the marking detector, built once from <see cref="MarkingsConfig"/>.
/// Every pattern is applied to a single line (anchors mean line start and end) and every quantifier is
/// bounded or runs over one line only, so no input can make them backtrack catastrophically.
/// </summary>
internal sealed class MarkingPatterns
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
    private static readonly TimeSpan Timeout = DetectorRegex.MatchTimeout;

    /// <summary>Commercial levels too generic to count alone in body text (they head ordinary paragraphs).</summary>
    public static readonly HashSet<string> GenericCommercial = new(StringComparer.Ordinal) { "商业秘密", "企业秘密", "严格保密", "普通商业秘密" };

    private static readonly string[] FieldValuesFirst = ["核心商密", "普通商密", "工作秘密", "不涉密"];

    public MarkingPatterns(MarkingsConfig cfg)
    {
        var ss = cfg.StateSecret;
        string stars = "[" + Regex.Escape(ss.Stars).Replace("]", @"\]", StringComparison.Ordinal) + "]";
        string period = "(?<period>" + Period.Pattern + ")";
        // Letter-spaced levels (机 密) survive normalization only around Latin text; allow up to two spaces.
        string levels = "(?<level>" + string.Join("|", ss.Levels.Select(l => string.Join(@"\s{0,2}", l.Select(ch => Regex.Escape(ch.ToString()))))) + ")";
        const string open = @"[(\[【〔]", close = @"[)\]】〕]";

        LineAlone = new Regex(
            $@"^\s*(?:(?:\d{{6}}|第\d+份|No\.?\s?\d+)\s*)?(?<open>{open})?\s*{levels}\s*(?:(?<star>{stars})\s*{period}?)?\s*{close}?\s*(?:特急|加急|特提|平急)?\s*$",
            Options, Timeout);
        BracketPrefix = new Regex($@"^\s*(?<open>{open})\s*{levels}\s*(?:(?<star>{stars})\s*{period}?)?\s*{close}(?=\s*\S)", Options, Timeout);
        // DOMAIN.md has (?<!\p{L}); after normalization Chinese text runs into the mark (标有秘密★5年), so only non-CJK letters (an ASCII word) block it.
        Inline = new Regex($@"(?<![\p{{L}}-[\p{{IsCJKUnifiedIdeographs}}]]){levels}\s?(?<star>{stars})\s?{period}?", Options, Timeout);

        var fs = cfg.Field;
        string labels = Alternation(fs.Labels);
        var values = FieldValuesFirst.Concat(ss.Levels).Concat(["商密", "内部"]).Concat(fs.PublicValues).Distinct();
        string valueAlt = Alternation(values);
        string boxes = "[" + Regex.Escape(fs.Boxes + fs.Ticks) + "]";
        Field = new Regex(
            $@"(?<label>{labels})\s*[:：=]?\s*(?:(?<options>(?:{boxes}\s*(?:{valueAlt})\s*){{2,}})|(?<value>{valueAlt})(?:\s*(?<star>{stars})\s*{period}?)?)",
            Options, Timeout);
        TickedOption = new Regex($@"[{Regex.Escape(fs.Ticks)}]\s*(?<value>{valueAlt})", Options, Timeout);
        FieldLabelCell = new Regex($@"^\s*(?:{labels})\s*[:：]?\s*$", Options, Timeout);
        FieldValueCell = new Regex($@"^\s*{levels}\s*(?:(?<star>{stars})\s*{period}?)?\s*$", Options, Timeout);

        var ws = cfg.WorkSecret;
        string markers = Alternation(ws.Markers.Concat(ws.Imprints));
        string warnings = Alternation(ws.Warnings);
        string qualifiers = Alternation(ws.Qualifiers);
        WorkSecretLine = new Regex(
            $@"^\s*{open}?\s*(?<mark>工作秘密(?:\s*{stars}\s*{period}?)?|(?:{markers})(?:\s*[,、;]?\s*(?:{warnings}))?|(?:{qualifiers}))\s*{close}?\s*$",
            Options, Timeout);
        WorkSecretBracket = new Regex($@"^\s*{open}\s*(?<mark>{markers})\s*{close}", Options, Timeout);
        WorkSecretSymbol = new Regex($@"内部\s*[{Regex.Escape(string.Concat(ws.InlineSymbols))}]", Options, Timeout);
        WorkSecretInline = new Regex(Alternation(ws.Markers.Where(m => m.Length >= 4).Concat(ws.Warnings)), Options, Timeout);

        var cs = cfg.Commercial;
        string clevels = Alternation(cs.CoreLevels.Concat(cs.Levels));
        string syms = "[" + Regex.Escape(cs.Symbols).Replace("]", @"\]", StringComparison.Ordinal) + "]";
        CommercialLine = new Regex(
            $@"^\s*{open}?\s*(?<body>(?<owner>[\p{{IsCJKUnifiedIdeographs}}A-Za-z]{{0,{cs.OwnerMaxLength}}}?)\s*(?<level>{clevels})\s*(?:(?<sym>{syms})\s*(?<period>{Period.Pattern}|公布前))?)\s*{close}?\s*$",
            Options | RegexOptions.IgnoreCase, Timeout);

        Quiz = new Regex(@"\(\s*\)|(?:^|\s|\d[.、])[A-D][.、]|" + Alternation(ss.QuizCues), Options, Timeout);
        SourceCode = new Regex(@"[;{}]|\b(?:return|case|const|var|let|def|function)\b|[A-Za-z_]\w*\s*=\s*\S", Options, Timeout);
        Declassified = new Regex(string.Join("|", cfg.Declassification.Patterns), Options, Timeout);
        HeaderElements = [.. cfg.HeaderElements.Elements.Select(e => (e.Name, new Regex(e.Pattern, Options, Timeout), e.Raise))];

        // Anything a marking line must contain: 密 (every level, 商密, 工作秘密, 密级) or one of the other words.
        var triggers = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "密" };
        foreach (var w in ws.Markers.Concat(ws.Warnings).Concat(ws.Qualifiers).Concat(ws.Imprints).Concat(cs.Levels).Concat(cs.CoreLevels).Concat(fs.Labels))
            if (!w.Contains('密', StringComparison.Ordinal)) triggers.Add(w);
        Triggers = SearchValues.Create([.. triggers], StringComparison.OrdinalIgnoreCase);

        // SearchValues<string> is fast on ASCII needles but walks CJK text at a few hundred MB/s, while a
        // search for a few single CJK characters is vectorized. So every trigger that contains a CJK
        // character is found through one such "anchor" (an occurrence of the trigger holds the anchor
        // literally: CJK characters have no case) and confirmed by comparing the text around the anchor
        // with the triggers that contain it. The others (ASCII words such as Confidential) are searched directly.
        var anchored = triggers.Where(t => t.Any(IsCaselessCjk)).ToList();
        var anchors = ChooseAnchors(anchored);
        // Up to five characters a set: IndexOfAny compares those directly with vector instructions, while
        // a larger set of non-ASCII characters falls back to a probabilistic map about ten times slower.
        TriggerAnchors = [.. anchors.Chunk(5).Select(g => SearchValues.Create(new string(g)))];
        _byAnchor = anchors.ToDictionary(a => a, a => anchored
            .SelectMany(t => Enumerable.Range(0, t.Length).Where(i => t[i] == a).Select(i => (t, i)))
            .ToArray());
        var direct = triggers.Where(t => !t.Any(IsCaselessCjk)).ToArray();
        DirectTriggers = direct.Length > 0 ? SearchValues.Create(direct, StringComparison.OrdinalIgnoreCase) : null;
    }

    /// <summary>Every trigger word, matched ignoring case: a line with none of them holds no marking.</summary>
    public SearchValues<string> Triggers { get; }

    /// <summary>CJK characters such that every trigger with a CJK character contains one of them, in sets of up to five.</summary>
    public SearchValues<char>[] TriggerAnchors { get; }

    /// <summary>For each anchor, the triggers that contain it and where.</summary>
    private readonly Dictionary<char, (string Trigger, int Offset)[]> _byAnchor;

    /// <summary>Triggers without a CJK character, searched as they are.</summary>
    public SearchValues<string>? DirectTriggers { get; }

    /// <summary>Where a search for trigger lines stands: the next hit of each searcher (-2 unknown, -1 none).</summary>
    public sealed class TriggerCursor
    {
        internal TriggerCursor(int anchorSets) => NextAnchor = [.. Enumerable.Repeat(-2, anchorSets)];

        internal int NextDirect { get; set; } = -2;
        internal int[] NextAnchor { get; }
    }

    public TriggerCursor StartTriggerSearch() => new(TriggerAnchors.Length);

    /// <summary>
    /// Finds the next line, starting at or after line start <paramref name="from"/>, that contains a
    /// trigger: exactly the lines a search for <see cref="Triggers"/> would find, in order.
    /// <paramref name="cursor"/> keeps each searcher's next hit between calls, so that the text is
    /// searched once per searcher, not once per line.
    /// </summary>
    public bool NextTriggerLine(string text, int from, TriggerCursor cursor, out int lineStart, out int lineEnd)
    {
        var span = text.AsSpan();
        if (cursor.NextDirect != -1 && cursor.NextDirect < from)
        {
            int d = DirectTriggers is null ? -1 : span[from..].IndexOfAny(DirectTriggers);
            cursor.NextDirect = d < 0 ? -1 : from + d;
        }
        int hit = cursor.NextDirect;
        int limit = hit < 0 ? text.Length : hit;
        for (int p = from; p < limit;)
        {
            int a = NextAnchor(span, p, cursor.NextAnchor);
            if (a < 0 || a >= limit) break;
            if (AnchoredTriggerAt(span, a))
            {
                hit = a;
                break;
            }
            p = a + 1;
        }
        if (hit < 0)
        {
            lineStart = lineEnd = text.Length;
            return false;
        }
        lineStart = hit == 0 ? 0 : text.LastIndexOf('\n', hit - 1) + 1;
        lineEnd = text.IndexOf('\n', hit);
        if (lineEnd < 0) lineEnd = text.Length;
        return true;
    }

    /// <summary>The first anchor at or after <paramref name="from"/>, or -1; refreshes the cached hits behind it.</summary>
    private int NextAnchor(ReadOnlySpan<char> text, int from, int[] next)
    {
        int best = -1;
        for (int g = 0; g < next.Length; g++)
        {
            if (next[g] != -1 && next[g] < from)
            {
                int i = text[from..].IndexOfAny(TriggerAnchors[g]);
                next[g] = i < 0 ? -1 : from + i;
            }
            if (next[g] >= 0 && (best < 0 || next[g] < best)) best = next[g];
        }
        return best;
    }

    /// <summary>True when a trigger containing the anchor at <paramref name="at"/> occurs over it.</summary>
    private bool AnchoredTriggerAt(ReadOnlySpan<char> text, int at)
    {
        foreach (var (trigger, offset) in _byAnchor[text[at]])
        {
            int start = at - offset;
            if (start >= 0 && start + trigger.Length <= text.Length
                && text.Slice(start, trigger.Length).Equals(trigger, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Ideographs and CJK symbols: no case, so an ignore-case match contains them literally.</summary>
    private static bool IsCaselessCjk(char c) => c is (>= '\u3000' and <= '\u303F') or (>= '\u3400' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>A small set of CJK characters hitting every trigger (greedy cover: the character in most uncovered triggers first).</summary>
    private static List<char> ChooseAnchors(List<string> triggers)
    {
        var uncovered = new List<string>(triggers);
        var anchors = new List<char>();
        while (uncovered.Count > 0)
        {
            var best = uncovered.SelectMany(t => t.Where(IsCaselessCjk).Distinct())
                .GroupBy(c => c)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .First().Key;
            anchors.Add(best);
            uncovered.RemoveAll(t => t.Contains(best, StringComparison.Ordinal));
        }
        return anchors;
    }
    public Regex LineAlone { get; }
    public Regex BracketPrefix { get; }
    public Regex Inline { get; }
    public Regex Field { get; }
    public Regex TickedOption { get; }
    public Regex FieldLabelCell { get; }
    public Regex FieldValueCell { get; }
    public Regex WorkSecretLine { get; }
    public Regex WorkSecretBracket { get; }
    public Regex WorkSecretSymbol { get; }
    public Regex WorkSecretInline { get; }
    public Regex CommercialLine { get; }
    public Regex Quiz { get; }
    public Regex SourceCode { get; }
    public Regex Declassified { get; }
    public (string Name, Regex Regex, double Raise)[] HeaderElements { get; }

    /// <summary>Longest first, so that 内部资料 wins over 内部.</summary>
    private static string Alternation(IEnumerable<string> words) =>
        "(?:" + string.Join("|", words.Distinct().OrderByDescending(w => w.Length).Select(w => Regex.Escape(w).Replace(" ", @"\s?", StringComparison.Ordinal))) + ")";
}
