#!/bin/sh
# Makes the OpenDocument samples (ODT, ODS, ODP, and a flat FODT) in corpora/samples/ with LibreOffice from the
# flat-ODF sources already used for the Office samples, plus odf-src/. Needs libreoffice-writer-nogui,
# libreoffice-calc-nogui and libreoffice-impress-nogui (soffice).
# Output bytes differ run to run (dates, ids); the text does not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A private profile so a running LibreOffice (or another script) cannot interfere.
convert() { # $1 = target extension, $2 = source, $3 = sample name
    soffice -env:UserInstallation="file://$tmp/profile" --headless \
        --convert-to "$1" --outdir "$tmp" "$2" >/dev/null 2>&1
    name=$(basename "$2"); name=${name%.*}
    [ -s "$tmp/$name.$1" ] || { echo "conversion of $2 failed" >&2; exit 1; }
    cp "$tmp/$name.$1" "$out/$3"
    echo "$out/$3"
}

convert odt "$here/ole-src/header-marking.fodt" odt-header-marking.odt
convert odt "$here/ole-src/public-article.fodt" odt-public-article.odt
convert odt "$here/ole-src/embedded-workbook.fodt" odt-embedded-workbook.odt
convert odt "$here/odf-src/tracked-deletion.fodt" odt-tracked-deletion.odt
convert ods "$here/office-src/xlsx-sheet2-marking.fods" ods-sheet2-c7-marking.ods
convert odp "$here/office-src/pptx-notes-marking.fodp" odp-notes-marking.odp
convert odt "$here/odf-src/hidden-text.fodt" odt-hidden-marking.odt
convert ods "$here/office-src/xlsx-hidden-sheet.fods" ods-hidden-sheet.ods
# A flat OpenDocument file is XML as written by hand or by LibreOffice's "Flat XML" filters; this one is the source itself.
cp "$here/ole-src/first-line-marking.fodt" "$out/fodt-first-line-marking.fodt"
echo "$out/fodt-first-line-marking.fodt"
