#!/bin/sh
# Regenerates the legacy Office samples (DOC, XLS, PPT and their WPS/ET/DPS copies) in corpora/samples/
# from the sources in ole-src/. Needs: libreoffice-writer-nogui, libreoffice-calc-nogui,
# libreoffice-impress-nogui (soffice). The MSG sample is not made here: no MSG writer is packaged in
# Debian; tests/SecScan.Tests/Extraction/Ole/MsgSample.cs builds it with NPOI POIFS instead.
# Output bytes differ run to run (dates, ids); the text does not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/ole-src"
out="$here/../samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A private profile so a running LibreOffice (or another script) cannot interfere.
convert_to() { # $1 = target (doc|xls|ppt), $2 = source
    soffice -env:UserInstallation="file://$tmp/profile" --headless \
        --convert-to "$1" --outdir "$tmp" "$2" >/dev/null 2>&1
}

convert_to doc "$src/first-line-marking.fodt"
cp "$tmp/first-line-marking.doc" "$out/doc-first-line-marking.doc"
convert_to doc "$src/header-marking.fodt"
cp "$tmp/header-marking.doc" "$out/doc-header-marking.doc"
convert_to doc "$src/public-article.fodt"
cp "$tmp/public-article.doc" "$out/doc-public-article.doc"
convert_to doc "$src/doc-with-picture.fodt"
cp "$tmp/doc-with-picture.doc" "$out/doc-public-with-picture.doc"
convert_to doc "$src/embedded-workbook.fodt"
cp "$tmp/embedded-workbook.doc" "$out/doc-embedded-xls.doc"
convert_to xls "$src/plan-workbook.fods"
cp "$tmp/plan-workbook.xls" "$out/xls-sheet2-c7-marking.xls"
convert_to ppt "$src/briefing.fodp"
cp "$tmp/briefing.ppt" "$out/ppt-slide3-notes-marking.ppt"
convert_to ppt "$src/embedded-workbook.fodp"
cp "$tmp/embedded-workbook.ppt" "$out/ppt-embedded-xls.ppt"

# Kingsoft WPS Office names: .wps (Writer), .et (Spreadsheets), .dps (Presentation). Their legacy form is
# the same OLE2 DOC/XLS/PPT structure; these copies are LibreOffice-written, not written by WPS itself.
cp "$out/doc-first-line-marking.doc" "$out/wps-first-line-marking.wps"
cp "$out/xls-sheet2-c7-marking.xls" "$out/et-sheet2-c7-marking.et"
cp "$out/ppt-slide3-notes-marking.ppt" "$out/dps-slide3-notes-marking.dps"
