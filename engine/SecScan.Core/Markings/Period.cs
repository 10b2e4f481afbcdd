using System.Globalization;

namespace SecScan.Core.Markings;

/// <summary>The period after ★: a number of years or months, 长期, a date, or a condition ending in 前.</summary>
internal static class Period
{
    /// <summary>The PERIOD grammar of DOMAIN.md §3 D1, on normalized text (spaces between CJK already gone).</summary>
    public const string Pattern =
        @"(?:\d{4}\s?[年.\-/]\s?\d{1,2}(?:\s?[月.\-/]\s?\d{1,2}\s?日?)?\s?(?:以前|前|止)?" +
        @"|\d{1,3}\s?(?:个月|年|月)" +
        @"|[一二两三四五六七八九十〇零]{1,3}\s?(?:个月|年)" +
        @"|长期|永久" +
        @"|[\p{IsCJKUnifiedIdeographs}A-Za-z0-9]{1,12}?前)";

    public enum Kind { Years, Months, LongTerm, Date, Condition }

    /// <summary>Classifies a matched period and checks it against the level's legal maximum (S4 第十五条).</summary>
    /// <returns>The kind, and a reason when the value is outside what the law allows by default.</returns>
    public static (Kind Kind, string? OutOfRange) Check(string period, int maxYears)
    {
        var p = period.Replace(" ", "", StringComparison.Ordinal);
        if (p is "长期" or "永久") return (Kind.LongTerm, null);
        if (p.Length >= 4 && char.IsAsciiDigit(p[0]) && char.IsAsciiDigit(p[3]))
        {
            int month = 0;
            var rest = p[4..].TrimStart('年', '.', '-', '/');
            int i = 0;
            while (i < rest.Length && char.IsAsciiDigit(rest[i])) i++;
            if (i > 0) month = int.Parse(rest.AsSpan(0, i), CultureInfo.InvariantCulture);
            return (Kind.Date, month is < 1 or > 12 ? $"month {month} is not a month" : null);
        }
        bool months = p.EndsWith('月');
        if (p.EndsWith('年') || months)
        {
            var number = p.TrimEnd('年', '月').Replace("个", "", StringComparison.Ordinal);
            int n = char.IsAsciiDigit(number.FirstOrDefault())
                ? int.Parse(number, CultureInfo.InvariantCulture)
                : ChineseNumber(number);
            if (months) return (Kind.Months, n is < 1 or > 12 ? $"{n} months is not a period of months" : null);
            return (Kind.Years, n < 1 || n > maxYears ? $"{n} years exceeds the default maximum of {maxYears}" : null);
        }
        return (Kind.Condition, null);
    }

    /// <summary>十→10, 二十→20, 十五→15, 三→3, 两→2 (up to 99; 〇/零 are zero digits).</summary>
    internal static int ChineseNumber(string s)
    {
        static int Digit(char c) => "〇一二三四五六七八九".IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? i : c switch { '零' => 0, '两' => 2, _ => -1 };
        int ten = s.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0) return s.Length == 1 ? Math.Max(0, Digit(s[0])) : 0;
        int tens = ten == 0 ? 1 : Math.Max(0, Digit(s[ten - 1]));
        int ones = ten + 1 < s.Length ? Math.Max(0, Digit(s[ten + 1])) : 0;
        return tens * 10 + ones;
    }
}
