#!/usr/bin/env python3
"""Inputs of the keyword matcher benchmark (benchmarks/keywords-peers.sh, Keywords/ benchmarks).

  keywords-corpus.txt  corpus.txt (Chinese manual pages, see make-corpus.py) repeated until ≥ 100 MB
  phrases-100.txt, phrases-10k.txt, phrases-1m.txt
                       keyword libraries: the K1–K12 default terms, then 2–6-character ideograph n-grams
                       of the corpus (so phrases hit real text at realistic rates: rare ones, not the
                       commonest bigrams) and synthetic place / unit / project names (县市区 + 研究所, 基地,
                       工程, 指挥部 …). Pure CJK, so byte-oriented peers (grep, rg, Hyperscan) and the UTF-16
                       automaton count exactly the same matches.
Deterministic (fixed seed). Usage: make-keyword-data.py DATA_DIR
"""
import collections, pathlib, random, re, sys

data = pathlib.Path(sys.argv[1])
corpus = (data / "corpus.txt").read_text(encoding="utf-8")
big = data / "keywords-corpus.txt"
raw = corpus.encode("utf-8")
copies = -(-100_000_000 // len(raw))
with open(big, "wb") as f:
    for _ in range(copies):
        f.write(raw)

rng = random.Random(19)
runs = re.findall(r"[\u4e00-\u9fff]{2,}", corpus)
grams = collections.Counter()
for r in runs:
    for n in range(2, 7):
        for i in range(len(r) - n + 1):
            grams[r[i:i + n]] += 1
# Keyword libraries hold specific terms, not the text's commonest words: skip the most frequent n-grams.
common = {g for g, _ in grams.most_common(2000)}
pool = [g for g in grams if g not in common]
rng.shuffle(pool)

defaults = []
for f in sorted((pathlib.Path(__file__).resolve().parents[2] / "rulesets/default/keywords").glob("*.txt")):
    defaults += [l.strip() for l in f.read_text(encoding="utf-8").splitlines()
                 if l.strip() and not l.startswith("#") and re.fullmatch(r"[\u4e00-\u9fff]+", l.strip())]

chars = [c for c, _ in collections.Counter(c for r in runs for c in r).most_common(3000)]
regions = ["县", "市", "区", "镇", "乡", "村"]
units = ["研究所", "基地", "工程", "指挥部", "项目", "站", "中心", "仓库", "机场", "港", "厂", "分队", "实验室"]

def synthetic():
    name = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2))))
    return name + rng.choice(regions) + rng.choice(units) if rng.random() < 0.5 else name + rng.choice(units)

def library(size):
    out, seen = [], set()
    for p in defaults + pool:
        if len(out) >= size * 7 // 10:
            break
        if p not in seen:
            seen.add(p); out.append(p)
    while len(out) < size:
        p = synthetic()
        if p not in seen:
            seen.add(p); out.append(p)
    return out

for size, name in ((100, "100"), (10_000, "10k"), (1_000_000, "1m")):
    (data / f"phrases-{name}.txt").write_text("\n".join(library(size)) + "\n", encoding="utf-8")
print(f"keywords-corpus.txt: {big.stat().st_size} bytes ({copies} copies); n-gram pool {len(pool)}")
