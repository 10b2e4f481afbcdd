#!/bin/sh
# End-to-end comparison with native tools, everything pinned to one core (taskset -c $BENCH_CORE, default 0):
#   PDF : SecScan's PdfExtractor (PdfPig, through DocumentExtractor) vs poppler's pdftotext, same files
#   DOCX: SecScan's DocxExtractor vs (a) python3 zipfile+regex in one process, (b) unzip -p | sed per file
# Prints rates and ratios (SecScan / peer). Each timed run is kept under ~1 minute.
# Usage: benchmarks/run-peers.sh            (makes benchmarks/data first if it is missing)
# Env:   BENCH_CORE=N  BENCH_SECONDS=S (SecScan and python loop budget, default 15)
#        BENCH_WARMUP=S (SecScan's untimed passes first: at least S seconds, default 15, and until the JIT has compiled
#        nothing for 3 s, so the timed passes run the final-tier code a bulk scan runs on; a process pinned to one core
#        tiers up ten times slower than one with two, 30-50 s here; 0 measures the first seconds of a fresh process)
# Needs: dotnet, hyperfine, poppler-utils, unzip, python3 (+ what make-bench-data.sh needs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${SECSCAN_BENCH_DATA:-$here/data}
core=${BENCH_CORE:-0}
seconds=${BENCH_SECONDS:-15}
warmup=${BENCH_WARMUP:-15}
export SECSCAN_BENCH_DATA="$data"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -f "$data/corpus.txt" ] || "$here/make-bench-data.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotnet build -c Release "$here/SecScan.Benchmarks" -v q -nologo >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
bench="$here/SecScan.Benchmarks/bin/Release/net10.0/SecScan.Benchmarks"
pin() { taskset -c "$core" "$@"; }
rate() { awk '/^RATE/ {print $3}' "$1"; }
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}')" "$1" "$2"; }
# hyperfine's mean wall time (s) of one run of a shell loop, warm-up first; the loop inherits the pinning.
hf_mean() { # $1 = name, $2 = command
    pin hyperfine --style none --warmup 1 --min-runs 5 --max-runs 20 --export-json "$tmp/$1.json" "$2" >"$tmp/$1.log" 2>&1 \
        || { cat "$tmp/$1.log"; exit 1; }
    python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$tmp/$1.json"
}
pages_of() { # pages in the files matching $1
    n=0; for f in $1; do n=$((n + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done; echo "$n"
}

echo "# run-peers $(date -u '+%Y-%m-%d %H:%M:%S UTC'), core $core, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## PDF: pages/s, PdfPig (SecScan PdfExtractor) vs pdftotext $(pdftotext -v 2>&1 | head -1 | awk '{print $3}')"
echo "| files | pages | SecScan pages/s | pdftotext pages/s | ratio (target >= 0.8) |"
echo "|---|---:|---:|---:|---:|"
for set in "all:*.pdf" "LibreOffice (Type 1 CJK subsets):lo-*.pdf" "pango/cairo (CID CFF, Identity-H):cid-*.pdf"; do
    label=${set%%:*}; glob=${set#*:}
    pages=$(pages_of "$data/pdf/$glob")
    pin "$bench" --pdf-rate "$data/pdf" --pattern "$glob" --seconds "$seconds" --warmup "$warmup" >"$tmp/pdfpig.out"
    ours=$(rate "$tmp/pdfpig.out")
    mean=$(hf_mean pdftotext "for f in $data/pdf/$glob; do pdftotext -q \"\$f\" /dev/null; done")
    peer=$(python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$pages" "$mean")
    echo "| $label | $pages | $ours | $peer | $(ratio "$ours" "$peer") |"
done

echo
echo "## DOCX: files/s of ~30 KB-of-text files"
files=$(ls "$data"/docx/*.docx | wc -l)
pin python3 "$here/tools/docx-baseline.py" "$data/docx" "$seconds" >"$tmp/py.out"
py=$(rate "$tmp/py.out")
mean=$(hf_mean unzip "for f in $data/docx/*.docx; do unzip -p \"\$f\" word/document.xml | sed 's/<[^>]*>//g' >/dev/null; done")
unz=$(python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$files" "$mean")
set +e
pin "$bench" --docx-rate "$data/docx" --seconds "$seconds" --warmup "$warmup" >"$tmp/docx.out" 2>&1
rc=$?
set -e
echo "| reader | files/s | SecScan / this |"
echo "|---|---:|---:|"
if [ "$rc" = 0 ]; then
    ours=$(rate "$tmp/docx.out")
    echo "| SecScan DocxExtractor (target >= 2000) | $ours | 1.00 |"
    echo "| python3 zipfile + regex, one process | $py | $(ratio "$ours" "$py") |"
    echo "| unzip -p \| sed, one process pair per file | $unz | $(ratio "$ours" "$unz") |"
    if [ -d "$data/docx-word" ]; then   # Word-like files (--make-wordlike-docx): what most offices send
        pin "$bench" --docx-rate "$data/docx-word" --seconds "$seconds" --warmup "$warmup" >"$tmp/docx-word.out" 2>&1 \
            && echo "| SecScan DocxExtractor on Word-like files (docx-word; target >= 2000) | $(rate "$tmp/docx-word.out") | - |"
    fi
else
    echo "| SecScan DocxExtractor (target >= 2000) | not yet measured: $(tail -1 "$tmp/docx.out" | sed "s/^NOT MEASURED: //") | - |"
    echo "| python3 zipfile + regex, one process | $py | - |"
    echo "| unzip -p \| sed, one process pair per file | $unz | - |"
fi
