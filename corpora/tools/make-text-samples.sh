#!/usr/bin/env bash
# Regenerates the plain-text samples of corpora/samples/ from text-src/ (UTF-8 sources written for the
# corpus), each in the encoding a Chinese office would use, with iconv (glibc) and printf for the
# zero-width and BOM bytes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/text-src"; out="$here/../samples"
iconv -f UTF-8 -t GBK     "$src/gbk-notice.txt"      > "$out/txt-gbk-notice.txt"
iconv -f UTF-8 -t GB18030 "$src/law-article.txt"     > "$out/txt-gb18030-law-article.txt"
iconv -f UTF-8 -t BIG5    "$src/traditional.txt"     > "$out/txt-big5-traditional.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$src/exam-paper.txt"; } > "$out/txt-utf16-exam-paper.txt"
iconv -f UTF-8 -t UTF-16LE "$src/declassified.txt"   > "$out/txt-utf16-nobom-declassified.txt"
cp "$src/internal-footer-note.txt" "$out/txt-internal-first-line.txt"
cp "$src/tourism.txt" "$out/txt-tourism.txt"
# 秘密★1年 with U+200B, U+200D and U+FEFF between its characters, then ordinary text.
printf '\xe7\xa7\x98\xe2\x80\x8b\xe5\xaf\x86\xe2\x80\x8d\xe2\x98\x85\xef\xbb\xbf1\xe5\xb9\xb4\n' > "$out/txt-zero-width.txt"
printf '关于召开年度工作会议的通知\n各部门：定于下周一召开年度工作会议，请准时参加。\n' >> "$out/txt-zero-width.txt"
echo "wrote text samples to $out"
