"""`SearchIndex`: the Whoosh index of one library, kept in step with library.db.

Ranking (copied to README):
    Words are OR-ed; each is scored with BM25 (k1 1.2, b 0.75) in all of the item's text
    (title, summary, tags, files) plus a bonus where it appears in the title (x0.3) or in the
    summary or tags (x0.2), so a word weighs title 1.3 > summary and tags 1.2 > files 1.0.
    Documents matching more of the words get Whoosh's coordination bonus (factor 0.9). Then
            x 1.05 when the item is approved
            x 1.05 when the item is recently verified (its verify-by date is today or later, or
                   its battle card was verified in the last 90 days).
    The boosts are small: they reorder near-ties, they never lift a poor match over a good one.
    Both are computed at query time from dates in the index, so an item stops being boosted (or
    visible) the day it expires, without an edit. Scoring itself is in search.scorer.

Visibility: by default only approved items whose publish date (if any) is today or earlier and
whose expiry date (if any) is today or later; `SearchRequest.include_all` shows everything.
The viewer's role (library.users, the library's current user) narrows it: a partner sees only
visible partner-shareable items that are not battle cards, whatever the request says.

Threads: `search`, `keys`, `snippets`, `suggest`, `complete` and `more_like_this` may be called
from any thread (they share one cached searcher under a lock: Whoosh readers seek shared file
handles); `drain` and `rebuild` are meant for one writer thread, and are serialised by a lock
anyway.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import os
import pickle
import struct
import threading
import time
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import and_, delete, func, select, update
from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring
from whoosh.index import LockError
from whoosh.reading import CorruptIndexError

from library.core import Library
from library.errors import LibraryError
from library.models import Asset, Item, SearchDirty, Term
from library.progress import Cancel, Progress, ProgressCallback, no_progress
from search import _whoosh_speedups, storage
from search.analysis import TextAnalyzer, facet_key, fold
from search.api import FACETS, SearchHit, SearchRequest, SearchResults
from search.docsets import DocSets, MaskSet, ids_from_mask
from search.fallback import PARTNER_HIDDEN_FORMATS, metadata_search
from search.query import (
    MAX_EXPANSION,
    MAX_PREFIX_SCAN,
    MIN_PREFIX,
    Expander,
    ParsedQuery,
    QueryBuilder,
    top_by_frequency,
)
from search.schema import (
    NO_DATE,
    SCHEMA_VERSION,
    TAXONOMY_FACETS,
    build_schema,
    ids_for_keys,
    iter_item_ids,
    load_records,
    to_document,
)
from search.scorer import Scorer
from search.snippets import make_snippet
from search.vocabulary import Vocabulary, rank, words_of

log = logging.getLogger(__name__)
_whoosh_speedups.apply()

# BM25F parameters, tuned on SciFact through bench/relevance.py (Lucene defaults: 1.2 / 0.75).
BM25_B = 0.75
BM25_K1 = 1.2
APPROVED_BOOST = 0.05
VERIFIED_BOOST = 0.05
DRAIN_BATCH = 200
REBUILD_CHUNK = 100
WRITER_LIMIT_MB = 256
# A rebuild starts a new segment when the writer's postings pool holds this much (~8,000 items
# of ~2,000 words): bounded memory, no spilling (see _whoosh_speedups.CompactPool), and no
# merging afterwards (merging in Whoosh is slower than indexing: 86 items/s).
SEGMENT_BYTES = 256 * 1024 * 1024
COMPACT_AT = 10  # merge small segments when there are this many of one size tier
COMPACT_TIERS = (50, 500, 5000)  # documents
LOCK_TIMEOUT = 2.0  # seconds to wait for another process's index writer
QUERY_MEMO = 64  # recent queries kept for phase-2 snippets

# Errors that mean damaged index files (garbled, truncated, deleted under us). Programming
# errors (TypeError, ValueError...) are deliberately not in the list: they must surface.
_DAMAGE: tuple[type[BaseException], ...] = (
    windex.IndexError,
    CorruptIndexError,
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
)


@dataclass(slots=True)
class _QueryMemo:
    parsed: ParsedQuery
    hits: dict[str, SearchHit]


@dataclass(slots=True)
class _Match:
    """A request's parsed query and match sets (bitmasks over global docnums)."""

    parsed: ParsedQuery
    q: wq.Query | None
    base: int  # the items the viewer may see
    qmask: int  # the items the words match
    per_facet: dict[str, int]  # facet -> items with one of the selected values
    matched: int  # qmask & base & every facet filter
    total: int
    when: date


# Candidate words a scoped type-ahead checks against the viewer's items (bounded work per key).
MAX_COMPLETION_SCAN = 64


def today() -> date:
    """Today's date (a function so tests can move time)."""
    return date.today()


class SearchIndex:
    """The search index of one library. Create with `open_index()`."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.index_dir: Path = lib.index_dir
        self.state = "rebuilding"  # "ready" | "rebuilding"
        self.error: str | None = None  # why the last background rebuild failed, if it did
        self.progress = Progress(0, None, "")
        self.schema = build_schema()
        self.analyzer = cast(TextAnalyzer, self.schema["body"].analyzer)
        self.builder = QueryBuilder(self.schema, self.analyzer)
        self._ix: Any = None
        self._gen: Path | None = None
        self._searcher: Any = None
        self._docsets: DocSets | None = None
        self._names: dict[tuple[str, str], str] = {}
        self._vocab: Vocabulary | None = None
        self._lock = threading.RLock()  # searcher, docsets, vocabulary
        self._write_lock = threading.RLock()  # one writer (drain / rebuild) in this process
        self._queries: OrderedDict[int, _QueryMemo] = OrderedDict()
        self._qids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._compactor: threading.Thread | None = None
        self._cancel = Cancel()
        self._closed = False
        self._mask_cache: dict[tuple[int, str, date], int] = {}

    # -- opening -------------------------------------------------------------------------------
    def _library_id(self) -> str:
        return self.lib.meta("library_id", "") or ""

    def _try_open(self) -> str | None:
        """Open the current generation; None when usable, else why not (a sentence)."""
        meta = storage.read_meta(self.index_dir)
        if meta is None:
            return "The search index is missing."
        if meta.get("schema") != SCHEMA_VERSION or meta.get("fields") != sorted(
            self.schema.names()
        ):
            return "The search index was built by another version of Frontline."
        if meta.get("library_id") != self._library_id():
            return "The search index belongs to another library."
        gen = self.index_dir / str(meta.get("generation", ""))
        if not gen.is_dir() or (gen / storage.BUILDING).exists():
            return "The search index is incomplete."
        damaged = False
        # Whoosh leaves files open when it fails on a damaged index; they are closed when the
        # exception goes away: quietly, not as ResourceWarnings.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = windex.open_dir(str(gen), schema=self.schema)
                searcher = ix.searcher(weighting=self._weighting())
                self._probe(searcher)
            except Exception as e:  # anything at all: the index is derived, rebuild it
                log.warning("search index unusable: %s", repr(e))  # a string: no traceback kept
                damaged = True
            if damaged:
                gc.collect()
        if damaged:
            return "The search index is damaged."
        with self._lock:
            self._close_searcher()
            self._ix, self._gen, self._searcher = ix, gen, searcher
            self._docsets = None
            self._vocab = None
            self._mask_cache.clear()
        storage.clean_orphans(self.index_dir, gen.name)
        return None

    @staticmethod
    def _probe(searcher: Any) -> None:
        """Touch every segment's files enough to notice garbling (raises on damage)."""
        reader = searcher.reader()
        for leaf, _ in reader.leaf_readers():
            n = leaf.doc_count_all()
            if n:
                leaf.stored_fields(0)
                leaf.stored_fields(n - 1)
            for fieldname in ("key", "status"):
                for i, _term in enumerate(leaf.lexicon(fieldname)):
                    if i > 2:
                        break
            if ("status", "approved") in leaf:
                list(leaf.postings("status", "approved").all_ids())
        searcher.doc_count()

    def _weighting(self) -> scoring.WeightingModel:
        return scoring.BM25F(B=BM25_B, K1=BM25_K1)

    def _open(self, rebuild: str, progress: ProgressCallback) -> None:
        read_only = rebuild == "never"
        if not read_only:
            self._reset_claims()
        problem = self._try_open()
        if problem is None:
            self.state = "ready"
            if not read_only:
                self.drain()
            return
        log.info("%s Rebuilding it.", problem)
        if read_only:
            self.state = "rebuilding"
            self.error = problem
        elif rebuild == "background":
            self.state = "rebuilding"
            self._start_background_rebuild()
        else:
            self.rebuild(progress)

    def _reset_claims(self) -> None:
        """Rows claimed by a drainer that died are pending again."""
        with self.lib.transaction() as s:
            s.execute(
                update(SearchDirty).where(SearchDirty.claimed.is_(True)).values(claimed=False)
            )

    def _start_background_rebuild(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self.state = "rebuilding"
        self._cancel = Cancel()

        def run() -> None:
            try:
                self.rebuild(self._remember_progress, self._cancel)
            except Exception as e:  # keep serving metadata results; say why
                if not self._cancel.requested:
                    log.exception("background index rebuild failed")
                    self.error = f"The search index could not be rebuilt: {e}"

        self._thread = threading.Thread(target=run, name="frontline-reindex", daemon=True)
        self._thread.start()

    def _remember_progress(self, p: Progress) -> None:
        self.progress = p

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild; True when the index is ready."""
        t = self._thread
        if t is not None:
            t.join(timeout)
        return self.state == "ready"

    def close(self) -> None:
        self._closed = True
        self._cancel.set()
        for t in (self._thread, self._compactor):
            if t is not None and t is not threading.current_thread():
                t.join(30)
        with self._lock:
            self._close_searcher()
            self._ix = None

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher = None
        self._docsets = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------
    def _writer(self, ix: Any, gen: Path, timeout: float = LOCK_TIMEOUT) -> Any:
        """A Whoosh writer with non-compound segments (SEARCH-NOTES: 10x less RAM, 3x faster
        small commits). A lock left by a dead process is broken; a live one raises LockError."""
        kwargs = {"procs": 1, "compound": False, "limitmb": WRITER_LIMIT_MB}
        try:
            w = ix.writer(timeout=timeout, **kwargs)
        except LockError:
            if not storage.stale_writer(gen):
                raise
            log.warning("breaking the index lock of a process that no longer exists")
            for name in os.listdir(gen):
                if name.endswith("WRITELOCK"):
                    with contextlib.suppress(OSError):
                        os.unlink(gen / name)
            w = ix.writer(timeout=timeout, **kwargs)
        storage.mark_writer(gen)
        return w

    def _index_keys(self, keys: list[str]) -> set[str]:
        """Write the current DB state of `keys` to the index in one commit (delete the
        ones that no longer exist). Returns the vocabulary words added."""
        ix, gen = self._ix, self._gen
        assert ix is not None and gen is not None
        with self.lib.reader() as s:
            ids = ids_for_keys(s, keys)
            records = load_records(s, list(ids.values())) if ids else []
        w = self._writer(ix, gen)
        seen: set[str] = set()
        self.analyzer.capture = seen
        try:
            for rec in records:
                w.update_document(**to_document(rec))
            for key in keys:
                if key not in ids:
                    w.delete_by_term("key", key)
            # No merging here: a merge of a few small segments took 0.8-1.4 s at 10k items and
            # would delay the edit becoming visible. `_compact()` merges after the refresh.
            w.commit(merge=False)
        except BaseException:
            # Transactional batch: cancel, then re-raise the real error (never commit after one).
            with contextlib.suppress(Exception):
                w.cancel()
            raise
        finally:
            self.analyzer.capture = None
            storage.clear_writer(gen)
        return words_of(seen)

    def drain(self, *, limit: int | None = None) -> int:
        """Index the items waiting in the outbox, in batches, with one writer. Returns how many
        outbox rows were processed. Safe to call often (a no-op when nothing is pending) and
        a no-op while a rebuild runs (the rebuild drains when it finishes)."""
        done = 0
        while self.state == "ready" and not self._closed and (limit is None or done < limit):
            with self._write_lock:
                if self.state != "ready":
                    break
                rows = self._claim(DRAIN_BATCH)
                if not rows:
                    break
                try:
                    words = self._index_keys([k for k, _ in rows])
                except LockError:
                    log.info("another process is writing the index; drain skipped")
                    self._unclaim(rows)
                    break
                except _DAMAGE as e:
                    self._unclaim(rows)
                    self._damaged(e)
                    break
                # The index is committed; only now forget the outbox rows. A crash between the
                # two re-indexes these items next time (idempotent). A row re-enqueued meanwhile
                # has a new enqueued_at and stays.
                _after_commit_hook()
                self._forget(rows)
                self._refresh(words)
                done += len(rows)
        if done:
            self._compact_soon()
        return done

    def _compact_soon(self) -> None:
        """Merge small segments in a helper thread once there are many (each drain commit adds
        one and search costs grow with the segment count). Merging 10 small segments took
        ~0.6 s: off the path of the edit, which is visible already; it holds the write lock,
        so a drain meanwhile waits for it (one writer at a time)."""
        ix = self._ix
        if ix is None or self._closed or not _small_segments(ix._segments()):
            return
        t = self._compactor
        if t is not None and t.is_alive():
            return

        def run() -> None:
            try:
                with self._write_lock:
                    if not self._closed and self.state == "ready":
                        self._compact()
            except Exception:
                log.exception("merging small index segments failed (harmless: retried later)")

        self._compactor = threading.Thread(target=run, name="frontline-index-merge", daemon=True)
        self._compactor.start()

    def _compact(self) -> None:
        ix, gen = self._ix, self._gen
        if ix is None or gen is None or not _small_segments(ix._segments()):
            return
        try:
            w = self._writer(ix, gen, timeout=0.0)
        except LockError:
            return
        try:
            w.commit(mergetype=_merge_small_segments)
        except BaseException:
            with contextlib.suppress(Exception):
                w.cancel()
            raise
        finally:
            storage.clear_writer(gen)
        self._refresh()

    def _claim(self, n: int) -> list[tuple[str, datetime]]:
        with self.lib.transaction() as s:
            rows = [
                (k, t)
                for k, t in s.execute(
                    select(SearchDirty.item_key, SearchDirty.enqueued_at)
                    .where(SearchDirty.claimed.is_(False))
                    .order_by(SearchDirty.enqueued_at)
                    .limit(n)
                )
            ]
            if rows:
                s.execute(
                    update(SearchDirty)
                    .where(SearchDirty.item_key.in_([k for k, _ in rows]))
                    .values(claimed=True)
                )
        return rows

    def _unclaim(self, rows: list[tuple[str, datetime]]) -> None:
        with self.lib.transaction() as s:
            s.execute(
                update(SearchDirty)
                .where(SearchDirty.item_key.in_([k for k, _ in rows]))
                .values(claimed=False)
            )

    def _forget(self, rows: list[tuple[str, datetime]]) -> None:
        with self.lib.transaction() as s:
            for key, at in rows:
                s.execute(
                    delete(SearchDirty).where(
                        and_(SearchDirty.item_key == key, SearchDirty.enqueued_at == at)
                    )
                )

    def _refresh(self, words: set[str] | None = None) -> None:
        """Switch to a searcher over the latest commit.

        Why not `searcher.refresh()`: in whoosh3 3.54 it reuses readers by segment id, so a
        segment merged away by the commit is put back and a segment whose deletions changed
        keeps its old deletions: an updated item then shows twice. A new searcher over
        non-compound segments costs a few ms; our per-segment masks are reused (docsets.py)."""
        with self._lock:
            if self._searcher is None or self._ix is None:
                return
            old, old_sets = self._searcher, self._docsets
            self._searcher = self._ix.searcher(weighting=self._weighting())
            self._docsets = DocSets(self._searcher, old_sets) if old_sets is not None else None
            self._mask_cache.clear()
            with contextlib.suppress(Exception):
                old.close()
            if words and self._gen is not None:
                if self._vocab is not None:
                    self._vocab.add(words, self._gen)
                else:  # not loaded in this process yet: only remember them on disk
                    Vocabulary().add(words, self._gen)

    def rebuild(
        self, progress: ProgressCallback = no_progress, cancel: Cancel | None = None
    ) -> None:
        """Rebuild the whole index from library.db into a new generation, streamed in chunks
        with one writer and one commit, then switch to it atomically. Searches keep using the
        old generation (or metadata) meanwhile. Raises LibraryError when another process holds
        the new index (never happens in practice) or on cancel (nothing changes)."""
        cancel = cancel or Cancel()
        with self._write_lock:
            was = self.state
            if self._searcher is None:
                self.state = "rebuilding"
            started = time.monotonic()
            gen = storage.new_generation(self.index_dir)
            try:
                ix = windex.create_in(str(gen), self.schema)
                with self.lib.reader() as s:
                    snapshot = {
                        k: t
                        for k, t in s.execute(select(SearchDirty.item_key, SearchDirty.enqueued_at))
                    }
                    total = int(s.scalar(select(func.count()).select_from(Item)) or 0)
                progress(Progress(0, total, "Indexing"))
                w = self._writer(ix, gen)
                done = 0
                seen: set[str] = set()
                self.analyzer.capture = seen
                try:
                    with self.lib.reader() as s:
                        chunks = list(iter_item_ids(s, REBUILD_CHUNK * 50))
                    for big in chunks:
                        for i in range(0, len(big), REBUILD_CHUNK):
                            # A short read transaction per chunk: never all bodies in memory,
                            # never a long-lived snapshot blocking WAL checkpoints.
                            with self.lib.reader() as s:
                                records = load_records(s, big[i : i + REBUILD_CHUNK])
                            for rec in records:
                                w.add_document(**to_document(rec))
                            done += len(records)
                            if getattr(getattr(w, "pool", None), "approx_bytes", 0) > SEGMENT_BYTES:
                                w.commit(merge=False)
                                w = self._writer(ix, gen)
                            progress(Progress(done, total, "Indexing"))
                            if cancel.requested or self._closed:
                                raise _Cancelled
                    progress(Progress(done, total, "Saving the index"))
                    w.commit(merge=False)
                except BaseException:
                    with contextlib.suppress(Exception):
                        w.cancel()
                    raise
                finally:
                    self.analyzer.capture = None
                    storage.clear_writer(gen)
                Vocabulary.write(gen, words_of(seen))
                (gen / storage.BUILDING).unlink()
                storage.write_json_atomic(
                    self.index_dir / storage.META_NAME,
                    {
                        "schema": SCHEMA_VERSION,
                        "fields": sorted(self.schema.names()),
                        "generation": gen.name,
                        "library_id": self._library_id(),
                        "built_at": datetime.now().isoformat(timespec="seconds"),
                        "documents": done,
                        "seconds": round(time.monotonic() - started, 1),
                    },
                )
            except _Cancelled:
                storage.remove_tree(gen)
                self.state = was if self._searcher is not None else "rebuilding"
                raise LibraryError("Rebuilding the search index was cancelled.") from None
            except BaseException:
                storage.remove_tree(gen)
                self.state = was if self._searcher is not None else "rebuilding"
                raise
            old_gen = self._gen
            problem = self._try_open()
            if problem is not None:
                raise LibraryError(f"The rebuilt search index cannot be opened: {problem}")
            if old_gen is not None and old_gen != self._gen:
                storage.remove_tree(old_gen)
            # Rows pending when the rebuild started are covered by it (their changes committed
            # before the snapshot, and every chunk was read after it), unless re-enqueued since.
            self._forget(list(snapshot.items()))
            self.error = None
            self.state = "ready"
            progress(Progress(done, total, f"Indexed {done} items"))
        self.drain()

    def _damaged(self, err: BaseException) -> None:
        """The index failed while in use: serve metadata results and rebuild in the background."""
        log.warning("search index damaged (%s); rebuilding in the background", repr(err))
        with self._lock:
            self._close_searcher()
            self.state = "rebuilding"
        if not self._closed:
            self._start_background_rebuild()

    # -- reading helpers ------------------------------------------------------------------------
    def _ds(self) -> DocSets:
        if self._docsets is None:
            self._docsets = DocSets(self._searcher)
        return self._docsets

    def _names_for(self, facet: str) -> dict[str, str]:
        if not self._names:
            with self.lib.reader() as s:
                names = {
                    (tax, facet_key(name)): name
                    for tax, name in s.execute(select(Term.taxonomy, Term.name))
                }
            self._names = names
        return {k: v for (f, k), v in self._names.items() if f == facet}

    def _date_mask(self, fieldname: str, when: date, *, before: bool, none_ok: bool) -> int:
        """Documents whose date key is <= (before) or >= `when`, plus undated ones if none_ok."""
        ds = self._ds()
        key = (id(ds), fieldname + ("<" if before else ">") + str(none_ok), when)
        got = self._mask_cache.get(key)
        if got is None:
            day = when.strftime("%Y%m%d")
            got = 0
            for value, mask in ds.facet(fieldname).items():
                if none_ok if value == NO_DATE else (value <= day if before else value >= day):
                    got |= mask
            self._mask_cache[key] = got
        return got

    def _visible_mask(self, when: date, partner: bool | None = None) -> int:
        ds = self._ds()
        approved = ds.facet("status").get("approved", 0)
        mask = (
            approved
            & self._date_mask("published", when, before=True, none_ok=True)
            & self._date_mask("expires", when, before=False, none_ok=True)
        )
        if self._is_partner() if partner is None else partner:
            mask &= ds.facet("audience").get("partner", 0)
            for fmt in PARTNER_HIDDEN_FORMATS:
                mask &= ~ds.facet("format").get(fmt, 0)
        return mask

    def _is_partner(self) -> bool:
        """Whether the library's current user is a partner (read per query: roles can change)."""
        from library import users

        try:
            return users.role_of(self.lib) == "partner"
        except Exception:  # the database is busy or gone: the safe answer
            log.warning("cannot read the current user's role; showing partner items only")
            return True

    def _frequency(self) -> Any:
        """word -> document frequency of its index term (cached for one call)."""
        reader = self._searcher.reader()
        cache: dict[str, int] = {}

        def frequency(word: str) -> int:
            pieces = self.analyzer.pieces(word)
            if not pieces:
                return 0
            term = pieces[0][0]
            got = cache.get(term)
            if got is None:
                got = cache[term] = reader.doc_frequency("body", term)
            return got

        return frequency

    def _expander(self, scope: int | None = None) -> Expander:
        """Prefix/fuzzy expansion to the most frequent real words. With `scope` (a partner's
        items) only words found in those items count, so hidden items' words cannot crowd
        out the ones that can match (checked over a bounded number of candidates)."""
        reader = self._searcher.reader()
        frequency = self._frequency()
        scoped = self._scoped_frequency(scope) if scope is not None else None

        def best(words: list[str]) -> list[str]:
            if scoped is None:
                return rank(words, frequency, MAX_EXPANSION)
            out: list[str] = []
            for w in rank(words, frequency, MAX_COMPLETION_SCAN):
                if scoped(w) > 0:
                    out.append(w)
                    if len(out) >= MAX_EXPANSION:
                        break
            return out

        def prefix_words(prefix: str) -> list[str]:
            return best(self._vocabulary().with_prefix(prefix, MAX_PREFIX_SCAN))

        def fuzzy_words(word: str, maxdist: int) -> list[str]:
            return best([w for _, w in self._vocabulary().close(word, maxdist)])

        def facet_values(fieldname: str, prefix: str) -> list[str]:
            return top_by_frequency(_scan_prefix(reader, fieldname, prefix), MAX_EXPANSION)

        return Expander(prefix_words, fuzzy_words, facet_values)

    def _vocabulary(self) -> Vocabulary:
        with self._lock:
            if self._vocab is None:
                self._vocab = Vocabulary.load(self._gen) if self._gen else Vocabulary()
            return self._vocab

    # -- search --------------------------------------------------------------------------------
    def search(self, req: SearchRequest) -> SearchResults:
        """Phase 1: ids, titles, scores, total and facet counts (snippets only when
        `req.with_snippets`). Never raises for what a user typed: problems go to `message`."""
        qid = next(self._qids)
        if self.state != "ready" or self._searcher is None:
            from search.query import sanitize

            s = sanitize(req.text)
            res = metadata_search(self.lib, req, s.text, s.message or (self.error or ""))
            res.query_id = qid
            return res
        try:
            with self._lock:
                res, parsed = self._search(req, qid)
        except _DAMAGE as e:
            self._damaged(e)
            return self.search(req)
        self._remember(qid, parsed, res.hits)
        if req.with_snippets and res.hits:
            snips = self.snippets(qid, [h.key for h in res.hits])
            res.hits = [snips.get(h.key, h) for h in res.hits]
        return res

    def keys(self, req: SearchRequest) -> list[str]:
        """Every matching item key, in the order `search(req)` ranks its hits (relevance,
        updated or title), with the same visibility, filters and query rules; `req.limit` and
        `req.offset` are ignored. Keys only: no titles, facets or snippets, so the whole list
        of 50,000 results costs a fraction of a full-length `search` (used to sort a result
        list by something the index does not know, e.g. popularity, and to page the id list).
        While the index is rebuilding: the keys of the metadata results."""
        if self.state != "ready" or self._searcher is None:
            res = self.search(replace(req, limit=max(1, self._item_count()), offset=0))
            return [h.key for h in res.hits]
        try:
            with self._lock:
                m = self._match(req)
                if not m.total:
                    return []
                ranked = self._ranked(self._searcher, m.q, m.matched, req.sort, m.total, m.when)
                names = self._ds().keys()
                return [names[d] for _, d in ranked]
        except _DAMAGE as e:
            self._damaged(e)
            return self.keys(req)

    def _item_count(self) -> int:
        """Items in the library (what a metadata search may return at most)."""
        with self.lib.reader() as s:
            return int(s.scalar(select(func.count()).select_from(Item)) or 0)

    def _match(self, req: SearchRequest) -> _Match:
        """The parsed query and its match sets for `req` (visibility and filters applied)."""
        ds = self._ds()
        when = today()
        live = ds.live()
        partner = self._is_partner()
        base = live if req.include_all and not partner else live & self._visible_mask(when, partner)
        # A partner's prefix/fuzzy words come from the items they can see (see _expander).
        expander = self._expander(base if partner else None)
        parsed = self.builder.parse(req.text, expander, as_you_type=req.as_you_type)
        # Filters: OR within a facet (values), AND across facets.
        per_facet: dict[str, int] = {}
        for facet, values in req.filters.items():
            keys = [facet_key(v) for v in values if v and v.strip()]
            if facet in FACETS and keys:
                if facet in ("kind", "format", "status", "audience"):
                    from search.query import _canonical_facet_value

                    keys = [_canonical_facet_value(facet, k) for k in keys]
                per_facet[facet] = ds.values_mask(facet, keys)
        filtered = base
        for m in per_facet.values():
            filtered &= m
        q = parsed.query
        if q is None:
            qmask = live
        elif q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            qmask = 0
        else:
            qmask = ds.query(q, self._searcher)
        matched = qmask & filtered
        return _Match(parsed, q, base, qmask, per_facet, matched, matched.bit_count(), when)

    def _search(self, req: SearchRequest, qid: int) -> tuple[SearchResults, ParsedQuery]:
        searcher = self._searcher
        m = self._match(req)
        parsed = m.parsed
        facets = self._facet_counts(self._ds(), m.qmask & m.base, m.per_facet)
        hits: list[SearchHit] = []
        if m.total:
            hits = self._top_hits(searcher, m.q, m.matched, req, m.when)
        message = parsed.message
        if req.text.strip() and parsed.query is None and not message:
            message = "Nothing to search for in that query."
        return (
            SearchResults(
                query=parsed.text,
                total=m.total,
                hits=hits,
                facets=facets,
                suggestion=None,
                query_id=qid,
                message=message,
            ),
            parsed,
        )

    def _facet_counts(
        self, ds: DocSets, matched: int, per_facet: dict[str, int]
    ) -> dict[str, dict[str, int]]:
        """Counts per facet value among the matches. A facet's own filter is left out of its
        counts (multi-select faceting): with persona=CFO selected, the persona facet still
        shows how many matches CTO would add (OR within a facet)."""
        out: dict[str, dict[str, int]] = {}
        everything = matched
        for m in per_facet.values():
            everything &= m
        for facet in FACETS:
            scope = everything
            if facet in per_facet:
                scope = matched
                for other, m in per_facet.items():
                    if other != facet:
                        scope &= m
            counts: dict[str, int] = {}
            if scope:
                names = self._names_for(facet) if facet in TAXONOMY_FACETS else {}
                for value, mask in ds.facet(facet).items():
                    n = (scope & mask).bit_count()
                    if n:
                        label = names.get(value, value)
                        counts[label] = counts.get(label, 0) + n
            out[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())))
        return out

    def _top_hits(
        self, searcher: Any, q: wq.Query | None, matched: int, req: SearchRequest, when: date
    ) -> list[SearchHit]:
        limit = max(0, req.limit)
        offset = max(0, req.offset)
        if limit == 0:
            return []
        need = offset + limit
        out: list[SearchHit] = []
        for score, docnum in self._ranked(searcher, q, matched, req.sort, need, when)[offset:]:
            f = searcher.stored_fields(docnum)
            out.append(
                SearchHit(
                    key=f["key"],
                    title=f.get("title", ""),
                    kind=f.get("kind", ""),
                    format=f.get("format", ""),
                    score=round(float(score), 4),
                )
            )
        return out

    def _ranked(
        self, searcher: Any, q: wq.Query | None, matched: int, sort: str, need: int, when: date
    ) -> list[tuple[float, int]]:
        """The first `need` (score, docnum) of `matched` in result order: by score (relevance
        with words), else newest first (no words, or sort="updated"), or by title."""
        if q is None or sort in ("updated", "title"):
            # Whoosh's sorting collector's order, from cached sort columns: (value, docnum)
            # ascending for title, descending for updated (ties: higher docnum first).
            fieldname = "title_sort" if sort == "title" else "updated"
            values = self._ds().column(fieldname)
            order = [(values[d], d) for d in ids_from_mask(matched)]
            order.sort(reverse=fieldname == "updated")
            return [(0.0, d) for _, d in order[:need]]  # sorted, not scored
        approved = self._ds().facet("status").get("approved", 0)
        fresh = self._date_mask("fresh", when, before=False, none_ok=False)
        boosted = MaskSet(approved), MaskSet(fresh)

        def factor(d: int) -> float:
            return (1.0 + APPROVED_BOOST * (d in boosted[0])) * (
                1.0 + VERIFIED_BOOST * (d in boosted[1])
            )

        return Scorer(self._ds(), searcher, BM25_B, BM25_K1).top(q, matched, need, factor)

    def _remember(self, qid: int, parsed: ParsedQuery, hits: list[SearchHit]) -> None:
        with self._lock:
            self._queries[qid] = _QueryMemo(parsed, {h.key: h for h in hits})
            while len(self._queries) > QUERY_MEMO:
                self._queries.popitem(last=False)

    # -- phase 2: snippets ---------------------------------------------------------------------
    def snippets(self, query_id: int, keys: list[str]) -> dict[str, SearchHit]:
        """Highlighted snippets for the given result keys of query `query_id` (the rows on
        screen). Unknown/old query ids give {} (the UI dropped that query already)."""
        with self._lock:
            memo = self._queries.get(query_id)
        if memo is None or not keys:
            return {}
        terms = memo.parsed.positive_terms
        body_terms = set(terms.get("body", ()))
        meta_terms = set(terms.get("meta", ())) | set(terms.get("title", ())) | body_terms
        out: dict[str, SearchHit] = {}
        with self.lib.reader() as s:
            items = {
                k: (i, t, su, kd, fm)
                for i, k, t, su, kd, fm in s.execute(
                    select(
                        Item.id, Item.key, Item.title, Item.summary, Item.kind, Item.format
                    ).where(Item.key.in_(keys))
                )
            }
            assets: dict[int, list[tuple[str, int | None, str]]] = {}
            if items:
                for item_id, name, pages, text in s.execute(
                    select(Asset.item_id, Asset.original_name, Asset.page_count, Asset.text)
                    .where(Asset.item_id.in_([v[0] for v in items.values()]))
                    .order_by(Asset.item_id, Asset.position, Asset.id)
                ):
                    assets.setdefault(item_id, []).append((name, pages, text or ""))
        for key in keys:
            row = items.get(key)
            if row is None:
                continue
            item_id, title, summary, kind, fmt = row
            snip = make_snippet(
                assets.get(item_id, []), body_terms, [summary, title], meta_terms, self.analyzer
            )
            base = memo.hits.get(key) or SearchHit(key, title, kind, fmt, 0.0)
            out[key] = replace(base, snippet=snip.html, file=snip.file, page=snip.page)
        return out

    # -- suggestions ---------------------------------------------------------------------------
    def _suggestion_scope(self, include_all: bool | None) -> int | None:
        """Mask of the items whose words may be suggested, or None for every live item.

        Suggestions and completions must not reveal words of items the viewer cannot open (a
        partner typing "quotbase" must not learn "quotabase" from an internal battle card).
        `include_all` None: the most this viewer may see (a partner: partner-visible items;
        anyone else: everything); False: the default visible set (approved, published, not
        expired; narrowed for partners); True: everything, except for partners."""
        partner = self._is_partner()
        if not partner and include_all is not False:
            return None
        return self._ds().live() & self._visible_mask(today(), partner)

    def _scoped_frequency(self, scope: int | None) -> Callable[[str], int]:
        """word -> number of items in `scope` holding it (its index term), 0 when none."""
        if scope is None:
            return cast(Callable[[str], int], self._frequency())
        ds = self._ds()
        cache: dict[str, int] = {}

        def frequency(word: str) -> int:
            got = cache.get(word)
            if got is None:
                pieces = self.analyzer.pieces(word)
                mask = scope
                for piece in pieces:  # every index term of the word must be in the same item
                    mask &= ds.term("body", piece[0])
                got = cache[word] = mask.bit_count() if pieces else 0
            return got

        return frequency

    def suggest(self, text: str, include_all: bool | None = None) -> str | None:
        """ "Did you mean": the query with unknown words replaced by the closest frequent real
        word of the library (not stems), or None when every word is known. Only words of the
        items the viewer may see are offered (`include_all`: see `_suggestion_scope`)."""
        if self.state != "ready" or self._searcher is None:
            return None
        from search.query import sanitize

        clean = sanitize(text).text
        if not clean:
            return None
        changed = False
        out: list[str] = []
        try:
            with self._lock:
                vocab = self._vocabulary()
                scope = self._suggestion_scope(include_all)
                frequency = self._scoped_frequency(scope)
                for token in clean.split(" "):
                    word = token.strip('"()+-')
                    plain = (
                        word.isalpha()
                        and len(word) >= 3
                        and word not in ("AND", "OR", "NOT")
                        and ":" not in token
                        and not token.endswith(("*", "~"))
                    )
                    folded = fold(word)
                    # Known = in an item the viewer can see (else "no suggestion" would tell a
                    # partner that a word exists somewhere in the library).
                    known = folded in vocab and (scope is None or frequency(folded) > 0)
                    if plain and not known:
                        close = vocab.close(folded, 1 if len(folded) <= 4 else 2)
                        if scope is not None:
                            close = [dw for dw in close if frequency(dw[1]) > 0]
                        if close:
                            best = min(close, key=lambda dw: (dw[0], -frequency(dw[1]), dw[1]))
                            token = token.replace(word, best[1])
                            changed = True
                    out.append(token)
        except _DAMAGE as e:
            self._damaged(e)
            return None
        return " ".join(out) if changed else None

    def complete(self, prefix: str, limit: int = 8, include_all: bool | None = None) -> list[str]:
        """Type-ahead: the most frequent library words starting with the last word of
        `prefix` (at least 2 characters; bounded scan), as whole-query completions' last word.
        Only words of the items the viewer may see (`include_all`: see `_suggestion_scope`)."""
        if self.state != "ready" or self._searcher is None:
            return []
        last = prefix.rsplit(None, 1)[-1] if prefix.strip() else ""
        stem = fold(last.strip('"()+-*~'))
        if len(stem) < MIN_PREFIX or not stem.isalpha():
            return []
        try:
            with self._lock:
                words = [
                    w for w in self._vocabulary().with_prefix(stem, MAX_PREFIX_SCAN) if w != stem
                ]
                scope = self._suggestion_scope(include_all)
                if scope is None:
                    return rank(words, self._frequency(), max(0, limit))
                # Most frequent first by the index's counts (cheap), then keep the words that
                # occur in items in scope, looking at a bounded number of candidates.
                scoped = self._scoped_frequency(scope)
                out: list[str] = []
                for w in rank(words, self._frequency(), MAX_COMPLETION_SCAN):
                    if len(out) >= max(0, limit):
                        break
                    if scoped(w) > 0:
                        out.append(w)
                return out
        except _DAMAGE as e:
            self._damaged(e)
            return []

    def more_like_this(self, key: str, limit: int = 10) -> list[SearchHit]:
        """Visible items related to `key`: its shared taxonomy values and its most distinctive
        title/summary/opening words (numbers dropped: SEARCH-NOTES found them useless)."""
        if self.state != "ready" or self._searcher is None:
            return []
        with self.lib.reader() as s:
            ids = ids_for_keys(s, [key])
            recs = load_records(s, list(ids.values()))
        if not recs:
            return []
        rec = recs[0]
        text = " ".join([rec.title, rec.title, rec.summary, *(a[3][:6000] for a in rec.assets)])
        counts: dict[str, int] = {}
        for t in self.analyzer.terms(text):
            if not any(c.isdigit() for c in t):
                counts[t] = counts.get(t, 0) + 1
        try:
            with self._lock:
                searcher = self._searcher
                n = max(1, searcher.doc_count())
                import math

                scored = []
                for t, tf in counts.items():
                    df = searcher.doc_frequency("body", t) + searcher.doc_frequency("title", t)
                    if df < 2:  # only in this item: cannot relate it to anything
                        continue
                    scored.append((tf * math.log(1 + n / df), t))
                scored.sort(reverse=True)
                subs: list[wq.Query] = [wq.Term("body", t) for _, t in scored[:15]]
                subs += [wq.Term("title", t, boost=2.0) for _, t in scored[:8]]
                for tax in ("persona", "product", "industry", "competitor", "tag", "stage"):
                    for name in rec.terms.get(tax, []):
                        subs.append(wq.Term(tax, facet_key(name), boost=1.5))
                if not subs:
                    return []
                q = wq.Or(subs)
                ds = self._ds()
                allowed = ds.live() & self._visible_mask(today())
                own = ds.term("key", key)
                allowed &= ~own
                if not allowed:
                    return []
                results = searcher.search(q, limit=limit, filter=MaskSet(allowed))
                return [
                    SearchHit(
                        key=h["key"],
                        title=h.get("title", ""),
                        kind=h.get("kind", ""),
                        format=h.get("format", ""),
                        score=round(float(h.score or 0.0), 4),
                    )
                    for h in results
                ]
        except _DAMAGE as e:
            self._damaged(e)
            return []

    # -- drift ---------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Differences between library.db and the index, as sentences: items missing from the
        index, stale entries, entries of deleted items. Items waiting in the outbox are not
        drift (they are about to be indexed) and are skipped."""
        return [message for message, _ in self.drift()]

    def drift(self) -> list[tuple[str, str | None]]:
        """`check()` with the item key each problem is about (None: the whole index)."""
        if self._searcher is None:
            reason = self.error or "The search index is not available."
            return [(f"{reason} Run 'python main.py reindex' to rebuild it.", None)]
        with self.lib.reader() as s:
            pending = set(s.scalars(select(SearchDirty.item_key)))
            db: dict[str, tuple[str, str]] = {}
            for ids in iter_item_ids(s, 500):
                for rec in load_records(s, ids, with_text=False):
                    db[rec.key] = (rec.stamp(), rec.title)
        with self._lock:
            self._refresh()
            indexed = {f["key"]: f.get("stamp", "") for f in self._searcher.all_stored_fields()}
        problems: list[tuple[str, str | None]] = []
        for key, (stamp, title) in db.items():
            if key in pending:
                continue
            if key not in indexed:
                problems.append((f"Item '{title}' is missing from the search index.", key))
            elif indexed[key] != stamp:
                problems.append((f"The search index has an outdated copy of '{title}'.", key))
        for key in indexed:
            if key not in db and key not in pending:
                problems.append(("The search index still lists an item that was deleted.", key))
        if problems:
            problems.append(("Run 'python main.py reindex' to rebuild the search index.", None))
        return problems

    def documents(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count()) if self._searcher is not None else 0

    def visible_ids(self) -> list[int]:  # pragma: no cover - debugging aid
        with self._lock:
            return ids_from_mask(self._ds().live() & self._visible_mask(today()))


class _Cancelled(Exception):
    pass


def _small_segments(segments: list[Any]) -> list[Any]:
    """The segments to merge, by tiers: the smallest tier (fewer than 50, 500, 5,000 documents)
    that holds COMPACT_AT segments, never the biggest segment. Each document is merged about
    once per tier, so a merge stays cheap (merging in Whoosh is slower than indexing)."""
    if not segments:
        return []
    biggest = max(segments, key=lambda seg: seg.doc_count_all())
    others = [seg for seg in segments if seg is not biggest]
    for tier in COMPACT_TIERS:
        small = [seg for seg in others if seg.doc_count_all() < tier]
        if len(small) >= COMPACT_AT:
            return small
    return []


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge the small segments into the writer's new one."""
    small = _small_segments(segments)
    for seg in small:
        _add_segment(writer, seg)
    return [seg for seg in segments if seg not in small]


def _add_segment(writer: Any, segment: Any) -> None:
    from whoosh.reading import SegmentReader

    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        writer.add_reader(reader)
    finally:
        reader.close()


def _after_commit_hook() -> None:
    """Called between the index commit and the outbox delete (tests simulate a crash here)."""


def _scan_prefix(reader: Any, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]:
    """(term, document frequency) of the first MAX_PREFIX_SCAN terms starting with `prefix`."""
    fieldobj = reader.schema[fieldname]
    try:
        for i, (tbytes, info) in enumerate(reader.iter_prefix(fieldname, prefix)):
            if i >= MAX_PREFIX_SCAN:
                break
            yield fieldobj.from_bytes(tbytes), info.doc_frequency()
    except (KeyError, ValueError):
        return


def open_index(
    lib: Library, *, rebuild: str = "sync", progress: ProgressCallback = no_progress
) -> SearchIndex:
    """Open the library's index, repairing it when needed.

    A missing, damaged, half-built, other-library or older-schema index is rebuilt from the
    database: `rebuild="sync"` blocks (CLI, with progress), `"background"` returns at once and
    rebuilds in a thread while `search()` answers from metadata (`results.degraded`), `"never"`
    leaves it unusable (read-only checks). Claimed outbox rows are reset and pending ones drained.
    """
    if rebuild not in ("sync", "background", "never"):
        raise ValueError(f"rebuild must be 'sync', 'background' or 'never', not {rebuild!r}")
    idx = SearchIndex(lib)
    idx._open(rebuild, progress)
    return idx


Hook = Callable[[], None]
