#!/usr/bin/env python3
"""Extracts Chinese prose paragraphs from Debian's manpages-zh (zh_CN section 1 and 8 pages) for the
labelled corpus: groff requests and escapes are stripped, and only lines with at least 24 CJK characters
and no URL, e-mail or option syntax are kept. Output: one paragraph per line, sorted, de-duplicated.
Usage: extract-manpage-prose.py > corpora/labelled-src/manpages-zh-prose.txt"""
import glob, gzip, re, sys

CJK = re.compile(r'[\u4e00-\u9fff]')
out = set()
for path in sorted(glob.glob('/usr/share/man/zh_CN/man[18]/*.gz')):
    try:
        text = gzip.open(path, 'rt', encoding='utf-8', errors='strict').read()
    except (UnicodeDecodeError, OSError):
        continue
    for line in text.splitlines():
        if line.startswith(('.', "'")):
            continue
        line = re.sub(r'\\f[BIRP]|\\f\(..|\\\(..|\\[-&e|^]|\\s[-+]?\d', '', line)
        line = line.replace('\\', '').strip()
        if len(CJK.findall(line)) < 24 or re.search(r'https?:|@|--|\s-[a-zA-Z]|[<>{}]', line):
            continue
        out.add(line)
for line in sorted(out):
    print(line)
