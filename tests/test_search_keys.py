"""`SearchIndex.keys(req)`: every matching key in the order of `search(req)`, keys only.

The UI sorts a whole result list by popularity (and pages the id list) with it, so it must
agree with `search` exactly: same items (visibility, filters, query rules), same order."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from whoosh import query as wq

from library import users
from library.core import Library
from library.models import Item
from search import SearchRequest, open_index
from search.docsets import MaskSet
from search.engine import SearchIndex
from search.testing import add_item, delete_item, edit_item

WORDS = ["pricing", "security", "integration", "onboarding", "renewal", "discount"]


def _fill(lib: Library) -> list[str]:
    """36 items: words in varied amounts (ranking ties too), personas, a few drafts and
    internal/partner audiences, and groups sharing one `updated` second and one title."""
    keys = []
    for n in range(36):
        words = [WORDS[(n + i) % len(WORDS)] for i in range(1 + n % 4)]
        keys.append(
            add_item(
                lib,
                f"Sheet {n % 9}" if n % 3 else f"{WORDS[n % 6].title()} guide {n}",
                " ".join(words * (1 + n % 3)) + " common words here",
                status="draft" if n % 7 == 0 else "approved",
                audience=("customer", "partner", "internal")[n % 3],
                terms={"persona": [("CFO", "CTO", "CISO")[n % 3]]},
            )
        )
    with lib.transaction() as s:  # equal sort values: the tie order matters as well
        s.execute(update(Item).values(updated_at=datetime(2026, 3, 1, 12, 0, 0)))
        s.execute(
            update(Item).where(Item.key.in_(keys[::5])).values(updated_at=datetime(2026, 4, 1))
        )
        for key in keys:
            lib.mark_dirty(s, key)
    return keys


REQUESTS = [
    SearchRequest(""),
    SearchRequest("", sort="updated"),
    SearchRequest("", sort="title"),
    SearchRequest("pricing"),
    SearchRequest("pricing security onboarding"),
    SearchRequest("pricing", sort="title"),
    SearchRequest("security", sort="updated"),
    SearchRequest('"common words"'),
    SearchRequest("common -pricing"),
    SearchRequest("inte", as_you_type=True),
    SearchRequest("renewal", filters={"persona": ["CFO", "CISO"]}),
    SearchRequest("", filters={"persona": ["CTO"]}, sort="title"),
    SearchRequest("discount", include_all=True),
    SearchRequest("", include_all=True),
    SearchRequest("zzqx nothing"),
]


def _hits(idx: SearchIndex, req: SearchRequest) -> list[str]:
    return [h.key for h in idx.search(replace(req, limit=1000, offset=0)).hits]


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.text!r}-{r.sort}")
def test_keys_are_the_search_hits_in_the_same_order(lib: Library, req: SearchRequest) -> None:
    _fill(lib)
    with open_index(lib) as idx:
        res = idx.search(replace(req, limit=1000))
        expected = [h.key for h in res.hits]
        assert idx.keys(req) == expected
        assert len(expected) == res.total
        # limit and offset do not cut the list
        assert idx.keys(replace(req, limit=3, offset=2)) == expected


def test_sorted_results_keep_the_order_of_whooshs_sorting_collector(lib: Library) -> None:
    """GIVEN items sharing an updated time and a title WHEN sorted by updated or title THEN
    the order (ties included) is the one Whoosh's own `sortedby` search gives."""
    _fill(lib)
    with open_index(lib) as idx:
        for sort, field, reverse in (("updated", "updated", True), ("title", "title_sort", False)):
            for text in ("", "pricing"):
                req = SearchRequest(text, sort=sort, include_all=True, limit=1000)
                ours = _hits(idx, req)
                with idx._lock:
                    searcher = idx._searcher
                    ds = idx._ds()
                    q = idx.builder.parse(text, idx._expander()).query
                    mask = ds.query(q, searcher) if q is not None else ds.live()
                    theirs = searcher.search(
                        q if q is not None else wq.Every(),
                        limit=None,
                        filter=MaskSet(mask),
                        sortedby=field,
                        reverse=reverse,
                    )
                    whoosh = [searcher.stored_fields(h.docnum)["key"] for h in theirs]
                assert ours == whoosh and len(ours) > 5


def test_keys_follow_edits_and_deletions(lib: Library) -> None:
    """GIVEN an index already asked for keys (per-segment key cache) WHEN items are edited
    (the old copies deleted in the cached segment) and one is deleted THEN keys() lists each
    live item once, as search does."""
    keys = _fill(lib)
    with open_index(lib) as idx:
        before = idx.keys(SearchRequest("", include_all=True))
        assert sorted(before) == sorted(keys)
        edit_item(lib, keys[1], title="Pricing renewal special")
        edit_item(lib, keys[2], body="security security security")
        delete_item(lib, keys[3])
        idx.drain()
        for req in (
            SearchRequest("", include_all=True),
            SearchRequest("pricing renewal", include_all=True),
            SearchRequest("security", include_all=True, sort="updated"),
        ):
            got = idx.keys(req)
            assert got == _hits(idx, req)
            assert len(got) == len(set(got)) and keys[3] not in got
        assert idx.keys(SearchRequest("", include_all=True, sort="updated"))[0] in keys[1:3]


def test_keys_respect_what_a_partner_may_see(tmp_path: Path) -> None:
    """GIVEN partner, customer and internal items, a draft and a battle card WHEN a partner asks
    for every key, even with include_all THEN only approved partner items that are not battle
    cards are listed, as search lists them."""
    with Library.open(tmp_path / "lib") as lib:
        users.add_user(lib, "Pat Partner", "partner")
        kit = add_item(lib, "Partner kit", "pricing for resellers", audience="partner")
        add_item(lib, "Customer pricing", "pricing for customers", audience="customer")
        add_item(lib, "Internal pricing", "pricing internals", audience="internal")
        add_item(lib, "Draft pricing", "pricing", audience="partner", status="draft")
        add_item(
            lib,
            "Card",
            "pricing",
            audience="partner",
            format="battle-card",
            kind="competitor-insight",
        )
        with open_index(lib) as idx:
            assert len(idx.keys(SearchRequest("pricing", include_all=True))) == 5  # the admin
            lib.actor = "Pat Partner"
            for req in (SearchRequest("pricing"), SearchRequest("", include_all=True)):
                assert idx.keys(req) == _hits(idx, req) == [kit]


def test_keys_while_the_index_is_rebuilding_come_from_metadata(lib: Library) -> None:
    keys = _fill(lib)
    idx = open_index(lib, rebuild="never")  # no index yet: metadata results
    try:
        assert idx.state == "rebuilding"
        req = SearchRequest("", include_all=True)
        got = idx.keys(req)
        assert sorted(got) == sorted(keys) and got == _hits(idx, req)
    finally:
        idx.close()
