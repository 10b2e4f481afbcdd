using SecScan.Core.Documents;
using SecScan.Core.Findings;

namespace SecScan.Core.Rulesets;

/// <summary>
/// An example a rule carries in its YAML (<c>match:</c> / <c>no_match:</c>). A <c>match</c> example
/// must make the rule fire at <see cref="Expect"/> or stricter; a <c>no_match</c> example must not make
/// it fire at review or stricter. Checked by the tests and by <c>secscan rules test</c>.
/// </summary>
public sealed record RuleExample(string Rule, string Text, bool ShouldMatch, Decision Expect, SegmentPart Part)
{
    /// <summary>True when the YAML named the decision: the rule must reach exactly it, not merely at least it.</summary>
    public bool ExactExpectation { get; init; }

    /// <summary>
    /// For rules whose findings are informational (keyword context): a <c>no_match</c> example must not
    /// make the rule fire at all, not merely stay below review.
    /// </summary>
    public bool StrictNoMatch { get; init; }
}
