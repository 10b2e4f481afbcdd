using System.Text;

namespace SecScan.Core.Pii;

/// <summary>
/// Masks personal values for evidence: only a few leading and trailing characters survive
/// (<c>1101**********002X</c>, <c>138****5678</c>). Every PII finding's evidence goes through here.
/// </summary>
public static class PiiMask
{
    /// <summary>Keeps <paramref name="head"/> and <paramref name="tail"/> characters and stars the rest; at least 4 characters are always starred.</summary>
    public static string Keep(ReadOnlySpan<char> value, int head, int tail)
    {
        int n = value.Length;
        while (head + tail > n - 4 && (head > 0 || tail > 0))
        {
            if (head >= tail && head > 0) head--;
            else tail--;
        }
        var sb = new StringBuilder(n);
        sb.Append(value[..head]);
        sb.Append('*', n - head - tail);
        sb.Append(value[(n - tail)..]);
        return sb.ToString();
    }

    /// <summary><c>z***@example.com</c>: the first character of the local part, then the domain.</summary>
    public static string Email(string address)
    {
        int at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0) return Keep(address, 1, 0);
        return string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }

    /// <summary>Digits and letters of a value without separators (spaces, hyphens, brackets, a +86 prefix is kept as digits).</summary>
    public static string Bare(ReadOnlySpan<char> value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }
}
