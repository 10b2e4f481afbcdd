namespace SecScan.Core.Policy;

// The YAML model of rulesets/default/policy.yaml.

public sealed class PolicyConfig
{
    public string DefaultChannel { get; set; } = "publish";
    public Dictionary<string, ChannelPolicyConfig> Channels { get; set; } = [];
}

public sealed class ChannelPolicyConfig
{
    public string Description { get; set; } = "";
    public double BlockAt { get; set; } = 0.8;
    public double ReviewAt { get; set; } = 0.5;

    /// <summary>Minimum decision for each kind of coverage gap (kebab-case kind → allow/review/block).</summary>
    public Dictionary<string, string> Coverage { get; set; } = [];

    /// <summary>Per-rule bounds on the decision a firing rule may give: <c>min</c> promotes, <c>max</c> caps.</summary>
    public Dictionary<string, RulePolicyConfig> Rules { get; set; } = [];
}

public sealed class RulePolicyConfig
{
    public string? Min { get; set; }
    public string? Max { get; set; }
}
