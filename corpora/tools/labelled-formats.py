#!/usr/bin/env python3
"""Helper of make-labelled-formats.sh: derives the other-format copies of corpora/labelled.

  labelled-formats.py derive OUT TMP   picks the subset of labelled DOCX documents and writes, under TMP,
                                       docx/ (copies for LibreOffice), csv/ (table-like categories, for
                                       XLSX/XLS), fodp/ (a few, for PPTX) and fodp-ppt/ (fewer, for PPT)
  labelled-formats.py finish OUT TMP   copies LibreOffice's outputs from TMP into OUT under the source's
                                       name, wraps some sources in ZIP, tar.gz and EML, and rewrites
                                       OUT/labels.tsv (rows of earlier derived files replaced)

Everything is deterministic: the subset is every 4th DOCX row of labels.tsv in file order, archive and
mail dates are fixed. Only the standard library is used.
"""
import csv
import gzip
import io
import os
import shutil
import sys
import tarfile
import zipfile
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE_CATEGORIES = {"customer-list", "price-list", "control-points"}
# Extensions this script derives; a labels.tsv row with one of them (and a source DOCX of the same stem)
# is a derived row and is rewritten on every run.
DERIVED = (".doc", ".rtf", ".html", ".xlsx", ".xls", ".pptx", ".ppt", ".odt", ".zip", ".tar.gz", ".eml")
FIXED_DATE = (2024, 6, 1, 9, 0, 0)
FIXED_EPOCH = 1717232400  # 2024-06-01 09:00:00 UTC


def read_labels(out):
    with open(os.path.join(out, "labels.tsv"), encoding="utf-8", newline="") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return rows[0], rows[1:]


def is_derived(name):
    return name.endswith(DERIVED)


def subset(out):
    """Every 4th original DOCX row (file order of labels.tsv): spans every category and both splits."""
    _, rows = read_labels(out)
    docx = [r for r in rows if r[0].endswith(".docx")]
    return [r for i, r in enumerate(docx) if i % 4 == 0]


def table_subset(out):
    """Every 2nd DOCX of the table-like categories (they become spreadsheets)."""
    _, rows = read_labels(out)
    docx = [r for r in rows if r[0].endswith(".docx") and r[2] in TABLE_CATEGORIES]
    return [r for i, r in enumerate(docx) if i % 2 == 0]


def slide_subset(rows):
    """Every 6th document of the subset becomes a presentation."""
    return [r for i, r in enumerate(rows) if i % 6 == 0]


def text_of(el):
    return "".join(t.text or "" for t in el.iter(W + "t"))


def docx_rows(path):
    """The document as rows of cells: header paragraphs first, then body paragraphs (one cell each, text
    boxes included) and table rows (one cell per table cell), in reading order."""
    rows = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for name in sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml")):
            for p in ET.fromstring(z.read(name)).iter(W + "p"):
                if text_of(p).strip():
                    rows.append([text_of(p)])
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
        for el in body:
            if el.tag == W + "p" and text_of(el).strip():
                rows.append([text_of(el)])
            elif el.tag == W + "tbl":
                for tr in el.iter(W + "tr"):
                    rows.append([text_of(tc) for tc in tr.findall(W + "tc")])
    return rows


FODP_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
  xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:automatic-styles>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/></office:master-styles>
 <office:body>
  <office:presentation>
"""
FODP_TAIL = """  </office:presentation>
 </office:body>
</office:document>
"""


def fodp(rows):
    """Slides of up to 8 lines: the first line of the document is the first slide's title."""
    lines = [" ".join(c for c in r if c) for r in rows]
    title, rest = lines[0], lines[1:]
    chunks = [rest[i:i + 8] for i in range(0, len(rest), 8)] or [[]]
    out = [FODP_HEAD]
    for n, chunk in enumerate(chunks, 1):
        out.append(f'   <draw:page draw:name="page{n}" draw:master-page-name="Default">\n')
        if n == 1:
            out.append('    <draw:frame presentation:class="title" svg:x="1.4cm" svg:y="0.6cm" svg:width="25.2cm" '
                       f'svg:height="2cm"><draw:text-box><text:p>{escape(title)}</text:p></draw:text-box></draw:frame>\n')
        paras = "".join(f"<text:p>{escape(l)}</text:p>" for l in chunk)
        out.append('    <draw:frame presentation:class="outline" svg:x="1.4cm" svg:y="3.2cm" svg:width="25.2cm" '
                   f'svg:height="11cm"><draw:text-box>{paras}</draw:text-box></draw:frame>\n')
        out.append("   </draw:page>\n")
    out.append(FODP_TAIL)
    return "".join(out)


def derive(out, tmp):
    rows = subset(out)
    for d in ("docx", "csv", "fodp", "fodp-ppt"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    for r in rows:
        shutil.copyfile(os.path.join(out, r[0]), os.path.join(tmp, "docx", r[0]))
    for r in table_subset(out):
        stem = r[0][:-5]
        with open(os.path.join(tmp, "csv", stem + ".csv"), "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(docx_rows(os.path.join(out, r[0])))
    # LibreOffice's PPT is ~450 KB whatever the slides hold: only every 3rd presentation is also a PPT.
    for i, r in enumerate(slide_subset(rows)):
        stem = r[0][:-5]
        for d in ("fodp", "fodp-ppt") if i % 3 == 0 else ("fodp",):
            with open(os.path.join(tmp, d, stem + ".fodp"), "w", encoding="utf-8") as f:
                f.write(fodp(docx_rows(os.path.join(out, r[0]))))


class GbkZipInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag, as Windows zip tools in a Chinese
    locale write it."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_zip(path, member_name, data, gbk):
    info = (GbkZipInfo if gbk else zipfile.ZipInfo)(member_name, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(info, data)


def write_tar_gz(path, member_name, data):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo(member_name)
        info.size, info.mtime, info.mode = len(data), FIXED_EPOCH, 0o644
        t.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
        g.write(buf.getvalue())


def write_eml(path, n, attachment_name, data):
    msg = MIMEMultipart()
    msg["From"] = "office@example.com"
    msg["To"] = "archive@example.com"
    msg["Subject"] = Header("转发：工作文件，请查收", "gbk")
    msg["Date"] = "Sat, 01 Jun 2024 09:00:00 +0800"
    msg["Message-ID"] = f"<labelled-{n:03d}@example.com>"
    msg.attach(MIMEText("您好：\n\n附件为相关文件，请查收。\n", "plain", "gbk"))
    part = MIMEApplication(data, "vnd.openxmlformats-officedocument.wordprocessingml.document")
    part.add_header("Content-Disposition", "attachment", filename=("gbk", "", attachment_name))
    msg.attach(part)
    with open(path, "wb") as f:
        f.write(msg.as_bytes())


def finish(out, tmp):
    header, rows = read_labels(out)
    rows = [r for r in rows if not is_derived(r[0])]
    by_name = {r[0]: r for r in rows}
    added = []

    for f in os.listdir(out):
        if is_derived(f):
            os.remove(os.path.join(out, f))

    def add(name, src, keep_rules):
        if src:
            shutil.copyfile(src, os.path.join(out, name))
        s = by_name[stem_of(name) + ".docx"]
        added.append([name, s[1], s[2], s[3], s[4] if keep_rules else "-"])

    # LibreOffice's outputs: TMP/<ext>/<stem>.<ext>. Rule ids are kept only for DOC/RTF/ODT (the same runs of
    # text); HTML, spreadsheets and slides lay text out differently, so only the decision is expected.
    for ext, keep in (("doc", True), ("rtf", True), ("html", False), ("xlsx", False), ("xls", False),
                      ("pptx", False), ("ppt", False), ("odt", True)):
        d = os.path.join(tmp, ext)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith("." + ext):
                continue
            # Conversion artefact: LibreOffice 7.4's RTF export drops a DOCX VML text box (w:txbxContent)
            # with its text (no \shptxt, no text at all in the RTF), so the RTF of a source whose mark sits
            # in a text box would not carry the mark. Those RTFs are left out.
            if ext == "rtf" and has_text_box(os.path.join(out, stem_of(f) + ".docx")):
                continue
            add(f, os.path.join(d, f), keep)

    # Containers: every 3rd subset document in a ZIP (every other one of those under a GBK member name),
    # the next in a tar.gz (its DOC copy), the next attached to a mail with a GBK subject.
    for i, r in enumerate(subset(out)):
        stem = r[0][:-5]
        data = open(os.path.join(out, r[0]), "rb").read()
        if i % 3 == 0:
            gbk = i % 2 == 0
            member = f"附件{i:02d}-{stem}.docx" if gbk else r[0]
            write_zip(os.path.join(out, stem + ".zip"), member, data, gbk)
            add(stem + ".zip", None, False)
        elif i % 3 == 1:
            doc = os.path.join(out, stem + ".doc")
            if os.path.exists(doc):
                write_tar_gz(os.path.join(out, stem + ".tar.gz"), stem + ".doc", open(doc, "rb").read())
                add(stem + ".tar.gz", None, False)
        else:
            write_eml(os.path.join(out, stem + ".eml"), i, f"附件-{stem}.docx", data)
            add(stem + ".eml", None, False)

    with open(os.path.join(out, "labels.tsv"), "w", encoding="utf-8", newline="") as f:
        for r in [header] + rows + added:
            f.write("\t".join(r) + "\n")
    print(f"{len(added)} derived documents")


def has_text_box(docx):
    with zipfile.ZipFile(docx) as z:
        return b"txbxContent" in z.read("word/document.xml")


def stem_of(name):
    for ext in DERIVED:
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


if __name__ == "__main__":
    cmd, out, tmp = sys.argv[1:4]
    {"derive": derive, "finish": finish}[cmd](out, tmp)
