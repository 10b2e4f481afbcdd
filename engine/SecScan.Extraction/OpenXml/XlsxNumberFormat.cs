using System.Globalization;
using System.Text;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// Renders a numeric cell as a reader sees it, for the formats that matter to text scanning: General, integers,
/// fixed decimals (with or without thousands separators), percentages, dates and times. Everything else
/// (fractions, scientific, conditional sections, literal text and currency around the number) is shown as the
/// number without its decoration, or as the raw stored value when it is not a number.
/// </summary>
/// <remarks>
/// Dates follow the zh-CN display of Excel for built-in format 14 (<c>2024/3/15</c>), <c>yyyy年M月d日</c> for
/// the CJK built-ins and for custom codes that contain 年, and ISO forms otherwise. Serials follow the 1900
/// system (with Excel's phantom 1900-02-29, shown raw) or the 1904 system when the workbook says so.
/// </remarks>
internal static class XlsxNumberFormat
{
    private enum Kind { General, Fixed, Percent, Date, Time, DateTime, ChineseDate, SlashDate }

    /// <summary>The displayed text of a numeric cell.</summary>
    /// <param name="raw">The stored value (c/v).</param>
    /// <param name="numFmtId">The number format of the cell's style.</param>
    /// <param name="code">The custom format code for ids ≥ 164, or null.</param>
    /// <param name="date1904">The workbook uses the 1904 date system.</param>
    public static string Format(string raw, int numFmtId, string? code, bool date1904)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            return raw;
        var (kind, decimals, thousands) = code is null ? BuiltIn(numFmtId) : Parse(code);
        switch (kind)
        {
            case Kind.Fixed:
                return value.ToString((thousands ? "N" : "F") + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case Kind.Percent:
                return (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
            case Kind.Date or Kind.Time or Kind.DateTime or Kind.ChineseDate or Kind.SlashDate:
                if (ToDate(value, date1904) is not { } date) return raw;
                return kind switch
                {
                    Kind.Date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Kind.SlashDate => date.ToString("yyyy/M/d", CultureInfo.InvariantCulture),
                    Kind.ChineseDate => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
                    Kind.Time => date.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                    _ => date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                };
            default:
                // Excel's General shows at most 15 significant digits: 0.1+0.2 is "0.3", not 0.30000000000000004.
                return value.ToString("G15", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>ECMA-376 Part 1, 18.8.30 (numFmt): the built-in ids, plus the CJK date ids Excel assigns.</summary>
    private static (Kind, int Decimals, bool Thousands) BuiltIn(int id) => id switch
    {
        1 => (Kind.Fixed, 0, false),
        2 => (Kind.Fixed, 2, false),
        3 or 37 or 38 => (Kind.Fixed, 0, true),
        4 or 39 or 40 => (Kind.Fixed, 2, true),
        9 => (Kind.Percent, 0, false),
        10 => (Kind.Percent, 2, false),
        14 => (Kind.SlashDate, 0, false),
        15 or 16 or 17 => (Kind.Date, 0, false),
        18 or 19 or 20 or 21 or 45 or 46 or 47 => (Kind.Time, 0, false),
        22 => (Kind.DateTime, 0, false),
        >= 27 and <= 36 or >= 50 and <= 58 => (Kind.ChineseDate, 0, false),
        _ => (Kind.General, 0, false),
    };

    /// <summary>Classifies a custom code by its first section, ignoring quoted literals, escapes and [brackets].</summary>
    private static (Kind, int Decimals, bool Thousands) Parse(string code)
    {
        var bare = new StringBuilder(code.Length);
        bool quoted = false, bracket = false;
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (quoted) { if (c == '"') quoted = false; continue; }
            if (bracket) { if (c == ']') bracket = false; continue; }
            if (c == '"') { quoted = true; continue; }
            if (c == '[') { bracket = true; continue; }
            if (c == '\\' || c == '_' || c == '*') { i++; continue; }
            if (c == ';') break;
            bare.Append(c);
        }
        string s = bare.ToString();
        if (s.Equals("General", StringComparison.OrdinalIgnoreCase) || s.Length == 0 || s.Contains('@', StringComparison.Ordinal))
            return (Kind.General, 0, false);
        bool date = s.AsSpan().IndexOfAny("yYdD") >= 0 || code.Contains('年', StringComparison.Ordinal);
        bool time = s.AsSpan().IndexOfAny("hHsS") >= 0;
        if (date || time)
        {
            if (code.Contains('年', StringComparison.Ordinal)) return (Kind.ChineseDate, 0, false);
            return (date && time ? Kind.DateTime : date ? Kind.Date : Kind.Time, 0, false);
        }
        if (s.Contains('E', StringComparison.OrdinalIgnoreCase) || s.Contains('/', StringComparison.Ordinal) || s.Contains('?', StringComparison.Ordinal))
            return (Kind.General, 0, false);
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        int decimals = 0;
        if (dot >= 0)
            for (int i = dot + 1; i < s.Length && s[i] is '0' or '#'; i++) decimals++;
        bool thousands = (dot < 0 ? s : s[..dot]).Contains(',', StringComparison.Ordinal);
        if (s.Contains('%', StringComparison.Ordinal)) return (Kind.Percent, decimals, false);
        return s.AsSpan().IndexOfAny("0#") >= 0 ? (Kind.Fixed, decimals, thousands) : (Kind.General, 0, false);
    }

    private static DateTime? ToDate(double serial, bool date1904)
    {
        if (serial < 0 || serial > 2_958_465) return null;   // after 9999-12-31
        if (date1904) return new DateTime(1904, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddDays(serial);
        // Excel counts 1900-02-29, which never was: serials before it are one day off from OLE dates.
        if (serial is >= 60 and < 61) return null;
        return DateTime.FromOADate(serial < 60 ? serial + 1 : serial);
    }
}
