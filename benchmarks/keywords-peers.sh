#!/bin/sh
# Keyword matcher vs byte-oriented peers, one core (taskset -c $BENCH_CORE, default 0), one script run:
# SecScan's KeywordAutomaton, Intel Hyperscan (hs_compile_lit_multi, every match, peers/hs_count.c),
# ripgrep (rg -F -c -f) and GNU grep (grep -F -c -f), with libraries of 100, 10,000 and 1,000,000
# phrases over keywords-corpus.txt (≥ 100 MB of Chinese text). Rates are MB/s (10^6 bytes) of the UTF-8
# file. SecScan and Hyperscan report scan time apart from build time (best of $BENCH_REPEAT scans); grep
# and rg are timed end to end (they build their matcher inside the run), so their rate includes it.
# Checks: SecScan's match count = Hyperscan's; SecScan's lines-with-a-match = grep's = rg's.
# Usage: benchmarks/keywords-peers.sh [SIZES]     (default "100 10k 1m"; data made if missing)
# Env:   BENCH_CORE=N  BENCH_REPEAT=R (default 3)  BENCH_GREP_1M=0 skips grep at 1m (very slow)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${SECSCAN_BENCH_DATA:-$here/data}
core=${BENCH_CORE:-0}
repeat=${BENCH_REPEAT:-3}
sizes=${1:-"100 10k 1m"}
export SECSCAN_BENCH_DATA="$data"
for pkg in ripgrep libhyperscan-dev time; do dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y "$pkg" >/dev/null; done
[ -f "$data/corpus.txt" ] || { mkdir -p "$data"; python3 "$here/tools/make-corpus.py" "$data/corpus.txt"; }
[ -f "$data/phrases-1m.txt" ] && [ -f "$data/keywords-corpus.txt" ] || python3 "$here/tools/make-keyword-data.py" "$data"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/hs_count" "$here/peers/hs_count.c" $(pkg-config --cflags --libs libhs)
dotnet build -c Release "$here/SecScan.Benchmarks" -v q -nologo >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
bench="$here/SecScan.Benchmarks/bin/Release/net10.0/SecScan.Benchmarks"
text="$data/keywords-corpus.txt"
bytes=$(stat -c %s "$text")
pin() { taskset -c "$core" "$@"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2"; }
# wall seconds and max RSS (KB) of one command, pinned; its stdout to $tmp/out
timed() { /usr/bin/time -f "%e %M" -o "$tmp/time" taskset -c "$core" "$@" >"$tmp/out" 2>"$tmp/err" || true; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6 / float(sys.argv[2]):.1f}')" "$bytes" "$1"; }
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b > 0 else '-')" "$1" "$2"; }

echo "keywords-peers: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, commit $(git -C "$here" rev-parse --short HEAD), core $core, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "text: $text, $bytes bytes"
printf '%-5s | %-44s | %-34s | %-22s | %-22s | %s\n' size "SecScan build / scan" "Hyperscan compile / scan" "rg -F -c (end to end)" "grep -F -c (end to end)" "SecScan ÷ HS, ÷ rg, ÷ grep"
for size in $sizes; do
    phrases="$data/phrases-$size.txt"
    pin "$bench" --keywords-count "$phrases" "$text" "$repeat" >"$tmp/cs.out"
    cs_rate=$(field rate_mbs "$tmp/cs.out"); cs_build=$(field build_s "$tmp/cs.out"); cs_alloc=$(field alloc_mb "$tmp/cs.out")
    cs_matches=$(field matches "$tmp/cs.out"); cs_lines=$(field lines "$tmp/cs.out")
    cs_layout=$(field layout "$tmp/cs.out"); cs_candidates=$(field candidates "$tmp/cs.out")
    timed "$tmp/hs_count" "$phrases" "$text" "$repeat"; cp "$tmp/out" "$tmp/hs.out"
    hs_scan=$(field scan_s "$tmp/hs.out"); hs_compile=$(field compile_s "$tmp/hs.out"); hs_matches=$(field matches "$tmp/hs.out")
    hs_rss=$(cut -d' ' -f2 "$tmp/time"); hs_rate=$(rate "$hs_scan")
    timed rg -F -c -f "$phrases" "$text"; rg_s=$(cut -d' ' -f1 "$tmp/time"); rg_lines=$(cat "$tmp/out"); rg_rate=$(rate "$rg_s")
    if [ "$size" = 1m ] && [ "${BENCH_GREP_1M:-1}" = 0 ]; then grep_rate=0; grep_lines=skipped; grep_s=-
    else timed grep -F -c -f "$phrases" "$text"; grep_s=$(cut -d' ' -f1 "$tmp/time"); grep_lines=$(cat "$tmp/out"); grep_rate=$(rate "$grep_s"); fi
    printf '%-5s | %5ss %6s MB alloc, %7s MB/s | %6ss %5s MB RSS, %7s MB/s | %6ss %7s MB/s | %6ss %7s MB/s | %s, %s, %s\n' \
        "$size" "$cs_build" "$cs_alloc" "$cs_rate" "$hs_compile" "$((hs_rss / 1024))" "$hs_rate" "$rg_s" "$rg_rate" "$grep_s" "$grep_rate" \
        "$(ratio "$cs_rate" "$hs_rate")" "$(ratio "$cs_rate" "$rg_rate")" "$(ratio "$cs_rate" "$grep_rate")"
    echo "      counts: matches SecScan $cs_matches, Hyperscan $hs_matches; lines SecScan $cs_lines, rg $rg_lines, grep $grep_lines; SecScan layout $cs_layout, candidate starts $cs_candidates"
    [ "$cs_matches" = "$hs_matches" ] || echo "      MISMATCH: match counts differ"
    [ "$cs_lines" = "$rg_lines" ] || echo "      MISMATCH: line counts differ (rg)"
done
