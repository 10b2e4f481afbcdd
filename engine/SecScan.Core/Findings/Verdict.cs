using SecScan.Core.Documents;

namespace SecScan.Core.Findings;

/// <summary>May this be published? Ordered: a larger value is a stricter decision.</summary>
public enum Decision
{
    Allow = 0,
    Review = 1,
    Block = 2,
}

/// <summary>What was and was not read. <see cref="Complete"/> is false whenever any note exists.</summary>
public sealed record Coverage(bool Complete, IReadOnlyList<CoverageNote> Notes);

/// <summary>The ruleset a verdict was made with; the version is the hash of its files.</summary>
public sealed record RulesetInfo(string Name, string Version);

/// <summary>Milliseconds spent in each stage.</summary>
public sealed record Timings(double ExtractMs, double NormalizeMs, double DetectMs, double TotalMs);

/// <summary>
/// The answer for one document: the decision, every finding that counts, the reasons that drove the
/// decision (findings over a threshold, coverage gaps), coverage, the ruleset and the content hash.
/// The same JSON leaves the CLI, the API and the reports.
/// </summary>
public sealed record Verdict
{
    public required string Source { get; init; }

    public required string Channel { get; init; }

    public required Decision Decision { get; init; }

    /// <summary>Why the decision is what it is, one line each, strictest first.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>Findings ordered by confidence, strictest first; informational ones (below review) included.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required Coverage Coverage { get; init; }

    public required RulesetInfo Ruleset { get; init; }

    public required string MediaType { get; init; }

    public required long Bytes { get; init; }

    /// <summary>SHA-256 of the scanned bytes, lower-case hex; empty when the bytes could not be read.</summary>
    public required string Sha256 { get; init; }

    public required Timings Timings { get; init; }
}
