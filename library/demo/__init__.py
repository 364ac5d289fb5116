"""The demo library: a fictional company's sales content as real files plus the catalog that
describes them (titles, kinds, formats, lifecycle, taxonomy tags, structured sections).

`build_demo(dest)` writes the files (PDF, DOCX, PPTX, XLSX, TXT) under `dest` and returns a
`DemoCatalog`; `library.demo.loader` imports it into a library through the normal importer path.
The catalog also carries the brand kit and the partner profiles exports use, with their logos
drawn at build time (`logos`) under `dest/brand/`.
The content lives in `content` (data) and the file writers in `render`. Dates are relative to
`today`, so a demo built on any day has items that are new, expiring soon, expired and overdue
for verification. Needs fpdf2, python-docx, python-pptx and openpyxl; never Qt.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from library.demo import content, logos, render
from library.vocab import FORMATS

__all__ = ["DemoCatalog", "DemoItem", "DemoPartner", "DemoPersona", "DemoUser", "build_demo"]

BATTLE_CARD_VERIFY_DAYS = 60  # cards are re-verified every 60-90 days (PRODUCT.md)
CASE_STUDY_VERIFY_DAYS = 365  # customer stories: confirm the customer still agrees yearly


@dataclass(frozen=True, slots=True)
class DemoPersona:
    name: str
    titles: str
    seniority: str
    department: str
    buying_role: str
    goals: str
    pains: str
    objections: str
    needs_to_see: str
    channels: str


@dataclass(frozen=True, slots=True)
class DemoUser:
    name: str
    title: str
    email: str
    phone: str
    region: str
    role: str  # admin | marketer | reviewer | rep | partner


@dataclass(frozen=True, slots=True)
class DemoPartner:
    """A reseller profile: `values` are `library.branding.PARTNER_TEXT_FIELDS` (not the name)."""

    name: str
    values: dict[str, str]
    logo: Path


@dataclass(slots=True)
class DemoItem:
    """One catalog item and the real files `build_demo` wrote for it."""

    files: list[Path]
    title: str
    summary: str
    kind: str  # vocab.Kind slug
    format: str  # vocab.FORMATS slug
    status: str = "approved"
    audience: str = "customer"
    owner: str = ""  # a DemoUser name
    language: str = "en"
    personas: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: date | None = None
    expires_on: date | None = None
    verify_by: date | None = None
    version: int = 1
    change_note: str = ""
    case_study: dict[str, Any] | None = None
    battle_card: dict[str, Any] | None = None


@dataclass(slots=True)
class DemoCatalog:
    company: str
    products: list[str]
    competitors: list[str]
    industries: list[str]
    regions: list[str]
    stages: list[str]
    personas: list[DemoPersona]
    users: list[DemoUser]
    items: list[DemoItem]
    # Flags and requests from the field (library.feedback): kind, item (title), category,
    # text, query, by, created_at, status, answer, answered_by, answered_at.
    feedback: list[dict[str, Any]] = field(default_factory=list)
    # The brand kit (`library.branding.BRAND_TEXT_FIELDS`, as typed) and its logo file.
    brand: dict[str, str] = field(default_factory=dict)
    brand_logo: Path | None = None
    partners: list[DemoPartner] = field(default_factory=list)


def build_demo(dest: Path, *, today: date | None = None) -> DemoCatalog:
    """Write the demo's real files under `dest` (created) and return the catalog describing them.

    Deterministic for a given `today` (default: the local date): same items, same text, same
    dates. Existing files with the same names are overwritten."""
    today = today or date.today()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    items: list[DemoItem] = []
    written: set[Path] = set()
    for piece in content.pieces():
        item = _item(piece, today)
        ctx = render.RenderContext(content.COMPANY, today, _filler(item))
        for spec in piece.files:
            path = render.write(spec, dest, ctx)
            if path in written:  # two items would share one file: a content bug
                raise ValueError(f"demo file {spec.name} is written by two items")
            written.add(path)
            item.files.append(path)
        items.append(item)
    brand_logo, partners = _brand_files(dest)
    return DemoCatalog(
        company=content.COMPANY,
        products=list(content.PRODUCTS),
        competitors=list(content.COMPETITORS),
        industries=list(content.INDUSTRIES),
        regions=list(content.REGIONS),
        stages=list(content.STAGES),
        personas=[DemoPersona(**p) for p in content.PERSONAS],
        users=[DemoUser(**u) for u in content.USERS],
        items=items,
        feedback=[_feedback(f, today) for f in content.FEEDBACK],
        brand=dict(content.BRAND_KIT),
        brand_logo=brand_logo,
        partners=partners,
    )


# Who draws each partner's logo (content.PARTNER_PROFILES names them).
_PARTNER_LOGOS = {"Northgate Solutions": logos.northgate_logo}


def _brand_files(dest: Path) -> tuple[Path, list[DemoPartner]]:
    """Draw the company's and the partners' logos under `dest/brand/`."""
    folder = dest / "brand"
    folder.mkdir(exist_ok=True)
    ours = folder / "lumenfield-logo.png"
    ours.write_bytes(logos.lumenfield_logo())
    partners = []
    for spec in content.PARTNER_PROFILES:
        name = spec["name"]
        draw = _PARTNER_LOGOS.get(name)
        if draw is None:  # a content bug: every demo partner has a logo
            raise ValueError(f"demo partner {name} has no logo")
        logo = folder / f"{'-'.join(name.lower().split())}-logo.png"
        logo.write_bytes(draw())
        values = {k: v for k, v in spec.items() if k != "name"}
        partners.append(DemoPartner(name=name, values=values, logo=logo))
    return ours, partners


def _feedback(spec: dict[str, Any], today: date) -> dict[str, Any]:
    def at(days: int | None) -> datetime | None:
        if days is None:
            return None
        return datetime.combine(today - timedelta(days=days), time(10, 30))

    return {
        "kind": spec["kind"],
        "item": spec.get("item"),
        "category": spec.get("category", ""),
        "text": spec.get("text", ""),
        "query": spec.get("query", ""),
        "by": spec["by"],
        "created_at": at(spec["days_ago"]),
        "status": spec.get("status", "open"),
        "answer": spec.get("answer", ""),
        "answered_by": spec.get("answered_by", ""),
        "answered_at": at(spec.get("answered_days_ago")),
    }


def _item(piece: content.Piece, today: date) -> DemoItem:
    """The catalog entry for `piece`, with its dates resolved against `today` (no files yet)."""

    def days(n: int | None, sign: int) -> date | None:
        return None if n is None else today + timedelta(days=sign * n)

    published_at = days(piece.published_ago, -1)
    verify_by = days(piece.verify_in, +1)
    battle_card = copy.deepcopy(piece.battle_card)
    case_study = copy.deepcopy(piece.case_study)
    if battle_card is not None:
        last_verified = days(piece.last_verified_ago, -1) or published_at or today
        battle_card["last_verified"] = last_verified
        verify_by = last_verified + timedelta(days=BATTLE_CARD_VERIFY_DAYS)
    elif case_study is not None:
        verify_by = published_at + timedelta(days=CASE_STUDY_VERIFY_DAYS) if published_at else None
    return DemoItem(
        files=[],
        title=piece.title,
        summary=piece.summary,
        kind=piece.kind or FORMATS[piece.format].value,
        format=piece.format,
        status=piece.status,
        audience=piece.audience,
        owner=piece.owner,
        language=piece.language,
        personas=list(piece.personas),
        stages=list(piece.stages),
        products=list(piece.products),
        industries=list(piece.industries),
        regions=list(piece.regions),
        competitors=list(piece.competitors),
        tags=list(piece.tags),
        published_at=published_at,
        expires_on=days(piece.expires_in, +1),
        verify_by=verify_by,
        version=piece.version,
        change_note=piece.change_note,
        case_study=case_study,
        battle_card=battle_card,
    )


def _long_date(d: date | None, fallback: str) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else fallback


def _filler(item: DemoItem) -> render.Fill:
    """Replaces {{published_at}}, {{expires_on}}, {{verify_by}}, {{last_verified}} in copy."""
    last_verified = (item.battle_card or {}).get("last_verified")
    tokens = {
        "{{published_at}}": _long_date(item.published_at, "publication"),
        "{{expires_on}}": _long_date(item.expires_on, "the end of the programme year"),
        "{{verify_by}}": _long_date(item.verify_by, "the next review"),
        "{{last_verified}}": _long_date(last_verified, "not yet verified"),
    }

    def fill(text: str) -> str:
        if "{{" not in text:
            return text
        for token, value in tokens.items():
            text = text.replace(token, value)
        return text

    return fill
