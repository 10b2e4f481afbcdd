#!/usr/bin/env bash
# Makes the DOCX samples that must come from a writer other than the OpenXml SDK.
# Needs LibreOffice (libreoffice-writer-nogui). Usage: corpora/tools/make-docx-samples.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$here/../samples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private profile keeps the conversion independent of any running LibreOffice and its settings.
convert() {
    local source="$1"
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to 'docx:MS Word 2007 XML' --outdir "$work" "$source" >/dev/null
    local out
    out="$work/$(basename "${source%.*}").docx"
    [[ -s "$out" ]] || { echo "conversion of $source failed" >&2; exit 1; }
    mv "$out" "$samples/"
    echo "$samples/$(basename "$out")"
}

convert "$here/docx-libreoffice-cover-table.fodt"

# The OpenXml SDK samples come from the generator:
#   dotnet run --project corpora/generator/SecScan.CorpusGen -- corpora/samples
