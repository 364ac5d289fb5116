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
from contextlib import contextmanager
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
from library.models import Activity, User
from tests.test_export_data import ADMIN, COMPANY, CUSTOMER, as_user, build_library, logo_png

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


def _build(root: Path) -> dict[str, object]:
    """Write the four documents (and their PDFs) under `root`; returns what the tests need as
    JSON-able values, so other test processes can reuse the result."""
    from exporters import pdf

    lib = Library.open(root / "lib")
    try:
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
            actor=ADMIN,
        )
        branding.set_brand_logo(lib, root / "logo.png", actor=ADMIN)
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
            actor=ADMIN,
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
        branding.set_reference_docx(lib, root / "template.docx", actor=ADMIN)
        export_leave_behind(
            lib, ExportRequest(shareable, out / "reference.docx", customer=CUSTOMER, today=TODAY)
        )
        docs["reference"] = out / "reference.docx"
        branding.set_reference_docx(lib, None, actor=ADMIN)

        # 4. the leave-behind inside a reseller pack, with PDF renditions made by the pack itself
        has_soffice = pdf.find_soffice() is not None
        export_pack(
            lib,
            ExportRequest(
                shareable,
                out / "pack.zip",
                customer=CUSTOMER,
                partner=PARTNER,
                pdf=True,
                today=TODAY,
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
        return {
            "keys": keys,
            "docx": {k: str(v) for k, v in docs.items()},
            "pdf": {k: str(v) if v else None for k, v in pdfs.items()},
            "titles": titles,
        }

    finally:
        lib.close()


@pytest.fixture(scope="session")
def produced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Produced]:
    """The documents, built once per test run: under pytest-xdist the first worker builds them
    (LibreOffice is the slow part) and the others wait on a lock and reuse them."""
    import json

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "export-produced"
    shared.mkdir(exist_ok=True)
    done = shared / "produced.json"
    previous = os.environ.get("FRONTLINE_SOFFICE_PROFILE")
    os.environ["FRONTLINE_SOFFICE_PROFILE"] = str(shared / "soffice-profile")
    try:
        with _locked(shared / ".lock"):  # opening upgrades/backfills: one process at a time
            if not done.is_file():
                done.write_text(json.dumps(_build(shared)))
            data = json.loads(done.read_text())
            lib = Library.open(shared / "lib")
    finally:
        if previous is None:
            os.environ.pop("FRONTLINE_SOFFICE_PROFILE", None)
        else:
            os.environ["FRONTLINE_SOFFICE_PROFILE"] = previous
    try:
        yield Produced(
            lib,
            data["keys"],
            {k: Path(v) for k, v in data["docx"].items()},
            {k: Path(v) if v else None for k, v in data["pdf"].items()},
            data["titles"],
        )
    finally:
        lib.close()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between test processes (POSIX; elsewhere each process builds alone)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with path.open("w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _need_tools() -> None:
    from exporters.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: run 'make test' as root to add it")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")


def _pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, timeout=60
    )
    return " ".join(out.stdout.split())


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


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
    last = _pdf_text(pdf, _pdf_pages(pdf))  # validity and provenance share the last page
    assert f"Valid until {valid}" in last and "Provenance:" in last and " v3" in last
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
    # white header text needs the style's filled header row, also on a reference document
    fills = d.styles["Table Grid"].element.xpath(
        "./w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill"
    )
    assert fills and fills[0].upper() not in ("FFFFFF", "AUTO"), f"{name}: header row unfilled"
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
    # the closing block (validity, disclaimer, provenance) is the last thing, in one unsplittable
    # row so it always lands together on the last page
    closing = d.tables[-1]
    assert d.element.body[-2] is closing._tbl  # then only sectPr
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    last = closing.rows[0].cells[0].paragraphs
    assert last[1].text.startswith("Valid until") and last[1].style.name == "Validity"
    assert produced.keys["case"] in last[-1].text and last[-1].text.startswith("Provenance:")


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

    with as_user(lib, ADMIN):
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


def test_key_points_read_the_layout_when_pdf_text_lost_its_bullets() -> None:
    """GIVEN PDF text without bullet glyphs (a heading over one-sentence lines; feature labels
    with a description; an internal note) WHEN key points are taken THEN the list items and
    "label: first sentence" come out, never the title, the running head or the internal note."""
    sheet = (
        "DATA SHEET | Northwind\nNorthwind Forecast data sheet\n"
        "A forecast your CFO can plan on.\n"
        "What it does\nPipeline inspection\nDeal-level changes since the last call. "
        "Flagged for the manager.\nExplainable AI call\nA forecast per segment with "
        "its top five drivers.\nDiscount guardrails\nInternal use only - do not send to "
        "customers.\nPage 1 of 2"
    )
    assert key_points([sheet], "Northwind Forecast data sheet", "") == [
        "Pipeline inspection: Deal-level changes since the last call.",
        "Explainable AI call: A forecast per segment with its top five drivers.",
    ]
    pager = (
        "Why finance teams switch\nForecast variance falls to within 5% by week six.\n"
        "Commission expense is accrued in one system, not in spreadsheets.\n"
        "Every change carries who approved it and when.\n"
    )
    assert key_points([pager], "Title", "") == [
        "Forecast variance falls to within 5% by week six.",
        "Commission expense is accrued in one system, not in spreadsheets.",
        "Every change carries who approved it and when.",
    ]
    prose = "Introduction\n" + ("A long paragraph of prose that goes on. " * 8 + "\n") * 2
    assert key_points([prose], "T", "") == []


def test_brand_values_are_validated_and_svg_logos_are_rasterized(
    lib: Library, tmp_path: Path
) -> None:
    """GIVEN bad colours, days, an SVG (plain and gzipped), a huge PNG and a broken SVG WHEN set
    THEN bad values get a sentence, the SVGs become PNGs of the logo's colour, sized <= 1200."""
    import gzip

    from PIL import Image

    from library.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not a colour"):
        branding.update_brand(lib, {"primary_color": "blue-ish"})
    with pytest.raises(InvalidInput, match="validity_days"):
        branding.update_brand(lib, {"validity_days": "0"})
    markup = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">'
        '<rect width="200" height="50" fill="#0B3D91"/></svg>'
    )
    (tmp_path / "logo.svg").write_text(markup)
    (tmp_path / "logo.svgz").write_bytes(gzip.compress(markup.encode()))
    for name in ("logo.svg", "logo.svgz"):
        info = branding.set_brand_logo(lib, tmp_path / name)
        path = branding.logo_path(lib, info.logo_sha256)
        assert path is not None and info.logo_name == name
        with Image.open(path) as im:
            assert im.format == "PNG" and im.size == (branding.MAX_LOGO_PIXELS, 300)
            assert im.convert("RGB").getpixel((600, 150)) == (11, 61, 145)
    (tmp_path / "bad.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect")
    with pytest.raises(InvalidInput, match=r"bad\.svg could not be rasterized"):
        branding.set_brand_logo(lib, tmp_path / "bad.svg")
    (tmp_path / "fake.png").write_bytes(b"not an image")
    with pytest.raises(InvalidInput, match=r"fake\.png is not an image"):
        branding.set_brand_logo(lib, tmp_path / "fake.png")
    big = tmp_path / "big.png"
    Image.new("RGB", (4000, 1000), (10, 20, 30)).save(big)
    info = branding.set_brand_logo(lib, big)
    assert info.logo_sha256 is not None
    with Image.open(lib.store.path_for(info.logo_sha256)) as im:
        assert max(im.size) <= branding.MAX_LOGO_PIXELS
    assert branding.set_brand_logo(lib, None).logo_sha256 is None


def test_only_admins_change_the_brand_and_partners(lib: Library, tmp_path: Path) -> None:
    """GIVEN a library with an admin and a rep WHEN the rep edits the brand kit or a partner
    THEN it is refused with a sentence; the admin (by name or e-mail, any case) may."""
    from library.errors import LibraryError

    build_library(lib, TODAY)  # actor: the rep
    with lib.transaction() as s:
        admin = s.query(User).filter_by(name=ADMIN).one()
        admin.email = "avery@northwind.example"
    with pytest.raises(LibraryError, match="Only an admin can change the brand kit"):
        branding.update_brand(lib, {"website": "b.example"})
    with pytest.raises(LibraryError, match="Only an admin can change partner profiles"):
        branding.save_partner(lib, "Fabrikam", {})
    assert branding.get_brand(lib).website == ""
    info = branding.update_brand(lib, {"website": "c.example"}, actor="AVERY@northwind.example")
    assert info.website == "c.example" and info.updated_by == "AVERY@northwind.example"
    branding.save_partner(lib, "Fabrikam", {"contact_name": "Luis"}, actor=ADMIN)
    with pytest.raises(LibraryError, match="Only an admin"):
        branding.delete_partner(lib, "Fabrikam")
    branding.delete_partner(lib, "fabrikam", actor=ADMIN)
    assert branding.list_partners(lib) == []
    with lib.reader() as s:
        actions = [a for (a,) in s.query(Activity.action).order_by(Activity.id)]
    assert actions[-3:] == ["brand-changed", "partner-added", "partner-removed"]


def test_intro_placeholders_are_replaced_not_formatted(lib: Library, tmp_path: Path) -> None:
    import docx

    keys = build_library(lib, TODAY)
    branding.update_brand(
        lib, {"intro": "Hello {customer}, from {company}. {customer.__class__}"}, actor=ADMIN
    )
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
