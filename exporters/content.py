"""Everything an export prints, read from the library in one session into plain values.

The renderers (`leave_behind`, `pack`) never touch the database: they get a `LeaveBehindContent`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from library.branding import BrandKitInfo, PartnerInfo, brand_in, partner_info, partner_row
from library.models import Item, Meta, User
from library.vocab import label

if TYPE_CHECKING:
    from library.core import Library

# A readable order for a customer: the overview first, then detail, then proof, then the small
# print. Formats not listed come after, in the order the rep chose.
READING_ORDER: tuple[str, ...] = (
    "executive-brief",
    "one-pager",
    "brochure",
    "data-sheet",
    "white-paper",
    "pitch-deck",
    "case-study",
    "customer-reference",
    "roi-calculator",
    "pricing-sheet",
    "security-pack",
    "faq",
    "partner-kit",
)
MAX_KEY_POINTS = 5
_BULLET = re.compile(r"^\s*(?:[•·▪‣◦●○■□►▶✓✔➤→–—*+-]|\(?\d{1,2}[.)])\s+(?P<text>\S.*?)\s*$")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (vertical tabs and form feeds from
    extracted text, NULs...): python-docx refuses them and a DOCX must never fail on a title."""
    return _NOT_XML.sub("", text)


def long_date(d: date) -> str:
    """'25 November 2026': unambiguous in every country, independent of the process locale."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(slots=True)
class Contact:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass(slots=True)
class ExportFile:
    name: str
    sha256: str
    size: int
    media_type: str
    page_count: int | None
    source: Path  # the blob in the library's file store


@dataclass(slots=True)
class CaseStudyContent:
    customer: str
    industry: str
    challenge: str
    solution: str
    results: list[tuple[str, str]]  # (metric, value)
    quote: str
    quote_author: str


@dataclass(slots=True)
class ExportItem:
    key: str
    title: str
    summary: str
    kind: str
    format: str
    version: int
    audience: str
    expires_on: date | None
    industries: list[str] = field(default_factory=list)
    case_study: CaseStudyContent | None = None
    key_points: list[str] = field(default_factory=list)
    files: list[ExportFile] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return format_label(self.format)


_ACRONYMS = {"faq": "FAQ", "roi": "ROI", "tco": "TCO", "rfp": "RFP", "rfi": "RFI", "pdf": "PDF"}


def format_label(slug: str) -> str:
    """'roi-calculator' -> 'ROI calculator', 'faq' -> 'FAQ' (what a customer reads)."""
    words = label(slug).split(" ")
    out = [_ACRONYMS.get(w.casefold(), w) for w in words]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


@dataclass(slots=True)
class LeaveBehindContent:
    """One personalized leave-behind: who it is for, from whom, what it holds, until when."""

    customer: str
    brand: BrandKitInfo
    logo: Path | None
    partner: PartnerInfo | None
    partner_logo: Path | None
    rep: Contact
    items: list[ExportItem]
    prepared_on: date
    valid_until: date
    watermark: str
    intro: str
    library_id: str
    export_id: str
    reference_docx: Path | None = None

    @property
    def company(self) -> str:
        return self.brand.company_name

    @property
    def title(self) -> str:
        return f"Prepared for {self.customer}"

    def provenance(self) -> str:
        """The provenance line: library, export id and every item key with its version."""
        items = ", ".join(f"{i.key} v{i.version}" for i in self.items)
        return (
            f"Provenance: Frontline library {self.library_id or 'unknown'}, "
            f"export {self.export_id}; items {items}."
        )


def load_content(
    lib: Library,
    keys: list[str],
    *,
    customer: str,
    partner: str | None = None,
    watermark: str = "",
    intro: str = "",
    today: date | None = None,
) -> LeaveBehindContent:
    """Read the items `keys` (full keys, assumed shareable: check the rules first), the brand kit,
    the partner profile and the rep (the user whose name or email is `lib.actor`)."""
    today = today or date.today()
    with lib.reader() as s:
        rows = s.scalars(
            select(Item)
            .where(Item.key.in_(keys))
            .options(
                selectinload(Item.assets),
                selectinload(Item.terms),
                selectinload(Item.case_study),
            )
        ).all()
        by_key = {i.key: i for i in rows}
        items = [_export_item(by_key[k], lib) for k in keys if k in by_key]
        brand = brand_in(s)
        partner_profile = partner_info(partner_row(s, partner)) if partner else None
        rep = rep_contact(s, lib.actor)
        meta = s.get(Meta, "library_id")
        library_id = meta.value if meta else ""
    items = reading_order(items)
    valid_until = today + timedelta(days=brand.validity_days)
    for it in items:
        if it.expires_on is not None and it.expires_on < valid_until:
            valid_until = it.expires_on
    return LeaveBehindContent(
        customer=xml_safe(" ".join(customer.split())),
        brand=brand,
        logo=_blob(lib, brand.logo_sha256),
        partner=partner_profile,
        partner_logo=_blob(lib, partner_profile.logo_sha256) if partner_profile else None,
        rep=rep,
        items=items,
        prepared_on=today,
        valid_until=valid_until,
        watermark=xml_safe(" ".join(watermark.split())),
        intro=xml_safe(intro.strip()),
        library_id=library_id,
        export_id=str(uuid.uuid4()),
        reference_docx=_blob(lib, brand.reference_sha256),
    )


def reading_order(items: list[ExportItem]) -> list[ExportItem]:
    rank = {f: n for n, f in enumerate(READING_ORDER)}
    return sorted(items, key=lambda i: rank.get(i.format, len(rank)))  # stable: keeps rep order


def _blob(lib: Library, digest: str | None) -> Path | None:
    if not digest:
        return None
    path = lib.store.path_for(digest)
    return path if path.is_file() else None


def rep_contact(session: Any, actor: str) -> Contact:
    """The user `actor` (name or e-mail, any case) as printed on the cover: name, title, e-mail
    and phone from the user profile; just the name when the library does not know them."""
    folded = " ".join(actor.split()).casefold()
    user = session.scalar(
        select(User).where((func.lower(User.name) == folded) | (func.lower(User.email) == folded))
    )
    if user is None:
        return Contact(name=xml_safe(actor.strip()) or "Your account team")
    return Contact(
        name=xml_safe(user.name),
        title=xml_safe(user.title),
        email=xml_safe(user.email),
        phone=xml_safe(user.phone),
    )


def _export_item(item: Item, lib: Library) -> ExportItem:
    cs = None
    if item.case_study is not None:
        c = item.case_study
        cs = CaseStudyContent(
            customer=xml_safe(c.customer),
            industry=xml_safe(c.industry),
            challenge=xml_safe(c.challenge.strip()),
            solution=xml_safe(c.solution.strip()),
            results=_results(c.results),
            quote=xml_safe(c.quote.strip()),
            quote_author=xml_safe(c.quote_author.strip()),
        )
    texts = [a.text for a in item.assets if a.text]
    summary = item.summary.strip() or _first_paragraph(texts, item.title)
    return ExportItem(
        key=item.key,
        title=xml_safe(item.title),
        summary=xml_safe(summary),
        kind=item.kind,
        format=item.format,
        version=item.version,
        audience=item.audience,
        expires_on=item.expires_on,
        industries=[xml_safe(t.name) for t in item.terms if t.taxonomy == "industry"],
        case_study=cs,
        key_points=[] if cs else key_points(texts, item.title, summary),
        files=[
            ExportFile(
                name=xml_safe(a.original_name),
                sha256=a.sha256,
                size=a.size,
                media_type=a.media_type,
                page_count=a.page_count,
                source=lib.store.path_for(a.sha256),
            )
            for a in item.assets
        ],
    )


def _results(raw: Any) -> list[tuple[str, str]]:
    """Case-study results as (metric, value) rows; tolerates plain strings and odd shapes."""
    rows: list[tuple[str, str]] = []
    for r in raw or []:
        if isinstance(r, dict):
            metric = xml_safe(str(r.get("metric", "") or "").strip())
            value = xml_safe(str(r.get("value", "") or "").strip())
            if metric or value:
                rows.append((metric, value))
        elif str(r).strip():
            rows.append((xml_safe(str(r).strip()), ""))
    return rows


def key_points(
    texts: list[str], title: str, summary: str, limit: int = MAX_KEY_POINTS
) -> list[str]:
    """Up to `limit` key points from the files' extracted text (pages split by form feeds).

    Bullet lines win. PDF text often loses its bullet glyphs, so without two bullets the layout
    is read instead: a short heading followed by two or more one-sentence paragraphs is a list
    ("What changes: / Forecast variance falls... / Commission expense is..."), and a short label
    followed by one sentence is a feature ("Pipeline inspection: Deal-level changes since...")."""
    seen = {title.casefold(), summary.casefold()}
    bullets = _bullet_points(texts, seen, limit)
    if len(bullets) >= 2:
        return bullets
    return _layout_points(texts, seen, limit) or _questions(texts, seen, limit) or bullets


def _questions(texts: list[str], seen: set[str], limit: int) -> list[str]:
    """An FAQ's questions (lines that end with '?'), when there are at least two."""
    found: list[str] = []
    for text in texts:
        for line in text.replace("\f", "\n").splitlines():
            line = " ".join(line.split())
            question = 12 <= len(line) <= 160 and line.endswith("?") and line[0].isupper()
            if question and line.casefold() not in seen and not _INTERNAL_NOTE.search(line):
                seen.add(line.casefold())
                found.append(xml_safe(line))
                if len(found) >= limit:
                    return found
    return found if len(found) >= 2 else []


def _bullet_points(texts: list[str], seen: set[str], limit: int) -> list[str]:
    seen = set(seen)
    points: list[str] = []
    for text in texts:
        for page in text.split("\f"):
            for line in page.splitlines():
                m = _BULLET.match(line)
                if not m:
                    continue
                point = xml_safe(shorten(m.group("text"), 220))
                if len(point) < 8 or point.casefold() in seen or _INTERNAL_NOTE.search(point):
                    continue
                seen.add(point.casefold())
                points.append(point)
                if len(points) >= limit:
                    return points
    return points


_BOILERPLATE = re.compile(
    r"^(page \d+( of \d+)?|.*all rights reserved\.?|.*\|.*|©.*|\d+)$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?)\u201d\"]$")
_FIRST_SENTENCE = re.compile(r"^(.{30,}?[.!?])\s+(?=[A-Z\u00c0-\u024f])")


_INTERNAL_NOTE = re.compile(
    r"internal use only|internal only|do not (send|share|forward|distribute)|not for distribution",
    re.IGNORECASE,
)
MAX_LIST_ITEM = 200  # a list item longer than this is prose, not a lost bullet


def _is_label(line: str, max_words: int) -> bool:
    """A short heading or feature name; ALL-CAPS lines are eyebrows and running heads."""
    words = line.split()
    return (
        0 < len(words) <= max_words
        and len(line) <= 48
        and line[0].isupper()
        and not (line.isupper() and len(line) > 3)
        and not re.search(r"[.!?:;,]$", line)
        and any(c.isalpha() for c in line)
    )


def _is_sentence(line: str) -> bool:
    return (
        len(line) >= 30
        and bool(_SENTENCE_END.search(line))
        and (line[0].isupper() or line[0].isdigit())
    )


def _layout_points(texts: list[str], seen: set[str], limit: int) -> list[str]:
    points: list[str] = []

    def add(point: str) -> bool:
        point = xml_safe(shorten(point, 220))
        if point.casefold() not in seen and not _INTERNAL_NOTE.search(point):
            seen.add(point.casefold())
            points.append(point)
        return len(points) >= limit

    for text in texts:
        for page in text.split("\f"):
            lines = [" ".join(x.split()) for x in page.splitlines()]
            lines = [x for x in lines if x and not _BOILERPLATE.match(x)]
            n = 0
            while n < len(lines):
                line = lines[n]
                if not _is_label(line, 8) or line.casefold() in seen:  # the title heads the intro
                    n += 1
                    continue
                run = n + 1
                while run < len(lines) and _is_sentence(lines[run]):
                    run += 1
                count = run - n - 1
                items = lines[n + 1 : run]
                if count >= 2 and all(len(x) <= MAX_LIST_ITEM for x in items):
                    # a heading over a list that lost its bullets
                    for sentence in items:
                        if add(sentence):
                            return points
                elif (
                    count == 1
                    and _is_label(line, 4)
                    and (run == len(lines) or _is_label(lines[run], 8))
                ):  # a feature label and its one-sentence description
                    m = _FIRST_SENTENCE.match(lines[n + 1])
                    first = m.group(1) if m else lines[n + 1]
                    if add(f"{line}: {first}"):
                        return points
                n = max(run, n + 1)
    return points


def _first_paragraph(texts: list[str], title: str) -> str:
    for text in texts:
        for para in re.split(r"\n\s*\n|\f", text):
            para = " ".join(para.split())
            if len(para) >= 60 and para.casefold() != title.casefold():
                return shorten(para, 400)
    return ""


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–")
    return cut + "…"
