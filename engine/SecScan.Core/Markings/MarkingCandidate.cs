using SecScan.Core.Findings;

namespace SecScan.Core.Markings;

/// <summary>
/// A marking match on its way to becoming a finding: the span in normalized text, the line it sits on,
/// and the score built step by step so the finding can explain itself.
/// </summary>
internal sealed class MarkingCandidate
{
    private readonly List<ScoreStep> _steps = [];

    public MarkingCandidate(string rule, int start, int length, int lineStart, int lineEnd, string mark, string form, double baseScore, string basis)
    {
        Rule = rule;
        Start = start;
        Length = length;
        LineStart = lineStart;
        LineEnd = lineEnd;
        Mark = mark;
        Form = form;
        Basis = basis;
        Score = baseScore;
        _steps.Add(new ScoreStep("base: " + form, baseScore));
    }

    public string Rule { get; }
    public int Start { get; }
    public int Length { get; }
    public int LineStart { get; }
    public int LineEnd { get; }

    /// <summary>The normalized mark as matched (<c>机密★10年</c>): the evidence, and the key for "repeated".</summary>
    public string Mark { get; }

    /// <summary>Which pattern matched, in words.</summary>
    public string Form { get; }

    public string Basis { get; }

    public double Score { get; private set; }

    public IReadOnlyList<ScoreStep> Steps => _steps;

    public string? Level { get; init; }
    public string? PeriodText { get; init; }
    public bool HasStar { get; init; }

    /// <summary>A line-alone form (M1, field value alone, line marker): these define "a real mark in the top region".</summary>
    public bool LineAlone { get; init; }

    /// <summary>A level alone with nothing else (<c>机密</c>): the form a list of levels also takes.</summary>
    public bool LevelOnly { get; init; }

    public bool InTopRegion { get; set; }

    /// <summary>
    /// Applies a modifier. Raises saturate at 1.0 (the step records what was actually added, so a
    /// mark already at 1.0 shows "next to 份号 +0.00"): otherwise stacked raises would soak up a
    /// later lowering, and a 公文 format sample with 份号 and 特急 could not be lowered by its template genre.
    /// </summary>
    public void Add(string reason, double delta)
    {
        if (delta == 0) return;
        if (delta > 0 && Score + delta > 1)
        {
            // The raise still tells the reviewer something: keep it, with what it would have added.
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reason} (+{delta:0.00} capped at 1.00)");
            delta = Math.Max(0, 1 - Score);
        }
        Score += delta;
        _steps.Add(new ScoreStep(reason, Math.Round(delta, 3)));
    }

    /// <summary>Records an observation that does not change the score (shown to the reviewer).</summary>
    public void Note(string reason) => _steps.Add(new ScoreStep(reason, 0));

    public void Cap(string reason, double cap)
    {
        double clamped = Math.Clamp(Score, 0, 1);
        if (clamped <= cap) return;
        _steps.Add(new ScoreStep(reason, Math.Round(cap - clamped, 3)));
        Score = cap;
    }

    public double Final => Math.Clamp(Score, 0, 1);
}
