using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecScan.Core.Keywords;

/// <summary>
/// Finds the positions where a pattern may start, without a branch per character: three bitmaps over
/// hashed characters — one for the first character of each one-character pattern, one for the two
/// characters of each two-character pattern, one for the first three characters of every longer pattern.
/// A position is a candidate when its bit is set in any of them. No pattern start is ever missed (every
/// pattern sets its bit); a few other positions pass (hash collisions). Behind the bitmaps, exact tables
/// give the trie state of each two-character pattern and of each three-character prefix, so that a
/// candidate is verified with one probe instead of three steps down the trie.
/// </summary>
/// <remarks>
/// Each bitmap has at least <see cref="BitsPerEntry"/> bits per entry (at most one position in 32 that starts
/// no pattern passes) and at most 2^<see cref="MaxLog2"/> bits (256 KiB, within the second-level cache; the loads
/// of consecutive positions are independent, so their latency overlaps). A library whose prefixes need more
/// (beyond about 30,000 distinct three-character prefixes) gets no filter: too many positions would pass.
/// Measured (benchmarks/RESULTS.md §6): 32 bits per entry passed 3.8 million positions of 45 million at 10,000
/// phrases, 64 bits 3.0 million (2.3 million true starts), and the scan was 5–25 % faster. An AVX2 version of the
/// loop (eight positions, one gather per bitmap) was slower than this scalar one on the benchmark machine.
/// Characters are hashed as folded UTF-16 code units (ASCII letters in lower case), as the automaton matches them.
/// </remarks>
internal sealed class AnchorFilter
{
    private const int BitsPerEntry = 64;
    private const int MaxLog2 = 21;
    private const int MinLog2 = 6;
    private const uint Mix1 = 0x9E3779B1u, Mix2 = 0x85EBCA77u;

    private readonly ulong[] _one, _two, _three;
    private readonly int _oneShift, _twoShift, _threeShift;
    private readonly PrefixTable _twoStates, _threeStates;

    private AnchorFilter(ulong[] one, int oneShift, ulong[] two, int twoShift, ulong[] three, int threeShift,
        PrefixTable twoStates, PrefixTable threeStates)
    {
        (_one, _oneShift, _two, _twoShift, _three, _threeShift) = (one, oneShift, two, twoShift, three, threeShift);
        (_twoStates, _threeStates) = (twoStates, threeStates);
    }

    public long MemoryBytes => (_one.Length + _two.Length + _three.Length) * 8L + _twoStates.MemoryBytes + _threeStates.MemoryBytes;

    /// <summary>True when some pattern is one character long (then a candidate may match at its first character alone).</summary>
    public bool HasOneCharacterPatterns { get; private init; }

    /// <summary>The filter for <paramref name="patterns"/>, or null when their prefixes are too many for it to pay.</summary>
    /// <param name="patterns">The library.</param>
    /// <param name="stateOf">The trie state reached by a pattern prefix (folded as the automaton folds).</param>
    public static AnchorFilter? TryBuild(IReadOnlyList<string> patterns, Func<string, int> stateOf)
    {
        var one = new HashSet<uint>();
        var two = new HashSet<uint>();
        var three = new HashSet<ulong>();
        foreach (var p in patterns)
        {
            if (p.Length == 1) one.Add(Fold(p[0]));
            else if (p.Length == 2) two.Add(Fold(p[0]) << 16 | Fold(p[1]));
            else three.Add((ulong)(Fold(p[0]) << 16 | Fold(p[1])) << 16 | Fold(p[2]));
        }
        int oneLog2 = Log2For(one.Count), twoLog2 = Log2For(two.Count), threeLog2 = Log2For(three.Count);
        if (Math.Max(oneLog2, Math.Max(twoLog2, threeLog2)) > MaxLog2) return null;

        var oneBits = new ulong[1 << (oneLog2 - 6)];
        foreach (uint a in one) Set(oneBits, Hash1(a, 32 - oneLog2));
        var twoBits = new ulong[1 << (twoLog2 - 6)];
        foreach (uint ab in two) Set(twoBits, Hash2(ab >> 16, ab & 0xFFFF, 32 - twoLog2));
        var threeBits = new ulong[1 << (threeLog2 - 6)];
        foreach (ulong abc in three) Set(threeBits, Hash3((uint)(abc >> 32), (uint)(abc >> 16) & 0xFFFF, (uint)abc & 0xFFFF, 32 - threeLog2));
        var twoStates = new PrefixTable(two.Count);
        foreach (uint ab in two) twoStates.Add(ab, stateOf(string.Create(2, ab, static (d, k) => { d[0] = (char)(k >> 16); d[1] = (char)k; })));
        var threeStates = new PrefixTable(three.Count);
        foreach (ulong abc in three)
            threeStates.Add(abc, stateOf(string.Create(3, abc, static (d, k) => { d[0] = (char)(k >> 32); d[1] = (char)(k >> 16); d[2] = (char)k; })));
        return new AnchorFilter(oneBits, 32 - oneLog2, twoBits, 32 - twoLog2, threeBits, 32 - threeLog2, twoStates, threeStates)
        {
            HasOneCharacterPatterns = one.Count > 0,
        };
    }

    /// <summary>The trie state of the two-character pattern at <paramref name="at"/>, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TwoCharacterPattern(ReadOnlySpan<char> text, int at)
    {
        if (at + 1 >= text.Length) return 0;
        uint a = Fold(text[at]), b = Fold(text[at + 1]);
        uint h = Hash2(a, b, _twoShift);
        return (_two[h >> 6] & (1UL << (int)h)) == 0 ? 0 : _twoStates.Find(a << 16 | b);   // the bitmap spares most probes
    }

    /// <summary>The trie state of the three characters at <paramref name="at"/> when they begin a longer pattern, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ThreeCharacterPrefix(ReadOnlySpan<char> text, int at)
    {
        if (at + 2 >= text.Length) return 0;
        uint a = Fold(text[at]), b = Fold(text[at + 1]), c = Fold(text[at + 2]);
        uint h = Hash3(a, b, c, _threeShift);
        return (_three[h >> 6] & (1UL << (int)h)) == 0 ? 0 : _threeStates.Find((ulong)(a << 16 | b) << 16 | c);
    }

    /// <summary>
    /// Writes to <paramref name="candidates"/> the positions in [<paramref name="from"/>, from + candidates.Length)
    /// of <paramref name="text"/> where a pattern may start, in increasing order; returns how many.
    /// </summary>
    public int Collect(ReadOnlySpan<char> text, int from, Span<int> candidates)
    {
        int end = Math.Min(text.Length, from + candidates.Length);
        if (from >= end) return 0;
        return HasOneCharacterPatterns ? Collect<Included>(text, from, end, candidates) : Collect<Excluded>(text, from, end, candidates);
    }

    /// <summary>
    /// The filter loop, without a branch per position: every position is written to the buffer and the count
    /// advances only when a bit is set. Array and text reads skip bounds checks: every bitmap index is a hash
    /// shifted to the bitmap's size, and text indexes stay below <c>text.Length</c> (the last two positions,
    /// whose following characters are past the end, read those as 0).
    /// </summary>
    private int Collect<TOne>(ReadOnlySpan<char> text, int from, int end, Span<int> candidates) where TOne : struct, IInclusion
    {
        ref char chars = ref MemoryMarshal.GetReference(text);
        ref int output = ref MemoryMarshal.GetReference(candidates);
        ref ulong one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref ulong two = ref MemoryMarshal.GetArrayDataReference(_two);
        ref ulong three = ref MemoryMarshal.GetArrayDataReference(_three);
        int oneShift = _oneShift, twoShift = _twoShift, threeShift = _threeShift;
        int n = text.Length;
        uint a = Fold(Unsafe.Add(ref chars, from)), b = from + 1 < n ? Fold(Unsafe.Add(ref chars, from + 1)) : 0;
        int count = 0;
        for (int i = from; i < end; i++)
        {
            uint c = i + 2 < n ? Fold(Unsafe.Add(ref chars, i + 2)) : 0;
            uint h2 = Hash2(a, b, twoShift), h3 = Hash3(a, b, c, threeShift);
            ulong hit = (Unsafe.Add(ref two, (int)(h2 >> 6)) >> (int)h2) | (Unsafe.Add(ref three, (int)(h3 >> 6)) >> (int)h3);
            if (TOne.Value)
            {
                uint h1 = Hash1(a, oneShift);
                hit |= Unsafe.Add(ref one, (int)(h1 >> 6)) >> (int)h1;
            }
            Unsafe.Add(ref output, count) = i;
            count += (int)(hit & 1);
            a = b;
            b = c;
        }
        return count;
    }

    /// <summary>A compile-time flag: the JIT drops the code of an excluded bitmap from the specialized loop.</summary>
    private interface IInclusion
    {
        static abstract bool Value { get; }
    }

    private readonly struct Included : IInclusion
    {
        public static bool Value => true;
    }

    private readonly struct Excluded : IInclusion
    {
        public static bool Value => false;
    }

    /// <summary>Open addressing from a packed prefix (folded code units, 16 bits each) to its trie state; 0 = absent.</summary>
    private sealed class PrefixTable
    {
        private readonly Entry[] _entries;   // key and state side by side: one cache line per probe
        private readonly int _shift;

        public PrefixTable(int entries)
        {
            int log2 = Math.Max(4, 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, entries * 2 - 1)));
            _entries = new Entry[1 << log2];
            _shift = 64 - log2;
        }

        public long MemoryBytes => _entries.Length * 16L;

        public void Add(ulong key, int state)
        {
            int mask = _entries.Length - 1;
            int slot = Slot(key);
            while (_entries[slot].State != 0) slot = (slot + 1) & mask;
            _entries[slot] = new Entry(key, state);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Find(ulong key)
        {
            int mask = _entries.Length - 1;
            for (int slot = Slot(key); ; slot = (slot + 1) & mask)
            {
                ref readonly var e = ref _entries[slot];
                if (e.State == 0 || e.Key == key) return e.State;
            }
        }

        private readonly record struct Entry(ulong Key, int State);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
    }

    /// <summary>ASCII letters in lower case, as the automaton folds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(char ch) => ch + ((uint)(ch - 'A') <= 'Z' - 'A' ? 32u : 0u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash1(uint a, int shift) => (a * Mix1) >> shift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash2(uint a, uint b, int shift) => ((a << 16 | b) * Mix1) >> shift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash3(uint a, uint b, uint c, int shift) => (((a << 16 | b) * Mix1) ^ (c * Mix2)) >> shift;

    private static void Set(ulong[] bits, uint h) => bits[h >> 6] |= 1UL << (int)h;

    /// <summary>log2 of the bitmap size for <paramref name="entries"/>: at least <see cref="BitsPerEntry"/> bits each.</summary>
    private static int Log2For(int entries) =>
        Math.Max(MinLog2, 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, entries * BitsPerEntry - 1)));
}
