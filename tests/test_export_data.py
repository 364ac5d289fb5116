"""Test data for the export tests and bench: a small library built with SQLAlchemy directly.

Not a test module (no tests); named test_export_* so it lives with the export tests. Items carry
real structured content (a case study with results and a quote, collateral whose file text has
bullet points) and small files stored through `lib.store.add_bytes`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from library.core import Library
from library.models import Asset, CaseStudy, Item, Meta, Term, User

COMPANY = "Northwind Analytics"
REP = "Dana Whitfield"
ADMIN = "Avery Admin"  # changes the brand kit and partner profiles, edits items
CUSTOMER = "ACME Corp"


@contextmanager
def as_user(lib: Library, name: str) -> Iterator[None]:
    """Act as `name` inside the block (the library's current user is restored after)."""
    before = lib.actor
    lib.actor = name
    try:
        yield
    finally:
        lib.actor = before


def _upsert_user(session: Any, name: str, **fields: str) -> None:
    """Create or update a user (a governance-aware library may have registered them already)."""
    user = session.query(User).filter_by(name=name).first()
    if user is None:
        user = User(name=name)
        session.add(user)
    for k, v in fields.items():
        setattr(user, k, v)


def _png(color: tuple[int, int, int], text: str = "", height: int = 140) -> bytes:
    """A simple logo: a rounded square mark and the name beside it (transparent background)."""
    from PIL import Image, ImageDraw, ImageFont

    try:
        font: Any = ImageFont.truetype("DejaVuSans-Bold.ttf", int(height * 0.42))
    except OSError:
        font = ImageFont.load_default()
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    text_w = int(probe.textlength(text, font=font)) if text else 0
    h = height
    im = Image.new("RGBA", (int(h * 1.25) + text_w + 8, h), (255, 255, 255, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((0, 0, h, h), radius=h // 5, fill=color)
    d.ellipse((h * 0.25, h * 0.25, h * 0.75, h * 0.75), fill=(255, 255, 255, 255))
    if text:
        d.text((h * 1.25, h * 0.22), text, fill=color, font=font)
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def logo_png(text: str = "Northwind", color: tuple[int, int, int] = (23, 55, 94)) -> bytes:
    return _png(color, text=text)


def _docx_bytes(title: str, lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(title, 1)
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _pdf_bytes(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, title.encode("latin-1", "replace").decode("latin-1"))
    pdf.ln(12)
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        text = line.replace("\f", " ").encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def add_item(
    lib: Library,
    session: Any,
    *,
    title: str,
    kind: str = "collateral",
    format: str = "data-sheet",
    status: str = "approved",
    audience: str = "partner",
    summary: str = "",
    expires_on: date | None = None,
    published_at: date | None = None,
    version: int = 1,
    files: Sequence[tuple[str, bytes, str, str]] = (),
    case_study: dict[str, Any] | None = None,
    industry: str | None = None,
) -> Item:
    """One item with its files (name, bytes, media type, extracted text) stored in lib.store."""
    item = Item(
        title=title,
        summary=summary,
        kind=kind,
        format=format,
        status=status,
        audience=audience,
        expires_on=expires_on,
        published_at=published_at,
        version=version,
    )
    for pos, (name, data, media_type, text) in enumerate(files):
        digest, size = lib.store.add_bytes(data)
        item.assets.append(
            Asset(
                position=pos,
                original_name=name,
                media_type=media_type,
                size=size,
                sha256=digest,
                page_count=text.count("\f") + 1 if text else None,
                extraction_status="ok",
                text=text,
                text_chars=len(text),
            )
        )
    if case_study is not None:
        item.case_study = CaseStudy(**case_study)
    if industry:
        term = session.query(Term).filter_by(taxonomy="industry", name_folded=industry.casefold())
        t = term.first() or Term(
            taxonomy="industry", name=industry, name_folded=industry.casefold()
        )
        item.terms.append(t)
    session.add(item)
    session.flush()
    return item


DATA_SHEET_TEXT = (
    "Northwind Forecast Cloud\nData sheet\n"
    "Forecasts you can defend in the board meeting.\n"
    "• One pipeline model across CRM, ERP and spreadsheets, refreshed every 15 minutes\n"
    "• Explainable forecasts: every number traces back to the deals behind it\n"
    "• Scenario planning for best, commit and worst case in two clicks\n"
    "\f"
    "- Works offline on the plane; syncs when you land\n"
    "- SOC 2 Type II and ISO 27001 certified; data stays in your region\n"
    "- Deploys in 30 days with a fixed-price onboarding package\n"
)
ONE_PAGER_TEXT = (
    "The CFO guide to forecast accuracy\n\n"
    "Most forecasts miss because pipeline data lives in five places.\n"
    "1. Agree on one definition of a committed deal across sales and finance\n"
    "2. Measure forecast error every week, not every quarter\n"
    "3. Review the ten largest deals with evidence, not opinions\n"
)


def build_library(lib: Library, today: date | None = None) -> dict[str, str]:
    """A company, an admin (ADMIN), a rep (REP, made the library's current actor), shareable
    and non-shareable items.

    Returns {nickname: item key}: case, sheet, onepager (shareable with partners), customer_only
    (customer-shareable), draft, expired, retired, internal, battle, scheduled."""
    today = today or date.today()
    lib.actor = REP
    with lib.transaction() as s:
        s.merge(Meta(key="company_name", value=COMPANY))
        _upsert_user(s, ADMIN, title="Enablement Manager", role="admin")
        _upsert_user(
            s,
            REP,
            title="Senior Account Executive",
            email="dana.whitfield@northwind.example",
            phone="+44 20 7946 0321",
            region="UK & Ireland",
            role="rep",
        )
        keys: dict[str, str] = {}
        keys["case"] = add_item(
            lib,
            s,
            title="How Contoso Retail cut forecast error by 38%",
            kind="case-study",
            format="case-study",
            summary="A 400-store retailer replaced weekly spreadsheet roll-ups with one live "
            "pipeline model and now closes the quarter without surprises.",
            expires_on=today + timedelta(days=400),
            version=3,
            files=[
                (
                    "Contoso case study.pdf",
                    _pdf_bytes("Contoso Retail", ["Forecast error down 38%."]),
                    "application/pdf",
                    "Contoso Retail case study\nForecast error down 38%.",
                )
            ],
            case_study={
                "customer": "Contoso Retail",
                "industry": "Retail",
                "challenge": "Regional teams forecast in their own spreadsheets; finance spent "
                "four days a month reconciling them and still missed the quarter twice in a row.",
                "solution": "Northwind Forecast Cloud connected the CRM and ERP in three weeks. "
                "Managers now review one model with the evidence behind every deal, and finance "
                "sees changes as they happen.",
                "results": [
                    {"metric": "Forecast error at week 4 of the quarter", "value": "−38%"},
                    {"metric": "Time spent on the monthly roll-up", "value": "4 days → 2 hours"},
                    {"metric": "Quarters closed within 2% of forecast", "value": "5 of the last 6"},
                ],
                "quote": "For the first time, sales and finance walk into the board meeting "
                "with the same number.",
                "quote_author": "Priya Raman, CFO, Contoso Retail",
            },
        ).key
        keys["sheet"] = add_item(
            lib,
            s,
            title="Northwind Forecast Cloud data sheet",
            format="data-sheet",
            summary="What the platform does, how it connects to your systems and how it keeps "
            "your data safe.",
            version=5,
            files=[
                (
                    "Forecast Cloud data sheet.pdf",
                    _pdf_bytes("Forecast Cloud", DATA_SHEET_TEXT.split("\n")),
                    "application/pdf",
                    DATA_SHEET_TEXT,
                )
            ],
        ).key
        keys["onepager"] = add_item(
            lib,
            s,
            title="The CFO guide to forecast accuracy",
            format="one-pager",
            summary="Three habits that make forecasts trustworthy, and what they take.",
            version=2,
            files=[
                (
                    "CFO guide.docx",
                    _docx_bytes("The CFO guide", ONE_PAGER_TEXT.split("\n")),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ONE_PAGER_TEXT,
                )
            ],
        ).key
        keys["customer_only"] = add_item(
            lib,
            s,
            title="Pricing overview 2026",
            format="pricing-sheet",
            audience="customer",
            summary="List prices and bundles for direct customers.",
        ).key
        keys["draft"] = add_item(lib, s, title="Draft roadmap teaser", status="draft").key
        keys["expired"] = add_item(
            lib, s, title="Spring promotion 2025", expires_on=today - timedelta(days=1)
        ).key
        keys["retired"] = add_item(lib, s, title="Legacy connector guide", status="retired").key
        keys["internal"] = add_item(
            lib, s, title="Discount approval matrix", audience="internal"
        ).key
        keys["battle"] = add_item(
            lib,
            s,
            title="Battle card: Globex Planning",
            kind="competitor-insight",
            format="battle-card",
            audience="customer",
        ).key
        keys["scheduled"] = add_item(
            lib,
            s,
            title="Launch brief: Forecast Cloud 6",
            format="executive-brief",
            published_at=today + timedelta(days=10),
        ).key
    return keys


def add_bulk_items(lib: Library, count: int, *, files_per_item: int = 1) -> list[str]:
    """`count` shareable collateral items, each with `files_per_item` distinct small files."""
    keys: list[str] = []
    with lib.transaction() as s:
        for n in range(count):
            lines = [
                f"• Benefit {k} of product line {n}: faster, clearer forecasts" for k in range(4)
            ]
            text = f"Product line {n}\n" + "\n".join(lines)
            files = [
                (
                    f"Product {n} sheet {k}.pdf",
                    _pdf_bytes(f"Product {n}", [*lines, f"file {k}"]),
                    "application/pdf",
                    text,
                )
                for k in range(files_per_item)
            ]
            keys.append(
                add_item(
                    lib,
                    s,
                    title=f"Product line {n} data sheet",
                    summary=f"How product line {n} helps finance and sales agree on one number.",
                    files=files,
                ).key
            )
    return keys
