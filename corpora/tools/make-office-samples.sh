#!/usr/bin/env bash
# Makes the XLSX and PPTX samples from flat-ODF sources in office-src/ with LibreOffice, and the PDF that
# carries an attached DOCX with qpdf. The DOCX with an embedded XLSX comes from the OpenXml SDK generator
# (corpora/generator/SecScan.CorpusGen). Needs LibreOffice (calc, impress, writer) and qpdf.
# Usage: corpora/tools/make-office-samples.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$here/../samples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private profile keeps the conversion independent of any running LibreOffice and its settings.
convert() {
    local source="$1" filter="$2" ext="$3"
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to "$ext:$filter" --outdir "$work" "$source" >/dev/null
    local out
    out="$work/$(basename "${source%.*}").$ext"
    [[ -s "$out" ]] || { echo "conversion of $source failed" >&2; exit 1; }
    mv "$out" "$samples/"
    echo "$samples/$(basename "$out")"
}

for f in xlsx-sheet2-marking xlsx-hidden-sheet xlsx-public-price-list; do
    convert "$here/office-src/$f.fods" 'Calc MS Excel 2007 XML' xlsx
done
for f in pptx-notes-marking pptx-pitch-confidential; do
    convert "$here/office-src/$f.fodp" 'Impress MS PowerPoint 2007 XML' pptx
done

# A public notice as PDF, with the marked DOCX sample attached as 附件1 (PDF embedded file, /EmbeddedFiles).
soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to pdf --outdir "$work" "$here/office-src/pdf-attachment-notice.fodt" >/dev/null
cp "$samples/docx-first-line-marking.docx" "$work/附件1-项目任务分工.docx"
qpdf "$work/pdf-attachment-notice.pdf" --add-attachment "$work/附件1-项目任务分工.docx" \
    --description="附件1" --mimetype=application/vnd.openxmlformats-officedocument.wordprocessingml.document -- \
    "$samples/pdf-attached-docx.pdf"
echo "$samples/pdf-attached-docx.pdf"
