#!/usr/bin/env bash
# Makes the archive samples that come from command-line writers (Info-ZIP zip, GNU tar, gzip) and the
# password-protected DOCX. Needs zip, tar, gzip, p7zip-full, bzip2, xz-utils and LibreOffice.
# The ZIP with GBK member names comes from the generator (corpora/generator/SecScan.CorpusGen).
# Usage: corpora/tools/make-archive-samples.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$here/../samples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TZ=Asia/Shanghai LC_ALL=C.UTF-8

# tar.gz › 项目资料/内层.zip › 说明.txt, whose first line is 机密★10年.
mkdir -p "$work/inner" "$work/outer/项目资料"
cp "$here/archive-src/nested-note.txt" "$work/inner/说明.txt"
touch -d '2024-03-15 09:00' "$work/inner/说明.txt"
(cd "$work/inner" && zip -q -X "$work/outer/项目资料/内层.zip" 说明.txt)
touch -d '2024-03-15 09:00' "$work/outer/项目资料/内层.zip" "$work/outer/项目资料"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2024-03-15 09:00' -C "$work/outer" -cf - 项目资料 \
    | gzip -n -9 > "$samples/tgz-nested-zip.tar.gz"

# 7z (p7zip, LZMA2) › 会议材料/纪要.docx, the DOCX whose comment is 机密★5年; and the marked plain-text notice
# compressed alone by bzip2 and by xz (each payload is one child document).
mkdir -p "$work/7z/会议材料"
cp "$samples/docx-comment-marking.docx" "$work/7z/会议材料/纪要.docx"
touch -d '2024-03-15 09:00' "$work/7z/会议材料/纪要.docx" "$work/7z/会议材料"
rm -f "$samples/7z-nested-docx.7z"
(cd "$work/7z" && 7z a -bd -bso0 -mtm=off -mtc=off -mta=off "$samples/7z-nested-docx.7z" 会议材料 >/dev/null)
cp "$here/text-src/gbk-notice.txt" "$work/通知.txt"
bzip2 -9 -c "$work/通知.txt" > "$samples/bz2-notice.txt.bz2"
xz -9 -c "$work/通知.txt" > "$samples/xz-notice.txt.xz"

# A ZIP with one ZipCrypto-encrypted member (工资表.txt) and one plain member (植树通知.txt).
cp "$here/archive-src/payroll.txt" "$work/工资表.txt"
cp "$here/archive-src/public-notice.txt" "$work/植树通知.txt"
touch -d '2024-03-15 09:00' "$work/工资表.txt" "$work/植树通知.txt"
rm -f "$samples/zip-encrypted-member.zip"
(cd "$work" && zip -q -X -P secret "$samples/zip-encrypted-member.zip" 工资表.txt && zip -q -X "$samples/zip-encrypted-member.zip" 植树通知.txt)

# A password-protected DOCX (an OLE2 file holding EncryptionInfo and EncryptedPackage, as Word writes it),
# password "secret": LibreOffice writes the DOCX (7.4 cannot encrypt OOXML on export), then the npm package
# officecrypto-tool applies ECMA-376 Agile encryption to it.
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to 'docx:MS Word 2007 XML' \
    --outdir "$work" "$here/pdf-src/secret-header.fodt" >/dev/null
[[ -s "$work/secret-header.docx" ]] || { echo "DOCX conversion failed" >&2; exit 1; }
npm install --silent --no-save --prefix "$work/npm" officecrypto-tool@0.0.19 >/dev/null
NODE_PATH="$work/npm/node_modules" node -e '
const fs = require("fs"), crypto = require("officecrypto-tool");
fs.writeFileSync(process.argv[2], crypto.encrypt(fs.readFileSync(process.argv[1]), { password: "secret" }));
' "$work/secret-header.docx" "$samples/docx-encrypted-password.docx"

ls -l "$samples/tgz-nested-zip.tar.gz" "$samples/zip-encrypted-member.zip" "$samples/docx-encrypted-password.docx"
