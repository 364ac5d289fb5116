"""Runs searches for the main window: debounced type-ahead, two-phase results, stale answers
dropped (calibre's FTS UI).

Phase 1 (a read op): `index.search()` -> keys, total and facet counts, plus the summaries of the
first screen of rows so the list paints complete. Phase 2 (more read ops, asked for by the model
when rows become visible): summaries and `index.snippets(query_id, keys)` of just those rows.
Each search gets a new *generation*; every answer names its generation and anything older than
the current one is dropped, so fast typing never shows the results of a previous keystroke.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from library import items
from library.popularity import popularity
from library.values import ItemSummary
from search.api import MAX_QUERY_CHARS, SearchHit, SearchRequest, SearchResults
from ui.library_gaps import item_blurbs
from ui.ops import Task, Workers
from ui.results_model import ResultsModel

log = logging.getLogger(__name__)

TYPING_DEBOUNCE_MS = 60  # short: phase 1 takes ~10-40 ms at 10k items, typing should feel live
FIRST_PAGE = 120  # hits fetched with the search; the rest of the id list only on scroll
FIRST_SCREEN = 30  # summaries fetched with the search (the rows a window shows)
SUGGEST_BELOW = 3  # "did you mean" when a query finds fewer results than this
SORTS = ("relevance", "updated", "title", "popularity")
POPULARITY_DAYS = 90  # "most used" counts uses within this many days
POPULARITY_TTL_S = 60.0  # counts of a long result list are reused this long (see PopularityCache)
PREFETCH_AFTER_MS = 800


class PopularityCache:
    """Uses per item for the "Most used" sort. A short result list is counted fresh (an
    indexed look-up of its keys, a few ms); a long one reuses the counts of every used item for
    up to POPULARITY_TTL_S seconds (one grouped scan of the usage tables: ~0.2 s with 200,000
    events), so typing with this sort does not re-count on every keystroke. `forget()` after a
    write or a recorded use. Called on the read worker; the cached dict is replaced, never
    mutated, so the GUI thread's `forget()` needs no lock."""

    FRESH_BELOW = 500

    def __init__(self) -> None:
        self._all: tuple[float, dict[str, int]] | None = None

    def counts(self, lib: Any, keys: list[str]) -> dict[str, int]:
        if len(keys) <= self.FRESH_BELOW:
            return popularity(lib, keys, days=POPULARITY_DAYS)
        cached = self._all
        if cached is None or time.monotonic() - cached[0] > POPULARITY_TTL_S:
            cached = (time.monotonic(), popularity(lib, None, days=POPULARITY_DAYS))
            self._all = cached
        return cached[1]

    def forget(self) -> None:
        self._all = None


@dataclass(slots=True)
class Query:
    """What the user is asking for; `filters` merges facet picks and the deal context."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    include_all: bool = False

    def request(self, *, limit: int, offset: int = 0, as_you_type: bool = False) -> SearchRequest:
        return SearchRequest(
            text=self.text[:MAX_QUERY_CHARS],
            filters={k: list(v) for k, v in self.filters.items() if v},
            include_all=self.include_all,
            limit=limit,
            offset=offset,
            # Popularity is not an index sort: the controller reorders the relevance list.
            sort="relevance" if self.sort == "popularity" else self.sort,
            as_you_type=as_you_type,
        )


@dataclass(slots=True)
class Phase1:
    results: SearchResults
    summaries: dict[str, ItemSummary]
    suggestion: str | None
    completions: list[str]
    seconds: float
    keys: list[str] | None = None  # the whole id list, when phase 1 already knows it


class SearchController(QObject):
    """Owns the result model and the current query; widgets call `set_*`, listen to signals."""

    results_ready = Signal(object)  # SearchResults of the current generation (after the reset)
    suggestion_ready = Signal(str, object)  # (query text, "did you mean" or None)
    completions_ready = Signal(list)
    searching = Signal(bool)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.model = ResultsModel(self)
        self.query = Query()
        self.generation = 0
        self.last_results: SearchResults | None = None
        self.last_seconds = 0.0
        self._pending_typing = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(TYPING_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_typed)
        # After a pause in typing, fetch the rest of the id list in the background.
        self._prefetch = QTimer(self)
        self._prefetch.setSingleShot(True)
        self._prefetch.setInterval(PREFETCH_AFTER_MS)
        self._prefetch.timeout.connect(self.model.prefetch_keys)
        self.model.rows_needed.connect(self._fetch_rows)
        self.model.keys_needed.connect(self._fetch_keys)
        self._in_flight = 0
        self.popularity = PopularityCache()

    # -- what the widgets call -----------------------------------------------------------------
    def set_text(self, text: str, *, immediate: bool = False) -> None:
        if text == self.query.text and not immediate:
            return
        self.query.text = text
        if immediate:
            self._debounce.stop()
            self.refresh()
        else:
            self._debounce.start()

    def set_filters(self, filters: dict[str, list[str]]) -> None:
        self.query.filters = {k: list(v) for k, v in filters.items() if v}
        self.refresh()

    def set_sort(self, sort: str) -> None:
        if sort in SORTS and sort != self.query.sort:
            self.query.sort = sort
            self.refresh()

    def set_include_all(self, on: bool) -> None:
        if on != self.query.include_all:
            self.query.include_all = on
            self.refresh()

    @property
    def pending(self) -> bool:
        """A search is waiting for the debounce or running (screenshots and tests wait on it)."""
        return self._debounce.isActive() or self._in_flight > 0

    def refresh(self, *, as_you_type: bool = False) -> None:
        """Run the current query now (a new generation; older answers will be dropped)."""
        if self.workers.index is None:
            return  # the index is still opening; `index_opened()` searches then
        self.generation += 1
        gen = self.generation
        query = Query(
            self.query.text, dict(self.query.filters), self.query.sort, self.query.include_all
        )
        self._in_flight += 1
        if self._in_flight == 1:
            self.searching.emit(True)
        uses = self.popularity

        def stale() -> bool:  # read on the worker: a newer search makes this one pointless
            return self.generation != gen

        self.workers.read(
            lambda t: _phase1(t, query, as_you_type, uses, stale), owner=self, label="search"
        ).success(lambda p: self._phase1_done(gen, p)).failure(
            lambda e: self._phase1_failed(gen, e)
        ).run()

    # -- internals ----------------------------------------------------------------------------------
    def _search_typed(self) -> None:
        if len(self.query.text.strip()) == 1:
            return  # one letter finds nothing useful; keep the current results until the next key
        self.refresh(as_you_type=True)

    def _done_one(self) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self.searching.emit(False)

    def _phase1_done(self, gen: int, p: Phase1) -> None:
        self._done_one()
        if gen != self.generation:
            return  # a newer keystroke already asked again: drop this answer
        self.last_results = p.results
        self.last_seconds = p.seconds
        self.model.reset_results(gen, p.results, p.summaries, keys=p.keys)
        self._prefetch.start()
        self.results_ready.emit(p.results)
        self.suggestion_ready.emit(self.query.text, p.suggestion)
        self.completions_ready.emit(p.completions)

    def _phase1_failed(self, gen: int, error: BaseException) -> None:
        self._done_one()
        log.warning("search failed: %s", error)
        if gen == self.generation:
            empty = SearchResults(self.query.text, 0, [], {}, message=f"Search failed: {error}")
            self.model.reset_results(gen, empty, {})
            self.results_ready.emit(empty)

    def _fetch_rows(self, gen: int, keys: list[str]) -> None:
        qid = self.model.query_id
        browse = self.model.browsing
        self.workers.read(
            lambda t: _phase2(t, qid, keys, browse), owner=self, label="result rows"
        ).success(lambda r: self.model.fill_rows(gen, r[0], r[1], keys)).failure(
            lambda e: self.model.fill_rows(gen, {}, {}, keys)
        ).run()

    def _fetch_keys(self, gen: int, known: int) -> None:
        if gen != self.generation:
            return
        query = Query(
            self.query.text, dict(self.query.filters), self.query.sort, self.query.include_all
        )
        total = self.model.total
        self.workers.read(
            lambda t: t.index.keys(query.request(limit=total)), owner=self, label="ids"
        ).success(lambda keys: self.model.fill_keys(gen, keys)).run()

    def index_opened(self) -> None:
        self.refresh()

    def items_changed(self) -> None:
        """After a write: cached summaries may be stale; search again, same query."""
        self.model.forget_cache()
        self.popularity.forget()
        self.refresh()


def _browse_snippets(
    task: Task, keys: list[str], hits: dict[str, SearchHit]
) -> dict[str, SearchHit]:
    """Without search words there is nothing to highlight: show each item's summary."""
    out: dict[str, SearchHit] = {}
    for key, blurb in item_blurbs(task.lib, keys).items():
        base = hits.get(key) or SearchHit(key, "", "", "", 0.0)
        out[key] = replace(base, snippet=html.escape(" ".join(blurb.split())), file="", page=None)
    return out


def _phase1(
    task: Task,
    query: Query,
    as_you_type: bool,
    uses: PopularityCache | None = None,
    stale: Callable[[], bool] = lambda: False,
) -> Phase1:
    t0 = time.perf_counter()
    index = task.index
    res: SearchResults = index.search(query.request(limit=FIRST_PAGE, as_you_type=as_you_type))
    all_keys: list[str] | None = None
    if query.sort == "popularity" and res.hits and not stale():
        # The whole id list is needed (the most used item may be the last by relevance): at
        # 50,000 results that search costs ~1 s, so a keystroke that came meanwhile skips it.
        res, all_keys = _by_popularity(task, query, res, as_you_type, uses or PopularityCache())
    keys = [h.key for h in res.hits[:FIRST_SCREEN]]
    summaries = items.get_many(task.lib, keys) if keys else {}
    if not query.text.strip() and keys:
        snips = _browse_snippets(task, keys, {h.key: h for h in res.hits})
        res.hits = [snips.get(h.key, h) for h in res.hits]
    suggestion = res.suggestion
    text = query.text.strip()
    if suggestion is None and text and res.total < SUGGEST_BELOW:
        # Words of the items this window shows only: without "show all" a rep is offered no
        # word of a draft (the index narrows partners further, whatever is asked).
        suggestion = index.suggest(text, include_all=query.include_all)
    completions: list[str] = []
    if as_you_type and text and not text.endswith(" "):
        head = text.rsplit(None, 1)[0] + " " if " " in text else ""
        completions = [head + w for w in index.complete(text, 6, include_all=query.include_all)]
    return Phase1(res, summaries, suggestion, completions, time.perf_counter() - t0, all_keys)


def _by_popularity(
    task: Task, query: Query, res: SearchResults, as_you_type: bool, uses: PopularityCache
) -> tuple[SearchResults, list[str]]:
    """Reorder the whole result list by uses (ties keep relevance order). Only ids and counts
    are handled (`index.keys()`: no titles read): the model gets every key, and hits for the
    first page only (titles of the rows not in the relevance page come with their summaries)."""
    if res.total > len(res.hits):
        keys = task.index.keys(query.request(limit=res.total, as_you_type=as_you_type))
        # An edit drained between the two calls may change the count by one: the list is the
        # truth (a shorter total would make the model fetch a relevance-ordered id list).
        res.total = len(keys)
    else:
        keys = [h.key for h in res.hits]
    counts = uses.counts(task.lib, keys)
    ordered = sorted(keys, key=lambda k: -counts.get(k, 0))
    known = {h.key: h for h in res.hits}
    res.hits = [known.get(k) or SearchHit(k, "", "", "", 0.0) for k in ordered[:FIRST_PAGE]]
    return res, ordered


def _phase2(
    task: Task, query_id: int, keys: list[str], browse: bool
) -> tuple[dict[str, ItemSummary], dict[str, SearchHit]]:
    summaries = items.get_many(task.lib, keys)
    if browse:
        return summaries, _browse_snippets(task, keys, {})
    snippets: dict[str, Any] = task.index.snippets(query_id, keys) if task.index else {}
    return summaries, snippets
