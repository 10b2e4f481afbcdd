using SecScan.Core.Findings;

namespace SecScan.Core.Coordinates;

/// <summary>A score being built: a base and each modifier with its reason, caps recorded as the change they caused.</summary>
internal sealed class SurveyScore
{
    private readonly List<ScoreStep> _steps = [];

    public SurveyScore(string reason, double value)
    {
        Value = value;
        _steps.Add(new ScoreStep("base: " + reason, value));
    }

    public double Value { get; private set; }

    public IReadOnlyList<ScoreStep> Steps => _steps;

    public SurveyScore Add(string reason, double delta)
    {
        _steps.Add(new ScoreStep(reason, delta));
        Value += delta;
        return this;
    }

    /// <summary>Raises the score to <paramref name="floor"/> when a stronger reason applies.</summary>
    public SurveyScore AtLeast(string reason, double floor)
    {
        if (Value < floor) Add(reason, Math.Round(floor - Value, 3));
        return this;
    }

    public SurveyScore Cap(string reason, double cap)
    {
        if (Value > cap) Add(reason, Math.Round(cap - Value, 3));
        return this;
    }
}
