using System.Runtime.CompilerServices;

namespace SecScan.Core.Text;

/// <summary>
/// The map from normalized offsets to original offsets, stored as runs: normalization keeps most characters
/// in place, so the map is linear between the few places where it jumps (a removed character, a collapsed
/// space, a surrogate pair). One entry per jump instead of one per character: no per-character store while
/// normalizing, and a few kilobytes instead of four bytes per character.
/// </summary>
/// <remarks>
/// Invariant: <c>_norm</c> is strictly increasing and starts at 0; for <c>_norm[k] ≤ i &lt; _norm[k+1]</c>,
/// the original offset of normalized character i is <c>_orig[k] + (i − _norm[k])</c>.
/// </remarks>
internal sealed class OffsetMap
{
    private readonly int[] _norm;
    private readonly int[] _orig;
    private readonly int _count;

    private OffsetMap(int[] norm, int[] orig, int count)
    {
        _norm = norm;
        _orig = orig;
        _count = count;
    }

    /// <summary>How many runs the map holds (for tests and statistics).</summary>
    public int Runs => _count;

    /// <summary>The original offset of normalized character <paramref name="i"/>.</summary>
    public int this[int i]
    {
        get
        {
            int k = Array.BinarySearch(_norm, 0, _count, i);
            if (k < 0) k = ~k - 1;
            return _orig[k] + (i - _norm[k]);
        }
    }

    /// <summary>Collects runs while normalized characters are written in order.</summary>
    internal struct Builder
    {
        private int[] _norm;
        private int[] _orig;
        private int _count;
        private int _last;

        public Builder(int capacity)
        {
            _norm = new int[Math.Max(16, capacity)];
            _orig = new int[_norm.Length];
            _count = 0;
            _last = -2;
        }

        /// <summary>Records that normalized character <paramref name="n"/> came from original offset <paramref name="origin"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int n, int origin)
        {
            if (origin != _last + 1) Push(n, origin);
            _last = origin;
        }

        private void Push(int n, int origin)
        {
            if (_count == _norm.Length)
            {
                Array.Resize(ref _norm, _count * 2);
                Array.Resize(ref _orig, _count * 2);
            }
            _norm[_count] = n;
            _orig[_count] = origin;
            _count++;
        }

        public readonly OffsetMap Build() => new(_norm, _orig, _count);
    }
}
