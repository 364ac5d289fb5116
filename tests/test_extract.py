"""Text extraction on files built by the tests: formats, hostile input, encodings, the sandbox.

The shared corpus of real-world files is covered in test_extract_corpus.py; the files here are
small and made on the fly so each scenario is explicit and the suite runs without the corpus.
"""

from __future__ import annotations

import io
import os
import random
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from library.extract import (
    PAGE_BREAK,
    TEXT_CAP_CHARS,
    Extraction,
    ExtractorPool,
    extract_file,
    extract_in_process,
)
from library.extract.language import guess_language
from library.extract.result import REASON_CRASH, REASON_MEMORY, REASON_XML_BOMB
from library.extract.text import first_paragraph, meaningful_title, trim_summary

# -- builders ---------------------------------------------------------------------------------
W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return (
        XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{items}</Relationships>'
    )


def build_docx(
    path: Path,
    body: str,
    *,
    parts: dict[str, str | bytes] | None = None,
    rels: list[tuple[str, str, str]] | None = None,
    title: str = "",
    main_type: str = DOCX_MAIN,
    document_xml: str | None = None,
) -> Path:
    """A WordprocessingML package written by hand: every element is exactly what the test says."""
    parts = dict(parts or {})
    doc_rels = [(rid, f"{REL}/{kind}", target) for rid, kind, target in rels or []]
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": XML_HEAD
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="html" ContentType="text/html"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        "_rels/.rels": _rels(
            [
                ("rId1", f"{REL}/officeDocument", "word/document.xml"),
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                    "core-properties",
                    "docProps/core.xml",
                ),
            ]
        ),
        "docProps/core.xml": XML_HEAD
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title></cp:coreProperties>",
        "word/document.xml": document_xml
        or f"{XML_HEAD}<w:document {W_NS}><w:body>{body}</w:body></w:document>",
        "word/_rels/document.xml.rels": _rels(doc_rels),
        **parts,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def para(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def text_box(text: str) -> str:
    """A text box the way Word stores it: DrawingML (Choice) and the same box again in VML."""
    inner = f"<w:txbxContent>{para(text)}</w:txbxContent>"
    return (
        "<w:p><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp>'
        "</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


@pytest.fixture
def rich_docx(tmp_path: Path) -> Path:
    body = (
        para("Quarterly Battle Card", style="Heading1")
        + '<w:p><w:r><w:t xml:space="preserve">Our platform halves onboarding time for regional '
        "banks, </w:t></w:r><w:r><w:t>and every change is kept in an audit trail.</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        "<w:tbl><w:tr><w:tc>"
        + para("Uptime")
        + "</w:tc><w:tc>"
        + para("99.95 percent")
        + "</w:tc></w:tr></w:tbl>"
        + text_box("Boxed differentiator text")
        + "<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>とうきょう</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>東京</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"
        "<w:p><w:del><w:r><w:delText>Deleted claim</w:delText></w:r></w:del>"
        "<w:r><w:t>Kept claim</w:t></w:r></w:p>"
        '<w:altChunk r:id="rIdChunk"/>'
    )
    hdr = f"{XML_HEAD}<w:hdr {W_NS}>{para('Confidential header line')}</w:hdr>"
    return build_docx(
        tmp_path / "battlecard.docx",
        body,
        title="Microsoft Word - battlecard.doc",
        rels=[
            ("rIdH1", "header", "header1.xml"),
            ("rIdH2", "header", "header2.xml"),
            ("rIdF1", "footer", "footer1.xml"),
            ("rIdFn", "footnotes", "footnotes.xml"),
            ("rIdC", "comments", "comments.xml"),
            ("rIdChunk", "aFChunk", "/word/chunk.html"),
        ],
        parts={
            "word/header1.xml": hdr,
            "word/header2.xml": hdr,  # first-page header repeating the default one
            "word/footer1.xml": f"{XML_HEAD}<w:ftr {W_NS}>{para('Page footer text')}</w:ftr>",
            "word/footnotes.xml": f"{XML_HEAD}<w:footnotes {W_NS}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:footnote><w:footnote w:id="1">{para("Source: 2024 customer survey")}'
            "</w:footnote></w:footnotes>",
            "word/comments.xml": f"{XML_HEAD}<w:comments {W_NS}><w:comment w:id='0'>"
            f"{para('Internal reviewer remark')}</w:comment></w:comments>",
            "word/chunk.html": "<html><body><p>Imported HTML chunk</p>"
            "<script>leak()</script></body></html>",
        },
    )


def build_xlsx_parts(path: Path, shared_strings: str, sheet_rows: str) -> Path:
    """A one-sheet workbook written by hand (for phonetic runs and inline strings)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    files = {
        "[Content_Types].xml": XML_HEAD
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": _rels([("rId1", f"{REL}/officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": f'{XML_HEAD}<workbook xmlns="{main}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Accounts" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _rels(
            [
                ("rId1", f"{REL}/worksheet", "worksheets/sheet1.xml"),
                ("rId2", f"{REL}/sharedStrings", "sharedStrings.xml"),
            ]
        ),
        "xl/sharedStrings.xml": f'{XML_HEAD}<sst xmlns="{main}">{shared_strings}</sst>',
        "xl/worksheets/sheet1.xml": f'{XML_HEAD}<worksheet xmlns="{main}"><sheetData>'
        f"{sheet_rows}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def fpdf_document(path: Path, pages: list[str], title: str = "") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def dense_pdf(path: Path, lines: int) -> Path:
    """One page of `lines` overlapping text lines: pdfminer's layout analysis is quadratic in
    them (~15 s for 4,000 lines), with no page boundary where a soft deadline could stop it.
    This is the "parser that never ends" the sandbox must kill."""
    ops = b"".join(
        b"BT /F1 2 Tf 10 %d Td (word%d more words here) Tj ET\n" % (i % 800, i)
        for i in range(lines)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 40), "white").save(buf, format="PNG")
    return buf.getvalue()


# -- Word ---------------------------------------------------------------------------------------
def test_docx_body_tables_headers_footnotes_text_boxes_and_chunks(rich_docx: Path) -> None:
    ext = extract_in_process(rich_docx)
    assert ext.status == "ok", ext.reason
    text = ext.text
    for expected in (
        "Our platform halves onboarding time for regional banks, and every change",
        "Uptime\t99.95 percent",
        "Confidential header line",
        "Page footer text",
        "Source: 2024 customer survey",
        "Imported HTML chunk",
        "東京",
        "Kept claim",
    ):
        assert expected in text, expected
    assert text.count("Boxed differentiator text") == 1  # Choice and Fallback: one box
    assert text.count("Confidential header line") == 1  # repeated headers indexed once
    for absent in ("とうきょう", "Deleted claim", "Internal reviewer remark", "leak()"):
        assert absent not in text, absent
    # The body comes first: that is where the title and summary are taken from.
    assert text.startswith("Quarterly Battle Card")
    assert ext.title == "Quarterly Battle Card"  # "Microsoft Word - x.doc" is no title
    assert ext.summary.startswith("Our platform halves onboarding time")
    assert ext.language == "en"
    assert ext.media_type.endswith("wordprocessingml.document")
    assert ext.flags == []


def test_docm_is_read_and_flagged_without_running_anything(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "tool.docm",
        para("Macro-enabled ROI calculator instructions."),
        main_type=DOCM_MAIN,
        title="ROI Calculator",
        parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really a VBA project"},
    )
    ext = extract_in_process(path)
    assert ext.status == "ok"
    assert "ROI calculator instructions" in ext.text
    assert ext.flags == ["macros"]
    assert ext.title == "ROI Calculator"
    assert ext.media_type == "application/vnd.ms-word.document.macroEnabled.12"


def test_docx_written_by_python_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    d.sections[0].header.paragraphs[0].text = "Acme Corp internal"
    d.sections[0].footer.paragraphs[0].text = "Printed copies are uncontrolled"
    d.add_heading("Objection Handler: Price", level=1)
    d.add_paragraph(
        "When a buyer says we are too expensive, compare the three-year cost including "
        "migration, training and support."
    )
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Competitor"
    table.rows[0].cells[1].text = "Hidden fees"
    d.save(str(tmp_path / "objection.docx"))

    ext = extract_in_process(tmp_path / "objection.docx")
    assert ext.status == "ok"
    assert ext.title == "Objection Handler: Price"
    assert ext.summary.startswith("When a buyer says we are too expensive")
    for expected in ("Competitor\tHidden fees", "Acme Corp internal", "uncontrolled"):
        assert expected in ext.text


# -- PowerPoint and Excel ------------------------------------------------------------------------
def test_pptx_slides_in_order_with_speaker_notes(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[1])
    first.shapes.title.text = "Pricing Overview"
    first.placeholders[1].text = "Three tiers for every team size."
    first.notes_slide.notes_text_frame.text = "Mention the annual discount before the demo."
    second = prs.slides.add_slide(prs.slide_layouts[5])
    second.shapes.title.text = "Next Steps"
    table = second.shapes.add_table(1, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "Pilot"
    table.cell(0, 1).text = "30 days"
    prs.save(str(tmp_path / "deck.pptx"))

    ext = extract_in_process(tmp_path / "deck.pptx")
    assert ext.status == "ok"
    assert ext.page_count == 2
    slides = ext.text.split(PAGE_BREAK)
    assert len(slides) == 2
    assert "Three tiers for every team size." in slides[0]
    assert "Mention the annual discount before the demo." in slides[0]  # notes stay with slide
    assert "Pilot\t30 days" in slides[1]
    assert ext.title == "Pricing Overview"


def test_xlsx_cells_sheet_by_sheet(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Prices"
    ws.append(["Plan", "Monthly", "Annual discount"])
    ws.append(["Starter", 19, True])
    other = wb.create_sheet("Regions")
    other.append(["EMEA", "APAC"])
    wb.save(str(tmp_path / "prices.xlsx"))

    ext = extract_in_process(tmp_path / "prices.xlsx")
    assert ext.status == "ok"
    assert ext.page_count == 2
    prices, regions = ext.text.split(PAGE_BREAK)
    assert prices.splitlines() == ["Prices", "Plan\tMonthly\tAnnual discount", "Starter\t19\tTRUE"]
    assert regions.splitlines() == ["Regions", "EMEA\tAPAC"]
    assert ext.summary == ""  # a row of cells is not a paragraph


def test_xlsx_phonetic_runs_are_dropped_and_inline_strings_read(tmp_path: Path) -> None:
    """GIVEN a Japanese cell with a katakana phonetic guide (x:rPh) THEN only the base text is
    stored; a naive "all <t> nodes" reader would glue the reading onto it."""
    path = build_xlsx_parts(
        tmp_path / "accounts.xlsx",
        "<si><t>豊田車会社</t><rPh sb='0' eb='5'><t>トヨタクルマカイシャ</t></rPh></si>"
        "<si><r><t>Rich </t></r><r><t>text_x000D_run</t></r></si>",
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><t>Inline note</t></is></c><c r="D1" t="e"><v>#DIV/0!</v></c>'
        '<c r="E1" t="s"><v>99</v></c></row>',
    )
    ext = extract_in_process(path)
    assert ext.status == "ok"
    assert ext.text == "Accounts\n豊田車会社\tRich text\nrun\tInline note"  # _x000D_ is a CR
    assert "トヨタ" not in ext.text


# -- PDF ---------------------------------------------------------------------------------------
def test_pdf_pages_title_summary(tmp_path: Path) -> None:
    path = fpdf_document(
        tmp_path / "security.pdf",
        [
            "Security Pack\n\nAcme encrypts every backup at rest and in transit, and our "
            "auditors review the controls every quarter.",
            "Contact sales for the SOC 2 report.",
        ],
        title="Acme Security Pack",
    )
    ext = extract_in_process(path)
    assert ext.status == "ok", ext.reason
    assert ext.page_count == 2
    assert ext.text.count(PAGE_BREAK) == 1
    assert "SOC 2 report" in ext.text.split(PAGE_BREAK)[1]
    assert ext.title == "Acme Security Pack"
    assert ext.summary.startswith("Acme encrypts every backup")
    assert ext.language == "en"
    assert ext.media_type == "application/pdf"


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    plain = fpdf_document(tmp_path / "plain.pdf", ["Renewal pricing for strategic accounts."])
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)

    without = extract_in_process(locked)
    assert (without.status, without.reason) == (
        "encrypted",
        "Encrypted: this PDF needs a password to open.",
    )
    assert without.text == ""
    wrong = extract_in_process(locked, password="guess")
    assert wrong.status == "encrypted" and "password did not open it" in wrong.reason
    right = extract_in_process(locked, password="s3cret")
    assert right.status == "ok"
    assert "Renewal pricing for strategic accounts." in right.text


def test_scanned_pdf_is_image_only(tmp_path: Path) -> None:
    from fpdf import FPDF

    image = tmp_path / "scan.png"
    image.write_bytes(png_bytes())
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    pdf.output(str(tmp_path / "scan.pdf"))

    ext = extract_in_process(tmp_path / "scan.pdf")
    assert ext.status == "image-only"
    assert ext.reason == "Image-only PDF: no text layer (needs OCR)."
    assert ext.page_count == 1


def test_pdf_stops_at_the_soft_deadline_with_what_it_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a 4-page PDF and a time budget that runs out after two pages THEN the result is
    partial with the two pages' text, not a kill with nothing."""
    import library.extract.formats.pdf as pdf_format

    path = fpdf_document(tmp_path / "long.pdf", [f"Chapter {n} of the playbook." for n in range(4)])
    checks = iter([False, False, True])
    monkeypatch.setattr(pdf_format, "out_of_time", lambda: next(checks, True))
    ext = extract_in_process(path)
    assert ext.status == "partial"
    assert "stopped after 2 pages" in ext.reason
    assert "Chapter 1 of the playbook." in ext.text and "Chapter 2" not in ext.text


def test_cid_codes_become_text_only_when_they_plainly_are_text() -> None:
    """pdfminer writes "(cid:NN)" for glyphs of fonts without a Unicode map. ASCII-coded fonts
    (old Distiller files) are mapped; TeX math glyph numbers are dropped; nothing stays raw."""
    from library.extract.formats.pdf import cid_codes_are_text, clean_cids

    drug = "".join(f"(cid:{ord(c)})" for c in "Drug Enforcement") + "(cid:32)(cid:167)"
    assert cid_codes_are_text([ord(c) for c in "Drug Enforcement"] + [167])
    assert clean_cids(drug, mapping=True) == "Drug Enforcement §"
    assert not cid_codes_are_text([0, 14, 18, 18, 2])
    assert clean_cids("f (cid:0)1(U) is open", mapping=False) == "f 1(U) is open"


# -- hostile input -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zip_bomb_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DOCX whose document.xml inflates to 1 GiB of zeros (~4.7 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    build_docx(path, para("placeholder"))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("word/media/filler.xml", "w", force_zip64=True) as member,
    ):
        chunk = bytes(16 << 20)
        for _ in range(64):
            member.write(chunk)
    return path


def test_zip_bomb_is_refused_before_inflating(zip_bomb_docx: Path) -> None:
    started = time.monotonic()
    ext = extract_in_process(zip_bomb_docx)
    assert time.monotonic() - started < 5
    assert ext.status == "failed"
    assert ext.reason.startswith("Refused: the file is a zip bomb")
    assert "1.0 GB" in ext.reason


def test_member_larger_than_declared_is_never_inflated(tmp_path: Path) -> None:
    """GIVEN a DOCX whose directory says document.xml is 100 bytes while it inflates to 20 MB
    THEN reading stops at 100 bytes and the file is reported corrupt (CRC mismatch)."""
    path = build_docx(tmp_path / "liar.docx", para("x" * 20_000_000))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos != -1:
            name_len = struct.unpack_from("<H", data, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[start : start + name_len]) == name:
                struct.pack_into("<I", data, pos + size_at, 100)
            pos = data.find(sig, pos + 4)
    path.write_bytes(bytes(data))
    started = time.monotonic()
    ext = extract_in_process(path)
    assert time.monotonic() - started < 5
    assert ext.status == "failed"
    assert ext.reason.startswith("Corrupt file")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + f"]>\n<w:document {W_NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>"
    + "</w:document>"
)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "laughs.docx", "", document_xml=BILLION_LAUGHS)
    started = time.monotonic()
    ext = extract_in_process(path)
    assert time.monotonic() - started < 2
    assert (ext.status, ext.reason) == ("failed", REASON_XML_BOMB)
    assert "lollol" not in ext.text


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        f"<w:document {W_NS}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    ext = extract_in_process(build_docx(tmp_path / "xxe.docx", "", document_xml=xxe))
    assert ext.status == "failed"
    assert "TOP-SECRET-TOKEN" not in ext.text


def test_truncated_and_empty_and_mislabelled_files(tmp_path: Path, rich_docx: Path) -> None:
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(rich_docx.read_bytes()[:1500])
    assert (extract_in_process(truncated).status, extract_in_process(truncated).reason) == (
        "failed",
        "Corrupt file: the DOCX archive is truncated.",
    )

    (tmp_path / "empty.md").write_bytes(b"")
    empty = extract_in_process(tmp_path / "empty.md")
    assert (empty.status, empty.text, empty.media_type) == ("ok", "", "text/markdown")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert extract_in_process(tmp_path / "empty.pdf").reason == (
        "Corrupt file: the file is empty (0 bytes)."
    )

    # Magic bytes win over the extension: a PNG named .pdf is an image.
    (tmp_path / "brochure.pdf").write_bytes(png_bytes())
    image = extract_in_process(tmp_path / "brochure.pdf")
    assert (image.status, image.media_type) == ("image-only", "image/png")
    assert image.reason == "Image: catalogued without text (no OCR)."

    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as z:
        z.writestr("notes.txt", "hello")
    assert extract_in_process(tmp_path / "bundle.zip").status == "unsupported"
    (tmp_path / "deck.pptx").write_bytes((tmp_path / "bundle.zip").read_bytes())
    not_a_deck = extract_in_process(tmp_path / "deck.pptx")
    assert not_a_deck.status == "failed"
    assert "no main document part" in not_a_deck.reason

    missing = extract_in_process(tmp_path / "nowhere.docx")
    assert missing.status == "failed" and missing.reason.startswith("Missing file")


def test_media_files_are_recognised_by_their_bytes(tmp_path: Path) -> None:
    heic = tmp_path / "IMG_0001"  # no extension: the ftyp brand says HEIC
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    assert extract_in_process(heic).media_type == "image/heic"
    assert extract_in_process(heic).status == "image-only"
    video = tmp_path / "demo.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64))
    clip = extract_in_process(video)
    assert (clip.status, clip.media_type) == ("unsupported", "video/mp4")
    blob = tmp_path / "firmware.bin"
    blob.write_bytes(random.Random(1).randbytes(4096))
    unknown = extract_in_process(blob)
    assert unknown.status == "unsupported" and "does not read .bin files" in unknown.reason


# -- text, encodings, normalization --------------------------------------------------------------
RUSSIAN = "Однажды, в студеную зимнюю пору, я из лесу вышел"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("le.txt", "Quarterly pricing update for partners".encode("utf-16-le"), "pricing update"),
        ("be.txt", "Quarterly pricing update for partners".encode("utf-16-be"), "pricing update"),
        ("bom.txt", "\ufeffCafé menu".encode(), "Café menu"),
        (
            "w.md",
            "# Kundenstimmen\n\nSie können es prüfen – naïve Käufer".encode("cp1252"),
            "können",
        ),
        ("dos.txt", RUSSIAN.encode("cp866"), RUSSIAN),
        (
            "mainframe.txt",
            "IntelliStation POWER 9114 Model 275\n".encode("cp500") * 5,
            "POWER 9114",
        ),
        ("table.csv", "name;city\nMüller;Zürich\n".encode("latin-1"), "Müller;Zürich"),
    ],
)
def test_text_encodings(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    (tmp_path / name).write_bytes(data)
    ext = extract_in_process(tmp_path / name)
    assert ext.status == "ok", ext.reason
    assert expected in ext.text
    assert "\x00" not in ext.text and "\ufeff" not in ext.text


def test_binary_garbage_is_not_stored_as_text(tmp_path: Path) -> None:
    noise = bytes(range(256)) * 40
    shuffled = bytes(random.Random(0).sample(noise, len(noise)))
    (tmp_path / "notes.txt").write_bytes(shuffled)
    ext = extract_in_process(tmp_path / "notes.txt")
    assert ext.status == "failed"
    assert ext.reason == "Unreadable text: could not work out the file's character encoding."
    assert ext.text == ""


def test_nfkc_folds_ligatures_and_full_width_forms(tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text("ﬁnancial ｆｕｌｌ ＡＢＣ ① naïve\x07", encoding="utf-8")
    assert extract_in_process(tmp_path / "n.txt").text == "financial full ABC 1 naïve"


def test_html_drops_scripts_and_uses_the_declared_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Acme Pricing</title>'
        "<style>.x{color:red}</style><script>var tracking = 'secret';</script></head>"
        "<body><h1>Plans</h1><p>Starter plan for small teams, billed yearly in euros (\xe9t\xe9)."
        "</p><script>trackVisitor()</script><noscript>Enable JavaScript</noscript>"
        "<table><tr><td>Pro</td><td>49 EUR</td></tr></table></body></html>"
    ).encode("latin-1")
    (tmp_path / "pricing.html").write_bytes(page)
    ext = extract_in_process(tmp_path / "pricing.html")
    assert ext.status == "ok"
    assert ext.title == "Acme Pricing"
    assert "billed yearly in euros (été)" in ext.text
    assert "Pro\t49 EUR" in ext.text
    for absent in ("tracking", "color:red", "trackVisitor", "Enable JavaScript"):
        assert absent not in ext.text


def test_text_is_capped_and_the_full_length_recorded(tmp_path: Path) -> None:
    line = "pricing objection handling notes\n"
    body = line * (TEXT_CAP_CHARS // len(line) + 100)
    (tmp_path / "big.txt").write_text(body.rstrip("\n"), encoding="utf-8")
    ext = extract_in_process(tmp_path / "big.txt")
    assert ext.status == "ok"
    assert len(ext.text) == TEXT_CAP_CHARS
    assert ext.text_truncated
    assert ext.text_chars == len(body.rstrip("\n")) > TEXT_CAP_CHARS


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Microsoft Word - battlecard.doc", ""),
        ("untitled", ""),
        ("Presentation1", ""),
        ("brochure_v3_final.pdf", ""),
        ("[Your Name]", ""),
        ("  ", ""),
        ("  Acme   Security Pack ", "Acme Security Pack"),
    ],
)
def test_meaningful_title(title: str, expected: str) -> None:
    assert meaningful_title(title) == expected


def test_summary_is_the_first_paragraph_cut_at_a_sentence() -> None:
    text = (
        "Battle Card\nUpdated March\n"
        + "Our platform wins on total cost. " * 20
        + "\nSecond paragraph that should not be used."
    )
    summary = first_paragraph(text, "Battle Card")
    assert summary.startswith("Our platform wins on total cost.")
    assert summary.endswith("cost.") and len(summary) <= 400
    assert trim_summary("word " * 200).endswith("…")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The product is ready for the market and we will ship it to you this year.", "en"),
        ("Die Lösung ist für den Mittelstand und wird mit einer Lizenz auf der Plattform", "de"),
        ("Le produit est prêt pour le marché et nous le livrons dans les délais avec une", "fr"),
        ("El producto está listo para el mercado y lo enviamos con una licencia para los", "es"),
        ("Продукт готов к выходу на рынок, и мы отправим его вам в этом году.", "ru"),
        ("この製品は市場に出る準備ができています。今年中にお届けします。", "ja"),
        ("이 제품은 시장에 출시될 준비가 되었습니다.", "ko"),
        ("该产品已准备好上市，我们将在今年内发货。", "zh"),
        ("المنتج جاهز للسوق وسنقوم بشحنه إليك هذا العام", "ar"),
        ("12 345 678 %%% ---", ""),
    ],
)
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang


# -- the sandbox ---------------------------------------------------------------------------------
@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text("Discovery call checklist for new enterprise prospects.", encoding="utf-8")
    return path


@pytest.fixture
def pool() -> Iterator[ExtractorPool]:
    with ExtractorPool() as p:
        yield p


def test_pool_reuses_one_worker(pool: ExtractorPool, note: Path, rich_docx: Path) -> None:
    assert pool.worker_pid is None  # nothing started until there is work
    first = pool.extract(note)
    pid = pool.worker_pid
    second = pool.extract(rich_docx, timeout=30)
    assert (first.status, second.status) == ("ok", "ok")
    assert pid is not None and pool.worker_pid == pid and pid != os.getpid()
    assert "Discovery call checklist" in first.text


def test_pool_kills_a_parser_that_never_ends_and_recovers(
    pool: ExtractorPool, tmp_path: Path, note: Path
) -> None:
    """GIVEN a page that keeps pdfminer busy for many seconds and a 1 s limit WHEN it is read
    THEN the worker is killed, the file fails with a sentence, and the next file is read."""
    slow = dense_pdf(tmp_path / "dense.pdf", lines=6000)
    assert pool.extract(note).status == "ok"
    started = time.monotonic()
    ext = pool.extract(slow, timeout=1.0)
    assert time.monotonic() - started < 4
    # Either the worker's own page deadline or the pool's kill wins the race on a loaded machine.
    assert ext.status == "failed"
    assert ext.reason in (
        "Took longer than 1 s to read; skipped.",
        "Took too long to read; skipped.",
    )
    assert ext.media_type == "application/pdf"
    after = pool.extract(note)
    assert after.status == "ok" and "Discovery call checklist" in after.text
    assert pool.restarts == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("sig", "reason"),
    [(signal.SIGSEGV, REASON_CRASH), (getattr(signal, "SIGKILL", 9), REASON_MEMORY)],
    ids=["segfault", "oom-killer"],
)
def test_pool_survives_a_dying_worker(
    pool: ExtractorPool, tmp_path: Path, note: Path, sig: int, reason: str
) -> None:
    """GIVEN the worker dies mid-file (a parser segfault; the OOM killer's SIGKILL) THEN that
    file fails with a matching sentence at once, and the pool carries on with a new worker."""
    slow = dense_pdf(tmp_path / "dense.pdf", lines=6000)
    pool.extract(note)
    pid = pool.worker_pid
    assert pid is not None
    threading.Timer(0.5, os.kill, (pid, sig)).start()
    started = time.monotonic()
    ext = pool.extract(slow, timeout=30)
    assert time.monotonic() - started < 5
    assert (ext.status, ext.reason) == ("failed", reason)
    assert pool.extract(note).status == "ok"
    assert pool.worker_pid not in (None, pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_memory_limit_stops_a_hungry_file_and_the_worker_is_replaced(
    tmp_path: Path, note: Path
) -> None:
    """GIVEN a worker limited to 256 MiB and a 200 MB text file WHEN it is read THEN it fails
    with the out-of-memory sentence (instead of eating the laptop's RAM) and a fresh worker
    reads the next file."""
    big = tmp_path / "dump.txt"
    block = b"lorem ipsum dolor sit amet\n" * 40_000
    with big.open("wb") as f:
        for _ in range(200_000_000 // len(block)):
            f.write(block)
    with ExtractorPool(memory_limit=256 << 20) as small:
        ext = small.extract(big, timeout=30)
        assert (ext.status, ext.reason) == ("failed", REASON_MEMORY)
        assert small.extract(note).status == "ok"
        assert small.restarts == 1


def test_memory_errors_become_a_sentence(monkeypatch: pytest.MonkeyPatch, note: Path) -> None:
    from library.extract.formats.plaintext import PlainTextExtractor

    def explode(self: object, path: Path, password: str | None) -> Extraction:
        raise MemoryError

    monkeypatch.setattr(PlainTextExtractor, "extract", explode)
    ext = extract_in_process(note)
    assert (ext.status, ext.reason) == ("failed", REASON_MEMORY)


def test_extract_file_one_shot_and_zip_bomb_in_the_sandbox(zip_bomb_docx: Path) -> None:
    started = time.monotonic()
    ext = extract_file(zip_bomb_docx, timeout=20)
    assert time.monotonic() - started < 10
    assert ext.status == "failed" and "zip bomb" in ext.reason


def test_importing_the_package_is_cheap_and_qt_free() -> None:
    """The app imports library.extract at start-up: parsers load in the worker, never here."""
    code = (
        "import sys, library.extract; "
        "print(sorted(m for m in ('pdfminer', 'pypdf', 'lxml', 'charset_normalizer', 'docx', "
        "'openpyxl', 'PySide6', 'whoosh') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
