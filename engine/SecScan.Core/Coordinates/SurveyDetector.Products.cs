using System.Text;
using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Findings;

namespace SecScan.Core.Coordinates;

// D10 transformation parameters and D11a survey products: both read lines of the coordinate view with
// the patterns and cue lists of coordinates.yaml.
public sealed partial class SurveyDetector
{
    /// <summary>Parameters counted per document; a parameter list longer than this already decides the rule.</summary>
    private const int MaxParameters = 1000;

    /// <summary>Cue occurrences tried per product before giving up on the document.</summary>
    private const int MaxCueTries = 50;

    private readonly Regex[] _parameters;
    private readonly Regex[] _proj;
    private readonly Regex[] _datumPairs;
    private readonly CompiledProduct[] _products;

    private sealed record CompiledProduct(ProductRuleConfig Config, Regex? Context, Regex? Requires, Regex[] Raise);

    // ---- D10 --------------------------------------------------------------------------------------------

    private void DetectParameters(DetectionInput input, string text, string view, DocumentCues doc, List<Finding> findings)
    {
        var tp = _cfg.TransformationParameters;
        int count = 0, projCount = 0, firstStart = -1, firstLength = 0, projStart = -1, projLength = 0;
        int ls = 0;
        while (ls <= view.Length && count < MaxParameters)
        {
            int nl = view.IndexOf('\n', ls);
            int le = nl < 0 ? view.Length : nl;
            var line = view.AsSpan(ls, le - ls);
            if (line.IndexOfAny('=', ':', '：') >= 0 && line.IndexOfAnyInRange('0', '9') >= 0)
            {
                bool proj = false;
                foreach (var p in _proj)
                {
                    foreach (var m in p.EnumerateMatches(line))
                    {
                        proj = true;
                        if (projStart < 0) (projStart, projLength) = (ls + m.Index, m.Length);
                        break;
                    }
                    if (proj) break;
                }
                foreach (var p in _parameters)
                {
                    foreach (var m in p.EnumerateMatches(line))
                    {
                        if (proj) { projCount++; continue; }
                        if (++count == 1) (firstStart, firstLength) = (ls + m.Index, m.Length);
                    }
                }
            }
            if (nl < 0) break;
            ls = nl + 1;
        }
        if (count == 0 && projStart < 0) return;

        string? cue = FirstOf(text, tp.Cues);
        if (cue is null)
            foreach (var p in _datumPairs)
                if (p.Match(text) is { Success: true }) { cue = "datum pair"; break; }

        SurveyScore s;
        int at, len;
        if (cue is not null && count >= tp.MinWithCue)
            (s, at, len) = (new SurveyScore($"{count} numeric transformation parameters with a cue ({cue})", tp.Scores["cued"]), firstStart, firstLength);
        else if (count >= tp.MinWithoutCue)
            (s, at, len) = (new SurveyScore($"{count} numeric transformation parameters without a cue", tp.Scores["uncued"]), firstStart, firstLength);
        else if (projStart >= 0)
        {
            s = new SurveyScore("a PROJ/EPSG datum definition (+towgs84, TOWGS84[, EPSG:): published database values, unless the datum is local", tp.Scores["proj"]);
            s.Cap("public PROJ/EPSG strings are capped at review", tp.Scores["proj"]);
            (at, len) = (projStart, projLength);
        }
        else return;

        var evidence = MaskNumbers(view.AsSpan(at, len));
        findings.Add(input.CreateFinding(tp.Id, FindingCategory.Coordinates, at, len, s.Value, s.Steps, evidence,
            "Datum transformation parameters (translations, rotations, scale): the 2003 catalog lists transformation " +
            "parameters between national, geocentric and independent systems as 绝密, 长期.",
            tp.Basis));
    }

    /// <summary>Keeps a parameter's symbol and integer part; its fractional digits are masked.</summary>
    private static string MaskNumbers(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length);
        bool fraction = false;
        int shown = 0;
        foreach (var c in s)
        {
            if (c == '.') { fraction = true; shown = 0; sb.Append(c); continue; }
            if (char.IsAsciiDigit(c) && fraction) { sb.Append(shown++ < 1 ? c : '*'); continue; }
            if (!char.IsAsciiDigit(c)) fraction = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    // ---- D11a -------------------------------------------------------------------------------------------

    private void DetectProducts(DetectionInput input, string text, string view, DocumentCues doc, List<Finding> findings)
    {
        var sp = _cfg.SurveyProducts;
        foreach (var product in _products)
        {
            var p = product.Config;
            var best = (Score: (SurveyScore?)null, Start: 0, Length: 0);
            int tries = 0;
            foreach (var cue in p.Cues)
            {
                int pos = 0;
                while (tries < MaxCueTries)
                {
                    int i = text.IndexOf(cue, pos, StringComparison.Ordinal);
                    if (i < 0) break;
                    tries++;
                    pos = i + cue.Length;
                    if (Negated(text, i, p.Negations)) continue;
                    var s = ScoreProduct(product, text, i, cue);
                    if (s is not null && s.Value > (best.Score?.Value ?? -1)) best = (s, i, cue.Length);
                }
            }
            if (best.Score is not { } score) continue;
            if (doc.Boundary is { } boundary) score.Cap($"published boundary data ({boundary}): review, not block", _cfg.Shared.BoundaryCap);
            findings.Add(input.CreateFinding(sp.Id, FindingCategory.Coordinates, best.Start, best.Length, score.Value, score.Steps,
                text.Substring(best.Start, best.Length), $"Survey product: {p.Label}.", sp.Basis));
        }
        DetectSheets(input, text, findings);
    }

    private static SurveyScore? ScoreProduct(CompiledProduct product, string text, int at, string cue)
    {
        var p = product.Config;
        int ws = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
        int we = at;
        for (int k = 0; k <= p.Lines && we >= 0 && we < text.Length; k++)
        {
            int nl = text.IndexOf('\n', we + (k == 0 ? 0 : 1));
            we = nl < 0 ? text.Length : nl;
        }
        if (we < 0) we = text.Length;
        var window = text.AsSpan(ws, we - ws);
        int decimals = 0;
        if (product.Context is { } ctx && !ctx.IsMatch(window)) return null;
        bool requires = product.Requires is null || product.Requires.IsMatch(window);
        if (p.MinValues > 0)
        {
            decimals = CountDecimals(window);
            requires &= decimals >= p.MinValues;
        }
        if (!requires)
            return p.InfoScore > 0 ? new SurveyScore($"{p.Label}: {cue} without the data that would make it secret", p.InfoScore) : null;
        var s = new SurveyScore($"{p.Label}: {cue}" + (p.MinValues > 0 ? $" with {decimals} numeric values below it" : ""), p.Score);
        foreach (var r in product.Raise)
        {
            if (!r.IsMatch(window)) continue;
            s.AtLeast($"{p.Label}: national coverage or fine resolution", p.RaisedScore);
            break;
        }
        return s;
    }

    private static bool Negated(string text, int at, List<string> negations)
    {
        foreach (var n in negations)
            if (at >= n.Length && string.CompareOrdinal(text, at - n.Length, n, 0, n.Length) == 0) return true;
        return false;
    }

    /// <summary>Numbers written with a decimal point (a grid or a table of values).</summary>
    private static int CountDecimals(ReadOnlySpan<char> text)
    {
        int n = 0;
        for (int i = 1; i + 1 < text.Length; i++)
            if (text[i] == '.' && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1])) n++;
        return n;
    }

    private void DetectSheets(DetectionInput input, string text, List<Finding> findings)
    {
        var sp = _cfg.SurveyProducts;
        var fine = new HashSet<string>(StringComparer.Ordinal);
        var medium = new HashSet<string>(StringComparer.Ordinal);
        int first = -1, firstLength = 0;
        foreach (var m in _sheet.EnumerateMatches(text))
        {
            var code = text.Substring(m.Index, m.Length);
            char scale = code[3];
            if (sp.SheetFineScales.Contains(scale, StringComparison.Ordinal)) fine.Add(code);
            else if (sp.SheetMediumScales.Contains(scale, StringComparison.Ordinal)) medium.Add(code);
            else continue;
            if (first < 0) (first, firstLength) = (m.Index, m.Length);
            if (fine.Count + medium.Count > 10_000) break;
        }
        if (fine.Count < sp.MinSheets && medium.Count < sp.MinSheets) return;
        int n = Math.Max(fine.Count, medium.Count);
        var s = new SurveyScore($"{n} topographic map sheet numbers at {(fine.Count >= sp.MinSheets ? "1:1万/1:5000" : "1:5万/1:2.5万")}", sp.SheetScore);
        findings.Add(input.CreateFinding(sp.Id, FindingCategory.Coordinates, first, firstLength, s.Value, s.Steps,
            text.Substring(first, firstLength), $"Survey product: a list of {n} large-scale topographic map sheets (GB/T 13989 sheet numbers).", sp.Basis));
    }
}
