using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Findings;

namespace SecScan.Core.Pii;

/// <summary>
/// Personal data D12–D17 and structured business data D18 (DOMAIN.md §5): ID numbers, credit codes,
/// bank cards and accounts, phones, passports and permits, e-mail, customer lists and financial
/// statements. Patterns come from <c>pii.yaml</c>; checksums from <see cref="PiiValidators"/>. A value
/// with ≥ 4 masked characters in its token is no finding; the bulk and row rules raise severity; the
/// evidence is always masked. Built once per ruleset; thread-safe.
/// </summary>
public sealed class PiiDetector : IDetector
{
    private static readonly TimeSpan MatchTimeout = DetectorRegex.MatchTimeout;

    /// <summary>How far either side of a value the masking check reads its token.</summary>
    private const int MaxTokenReach = 48;

    /// <summary>Header and title lines longer than this are prose, not a table header.</summary>
    private const int MaxHeaderLine = 80;

    /// <summary>Values kept per kind per document: past this a reviewer already has plenty, and work stays bounded.</summary>
    private const int MaxPerKind = 2000;

    private static readonly SearchValues<char> Triggers = SearchValues.Create("0123456789@");

    private readonly PiiConfig _cfg;
    private readonly TimeProvider _clock;
    private readonly Regex[] _id, _idLegacy, _uscc, _card, _account, _mobile, _landline, _bareLandline, _service, _email, _mrz;
    private readonly (PassportForm Form, Regex Regex)[] _passport;

    public PiiDetector(PiiConfig config, TimeProvider? clock = null)
    {
        _cfg = config;
        _clock = clock ?? TimeProvider.System;
        _id = Compile(config.IdNumber.Patterns);
        _idLegacy = Compile(config.IdNumber.LegacyPatterns);
        _uscc = Compile(config.CreditCode.Patterns);
        _card = Compile(config.BankCard.Patterns);
        _account = Compile(config.BankCard.AccountPatterns);
        _mobile = Compile(config.PhoneNumber.MobilePatterns);
        _landline = Compile(config.PhoneNumber.LandlinePatterns);
        _bareLandline = Compile(config.PhoneNumber.BareLandlinePatterns);
        _service = Compile(config.PhoneNumber.ServicePatterns);
        _email = Compile(config.EmailAddress.Patterns);
        _mrz = Compile(config.Passport.MrzPatterns);
        _passport = [.. config.Passport.Forms.Select(f => (f, new Regex(f.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout)))];
    }

    public string Id => "pii";

    public void Detect(DetectionInput input, List<Finding> findings)
    {
        var text = input.Text.Text;
        if (text.AsSpan().IndexOfAny(Triggers) < 0) return;
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        var all = new List<PiiCandidate>();
        FindIdNumbers(input, today, all);
        FindCreditCodes(input, all);
        FindBankCards(input, today, all);
        FindPhones(input, all);
        FindPassports(input, all);
        FindEmails(input, all);
        input.CancellationToken.ThrowIfCancellationRequested();
        var kept = RemoveOverlaps(all);

        var lists = FindCustomerLists(input, kept, findings);
        ApplyBulk(input, kept, lists);
        foreach (var c in kept.Where(c => c.Score > 0).OrderBy(c => c.Start))
            findings.Add(input.CreateFinding(c.Rule, FindingCategory.Pii, c.Start, c.Length, c.Score, c.Steps, c.Evidence, Explain(c.Evidence, c.Steps), c.Basis));
        FindFinancialStatements(input, findings);
    }

    // ---- D12 ------------------------------------------------------------------------------------

    private void FindIdNumbers(DetectionInput input, DateOnly today, List<PiiCandidate> output)
    {
        var cfg = _cfg.IdNumber;
        foreach (var (start, length, raw) in Values(input, _id))
        {
            if (IsMasked(input.Text.Text, start, start + length) || LabelNear(input, start, cfg.NegativeLabels, cfg.LabelWindow) is not null) continue;
            var bare = PiiMask.Bare(raw);
            var label = LabelNear(input, start, cfg.Labels, cfg.LabelWindow);
            var evidence = PiiMask.Keep(bare, 4, 4);
            if (PiiValidators.IsValidResidentId(bare, today))
            {
                var c = new PiiCandidate(cfg.Id, PiiKind.IdNumber, start, length, bare, evidence,
                    "18-digit ID number; MOD 11-2 check, birth date and province code valid", cfg.Scores["valid"], cfg.Basis) { Personal = true };
                if (label is not null) c.Add($"labelled ({label})", 0);
                output.Add(c);
            }
            else if (label is not null)
            {
                var why = PiiValidators.ResidentIdChecksum(bare) ? "date or province code implausible" : "check character wrong";
                output.Add(new PiiCandidate(cfg.Id, PiiKind.IdNumber, start, length, bare, evidence,
                    $"labelled ({label}) 18-digit ID number, {why} (a typo leaks too)", cfg.Scores["invalid_labelled"], cfg.Basis));
            }
        }
        foreach (var (start, length, raw) in Values(input, _idLegacy))
        {
            if (IsMasked(input.Text.Text, start, start + length)) continue;
            var label = LabelNear(input, start, cfg.Labels, cfg.LabelWindow);
            if (label is null || !PiiValidators.IsPlausibleLegacyResidentId(raw, today)) continue;
            output.Add(new PiiCandidate(cfg.Id, PiiKind.IdNumber, start, length, raw, PiiMask.Keep(raw, 4, 3),
                $"labelled ({label}) 15-digit legacy ID number; province code and date plausible", cfg.Scores["legacy_labelled"], cfg.Basis) { Personal = true });
        }
    }

    // ---- D13 ------------------------------------------------------------------------------------

    private void FindCreditCodes(DetectionInput input, List<PiiCandidate> output)
    {
        var cfg = _cfg.CreditCode;
        foreach (var (start, length, raw) in Values(input, _uscc))
        {
            if (IsMasked(input.Text.Text, start, start + length)) continue;
            var evidence = PiiMask.Keep(raw, 4, 4);
            if (PiiValidators.IsValidUscc(raw))
            {
                output.Add(new PiiCandidate(cfg.Id, PiiKind.CreditCode, start, length, raw, evidence,
                    "unified social credit code; GB 32100 and organization-code checks valid (public registration data)", cfg.Scores["valid"], cfg.Basis));
            }
            else if (LabelNear(input, start, cfg.Labels, cfg.LabelWindow) is { } label)
            {
                output.Add(new PiiCandidate(cfg.Id, PiiKind.CreditCode, start, length, raw, evidence,
                    $"labelled ({label}) credit code whose check fails (some real codes do)", cfg.Scores["invalid_labelled"], cfg.Basis));
            }
        }
    }

    // ---- D14 ------------------------------------------------------------------------------------

    private void FindBankCards(DetectionInput input, DateOnly today, List<PiiCandidate> output)
    {
        var cfg = _cfg.BankCard;
        var text = input.Text.Text;
        bool tender = cfg.TenderCues.Any(c => text.Contains(c, StringComparison.Ordinal));
        foreach (var (start, length, raw) in Values(input, _card))
        {
            var bare = PiiMask.Bare(raw);
            if (bare.Length is < 16 or > 19 || !cfg.Prefixes.Any(p => bare.StartsWith(p, StringComparison.Ordinal))) continue;
            if (IsMasked(text, start, start + length) || LabelNear(input, start, cfg.NegativeLabels, cfg.LabelWindow) is not null) continue;
            // An all-digit credit code or an ID number passes Luhn one time in ten: the stronger reading wins.
            if (PiiValidators.IsValidUscc(bare) || PiiValidators.IsValidResidentId(bare, today)) continue;
            var label = LabelNear(input, start, cfg.Labels, cfg.LabelWindow);
            var evidence = PiiMask.Keep(bare, 4, 4);
            PiiCandidate c;
            if (PiiValidators.Luhn(bare))
            {
                c = label is not null
                    ? new PiiCandidate(cfg.Id, PiiKind.BankCard, start, length, bare, evidence, $"labelled ({label}) card number; Luhn valid", cfg.Scores["labelled"], cfg.Basis) { Personal = true }
                    : new PiiCandidate(cfg.Id, PiiKind.BankCard, start, length, bare, evidence, "card number without a label; Luhn valid", cfg.Scores["unlabelled"], cfg.Basis) { Personal = true };
            }
            else if (label is not null)
            {
                c = new PiiCandidate(cfg.Id, PiiKind.BankCard, start, length, bare, evidence, $"labelled ({label}) card number", cfg.Scores["labelled"], cfg.Basis);
                c.Add("Luhn fails (some older domestic debit cards do)", cfg.Scores["luhn_failed_labelled"]);
            }
            else continue;
            if (label is not null && tender) CapTenderAccount(input, c);
            output.Add(c);
        }
        foreach (var (start, length, raw) in Values(input, _account))
        {
            var bare = PiiMask.Bare(raw);
            if (bare.Length is < 10 or > 25 || IsMasked(text, start, start + length)) continue;
            var c = new PiiCandidate(cfg.Id, PiiKind.BankCard, start, length, bare, PiiMask.Keep(bare, 4, 4),
                "labelled bank account number", cfg.Scores["corporate_account"], cfg.Basis);
            if (tender) CapTenderAccount(input, c);
            output.Add(c);
        }
    }

    /// <summary>D14: the 收款账户 of a unit (户名 ends in 局, 中心, 公司 …) in a tender notice is published for payment.</summary>
    private void CapTenderAccount(DetectionInput input, PiiCandidate c)
    {
        var cfg = _cfg.BankCard;
        int row = input.RowIndexAt(c.Start);
        if (row < 0) return;
        var rows = input.Rows;
        var text = input.Text.Text;
        for (int i = Math.Max(0, row - cfg.HolderLineWindow); i <= Math.Min(rows.Count - 1, row + cfg.HolderLineWindow); i++)
        {
            var line = text.AsSpan(rows[i].Start, rows[i].End - rows[i].Start);
            foreach (var holder in cfg.HolderLabels)
            {
                int at = line.IndexOf(holder, StringComparison.Ordinal);
                if (at < 0) continue;
                var name = line[(at + holder.Length)..].TrimStart(":： ").TrimEnd("。；; ");
                foreach (var suffix in cfg.HolderOrgSuffixes)
                {
                    if (name.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        c.Cap($"收款账户 of a unit ({holder} …{suffix}) in a tender notice: published for payment", cfg.Scores["tender_cap"]);
                        return;
                    }
                }
            }
        }
    }

    // ---- D15 ------------------------------------------------------------------------------------

    private void FindPhones(DetectionInput input, List<PiiCandidate> output)
    {
        var cfg = _cfg.PhoneNumber;
        var text = input.Text.Text;
        var service = Values(input, _service).Select(v => (v.Start, v.Length)).ToList();
        bool IsService(int s, int l) => service.Any(x => s < x.Start + x.Length && x.Start < s + l);
        foreach (var (start, length, raw) in Values(input, _mobile))
        {
            if (IsMasked(text, start, start + length) || IsService(start, length)) continue;
            var bare = PiiMask.Bare(raw);
            if (bare.Length > 11) bare = bare[^11..];
            var evidence = PiiMask.Keep(bare, 3, 4);
            var named = LabelNear(input, start, cfg.NameCues, cfg.LabelWindow) ?? LabelNear(input, start, cfg.PersonalLabels, cfg.LabelWindow) ?? NameBefore(text, start);
            output.Add(named is not null
                ? new PiiCandidate(cfg.Id, PiiKind.Phone, start, length, bare, evidence, $"mobile number next to a name or label ({named})", cfg.Scores["mobile_named"], cfg.Basis) { Personal = true }
                : new PiiCandidate(cfg.Id, PiiKind.Phone, start, length, bare, evidence, "mobile number", cfg.Scores["mobile"], cfg.Basis) { Personal = true });
        }
        foreach (var (start, length, raw) in Values(input, _landline).Concat(Values(input, _bareLandline)))
        {
            if (IsMasked(text, start, start + length) || IsService(start, length)) continue;
            if (LabelNear(input, start, cfg.SwitchboardLabels, cfg.LabelWindow) is not null) continue;
            var bare = PiiMask.Bare(raw);
            var evidence = PiiMask.Keep(bare, 4, 2);
            output.Add(LabelNear(input, start, cfg.PersonalLabels, cfg.LabelWindow) is { } personal
                ? new PiiCandidate(cfg.Id, PiiKind.Phone, start, length, bare, evidence, $"landline labelled as personal ({personal})", cfg.Scores["landline_personal"], cfg.Basis) { Personal = true }
                : new PiiCandidate(cfg.Id, PiiKind.Phone, start, length, bare, evidence, "landline (mostly organisation numbers)", cfg.Scores["landline"], cfg.Basis));
        }
    }

    /// <summary>A 2–4 character Chinese name right before the number ("张三 138…", "王经理：138…").</summary>
    private static string? NameBefore(string text, int start)
    {
        int i = start;
        while (i > 0 && text[i - 1] is ' ' or ':' or '：' or ',' or '，') i--;
        int end = i;
        while (i > 0 && end - i < 5 && IsHan(text[i - 1])) i--;
        int n = end - i;
        bool boundary = i == 0 || !IsHan(text[i - 1]);
        return n is >= 2 and <= 4 && boundary && end < start ? "a name" : null;
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    // ---- D16 ------------------------------------------------------------------------------------

    private void FindPassports(DetectionInput input, List<PiiCandidate> output)
    {
        var cfg = _cfg.Passport;
        var text = input.Text.Text;
        foreach (var (form, regex) in _passport)
        {
            foreach (var (start, length, raw) in Values(input, [regex]))
            {
                if (IsMasked(text, start, start + length)) continue;
                if (LabelNear(input, start, form.Labels, cfg.LabelWindow) is not { } label) continue;
                output.Add(new PiiCandidate(cfg.Id, PiiKind.Passport, start, length, raw, PiiMask.Keep(raw, 2, 2),
                    $"{form.Name} number labelled ({label})", cfg.Scores["labelled"], cfg.Basis) { Personal = true });
            }
        }
        foreach (var (start, length, raw) in Values(input, _mrz))
        {
            int nl = raw.IndexOf('\n', StringComparison.Ordinal);
            var line2 = raw[(nl + 1)..];
            bool valid = PiiValidators.IsValidPassportMrzLine2(line2);
            output.Add(new PiiCandidate(cfg.Id, PiiKind.Passport, start, length, line2[..9], raw[..5] + "… (passport MRZ, 2 lines)",
                valid ? "passport machine-readable zone; ICAO 9303 check digits valid" : "passport machine-readable zone; check digits fail",
                valid ? cfg.Scores["mrz"] : cfg.Scores["mrz_invalid"], cfg.Basis) { Personal = true });
        }
    }

    // ---- D17 ------------------------------------------------------------------------------------

    private void FindEmails(DetectionInput input, List<PiiCandidate> output)
    {
        var cfg = _cfg.EmailAddress;
        foreach (var (start, length, raw) in Values(input, _email))
        {
            int at = raw.IndexOf('@', StringComparison.Ordinal);
            var local = raw[..at].ToLowerInvariant();
            var domain = raw[(at + 1)..].ToLowerInvariant();
            if (cfg.RoleLocalParts.Contains(local) || cfg.RoleDomainSuffixes.Any(s => domain == s || domain.EndsWith("." + s, StringComparison.Ordinal))) continue;
            var evidence = PiiMask.Email(raw);
            if (cfg.InternalSuffixes.FirstOrDefault(s => domain.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
            {
                output.Add(new PiiCandidate(cfg.Id, PiiKind.Email, start, length, raw.ToLowerInvariant(), evidence,
                    $"address on an internal host ({suffix})", cfg.Scores["internal"], cfg.Basis));
                continue;
            }
            output.Add(new PiiCandidate(cfg.Id, PiiKind.Email, start, length, raw.ToLowerInvariant(), evidence,
                "personal e-mail address", cfg.Scores["personal"], cfg.Basis) { Personal = true });
        }
    }

    // ---- D18 customer lists -----------------------------------------------------------------------

    /// <summary>Adds customer-list findings; returns the data-row ranges (indexes into the rows) of every list found.</summary>
    private List<(int First, int Last)> FindCustomerLists(DetectionInput input, List<PiiCandidate> values, List<Finding> findings)
    {
        var cfg = _cfg.CustomerList;
        var rows = input.Rows;
        var text = input.Text.Text;
        var lists = new List<(int, int)>();
        bool? marked = null;
        for (int i = 0; i < rows.Count; i++)
        {
            var header = rows[i];
            if (header.End - header.Start > MaxHeaderLine && !header.IsStructured) continue;
            var line = text.AsSpan(header.Start, header.End - header.Start);
            var cues = new List<string>();
            foreach (var cue in cfg.HeaderCues)
                if (line.Contains(cue, StringComparison.Ordinal)) cues.Add(cue);
            // 客户名称 contains 客户: count the longer cue only.
            cues.RemoveAll(c => cues.Any(o => o.Length > c.Length && o.Contains(c, StringComparison.Ordinal)));
            if (cues.Count < cfg.MinHeaderCues) continue;
            int last = i;
            for (int j = i + 1; j < rows.Count; j++)
            {
                bool sameTable = rows[j].Group == header.Group && rows[j].Index == rows[j - 1].Index + 1;
                if (!sameTable) break;
                last = j;
            }
            int dataRows = last - i;
            if (dataRows < cfg.MinRows) continue;
            int piiRows = 0;
            for (int j = i + 1; j <= last; j++)
            {
                var r = rows[j];
                if (values.Any(v => v.Personal && v.Kind is PiiKind.IdNumber or PiiKind.BankCard or PiiKind.Phone or PiiKind.Passport && r.Contains(v.Start))) piiRows++;
            }
            marked ??= cfg.MarkCues.FirstOrDefault(m => text.Contains(m, StringComparison.Ordinal)) is not null;
            var steps = new List<ScoreStep> { new("base: table header with " + string.Join("、", cues) + $" and {dataRows} rows", cfg.Scores["list"]) };
            double score = cfg.Scores["list"];
            if (piiRows >= cfg.PiiRows && cfg.Scores["with_pii"] > score)
            {
                steps.Add(new ScoreStep($"valid ID, card or mobile numbers in {piiRows} rows", Math.Round(cfg.Scores["with_pii"] - score, 3)));
                score = cfg.Scores["with_pii"];
            }
            if (marked == true && cfg.Scores["with_mark"] > score)
            {
                var mark = cfg.MarkCues.First(m => text.Contains(m, StringComparison.Ordinal));
                steps.Add(new ScoreStep($"the document carries a commercial-secret or internal mark ({mark})", Math.Round(cfg.Scores["with_mark"] - score, 3)));
                score = cfg.Scores["with_mark"];
            }
            var evidence = $"header: {string.Join("、", cues)} ({dataRows} rows)";
            findings.Add(input.CreateFinding(cfg.Id, FindingCategory.Pii, header.Start, header.End - header.Start, score, steps, evidence,
                Explain(evidence, steps), cfg.Basis));
            lists.Add((i + 1, last));
            i = last;
        }
        return lists;
    }

    // ---- bulk and rows ----------------------------------------------------------------------------

    private void ApplyBulk(DetectionInput input, List<PiiCandidate> values, List<(int First, int Last)> lists)
    {
        var bulk = _cfg.Bulk;
        foreach (var kind in new[] { PiiKind.IdNumber, PiiKind.BankCard, PiiKind.Passport })
        {
            var personal = values.Where(v => v.Kind == kind && v.Personal).ToList();
            int distinct = personal.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count();
            if (distinct >= bulk.SameType)
                foreach (var v in personal) v.RaiseTo($"bulk: {distinct} values of this type in the document", bulk.Score);
        }

        var phone = _cfg.PhoneNumber;
        var mobiles = values.Where(v => v.Kind == PiiKind.Phone && v.Personal && v.Value.Length == 11 && v.Value[0] == '1').ToList();
        int distinctMobiles = mobiles.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count();
        if (distinctMobiles >= phone.ContactList)
            foreach (var v in mobiles) v.RaiseTo($"contact list: {distinctMobiles} mobile numbers", phone.Scores["contact_list"]);

        var mail = _cfg.EmailAddress;
        var emails = values.Where(v => v.Kind == PiiKind.Email && v.Personal).ToList();
        int distinctEmails = emails.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count();
        if (distinctEmails >= mail.BulkPersonal)
            foreach (var v in emails) v.RaiseTo($"bulk: {distinctEmails} personal addresses", mail.Scores["bulk"]);

        // ≥ 2 kinds of personal data in one row, for ≥ 3 rows (name + phone + ID).
        var byRow = values.Where(v => v.Personal).GroupBy(v => input.RowIndexAt(v.Start)).Where(g => g.Key >= 0).ToList();
        var rich = byRow.Where(g => g.Select(v => v.Kind).Distinct().Count() >= bulk.RowTypes).ToList();
        if (rich.Count >= bulk.Rows)
            foreach (var v in rich.SelectMany(g => g)) v.RaiseTo($"rows: {rich.Count} rows each hold {bulk.RowTypes}+ kinds of personal data", bulk.Score);

        var cc = _cfg.CreditCode;
        var codes = values.Where(v => v.Kind == PiiKind.CreditCode).ToList();
        foreach (var v in codes)
        {
            int row = input.RowIndexAt(v.Start);
            if (lists.Any(l => row >= l.First && row <= l.Last)) v.RaiseTo("inside a customer list", cc.Scores["customer_list"]);
        }
        var individual = codes.Where(v => v.Value.StartsWith(cc.IndividualPrefix, StringComparison.Ordinal)).ToList();
        if (individual.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count() >= cc.IndividualBulk)
            foreach (var v in individual) v.RaiseTo($"bulk: {individual.Count} codes of 个体工商户 (natural persons)", cc.Scores["individual_bulk"]);

        if (input.Genre.IsTemplate)
            foreach (var v in values.Where(v => v.Score < bulk.Score && v.Score > 0))
                v.Add($"template genre ({input.Genre.TemplateCues} cues such as 示例, ×××): likely a sample value", bulk.TemplateGenre);
    }

    // ---- D18 financial statements ---------------------------------------------------------------

    private void FindFinancialStatements(DetectionInput input, List<Finding> findings)
    {
        var cfg = _cfg.FinancialStatement;
        var rows = input.Rows;
        var text = input.Text.Text;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.End - row.Start > MaxHeaderLine) continue;
            var line = text.AsSpan(row.Start, row.End - row.Start);
            var title = First(line, cfg.Titles);
            if (title is null) continue;
            int numeric = 0, j = i + 1;
            for (; j < rows.Count && j <= i + 40 && numeric < cfg.MinNumericRows; j++)
                if (NumbersIn(text.AsSpan(rows[j].Start, rows[j].End - rows[j].Start)) >= 2) numeric++;
            if (numeric < cfg.MinNumericRows) continue;
            var steps = new List<ScoreStep> { new($"base: {title} with a numeric table", cfg.Scores["statement"]) };
            string? qualifier = null;
            for (int k = Math.Max(0, i - 3); k <= Math.Min(rows.Count - 1, i + 3) && qualifier is null; k++)
            {
                var near = text.AsSpan(rows[k].Start, rows[k].End - rows[k].Start);
                qualifier = First(near, cfg.Qualifiers);
            }
            for (int k = 0; k < rows.Count && qualifier is null && input.IsTopRegion(rows[k].Start); k++)
            {
                var near = text.AsSpan(rows[k].Start, rows[k].End - rows[k].Start);
                qualifier = First(near, cfg.Qualifiers);
            }
            if (qualifier is not null) steps.Add(new ScoreStep($"not for release ({qualifier})", Math.Round(cfg.Scores["qualified"] - cfg.Scores["statement"], 3)));
            double score = steps.Sum(s => s.Delta);
            var evidence = qualifier is null ? title : $"{title} ({qualifier})";
            findings.Add(input.CreateFinding(cfg.Id, FindingCategory.Pii, row.Start, row.End - row.Start, score, steps, evidence,
                Explain(evidence, steps), cfg.Basis));
            i = j - 1;
        }
    }

    /// <summary>Numbers of at least 3 digits (1,234.56 counts as one).</summary>
    private static int NumbersIn(ReadOnlySpan<char> line)
    {
        int count = 0, digits = 0;
        for (int i = 0; i <= line.Length; i++)
        {
            char c = i < line.Length ? line[i] : ' ';
            if (char.IsAsciiDigit(c)) digits++;
            else if ((c is ',' or '.') && digits > 0 && i + 1 < line.Length && char.IsAsciiDigit(line[i + 1])) { }
            else
            {
                if (digits >= 3) count++;
                digits = 0;
            }
        }
        return count;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Regex[] Compile(List<string> patterns) =>
        [.. patterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout))];

    /// <summary>Every match's <c>value</c> group (or the whole match), bounded per pattern.</summary>
    private static IEnumerable<(int Start, int Length, string Value)> Values(DetectionInput input, Regex[] regexes)
    {
        var text = input.Text.Text;
        foreach (var regex in regexes)
        {
            int n = 0;
            for (var m = regex.Match(text); m.Success && n < MaxPerKind; m = m.NextMatch(), n++)
            {
                var g = m.Groups["value"];
                var v = g.Success ? g : (Group)m;
                yield return (v.Index, v.Length, v.Value);
                if ((n & 0xFF) == 0) input.CancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>§5: the value's token (letters, digits, mask characters) holds ≥ N mask characters.</summary>
    private bool IsMasked(string text, int start, int end)
    {
        var mask = _cfg.Masking.MaskChars;
        bool Token(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or ' ' || mask.Contains(c, StringComparison.Ordinal);
        int s = start, e = end;
        while (s > 0 && start - s < MaxTokenReach && Token(text[s - 1])) s--;
        while (e < text.Length && e - end < MaxTokenReach && Token(text[e])) e++;
        int masked = 0;
        for (int i = s; i < e; i++)
            if (mask.Contains(text[i], StringComparison.Ordinal)) masked++;
        return masked >= _cfg.Masking.MinMasked;
    }

    /// <summary>
    /// A label before the value on its line (within <paramref name="window"/> characters), in the cell to
    /// its left, or in its column's header (the first row of its table or of its run of lines).
    /// </summary>
    private static string? LabelNear(DetectionInput input, int start, List<string> labels, int window)
    {
        if (labels.Count == 0) return null;
        var text = input.Text.Text;
        // Only the window is searched for the line start: a megabyte-long line costs no more per value.
        int from = Math.Max(0, start - window);
        int nl = start == 0 ? -1 : text.LastIndexOf('\n', start - 1, start - from);
        if (nl >= 0) from = nl + 1;
        if (First(text.AsSpan(from, start - from), labels) is { } label) return label;

        int ri = input.RowIndexAt(start);
        if (ri < 0) return null;
        var rows = input.Rows;
        var row = rows[ri];
        var loc = input.LocationAt(start);
        if (row.Source == RowSource.TableCells && loc.Column is { } column)
        {
            foreach (var cell in row.Cells)
                if (cell.Column == column - 1 && First(text.AsSpan(cell.Start, cell.End - cell.Start), labels) is { } left) return left;
            int hi = ri - row.Index;
            if (hi >= 0 && hi < ri && rows[hi].Group == row.Group)
                foreach (var cell in rows[hi].Cells)
                    if (cell.Column == column && First(text.AsSpan(cell.Start, cell.End - cell.Start), labels) is { } head) return head;
        }
        else if (row.Source != RowSource.TableCells && row.Index > 0)
        {
            var head = rows[ri - row.Index];
            if (head.End - head.Start <= MaxHeaderLine && First(text.AsSpan(head.Start, head.End - head.Start), labels) is { } h) return h;
        }
        return null;
    }

    private static string? First(ReadOnlySpan<char> window, List<string> words)
    {
        foreach (var w in words)
            if (window.Contains(w, StringComparison.Ordinal)) return w;
        return null;
    }

    /// <summary>Where two values overlap (an ID that also reads as a card), the stronger one stays.</summary>
    private static List<PiiCandidate> RemoveOverlaps(List<PiiCandidate> all)
    {
        var kept = new List<PiiCandidate>();
        foreach (var c in all.OrderByDescending(c => c.Score).ThenByDescending(c => c.Length).ThenBy(c => c.Start))
            if (!kept.Any(k => k.Overlaps(c))) kept.Add(c);
        return kept;
    }

    internal static string Explain(string evidence, IReadOnlyList<ScoreStep> steps)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"'{evidence}' {steps[0].Reason["base: ".Length..]}");
        if (steps.Count > 1)
        {
            sb.Append("; ");
            sb.AppendJoin(", ", steps.Skip(1).Select(s => s.Delta == 0 ? s.Reason : string.Create(CultureInfo.InvariantCulture, $"{s.Reason} ({s.Delta:+0.00;-0.00})")));
        }
        sb.Append(CultureInfo.InvariantCulture, $"; score {Math.Clamp(steps.Sum(s => s.Delta), 0, 1):0.00}");
        return sb.ToString();
    }
}
