"""Metadata search straight from library.db, used while the index is being rebuilt.

Matches words in titles, summaries and taxonomy names (no bodies, no stemming: a degraded but
honest answer), applies the same visibility rule and filters, and counts facets. Results carry
`degraded=True` and a message so the UI can say why bodies are not searched yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from library.core import Library
from library.models import Item, Term, item_terms
from search.analysis import facet_key, fold
from search.api import FACETS, SearchHit, SearchRequest, SearchResults
from search.schema import TAXONOMY_FACETS

MAX_CANDIDATES = 5000


@dataclass(slots=True)
class _Row:
    id: int
    key: str
    title: str
    summary: str
    kind: str
    format: str
    status: str
    audience: str
    language: str
    updated: float
    published: date | None
    expires: date | None
    terms: dict[str, list[str]] = field(default_factory=dict)

    def values(self, facet: str) -> list[str]:
        if facet in TAXONOMY_FACETS:
            return self.terms.get(facet, [])
        value = getattr(self, facet, "")
        return [value] if value else []


PARTNER_HIDDEN_FORMATS = frozenset({"battle-card"})  # internal guidance (library.sharing)


def visible(status: str, published: date | None, expires: date | None, today: date) -> bool:
    """The default visibility rule (approved and current), shared with the index path."""
    return (
        status == "approved"
        and (published is None or published <= today)
        and (expires is None or expires >= today)
    )


def metadata_search(lib: Library, req: SearchRequest, text: str, message: str) -> SearchResults:
    words = [fold(w) for w in re.findall(r"\w+", text) if len(w) >= 2][:20]
    today = date.today()
    with lib.reader() as s:
        q = select(
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
        )
        if words:
            conds = []
            for w in words:
                like = f"%{w}%"
                term_ids = (
                    select(item_terms.c.item_id).join(Term).where(Term.name_folded.like(like))
                )
                conds += [Item.title.ilike(like), Item.summary.ilike(like), Item.id.in_(term_ids)]
            q = q.where(or_(*conds))
        q = q.order_by(Item.updated_at.desc()).limit(MAX_CANDIDATES)
        rows = {
            r[0]: _Row(*r[:9], r[9].timestamp() if r[9] else 0.0, r[10], r[11])
            for r in s.execute(q)
        }
        if rows:
            ids = list(rows)
            for i in range(0, len(ids), 900):
                for item_id, tax, name in s.execute(
                    select(item_terms.c.item_id, Term.taxonomy, Term.name)
                    .join(Term, Term.id == item_terms.c.term_id)
                    .where(item_terms.c.item_id.in_(ids[i : i + 900]))
                ):
                    rows[item_id].terms.setdefault(tax, []).append(name)
    from library import users

    partner = users.role_of(lib) == "partner"  # partners: partner-shareable items only, always
    scored: list[tuple[float, _Row]] = []
    for row in rows.values():
        if (partner or not req.include_all) and not visible(
            row.status, row.published, row.expires, today
        ):
            continue
        if partner and (row.audience != "partner" or row.format in PARTNER_HIDDEN_FORMATS):
            continue
        if words:
            title = fold(row.title)
            rest = fold(row.summary + " " + " ".join(n for ns in row.terms.values() for n in ns))
            score = sum(3.0 * (w in title) + 1.5 * (w in rest) for w in words)
            if score <= 0:
                continue
        else:
            score = 0.0
        scored.append((score, row))
    wanted = {f: {facet_key(v) for v in vs} for f, vs in req.filters.items() if vs}

    def passes(row: _Row, skip: str | None = None) -> bool:
        return all(
            f == skip or any(facet_key(v) in keys for v in row.values(f))
            for f, keys in wanted.items()
        )

    facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    for _, row in scored:
        for f in FACETS:
            if not passes(row, skip=f):
                continue
            for v in row.values(f):
                facets[f][v] = facets[f].get(v, 0) + 1
    matched = [(sc, row) for sc, row in scored if passes(row)]
    if req.sort == "title":
        matched.sort(key=lambda x: x[1].title.casefold())
    elif req.sort == "updated" or not words:
        matched.sort(key=lambda x: -x[1].updated)
    else:
        matched.sort(key=lambda x: (-x[0], -x[1].updated))
    page = matched[req.offset : req.offset + req.limit]
    hits = [SearchHit(r.key, r.title, r.kind, r.format, round(sc, 4)) for sc, r in page]
    note = (
        "The search index is being rebuilt: for now only titles, summaries and tags are searched."
    )
    return SearchResults(
        query=text,
        total=len(matched),
        hits=hits,
        facets={
            f: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for f, c in facets.items()
        },
        message=" ".join(m for m in (message, note) if m),
        degraded=True,
    )
