using System.Collections.Frozen;
using System.Globalization;

namespace SecScan.Core.Text;

/// <summary>
/// A one-to-one code point table applied after full-width folding: traditional→simplified characters
/// (derived from OpenCC's t2s data, see <c>rulesets/default/t2s.txt</c>) and any other folds a ruleset ships.
/// </summary>
public sealed class CharacterFold
{
    private readonly int[] _bmp;                                   // identity where unmapped
    private readonly FrozenDictionary<int, int> _supplementary;

    private CharacterFold(int[] bmp, FrozenDictionary<int, int> supplementary)
    {
        _bmp = bmp;
        _supplementary = supplementary;
    }

    public static CharacterFold Empty { get; } = FromPairs([]);

    public int Count { get; private init; }

    public int Map(int cp) => cp < 0x10000 ? _bmp[cp] : _supplementary.GetValueOrDefault(cp, cp);

    public static CharacterFold FromPairs(IEnumerable<(int From, int To)> pairs)
    {
        var bmp = new int[0x10000];
        for (int i = 0; i < bmp.Length; i++) bmp[i] = i;
        var supp = new Dictionary<int, int>();
        int count = 0;
        foreach (var (from, to) in pairs)
        {
            if (from < 0x10000) bmp[from] = to;
            else supp[from] = to;
            count++;
        }
        return new CharacterFold(bmp, supp.ToFrozenDictionary()) { Count = count };
    }

    /// <summary>
    /// Reads a table of lines <c>FROM&lt;TAB&gt;TO</c> (one character each; <c>#</c> starts a comment).
    /// Throws <see cref="FormatException"/> naming the file and line of a malformed entry.
    /// </summary>
    public static CharacterFold Load(string path) => FromPairs(ReadPairs(path));

    /// <summary>
    /// Composes tables: each path's pairs, then later tables applied to the results of earlier ones
    /// (a radical that looks like a traditional character ends up simplified). Later tables win on conflicts.
    /// </summary>
    public static CharacterFold Load(IEnumerable<string> paths)
    {
        var map = new Dictionary<int, int>();
        foreach (var path in paths)
        {
            var table = ReadPairs(path);
            var later = new Dictionary<int, int>();
            foreach (var (from, to) in table) later[from] = to;
            foreach (var from in map.Keys.ToList())
                if (later.TryGetValue(map[from], out var next)) map[from] = next;
            foreach (var (from, to) in later) map[from] = to;
        }
        return FromPairs(map.Select(kv => (kv.Key, kv.Value)));
    }

    /// <summary>The pairs of a table file; a third tab-separated field is a comment.</summary>
    public static List<(int From, int To)> ReadPairs(string path)
    {
        var pairs = new List<(int, int)>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.AsSpan().Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            int tab = line.IndexOf('\t');
            if (tab < 0) throw new FormatException($"{path}:{lineNo}: expected 'FROM<TAB>TO'");
            var from = line[..tab].Trim().ToString();
            var rest = line[(tab + 1)..];
            int comment = rest.IndexOf('\t');
            var to = (comment < 0 ? rest : rest[..comment]).Trim().ToString();
            if (!IsOneCodePoint(from) || !IsOneCodePoint(to))
                throw new FormatException($"{path}:{lineNo}: each side must be exactly one character");
            pairs.Add((char.ConvertToUtf32(from, 0), char.ConvertToUtf32(to, 0)));
        }
        return pairs;
    }

    private static bool IsOneCodePoint(string s) =>
        s.Length == 1 && !char.IsSurrogate(s[0]) || s.Length == 2 && char.IsSurrogatePair(s[0], s[1]);

    internal static string Describe(int cp) => cp.ToString("X4", CultureInfo.InvariantCulture);
}
