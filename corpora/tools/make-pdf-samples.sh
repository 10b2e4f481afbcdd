#!/bin/sh
# Regenerates the PDF samples in corpora/samples/ from the sources in pdf-src/.
# Needs: libreoffice-writer-nogui (soffice), qpdf, imagemagick, fonts-noto-cjk.
# Output bytes differ run to run (creation dates, ids); the text and layout do not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/pdf-src"
out="$here/../samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A private profile so a running LibreOffice (or another script) cannot interfere.
soffice_pdf() { # $1 = source, $2 = filter options ("" for plain PDF)
    soffice -env:UserInstallation="file://$tmp/profile" --headless \
        --convert-to "pdf${2:+:$2}" --outdir "$tmp" "$1" >/dev/null 2>&1
}

# 1. Page header 秘密★1年 on each of 3 pages (LibreOffice master-page header).
soffice_pdf "$src/secret-header.fodt" ""
cp "$tmp/secret-header.pdf" "$out/pdf-secret-header.pdf"

# 2. Public article; exported as PDF/A-2b so the file also carries XMP metadata.
soffice_pdf "$src/public-article.fodt" 'writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
cp "$tmp/public-article.pdf" "$out/pdf-public-article.pdf"

# 3. Sample 1 behind a user password (AES-256): nothing is readable without it.
qpdf --encrypt user-pw owner-pw 256 -- "$out/pdf-secret-header.pdf" "$out/pdf-encrypted.pdf"

# 4. One page that is only a picture of text: no text layer at all.
convert -size 1240x1754 xc:white -font Noto-Sans-CJK-SC -pointsize 56 -fill black \
    -annotate +120+200 "$(cat "$src/image-only.txt")" "$tmp/image-only.png"
soffice_pdf "$tmp/image-only.png" ""
cp "$tmp/image-only.pdf" "$out/pdf-image-only.pdf"

# 5. 机密★10年 as the first body line of page 1, title and body below.
soffice_pdf "$src/first-line-marking.fodt" ""
cp "$tmp/first-line-marking.pdf" "$out/pdf-first-line-marking.pdf"

# 6. Two pages rendered by pango-view (cairo): the CJK font is a CID-keyed CFF subset (Type 0, Identity-H,
#    with ToUnicode), a new subset on each page, joined by qpdf. 机密★10年 is the first line of page 1.
#    Needs pango1.0-tools.
for p in 1 2; do
    pango-view --no-display --font="Noto Sans CJK SC 11" --width=595 --wrap=char -o "$tmp/cid-p$p.pdf" "$src/cid-pango-p$p.txt"
done
qpdf --empty --pages "$tmp/cid-p1.pdf" "$tmp/cid-p2.pdf" -- "$out/pdf-cid-pango.pdf"
