#!/bin/sh
# Makes the benchmark inputs in benchmarks/data/ (git-ignored):
#   corpus.txt    ~6.7 MB of Chinese prose from Debian's manpages-zh (simplified and traditional pages,
#                 groff stripped, CJK lines kept) with real markings and look-alikes every 500 lines;
#                 see tools/make-corpus.py
#   pdf/lo-*.pdf  multi-page PDFs made by LibreOffice from slices of the corpus (CJK text in Noto Sans
#                 CJK as LibreOffice's Type 1 subsets, Latin in Liberation Mono TrueType)
#   pdf/cid-pango.pdf  a multi-page PDF whose CJK font is a CID-keyed CFF font (Type 0, Identity-H),
#                 rendered page by page with pango-view (cairo) and joined with qpdf
#   docx/doc-NNN.docx  DOCX files of ~30 KB of UTF-8 text each, made by LibreOffice from .txt slices
# Needs: python3, libreoffice-writer (soffice), fonts-noto-cjk, manpages-zh, pango1.0-tools, qpdf,
# poppler-utils. Installs the Debian packages it lacks when run as root.
# The text is deterministic; PDF/DOCX bytes differ run to run (dates, ids), the page counts do not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
docx_files=${DOCX_FILES:-100}

need() { # $1 = command, $2 = Debian package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ]; then apt-get install -y "$2" >/dev/null; else echo "missing $1 (apt-get install $2)" >&2; exit 1; fi
}
need soffice libreoffice-writer-nogui
need pango-view pango1.0-tools
need qpdf qpdf
need pdfinfo poppler-utils
[ -d /usr/share/man/zh_CN/man1 ] && ls /usr/share/man/zh_CN/man1 | grep -q '^bash' || {
    if [ "$(id -u)" = 0 ]; then apt-get install -y manpages-zh >/dev/null; else echo "missing manpages-zh" >&2; exit 1; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$data"
mkdir -p "$data/pdf" "$data/docx"

python3 "$here/tools/make-corpus.py" "$data/corpus.txt"

# Slices of the corpus cut at line ends: DOCX texts from the start, PDF texts after them.
python3 - "$data/corpus.txt" "$tmp" "$docx_files" <<'PY'
import sys, pathlib
corpus, tmp, ndocx = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
lines = pathlib.Path(corpus).read_text(encoding="utf-8").splitlines(keepends=True)
pos = 0
def take(nbytes):
    global pos
    out, size = [], 0
    while size < nbytes and pos < len(lines):
        out.append(lines[pos]); size += len(lines[pos].encode("utf-8")); pos += 1
    return "".join(out)
(tmp / "docx").mkdir()
for i in range(1, ndocx + 1):
    (tmp / "docx" / f"doc-{i:03}.txt").write_text(take(30_000), encoding="utf-8")
(tmp / "pdf").mkdir()
for i, size in enumerate([40_000, 60_000, 80_000, 120_000], 1):
    (tmp / "pdf" / f"lo-{i}.txt").write_text(take(size), encoding="utf-8")
# The CID file: 40 pages of 45 lines each, one text file per page.
(tmp / "cid").mkdir()
for p in range(1, 41):
    page = "".join(lines[pos:pos + 45]); pos += 45
    (tmp / "cid" / f"p{p:03}.txt").write_text(page, encoding="utf-8")
PY

# A private profile so a running LibreOffice (or another script) cannot interfere.
soffice_convert() { # $1 = target format, $2 = outdir, rest = sources
    fmt=$1; out=$2; shift 2
    soffice -env:UserInstallation="file://$tmp/profile" --headless \
        --infilter="Text (encoded):UTF8,LF,,," --convert-to "$fmt" --outdir "$out" "$@" >/dev/null 2>&1
}
soffice_convert pdf "$data/pdf" "$tmp"/pdf/lo-*.txt
soffice_convert docx "$data/docx" "$tmp"/docx/doc-*.txt

for f in "$tmp"/cid/p*.txt; do
    pango-view --no-display --font="Noto Sans CJK SC 11" --width=595 --wrap=char -o "${f%.txt}.pdf" "$f"
done
qpdf --empty --pages "$tmp"/cid/p*.pdf -- "$data/pdf/cid-pango.pdf"

total=0
for f in "$data"/pdf/*.pdf; do
    n=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
    total=$((total + n))
    echo "$(basename "$f"): $n pages"
done
echo "PDF pages in total: $total"
echo "DOCX files: $(ls "$data"/docx/*.docx | wc -l)"
echo "corpus: $(wc -c < "$data/corpus.txt") bytes"
