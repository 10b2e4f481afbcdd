using System.Runtime.CompilerServices;

namespace SecScan.Core.Keywords;

/// <summary>Receives the matches of <see cref="KeywordAutomaton.Scan{TSink}"/>; a struct so that the call inlines.</summary>
public interface IMatchSink
{
    /// <summary>Pattern <paramref name="pattern"/> ends just before offset <paramref name="end"/> (exclusive).</summary>
    void OnMatch(int pattern, int end);
}

/// <summary>How <see cref="KeywordAutomaton"/> scans; <see cref="Auto"/> picks by the library (tests force the others).</summary>
public enum KeywordLayout
{
    Auto,

    /// <summary>Candidate starts from <see cref="AnchorFilter"/>, each verified by a walk down the trie.</summary>
    Anchored,

    /// <summary>Aho-Corasick: one transition per character, failure links, dense rows for depth 1.</summary>
    AhoCorasick,
}

/// <summary>
/// A multi-pattern matcher over UTF-16 code units that reports every occurrence of every pattern,
/// overlapping ones included, as (pattern id, end offset) pairs. Immutable after construction and
/// thread-safe; built once per ruleset.
/// </summary>
/// <remarks>
/// Two scans over one trie, chosen when the matcher is built, by measurement (benchmarks/RESULTS.md §6):
/// <list type="bullet">
/// <item><b>Anchored</b>, for libraries of at least <see cref="MinAnchoredAlphabet"/> distinct characters, up to
/// about 30,000 distinct three-character prefixes and patterns of at most <see cref="MaxAnchoredLength"/>
/// characters: an <see cref="AnchorFilter"/> marks, without a branch per character, the few positions where a
/// pattern may start (7 % of the positions of Chinese text with 10,000 phrases), and a walk down the trie from
/// each reports the patterns that start there. Cost per character is a hash and two loads from bitmaps that stay
/// in the second-level cache; the walk is bounded by the longest pattern.</item>
/// <item><b>Aho-Corasick</b>, for small libraries (few distinct characters: most text characters are in no
/// pattern and cost one predictable branch) and big ones (a million phrases start somewhere at most positions):
/// one transition per character whatever the patterns, so the cost stays linear in the text.</item>
/// </list>
/// The Aho-Corasick layout:
/// <list type="bullet">
/// <item>Characters are remapped to dense symbol ids through a 64 Ki table (ASCII letters fold to lower
/// case); a character in no pattern is symbol 0 and sends the automaton straight to the root, which is
/// what most characters of ordinary text do.</item>
/// <item>The root's transitions are a dense array over the symbols; every other state keeps its
/// transitions as a sorted run of (symbol, target) in two flat arrays, searched linearly when short and
/// by binary search when long. States are numbered in breadth-first order.</item>
/// <item>Each state has a failure link and a dictionary link (the nearest state on its failure chain
/// that ends a pattern), so that every overlapping match is reported without walking non-final states.</item>
/// </list>
/// Invariant: state 0 is the root; a state's edges are sorted by symbol; <c>_pattern[s] &gt;= 0</c>
/// exactly when s ends a pattern; states 1..depth1 are the root's children.
/// </remarks>
public sealed class KeywordAutomaton
{
    private const int LinearSearchLimit = 8;

    /// <summary>
    /// The fewest distinct characters for which the anchored scan is chosen. With few, most characters of
    /// Chinese text are in no pattern and Aho-Corasick passes them at one predictable branch each, faster than
    /// the filter's fixed cost per character (100 phrases, 202 characters: Aho-Corasick 2.5× faster); with
    /// many, Aho-Corasick moves at every character (1,000 phrases, 920 characters: anchored 1.6× faster).
    /// </summary>
    internal const int MinAnchoredAlphabet = 512;

    /// <summary>The longest pattern the anchored scan takes: its walk from a candidate is at most this long.</summary>
    internal const int MaxAnchoredLength = 64;

    private readonly ushort[] _symbolOf;     // char → symbol (0: in no pattern)
    private readonly int[] _rootNext;        // symbol → state (0: none)
    private readonly StateRecord[] _states;  // edges, failure link and output flag of each state, one cache line for four
    private readonly Edge[] _edges;          // edges of states with two or more, sorted by symbol per state
    private readonly int[] _dictLink;        // nearest final state on the failure chain, or -1
    private readonly int[] _pattern;         // pattern ended by this state, or -1
    private readonly int[] _patternLength;   // pattern id → length in code units
    private readonly int _depth1;            // states 1.._depth1 are the root's children (breadth-first numbering)
    private int[]? _dense;                   // (state − 1) × AlphabetSize + symbol → next state, for depth-1 states
    private ushort[]? _dense16;              // the same table when every state id fits 16 bits: half the cache footprint
    private AnchorFilter? _anchors;          // set for the anchored layout (then there is no dense table)

    private KeywordAutomaton(ushort[] symbolOf, int symbols, int[] rootNext, StateRecord[] states, Edge[] edges,
        int[] dictLink, int[] pattern, int[] patternLength, int depth1)
    {
        _symbolOf = symbolOf;
        AlphabetSize = symbols;
        _rootNext = rootNext;
        _states = states;
        _edges = edges;
        _dictLink = dictLink;
        _pattern = pattern;
        _patternLength = patternLength;
        _depth1 = depth1;
    }

    /// <summary>Entries of the dense depth-1 table at most (64 MiB of int).</summary>
    private const long MaxDenseEntries = 16L << 20;

    /// <summary>The number of patterns, including duplicates (which share a state and report the first id).</summary>
    public int PatternCount => _patternLength.Length;

    public int StateCount => _states.Length;

    /// <summary>Distinct symbols (folded code units) in the patterns, plus symbol 0.</summary>
    public int AlphabetSize { get; }

    /// <summary>Bytes held by the automaton's arrays.</summary>
    public long MemoryBytes =>
        (_dense?.Length ?? 0) * 4L + (_dense16?.Length ?? 0) * 2L + (long)_symbolOf.Length * 2 + _rootNext.Length * 4L + _states.Length * 16L + _edges.Length * 8L
        + _dictLink.Length * 4L + _pattern.Length * 4L + _patternLength.Length * 4L + (_anchors?.MemoryBytes ?? 0);

    /// <summary>The layout chosen when this matcher was built.</summary>
    public KeywordLayout Layout => _anchors is null ? KeywordLayout.AhoCorasick : KeywordLayout.Anchored;

    /// <summary>Length of pattern <paramref name="id"/> in code units (its match starts at end − length).</summary>
    public int PatternLength(int id) => _patternLength[id];

    /// <summary>
    /// The pattern that equals <paramref name="id"/>'s text (the first pattern with that text): duplicates
    /// share one final state, so only the canonical id is ever reported.
    /// </summary>
    public int CanonicalOf(int id) => _canonical[id];

    private int[] _canonical = [];

    /// <summary>
    /// Builds the automaton. Patterns are matched as given (callers normalize them as they normalize
    /// text); ASCII letters match either case. Empty patterns are not allowed.
    /// </summary>
    /// <exception cref="ArgumentException">A pattern is empty or the alphabet exceeds 65,535 symbols.</exception>
    public static KeywordAutomaton Build(IReadOnlyList<string> patterns) => Build(patterns, KeywordLayout.Auto);

    /// <summary>Builds the matcher with a given layout (<see cref="KeywordLayout.Anchored"/> falls back when the library does not fit it).</summary>
    internal static KeywordAutomaton Build(IReadOnlyList<string> patterns, KeywordLayout layout)
    {
        // 1. Alphabet: dense ids in order of first appearance.
        var symbolOf = new ushort[0x10000];
        int symbols = 1;
        var lengths = new int[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
        {
            var s = patterns[p];
            if (string.IsNullOrEmpty(s)) throw new ArgumentException($"pattern {p} is empty", nameof(patterns));
            lengths[p] = s.Length;
            foreach (char c in s)
            {
                char f = FoldCase(c);
                if (symbolOf[f] != 0) continue;
                if (symbols == ushort.MaxValue) throw new ArgumentException("more than 65,535 distinct characters in the patterns", nameof(patterns));
                symbolOf[f] = (ushort)symbols++;
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) symbolOf[c] = symbolOf[c + 32];

        // 2. A trie from the patterns in symbol order: children then arrive sorted, and the path of the
        //    previous pattern gives the shared prefix, so no per-node dictionary is ever needed.
        var order = new int[patterns.Count];
        var keys = new ushort[patterns.Count][];
        for (int p = 0; p < order.Length; p++)
        {
            order[p] = p;
            var k = new ushort[patterns[p].Length];
            for (int i = 0; i < k.Length; i++) k[i] = symbolOf[patterns[p][i]];
            keys[p] = k;
        }
        Array.Sort(order, (a, b) =>
        {
            int c = keys[a].AsSpan().SequenceCompareTo(keys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var trie = new TrieBuilder(Math.Max(16, patterns.Count * 3));
        var canonical = new int[patterns.Count];
        var path = new List<int> { 0 };
        ushort[] prev = [];
        foreach (int p in order)
        {
            var key = keys[p];
            int common = key.AsSpan().CommonPrefixLength(prev);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (int i = common; i < key.Length; i++) path.Add(trie.AddChild(path[^1], key[i]));
            int end = path[^1];
            if (trie.Pattern[end] < 0) trie.Pattern[end] = p;
            canonical[p] = trie.Pattern[end];
            prev = key;
        }

        // 3. Breadth-first renumbering, flat sorted edges, failure and dictionary links.
        int n = trie.Count;
        var bfs = new int[n];           // new id → trie node
        var newId = new int[n];
        int head = 0, tail = 0;
        bfs[tail++] = 0;
        while (head < tail)
        {
            int u = bfs[head++];
            for (int c = trie.FirstChild[u]; c >= 0; c = trie.NextSibling[c]) { newId[c] = tail; bfs[tail++] = c; }
        }
        var edgeStart = new int[n + 1];
        var edgeSymbol = new ushort[n - 1];
        var edgeTarget = new int[n - 1];
        var pattern = new int[n];
        int e = 0;
        for (int s = 0; s < n; s++)
        {
            int u = bfs[s];
            edgeStart[s] = e;
            pattern[s] = trie.Pattern[u];
            for (int c = trie.FirstChild[u]; c >= 0; c = trie.NextSibling[c])
            {
                edgeSymbol[e] = trie.Symbol[c];
                edgeTarget[e++] = newId[c];
            }
        }
        edgeStart[n] = e;
        trie = null!;   // the builder's arrays can go before the links are computed

        var rootNext = new int[symbols];
        for (int i = edgeStart[0]; i < edgeStart[1]; i++) rootNext[edgeSymbol[i]] = edgeTarget[i];
        // Packed layout: a state with one edge keeps it inline (most deep states), others point into _edges.
        var states = new StateRecord[n];
        int multi = 0;
        for (int st = 1; st < n; st++) if (edgeStart[st + 1] - edgeStart[st] > 1) multi += edgeStart[st + 1] - edgeStart[st];
        var edges = new Edge[multi];
        int m = 0;
        for (int st = 1; st < n; st++)
        {
            int count = edgeStart[st + 1] - edgeStart[st];
            ref var rec = ref states[st];
            rec.Count = (ushort)Math.Min(count, ushort.MaxValue);
            if (count == 1) { rec.Single = edgeSymbol[edgeStart[st]]; rec.Edges = edgeTarget[edgeStart[st]]; }
            else if (count > 1)
            {
                rec.Edges = m;
                for (int i = edgeStart[st]; i < edgeStart[st + 1]; i++) edges[m++] = new Edge(edgeSymbol[i], edgeTarget[i]);
            }
        }
        int depth1 = edgeStart[1] - edgeStart[0];
        var fail = new int[n];
        var dict = new int[n];
        dict[0] = -1;
        var automaton = new KeywordAutomaton(symbolOf, symbols, rootNext, states, edges, dict, pattern, lengths, depth1)
        {
            _canonical = canonical,
        };
        // BFS order guarantees a state's failure target (shallower) is final before the state is visited.
        for (int s = 0; s < n; s++)
        {
            for (int i = edgeStart[s]; i < edgeStart[s + 1]; i++)
            {
                int child = edgeTarget[i];
                ushort sym = edgeSymbol[i];
                int f = 0;
                if (s != 0)
                {
                    f = fail[s];
                    int t;
                    while ((t = automaton.Step(f, sym)) < 0 && f != 0) f = fail[f];
                    f = t < 0 ? 0 : t;
                }
                fail[child] = f;
                dict[child] = pattern[f] >= 0 ? f : dict[f];
            }
        }
        for (int s = 0; s < n; s++)
        {
            states[s].Fail = fail[s];
            states[s].Emits = pattern[s] >= 0 || dict[s] >= 0;
        }
        bool anchored = layout switch
        {
            KeywordLayout.Anchored => true,
            KeywordLayout.AhoCorasick => false,
            _ => symbols >= MinAnchoredAlphabet,
        };
        if (anchored && lengths.DefaultIfEmpty().Max() <= MaxAnchoredLength)
            automaton._anchors = AnchorFilter.TryBuild(patterns, automaton.StateOf);
        if (automaton._anchors is null) automaton.BuildDenseRows(edgeStart, edgeSymbol, edgeTarget);
        return automaton;
    }

    /// <summary>
    /// Dense rows for the root's children: from them every transition, failure included, is one load. With
    /// a big library most of the text keeps the automaton at depth 1–2, so this is where time goes. A depth-1
    /// state fails to the root: its row is the root's row with its own edges on top.
    /// </summary>
    private void BuildDenseRows(int[] edgeStart, ushort[] edgeSymbol, int[] edgeTarget)
    {
        int symbols = AlphabetSize;
        if ((long)_depth1 * symbols > MaxDenseEntries) return;
        if (_states.Length <= ushort.MaxValue) _dense16 = new ushort[_depth1 * symbols];
        else _dense = new int[_depth1 * symbols];
        for (int s = 1; s <= _depth1; s++)
        {
            if (_dense is { } dense)
            {
                var row = dense.AsSpan((s - 1) * symbols, symbols);
                _rootNext.CopyTo(row);
                for (int i = edgeStart[s]; i < edgeStart[s + 1]; i++) row[edgeSymbol[i]] = edgeTarget[i];
            }
            else if (_dense16 is { } dense16)
            {
                var row = dense16.AsSpan((s - 1) * symbols, symbols);
                for (int k = 0; k < symbols; k++) row[k] = (ushort)_rootNext[k];
                for (int i = edgeStart[s]; i < edgeStart[s + 1]; i++) row[edgeSymbol[i]] = (ushort)edgeTarget[i];
            }
        }
    }

    /// <summary>
    /// Reports every match in <paramref name="text"/> to <paramref name="sink"/>, each once. The order depends on
    /// the layout (by start with the anchored scan, by end with Aho-Corasick): callers that need one sort.
    /// </summary>
    /// <param name="text">The text; state starts at the root (chunks must be cut where no pattern can span).</param>
    /// <param name="sink">Receives (pattern, end) pairs; a struct, so no allocation per match.</param>
    /// <param name="offset">Added to every reported end (for text scanned in chunks).</param>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink, int offset = 0) where TSink : struct, IMatchSink
    {
        if (_anchors is not null) ScanAnchored(text, ref sink, offset);
        else if (_dense16 is not null) ScanCore(text, ref sink, offset, new Dense16(_dense16), _depth1);
        else if (_dense is not null) ScanCore(text, ref sink, offset, new Dense32(_dense), _depth1);
        else ScanCore(text, ref sink, offset, new Dense32([]), 0);
    }

    /// <summary>The scan loop, specialized by the JIT for each sink and dense-table width (struct generics inline).</summary>
    private void ScanCore<TSink, TDense>(ReadOnlySpan<char> text, ref TSink sink, int offset, TDense dense, int depth1)
        where TSink : struct, IMatchSink where TDense : struct, IDenseTable
    {
        var symbolOf = _symbolOf;
        var rootNext = _rootNext;
        var pattern = _pattern;
        var dict = _dictLink;
        var states = _states;
        int alphabet = AlphabetSize;
        int state = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int sym = symbolOf[text[i]];
            if (sym == 0) { state = 0; continue; }
            if (state == 0)
            {
                state = rootNext[sym];
                if (state == 0) continue;
            }
            else if (state <= depth1)
            {
                state = dense[(state - 1) * alphabet + sym];
                if (state == 0) continue;
            }
            else
            {
                while (true)
                {
                    int t = Step(state, sym);
                    if (t >= 0) { state = t; break; }
                    state = states[state].Fail;
                    if (state == 0) { state = rootNext[sym]; break; }
                    if (state <= depth1) { state = dense[(state - 1) * alphabet + sym]; break; }
                }
                if (state == 0) continue;
            }
            if (!states[state].Emits) continue;
            int p = pattern[state];
            int d = dict[state];
            if (p >= 0) sink.OnMatch(p, offset + i + 1);
            for (; d >= 0; d = dict[d]) sink.OnMatch(pattern[d], offset + i + 1);
        }
    }

    /// <summary>The anchored scan: candidate starts in blocks, then a walk down the trie from each.</summary>
    private void ScanAnchored<TSink>(ReadOnlySpan<char> text, ref TSink sink, int offset) where TSink : struct, IMatchSink
    {
        var anchors = _anchors!;
        var symbolOf = _symbolOf;
        var rootNext = _rootNext;
        var pattern = _pattern;
        Span<int> candidates = stackalloc int[CandidateBlock];
        for (int from = 0; from < text.Length; from += CandidateBlock)
        {
            int count = anchors.Collect(text, from, candidates);
            foreach (int start in candidates[..count])
            {
                // Every pattern that starts here ends on the trie path spelled by the text from here: the
                // one-character one at the root's child, the two-character one and the three-character
                // prefix straight from the filter's tables, longer ones down the trie from that prefix.
                if (anchors.HasOneCharacterPatterns)
                {
                    int first = rootNext[symbolOf[text[start]]];
                    if (first > 0 && pattern[first] >= 0) sink.OnMatch(pattern[first], offset + start + 1);
                }
                int second = anchors.TwoCharacterPattern(text, start);
                if (second > 0) sink.OnMatch(pattern[second], offset + start + 2);
                int state = anchors.ThreeCharacterPrefix(text, start);
                for (int i = start + 3; state > 0; i++)
                {
                    int p = pattern[state];
                    if (p >= 0) sink.OnMatch(p, offset + i);
                    if (i == text.Length) break;
                    int sym = symbolOf[text[i]];
                    state = sym == 0 ? -1 : Step(state, sym);
                }
            }
        }
    }

    /// <summary>For benchmarks: the positions the anchored scan's filter passes (0 for Aho-Corasick), without verifying them.</summary>
    internal long CountCandidates(ReadOnlySpan<char> text)
    {
        if (_anchors is null) return 0;
        Span<int> candidates = stackalloc int[CandidateBlock];
        long total = 0;
        for (int from = 0; from < text.Length; from += CandidateBlock) total += _anchors.Collect(text, from, candidates);
        return total;
    }

    /// <summary>Positions filtered per block: small enough for the stack, large enough to amortize the call.</summary>
    private const int CandidateBlock = 1024;

    private interface IDenseTable
    {
        int this[int index] { get; }
    }

    private readonly struct Dense32(int[] table) : IDenseTable
    {
        public int this[int index] => table[index];
    }

    private readonly struct Dense16(ushort[] table) : IDenseTable
    {
        public int this[int index] => table[index];
    }

    /// <summary>Counts every match (the benchmarks' measure: the same count grep/rg/Hyperscan report).</summary>
    public long Count(ReadOnlySpan<char> text)
    {
        var counter = new Counter();
        Scan(text, ref counter);
        return counter.Matches;
    }

    /// <summary>The state a prefix of a pattern leads to from the root (the prefix must be in the trie).</summary>
    private int StateOf(string prefix)
    {
        int state = _rootNext[_symbolOf[prefix[0]]];
        for (int i = 1; i < prefix.Length; i++) state = Step(state, _symbolOf[prefix[i]]);
        return state;
    }

    /// <summary>The transition from a state, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Step(int state, int sym)
    {
        if (state == 0) { int r = _rootNext[sym]; return r == 0 ? -1 : r; }
        ref readonly var rec = ref _states[state];
        int count = rec.Count;
        if (count == 1) return rec.Single == sym ? rec.Edges : -1;
        if (count == 0) return -1;
        var edges = _edges.AsSpan(rec.Edges, count);
        if (count <= LinearSearchLimit)
        {
            foreach (var e in edges)
                if (e.Symbol == sym) return e.Target;
            return -1;
        }
        int lo = 0, hi = count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = edges[mid].Symbol;
            if (c == sym) return edges[mid].Target;
            if (c < sym) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Invariant: Count == 1 → Edges is the target and Single the symbol; Count &gt; 1 → Edges indexes _edges.</summary>
    private struct StateRecord
    {
        public int Edges;
        public int Fail;
        public ushort Count;
        public ushort Single;
        public bool Emits;
    }

    private readonly record struct Edge(ushort Symbol, int Target);

    private static char FoldCase(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;

    private struct Counter : IMatchSink
    {
        public long Matches;

        public void OnMatch(int pattern, int end) => Matches++;
    }

    /// <summary>A first-child/next-sibling trie in flat arrays; children are appended in symbol order.</summary>
    private sealed class TrieBuilder
    {
        public int[] FirstChild;
        public int[] LastChild;
        public int[] NextSibling;
        public ushort[] Symbol;
        public int[] Pattern;
        public int Count = 1;

        public TrieBuilder(int capacity)
        {
            FirstChild = new int[capacity];
            LastChild = new int[capacity];
            NextSibling = new int[capacity];
            Symbol = new ushort[capacity];
            Pattern = new int[capacity];
            FirstChild[0] = LastChild[0] = NextSibling[0] = Pattern[0] = -1;
        }

        /// <summary>The child of <paramref name="parent"/> on <paramref name="sym"/>; keys arrive sorted, so only the last child can match.</summary>
        public int AddChild(int parent, ushort sym)
        {
            int last = LastChild[parent];
            if (last >= 0 && Symbol[last] == sym) return last;
            if (Count == FirstChild.Length)
            {
                int size = Count * 2;
                Array.Resize(ref FirstChild, size);
                Array.Resize(ref LastChild, size);
                Array.Resize(ref NextSibling, size);
                Array.Resize(ref Symbol, size);
                Array.Resize(ref Pattern, size);
            }
            int node = Count++;
            FirstChild[node] = LastChild[node] = NextSibling[node] = Pattern[node] = -1;
            Symbol[node] = sym;
            if (last >= 0) NextSibling[last] = node;
            else FirstChild[parent] = node;
            LastChild[parent] = node;
            return node;
        }
    }
}
