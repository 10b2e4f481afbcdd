using SecScan.Core.Documents;

namespace SecScan.Core.Findings;

/// <summary>What kind of detector raised a finding.</summary>
public enum FindingCategory
{
    Marking,
    Coordinates,
    Pii,
    Keyword,
    Fingerprint,
    Classifier,
}

/// <summary>One step of a score: the base a pattern gives, or a context modifier and why it applied.</summary>
/// <param name="Reason">Stable, short, human-readable: <c>base: line alone with ★ and period</c>, <c>top region</c>.</param>
/// <param name="Delta">What it added (negative: took away). Caps are recorded as the change they caused.</param>
public sealed record ScoreStep(string Reason, double Delta);

/// <summary>
/// A located, explained reason to hold a document. Evidence is masked where it could carry secret
/// content; the location points at the original characters, not the normalized ones.
/// </summary>
public sealed record Finding
{
    /// <summary>Stable kebab-case rule id, e.g. <c>state-secret-marking</c>.</summary>
    public required string Rule { get; init; }

    public required FindingCategory Category { get; init; }

    /// <summary>0–1 after all modifiers; the policy maps it to a decision.</summary>
    public required double Confidence { get; init; }

    public required Location Location { get; init; }

    /// <summary>1-based line inside the segment, for segments that hold several lines (plain text).</summary>
    public int? Line { get; init; }

    /// <summary>Offset and length of the matched original characters inside the segment's text.</summary>
    public required int Start { get; init; }

    public required int Length { get; init; }

    /// <summary>The matched text, masked by the rule's masking policy (markings are shown; personal data is masked).</summary>
    public required string Evidence { get; init; }

    /// <summary>One sentence: what matched and what context decided the score.</summary>
    public required string Explanation { get; init; }

    /// <summary>The score breakdown: base and every modifier, in the order applied.</summary>
    public required IReadOnlyList<ScoreStep> Score { get; init; }

    /// <summary>Where the rule comes from: a source id of DOMAIN.md (S1…) or "engineering".</summary>
    public string? Basis { get; init; }
}
