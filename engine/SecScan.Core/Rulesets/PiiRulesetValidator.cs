using SecScan.Core.Detection;
using SecScan.Core.Pii;

namespace SecScan.Core.Rulesets;

/// <summary>Checks pii.yaml and genres.yaml at load; every error names file, rule and field.</summary>
internal static class PiiRulesetValidator
{
    public static IEnumerable<string> RuleIds(PiiConfig pii) => pii.Rules.Select(r => r.Id).Where(id => !string.IsNullOrWhiteSpace(id));

    public static List<RuleExample> Validate(PiiConfig pii, DocumentGenreConfig genres)
    {
        const string f = Ruleset.PiiFile;
        if (pii.Masking.MinMasked < 1) throw new RulesetException(f, "masking", "min_masked", "must be at least 1");
        if (pii.Bulk.Score is < 0 or > 1) throw new RulesetException(f, "bulk", "score", $"{pii.Bulk.Score} is outside [0, 1]");

        var required = new Dictionary<PiiRuleBase, string[]>
        {
            [pii.IdNumber] = ["valid", "invalid_labelled", "legacy_labelled"],
            [pii.CreditCode] = ["valid", "invalid_labelled", "customer_list", "individual_bulk"],
            [pii.BankCard] = ["labelled", "unlabelled", "luhn_failed_labelled", "corporate_account", "tender_cap"],
            [pii.PhoneNumber] = ["mobile", "mobile_named", "landline", "landline_personal", "contact_list"],
            [pii.Passport] = ["labelled", "mrz", "mrz_invalid"],
            [pii.EmailAddress] = ["personal", "bulk", "internal"],
            [pii.CustomerList] = ["list", "with_pii", "with_mark"],
            [pii.FinancialStatement] = ["statement", "qualified"],
            [pii.PrivateKey] = ["key", "header_only", "context"],
        };
        var examples = new List<RuleExample>();
        foreach (var (rule, keys) in required)
        {
            var name = rule.GetType().Name.Replace("Config", "", StringComparison.Ordinal);
            RulesetValidator.Require(f, name, "id", rule.Id);
            RulesetValidator.RequireKeys(f, rule.Id, "scores", rule.Scores, keys);
            if (rule.Examples.Match.Count == 0) throw new RulesetException(f, rule.Id, "examples.match", "every rule carries at least one match example");
            examples.AddRange(rule.Examples.Match.Select((e, i) => RulesetValidator.Example(f, rule.Id, $"examples.match[{i}]", e, true)));
            examples.AddRange(rule.Examples.NoMatch.Select((e, i) => RulesetValidator.Example(f, rule.Id, $"examples.no_match[{i}]", e, false)));
        }
        CheckPatterns(f, pii.IdNumber.Id, "patterns", pii.IdNumber.Patterns);
        CheckPatterns(f, pii.IdNumber.Id, "legacy_patterns", pii.IdNumber.LegacyPatterns);
        CheckPatterns(f, pii.CreditCode.Id, "patterns", pii.CreditCode.Patterns);
        CheckPatterns(f, pii.BankCard.Id, "patterns", pii.BankCard.Patterns);
        CheckPatterns(f, pii.BankCard.Id, "account_patterns", pii.BankCard.AccountPatterns);
        CheckPatterns(f, pii.PhoneNumber.Id, "mobile_patterns", pii.PhoneNumber.MobilePatterns);
        CheckPatterns(f, pii.PhoneNumber.Id, "landline_patterns", pii.PhoneNumber.LandlinePatterns);
        CheckPatterns(f, pii.PhoneNumber.Id, "bare_landline_patterns", pii.PhoneNumber.BareLandlinePatterns);
        CheckPatterns(f, pii.PhoneNumber.Id, "service_patterns", pii.PhoneNumber.ServicePatterns);
        CheckPatterns(f, pii.Passport.Id, "mrz_patterns", pii.Passport.MrzPatterns);
        foreach (var form in pii.Passport.Forms)
        {
            CheckPatterns(f, pii.Passport.Id, $"forms[{form.Name}].pattern", [form.Pattern]);
            if (form.Labels.Count == 0) throw new RulesetException(f, pii.Passport.Id, $"forms[{form.Name}].labels", "a passport form needs at least one label (no label, no finding)");
        }
        CheckPatterns(f, pii.EmailAddress.Id, "patterns", pii.EmailAddress.Patterns);
        CheckPatterns(f, pii.PrivateKey.Id, "patterns", pii.PrivateKey.Patterns);
        if (pii.CustomerList.HeaderCues.Count < pii.CustomerList.MinHeaderCues)
            throw new RulesetException(f, pii.CustomerList.Id, "header_cues", $"fewer cues than min_header_cues ({pii.CustomerList.MinHeaderCues})");
        if (pii.FinancialStatement.Titles.Count == 0) throw new RulesetException(f, pii.FinancialStatement.Id, "titles", "at least one title is required");

        foreach (var (i, pattern) in genres.DiscussionPatterns.Index())
            RulesetValidator.CheckRegex(Ruleset.GenresFile, "genres", $"discussion_patterns[{i}]", pattern);
        foreach (var (i, pattern) in genres.DeclaredPublicPatterns.Index())
            RulesetValidator.CheckRegex(Ruleset.GenresFile, "genres", $"declared_public_patterns[{i}]", pattern);
        return examples;
    }

    /// <summary>Each pattern compiles and has a <c>value</c> group (what is validated and masked).</summary>
    private static void CheckPatterns(string file, string rule, string field, List<string> patterns)
    {
        foreach (var (i, p) in patterns.Index())
        {
            RulesetValidator.CheckRegex(file, rule, $"{field}[{i}]", p);
            if (!p.Contains("(?<value>", StringComparison.Ordinal))
                throw new RulesetException(file, rule, $"{field}[{i}]", "the pattern needs a named group (?<value>…)");
        }
    }
}
