namespace SecScan.Core.Rulesets;

/// <summary>
/// A ruleset that cannot be loaded or compiled. The message names the file, the rule and the field so
/// that an analyst can fix the YAML without reading code.
/// </summary>
public sealed class RulesetException : Exception
{
    public RulesetException(string file, string? rule, string? field, string message, Exception? inner = null)
        : base(Format(file, rule, field, message), inner)
    {
        File = file;
        Rule = rule;
        Field = field;
    }

    public RulesetException() { File = ""; }

    public RulesetException(string message) : base(message) { File = ""; }

    public RulesetException(string message, Exception inner) : base(message, inner) { File = ""; }

    public string File { get; }

    public string? Rule { get; }

    public string? Field { get; }

    private static string Format(string file, string? rule, string? field, string message)
    {
        var where = file;
        if (rule is not null) where += $": rule '{rule}'";
        if (field is not null) where += $": field '{field}'";
        return $"{where}: {message}";
    }
}
