"""The index schema and how an item becomes an index document.

The index is derived from library.db and stores no bodies: only what a result row shows (key,
title, kind, format) and a fingerprint for drift checks. Bump `SCHEMA_VERSION` whenever fields,
analyzers or document building change; an index of another version is rebuilt on open.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pickle import dumps as _dumps
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import fields, formats
from whoosh.system import pack_uint as _pack_uint

from library.models import Asset, BattleCard, CaseStudy, Item, Term, item_terms
from search.analysis import FACET_SEPARATOR, FacetAnalyzer, TextAnalyzer

SCHEMA_VERSION = 1

# Free-text fields searched by plain words, with their query-time weights. `body` holds ALL the
# item's text (title, summary, taxonomy names and files), and `title` and `meta` (summary, case-
# study/battle-card text, taxonomy names) add a bonus on top, so a word counts: title 1.3 >
# summary and tags 1.2 > files 1.0. Measured on SciFact through
# bench/relevance.py: separate fields with title x2.5 scored 0.601 nDCG@10; all-text + title
# x0.3 scored 0.688 (all-text alone 0.682), because a short title field's BM25 scores are
# already high and multiplying them lets a single title word outrank the body's evidence.
TEXT_FIELDS: dict[str, float] = {"body": 1.0, "title": 0.3, "meta": 0.2}

# Facet -> index field. Taxonomies (many-to-many terms) and the item's own enum columns.
TAXONOMY_FACETS: tuple[str, ...] = (
    "persona",
    "stage",
    "product",
    "industry",
    "region",
    "competitor",
    "tag",
)
COLUMN_FACETS: tuple[str, ...] = ("kind", "format", "status", "audience", "language")
FACET_FIELDS: tuple[str, ...] = TAXONOMY_FACETS + COLUMN_FACETS
# Date keys (YYYYMMDD or "none"), compared with today at query time, never at index time.
DATE_FIELDS: tuple[str, ...] = ("published", "expires", "fresh")
NO_DATE = "none"
# A battle card verified within this many days counts as recently verified (ranking boost).
VERIFIED_FRESH_DAYS = 90

PAGE_BREAK = "\f"  # between pages/slides/sheets of one asset (library.models.Asset.text)


class FastPositions(formats.Positions):
    """Whoosh's Positions format (same bytes on disk), fed by `TextAnalyzer.positions()`
    instead of a Token stream: the generic path cost ~5 us per token while indexing."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(analyzer, TextAnalyzer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        for term, poslist in analyzer.positions(value).items():
            n = len(poslist)
            if n == 1:
                deltas = poslist
            else:
                deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
            yield term, n, n * fb, _pack_uint(n) + _dumps(deltas, 2)


def build_schema() -> fields.Schema:
    text_an = TextAnalyzer()
    facet_an = FacetAnalyzer()

    def text(stored: bool = False) -> fields.TEXT:
        # multitoken_query="phrase": a "word" that analyses into several terms (CJK bigrams,
        # "AI技術") must match them adjacent, not anywhere in the document.
        f = fields.TEXT(analyzer=cast(Any, text_an), stored=stored, multitoken_query="phrase")
        f.format = FastPositions()
        return f

    def facet(stored: bool = False) -> fields.KEYWORD:
        return fields.KEYWORD(analyzer=cast(Any, facet_an), stored=stored, scorable=False)

    spec: dict[str, Any] = {
        "key": fields.ID(stored=True, unique=True),
        "title": text(stored=True),
        "meta": text(),
        "body": text(),
        "title_sort": fields.ID(sortable=True),
        "updated": fields.NUMERIC(int, bits=64, sortable=True, signed=False),
        "stamp": fields.STORED(),
    }
    for name in FACET_FIELDS:
        spec[name] = facet(stored=name in ("kind", "format"))
    for name in DATE_FIELDS:
        spec[name] = facet()
    return fields.Schema(**spec)


# -- documents ----------------------------------------------------------------------------------
@dataclass(slots=True)
class ItemRecord:
    """What the index needs of one item, read with plain SQL (no ORM objects)."""

    id: int
    key: str
    title: str
    summary: str
    kind: str
    format: str
    status: str
    audience: str
    language: str
    updated_at: datetime
    published_at: date | None
    expires_on: date | None
    verify_by: date | None
    version: int
    terms: dict[str, list[str]] = field(default_factory=dict)
    assets: list[tuple[str, str, int, str]] = field(default_factory=list)  # name, sha, chars, text
    details: list[str] = field(default_factory=list)  # case-study / battle-card text
    last_verified: date | None = None

    def stamp(self) -> str:
        """Fingerprint of everything indexed, computable without reading asset texts."""
        payload = [
            self.title,
            self.summary,
            self.kind,
            self.format,
            self.status,
            self.audience,
            self.language,
            self.updated_at.isoformat(),
            str(self.published_at),
            str(self.expires_on),
            str(self.verify_by),
            str(self.last_verified),
            self.version,
            sorted((k, sorted(v)) for k, v in self.terms.items()),
            [(a[0], a[1], a[2]) for a in self.assets],
            self.details,
        ]
        raw = json.dumps(payload, ensure_ascii=False, default=str).encode()
        return hashlib.blake2b(raw, digest_size=12).hexdigest()


def _day(d: date | None) -> str:
    return d.strftime("%Y%m%d") if d else NO_DATE


def _fresh_until(rec: ItemRecord) -> date | None:
    """Until when the item counts as recently verified: its verify-by date, or 90 days after
    its battle card was last verified, whichever is later."""
    dates = [d for d in (rec.verify_by,) if d]
    if rec.last_verified:
        dates.append(rec.last_verified + timedelta(days=VERIFIED_FRESH_DAYS))
    return max(dates) if dates else None


def to_document(rec: ItemRecord) -> dict[str, Any]:
    """The index document of one item (asset texts must have been loaded)."""
    files = f"\n{PAGE_BREAK}\n".join(a[3] for a in rec.assets if a[3])
    term_names = [n for names in rec.terms.values() for n in names]
    summary = "\n".join([rec.summary, *rec.details]) if rec.details else rec.summary
    body = "\n".join([rec.title, summary, *term_names, files])
    doc: dict[str, Any] = {
        "key": rec.key,
        "title": rec.title,
        "meta": "\n".join([summary, *term_names]),
        "body": body,
        "title_sort": rec.title.casefold()[:200] or "~",
        "updated": int(rec.updated_at.timestamp()) if rec.updated_at else 0,
        "stamp": rec.stamp(),
        "kind": rec.kind,
        "format": rec.format,
        "status": rec.status,
        "audience": rec.audience,
        "published": _day(rec.published_at),
        "expires": _day(rec.expires_on),
        "fresh": _day(_fresh_until(rec)),
    }
    if rec.language:
        doc["language"] = rec.language
    for tax in TAXONOMY_FACETS:
        names = rec.terms.get(tax)
        if names:
            doc[tax] = FACET_SEPARATOR.join(names)
    return doc


def _details(cs: Any | None, bc: Any | None) -> list[str]:
    out: list[str] = []
    if cs is not None:
        out += [cs.customer, cs.industry, cs.challenge, cs.solution, cs.quote, cs.quote_author]
        for r in cs.results or []:
            out.append(" ".join(str(v) for v in r.values()) if isinstance(r, dict) else str(r))
    if bc is not None:
        for lst in (bc.why_we_win, bc.why_we_lose, bc.landmines, bc.proof_points):
            out += [str(x) for x in lst or []]
        for o in bc.objections or []:
            out.append(" ".join(str(v) for v in o.values()) if isinstance(o, dict) else str(o))
        out.append(bc.pricing_notes or "")
    return [t for t in out if t]


def load_records(
    session: Session, item_ids: list[int], *, with_text: bool = True
) -> list[ItemRecord]:
    """Records of the given items (missing ids are skipped), in id order."""
    if not item_ids:
        return []
    recs: dict[int, ItemRecord] = {}
    for r in session.execute(
        select(
            Item.id,
            Item.key,
            Item.title,
            Item.summary,
            Item.kind,
            Item.format,
            Item.status,
            Item.audience,
            Item.language,
            Item.updated_at,
            Item.published_at,
            Item.expires_on,
            Item.verify_by,
            Item.version,
        ).where(Item.id.in_(item_ids))
    ):
        recs[r.id] = ItemRecord(*r)  # type: ignore[call-arg]
    for item_id, tax, name in session.execute(
        select(item_terms.c.item_id, Term.taxonomy, Term.name)
        .join(Term, Term.id == item_terms.c.term_id)
        .where(item_terms.c.item_id.in_(item_ids))
        .order_by(Term.position, Term.name)
    ):
        recs[item_id].terms.setdefault(tax, []).append(name)
    text_col = Asset.text if with_text else Asset.text_chars
    for item_id, name, sha, chars, text in session.execute(
        select(Asset.item_id, Asset.original_name, Asset.sha256, Asset.text_chars, text_col)
        .where(Asset.item_id.in_(item_ids))
        .order_by(Asset.item_id, Asset.position, Asset.id)
    ):
        recs[item_id].assets.append((name, sha, chars, str(text) if with_text else ""))
    for cs in session.scalars(select(CaseStudy).where(CaseStudy.item_id.in_(item_ids))):
        recs[cs.item_id].details = _details(cs, None)
    for bc in session.scalars(select(BattleCard).where(BattleCard.item_id.in_(item_ids))):
        recs[bc.item_id].details += _details(None, bc)
        recs[bc.item_id].last_verified = bc.last_verified
    return [recs[i] for i in sorted(recs)]


def ids_for_keys(session: Session, keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    out: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        for key, item_id in session.execute(
            select(Item.key, Item.id).where(Item.key.in_(keys[i : i + 500]))
        ):
            out[key] = item_id
    return out


def iter_item_ids(session: Session, chunk: int) -> Iterator[list[int]]:
    """All item ids in chunks (keyset pagination: no OFFSET scans, no list of 50k ids)."""
    last = 0
    while True:
        ids = list(
            session.scalars(select(Item.id).where(Item.id > last).order_by(Item.id).limit(chunk))
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
