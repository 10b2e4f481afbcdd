using System.Buffers;
using System.Globalization;
using SecScan.Core.Documents;

namespace SecScan.Core.Text;

/// <summary>
/// Soft normalization on a shadow copy (DOMAIN.md §2): full-width ASCII folded, exotic spaces folded,
/// zero-width and other format characters removed, space runs collapsed, spaces between CJK
/// characters removed so that <c>秘 密 ★ 1 年</c> reads <c>秘密★1年</c>, and traditional characters
/// mapped to simplified through a character table. No NFKC: it would break the coordinate symbols.
/// Thread-safe and immutable; build once per ruleset.
/// </summary>
public sealed class Normalizer
{
    private readonly CharacterFold _fold;

    /// <summary><see cref="Fold"/> of every BMP character, precomputed for the per-character fast path.</summary>
    private readonly int[] _bmpFold;

    public Normalizer(CharacterFold fold)
    {
        _fold = fold;
        _bmpFold = new int[0x10000];
        for (int c = 0; c < _bmpFold.Length; c++) _bmpFold[c] = Fold(c);
    }

    /// <summary>A normalizer without a traditional→simplified table (for tests of the other rules).</summary>
    public static Normalizer WithoutTable { get; } = new(CharacterFold.Empty);

    public NormalizedText Normalize(IReadOnlyList<TextSegment> segments)
    {
        int capacity = segments.Count;
        foreach (var s in segments) capacity += s.Text.Length;
        // Both arrays are written before they are read: skip the zeroing of what are often large-object-heap
        // arrays. The char buffer only lives until the string is made, so it comes from the pool.
        var buffer = ArrayPool<char>.Shared.Rent(capacity);
        var origin = new OffsetMap.Builder(segments.Count * 2 + 16);
        var segOrigin = new int[segments.Count];
        var segStart = new int[segments.Count];
        int n = 0, originBase = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            segOrigin[i] = originBase;
            segStart[i] = n;
            var text = segments[i].Text;
            n = NormalizeInto(text, originBase, ref buffer, ref origin, n);
            originBase += text.Length;
            if (i + 1 < segments.Count)
            {
                if (n + 1 > buffer.Length) Grow(ref buffer);
                buffer[n] = '\n';
                origin.Add(n++, originBase);
            }
            originBase++;
        }
        var normalized = new string(buffer, 0, n);
        ArrayPool<char>.Shared.Return(buffer);
        return new NormalizedText(normalized, origin.Build(), segments, segOrigin, segStart);
    }

    /// <summary>Normalizes a single string (no map): for rule examples, cue lists and keywords.</summary>
    public string Normalize(string text) =>
        Normalize([new TextSegment(text, new Location { Container = "" })]).Text;

    private int NormalizeInto(string text, int originBase, ref char[] buffer, ref OffsetMap.Builder origin, int n)
    {
        int lineStart = n;
        int pendingSpace = -1;   // original offset of a held-back space, or -1
        var kinds = s_kinds;
        var bmpFold = _bmpFold;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            // Fast path, most characters: ordinary (not a surrogate), no space held back, folding to the
            // BMP. Exactly what the general path below does for them. Output never outgrows input here.
            if (pendingSpace < 0 && kinds[c] == CharKind.Ordinary && bmpFold[c] is var f && f < 0x10000)
            {
                buffer[n] = (char)f;
                origin.Add(n++, originBase + i);
                continue;
            }
            int at = originBase + i;
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }

            // One table look-up classifies a BMP character; supplementary ones are always ordinary.
            var kind = cp < 0x10000 ? kinds[cp] : CharKind.Ordinary;
            if (kind == CharKind.Surrogate) kind = CharKind.Ordinary;   // a lone surrogate is kept as it is
            if (kind == CharKind.LineBreak)
            {
                if (cp == '\r' && i + 1 < text.Length && text[i + 1] == '\n') continue;   // CRLF: the LF emits
                pendingSpace = -1;                                                      // trailing spaces vanish
                buffer[n] = '\n';
                origin.Add(n++, at);
                lineStart = n;
                continue;
            }
            if (kind == CharKind.Space)
            {
                if (pendingSpace < 0) pendingSpace = at;
                continue;
            }
            if (kind == CharKind.Removed) continue;

            int folded = cp < 0x10000 ? bmpFold[cp] : Fold(cp);
            if (pendingSpace >= 0)
            {
                // Keep one space, unless it sits between CJK text (or a CJK mark and a digit) where Chinese never spaces.
                bool keep = n > lineStart && !(IsCjkish(buffer[n - 1]) && !IsAsciiLetter(folded) || IsCjkish(folded) && !IsAsciiLetter(buffer[n - 1]));
                if (n == lineStart) keep = false;  // leading indentation goes: line models never need it
                if (keep)
                {
                    buffer[n] = ' ';
                    origin.Add(n++, pendingSpace);
                }
                pendingSpace = -1;
            }
            int source = cp >= 0x10000 ? at - 1 : at;   // a pair starts one code unit back
            if (folded < 0x10000)
            {
                buffer[n] = (char)folded;
                origin.Add(n++, source);
            }
            else
            {
                // A supplementary result (kept, or a rare Ext-A character simplified into Ext-B): both code
                // units map to the source character's start. Only here can the output outgrow the input.
                if (n + 2 > buffer.Length) Grow(ref buffer);
                buffer[n] = (char)(((folded - 0x10000) >> 10) + 0xD800);
                origin.Add(n++, source);
                buffer[n] = (char)(((folded - 0x10000) & 0x3FF) + 0xDC00);
                origin.Add(n++, source);
            }
        }
        return n;
    }

    /// <summary>Only a BMP character simplified into a surrogate pair can outgrow the input (rare).</summary>
    private static void Grow(ref char[] buffer)
    {
        var bigger = ArrayPool<char>.Shared.Rent(buffer.Length + Math.Max(64, buffer.Length / 8));
        buffer.AsSpan().CopyTo(bigger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = bigger;
    }

    private int Fold(int cp)
    {
        if (cp is >= 0xFF01 and <= 0xFF5E) cp -= 0xFEE0;          // full-width ASCII
        return _fold.Map(cp);
    }

    private enum CharKind : byte { Ordinary, LineBreak, Space, Removed, Surrogate }

    /// <summary>
    /// The class of every BMP character, computed once from the predicates below (in their order of
    /// precedence: line break, space, removed; surrogates apart, for the fast path), so the per-character loop does one look-up instead of
    /// a chain of comparisons and a Unicode category query.
    /// </summary>
    private static readonly CharKind[] s_kinds = BuildKinds();

    private static CharKind[] BuildKinds()
    {
        var kinds = new CharKind[0x10000];
        for (int c = 0; c < kinds.Length; c++)
            kinds[c] = IsLineBreak(c) ? CharKind.LineBreak : IsSpace(c) ? CharKind.Space : IsRemoved((char)c) ? CharKind.Removed
                : char.IsSurrogate((char)c) ? CharKind.Surrogate : CharKind.Ordinary;
        return kinds;
    }

    private static bool IsLineBreak(int cp) => cp is '\r' or '\n' or '\u2028' or '\u2029' or '\u000B' or '\u000C' or '\u0085';

    private static bool IsSpace(int cp) =>
        cp is ' ' or '\t' or '\u00A0' or '\u3000' or '\u202F' or '\u205F' or (>= 0x2000 and <= 0x200A);

    /// <summary>Zero-width and other format characters (Unicode category Cf), plus stray control characters.</summary>
    private static bool IsRemoved(char c) =>
        c < 0x20 ? c != '\t' : CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static bool IsAsciiLetter(int c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');

    /// <summary>Characters next to which Chinese typesetting never puts a space: ideographs, CJK punctuation, marking stars.</summary>
    internal static bool IsCjkish(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x3001 and <= 0x303F) or (>= 0xFF01 and <= 0xFF60) or (>= 0x2600 and <= 0x27BF)
            or (>= 0x25A0 and <= 0x25FF) or 0x2B50 or 0x2605 or 0x2606 or (>= 0x2E80 and <= 0x2FDF)
            or '“' or '”' or '‘' or '’' or '《' or '》' or '【' or '】' or '〔' or '〕';
}
