using SecScan.Core.Markings;

namespace SecScan.Core.Pii;

// The YAML model of rulesets/default/pii.yaml (DOMAIN.md §5, §6 K12). Property names map to snake_case
// keys; unknown keys are errors. Every pattern must have a named group `value`: the characters the
// validators read and the evidence masks.

public sealed class PiiConfig
{
    public MaskingConfig Masking { get; set; } = new();
    public BulkConfig Bulk { get; set; } = new();
    public IdNumberConfig IdNumber { get; set; } = new();
    public CreditCodeConfig CreditCode { get; set; } = new();
    public BankCardConfig BankCard { get; set; } = new();
    public PhoneConfig PhoneNumber { get; set; } = new();
    public PassportConfig Passport { get; set; } = new();
    public EmailConfig EmailAddress { get; set; } = new();
    public CustomerListConfig CustomerList { get; set; } = new();
    public FinancialStatementConfig FinancialStatement { get; set; } = new();
    public PrivateKeyConfig PrivateKey { get; set; } = new();

    /// <summary>Every rule of the file, for validation and examples.</summary>
    public IEnumerable<PiiRuleBase> Rules =>
        [IdNumber, CreditCode, BankCard, PhoneNumber, Passport, EmailAddress, CustomerList, FinancialStatement, PrivateKey];
}

/// <summary>§5: a value with enough masked characters in its token is public-safe: no finding.</summary>
public sealed class MaskingConfig
{
    public string MaskChars { get; set; } = "*×●#";
    public int MinMasked { get; set; } = 4;
}

/// <summary>§5 bulk rule: the same type ≥ N times, or ≥ K types in one row for ≥ R rows, raises to <see cref="Score"/>.</summary>
public sealed class BulkConfig
{
    public int SameType { get; set; } = 3;
    public int RowTypes { get; set; } = 2;
    public int Rows { get; set; } = 3;
    public double Score { get; set; } = 0.85;
    /// <summary>Single findings in a template (式样, 示例 …) are lowered by this much.</summary>
    public double TemplateGenre { get; set; } = -0.20;
}

public class PiiRuleBase : RuleConfigBase
{
    public List<string> Patterns { get; set; } = [];
    public List<string> Labels { get; set; } = [];
    public List<string> NegativeLabels { get; set; } = [];
    /// <summary>How many characters before a value are searched for a label on its line.</summary>
    public int LabelWindow { get; set; } = 16;
    public Dictionary<string, double> Scores { get; set; } = [];
}

/// <summary>D12.</summary>
public sealed class IdNumberConfig : PiiRuleBase
{
    public List<string> LegacyPatterns { get; set; } = [];
}

/// <summary>D13.</summary>
public sealed class CreditCodeConfig : PiiRuleBase
{
    /// <summary>Codes of natural persons' 个体工商户 start with this.</summary>
    public string IndividualPrefix { get; set; } = "92";
    public int IndividualBulk { get; set; } = 3;
}

/// <summary>D14.</summary>
public sealed class BankCardConfig : PiiRuleBase
{
    /// <summary>Prefixes a card number may start with (62 UnionPay, 4 Visa, 51–55 Mastercard …).</summary>
    public List<string> Prefixes { get; set; } = [];
    public List<string> AccountPatterns { get; set; } = [];
    public List<string> TenderCues { get; set; } = [];
    public List<string> HolderLabels { get; set; } = [];
    public List<string> HolderOrgSuffixes { get; set; } = [];
    public int HolderLineWindow { get; set; } = 3;
}

/// <summary>D15.</summary>
public sealed class PhoneConfig : PiiRuleBase
{
    public List<string> MobilePatterns { get; set; } = [];
    public List<string> LandlinePatterns { get; set; } = [];
    public List<string> BareLandlinePatterns { get; set; } = [];
    public List<string> ServicePatterns { get; set; } = [];
    public List<string> NameCues { get; set; } = [];
    public List<string> PersonalLabels { get; set; } = [];
    public List<string> SwitchboardLabels { get; set; } = [];
    public int ContactList { get; set; } = 5;
}

/// <summary>D16.</summary>
public sealed class PassportConfig : PiiRuleBase
{
    public List<PassportForm> Forms { get; set; } = [];
    public List<string> MrzPatterns { get; set; } = [];
}

public sealed class PassportForm
{
    public string Name { get; set; } = "";
    public string Pattern { get; set; } = "";
    public List<string> Labels { get; set; } = [];
}

/// <summary>D17.</summary>
public sealed class EmailConfig : PiiRuleBase
{
    public List<string> RoleLocalParts { get; set; } = [];
    public List<string> RoleDomainSuffixes { get; set; } = [];
    public List<string> InternalSuffixes { get; set; } = [];
    public int BulkPersonal { get; set; } = 5;
}

/// <summary>D18 customer lists.</summary>
public sealed class CustomerListConfig : PiiRuleBase
{
    public List<string> HeaderCues { get; set; } = [];
    public int MinHeaderCues { get; set; } = 3;
    public int MinRows { get; set; } = 5;
    public int PiiRows { get; set; } = 3;
    public List<string> MarkCues { get; set; } = [];
}

/// <summary>D18 financial statements.</summary>
public sealed class FinancialStatementConfig : PiiRuleBase
{
    public List<string> Titles { get; set; } = [];
    public List<string> Qualifiers { get; set; } = [];
    public int MinNumericRows { get; set; } = 3;
}

/// <summary>K12: a PEM private key block.</summary>
public sealed class PrivateKeyConfig : PiiRuleBase
{
    public List<string> ContextCues { get; set; } = [];
    public int MinBodyChars { get; set; } = 40;
}
