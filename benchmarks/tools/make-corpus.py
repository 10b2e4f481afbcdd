#!/usr/bin/env python3
"""Builds the benchmark text corpus from the Chinese manual pages of Debian's manpages-zh.

Reads every /usr/share/man/zh_CN and zh_TW page (simplified and traditional; both UTF-8) in sorted
order, strips groff markup, keeps the lines that contain at least one CJK ideograph (so the corpus is
Chinese prose with the option names and commands that real documentation mixes in), and every
MARK_EVERY lines inserts one line from MARKINGS: real markings and look-alikes, so the detector's
slow path (regexes on trigger lines) is exercised as well as its vectorized scan.
Deterministic: the same package version gives the same bytes.
Usage: make-corpus.py OUT.txt
"""
import gzip, pathlib, re, sys

ROOTS = ["/usr/share/man/zh_CN", "/usr/share/man/zh_TW"]
MARK_EVERY = 500
MARKINGS = [
    "秘密★1年",                                  # D1, alone on its line
    "机密★10年",
    "密级：秘密",                                 # D2 field
    "内部资料 注意保存",                          # D3 work secret
    "核心商密★长期",                              # D4 commercial
    "国家秘密的密级分为绝密、机密、秘密三级。",     # look-alike: discussion
    "一份机密级文件，保密期限10年，应标注为“机密★10年”。",   # look-alike: quoted example
    "密级：公开",                                 # look-alike: public field
    "本合同涉及商业秘密的条款应当保密。",           # look-alike
    "秘 密 ★ 1 年",                              # spaced: normalization joins it
    "机密★１０年",                                # full-width digits: folded
    "加强内部资料管理",                           # look-alike
]
CJK = re.compile(r"[\u4e00-\u9fff]")
FONT = re.compile(r"\\f(\[[^\]]*\]|\(..|.)")
ESCAPES = [(r"\-", "-"), (r"\ ", " "), (r"\e", "\\"), (r"\(em", "—"), (r"\(en", "–"), (r"\&", ""),
           (r"\|", ""), (r"\^", ""), (r"\(bu", "•"), (r"\(co", "©"), (r"\(lq", "“"), (r"\(rq", "”")]
MACRO = re.compile(r"^\.\s*([A-Za-z]{1,3})\b\s*(.*)$")
TEXT_MACROS = {"SH", "SS", "B", "I", "BI", "BR", "IB", "IR", "RB", "RI", "TP", "IP", "TH"}


def strip(line: str) -> str | None:
    if line.startswith(('.\\"', "'\\\"", '\\"')):
        return None
    if line.startswith((".", "'")):
        m = MACRO.match(line)
        if not m or m.group(1) not in TEXT_MACROS:
            return None
        line = m.group(2)
        if m.group(1) == "TH":
            return None
        line = line.replace('"', "")
    line = FONT.sub("", line)
    for a, b in ESCAPES:
        line = line.replace(a, b)
    line = re.sub(r"\\\*?\(..|\\\[[^\]]*\]|\\.", "", line)
    return line.strip()


def main() -> None:
    out = []
    for root in ROOTS:
        for path in sorted(pathlib.Path(root).rglob("*.gz")):
            try:
                text = gzip.open(path, "rt", encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            for raw in text.splitlines():
                line = strip(raw)
                if line and CJK.search(line):
                    out.append(line)
                    if len(out) % MARK_EVERY == 0:
                        out.append(MARKINGS[(len(out) // MARK_EVERY) % len(MARKINGS)])
    pathlib.Path(sys.argv[1]).write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
