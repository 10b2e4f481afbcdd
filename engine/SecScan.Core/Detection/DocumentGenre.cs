using System.Text.RegularExpressions;

namespace SecScan.Core.Detection;

/// <summary>
/// The YAML model of <c>rulesets/default/genres.yaml</c>: the document-level genre cues of DOMAIN.md §7
/// shared by detectors (discussion, template, exam, a declared public mark).
/// </summary>
public sealed class DocumentGenreConfig
{
    public List<string> DiscussionCues { get; set; } = [];
    public List<string> DiscussionPatterns { get; set; } = [];
    public int DiscussionMinCues { get; set; } = 3;
    public List<string> TemplateCues { get; set; } = [];
    public int TemplateMinCues { get; set; } = 2;
    public List<string> ExamCues { get; set; } = [];
    public int ExamMinCues { get; set; } = 2;
    /// <summary>Regexes for a declared public mark ("密级：公开", "非密").</summary>
    public List<string> DeclaredPublicPatterns { get; set; } = [];
}

/// <summary>The compiled form of <see cref="DocumentGenreConfig"/>: cue lists and regexes, built once per ruleset; thread-safe.</summary>
public sealed class DocumentGenreRules
{
    private static readonly TimeSpan Timeout = DetectorRegex.MatchTimeout;

    public DocumentGenreRules(DocumentGenreConfig config)
    {
        Config = config;
        DiscussionPatterns = [.. config.DiscussionPatterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant, Timeout))];
        DeclaredPublic = [.. config.DeclaredPublicPatterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant, Timeout))];
    }

    /// <summary>No cues at all: every document is of no particular genre.</summary>
    public static DocumentGenreRules None { get; } = new(new DocumentGenreConfig());

    public DocumentGenreConfig Config { get; }

    internal Regex[] DiscussionPatterns { get; }

    internal Regex[] DeclaredPublic { get; }
}

/// <summary>
/// Document-level facts of DOMAIN.md §7, computed once per document from its normalized text and
/// shared by every detector through <see cref="DetectionInput.Genre"/>: how many discussion, template
/// and exam cues it has, and whether it declares itself public. Detectors decide what each fact does
/// to their own scores.
/// </summary>
public sealed record DocumentGenre
{
    public int DiscussionCues { get; init; }

    public int TemplateCues { get; init; }

    public int ExamCues { get; init; }

    /// <summary>Training or law-education text about secrecy (保密法, 第X条, 密级分为 …).</summary>
    public bool IsDiscussion { get; init; }

    /// <summary>A format sample or template (式样, 示例, ×××, 〔20××〕 …).</summary>
    public bool IsTemplate { get; init; }

    /// <summary>An exam paper or exam notice (试卷, 考生, 准考证号 …).</summary>
    public bool IsExam { get; init; }

    /// <summary>The document declares itself public ("密级：公开", "非密").</summary>
    public bool DeclaredPublic { get; init; }

    public static DocumentGenre Compute(string text, DocumentGenreRules rules)
    {
        var c = rules.Config;
        int discussion = Count(text, c.DiscussionCues) + rules.DiscussionPatterns.Count(r => r.IsMatch(text));
        int template = Count(text, c.TemplateCues);
        int exam = Count(text, c.ExamCues);
        return new DocumentGenre
        {
            DiscussionCues = discussion,
            TemplateCues = template,
            ExamCues = exam,
            IsDiscussion = c.DiscussionCues.Count + c.DiscussionPatterns.Count > 0 && discussion >= c.DiscussionMinCues,
            IsTemplate = c.TemplateCues.Count > 0 && template >= c.TemplateMinCues,
            IsExam = c.ExamCues.Count > 0 && exam >= c.ExamMinCues,
            DeclaredPublic = rules.DeclaredPublic.Any(r => r.IsMatch(text)),
        };
    }

    /// <summary>How many distinct cues occur at least once (ordinal).</summary>
    private static int Count(string text, List<string> cues)
    {
        int n = 0;
        foreach (var cue in cues)
            if (text.Contains(cue, StringComparison.Ordinal)) n++;
        return n;
    }
}
