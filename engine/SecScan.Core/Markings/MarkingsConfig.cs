using YamlDotNet.Serialization;

namespace SecScan.Core.Markings;

// The YAML model of rulesets/default/markings.yaml. Property names map to snake_case keys.
// Validation (MarkingsConfig.Validate) names file, rule and field for every error.

public sealed class MarkingsConfig
{
    public StateSecretConfig StateSecret { get; set; } = new();
    public FieldConfig Field { get; set; } = new();
    public WorkSecretConfig WorkSecret { get; set; } = new();
    public CommercialConfig Commercial { get; set; } = new();
    public DeclassificationConfig Declassification { get; set; } = new();
    public HeaderElementsConfig HeaderElements { get; set; } = new();
}

public class RuleConfigBase
{
    public string Id { get; set; } = "";
    public string Basis { get; set; } = "";
    public ExamplesConfig Examples { get; set; } = new();
}

public sealed class ExamplesConfig
{
    /// <summary>Each entry is a string, or a mapping with <c>text</c>, <c>expect</c> and <c>part</c>.</summary>
    public List<object> Match { get; set; } = [];
    [YamlMember(Alias = "no_match")]
    public List<object> NoMatch { get; set; } = [];
}

/// <summary>D1: 国家秘密标志.</summary>
public sealed class StateSecretConfig : RuleConfigBase
{
    public List<string> Levels { get; set; } = [];
    public Dictionary<string, int> MaxYears { get; set; } = [];
    public string Stars { get; set; } = "";
    public Dictionary<string, double> Scores { get; set; } = [];
    public Dictionary<string, double> Modifiers { get; set; } = [];
    public List<string> ExampleCues { get; set; } = [];
    public int ExampleCueWindow { get; set; } = 15;
    public List<string> QuotePairs { get; set; } = [];
    public List<string> QuizCues { get; set; } = [];
    public List<string> LevelWordBefore { get; set; } = [];
    public List<string> Negations { get; set; } = [];
    public int NegationWindow { get; set; } = 10;
    public int MidSentenceLength { get; set; } = 60;
    public ExamConfig Exam { get; set; } = new();
}

/// <summary>Exam papers (the genre itself is in genres.yaml): the cap on a …★启用前 mark.</summary>
public sealed class ExamConfig
{
    public double Cap { get; set; } = 0.6;
}

/// <summary>D2: 密级 fields in forms, cover tables, properties and file names.</summary>
public sealed class FieldConfig : RuleConfigBase
{
    public List<string> Labels { get; set; } = [];
    public Dictionary<string, double> Scores { get; set; } = [];
    public List<string> PublicValues { get; set; } = [];
    public string Ticks { get; set; } = "";
    public string Boxes { get; set; } = "";
}

/// <summary>D3: 工作秘密 and 内部 markings.</summary>
public sealed class WorkSecretConfig : RuleConfigBase
{
    public List<string> Markers { get; set; } = [];
    public List<string> Qualifiers { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
    public List<string> Imprints { get; set; } = [];
    public List<string> InlineSymbols { get; set; } = [];
    public Dictionary<string, double> Scores { get; set; } = [];
}

/// <summary>D4: 商业秘密 markings.</summary>
public sealed class CommercialConfig : RuleConfigBase
{
    public List<string> CoreLevels { get; set; } = [];
    public List<string> Levels { get; set; } = [];
    public string Symbols { get; set; } = "";
    public int OwnerMaxLength { get; set; } = 12;
    public Dictionary<string, double> Scores { get; set; } = [];
}

/// <summary>D5: declassification / change notes cap a nearby marking at review.</summary>
public sealed class DeclassificationConfig
{
    public List<string> Patterns { get; set; } = [];
    public double Cap { get; set; } = 0.65;
    public int CharWindow { get; set; } = 20;
    public int LineWindow { get; set; } = 1;
}

/// <summary>D6: supporting header elements; they raise D1/D2 and never fire alone.</summary>
public sealed class HeaderElementsConfig
{
    public int LineWindow { get; set; } = 2;
    public double Max { get; set; } = 0.2;
    public List<HeaderElementConfig> Elements { get; set; } = [];
}

public sealed class HeaderElementConfig
{
    public string Name { get; set; } = "";
    public string Pattern { get; set; } = "";
    public double Raise { get; set; } = 0.1;
}
