using SecScan.Core.Detection;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SecScan.Core.Coordinates;

/// <summary>Written precision (DOMAIN.md D7): an engineering proxy, not the survey's true accuracy.</summary>
public enum Precision
{
    /// <summary>≤ 3 decimals of a degree, or minutes only: coarser than ~100 m.</summary>
    Low,

    /// <summary>4 decimals of a degree, or whole seconds / one decimal: 3–31 m, still finer than a public map's 50 m.</summary>
    Medium,

    /// <summary>≥ 5 decimals of a degree, or ≥ 2 decimals of a second: survey precision (≤ ~0.3 m).</summary>
    High,
}

public enum Axis
{
    Unknown,
    Latitude,
    Longitude,
}

/// <summary>A latitude or longitude value as written, in view offsets.</summary>
internal readonly record struct GeoValue(int Start, int End, double Degrees, Axis Axis, bool Labelled, bool Dms, Precision Precision, int ShownFraction);

/// <summary>A point: a latitude/longitude pair, or one labelled value written alone.</summary>
internal readonly record struct GeoPoint(int Start, int End, Precision Precision, GeoValue First, GeoValue? Second);

/// <summary>A Gauss-Krüger (X, Y) pair in one row.</summary>
internal readonly record struct PlanePair(int Start, int End, bool HighPrecision, bool ZonePrefix, bool ZoneRangeMismatch, int XStart, int XEnd, int YStart, int YEnd);

/// <summary>
/// Reads geographic and plane coordinate values from rows of the folded view. Patterns are compiled once;
/// every quantifier is bounded, and they are applied to one row at a time.
/// </summary>
internal sealed class CoordinateValues
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private static readonly TimeSpan Timeout = DetectorRegex.MatchTimeout;

    /// <summary>Values kept per row; a megabyte line of numbers is read only this far.</summary>
    public const int MaxValuesPerRow = 2000;

    private const string Prefix = @"(?:(?<pre>东经|西经|北纬|南纬|经度|纬度|latitude|longitude|lat|lon|lng|[EWNSBL])[ ]?[:：=]?[ ]?)?";
    // A hemisphere letter after the value, unless it was labelled before, and not the prefix of the next value (… E116°).
    private const string Suffix = @"(?(pre)|(?:[ ]?(?<h>[EWNS])(?![A-Za-z0-9]))?)";

    // DMS and degree-minute forms after folding (度分秒 folded to °′″ by CoordinateView).
    private static readonly Regex Dms = new(
        @"(?<![A-Za-z0-9.])" + Prefix + @"(?<d>\d{1,3})[ ]?°(?:[ ]?(?<m>\d{1,2})(?:\.(?<mf>\d{1,8}))?[ ]?′(?:[ ]?(?<s>\d{1,2})(?:\.(?<sf>\d{1,8}))?[ ]?″)?)?" + Suffix,
        Options, Timeout);

    // Decimal degrees. Versions (3.116.388194), IPs and dates fail the dot look-arounds; prices the currency ones.
    private static readonly Regex Decimal = new(
        @"(?<![A-Za-z0-9.¥$€£￥])" + Prefix + @"(?<v>-?\d{1,3}\.(?<f>\d{1,10}))(?![\d.])(?![ ]?[元万亿%])(?<deg>[ ]?°)?" + Suffix,
        Options, Timeout);

    private static readonly Regex Plane = new(@"(?<![\d.])(?<i>\d{6,8})(?:\.(?<f>\d{1,4}))?(?![\d.])", Options, Timeout);

    private readonly GeoCoordinatesConfig _geo;
    private readonly string[] _currency;

    public CoordinateValues(GeoCoordinatesConfig geo, PlaneCoordinatesConfig plane)
    {
        _geo = geo;
        _currency = [.. plane.CurrencyWords];
    }

    /// <summary>Every latitude/longitude value in view[start..end), in order; DMS forms win over the decimals inside them.</summary>
    public static void ReadGeo(string view, int start, int end, List<GeoValue> output)
    {
        int first = output.Count;
        if (view.AsSpan(start, end - start).Contains('°'))
        {
            foreach (var m in Dms.EnumerateMatches(view.AsSpan(start, end - start)))
            {
                if (output.Count - first >= MaxValuesPerRow) return;
                var v = ParseDms(view, start + m.Index, m.Length);
                if (v is { } value) output.Add(value);
            }
        }
        int dmsEnd = output.Count;
        foreach (var m in Decimal.EnumerateMatches(view.AsSpan(start, end - start)))
        {
            if (output.Count - first >= MaxValuesPerRow) break;
            int s = start + m.Index, e = s + m.Length;
            bool inside = false;
            for (int k = first; k < dmsEnd && !inside; k++) inside = s < output[k].End && output[k].Start < e;
            if (inside) continue;
            if (ParseDecimal(view, s, m.Length) is { } value) output.Add(value);
        }
        if (dmsEnd > first && output.Count > dmsEnd) output.Sort(first, output.Count - first, Comparer<GeoValue>.Create((a, b) => a.Start.CompareTo(b.Start)));
    }

    private static GeoValue? ParseDms(string view, int index, int length)
    {
        var m = Dms.Match(view, index, length);
        if (!m.Success) return null;
        var (axis, labelled) = AxisOf(m.Groups["pre"].Value, m.Groups["h"].Value);
        double d = Int(m.Groups["d"].Value);
        var mg = m.Groups["m"];
        if (!mg.Success)
        {
            // Degrees alone (中央子午线：117°, 30°C) are a point only when labelled (北纬30°).
            if (!labelled || d > 180) return null;
            return new GeoValue(m.Index, m.Index + m.Length, d, axis, true, true, Precision.Low, 0);
        }
        double min = Int(mg.Value) + Frac(m.Groups["mf"].Value);
        if (min >= 60) return null;
        double sec = 0;
        Precision p;
        int shown;
        var sg = m.Groups["s"];
        if (sg.Success)
        {
            sec = Int(sg.Value) + Frac(m.Groups["sf"].Value);
            if (sec >= 60) return null;
            int sf = m.Groups["sf"].Length;
            p = sf >= 2 ? Precision.High : Precision.Medium;
            shown = Math.Min(sf, 2);
        }
        else
        {
            int mf = m.Groups["mf"].Length;
            p = mf >= 4 ? Precision.High : mf >= 2 ? Precision.Medium : Precision.Low;
            shown = Math.Min(mf, 4);
        }
        double deg = d + min / 60 + sec / 3600;
        if (deg > 180 || (axis == Axis.Latitude && deg > 90)) return null;
        return new GeoValue(m.Index, m.Index + m.Length, deg, axis, labelled, true, p, shown);
    }

    private static GeoValue? ParseDecimal(string view, int index, int length)
    {
        var m = Decimal.Match(view, index, length);
        if (!m.Success) return null;
        var (axis, labelled) = AxisOf(m.Groups["pre"].Value, m.Groups["h"].Value);
        int f = m.Groups["f"].Length;
        // Unlabelled numbers need the 3 decimals of DOMAIN.md's DEC pattern or a degree sign to be read as degrees.
        if (!labelled && f < 3 && !m.Groups["deg"].Success) return null;
        if (!double.TryParse(m.Groups["v"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return null;
        double abs = Math.Abs(v);
        if (abs > 180 || (axis == Axis.Latitude && abs > 90)) return null;
        var p = f >= 5 ? Precision.High : f == 4 ? Precision.Medium : Precision.Low;
        return new GeoValue(m.Index, m.Index + m.Length, abs, axis, labelled, false, p, Math.Min(f, 5));
    }

    /// <summary>
    /// Pairs values into points: neighbours within <paramref name="window"/> characters (any distance inside a
    /// structured row) whose axes fit; an unlabelled pair must fall in China's latitude and longitude ranges.
    /// A labelled value left alone is a point of its own.
    /// </summary>
    public void Pair(IReadOnlyList<GeoValue> values, int window, List<GeoPoint> output)
    {
        for (int i = 0; i < values.Count; i++)
        {
            var a = values[i];
            if (i + 1 < values.Count)
            {
                var b = values[i + 1];
                if (b.Start - a.End <= window && Fits(a, b))
                {
                    output.Add(new GeoPoint(a.Start, b.End, (Precision)Math.Min((int)a.Precision, (int)b.Precision), a, b));
                    i++;
                    continue;
                }
            }
            if (a.Labelled) output.Add(new GeoPoint(a.Start, a.End, a.Precision, a, null));
        }
    }

    private bool Fits(GeoValue a, GeoValue b)
    {
        if (a.Axis != Axis.Unknown && a.Axis == b.Axis) return false;
        if (a.Labelled && b.Labelled) return true;
        return (IsLat(a) && IsLon(b)) || (IsLon(a) && IsLat(b));
    }

    private bool IsLat(GeoValue v) => v.Axis == Axis.Latitude || (v.Axis == Axis.Unknown && v.Degrees >= _geo.MinLatitude && v.Degrees <= _geo.MaxLatitude);

    private bool IsLon(GeoValue v) => v.Axis == Axis.Longitude || (v.Axis == Axis.Unknown && v.Degrees >= _geo.MinLongitude && v.Degrees <= _geo.MaxLongitude);

    /// <summary>
    /// The first (X, Y) Gauss-Krüger pair of view[start..end): X with 7 integer digits in [1,000,000, 6,000,000),
    /// Y with 6 digits in [150,000, 850,000] or 8 digits led by a zone of China (13–23 six-degree, 25–45 three-degree),
    /// in either order. Numbers next to a currency word are amounts, not coordinates.
    /// </summary>
    public PlanePair? ReadPlane(string view, int start, int end, int window)
    {
        (int S, int E, int Frac)? x = null;
        (int S, int E, int Frac, bool Zone, bool Mismatch)? y = null;
        int seen = 0;
        foreach (var m in Plane.EnumerateMatches(view.AsSpan(start, end - start)))
        {
            if (++seen > MaxValuesPerRow) break;
            int s = start + m.Index, e = s + m.Length;
            int dot = view.IndexOf('.', s, m.Length);
            int intLen = (dot < 0 ? e : dot) - s;
            int frac = dot < 0 ? 0 : e - dot - 1;
            var digits = view.AsSpan(s, intLen);
            if (NearCurrency(view, s, e)) continue;
            if (intLen == 7 && digits[0] is >= '1' and <= '5')
            {
                x ??= (s, e, frac);
            }
            else if (intLen == 6 && Int(digits) is >= 150_000 and <= 850_000)
            {
                y ??= (s, e, frac, false, false);
            }
            else if (intLen == 8)
            {
                int z = (int)Int(digits[..2]);
                int y6 = (int)Int(digits[2..]);
                if (z is not (>= 13 and <= 23 or >= 25 and <= 45) || y6 is < 150_000 or > 850_000) continue;
                y ??= (s, e, frac, true, z >= 25 && y6 is < 320_000 or > 680_000);
            }
            if (x is { } xv && y is { } yv)
            {
                int gap = xv.S < yv.S ? yv.S - xv.E : xv.S - yv.E;
                if (gap > window)
                {
                    // Too far apart to be one pair: keep the later value and look on.
                    if (xv.S < yv.S) x = null; else y = null;
                    continue;
                }
                return new PlanePair(Math.Min(xv.S, yv.S), Math.Max(xv.E, yv.E), xv.Frac >= 2 && yv.Frac >= 2, yv.Zone, yv.Mismatch, xv.S, xv.E, yv.S, yv.E);
            }
        }
        return null;
    }

    private bool NearCurrency(string view, int s, int e)
    {
        const int Around = 12;
        int a = Math.Max(0, s - Around), b = Math.Min(view.Length, e + Around);
        var near = view.AsSpan(a, b - a);
        foreach (var w in _currency)
            if (near.Contains(w, StringComparison.Ordinal)) return true;
        return false;
    }

    private static (Axis, bool) AxisOf(string pre, string hemi)
    {
        string label = pre.Length > 0 ? pre : hemi;
        return label switch
        {
            "" => (Axis.Unknown, false),
            "北纬" or "南纬" or "纬度" or "lat" or "latitude" or "N" or "S" or "B" => (Axis.Latitude, true),
            _ => (Axis.Longitude, true),
        };
    }

    private static double Int(ReadOnlySpan<char> digits)
    {
        double v = 0;
        foreach (var c in digits) v = v * 10 + (c - '0');
        return v;
    }

    private static double Frac(string digits) => digits.Length == 0 ? 0 : Int(digits) / Math.Pow(10, digits.Length);

    /// <summary>
    /// The value as written, with fractional digits past the precision class masked:
    /// <c>39°54′27.0012″</c> → <c>39°54′27.00**″</c>. Survey-precision coordinates are themselves the secret.
    /// </summary>
    public static string Mask(string view, int start, int end, int shownFraction)
    {
        var sb = new StringBuilder(end - start);
        // The last fractional run is the one that carries the precision (seconds, minutes or degrees).
        int lastDot = view.LastIndexOf('.', end - 1, end - start);
        for (int i = start; i < end; i++)
        {
            char c = view[i];
            if (lastDot >= 0 && i > lastDot && char.IsAsciiDigit(c) && AllDigits(view, lastDot + 1, i) && i - lastDot > shownFraction) sb.Append('*');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool AllDigits(string s, int from, int to)
    {
        for (int i = from; i < to; i++) if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }
}
