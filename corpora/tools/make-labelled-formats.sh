#!/bin/sh
# Derives other-format copies of part of corpora/labelled (called at the end of make-labelled-corpus.sh).
# Every 4th labelled DOCX (labels.tsv order: every category, each source's split kept) is converted by
# LibreOffice headless, one batch call per target format, to DOC, RTF, HTML and ODT; every 2nd DOCX of the
# table-like categories (customer-list, price-list, control-points) goes through a CSV of its rows to XLSX and
# XLS; every 6th of the subset through an FODP (one slide per 8 lines) to PPTX, every 3rd of those also to PPT
# (LibreOffice's PPT is ~450 KB however small; LibreOffice cannot convert a text document to a presentation
# directly). labelled-formats.py then wraps some sources in ZIP
# (a GBK member name for half of them), tar.gz (the DOC copy) and EML (a GBK subject, the DOCX attached) and
# appends one labels.tsv row per derived file with its source's decision, category and split.
# Needs: python3, soffice (libreoffice-writer-nogui, -calc-nogui, -impress-nogui), fonts-noto-cjk.
# DOC/XLS/PPT/XLSX/PPTX bytes differ run to run (dates, ids); their text does not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out="$root/corpora/labelled"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/labelled-formats.py" derive "$out" "$tmp"
lo() { soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" >/dev/null 2>&1; }
lo --convert-to doc:"MS Word 97" --outdir "$tmp/doc" "$tmp"/docx/*.docx
lo --convert-to rtf:"Rich Text Format" --outdir "$tmp/rtf" "$tmp"/docx/*.docx
lo --convert-to html:"HTML (StarWriter)" --outdir "$tmp/html" "$tmp"/docx/*.docx
lo --convert-to odt:writer8 --outdir "$tmp/odt" "$tmp"/docx/*.docx
# CSV import: comma, double quote, UTF-8 (76), from line 1.
lo --infilter="CSV:44,34,76,1" --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$tmp/xlsx" "$tmp"/csv/*.csv
lo --infilter="CSV:44,34,76,1" --convert-to xls:"MS Excel 97" --outdir "$tmp/xls" "$tmp"/csv/*.csv
lo --convert-to pptx:"Impress MS PowerPoint 2007 XML" --outdir "$tmp/pptx" "$tmp"/fodp/*.fodp
lo --convert-to ppt:"MS PowerPoint 97" --outdir "$tmp/ppt" "$tmp"/fodp-ppt/*.fodp
python3 "$here/labelled-formats.py" finish "$out" "$tmp"
