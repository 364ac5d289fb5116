"""Values of the search API (engine-independent; no whoosh here).

Two-phase search: `SearchIndex.search(request)` returns ids, titles, scores and facet counts fast;
`SearchIndex.snippets(query_id, keys)` then highlights only the rows on screen. A `query_id`
lets the UI drop stale snippet answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_QUERY_CHARS = 1000  # longer input is cut (the parser is quadratic on pathological input)

# Facets reported for every query, in display order.
FACETS: tuple[str, ...] = (
    "persona",
    "stage",
    "kind",
    "format",
    "product",
    "industry",
    "competitor",
    "audience",
    "language",
    "status",
    "region",
    "tag",
)


@dataclass(slots=True)
class SearchRequest:
    text: str = ""  # what the user typed; "" = everything (browse by facets)
    filters: dict[str, list[str]] = field(
        default_factory=dict
    )  # facet -> values (OR within, AND across)
    include_all: bool = False  # marketers: drafts, retired and expired items too
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"  # relevance | updated | title
    as_you_type: bool = False  # treat the last word as a prefix
    with_snippets: bool = False  # phase 2 inline (CLI); the UI asks for snippets separately


@dataclass(slots=True)
class SearchHit:
    key: str
    title: str
    kind: str
    format: str
    score: float
    snippet: str = ""  # HTML-escaped text, highlighted terms wrapped in <b>…</b>; "" until asked
    file: str = ""  # name of the file the snippet comes from
    page: int | None = None  # 1-based page/slide/sheet of the snippet, for paged files


@dataclass(slots=True)
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None  # "did you mean" (the whole corrected query), or None
    query_id: int = 0
    message: str = ""  # e.g. "Your query was shortened to 1,000 characters."
    degraded: bool = False  # True while the index is rebuilding: metadata-only results
