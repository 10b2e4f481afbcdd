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
