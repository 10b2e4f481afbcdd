namespace SecScan.Core.Detection;

/// <summary>What every detector regex shares.</summary>
public static class DetectorRegex
{
    /// <summary>
    /// The match timeout of every detector regex: a guard against a pattern that backtracks without bound, not
    /// a time budget. Every shipped pattern is linear (bounded quantifiers; tests run pathological inputs), and
    /// one match call over a megabyte line takes about a third of a second on one core, so the guard sits far
    /// above that: a wall-clock timeout that a busy machine could reach would turn ordinary text into
    /// <c>timed-out</c> reviews. A timeout that does fire becomes a <c>timed-out</c> note and a review.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);
}
