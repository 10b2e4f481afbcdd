namespace SecScan.Core.Rulesets;

/// <summary>Finds the bundled default ruleset: beside the running program, else in the source tree above the working directory.</summary>
public static class RulesetLocator
{
    public const string DefaultRelative = "rulesets/default";

    /// <exception cref="RulesetException">No default ruleset is found.</exception>
    public static string Default()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, DefaultRelative);
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultRelative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new RulesetException(DefaultRelative, null, null, "the default ruleset was not found beside the program or above the working directory; pass --ruleset DIR");
    }
}
