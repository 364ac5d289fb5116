"""Full-text search of a Frontline library (the only package that imports whoosh).

    idx = open_index(lib)                       # rebuilds a missing/damaged/old index first
    res = idx.search(SearchRequest("cfo roi", filters={"stage": ["Proposal"]}))
    snips = idx.snippets(res.query_id, [h.key for h in res.hits[:10]])   # rows on screen
    keys = idx.keys(req)                        # every matching key, in search order (no titles)
    idx.drain()                                 # after library writes (the outbox)
    idx.close()

See `search.engine` for the ranking rule and thread rules, `search.query` for the query syntax.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from search.api import FACETS, MAX_QUERY_CHARS, SearchHit, SearchRequest, SearchResults

if TYPE_CHECKING:
    from search.engine import SearchIndex, open_index
    from search.schema import SCHEMA_VERSION


def __getattr__(name: str) -> Any:
    # Lazy: `main.py --help` imports search.cli, which must not load Whoosh or SQLAlchemy.
    if name in ("SearchIndex", "open_index"):
        from search import engine

        return getattr(engine, name)
    if name == "SCHEMA_VERSION":
        from search.schema import SCHEMA_VERSION

        return SCHEMA_VERSION
    raise AttributeError(f"module 'search' has no attribute {name!r}")


__all__ = [
    "FACETS",
    "MAX_QUERY_CHARS",
    "SCHEMA_VERSION",
    "SearchHit",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "open_index",
]
