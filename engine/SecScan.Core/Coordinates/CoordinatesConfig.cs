using SecScan.Core.Markings;

namespace SecScan.Core.Coordinates;

// The YAML model of rulesets/default/coordinates.yaml (DOMAIN.md §4, D7–D11). Property names map to
// snake_case keys; unknown keys are load errors. Validation (CoordinatesValidator) names file, rule and field.

public sealed class CoordinatesConfig
{
    public SharedSurveyConfig Shared { get; set; } = new();
    public GeoCoordinatesConfig GeoCoordinates { get; set; } = new();
    public PlaneCoordinatesConfig PlaneCoordinates { get; set; } = new();
    public ControlPointTableConfig ControlPointTable { get; set; } = new();
    public TransformationParametersConfig TransformationParameters { get; set; } = new();
    public SurveyProductsConfig SurveyProducts { get; set; } = new();
    public SensitiveGeoContentConfig SensitiveGeoContent { get; set; } = new();

    /// <summary>The six rules, in the order their examples are listed.</summary>
    public IEnumerable<RuleConfigBase> Rules =>
        [GeoCoordinates, PlaneCoordinates, ControlPointTable, TransformationParameters, SurveyProducts, SensitiveGeoContent];
}

/// <summary>Cues that several rules read.</summary>
public sealed class SharedSurveyConfig
{
    /// <summary>Datum and height-datum names (D7 datum cue, D8 cue).</summary>
    public List<string> DatumCues { get; set; } = [];

    /// <summary>Published boundary tables (拐点, 界址点, 用地红线): every survey rule is capped at <see cref="BoundaryCap"/>.</summary>
    public List<string> BoundaryCues { get; set; } = [];
    public double BoundaryCap { get; set; } = 0.65;

    /// <summary>Characters read before a table for its title, and around a value for its context.</summary>
    public int TitleWindow { get; set; } = 300;
}

/// <summary>D7: latitude/longitude points, tracks and tables.</summary>
public sealed class GeoCoordinatesConfig : RuleConfigBase
{
    public double MinLatitude { get; set; } = 3.5;
    public double MaxLatitude { get; set; } = 54;
    public double MinLongitude { get; set; } = 73;
    public double MaxLongitude { get; set; } = 136;
    public int PairWindow { get; set; } = 40;
    public int MinHpWithDatum { get; set; } = 3;
    public int MinPointsWithoutCue { get; set; } = 10;
    public Dictionary<string, double> Scores { get; set; } = [];
    public List<string> PublicServiceLabels { get; set; } = [];
    public double PublicServiceModifier { get; set; } = -0.30;
}

/// <summary>D8: Gauss-Krüger (X, Y) pairs.</summary>
public sealed class PlaneCoordinatesConfig : RuleConfigBase
{
    public int MinRows { get; set; } = 3;
    public Dictionary<string, double> Scores { get; set; } = [];
    public List<string> CurrencyWords { get; set; } = [];
    /// <summary>Cues of exported point files (CASS, .dat, 高程点) that count like a datum cue.</summary>
    public List<string> ExportCues { get; set; } = [];
    public double ZoneRangeModifier { get; set; } = -0.20;
}

/// <summary>D9: control-point result tables.</summary>
public sealed class ControlPointTableConfig : RuleConfigBase
{
    public int MinRows { get; set; } = 3;
    public int MinHeaderCues { get; set; } = 2;
    public Dictionary<string, double> Scores { get; set; } = [];
    public List<string> TitleCues { get; set; } = [];
    public List<string> HeaderCues { get; set; } = [];
    /// <summary>Header words any coordinate list has (经度, 纬度 …): two of them alone do not make a survey table.</summary>
    public List<string> GenericHeaderCues { get; set; } = [];
    public List<string> GradePatterns { get; set; } = [];
    public List<string> NationalGradeCues { get; set; } = [];
    public double NationalGradeModifier { get; set; } = 0.05;
    public List<string> ProcessedCues { get; set; } = [];
    public List<string> ProcessedPatterns { get; set; } = [];
    public double ProcessedModifier { get; set; } = -0.25;
}

/// <summary>D10: datum transformation parameter sets.</summary>
public sealed class TransformationParametersConfig : RuleConfigBase
{
    public List<string> Cues { get; set; } = [];
    public List<string> DatumPairPatterns { get; set; } = [];
    public List<string> ParameterPatterns { get; set; } = [];
    public List<string> ProjPatterns { get; set; } = [];
    public int MinWithCue { get; set; } = 3;
    public int MinWithoutCue { get; set; } = 5;
    public Dictionary<string, double> Scores { get; set; } = [];
}

/// <summary>D11a: other survey products.</summary>
public sealed class SurveyProductsConfig : RuleConfigBase
{
    public List<ProductRuleConfig> Products { get; set; } = [];
    public string SheetPattern { get; set; } = "";
    public string SheetFineScales { get; set; } = "GH";
    public string SheetMediumScales { get; set; } = "EF";
    public int MinSheets { get; set; } = 5;
    public double SheetScore { get; set; } = 0.70;
}

/// <summary>
/// One survey product: cue words, and what must come with them in the same document (a count of numeric
/// values, a pattern, a condition) for <see cref="Score"/>; <see cref="Raise"/> patterns lift it to <see cref="RaisedScore"/>.
/// </summary>
public sealed class ProductRuleConfig
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public List<string> Cues { get; set; } = [];
    /// <summary>A regex that must match on a line holding a cue, or within the next lines (<see cref="Lines"/>).</summary>
    public string Requires { get; set; } = "";
    /// <summary>Numeric values (decimals) the document must hold besides the cue.</summary>
    public int MinValues { get; set; }
    /// <summary>
    /// A regex that must match near the cue for the product to be there at all (a data-delivery context, a
    /// large scale); empty: none needed. When it matches but <see cref="Requires"/> does not, the finding is <see cref="InfoScore"/>.
    /// </summary>
    public string Context { get; set; } = "";
    public int Lines { get; set; } = 2;
    public double Score { get; set; }
    public List<string> Raise { get; set; } = [];
    public double RaisedScore { get; set; }
    /// <summary>Words that, just before a cue, negate it (非军事禁区).</summary>
    public List<string> Negations { get; set; } = [];
    public double InfoScore { get; set; }
}

/// <summary>D11b: sensitive geographic content next to coordinates.</summary>
public sealed class SensitiveGeoContentConfig : RuleConfigBase
{
    public Dictionary<string, List<string>> Groups { get; set; } = [];
    public List<string> Negations { get; set; } = [];
    public Dictionary<string, double> Scores { get; set; } = [];
}
