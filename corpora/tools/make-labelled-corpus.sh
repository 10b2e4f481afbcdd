#!/bin/sh
# Regenerates corpora/labelled/: the generator (fixed seed) writes TXT, DOCX, FODT sources and labels.tsv;
# LibreOffice converts every FODT to PDF in one batch (one soffice start for all of them).
# Needs: dotnet, libreoffice-writer-nogui (soffice), fonts-noto-cjk. PDF bytes differ run to run
# (creation dates, ids); their text does not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out="$root/corpora/labelled"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dotnet run --project "$root/corpora/generator/SecScan.CorpusGen" -- labelled "$out" "$root/corpora/labelled-src/manpages-zh-prose.txt"
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to pdf --outdir "$out" "$out"/fodt/*.fodt >/dev/null 2>&1
rm -rf "$out/fodt"
cp "$root/corpora/labelled-src/PROVENANCE.md" "$out/PROVENANCE.md"
# Other formats (DOC, RTF, HTML, XLSX/XLS, PPTX/PPT, ZIP, tar.gz, EML) derived from part of the DOCX documents.
sh "$here/make-labelled-formats.sh"
ls "$out" | wc -l
