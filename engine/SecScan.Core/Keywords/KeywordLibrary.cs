using System.Text.RegularExpressions;
using SecScan.Core.Rulesets;

namespace SecScan.Core.Keywords;

/// <summary>
/// The keyword library as loaded: <c>keywords.yaml</c> validated, and each category's word list read
/// (UTF-8, one phrase a line, <c>#</c> starts a comment line, blank lines ignored). Immutable.
/// </summary>
public sealed class KeywordLibrary
{
    public const string File = "keywords.yaml";

    /// <summary>Actions a category or rule may take.</summary>
    public static readonly string[] Actions = ["context", "info", "review", "block"];

    private KeywordLibrary(KeywordsConfig config, IReadOnlyList<IReadOnlyList<string>> lists, IReadOnlyList<RuleExample> examples)
    {
        Config = config;
        Lists = lists;
        Examples = examples;
    }

    public KeywordsConfig Config { get; }

    /// <summary>The phrases of each category, in <see cref="KeywordsConfig.Categories"/> order, as written.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Lists { get; }

    public IReadOnlyList<RuleExample> Examples { get; }

    /// <summary>Phrases in all lists and rules.</summary>
    public int PhraseCount => Lists.Sum(l => l.Count) + Config.Rules.Sum(r => r.Phrases.Count);

    /// <summary>Reads the word lists and validates every field.</summary>
    /// <exception cref="RulesetException">A list is missing, a field is out of range, a rule is inconsistent; names file, rule and field.</exception>
    public static KeywordLibrary Load(string directory, KeywordsConfig c)
    {
        const string f = File;
        foreach (var (action, score) in c.ActionScores)
        {
            if (action is not ("info" or "review" or "block")) throw new RulesetException(f, null, $"action_scores.{action}", "unknown action; use info, review, block");
            if (score is < 0 or > 1) throw new RulesetException(f, null, $"action_scores.{action}", $"{score} is outside [0, 1]");
        }
        foreach (var a in new[] { "info", "review", "block" })
            if (!c.ActionScores.ContainsKey(a)) throw new RulesetException(f, null, $"action_scores.{a}", "is required");
        var ctx = c.Context;
        if (string.IsNullOrWhiteSpace(ctx.Id)) throw new RulesetException(f, "context", "id", "is required");
        if (ctx.MinCategories < 2) throw new RulesetException(f, ctx.Id, "min_categories", "must be at least 2");
        if (ctx.Score is < 0 or > 1) throw new RulesetException(f, ctx.Id, "score", $"{ctx.Score} is outside [0, 1]");
        if (ctx.MaxBoost is < 0 or > 1) throw new RulesetException(f, ctx.Id, "max_boost", $"{ctx.MaxBoost} is outside [0, 1]");
        if (ctx.MaxInfoFindings < 0) throw new RulesetException(f, ctx.Id, "max_info_findings", "must not be negative");
        foreach (var (i, p) in ctx.DiscussionPatterns.Index())
        {
            try { _ = new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException ex) { throw new RulesetException(f, ctx.Id, $"discussion_patterns[{i}]", $"invalid regular expression: {ex.Message}", ex); }
        }
        foreach (var a in ctx.AppliesTo)
            if (!Enum.TryParse<Findings.FindingCategory>(a, ignoreCase: true, out var fc) || fc == Findings.FindingCategory.Keyword)
                throw new RulesetException(f, ctx.Id, "applies_to", $"'{a}' is not a finding category other than keyword (marking, coordinates, pii, fingerprint, classifier)");
        if (c.Evasion.MaxRun is < 1 or > 8) throw new RulesetException(f, "evasion", "max_run", "must be 1–8");
        foreach (char ch in c.Evasion.Separators)
            if (ch == '\n' || SkeletonView.IsIdeograph(ch)) throw new RulesetException(f, "evasion", "separators", "must not contain line breaks or ideographs");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (c.Categories.Count > 64) throw new RulesetException(f, null, "categories", "at most 64 categories");
        var lists = new List<IReadOnlyList<string>>();
        foreach (var (i, cat) in c.Categories.Index())
        {
            if (string.IsNullOrWhiteSpace(cat.Id)) throw new RulesetException(f, null, $"categories[{i}].id", "is required");
            if (!ids.Add(cat.Id)) throw new RulesetException(f, cat.Id, "id", "duplicate category id");
            if (string.IsNullOrWhiteSpace(cat.File)) throw new RulesetException(f, cat.Id, "file", "is required");
            if (cat.Weight is < 0 or > 1) throw new RulesetException(f, cat.Id, "weight", $"{cat.Weight} is outside [0, 1]");
            if (!Actions.Contains(cat.Action)) throw new RulesetException(f, cat.Id, "action", $"'{cat.Action}' is not context, info, review or block");
            if (string.IsNullOrEmpty(cat.Rule)) cat.Rule = "keyword-" + cat.Id.ToLowerInvariant();
            lists.Add(ReadList(directory, cat));
        }
        foreach (var z in ctx.DiscussionZeroes)
            if (!ids.Contains(z)) throw new RulesetException(f, ctx.Id, "discussion_zeroes", $"'{z}' is not a category");

        var ruleIds = new HashSet<string>(StringComparer.Ordinal) { ctx.Id };
        foreach (var cat in c.Categories)
            if (!ruleIds.Add(cat.Rule)) throw new RulesetException(f, cat.Id, "rule", $"rule id '{cat.Rule}' is used twice");
        foreach (var (i, r) in c.Rules.Index())
        {
            if (string.IsNullOrWhiteSpace(r.Id)) throw new RulesetException(f, null, $"rules[{i}].id", "is required");
            if (!ruleIds.Add(r.Id)) throw new RulesetException(f, r.Id, "id", "duplicate rule id");
            if (r.Phrases.Count == 0 || r.Phrases.Any(string.IsNullOrWhiteSpace)) throw new RulesetException(f, r.Id, "phrases", "at least one non-empty phrase is required");
            if (!Actions.Contains(r.Action)) throw new RulesetException(f, r.Id, "action", $"'{r.Action}' is not context, info, review or block");
            if (r.Category.Length > 0 && !ids.Contains(r.Category)) throw new RulesetException(f, r.Id, "category", $"'{r.Category}' is not a category");
            if (r.Action == "context" && r.Category.Length == 0) throw new RulesetException(f, r.Id, "category", "a context rule needs the category it counts for");
            if (r.Score is < 0 or > 1) throw new RulesetException(f, r.Id, "score", $"{r.Score} is outside [0, 1]");
            if (r.Near is { } near)
            {
                if (near.Phrases.Count == 0 || near.Phrases.Any(string.IsNullOrWhiteSpace)) throw new RulesetException(f, r.Id, "near.phrases", "at least one non-empty phrase is required");
                if (near.Within is < 0 or > 1000) throw new RulesetException(f, r.Id, "near.within", "must be 0–1000 characters");
            }
            if (r.Requires.Any(string.IsNullOrWhiteSpace)) throw new RulesetException(f, r.Id, "requires", "phrases must not be empty");
            if (r.Examples.Match.Count == 0 || r.Examples.NoMatch.Count == 0)
                throw new RulesetException(f, r.Id, "examples", "every rule carries at least one match and one no_match example");
        }
        foreach (var (phrase, longer) in c.Exceptions)
        {
            if (string.IsNullOrWhiteSpace(phrase)) throw new RulesetException(f, null, "exceptions", "an exception key must not be empty");
            foreach (var l in longer)
                if (!l.Contains(phrase, StringComparison.Ordinal))
                    throw new RulesetException(f, null, $"exceptions.{phrase}", $"'{l}' does not contain '{phrase}': an exception is a longer phrase around it");
        }

        var examples = new List<RuleExample>();
        foreach (var r in c.Rules.Cast<Markings.RuleConfigBase>().Prepend(ctx))
        {
            // Informational rules (context, info) prove a no_match by not firing at all.
            bool strict = r is KeywordRuleConfig { Action: "context" or "info" };
            examples.AddRange(r.Examples.Match.Select((e, i) => RulesetValidator.Example(f, r.Id, $"examples.match[{i}]", e, true)));
            examples.AddRange(r.Examples.NoMatch.Select((e, i) => RulesetValidator.Example(f, r.Id, $"examples.no_match[{i}]", e, false) with { StrictNoMatch = strict }));
        }
        return new KeywordLibrary(c, lists, examples);
    }

    /// <summary>Every rule id the library's findings can carry (for policy validation).</summary>
    public static IEnumerable<string> RuleIds(KeywordsConfig config) =>
        config.Categories.Select(c => string.IsNullOrEmpty(c.Rule) ? "keyword-" + c.Id.ToLowerInvariant() : c.Rule)
            .Concat(config.Rules.Select(r => r.Id)).Prepend(config.Context.Id);

    private static List<string> ReadList(string directory, KeywordCategoryConfig cat)
    {
        var path = Path.GetFullPath(Path.Combine(directory, cat.File));
        var root = Path.GetFullPath(directory);
        if (!path.StartsWith(root, StringComparison.Ordinal)) throw new RulesetException(File, cat.Id, "file", "the word list must be inside the ruleset directory");
        if (!System.IO.File.Exists(path)) throw new RulesetException(cat.File, cat.Id, "file", "word list not found");
        var phrases = new List<string>();
        int lineNo = 0;
        try
        {
            using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
            while (reader.ReadLine() is { } raw)
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line.Length > 200) throw new RulesetException(cat.File, cat.Id, $"line {lineNo}", "a phrase is at most 200 characters");
                phrases.Add(line);
            }
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new RulesetException(cat.File, cat.Id, $"line {lineNo + 1}", "not valid UTF-8", ex);
        }
        return phrases;
    }
}
