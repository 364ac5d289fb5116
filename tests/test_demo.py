"""The demo generator (`library.demo.build_demo`): real files that open, a varied and consistent
catalog, and lifecycle dates that make every trust badge appear relative to `today`.

No Qt and no library database here; `test_demo_load.py` covers importing the demo."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from pdfminer.high_level import extract_text
from pptx import Presentation
from pypdf import PdfReader

from library.demo import DemoCatalog, DemoItem, build_demo
from library.demo.render import pdf_safe
from library.vocab import DEFAULT_STAGES, FORMATS, Audience, Kind, Status

TODAY = date(2027, 3, 15)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoCatalog]:
    dest = tmp_path_factory.mktemp("demo") / "files"
    return dest, build_demo(dest, today=TODAY)


@pytest.fixture(scope="module")
def catalog(built: tuple[Path, DemoCatalog]) -> DemoCatalog:
    return built[1]


def flat(text: str) -> str:
    """Whitespace collapsed, so titles wrapped over two lines still match."""
    return " ".join(text.split())


@functools.cache
def pdf_text(path: Path) -> str:
    """pdfminer is the slow part of this module: read each file once."""
    return flat(extract_text(str(path)))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return flat("\n".join(parts))


def by_format(catalog: DemoCatalog, fmt: str) -> list[DemoItem]:
    return [i for i in catalog.items if i.format == fmt]


def one(catalog: DemoCatalog, title_part: str) -> DemoItem:
    found = [i for i in catalog.items if title_part in i.title]
    assert len(found) == 1, (title_part, [i.title for i in found])
    return found[0]


# -- files -------------------------------------------------------------------------------------------
def test_every_listed_file_is_written_under_dest_and_nothing_else(
    built: tuple[Path, DemoCatalog],
) -> None:
    dest, catalog = built
    listed = [f for item in catalog.items for f in item.files]
    assert all(item.files for item in catalog.items)
    assert len(listed) == len(set(listed)), "two items share a file"
    assert len({f.name for f in listed}) == len(listed), (
        "file names must be unique (stored by name)"
    )
    for f in listed:
        assert f.is_file() and f.stat().st_size > 500, f
        assert f.resolve().is_relative_to(dest.resolve())
    on_disk = {p.resolve() for p in dest.rglob("*") if p.is_file()}
    logos = [catalog.brand_logo, *(p.logo for p in catalog.partners)]
    assert on_disk == {f.resolve() for f in listed} | {f.resolve() for f in logos if f}
    total = sum(f.stat().st_size for f in listed)
    assert total < 5 * 1024 * 1024, f"demo is {total / 1e6:.1f} MB"


def test_every_file_opens_with_its_library_and_carries_its_title(catalog: DemoCatalog) -> None:
    seen: Counter[str] = Counter()
    for item in catalog.items:
        for f in item.files:
            seen[f.suffix] += 1
            if f.suffix == ".pdf":
                reader = PdfReader(str(f))
                assert len(reader.pages) >= 1
                title = reader.metadata.title if reader.metadata else ""
                assert title, f"{f.name}: no PDF title"
                text = pdf_text(f)
                assert flat(pdf_safe(title)) in text, f.name
                assert "Page 1 of" in text or "Seite 1 von" in text
            elif f.suffix == ".docx":
                doc = Document(str(f))
                title = doc.core_properties.title
                assert title and title in docx_text(f), f.name
                assert any(
                    p.style and p.style.name.startswith("Heading") for p in doc.paragraphs
                ), f.name
                section = doc.sections[0]
                assert "Lumenfield" in " ".join(p.text for p in section.header.paragraphs)
                assert " ".join(p.text for p in section.footer.paragraphs).strip()
            elif f.suffix == ".pptx":
                deck = Presentation(str(f))
                assert deck.core_properties.title
                assert len(deck.slides) >= 4
            elif f.suffix == ".xlsx":
                wb = load_workbook(str(f))
                assert wb.properties.title
                assert all(ws.max_row > 3 for ws in wb.worksheets)
            elif f.suffix == ".txt":
                assert item.title in f.read_text(encoding="utf-8")
            else:
                pytest.fail(f"unexpected file type {f.name}")
    assert {".pdf", ".docx", ".pptx", ".xlsx"} <= set(seen)
    assert seen[".pdf"] >= 15 and seen[".docx"] >= 5


def test_pdf_text_is_folded_to_latin1_for_the_core_fonts() -> None:
    assert pdf_safe("“Right” — €5… ‘ok’") == "\"Right\" - EUR 5... 'ok'"
    assert pdf_safe("Zielerreichung für Gebiete: 67 %") == "Zielerreichung für Gebiete: 67 %"
    assert pdf_safe("漢字").encode("latin-1")  # never raises in fpdf2 later


def test_rebuilding_on_the_same_day_gives_the_same_content(
    built: tuple[Path, DemoCatalog], tmp_path: Path
) -> None:
    dest, first = built
    second = build_demo(tmp_path, today=TODAY)
    assert [(i.title, i.published_at, i.verify_by, i.status) for i in first.items] == [
        (i.title, i.published_at, i.verify_by, i.status) for i in second.items
    ]
    for a, b in zip(
        [f for i in first.items for f in i.files],
        [f for i in second.items for f in i.files],
        strict=True,
    ):
        assert a.relative_to(dest) == b.relative_to(tmp_path)
        if a.suffix in (".pdf", ".txt"):
            assert a.read_bytes() == b.read_bytes(), a.name
        else:  # ZIP containers: same parts; openpyxl stamps docProps/core.xml with "now"
            with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
                assert za.namelist() == zb.namelist()
                for name in za.namelist():
                    if name != "docProps/core.xml":
                        assert za.read(name) == zb.read(name), (a.name, name)


# -- catalog ------------------------------------------------------------------------------------------
def test_catalog_has_the_company_products_competitors_personas_and_people(
    catalog: DemoCatalog,
) -> None:
    assert catalog.company
    assert len(catalog.items) >= 40
    assert len(catalog.products) == 3 and len(set(catalog.products)) == 3
    assert len(catalog.competitors) == 3 and len(set(catalog.competitors)) == 3
    assert catalog.stages == list(DEFAULT_STAGES)
    assert len(catalog.industries) >= 6
    assert {"EMEA", "North America", "APAC", "LATAM"} <= set(catalog.regions)

    assert len(catalog.personas) == 5
    assert {p.buying_role for p in catalog.personas} == {
        "economic buyer",
        "champion",
        "technical evaluator",
        "user",
        "blocker",
    }
    for p in catalog.personas:
        fields = (p.name, p.titles, p.seniority, p.department, p.buying_role, p.goals, p.pains)
        assert all(fields) and p.objections and p.needs_to_see and p.channels, p.name
        assert len(p.goals) > 80 and len(p.pains) > 80

    assert 4 <= len(catalog.users) <= 7
    roles = Counter(u.role for u in catalog.users)
    assert roles["admin"] == 1 and roles["marketer"] == 2 and roles["reviewer"] == 1
    assert roles["rep"] == 2 and roles["partner"] == 1
    for u in catalog.users:
        assert re.fullmatch(r"[a-z.]+@[a-z.]+", u.email), u.email
        assert u.phone.startswith("+") and u.title and u.region in catalog.regions


def test_every_kind_and_the_promised_formats_are_present(catalog: DemoCatalog) -> None:
    assert {i.kind for i in catalog.items} == {k.value for k in Kind}
    formats = Counter(i.format for i in catalog.items)
    for fmt in (
        "data-sheet",
        "one-pager",
        "pitch-deck",
        "white-paper",
        "case-study",
        "battle-card",
        "competitive-update",
        "email-template",
        "talk-track",
        "objection-handler",
        "pricing-sheet",
        "roi-calculator",
        "faq",
        "security-pack",
        "partner-kit",
    ):
        assert formats[fmt] >= 1, fmt
    assert formats["data-sheet"] >= 3 and formats["battle-card"] >= 3
    assert formats["competitive-update"] >= 2 and formats["white-paper"] >= 2
    # one data sheet per product, and a one-pager per persona
    sheets = by_format(catalog, "data-sheet")
    assert all(any(p in s.products for s in sheets) for p in catalog.products)
    pagers = by_format(catalog, "one-pager")
    assert all(any(p.name == i.personas[:1][0] for i in pagers) for p in catalog.personas)
    partner = by_format(catalog, "partner-kit")
    assert partner and all(i.audience == "partner" for i in partner)


def test_slugs_are_valid_vocabulary(catalog: DemoCatalog) -> None:
    for i in catalog.items:
        assert Kind(i.kind) and Status(i.status) and Audience(i.audience), i.title
        assert i.format in FORMATS, i.format
        assert i.kind == FORMATS[i.format].value, (i.title, i.kind, i.format)
        assert i.language in ("en", "de"), i.language


def test_tags_point_at_values_the_catalog_defines(catalog: DemoCatalog) -> None:
    personas = {p.name for p in catalog.personas}
    users = {u.name for u in catalog.users}
    for i in catalog.items:
        assert i.title and len(i.summary) > 40, i.title
        assert i.owner in users, (i.title, i.owner)
        assert i.personas and set(i.personas) <= personas, i.title
        assert i.stages and set(i.stages) <= set(catalog.stages), i.title
        assert i.products and set(i.products) <= set(catalog.products), i.title
        assert set(i.competitors) <= set(catalog.competitors), i.title
        assert set(i.industries) <= set(catalog.industries), i.title
        assert set(i.regions) <= set(catalog.regions), i.title
        assert all(t.strip() == t and t for t in i.tags), i.title
    used = Counter(v for i in catalog.items for v in i.personas + i.products + i.competitors)
    assert all(used[v] for v in [*personas, *catalog.products, *catalog.competitors])


def test_case_studies_have_metrics_quotes_and_span_industries(catalog: DemoCatalog) -> None:
    studies = by_format(catalog, "case-study")
    assert len(studies) >= 8
    assert len({ind for s in studies for ind in s.industries}) >= 6
    assert {r for s in studies for r in s.regions} == set(catalog.regions)
    for s in [*studies, *by_format(catalog, "customer-reference")]:
        cs = s.case_study
        assert cs is not None, s.title
        assert cs["customer"] and cs["industry"] and cs["challenge"] and cs["solution"]
        assert 2 <= len(cs["results"]) <= 4, s.title
        assert all(r["metric"] and r["value"] for r in cs["results"])
        assert len(cs["quote"]) > 40 and "," in cs["quote_author"]
        text = pdf_text(s.files[0])
        assert flat(pdf_safe(cs["customer"])) in text
        assert flat(pdf_safe(cs["quote"]))[:60] in text, s.title
        for r in cs["results"]:
            assert flat(pdf_safe(r["value"])) in text, (s.title, r)
    assert all(i.case_study is None for i in catalog.items if i.kind != "case-study")


def test_battle_cards_are_internal_and_structured(catalog: DemoCatalog) -> None:
    cards = by_format(catalog, "battle-card")
    assert sorted(c.competitors[0] for c in cards) == sorted(catalog.competitors)
    for c in cards:
        bc = c.battle_card
        assert c.audience == "internal" and bc is not None
        for section in ("why_we_win", "why_we_lose", "landmines", "proof_points"):
            assert len(bc[section]) >= 2 and all(isinstance(x, str) and x for x in bc[section])
        assert len(bc["objections"]) >= 2
        assert all(o["objection"] and o["answer"] for o in bc["objections"])
        assert len(bc["pricing_notes"]) > 50
        assert isinstance(bc["last_verified"], date) and bc["last_verified"] <= TODAY
        assert c.verify_by == bc["last_verified"] + timedelta(days=60)
        text = pdf_text(c.files[0])
        for heading in ("Why we win", "Why we lose", "Landmines", "Pricing notes"):
            assert heading in text
        assert "INTERNAL USE ONLY" in text
        assert bc["last_verified"].strftime("%B %Y") in text  # the date token was filled
    assert all(i.battle_card is None for i in catalog.items if i.format != "battle-card")
    updates = by_format(catalog, "competitive-update")
    assert len(updates) >= 2 and all(u.audience == "internal" and u.competitors for u in updates)


# -- lifecycle relative to today ---------------------------------------------------------------------
def test_lifecycle_variety_relative_to_today(catalog: DemoCatalog) -> None:
    items = catalog.items
    status = Counter(i.status for i in items)
    assert status["draft"] == 3 and status["in-review"] == 2 and status["retired"] == 1
    assert status["approved"] == len(items) - 6
    unpublished = [i for i in items if i.status in ("draft", "in-review")]
    assert all(i.published_at is None for i in unpublished)
    published = [i for i in items if i.status in ("approved", "retired")]
    assert all(i.published_at and i.published_at <= TODAY for i in published)

    expired = [i for i in items if i.expires_on and i.expires_on < TODAY]
    assert len(expired) == 1 and expired[0].status == "approved"
    soon = [i for i in items if i.expires_on and TODAY <= i.expires_on <= TODAY + timedelta(14)]
    assert len(soon) == 2 and all(i.status == "approved" for i in soon)
    unverified = [i for i in items if i.verify_by and i.verify_by < TODAY]
    assert len(unverified) == 2 and all(i.status == "approved" for i in unverified)
    assert {i.format for i in unverified} == {"battle-card", "case-study"}
    new = [i for i in published if i.published_at and i.published_at >= TODAY - timedelta(7)]
    assert 3 <= len(new) <= 5
    # with the app's default badge windows (new: 14 days, expires soon: 30) nothing else joins
    recent = [i for i in published if i.published_at and i.published_at >= TODAY - timedelta(14)]
    assert len(recent) == len(new)
    assert len([i for i in items if i.expires_on and i.expires_on <= TODAY + timedelta(30)]) == 3

    revised = [i for i in items if i.version >= 2]
    assert len(revised) >= 4 and all(len(i.change_note) > 20 for i in revised)
    assert any(i.version == 3 for i in items)
    assert any("Updated pricing for FY27" in i.change_note for i in items)
    for i in by_format(catalog, "case-study"):
        if i.published_at:
            assert i.verify_by == i.published_at + timedelta(days=365)


def test_dates_follow_the_given_today(catalog: DemoCatalog, tmp_path: Path) -> None:
    later = TODAY + timedelta(days=100)
    moved = build_demo(tmp_path, today=later)

    def offsets(c: DemoCatalog, today: date) -> list[tuple[int | None, ...]]:
        return [
            tuple(
                None if d is None else (d - today).days
                for d in (i.published_at, i.expires_on, i.verify_by)
            )
            for i in c.items
        ]

    assert offsets(moved, later) == offsets(catalog, TODAY)
    offer = one(moved, "Quarter-end offer")
    assert offer.expires_on is not None
    expiry = f"{offer.expires_on.day} {offer.expires_on.strftime('%B %Y')}"
    assert expiry in pdf_text(offer.files[0])  # the offer's text names its real deadline


# -- searchable facts and long documents -----------------------------------------------------------
def test_distinctive_searchable_facts(catalog: DemoCatalog) -> None:
    hipaa = [s for s in by_format(catalog, "case-study") if "HIPAA" in pdf_text(s.files[0])]
    assert hipaa and "Healthcare" in hipaa[0].industries

    german = [i for i in catalog.items if i.language == "de"]
    assert len(german) == 1 and german[0].format == "case-study" and "EMEA" in german[0].regions
    text = pdf_text(german[0].files[0])
    assert "Vertriebsgebiete" in text and "Prognose" in text and "Geschäftsjahres" in text

    british = [
        i
        for i in catalog.items
        for f in i.files
        if f.suffix == ".docx" and re.search(r"\boptimise\b", docx_text(f))
    ]
    assert british and "EMEA" in british[0].regions

    deck = by_format(catalog, "pitch-deck")[0]
    assert deck.files[0].suffix == ".pptx"


def test_white_papers_are_long_multi_page_pdfs(catalog: DemoCatalog) -> None:
    papers = by_format(catalog, "white-paper")
    assert len(papers) >= 2
    for paper in papers:
        pdf = next(f for f in paper.files if f.suffix == ".pdf")
        assert len(PdfReader(str(pdf)).pages) >= 4
        n_words = len(pdf_text(pdf).split())
        assert 2000 <= n_words <= 4500, (paper.title, n_words)


def test_pitch_deck_has_slides_with_speaker_notes(catalog: DemoCatalog) -> None:
    deck_item = by_format(catalog, "pitch-deck")[0]
    deck = Presentation(str(deck_item.files[0]))
    assert 8 <= len(deck.slides) <= 12
    for slide in deck.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 40
        for shape in slide.shapes:  # nothing hangs off the slide
            assert shape.left + shape.width <= deck.slide_width
            assert shape.top + shape.height <= deck.slide_height


def test_security_pack_and_partner_kit_bundle_several_files(catalog: DemoCatalog) -> None:
    pack = by_format(catalog, "security-pack")[0]
    assert {f.suffix for f in pack.files} == {".pdf", ".xlsx"}
    assert "SOC 2 Type II" in pdf_text(pack.files[0])
    kit = by_format(catalog, "partner-kit")[0]
    assert len(kit.files) >= 2 and kit.expires_on is not None
    deadline = f"{kit.expires_on.day} {kit.expires_on.strftime('%B %Y')}"
    assert deadline in docx_text(next(f for f in kit.files if f.suffix == ".docx"))


# -- spreadsheets ------------------------------------------------------------------------------------
def _evaluate_calculator(wb: Any) -> dict[str, float | None]:
    """Evaluates the Calculator sheet's formulas (arithmetic, SUM, one IF) in Python."""
    inputs = {r: wb["Inputs"].cell(r, 2).value for r in range(1, wb["Inputs"].max_row + 1)}
    calc = wb["Calculator"]
    by_row: dict[int, Any] = {}
    out: dict[str, float | None] = {}
    for r in range(1, calc.max_row + 1):
        label, formula = calc.cell(r, 1).value, calc.cell(r, 2).value
        if not (isinstance(formula, str) and formula.startswith("=")):
            continue
        expr = re.sub(r"Inputs!B(\d+)", lambda m: repr(inputs[int(m.group(1))]), formula[1:])
        expr = re.sub(
            r"SUM\(B(\d+):B(\d+)\)",
            lambda m: repr(sum(by_row.get(x, 0) for x in range(int(m[1]), int(m[2]) + 1))),
            expr,
        )
        expr = re.sub(r"\bB(\d+)\b", lambda m: repr(by_row[int(m.group(1))]), expr)
        expr = re.sub(r'^IF\(([^,]+),(.+),"No payback"\)$', r"((\2) if (\1) else None)", expr)
        by_row[r] = eval(expr, {"__builtins__": {}})
        out[str(label)] = by_row[r]
    return out


def test_roi_calculator_formulas_agree_with_its_worked_example(catalog: DemoCatalog) -> None:
    item = by_format(catalog, "roi-calculator")[0]
    wb = load_workbook(str(item.files[0]))
    assert wb.sheetnames == ["Inputs", "Calculator", "Worked example"]
    formulas = [c.value for row in wb["Calculator"].iter_rows() for c in row]
    assert sum(isinstance(v, str) and v.startswith("=") for v in formulas) >= 10
    computed = _evaluate_calculator(wb)
    example = {str(a): b for a, b in wb["Worked example"].iter_rows(min_row=5, values_only=True)}
    assert set(computed) == set(example)
    for line, value in example.items():
        assert computed[line] == pytest.approx(value, rel=1e-3, abs=1), line
    assert 3 <= example["Payback (months)"] <= 18  # a credible business case
    assert example["Total annual benefit"] > example["Annual subscription"]


def test_price_list_has_prices_formulas_and_guardrails(catalog: DemoCatalog) -> None:
    current = one(catalog, "FY27 price list")
    assert current.audience == "internal" and current.version == 3
    wb = load_workbook(str(current.files[0]))
    assert wb.sheetnames == ["Price list", "Services and support", "Discount guardrails"]
    rows = list(wb["Price list"].iter_rows(min_row=5, values_only=True))
    assert {r[0] for r in rows} == set(catalog.products)
    assert all(isinstance(r[4], int | float) and str(r[7]).startswith("=D") for r in rows)
    retired = one(catalog, "FY26 price list")
    assert retired.status == "retired" and "FY27" in retired.change_note


# -- layering ---------------------------------------------------------------------------------------
def test_building_the_demo_never_imports_qt_or_whoosh(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom datetime import date\nfrom pathlib import Path\n"
        "from library.demo import build_demo\n"
        f"build_demo(Path({str(tmp_path)!r}), today=date(2027, 1, 4))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'whoosh')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=120)


# -- brand kit and partners --------------------------------------------------------------------------
def test_brand_kit_matches_the_documents_and_uses_only_supported_placeholders(
    catalog: DemoCatalog,
) -> None:
    """GIVEN the catalog's brand kit WHEN compared with the documents' palette and the branding
    rules THEN every value is one an admin could type, in the demo's colours, and the texts use
    only the placeholders exports fill in."""
    from library.branding import BRAND_TEXT_FIELDS, clean_brand_value
    from library.demo.render import BRAND

    brand = catalog.brand
    assert set(brand) <= set(BRAND_TEXT_FIELDS)
    cleaned = {k: clean_brand_value(k, v) for k, v in brand.items()}  # raises on a bad value
    assert cleaned["company_name"] == catalog.company
    assert cleaned["primary_color"] == "".join(f"{c:02X}" for c in BRAND)
    assert cleaned["heading_font"] == cleaned["body_font"] == "Arial"
    assert 30 <= cleaned["validity_days"] <= 180
    assert brand["website"] and catalog.company in brand["footer_text"]
    intro_tokens = set(re.findall(r"\{[a-z]+\}", brand["intro"]))
    supported = {"{customer}", "{company}", "{partner}", "{rep}", "{count}"}
    assert {"{customer}", "{partner}"} <= intro_tokens <= supported
    assert set(re.findall(r"\{[a-z]+\}", brand["disclaimer"])) == {"{company}", "{year}"}
    assert "{{" not in brand["intro"] + brand["disclaimer"]


def test_logos_are_transparent_pngs_a_cover_can_print(catalog: DemoCatalog) -> None:
    from PIL import Image

    assert catalog.brand_logo is not None and catalog.partners
    for path in (catalog.brand_logo, *(p.logo for p in catalog.partners)):
        with Image.open(path) as im:
            assert im.format == "PNG" and im.mode == "RGBA"
            w, h = im.size
            assert w <= 1200 and h >= 150, path  # sharp at 1.5 cm high on a printed cover
            assert 2 <= w / h <= 4.4, path  # fits the cover's 6.5 cm beside a partner's logo
            alpha = im.getchannel("A")
            assert alpha.getextrema() == (0, 255)  # a transparent background and solid ink
            ink = sum(alpha.histogram()[129:]) / (w * h)
            assert 0.1 < ink < 0.7, (path, ink)  # a drawing, not a blank or a filled box


def test_partner_profile_is_the_reseller_the_partner_user_works_for(catalog: DemoCatalog) -> None:
    from library.branding import PARTNER_TEXT_FIELDS

    (partner,) = catalog.partners
    assert set(partner.values) <= set(PARTNER_TEXT_FIELDS)
    user = next(u for u in catalog.users if u.role == "partner")
    assert partner.name in user.title
    assert partner.values["contact_name"] == user.name
    assert partner.values["contact_email"] == user.email
    assert partner.values["contact_phone"] == user.phone
    assert partner.values["website"] and len(partner.values["intro"]) > 150


def test_enough_partner_shareable_material_for_a_reseller_pack(catalog: DemoCatalog) -> None:
    shareable = [
        i
        for i in catalog.items
        if i.audience == "partner"
        and i.status == "approved"
        and i.format != "battle-card"
        and (i.expires_on is None or i.expires_on >= TODAY)
    ]
    formats = Counter(i.format for i in shareable)
    assert len(shareable) >= 8
    assert formats["case-study"] >= 2 and formats["data-sheet"] >= 3 and formats["partner-kit"]
