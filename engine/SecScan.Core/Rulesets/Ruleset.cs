using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SecScan.Core.Coordinates;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Findings;
using SecScan.Core.Keywords;
using SecScan.Core.Markings;
using SecScan.Core.Pii;
using SecScan.Core.Policy;
using SecScan.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SecScan.Core.Rulesets;

/// <summary>
/// A ruleset as loaded from a directory (<c>rulesets/default/</c>): the YAML models, validated, and
/// the version (a hash of every file). <see cref="Compile"/> turns it into the immutable object scans use.
/// </summary>
public sealed class Ruleset
{
    public const string MarkingsFile = "markings.yaml";
    public const string CoordinatesFile = "coordinates.yaml";
    public const string PolicyFile = "policy.yaml";
    public const string T2sFile = "t2s.txt";
    public const string HomoglyphsFile = "homoglyphs.txt";
    public const string PiiFile = "pii.yaml";
    public const string GenresFile = "genres.yaml";

    private Ruleset(string directory, MarkingsConfig markings, PolicyConfig policy, CharacterFold fold, string version, IReadOnlyList<RuleExample> examples,
        KeywordLibrary? keywords)
    {
        Keywords = keywords;
        Directory = directory;
        Markings = markings;
        Policy = policy;
        Fold = fold;
        Version = version;
        Examples = examples;
    }

    public string Directory { get; }

    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory));

    public string Version { get; }

    public MarkingsConfig Markings { get; }

    public CoordinatesConfig Coordinates { get; private init; } = new();

    public PolicyConfig Policy { get; }

    public CharacterFold Fold { get; }

    /// <summary>The keyword library (<c>keywords.yaml</c> and its word lists), if the ruleset has one.</summary>
    public KeywordLibrary? Keywords { get; }

    public IReadOnlyList<RuleExample> Examples { get; }

    /// <summary>Personal-data and credential rules (pii.yaml).</summary>
    public PiiConfig Pii { get; private init; } = new();

    /// <summary>Document-level genre cues shared by detectors (genres.yaml).</summary>
    public DocumentGenreConfig Genres { get; private init; } = new();

    /// <summary>Loads and validates a ruleset directory.</summary>
    /// <exception cref="RulesetException">A file is missing or malformed; the message names file, rule and field.</exception>
    public static Ruleset Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new RulesetException(directory, null, null, "ruleset directory not found");
        var markings = ReadYaml<MarkingsConfig>(directory, MarkingsFile);
        var policy = ReadYaml<PolicyConfig>(directory, PolicyFile);
        var coordinates = ReadYaml<CoordinatesConfig>(directory, CoordinatesFile);
        // Homoglyph radicals first, then traditional→simplified applied to their results.
        CharacterFold fold;
        var tables = new[] { HomoglyphsFile, T2sFile }.Select(f => Path.Combine(directory, f)).Where(File.Exists).ToList();
        try
        {
            fold = tables.Count == 0 ? CharacterFold.Empty : CharacterFold.Load(tables);
        }
        catch (FormatException ex)
        {
            throw new RulesetException(ex.Message.Contains(HomoglyphsFile, StringComparison.Ordinal) ? HomoglyphsFile : T2sFile, null, null, ex.Message, ex);
        }
        KeywordsConfig? keywordsConfig = File.Exists(Path.Combine(directory, KeywordLibrary.File))
            ? ReadYaml<KeywordsConfig>(directory, KeywordLibrary.File) : null;
        var pii = ReadYaml<PiiConfig>(directory, PiiFile);
        var genres = ReadYaml<DocumentGenreConfig>(directory, GenresFile);
        var otherRuleIds = PiiRulesetValidator.RuleIds(pii).Concat(coordinates.Rules.Select(r => r.Id));
        if (keywordsConfig is not null) otherRuleIds = otherRuleIds.Concat(KeywordLibrary.RuleIds(keywordsConfig));
        var examples = RulesetValidator.Validate(markings, policy, otherRuleIds);
        examples.AddRange(PiiRulesetValidator.Validate(pii, genres));
        examples.AddRange(CoordinatesValidator.Validate(coordinates));
        var keywords = keywordsConfig is null ? null : KeywordLibrary.Load(directory, keywordsConfig);
        if (keywords is not null) examples.AddRange(keywords.Examples);
        return new Ruleset(Path.GetFullPath(directory), markings, policy, fold, HashDirectory(directory), examples, keywords) { Pii = pii, Genres = genres, Coordinates = coordinates };
    }

    /// <summary>Builds the immutable, thread-safe form: normalizer, detectors with their automata and regexes, policy.</summary>
    public CompiledRuleset Compile()
    {
        var normalizer = new Normalizer(Fold);
        var detectors = new List<IDetector> { new MarkingDetector(Markings), new SurveyDetector(Coordinates), new PiiDetector(Pii), new PrivateKeyDetector(Pii.PrivateKey) };
        if (Keywords is not null) detectors.Add(KeywordDetector.Compile(Keywords, normalizer));
        var channels = new Dictionary<string, ChannelPolicy>(StringComparer.Ordinal);
        foreach (var (name, c) in Policy.Channels)
        {
            var coverage = new Dictionary<CoverageKind, Decision>();
            foreach (var (kind, decision) in c.Coverage)
            {
                // Validated at load: both parse.
                if (CoverageKinds.TryParse(kind, out var k) && VerdictPolicy.TryParse(decision, out var d))
                    coverage[k] = d;
            }
            var rules = new Dictionary<string, (Decision?, Decision?)>(StringComparer.Ordinal);
            foreach (var (rule, b) in c.Rules)
            {
                Decision? min = VerdictPolicy.TryParse(b.Min, out var mn) ? mn : null;
                Decision? max = VerdictPolicy.TryParse(b.Max, out var mx) ? mx : null;
                rules[rule] = (min, max);
            }
            channels[name] = new ChannelPolicy(c.BlockAt, c.ReviewAt, coverage.ToFrozenDictionary(), rules.ToFrozenDictionary(StringComparer.Ordinal));
        }
        return new CompiledRuleset(new RulesetInfo(Name, Version), normalizer, detectors,
            new VerdictPolicy(Policy.DefaultChannel, channels), Examples) { Genres = new DocumentGenreRules(Genres) };
    }

    private static T ReadYaml<T>(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new RulesetException(file, null, null, "file not found in the ruleset directory");
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        try
        {
            using var reader = File.OpenText(path);
            return deserializer.Deserialize<T>(reader) ?? throw new RulesetException(file, null, null, "the file is empty");
        }
        catch (YamlException ex)
        {
            // YamlDotNet names the unknown or mistyped key and its position; keep both.
            var inner = ex.InnerException?.Message;
            throw new RulesetException(file, null, null,
                $"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{(inner is null ? "" : " (" + inner + ")")}", ex);
        }
    }

    /// <summary>SHA-256 over every file's relative path and bytes, in ordinal order: the ruleset version.</summary>
    private static string HashDirectory(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var rel in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(rel + "\0"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(directory, rel)));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}

/// <summary>
/// The immutable, thread-safe form of a ruleset: built once per process and shared by every scan.
/// </summary>
public sealed class CompiledRuleset
{
    internal CompiledRuleset(RulesetInfo info, Normalizer normalizer, IReadOnlyList<IDetector> detectors, VerdictPolicy policy, IReadOnlyList<RuleExample> examples)
    {
        Info = info;
        Normalizer = normalizer;
        Detectors = detectors;
        Policy = policy;
        Examples = examples;
    }

    public RulesetInfo Info { get; }

    public Normalizer Normalizer { get; }

    public IReadOnlyList<IDetector> Detectors { get; }

    public VerdictPolicy Policy { get; }

    public IReadOnlyList<RuleExample> Examples { get; }

    /// <summary>The document-genre cues every detector shares through <see cref="DetectionInput.Genre"/>.</summary>
    public DocumentGenreRules Genres { get; internal init; } = DocumentGenreRules.None;
}

/// <summary>Checks a loaded ruleset's fields and collects its examples; every error names file, rule and field.</summary>
internal static class RulesetValidator
{
    public static List<RuleExample> Validate(MarkingsConfig m, PolicyConfig p, IEnumerable<string> otherRuleIds)
    {
        const string mf = Ruleset.MarkingsFile, pf = Ruleset.PolicyFile;
        var ss = m.StateSecret;
        Require(mf, "state_secret", "id", ss.Id);
        if (ss.Levels.Count == 0) throw new RulesetException(mf, ss.Id, "levels", "at least one level is required");
        foreach (var level in ss.Levels)
            if (!ss.MaxYears.ContainsKey(level)) throw new RulesetException(mf, ss.Id, "max_years", $"no maximum period for level '{level}'");
        Require(mf, ss.Id, "stars", ss.Stars);
        RequireKeys(mf, ss.Id, "scores", ss.Scores, "line_star_period", "line_star", "line_level_top", "line_level", "title_bracket", "paragraph_prefix", "inline_star_period", "inline_star");
        RequireKeys(mf, ss.Id, "modifiers", ss.Modifiers, "top_region", "repeated", "period_out_of_range", "double_star", "quoted", "example_cue", "quiz", "level_word", "negation", "mid_sentence", "discussion_genre", "source_code", "template_genre", "level_list");
        foreach (var pair in ss.QuotePairs)
            if (pair.Length != 2) throw new RulesetException(mf, ss.Id, "quote_pairs", $"'{pair}' must be exactly two characters (open, close)");
        Require(mf, "field", "id", m.Field.Id);
        RequireKeys(mf, m.Field.Id, "scores", m.Field.Scores, "top", "elsewhere");
        Require(mf, "work_secret", "id", m.WorkSecret.Id);
        RequireKeys(mf, m.WorkSecret.Id, "scores", m.WorkSecret.Scores, "header", "top", "imprint", "line", "inline");
        Require(mf, "commercial", "id", m.Commercial.Id);
        RequireKeys(mf, m.Commercial.Id, "scores", m.Commercial.Scores, "core", "level", "bare");
        foreach (var (i, pattern) in m.Declassification.Patterns.Index())
            CheckRegex(mf, "declassification", $"patterns[{i}]", pattern);
        foreach (var e in m.HeaderElements.Elements)
            CheckRegex(mf, "header_elements", $"elements[{e.Name}].pattern", e.Pattern);

        if (p.Channels.Count == 0) throw new RulesetException(pf, null, "channels", "at least one channel is required");
        if (!p.Channels.ContainsKey(p.DefaultChannel)) throw new RulesetException(pf, null, "default_channel", $"'{p.DefaultChannel}' is not a channel");
        var ruleIds = new HashSet<string>(StringComparer.Ordinal) { ss.Id, m.Field.Id, m.WorkSecret.Id, m.Commercial.Id };
        ruleIds.UnionWith(otherRuleIds);
        foreach (var (name, c) in p.Channels)
        {
            if (!(c.ReviewAt > 0 && c.ReviewAt <= c.BlockAt && c.BlockAt <= 1))
                throw new RulesetException(pf, null, $"channels.{name}", "thresholds must satisfy 0 < review_at ≤ block_at ≤ 1");
            foreach (var (kind, decision) in c.Coverage)
            {
                if (!CoverageKinds.TryParse(kind, out _))
                    throw new RulesetException(pf, null, $"channels.{name}.coverage.{kind}", $"unknown coverage kind; known: {string.Join(", ", Enum.GetValues<CoverageKind>().Select(CoverageKinds.Name))}");
                if (!VerdictPolicy.TryParse(decision, out _))
                    throw new RulesetException(pf, null, $"channels.{name}.coverage.{kind}", $"'{decision}' is not allow, review or block");
            }
            foreach (var (rule, b) in c.Rules)
            {
                if (!ruleIds.Contains(rule)) throw new RulesetException(pf, rule, $"channels.{name}.rules", "no such rule");
                if (b.Min is not null && !VerdictPolicy.TryParse(b.Min, out _)) throw new RulesetException(pf, rule, $"channels.{name}.rules.min", $"'{b.Min}' is not allow, review or block");
                if (b.Max is not null && !VerdictPolicy.TryParse(b.Max, out _)) throw new RulesetException(pf, rule, $"channels.{name}.rules.max", $"'{b.Max}' is not allow, review or block");
            }
        }

        var examples = new List<RuleExample>();
        foreach (var rule in new RuleConfigBase[] { ss, m.Field, m.WorkSecret, m.Commercial })
        {
            examples.AddRange(rule.Examples.Match.Select((e, i) => Example(mf, rule.Id, $"examples.match[{i}]", e, true)));
            examples.AddRange(rule.Examples.NoMatch.Select((e, i) => Example(mf, rule.Id, $"examples.no_match[{i}]", e, false)));
        }
        return examples;
    }

    internal static RuleExample Example(string file, string rule, string field, object raw, bool match)
    {
        string? text = null, expect = null, part = null;
        switch (raw)
        {
            case string s:
                text = s;
                break;
            case IDictionary<object, object> map:
                foreach (var (k, v) in map)
                {
                    switch (k as string)
                    {
                        case "text": text = v as string; break;
                        case "expect": expect = v as string; break;
                        case "part": part = v as string; break;
                        default: throw new RulesetException(file, rule, $"{field}.{k}", "unknown key; use text, expect, part");
                    }
                }
                break;
        }
        if (string.IsNullOrEmpty(text)) throw new RulesetException(file, rule, field, "an example needs text");
        var decision = match ? Decision.Review : Decision.Allow;
        if (expect is not null && !VerdictPolicy.TryParse(expect, out decision))
            throw new RulesetException(file, rule, $"{field}.expect", $"'{expect}' is not allow, review or block");
        var segmentPart = SegmentPart.Body;
        if (part is not null && !TryParsePart(part, out segmentPart))
            throw new RulesetException(file, rule, $"{field}.part", $"'{part}' is not a part (body, header, footer, text-box, comment, metadata, file-name, …)");
        return new RuleExample(rule, text, match, decision, segmentPart) { ExactExpectation = expect is not null };
    }

    private static bool TryParsePart(string name, out SegmentPart part)
    {
        foreach (var p in Enum.GetValues<SegmentPart>())
            if (Location.PartLabel(p).Replace(' ', '-') == name) { part = p; return true; }
        part = SegmentPart.Body;
        return false;
    }

    internal static void Require(string file, string rule, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new RulesetException(file, rule, field, "is required");
    }

    internal static void RequireKeys(string file, string rule, string field, Dictionary<string, double> map, params string[] keys)
    {
        foreach (var k in keys)
        {
            if (!map.TryGetValue(k, out var v)) throw new RulesetException(file, rule, $"{field}.{k}", "is required");
            if (v is < -1 or > 1) throw new RulesetException(file, rule, $"{field}.{k}", $"{v} is outside [-1, 1]");
        }
    }

    internal static void CheckRegex(string file, string rule, string field, string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new RulesetException(file, rule, field, $"invalid regular expression: {ex.Message}", ex);
        }
    }
}
