#!/usr/bin/env bash
# Makes the RTF, HTML and MHT samples of corpora/samples/ (the OFD samples come from the generator:
# dotnet run --project corpora/generator/SecScan.CorpusGen -- corpora/samples).
# Needs LibreOffice (libreoffice-writer-nogui) and iconv. Usage: corpora/tools/make-web-samples.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$here/../samples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# RTF as LibreOffice writes it: \uN with '?' fallbacks, \upr/\ud properties, {\*\footnote}, \v hidden text.
soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to rtf --outdir "$work" "$here/rtf-src/secret-header.fodt" >/dev/null
[[ -s "$work/secret-header.rtf" ]] || { echo "RTF conversion failed" >&2; exit 1; }
mv "$work/secret-header.rtf" "$samples/rtf-libreoffice-secret-header.rtf"
echo "$samples/rtf-libreoffice-secret-header.rtf"

# HTML pages written by hand for the corpus: one in UTF-8 whose marking a style rule hides, one public
# news page in GBK (meta http-equiv charset=gb2312) with a marking-like string inside a <script>.
cp "$here/html-src/hidden-marking.html" "$samples/html-hidden-marking.html"
iconv -f UTF-8 -t GBK "$here/html-src/gbk-news.html" > "$samples/html-gbk-news.html"
echo "$samples/html-hidden-marking.html $samples/html-gbk-news.html"
