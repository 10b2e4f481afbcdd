using System.Buffers;
using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Findings;

namespace SecScan.Core.Coordinates;

/// <summary>
/// Survey and mapping detectors D7–D11 of DOMAIN.md §4: geographic coordinates, Gauss-Krüger plane
/// coordinates, control-point result tables, datum transformation parameters, other survey products and
/// sensitive geographic content. They share one pass: the text is folded into the coordinate view once,
/// grouped into rows (<see cref="TableRows"/>), every row's values are read once, and each rule then
/// scores what it needs from those rows and the document's cues.
/// </summary>
/// <remarks>
/// A cheap prefilter (a digit followed by . ° 度, a cue word, or a map sheet number) skips documents with
/// nothing to read. Findings are aggregated per table or per document: a 500-point track is one finding
/// with a count, not 500. Built once per ruleset; thread-safe.
/// </remarks>
public sealed partial class SurveyDetector : IDetector
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
    private static readonly TimeSpan Timeout = DetectorRegex.MatchTimeout;

    /// <summary>Table findings kept per document; past this a reviewer has plenty.</summary>
    private const int MaxTableFindings = 20;

    /// <summary>Distance treated as "anywhere in the row" for structured rows.</summary>
    private const int WholeRow = 1 << 20;

    private static readonly SearchValues<char> UnitChars = SearchValues.Create(".°º˚度");

    private readonly CoordinatesConfig _cfg;
    private readonly CoordinateValues _values;
    private readonly SearchValues<string> _cues;
    private readonly Regex[] _grades;
    private readonly Regex[] _processed;
    private readonly Regex _sheet;

    public SurveyDetector(CoordinatesConfig config)
    {
        _cfg = config;
        _values = new CoordinateValues(config.GeoCoordinates, config.PlaneCoordinates);
        var cpt = config.ControlPointTable;
        _grades = [.. cpt.GradePatterns.Select(p => new Regex(p, Options, Timeout))];
        _processed = [.. cpt.ProcessedPatterns.Select(p => new Regex(p, Options, Timeout))];
        _sheet = new Regex(config.SurveyProducts.SheetPattern, Options | RegexOptions.ExplicitCapture, Timeout);
        var tp = config.TransformationParameters;
        _parameters = [.. tp.ParameterPatterns.Select(p => new Regex(p, Options, Timeout))];
        _proj = [.. tp.ProjPatterns.Select(p => new Regex(p, Options, Timeout))];
        _datumPairs = [.. tp.DatumPairPatterns.Select(p => new Regex(p, Options, Timeout))];
        _products = [.. config.SurveyProducts.Products.Select(p => new CompiledProduct(p,
            p.Context.Length == 0 ? null : new Regex(p.Context, Options, Timeout),
            p.Requires.Length == 0 ? null : new Regex(p.Requires, Options, Timeout),
            [.. p.Raise.Select(r => new Regex(r, Options, Timeout))]))];
        var words = cpt.TitleCues.Concat(tp.Cues).Concat(config.SurveyProducts.Products.SelectMany(p => p.Cues))
            .Concat(config.SensitiveGeoContent.Groups.Values.SelectMany(g => g)).Concat(["+towgs84", "TOWGS84", "EPSG:"])
            .Where(w => w.Length > 0).Distinct(StringComparer.Ordinal);
        _cues = SearchValues.Create([.. words], StringComparison.Ordinal);
    }

    public string Id => "survey";

    public void Detect(DetectionInput input, List<Finding> findings)
    {
        var text = input.Text.Text;
        if (!Prefilter(text)) return;
        var ct = input.CancellationToken;
        var view = CoordinateView.Fold(text);
        var doc = new DocumentCues(this, text);
        var rows = input.Rows;
        var infos = ReadRows(view, rows, ct);

        var consumed = new bool[rows.Count];
        DetectTables(input, view, doc, rows, infos, consumed, findings);
        DetectGeo(input, view, doc, rows, infos, consumed, findings);
        DetectPlane(input, view, doc, infos, consumed, findings);
        DetectSensitive(input, text, view, rows, infos, findings);
        DetectParameters(input, text, view, doc, findings);
        DetectProducts(input, text, view, doc, findings);
    }

    private bool Prefilter(string text)
    {
        var span = text.AsSpan();
        int pos = 0;
        while (pos < span.Length)
        {
            int i = span[pos..].IndexOfAny(UnitChars);
            if (i < 0) break;
            i += pos;
            if (i > 0 && char.IsAsciiDigit(span[i - 1]) && (i + 1 >= span.Length || char.IsAsciiDigit(span[i + 1]) || span[i] != '.')) return true;
            pos = i + 1;
        }
        return span.IndexOfAny(_cues) >= 0 || _sheet.IsMatch(text);
    }

    // ---- rows ----------------------------------------------------------------------------------------

    /// <summary>What one row holds: its points, DMS values left unpaired, and its plane pair.</summary>
    private sealed class RowInfo
    {
        public List<GeoPoint> Points { get; } = [];
        public GeoValue? LoneHighDms { get; set; }
        public PlanePair? Plane { get; set; }

        public bool HasCoordinates => Points.Count > 0 || LoneHighDms is not null || Plane is not null;

        /// <summary>A D7-HP or D8-HP value: a survey-precision point, DMS value or (X, Y) pair.</summary>
        public bool HighPrecision =>
            Points.Exists(p => p.Precision == Precision.High) || LoneHighDms is not null || Plane is { HighPrecision: true };

        public bool HighOrMedium => Points.Exists(p => p.Precision >= Precision.Medium) || HighPrecision;

        /// <summary>The first high-precision value's span and masked text, else the first value's.</summary>
        public (int Start, int End, string Evidence) Evidence(string view)
        {
            foreach (var p in Points)
                if (p.Precision == Precision.High) return PointEvidence(view, p);
            if (LoneHighDms is { } d) return (d.Start, d.End, CoordinateValues.Mask(view, d.Start, d.End, d.ShownFraction));
            if (Plane is { } pl) return PlaneEvidence(view, pl);
            return Points.Count > 0 ? PointEvidence(view, Points[0]) : (0, 0, "");
        }
    }

    private static (int, int, string) PointEvidence(string view, GeoPoint p)
    {
        var first = CoordinateValues.Mask(view, p.First.Start, p.First.End, p.First.ShownFraction);
        if (p.Second is not { } s) return (p.First.Start, p.First.End, first);
        return (p.First.Start, p.First.End, first + " " + CoordinateValues.Mask(view, s.Start, s.End, s.ShownFraction));
    }

    private static (int, int, string) PlaneEvidence(string view, PlanePair p) =>
        (Math.Min(p.XStart, p.YStart), Math.Min(p.XStart, p.YStart) == p.XStart ? p.XEnd : p.YEnd,
         "X " + CoordinateValues.Mask(view, p.XStart, p.XEnd, 2) + " Y " + CoordinateValues.Mask(view, p.YStart, p.YEnd, 2));

    private RowInfo[] ReadRows(string view, IReadOnlyList<TableRow> rows, CancellationToken ct)
    {
        var infos = new RowInfo[rows.Count];
        var values = new List<GeoValue>();
        bool amountHeader = false;   // the header row above these table rows names an amount column (金额(元) …)
        for (int r = 0; r < rows.Count; r++)
        {
            if ((r & 0xFF) == 0) ct.ThrowIfCancellationRequested();
            var row = rows[r];
            var info = infos[r] = new RowInfo();
            bool tabular = row.IsStructured || row.Source == RowSource.Delimited;
            var rowText = view.AsSpan(row.Start, row.End - row.Start);
            bool currency = tabular && FirstOf(rowText, _cfg.PlaneCoordinates.CurrencyWords) is not null;
            if (rowText.IndexOfAnyInRange('0', '9') < 0)
            {
                amountHeader = tabular && currency;
                continue;
            }
            if (!tabular) amountHeader = false;
            int window = row.IsStructured || row.Source == RowSource.Delimited ? WholeRow : _cfg.GeoCoordinates.PairWindow;
            values.Clear();
            CoordinateValues.ReadGeo(view, row.Start, row.End, values);
            _values.Pair(values, window, info.Points);
            foreach (var v in values)
            {
                if (v is { Dms: true, Precision: Precision.High } && !info.Points.Exists(p => p.Start <= v.Start && v.End <= p.End))
                {
                    info.LoneHighDms = v;
                    break;
                }
            }
            // In a table an amount column is named anywhere in the row or in the header above (金额(元), 合计 …),
            // not only beside the number.
            if (currency || amountHeader) continue;
            info.Plane = _values.ReadPlane(view, row.Start, row.End, tabular ? WholeRow : _cfg.GeoCoordinates.PairWindow);
        }
        return infos;
    }

    /// <summary>Runs of rows that hold coordinates: a whole real table, or consecutive coordinate lines of one group.</summary>
    private static List<(int First, int Last)> Blocks(IReadOnlyList<TableRow> rows, RowInfo[] infos)
    {
        var blocks = new List<(int, int)>();
        int r = 0;
        while (r < rows.Count)
        {
            if (rows[r].Source == RowSource.TableCells)
            {
                int end = r;
                while (end + 1 < rows.Count && rows[end + 1].Group == rows[r].Group) end++;
                bool any = false;
                for (int k = r; k <= end && !any; k++) any = infos[k].HasCoordinates;
                if (any) blocks.Add((r, end));
                r = end + 1;
                continue;
            }
            if (!infos[r].HasCoordinates) { r++; continue; }
            int last = r;
            // Lines of consecutive paragraphs (DOCX, examples) or of one text segment run on across segments.
            while (last + 1 < rows.Count && rows[last + 1].Source != RowSource.TableCells && infos[last + 1].HasCoordinates) last++;
            blocks.Add((r, last));
            r = last + 1;
        }
        return blocks;
    }

    // ---- D9 control-point tables ---------------------------------------------------------------------------

    private void DetectTables(DetectionInput input, string view, DocumentCues doc, IReadOnlyList<TableRow> rows, RowInfo[] infos, bool[] consumed, List<Finding> findings)
    {
        var c = _cfg.ControlPointTable;
        var text = input.Text.Text;
        int emitted = 0;
        foreach (var (first, last) in Blocks(rows, infos))
        {
            int hpRows = 0, firstHp = -1;
            for (int k = first; k <= last; k++)
            {
                if (!infos[k].HighPrecision) continue;
                hpRows++;
                if (firstHp < 0) firstHp = k;
            }
            if (hpRows == 0) continue;

            // The title stands above the table; headers in its first rows or the lines just above a text table.
            int headFrom = first;
            while (headFrom > 0 && first - headFrom < 2 && (rows[headFrom - 1].Group == rows[first].Group
                || (rows[headFrom - 1].Source != RowSource.TableCells && rows[first].Source != RowSource.TableCells))) headFrom--;
            int titleFrom = Math.Max(0, rows[headFrom].Start - _cfg.Shared.TitleWindow);
            var around = text.AsSpan(titleFrom, rows[last].End - titleFrom);
            string? title = FirstOf(around, c.TitleCues);
            var (headerCount, specific, headerWords) = BestHeaderRow(text, rows, infos, headFrom, last);
            bool headers = headerCount >= c.MinHeaderCues && specific;
            if (title is null && !headers) continue;

            var s = hpRows >= c.MinRows
                ? new SurveyScore($"{hpRows} rows of survey-precision coordinates in a table with {(title is null ? "header cues" : "title cue")}", c.Scores["table"])
                : new SurveyScore($"{hpRows} row(s) of survey-precision coordinates in a table with {(title is null ? "header cues" : "title cue")}", c.Scores["few_rows"]);
            if (FirstOf(around, c.NationalGradeCues) is { } grade) s.Add($"national order ({grade})", c.NationalGradeModifier);
            if (doc.Processed is { } processed) s.Add($"the document says the data is processed or public ({processed})", c.ProcessedModifier);
            string? boundary = FirstOf(around, _cfg.Shared.BoundaryCues);
            if (boundary is not null) s.Cap($"published boundary table ({boundary}): review, not block", _cfg.Shared.BoundaryCap);

            for (int k = first; k <= last; k++) consumed[k] = true;
            if (emitted++ >= MaxTableFindings) continue;
            var (start, end, evidence) = infos[firstHp].Evidence(view);
            string cueText = title is not null ? $"title cue {title}" : $"header cues {headerWords}";
            findings.Add(input.CreateFinding(c.Id, FindingCategory.Coordinates, start, end - start, s.Value, s.Steps, evidence,
                boundary is not null
                    ? $"A boundary coordinate table ({boundary}, {cueText}) with {hpRows} row(s) at survey precision: such tables are published by " +
                      "rule in 采矿权/土地出让 notices; the reviewer confirms these are the notice's own boundary points."
                    : $"疑似涉密测绘成果: a coordinate result table ({cueText}) with {hpRows} row(s) at survey precision; " +
                      "control-point coordinates are classified survey results (2003 catalog: 机密, 长期); the reviewer decides the level.",
                c.Basis));
        }
    }

    /// <summary>
    /// The header row with most cues: their count, whether one is survey-specific, and the words. Rows holding
    /// coordinates are data, not headers (X=… Y=… labels its own values).
    /// </summary>
    private (int Count, bool Specific, string Words) BestHeaderRow(string text, IReadOnlyList<TableRow> rows, RowInfo[] infos, int from, int last)
    {
        var c = _cfg.ControlPointTable;
        (int, bool, string) best = (0, false, "");
        var found = new List<string>();
        for (int k = from; k <= last && k <= from + 3; k++)
        {
            if (infos[k].HasCoordinates) continue;
            found.Clear();
            var row = text.AsSpan(rows[k].Start, rows[k].End - rows[k].Start);
            bool specific = false;
            foreach (var cue in c.HeaderCues)
            {
                if (!HasCue(row, cue)) continue;
                found.Add(cue);
                specific |= !c.GenericHeaderCues.Contains(cue);
            }
            foreach (var g in _grades)
            {
                if (!g.IsMatch(row)) continue;
                found.Add("grade");
                specific = true;
                break;
            }
            if (found.Count > best.Item1) best = (found.Count, specific, string.Join("/", found));
        }
        return best;
    }

    /// <summary>A cue of one ASCII letter (X, H, B …) counts only as a token: not inside a word or a number.</summary>
    private static bool HasCue(ReadOnlySpan<char> row, string cue)
    {
        if (cue.Length > 1 || !char.IsAsciiLetter(cue[0])) return row.Contains(cue, StringComparison.Ordinal);
        for (int i = row.IndexOf(cue[0]); i >= 0; )
        {
            bool before = i > 0 && char.IsAsciiLetterOrDigit(row[i - 1]);
            bool after = i + 1 < row.Length && char.IsAsciiLetterOrDigit(row[i + 1]);
            if (!before && !after) return true;
            int next = row[(i + 1)..].IndexOf(cue[0]);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return false;
    }

    private static string? FirstOf(ReadOnlySpan<char> span, List<string> words)
    {
        foreach (var w in words)
            if (span.Contains(w, StringComparison.Ordinal)) return w;
        return null;
    }

    // ---- D7 geographic coordinates -------------------------------------------------------------------

    private void DetectGeo(DetectionInput input, string view, DocumentCues doc, IReadOnlyList<TableRow> rows, RowInfo[] infos, bool[] consumed, List<Finding> findings)
    {
        var g = _cfg.GeoCoordinates;
        int hp = 0, mp = 0, points = 0, first = -1, firstGood = -1, sensitiveRow = -1;
        for (int r = 0; r < infos.Length; r++)
        {
            if (consumed[r] || infos[r].Points.Count == 0) continue;
            foreach (var p in infos[r].Points)
            {
                points++;
                if (p.Precision == Precision.High) hp++;
                else if (p.Precision == Precision.Medium) mp++;
            }
            if (first < 0) first = r;
            if (firstGood < 0 && infos[r].Points.Exists(p => p.Precision == Precision.High)) firstGood = r;
            if (sensitiveRow < 0 && infos[r].Points.Exists(p => p.Precision >= Precision.Medium) && SensitiveGroups(input.Text.Text, rows, r, rowOnly: true).Count > 0)
                sensitiveRow = r;
        }
        if (points == 0) return;

        SurveyScore s;
        if (hp >= g.MinHpWithDatum && doc.Datum is { } datum)
            s = new SurveyScore($"{hp} survey-precision points with a datum cue ({datum})", g.Scores["datum_hp"]);
        else if (hp + mp >= g.MinPointsWithoutCue)
            s = new SurveyScore($"{hp + mp} points at 50 m precision or finer (a track or point list)", g.Scores["many_points"]);
        else if (hp >= g.MinHpWithDatum)
            s = new SurveyScore($"{hp} survey-precision points without a survey or datum cue", g.Scores["some_hp"]);
        else
            s = new SurveyScore($"{points} point(s) in prose (news and descriptions name places this way)", g.Scores["prose"]);
        if (sensitiveRow >= 0) s.AtLeast("a point at 50 m precision or finer beside military or sensitive-facility words", g.Scores["sensitive"]);
        if (doc.PublicService is { } label) s.Add($"labelled as public map-service coordinates ({label})", g.PublicServiceModifier);
        if (doc.Boundary is { } boundary) s.Cap($"published boundary coordinates ({boundary}): review, not block", _cfg.Shared.BoundaryCap);

        int at = sensitiveRow >= 0 ? sensitiveRow : firstGood >= 0 ? firstGood : first;
        var (start, end, evidence) = infos[at].Evidence(view);
        findings.Add(input.CreateFinding(g.Id, FindingCategory.Coordinates, start, end - start, s.Value, s.Steps, evidence,
            $"{points} latitude/longitude point(s): {hp} at survey precision (≤ 0.3 m as written), {mp} at 3–31 m; public maps may not be finer than 50 m.",
            g.Basis));
    }

    // ---- D8 plane coordinates ----------------------------------------------------------------------------

    private void DetectPlane(DetectionInput input, string view, DocumentCues doc, RowInfo[] infos, bool[] consumed, List<Finding> findings)
    {
        var pc = _cfg.PlaneCoordinates;
        int hpRows = 0, zoneRows = 0, mismatch = 0, first = -1;
        for (int r = 0; r < infos.Length; r++)
        {
            if (consumed[r] || infos[r].Plane is not { HighPrecision: true } pair) continue;
            hpRows++;
            if (pair.ZonePrefix) zoneRows++;
            if (pair.ZoneRangeMismatch) mismatch++;
            if (first < 0) first = r;
        }
        if (hpRows == 0) return;

        string? cue = zoneRows > 0 ? "zone-prefixed Y" : doc.Datum ?? doc.Export;
        SurveyScore s = hpRows >= pc.MinRows
            ? cue is not null
                ? new SurveyScore($"{hpRows} rows of centimetre-precision (X, Y) pairs with a cue ({cue})", pc.Scores["rows_cued"])
                : new SurveyScore($"{hpRows} rows of centimetre-precision (X, Y) pairs without a zone or datum cue", pc.Scores["rows"])
            : new SurveyScore($"{hpRows} centimetre-precision (X, Y) pair(s) outside a table", pc.Scores["single_pair"]);
        if (mismatch * 2 > hpRows) s.Add("Y lies outside the range of its 3° zone", pc.ZoneRangeModifier);
        if (doc.Boundary is { } boundary) s.Cap($"published boundary coordinates ({boundary}): review, not block", _cfg.Shared.BoundaryCap);

        var (start, end, evidence) = PlaneEvidence(view, infos[first].Plane!.Value);
        findings.Add(input.CreateFinding(pc.Id, FindingCategory.Coordinates, start, end - start, s.Value, s.Steps, evidence,
            $"{hpRows} Gauss-Krüger plane coordinate pair(s) (X northing, Y easting) written to the centimetre or finer.",
            pc.Basis));
    }

    // ---- D11b sensitive geographic content ------------------------------------------------------------------

    private void DetectSensitive(DetectionInput input, string text, string view, IReadOnlyList<TableRow> rows, RowInfo[] infos, List<Finding> findings)
    {
        var sg = _cfg.SensitiveGeoContent;
        List<string>? best = null;
        int at = -1;
        for (int r = 0; r < rows.Count; r++)
        {
            bool located = infos[r].HighOrMedium || infos[r].Plane is not null
                || _sheet.IsMatch(text.AsSpan(rows[r].Start, rows[r].End - rows[r].Start));
            if (!located) continue;
            var groups = SensitiveGroups(text, rows, r, rowOnly: false);
            if (groups.Count > (best?.Count ?? 0)) { best = groups; at = r; }
        }
        if (best is null) return;
        var s = new SurveyScore($"coordinates beside {(best.Count == 1 ? "sensitive-content terms" : "terms of several sensitive groups")} ({string.Join(", ", best)})",
            best.Count >= 2 ? sg.Scores["two_groups"] : sg.Scores["one_group"]);
        var (start, end, evidence) = infos[at].HasCoordinates ? infos[at].Evidence(view) : (rows[at].Start, rows[at].End, "map sheet number");
        findings.Add(input.CreateFinding(sg.Id, FindingCategory.Coordinates, start, Math.Max(1, end - start), s.Value, s.Steps, evidence,
            $"Coordinates in the same paragraph or table as content public maps may not show ({string.Join(", ", best)}).",
            sg.Basis));
    }

    /// <summary>The term groups present (not negated) in row <paramref name="r"/>, or in its whole real table.</summary>
    private List<string> SensitiveGroups(string text, IReadOnlyList<TableRow> rows, int r, bool rowOnly)
    {
        int from = rows[r].Start, to = rows[r].End;
        if (!rowOnly && rows[r].Source == RowSource.TableCells)
        {
            int a = r, b = r;
            while (a > 0 && rows[a - 1].Group == rows[r].Group) a--;
            while (b + 1 < rows.Count && rows[b + 1].Group == rows[r].Group) b++;
            (from, to) = (rows[a].Start, rows[b].End);
        }
        var span = text.AsSpan(from, to - from);
        var groups = new List<string>();
        foreach (var (name, terms) in _cfg.SensitiveGeoContent.Groups)
        {
            foreach (var term in terms)
            {
                if (ContainsUnnegated(span, term, _cfg.SensitiveGeoContent.Negations)) { groups.Add(name); break; }
            }
        }
        return groups;
    }

    private static bool ContainsUnnegated(ReadOnlySpan<char> span, string term, List<string> negations)
    {
        int pos = 0;
        while (pos < span.Length)
        {
            int i = span[pos..].IndexOf(term, StringComparison.Ordinal);
            if (i < 0) return false;
            i += pos;
            bool negated = false;
            foreach (var n in negations)
                if (i >= n.Length && span.Slice(i - n.Length, n.Length).SequenceEqual(n)) { negated = true; break; }
            if (!negated) return true;
            pos = i + term.Length;
        }
        return false;
    }

    // ---- document cues --------------------------------------------------------------------------------

    /// <summary>Cues read once per document.</summary>
    private sealed class DocumentCues
    {
        public DocumentCues(SurveyDetector d, string text)
        {
            var span = text.AsSpan();
            Datum = FirstOf(span, d._cfg.Shared.DatumCues);
            Boundary = FirstOf(span, d._cfg.Shared.BoundaryCues);
            PublicService = FirstOf(span, d._cfg.GeoCoordinates.PublicServiceLabels);
            Export = FirstOf(span, d._cfg.PlaneCoordinates.ExportCues);
            Processed = FirstOf(span, d._cfg.ControlPointTable.ProcessedCues);
            if (Processed is null)
                foreach (var p in d._processed)
                    if (p.IsMatch(text)) { Processed = "审图号"; break; }
        }

        public string? Datum { get; }
        public string? Boundary { get; }
        public string? PublicService { get; }
        public string? Export { get; }
        public string? Processed { get; }
    }
}
