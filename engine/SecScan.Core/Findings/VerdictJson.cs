using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecScan.Core.Findings;

/// <summary>The one JSON shape of a verdict: camelCase members, kebab-case enum values, nulls omitted, Chinese unescaped.</summary>
public static class VerdictJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>Single-line form for JSON Lines.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    public static string Serialize(Verdict verdict, bool indented = true) =>
        JsonSerializer.Serialize(verdict, indented ? Options : Compact);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // Verdicts are read by people in Chinese; the CLI and API write UTF-8.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
