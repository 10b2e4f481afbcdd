using System.Collections.Frozen;
using System.Globalization;
using SecScan.Core.Documents;
using SecScan.Core.Findings;

namespace SecScan.Core.Policy;

/// <summary>
/// Maps findings and coverage to a decision, per channel. Knows nothing of formats or detectors: only
/// confidences, rule ids and coverage kinds. Fail closed: a coverage kind the policy does not name is
/// at least <see cref="Decision.Review"/>.
/// </summary>
public sealed class VerdictPolicy
{
    private readonly FrozenDictionary<string, ChannelPolicy> _channels;

    internal VerdictPolicy(string defaultChannel, IDictionary<string, ChannelPolicy> channels)
    {
        DefaultChannel = defaultChannel;
        _channels = channels.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string DefaultChannel { get; }

    public IEnumerable<string> ChannelNames => _channels.Keys;

    public bool HasChannel(string channel) => _channels.ContainsKey(channel);

    /// <summary>The decision one finding asks for on <paramref name="channel"/>, after the rule's bounds.</summary>
    public Decision DecisionFor(string channel, Finding finding)
    {
        var c = Channel(channel);
        var d = finding.Confidence >= c.BlockAt ? Decision.Block : finding.Confidence >= c.ReviewAt ? Decision.Review : Decision.Allow;
        if (d == Decision.Allow) return d;   // informational findings are never promoted
        if (c.Rules.TryGetValue(finding.Rule, out var bounds))
        {
            if (bounds.Min is { } min && d < min) d = min;
            if (bounds.Max is { } max && d > max) d = max;
        }
        return d;
    }

    /// <summary>The minimum decision a coverage gap forces on <paramref name="channel"/>.</summary>
    public Decision DecisionFor(string channel, CoverageNote note) =>
        Channel(channel).Coverage.TryGetValue(note.Kind, out var d) ? d : Decision.Review;

    /// <summary>The decision for a document and the reasons behind it, strictest first.</summary>
    public (Decision Decision, List<string> Reasons) Decide(string channel, IReadOnlyList<Finding> findings, IReadOnlyList<CoverageNote> coverage)
    {
        var reasons = new List<(Decision, double, string)>();
        var decision = Decision.Allow;
        var c = Channel(channel);
        foreach (var f in findings)
        {
            var d = DecisionFor(channel, f);
            if (d == Decision.Allow) continue;
            decision = d > decision ? d : decision;
            var threshold = f.Confidence >= c.BlockAt ? $"≥ {c.BlockAt:0.00}" : $"≥ {c.ReviewAt:0.00}";
            reasons.Add((d, f.Confidence, string.Create(CultureInfo.InvariantCulture,
                $"{Name(d)}: {f.Rule} {f.Confidence:0.00} {threshold} at {f.Location}{(f.Line is { } line ? $" line {line}" : "")}: {f.Evidence}")));
        }
        foreach (var n in coverage)
        {
            var d = DecisionFor(channel, n);
            decision = d > decision ? d : decision;
            if (d > Decision.Allow) reasons.Add((d, 0, $"{Name(d)}: not fully read ({CoverageKinds.Name(n.Kind)}) — {n.Message}"));
        }
        return (decision, reasons.OrderByDescending(r => r.Item1).ThenByDescending(r => r.Item2).Select(r => r.Item3).ToList());
    }

    private ChannelPolicy Channel(string channel) =>
        _channels.TryGetValue(channel, out var c) ? c : throw new ArgumentException($"unknown channel '{channel}'; known: {string.Join(", ", _channels.Keys)}", nameof(channel));

    public static string Name(Decision d) => d switch
    {
        Decision.Block => "block",
        Decision.Review => "review",
        _ => "allow",
    };

    public static bool TryParse(string? s, out Decision d)
    {
        switch (s)
        {
            case "allow": d = Decision.Allow; return true;
            case "review": d = Decision.Review; return true;
            case "block": d = Decision.Block; return true;
            default: d = Decision.Allow; return false;
        }
    }
}

internal sealed record ChannelPolicy(double BlockAt, double ReviewAt,
    FrozenDictionary<CoverageKind, Decision> Coverage,
    FrozenDictionary<string, (Decision? Min, Decision? Max)> Rules);

/// <summary>Kebab-case names of coverage kinds as they appear in YAML and JSON.</summary>
public static class CoverageKinds
{
    public static string Name(CoverageKind kind) => kind switch
    {
        CoverageKind.ImageOnly => "image-only",
        CoverageKind.ImagesNotInspected => "images-not-inspected",
        CoverageKind.LimitExceeded => "limit-exceeded",
        CoverageKind.TimedOut => "timed-out",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string name, out CoverageKind kind)
    {
        foreach (var k in Enum.GetValues<CoverageKind>())
            if (Name(k) == name) { kind = k; return true; }
        kind = default;
        return false;
    }
}
