using SecScan.Core.Markings;

namespace SecScan.Core.Keywords;

/// <summary>
/// <c>keywords.yaml</c>: the keyword library (DOMAIN.md §6, D19). Plain word lists grouped into
/// categories, each with a context weight and a default action, plus richer rules (exceptions, proximity,
/// required context, word boundaries) with examples. Read with YamlDotNet; unknown keys are errors.
/// </summary>
public sealed class KeywordsConfig
{
    /// <summary>The confidence a hit gets for each action: <c>info</c>, <c>review</c>, <c>block</c>.</summary>
    public Dictionary<string, double> ActionScores { get; set; } = [];

    public KeywordContextConfig Context { get; set; } = new();

    public KeywordEvasionConfig Evasion { get; set; } = new();

    public List<KeywordCategoryConfig> Categories { get; set; } = [];

    /// <summary>Per-phrase exceptions: a hit of the key inside one of the listed longer phrases does not count (<c>机密</c> but not <c>机密性</c>).</summary>
    public Dictionary<string, List<string>> Exceptions { get; set; } = [];

    public List<KeywordRuleConfig> Rules { get; set; } = [];
}

/// <summary>How category hits act as context (DOMAIN.md §6).</summary>
public sealed class KeywordContextConfig : RuleConfigBase
{
    /// <summary>Distinct categories in one paragraph that make a standalone finding.</summary>
    public int MinCategories { get; set; } = 3;

    /// <summary>The standalone finding's confidence.</summary>
    public double Score { get; set; } = 0.55;

    /// <summary>The most that keyword context adds to one finding.</summary>
    public double MaxBoost { get; set; } = 0.15;

    /// <summary>Informational findings kept per category and document; the count of the rest is in the last one's explanation.</summary>
    public int MaxInfoFindings { get; set; } = 20;

    /// <summary>Discussion-genre cues (保密法, 应当, 规定 …): in their paragraph, the categories below weigh nothing.</summary>
    public List<string> DiscussionCues { get; set; } = [];

    /// <summary>Regular expressions for cues that are not fixed phrases (第X条).</summary>
    public List<string> DiscussionPatterns { get; set; } = [];

    /// <summary>
    /// Finding categories keyword context raises (<c>marking</c>, <c>pii</c>, …). Detectors that already
    /// score the same cue words themselves (the survey rules weigh military and survey terms) are left out,
    /// so that one word is not counted twice.
    /// </summary>
    public List<string> AppliesTo { get; set; } = [];

    /// <summary>The categories a discussion cue sets to zero weight (K1, K2).</summary>
    public List<string> DiscussionZeroes { get; set; } = [];
}

/// <summary>The skeleton view against separators inserted between CJK characters (机*密, 机.密).</summary>
public sealed class KeywordEvasionConfig
{
    /// <summary>Characters dropped when they stand between two CJK ideographs.</summary>
    public string Separators { get; set; } = "";

    /// <summary>The longest run of separators dropped at one place.</summary>
    public int MaxRun { get; set; } = 3;
}

/// <summary>A category: a word list file (one phrase a line, <c>#</c> comments, UTF-8), a weight and a default action.</summary>
public sealed class KeywordCategoryConfig
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Path of the word list, relative to the ruleset directory.</summary>
    public string File { get; set; } = "";

    /// <summary>What one hit of this category adds to other findings in its paragraph.</summary>
    public double Weight { get; set; } = 0.05;

    /// <summary><c>context</c> (a feature only; informational finding), <c>info</c>, <c>review</c> or <c>block</c>.</summary>
    public string Action { get; set; } = "context";

    /// <summary>The finding's rule id (default <c>keyword-</c> + the lower-case id).</summary>
    public string Rule { get; set; } = "";

    public string Basis { get; set; } = "";

    /// <summary>Hits count only where jieba segments them as whole words.</summary>
    public bool WordBoundary { get; set; }
}

/// <summary>A richer rule: phrases with proximity, required context, word boundaries and examples.</summary>
public sealed class KeywordRuleConfig : RuleConfigBase
{
    /// <summary>A category the hits also count for as context (optional unless the action is <c>context</c>).</summary>
    public string Category { get; set; } = "";

    public List<string> Phrases { get; set; } = [];

    /// <summary>Another phrase must occur within this many characters (either side).</summary>
    public KeywordNearConfig? Near { get; set; }

    /// <summary>One of these phrases must occur in the same paragraph.</summary>
    public List<string> Requires { get; set; } = [];

    public bool WordBoundary { get; set; }

    public string Action { get; set; } = "review";

    /// <summary>Overrides the action's score.</summary>
    public double? Score { get; set; }
}

public sealed class KeywordNearConfig
{
    public List<string> Phrases { get; set; } = [];

    public int Within { get; set; } = 20;
}
