#!/usr/bin/env python3
"""Writes corpora/samples/rar-stored-notice.rar: a RAR 4.x archive (stored method) holding 通知.txt, whose
second line is 机密★5年. No RAR writer is packaged in Debian (rar is non-free and absent here), so the archive is
written by this script following the RAR 4.x technical note (rarfile format, "technote.txt" of RAR 3.x/4.x):
marker block, archive header (0x73), one file header (0x74, method 0x30 = store, UTF-8 name with the
unicode-filename flag), the file data, and the end-of-archive block (0x7B). Header CRCs are the low 16 bits of
CRC-32 over the header from HEAD_TYPE on; the file CRC is the CRC-32 of the data."""
import struct, sys, zlib, pathlib

here = pathlib.Path(__file__).resolve().parent
out = here.parent / "samples" / "rar-stored-notice.rar"
data = (here / "text-src" / "gbk-notice.txt").read_bytes()

def block(head_type, flags, body):
    size = 7 + len(body)
    rest = struct.pack("<BHH", head_type, flags, size) + body
    return struct.pack("<H", zlib.crc32(rest) & 0xFFFF) + rest

marker = b"Rar!\x1a\x07\x00"
archive = block(0x73, 0x0000, b"\x00" * 6)                 # HighPosAV (2) + PosAV (4), reserved
name = "通知.txt".encode("utf-8")
# The unicode-name flag (0x0200) stores "ASCII name \0 encoded name"; an all-UTF-8 name with the flag and no NUL
# is read by unrar and SharpCompress as UTF-8.
dos_time = (2024 - 1980) << 25 | 3 << 21 | 15 << 16 | 9 << 11
file_body = struct.pack("<IIBIIBBHI", len(data), len(data), 3, zlib.crc32(data) & 0xFFFFFFFF, dos_time, 29, 0x30, len(name), 0x20) + name
file_block = block(0x74, 0x8000 | 0x0200, file_body)       # LONG_BLOCK (data follows) | unicode name
end = block(0x7B, 0x4000, b"")
out.write_bytes(marker + archive + file_block + data + end)
print(f"wrote {out} ({out.stat().st_size} bytes)")
