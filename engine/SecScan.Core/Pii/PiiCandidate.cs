using SecScan.Core.Findings;

namespace SecScan.Core.Pii;

/// <summary>The kind of a personal value: what the bulk and row rules count as "the same type".</summary>
internal enum PiiKind
{
    IdNumber,
    CreditCode,
    BankCard,
    Phone,
    Passport,
    Email,
}

/// <summary>A matched, validated value on its way to a finding: its span, masked evidence and score steps.</summary>
internal sealed class PiiCandidate(string rule, PiiKind kind, int start, int length, string value, string evidence, string form, double score, string basis)
{
    private readonly List<ScoreStep> _steps = [new("base: " + form, score)];

    public string Rule { get; } = rule;

    public PiiKind Kind { get; } = kind;

    public int Start { get; } = start;

    public int Length { get; } = length;

    /// <summary>The bare value, kept in memory only to count distinct values; never written anywhere.</summary>
    public string Value { get; } = value;

    public string Evidence { get; } = evidence;

    public string Form { get; } = form;

    public string Basis { get; } = basis;

    /// <summary>A validated personal value that counts for the bulk and row rules.</summary>
    public bool Personal { get; init; }

    public IReadOnlyList<ScoreStep> Steps => _steps;

    public double Score => Math.Clamp(_steps.Sum(s => s.Delta), 0, 1);

    public void Add(string reason, double delta) => _steps.Add(new ScoreStep(reason, delta));

    /// <summary>Raises the score to at least <paramref name="to"/>, recording the change.</summary>
    public void RaiseTo(string reason, double to)
    {
        double now = Score;
        if (to > now) _steps.Add(new ScoreStep(reason, Math.Round(to - now, 3)));
    }

    /// <summary>Lowers the score to at most <paramref name="to"/>, recording the change.</summary>
    public void Cap(string reason, double to)
    {
        double now = Score;
        if (now > to) _steps.Add(new ScoreStep(reason, Math.Round(to - now, 3)));
    }

    public bool Overlaps(PiiCandidate other) => Start < other.Start + other.Length && other.Start < Start + Length;
}
