namespace SecScan.Core.Pii;

/// <summary>
/// The checksum and plausibility validators of DOMAIN.md §5, one function per number type, each a pure
/// function over the bare value (separators already removed). Detectors call them after a pattern
/// matched, as Presidio's <c>validate_result</c> hooks do. Inputs of the wrong length or alphabet return
/// false; nothing here throws.
/// </summary>
public static class PiiValidators
{
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCheckChars = "10X98765432";

    private const string UsccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] UsccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Maximum plausible age of a living ID holder (DOMAIN.md D12).</summary>
    public const int MaxAgeYears = 130;

    /// <summary>The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits, or null if they are not 17 digits.</summary>
    public static char? ResidentIdCheckChar(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) return null;
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            int d = first17[i] - '0';
            if ((uint)d > 9) return null;
            sum += d * IdWeights[i];
        }
        return IdCheckChars[sum % 11];
    }

    /// <summary>True when the 18-character ID has the right check character (x and X alike).</summary>
    public static bool ResidentIdChecksum(ReadOnlySpan<char> id) =>
        id.Length == 18 && ResidentIdCheckChar(id[..17]) is { } c && char.ToUpperInvariant(id[17]) == c;

    /// <summary>
    /// The full D12 check: checksum, a province code in use, a real birth date not after
    /// <paramref name="today"/> and an age of at most <see cref="MaxAgeYears"/>.
    /// </summary>
    public static bool IsValidResidentId(ReadOnlySpan<char> id, DateOnly today) =>
        ResidentIdChecksum(id) && IsProvinceCode(id[..2]) && IsPlausibleBirthDate(id.Slice(6, 8), today);

    /// <summary>A 15-digit legacy ID (GB 11643-1989): a province code and a real 19yy date; it has no check digit.</summary>
    public static bool IsPlausibleLegacyResidentId(ReadOnlySpan<char> id, DateOnly today)
    {
        if (id.Length != 15 || !AllDigits(id) || !IsProvinceCode(id[..2])) return false;
        Span<char> date = stackalloc char[8];
        "19".AsSpan().CopyTo(date);
        id.Slice(6, 6).CopyTo(date[2..]);
        return IsPlausibleBirthDate(date, today);
    }

    /// <summary>Province codes of GB/T 2260 in use in ID numbers; 71 Taiwan, 81/82 HK/MO permits, 83 Taiwan residence permits.</summary>
    public static bool IsProvinceCode(ReadOnlySpan<char> two)
    {
        if (two.Length != 2 || !AllDigits(two)) return false;
        int p = (two[0] - '0') * 10 + (two[1] - '0');
        return p is (>= 11 and <= 15) or (>= 21 and <= 23) or (>= 31 and <= 37) or (>= 41 and <= 46)
            or (>= 50 and <= 54) or (>= 61 and <= 65) or 71 or 81 or 82 or 83;
    }

    /// <summary>YYYYMMDD is a real calendar date, not after <paramref name="today"/>, at most 130 years before it.</summary>
    public static bool IsPlausibleBirthDate(ReadOnlySpan<char> yyyymmdd, DateOnly today)
    {
        if (yyyymmdd.Length != 8 || !AllDigits(yyyymmdd)) return false;
        int y = Number(yyyymmdd[..4]), m = Number(yyyymmdd.Slice(4, 2)), d = Number(yyyymmdd.Slice(6, 2));
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return false;
        var birth = new DateOnly(y, m, d);
        return birth <= today && birth >= today.AddYears(-MaxAgeYears);
    }

    /// <summary>The GB 32100-2015 check character of the first 17 characters, or null if one is outside the charset.</summary>
    public static char? UsccCheckChar(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) return null;
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            int v = UsccCharset.IndexOf(first17[i], StringComparison.Ordinal);
            if (v < 0) return null;
            sum += v * UsccWeights[i];
        }
        int c = 31 - sum % 31;
        return UsccCharset[c == 31 ? 0 : c];
    }

    /// <summary>The GB 11714 organization-code check character of 8 characters (0–9, A–Z), or null.</summary>
    public static char? OrgCodeCheckChar(ReadOnlySpan<char> first8)
    {
        if (first8.Length != 8) return null;
        int sum = 0;
        for (int i = 0; i < 8; i++)
        {
            char ch = first8[i];
            int v = ch is >= '0' and <= '9' ? ch - '0' : ch is >= 'A' and <= 'Z' ? ch - 'A' + 10 : -1;
            if (v < 0) return null;
            sum += v * OrgWeights[i];
        }
        int c = 11 - sum % 11;
        return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
    }

    /// <summary>The D13 check: the USCC check character (position 18) and the embedded organization code's (position 17).</summary>
    public static bool IsValidUscc(ReadOnlySpan<char> code) =>
        code.Length == 18
        && UsccCheckChar(code[..17]) is { } c && code[17] == c
        && OrgCodeCheckChar(code.Slice(8, 8)) is { } o && code[16] == o;

    /// <summary>Luhn (ISO/IEC 7812): every second digit from the right doubled, the sum ≡ 0 mod 10.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2) return false;
        int sum = 0;
        bool dbl = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if ((uint)d > 9) return false;
            if (dbl && (d *= 2) > 9) d -= 9;
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /// <summary>The ICAO 9303 check digit (weights 7, 3, 1; digits as values, A–Z as 10–35, &lt; as 0), or -1 for another character.</summary>
    public static int MrzCheckDigit(ReadOnlySpan<char> field)
    {
        int sum = 0;
        for (int i = 0; i < field.Length; i++)
        {
            char ch = field[i];
            int v = ch is >= '0' and <= '9' ? ch - '0' : ch is >= 'A' and <= 'Z' ? ch - 'A' + 10 : ch == '<' ? 0 : -1;
            if (v < 0) return -1;
            sum += v * (i % 3) switch { 0 => 7, 1 => 3, _ => 1 };
        }
        return sum % 10;
    }

    /// <summary>
    /// The second line of a passport MRZ (TD3, 44 characters): the check digits of the document number,
    /// birth date, expiry date, personal number and the composite all hold.
    /// </summary>
    public static bool IsValidPassportMrzLine2(ReadOnlySpan<char> line)
    {
        if (line.Length != 44) return false;
        static bool Check(ReadOnlySpan<char> field, char digit)
        {
            if (digit == '<' && field.Trim('<').IsEmpty) return true;   // an empty optional field may have a filler check
            int c = MrzCheckDigit(field);
            return c >= 0 && digit - '0' == c;
        }
        if (!Check(line[..9], line[9]) || !Check(line.Slice(13, 6), line[19]) || !Check(line.Slice(21, 6), line[27])
            || !Check(line.Slice(28, 14), line[42])) return false;
        Span<char> composite = stackalloc char[39];
        line[..10].CopyTo(composite);
        line.Slice(13, 7).CopyTo(composite[10..]);
        line.Slice(21, 22).CopyTo(composite[17..]);
        int cc = MrzCheckDigit(composite);
        return cc >= 0 && line[43] - '0' == cc;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        int n = 0;
        foreach (var c in digits) n = n * 10 + (c - '0');
        return n;
    }
}
