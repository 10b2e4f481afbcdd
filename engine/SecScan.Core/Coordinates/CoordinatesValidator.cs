using SecScan.Core.Rulesets;

namespace SecScan.Core.Coordinates;

/// <summary>Checks coordinates.yaml at load and collects its rule examples; every error names file, rule and field.</summary>
internal static class CoordinatesValidator
{
    public static List<RuleExample> Validate(CoordinatesConfig c)
    {
        const string f = Ruleset.CoordinatesFile;
        foreach (var rule in c.Rules)
        {
            RulesetValidator.Require(f, rule.GetType().Name, "id", rule.Id);
            if (rule.Examples.Match.Count == 0) throw new RulesetException(f, rule.Id, "examples.match", "every rule carries at least one match example");
        }
        if (c.Shared.DatumCues.Count == 0) throw new RulesetException(f, "shared", "datum_cues", "at least one datum name is required");
        CheckScore(f, "shared", "boundary_cap", c.Shared.BoundaryCap);

        var g = c.GeoCoordinates;
        RulesetValidator.RequireKeys(f, g.Id, "scores", g.Scores, "datum_hp", "many_points", "some_hp", "prose", "sensitive");
        if (!(g.MinLatitude < g.MaxLatitude && g.MinLongitude < g.MaxLongitude))
            throw new RulesetException(f, g.Id, "min_latitude", "the China ranges must satisfy min < max");
        CheckScore(f, g.Id, "public_service_modifier", g.PublicServiceModifier);

        var p = c.PlaneCoordinates;
        RulesetValidator.RequireKeys(f, p.Id, "scores", p.Scores, "rows_cued", "rows", "single_pair");
        if (p.CurrencyWords.Count == 0) throw new RulesetException(f, p.Id, "currency_words", "at least one currency word is required");

        var t = c.ControlPointTable;
        RulesetValidator.RequireKeys(f, t.Id, "scores", t.Scores, "table", "few_rows");
        if (t.TitleCues.Count == 0) throw new RulesetException(f, t.Id, "title_cues", "at least one title cue is required");
        if (t.MinHeaderCues < 1) throw new RulesetException(f, t.Id, "min_header_cues", "must be at least 1");
        foreach (var (i, pattern) in t.GradePatterns.Index()) RulesetValidator.CheckRegex(f, t.Id, $"grade_patterns[{i}]", pattern);
        foreach (var (i, pattern) in t.ProcessedPatterns.Index()) RulesetValidator.CheckRegex(f, t.Id, $"processed_patterns[{i}]", pattern);

        var tp = c.TransformationParameters;
        RulesetValidator.RequireKeys(f, tp.Id, "scores", tp.Scores, "cued", "uncued", "proj");
        if (tp.ParameterPatterns.Count == 0) throw new RulesetException(f, tp.Id, "parameter_patterns", "at least one pattern is required");
        foreach (var (i, pattern) in tp.ParameterPatterns.Index()) RulesetValidator.CheckRegex(f, tp.Id, $"parameter_patterns[{i}]", pattern);
        foreach (var (i, pattern) in tp.ProjPatterns.Index()) RulesetValidator.CheckRegex(f, tp.Id, $"proj_patterns[{i}]", pattern);
        foreach (var (i, pattern) in tp.DatumPairPatterns.Index()) RulesetValidator.CheckRegex(f, tp.Id, $"datum_pair_patterns[{i}]", pattern);

        var sp = c.SurveyProducts;
        RulesetValidator.CheckRegex(f, sp.Id, "sheet_pattern", sp.SheetPattern);
        if (string.IsNullOrEmpty(sp.SheetPattern)) throw new RulesetException(f, sp.Id, "sheet_pattern", "is required");
        foreach (var product in sp.Products)
        {
            string field = $"products[{product.Name}]";
            if (product.Name.Length == 0) throw new RulesetException(f, sp.Id, "products.name", "every product needs a name");
            if (product.Cues.Count == 0) throw new RulesetException(f, sp.Id, field + ".cues", "at least one cue is required");
            CheckScore(f, sp.Id, field + ".score", product.Score);
            if (product.Context.Length > 0) RulesetValidator.CheckRegex(f, sp.Id, field + ".context", product.Context);
            if (product.Requires.Length > 0) RulesetValidator.CheckRegex(f, sp.Id, field + ".requires", product.Requires);
            foreach (var (i, pattern) in product.Raise.Index()) RulesetValidator.CheckRegex(f, sp.Id, $"{field}.raise[{i}]", pattern);
        }

        var s = c.SensitiveGeoContent;
        RulesetValidator.RequireKeys(f, s.Id, "scores", s.Scores, "one_group", "two_groups");
        if (s.Groups.Count == 0) throw new RulesetException(f, s.Id, "groups", "at least one term group is required");

        var examples = new List<RuleExample>();
        foreach (var rule in c.Rules)
        {
            examples.AddRange(rule.Examples.Match.Select((e, i) => RulesetValidator.Example(f, rule.Id, $"examples.match[{i}]", e, true)));
            examples.AddRange(rule.Examples.NoMatch.Select((e, i) => RulesetValidator.Example(f, rule.Id, $"examples.no_match[{i}]", e, false)));
        }
        return examples;
    }

    private static void CheckScore(string file, string rule, string field, double value)
    {
        if (value is < -1 or > 1) throw new RulesetException(file, rule, field, $"{value} is outside [-1, 1]");
    }
}
