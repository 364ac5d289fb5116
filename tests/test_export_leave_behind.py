"""Leave-behinds checked by real clients: python-docx opens every DOCX, LibreOffice headless turns
each into a PDF (one soffice run for the whole module), pdftotext reads it back.

The module-scoped `produced` fixture writes four documents from one library: a plain one on a
fresh brand kit, a co-branded one with a watermark, one built on a reference DOCX, and the
leave-behind inside a reseller pack. Every test looks at all four where it applies.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from exporters.base import ExportRefused, ExportRequest
from exporters.content import key_points, long_date
from exporters.leave_behind import export_leave_behind
from exporters.pack import export_pack
from library import branding
from library.core import Library
from library.models import Activity
from tests.test_export_data import COMPANY, CUSTOMER, build_library, logo_png

TODAY = date(2026, 3, 2)
PARTNER = "Fabrikam Partners"
WATERMARK = "Prepared for ACME — confidential"


@dataclass
class Produced:
    lib: Library
    keys: dict[str, str]
    docx: dict[str, Path]  # name -> DOCX
    pdf: dict[str, Path | None]  # name -> its PDF (None when LibreOffice failed)
    titles: list[str]


def _reference_docx(path: Path) -> None:
    """A company template: its own header text and body font, a body to be cleared, and no
    'List Bullet' style (the renderer must copy it in)."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    d.styles["Normal"].font.name = "Liberation Serif"
    d.sections[0].header.paragraphs[0].text = "NORTHWIND TEMPLATE HEADER"
    d.add_paragraph("Template body text that must disappear")
    bullet = d.styles["List Bullet"].element
    bullet.getparent().remove(bullet)
    assert all(s.get(qn("w:styleId")) != "ListBullet" for s in d.styles.element)
    d.save(str(path))


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Produced]:
    from exporters import pdf

    root = tmp_path_factory.mktemp("leave-behind")
    lib = Library.open(root / "lib")
    keys = build_library(lib, TODAY)
    shareable = [keys["sheet"], keys["case"], keys["onepager"]]
    out = root / "out"
    docs: dict[str, Path] = {}

    # 1. fresh brand kit (defaults, company from the library meta, no logo)
    export_leave_behind(
        lib, ExportRequest(shareable, out / "plain.docx", customer=CUSTOMER, today=TODAY)
    )
    docs["plain"] = out / "plain.docx"

    # 2. full brand kit, co-branded with a partner, watermark
    (root / "logo.png").write_bytes(logo_png())
    (root / "partner.png").write_bytes(logo_png("Fabrikam", (192, 80, 77)))
    branding.update_brand(
        lib,
        {"website": "northwind.example", "primary_color": "#0B3D91", "heading_font": "Arial"},
    )
    branding.set_brand_logo(lib, root / "logo.png")
    branding.save_partner(
        lib,
        PARTNER,
        {
            "contact_name": "Luis Ortega",
            "contact_email": "luis@fabrikam.example",
            "contact_phone": "+34 91 555 0199",
            "intro": "Fabrikam resells Northwind in Spain and Portugal.",
        },
        logo=root / "partner.png",
    )
    export_leave_behind(
        lib,
        ExportRequest(
            shareable,
            out / "cobranded.docx",
            customer=CUSTOMER,
            partner=PARTNER,
            watermark=WATERMARK,
            today=TODAY,
        ),
    )
    docs["cobranded"] = out / "cobranded.docx"

    # 3. built on a reference DOCX
    _reference_docx(root / "template.docx")
    branding.set_reference_docx(lib, root / "template.docx")
    export_leave_behind(
        lib, ExportRequest(shareable, out / "reference.docx", customer=CUSTOMER, today=TODAY)
    )
    docs["reference"] = out / "reference.docx"
    branding.set_reference_docx(lib, None)

    # 4. the leave-behind inside a reseller pack, with PDF renditions made by the pack itself
    has_soffice = pdf.find_soffice() is not None
    export_pack(
        lib,
        ExportRequest(
            shareable, out / "pack.zip", customer=CUSTOMER, partner=PARTNER, pdf=True, today=TODAY
        ),
    )
    pdfs: dict[str, Path | None] = {}
    with zipfile.ZipFile(out / "pack.zip") as zf:
        names = zf.namelist()
        lb = next(n for n in names if n.endswith(".docx") and "/files/" not in n)
        (out / "pack-leave-behind.docx").write_bytes(zf.read(lb))
        lb_pdf = lb[: -len(".docx")] + ".pdf"
        pdfs["pack"] = None
        if lb_pdf in names:
            (root / "pack-leave-behind.pdf").write_bytes(zf.read(lb_pdf))
            pdfs["pack"] = root / "pack-leave-behind.pdf"
        if has_soffice:  # the CFO guide is a DOCX: it gets a rendition too
            assert any(n.endswith("/pdf/CFO guide.pdf") for n in names)
    docs["pack"] = out / "pack-leave-behind.docx"

    # one soffice run converts the other three
    if has_soffice:
        others = [docs[k] for k in ("plain", "cobranded", "reference")]
        converted = pdf.convert_many(others, root / "pdf")
        pdfs.update({k: converted[docs[k]] for k in ("plain", "cobranded", "reference")})
    from library import items

    titles = [items.get(lib, k).title for k in shareable]
    try:
        yield Produced(lib, keys, docs, pdfs, titles)
    finally:
        lib.close()


def _need_tools() -> None:
    from exporters.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: run 'make test' as root to add it")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")


def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    return " ".join(out.stdout.split())


# -- real clients ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["plain", "cobranded", "reference", "pack"])
def test_libreoffice_renders_everything_a_customer_must_see(produced: Produced, name: str) -> None:
    """GIVEN a leave-behind WHEN LibreOffice converts it THEN the PDF exists (soffice exits 0 even
    on failure) and holds the customer, the rep, every item title and the valid-until date."""
    _need_tools()
    pdf = produced.pdf[name]
    assert pdf is not None and pdf.is_file() and pdf.stat().st_size > 5000, f"no PDF for {name}"
    text = _pdf_text(pdf)
    valid = long_date(TODAY + timedelta(days=90))
    for needle in (
        f"Prepared for {CUSTOMER}",
        "Dana Whitfield",
        f"Valid until {valid}",
        *produced.titles,
    ):
        assert needle in text, f"{name}: '{needle}' missing from the PDF"
    assert "Page 2 of" in text  # PAGE / NUMPAGES fields computed
    if name in ("cobranded", "pack"):
        assert "Luis Ortega" in text and "luis@fabrikam.example" in text
    if name == "reference":
        assert "NORTHWIND TEMPLATE HEADER" in text
        assert "Template body text" not in text


@pytest.mark.parametrize("name", ["plain", "cobranded", "reference", "pack"])
def test_python_docx_reads_styles_not_hand_formatting(produced: Produced, name: str) -> None:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(produced.docx[name]))
    used = {p.style.name for p in d.paragraphs if p.style is not None}
    for style in ("Title", "Heading 1", "Heading 2", "List Bullet", "Intense Quote", "Lead"):
        assert style in used, f"{name}: style {style} unused"
    assert {t.style.name for t in d.tables if t.style is not None} >= {"Table Grid"}
    body = d.element.body
    hand = body.findall(f".//{qn('w:r')}/{qn('w:rPr')}/{qn('w:color')}") + body.findall(
        f".//{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}"
    )
    assert not hand, f"{name}: direct run formatting found"
    texts = "\n".join(p.text for p in d.paragraphs)
    for title in produced.titles:
        assert title in texts
    assert d.core_properties.title == f"Prepared for {CUSTOMER}"
    assert "Frontline export" in d.core_properties.comments
    assert produced.keys["case"] in d.paragraphs[-1].text  # provenance on the last page


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLE_ORDER = [
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
]
TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def _schema_order_problems(root: etree._Element) -> list[str]:
    """Children out of the OOXML schema sequence: Word calls such a file corrupt, LibreOffice
    does not, so rendering alone would never catch it."""
    from exporters.docx_kit import PBDR_ORDER, PPR_ORDER, RPR_ORDER

    orders = {
        "pPr": [t[2:] for t in PPR_ORDER],
        "rPr": [t[2:] for t in RPR_ORDER],
        "pBdr": [t[2:] for t in PBDR_ORDER],
        "style": STYLE_ORDER,
        "tblPr": TBLPR_ORDER,
    }
    problems = []
    for parent, order in orders.items():
        for el in root.iter(W + parent):
            tags = [etree.QName(c).localname for c in el if etree.QName(c).namespace == W[1:-1]]
            ranks = [order.index(t) for t in tags if t in order]
            if ranks != sorted(ranks):
                problems.append(f"{parent}: {tags}")
    return problems


@pytest.mark.parametrize("name", ["plain", "cobranded", "reference", "pack"])
def test_package_is_well_formed_ooxml(produced: Produced, name: str) -> None:
    """Every XML part parses; [Content_Types].xml covers every part; every internal relationship
    target exists; properties appear in schema order; picture ids are unique. (No OOXML schema
    validator ships offline; these are the checks Word is strictest about.)"""
    with zipfile.ZipFile(produced.docx[name]) as zf:
        names = set(zf.namelist())
        assert zf.testzip() is None
        ct = etree.fromstring(zf.read("[Content_Types].xml"))
        ns = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
        defaults = {e.get("Extension").lower() for e in ct.findall("ct:Default", ns)}
        overrides = {e.get("PartName") for e in ct.findall("ct:Override", ns)}
        docpr_ids: list[str] = []
        for part in names:
            if part.endswith("/"):
                continue
            if part.endswith((".xml", ".rels")):
                root = etree.fromstring(zf.read(part))  # raises when not well-formed
                assert not _schema_order_problems(root), f"{part}: {_schema_order_problems(root)}"
                docpr_ids += root.xpath("//*[local-name()='docPr']/@id")
            ext = part.rsplit(".", 1)[-1].lower()
            assert f"/{part}" in overrides or ext in defaults, f"{part} has no content type"
        for rels in (n for n in names if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for rel in etree.fromstring(zf.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(base, rel.get("Target"))).lstrip("/")
                assert target in names, f"{rels}: missing target {target}"
    assert len(docpr_ids) == len(set(docpr_ids)), "picture ids repeat across parts"


def test_cobranded_header_has_both_logos_and_the_watermark(produced: Produced) -> None:
    import docx

    d = docx.Document(str(produced.docx["cobranded"]))
    section = d.sections[0]
    header_xml = section.header._element.xml
    assert header_xml.count("<w:drawing>") == 2
    assert "PowerPlusWaterMarkObject" in header_xml and WATERMARK in header_xml
    assert "PowerPlusWaterMarkObject" in section.first_page_header._element.xml
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    first = d.paragraphs[0]
    assert first.style is not None and first.style.name == "Cover Logos"
    assert len(first._element.findall(".//{*}drawing")) == 2


def test_fresh_library_uses_defaults_and_rep_profile(produced: Produced) -> None:
    import docx

    text = "\n".join(p.text for p in docx.Document(str(produced.docx["plain"])).paragraphs)
    assert COMPANY in text  # company from the library meta
    assert "Senior Account Executive" in text and "+44 20 7946 0321" in text
    assert "−38%" in "".join(
        c.text for t in docx.Document(str(produced.docx["plain"])).tables for c in t._cells
    )


def test_every_export_is_recorded_per_item(produced: Produced) -> None:
    with produced.lib.reader() as s:
        rows = s.query(Activity).filter_by(action="export").all()
        s.expunge_all()
    cobranded = [r for r in rows if r.detail.get("partner") == PARTNER]
    formats = {r.detail["format"] for r in rows}
    assert formats == {"leave-behind", "pack"}
    assert {r.item_key for r in rows} == {
        produced.keys["sheet"],
        produced.keys["case"],
        produced.keys["onepager"],
    }
    r = next(r for r in cobranded if r.item_key == produced.keys["case"])
    assert r.detail["version"] == 3 and r.detail["customer"] == CUSTOMER
    assert r.detail["recipient"] == "partner" and r.actor


# -- without LibreOffice ---------------------------------------------------------------------------
def test_refused_export_writes_and_records_nothing(lib: Library, tmp_path: Path) -> None:
    keys = build_library(lib, TODAY)
    out = tmp_path / "x.docx"
    with pytest.raises(ExportRefused) as err:
        export_leave_behind(
            lib, ExportRequest([keys["sheet"], keys["draft"]], out, customer=CUSTOMER, today=TODAY)
        )
    assert "'Draft roadmap teaser' is still a draft" in str(err.value)
    assert not out.exists() and not list(tmp_path.glob(".*part"))
    with lib.reader() as s:
        assert s.query(Activity).filter_by(action="export").count() == 0


def test_valid_until_is_the_earliest_expiry(lib: Library, tmp_path: Path) -> None:
    keys = build_library(lib, TODAY)
    soon = TODAY + timedelta(days=20)
    from library.items import edit

    edit(lib, keys["sheet"], [("expires_on", soon.isoformat())])
    report = export_leave_behind(
        lib,
        ExportRequest(
            [keys["sheet"], keys["case"]], tmp_path / "a.docx", customer="X", today=TODAY
        ),
    )
    assert report.valid_until == soon


def test_missing_libreoffice_keeps_the_docx_and_says_why(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = build_library(lib, TODAY)
    monkeypatch.setenv("FRONTLINE_SOFFICE", str(tmp_path / "no-such-soffice"))
    report = export_leave_behind(
        lib,
        ExportRequest([keys["sheet"]], tmp_path / "a.docx", customer="X", pdf=True, today=TODAY),
    )
    assert (tmp_path / "a.docx").is_file() and report.pdf is None
    assert "LibreOffice" in report.warnings[0] and "DOCX was written" in report.warnings[0]


def test_key_points_come_from_bullet_lines_across_pages() -> None:
    text = (
        "Title\nIntro line\n• First point here\nnot a bullet\f- Second point here\n1. Third one ok"
    )
    assert key_points([text], "Title", "") == [
        "First point here",
        "Second point here",
        "Third one ok",
    ]
    long = "• " + "word " * 100
    assert key_points([long], "", "")[0].endswith("…")


def test_brand_values_are_validated_and_svg_needs_a_rasterizer(
    lib: Library, tmp_path: Path
) -> None:
    from library.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not a colour"):
        branding.update_brand(lib, {"primary_color": "blue-ish"})
    with pytest.raises(InvalidInput, match="validity_days"):
        branding.update_brand(lib, {"validity_days": "0"})
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    try:
        branding.set_brand_logo(lib, svg)
    except InvalidInput as e:
        assert "SVG" in str(e) and "PNG" in str(e)
    big = tmp_path / "big.png"
    from PIL import Image

    Image.new("RGB", (4000, 1000), (10, 20, 30)).save(big)
    info = branding.set_brand_logo(lib, big)
    assert info.logo_sha256 is not None
    with Image.open(lib.store.path_for(info.logo_sha256)) as im:
        assert max(im.size) <= branding.MAX_LOGO_PIXELS


def test_only_admins_change_the_brand_once_an_admin_exists(lib: Library) -> None:
    from library.errors import LibraryError
    from library.models import User

    branding.update_brand(lib, {"website": "a.example"})  # no admin yet: allowed
    with lib.transaction() as s:
        s.add(User(name="Boss", role="admin"))
    with pytest.raises(LibraryError, match="Only an admin"):
        branding.update_brand(lib, {"website": "b.example"}, actor="someone else")
    assert branding.update_brand(lib, {"website": "c.example"}, actor="Boss").website == "c.example"


def test_intro_placeholders_are_replaced_not_formatted(lib: Library, tmp_path: Path) -> None:
    import docx

    keys = build_library(lib, TODAY)
    branding.update_brand(lib, {"intro": "Hello {customer}, from {company}. {customer.__class__}"})
    export_leave_behind(lib, ExportRequest([keys["sheet"]], tmp_path / "a.docx", customer="Zed"))
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs)
    assert f"Hello Zed, from {COMPANY}. {{customer.__class__}}" in text


def test_no_temp_files_are_left_behind(produced: Produced) -> None:
    out = produced.docx["plain"].parent
    leftovers = [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".part"]
    assert not leftovers
    assert not [p for p in os.listdir(out) if re.search(r"\.part$", p)]


def test_control_characters_and_odd_results_never_break_the_docx(
    lib: Library, tmp_path: Path
) -> None:
    """GIVEN text extracted from Word files (vertical tabs, NULs) and results typed as plain
    strings WHEN exported THEN the DOCX is written and python-docx reads the cleaned text."""
    import docx

    from library.models import CaseStudy, Item
    from tests.test_export_data import add_item

    lib.actor = "rep"
    with lib.transaction() as s:
        key = add_item(
            lib,
            s,
            title="Line\x0bbreak\x00 title",
            kind="case-study",
            format="case-study",
            summary="Summary\x0cwith a form feed",
            files=[("f.txt", b"x", "text/plain", "• point\x0b one is here")],
        ).key
        item = s.query(Item).filter_by(key=key).one()
        item.case_study = CaseStudy(results=["40% faster", {"metric": "Cost"}, 7], quote="Q\x01")
    export_leave_behind(lib, ExportRequest([key], tmp_path / "a.docx", customer="AC\x00ME"))
    d = docx.Document(str(tmp_path / "a.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Linebreak title" in text and "Prepared for ACME" in text
    cells = [c.text for t in d.tables for c in t._cells]
    assert "40% faster" in cells and "Cost" in cells and "7" in cells
