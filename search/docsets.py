"""Document sets as Python big-int bitmasks: match sets, facet counts, filters, visibility.

Why: Whoosh's `groupedby=` scores every match (it switches off top-k block skipping), which
SEARCH-NOTES measured at 5 -> 124 ms for an OR query. Instead the match set of a query is
computed unscored, straight from the posting blocks, as a bitmask (bit n = global docnum n); a
facet count is then `(matches & value_mask).bit_count()`, a C-speed AND over a few KB.

Per-segment masks are cached on the segment object identity: after an incremental commit the
big old segments keep their cached term/facet masks and only the small new segment is read.
Deleted documents are removed once, with the segment's live mask.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq
from whoosh.idsets import DocIdSet
from whoosh.reading import TermNotFound

_TERM_CACHE_SIZE = 512  # term masks kept per segment (frequent query words)
_POSTINGS_BUDGET = 4_000_000  # postings kept per segment (~32 MB): frequent terms stay warm


def mask_from_ids(ids: Iterable[int], size: int) -> int:
    """A bitmask with the given bits set (ids < size)."""
    buf = bytearray((size >> 3) + 1)
    for i in ids:
        buf[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buf, "little")


def ids_from_mask(mask: int) -> list[int]:
    """The set bits of `mask`, ascending."""
    out: list[int] = []
    data = mask.to_bytes((mask.bit_length() >> 3) + 1, "little")
    for byte_index, byte in enumerate(data):
        if byte:
            base = byte_index << 3
            for bit in range(8):
                if byte >> bit & 1:
                    out.append(base + bit)
    return out


class MaskSet(DocIdSet):
    """A read-only docnum set over a bitmask, for Whoosh's `filter=` (O(1) `in`)."""

    __slots__ = ("_bytes", "_len")

    def __init__(self, mask: int) -> None:
        self._bytes = mask.to_bytes((mask.bit_length() >> 3) + 1, "little")
        self._len = mask.bit_count()

    def __contains__(self, docnum: object) -> bool:
        if not isinstance(docnum, int):
            return False
        i = docnum >> 3
        return i < len(self._bytes) and bool(self._bytes[i] >> (docnum & 7) & 1)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Any:
        return iter(ids_from_mask(int.from_bytes(self._bytes, "little")))


def _leaf_postings(reader: Any, fieldname: str, text: str) -> tuple[array[int], array[float]]:
    """(docnums, term frequencies) of one term in one segment, deleted documents included,
    read block by block (the generic matcher protocol costs ~1 us per posting in Python)."""
    ids: array[int] = array("i")
    tfs: array[float] = array("f")
    terms = getattr(reader, "_terms", None)
    if terms is None:  # EmptyReader: an index with no segment yet (a new, empty library)
        return ids, tfs
    fieldobj = reader.schema[fieldname]
    try:
        m = terms.matcher(fieldname, fieldobj.to_bytes(text), fieldobj.format)
    except (TermNotFound, KeyError):
        return ids, tfs
    if hasattr(m, "_read_ids") and hasattr(m, "_read_weights"):
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            tfs.extend(m._weights)
            m._next_block()
    else:  # inline postings (a term in one document) or another codec: the general way
        while m.is_active():
            ids.append(m.id())
            tfs.append(m.weight())
            m.next()
    return ids, tfs


def _leaf_lengths(reader: Any, fieldname: str) -> bytes:
    """The quantised length byte of `fieldname` for every document of one segment."""
    n = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    try:
        from whoosh.codec import whoosh3

        if perdoc is None:
            raise AttributeError("no per-document reader")
        col = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        data = bytes(col._dbfile.get(col._basepos, col._count)) if col is not None else b""
        return data + bytes(n - len(data))
    except Exception:  # another codec: ask per document
        from whoosh.util.numeric import length_to_byte

        return bytes(length_to_byte(reader.doc_field_length(d, fieldname) or 0) for d in range(n))


def _stored_keys(reader: Any) -> list[str] | None:
    """Every document's stored "key", read sequentially from Whoosh 3's stored-fields column
    (deleted documents included); None when the codec keeps stored fields another way."""
    perdoc = getattr(reader, "_perdoc", None)
    try:
        from whoosh.codec import whoosh3

        if perdoc is None:
            return None
        col = perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN)
        if col is None:
            return None
        return [v.get("key", "") if isinstance(v, dict) else "" for v in col]
    except Exception:  # another codec or layout: the caller reads document by document
        return None


def _segment_id(reader: Any) -> str:
    seg = reader.segment() if hasattr(reader, "segment") else None
    return seg.segment_id() if seg is not None else f"reader-{id(reader)}"


class SegmentSets:
    """Cached masks of one segment (local docnums)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.segment_id = _segment_id(reader)
        self.size = reader.doc_count_all()
        self.terms: OrderedDict[tuple[str, str], int] = OrderedDict()
        self.posts: OrderedDict[tuple[str, str], tuple[array[int], array[float]]] = OrderedDict()
        self.posted = 0  # postings held in self.posts
        self.lengths: dict[str, bytes] = {}
        self.norms: dict[str, tuple[float, list[float]]] = {}
        self.phrases: OrderedDict[tuple[str, tuple[str, ...]], int] = OrderedDict()
        self.facets: dict[str, dict[str, int]] = {}
        self.columns: dict[str, list[Any]] = {}
        self.lock = threading.Lock()

    def postings(self, fieldname: str, text: str) -> tuple[array[int], array[float]]:
        key = (fieldname, text)
        with self.lock:
            got = self.posts.get(key)
            if got is not None:
                self.posts.move_to_end(key)
                return got
        got = _leaf_postings(self.reader, fieldname, text)
        with self.lock:
            self.posts[key] = got
            self.posted += len(got[0])
            while self.posted > _POSTINGS_BUDGET and len(self.posts) > 1:
                _, old = self.posts.popitem(last=False)
                self.posted -= len(old[0])
        return got

    def term(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        with self.lock:
            got = self.terms.get(key)
            if got is not None:
                self.terms.move_to_end(key)
                return got
        mask = mask_from_ids(self.postings(fieldname, text)[0], self.size)
        with self.lock:
            self.terms[key] = mask
            if len(self.terms) > _TERM_CACHE_SIZE:
                self.terms.popitem(last=False)
        return mask

    def phrase(self, q: wq.Phrase, searcher: Any) -> int:
        """Mask of a phrase in this segment (positions checked by Whoosh once, then cached)."""
        key = (q.fieldname, tuple(q.words))
        with self.lock:
            got = self.phrases.get(key)
            if got is not None:
                return got
        plain = wq.Phrase(q.fieldname, q.words, slop=q.slop)
        mask = mask_from_ids(plain.docs(searcher), self.size)
        with self.lock:
            self.phrases[key] = mask
            if len(self.phrases) > 64:
                self.phrases.popitem(last=False)
        return mask

    def norm(self, fieldname: str, avgfl: float, b: float, k1: float) -> list[float]:
        """K1 * (1 - B + B * length / avgfl) per document (BM25's length normalisation).
        Reused while the average length stays within 2 %: ranking cannot tell."""
        got = self.norms.get(fieldname)
        if got is not None and abs(got[0] - avgfl) <= 0.02 * avgfl:
            return got[1]
        lengths = self.lengths.get(fieldname)
        if lengths is None:
            lengths = self.lengths[fieldname] = _leaf_lengths(self.reader, fieldname)
        from whoosh.util.numeric import byte_to_length

        table = [k1 * ((1 - b) + b * byte_to_length(x) / avgfl) for x in range(256)]
        table[0] = k1 * (1 - b)
        values = [table[x] for x in lengths]
        self.norms[fieldname] = (avgfl, values)
        return values

    def facet(self, fieldname: str) -> dict[str, int]:
        """value -> mask for every value of a facet field in this segment."""
        got = self.facets.get(fieldname)
        if got is None:
            got = {}
            fieldobj = self.reader.schema[fieldname]
            for tbytes in list(self.reader.lexicon(fieldname)):
                value = fieldobj.from_bytes(tbytes)
                got[value] = mask_from_ids(
                    _leaf_postings(self.reader, fieldname, value)[0], self.size
                )
            self.facets[fieldname] = got
        return got

    def keys(self) -> list[str]:
        """The stored item key of every document of this segment, read once per segment in one
        pass over the stored-fields column (~9 us a document; the searcher's per-hit
        `stored_fields` costs ~25). Look up live documents only: deleted ones may hold a key."""
        got = self.columns.get("key")
        if got is None:
            got = _stored_keys(self.reader)
            if got is None or len(got) != self.size:  # another codec: document by document
                reader = self.reader
                deleted = reader.is_deleted if reader.has_deletions() else None
                got = [
                    ""
                    if deleted is not None and deleted(d)
                    else reader.stored_fields(d).get("key", "")
                    for d in range(self.size)
                ]
            self.columns["key"] = got
        return got

    def column(self, fieldname: str) -> list[Any]:
        """The raw sort values of a sortable field for every document (what Whoosh's sorting
        collector compares), read once per segment."""
        got = self.columns.get(fieldname)
        if got is None:
            creader = self.reader.column_reader(fieldname, translate=False)
            got = self.columns[fieldname] = [creader.sort_key(d) for d in range(self.size)]
        return got

    def live(self) -> int:
        full = (1 << self.size) - 1
        if not self.reader.has_deletions():
            return full
        deleted = [d for d in range(self.size) if self.reader.is_deleted(d)]
        return full & ~mask_from_ids(deleted, self.size)


class DocSets:
    """Masks over the global docnums of one searcher generation."""

    def __init__(self, searcher: Any, previous: DocSets | None = None) -> None:
        reuse = {s.segment_id: s for s in previous.segments} if previous else {}
        self.segments: list[SegmentSets] = []
        self.offsets: list[int] = []
        for reader, offset in searcher.reader().leaf_readers():
            seg = reuse.get(_segment_id(reader))
            if seg is None or seg.size != reader.doc_count_all():
                seg = SegmentSets(reader)
            else:
                # Same segment, maybe more deletions: masks stay valid (deletions are applied
                # through the live mask), only the reader object is new.
                seg.reader = reader
            self.segments.append(seg)
            self.offsets.append(offset)
        self.size = searcher.doc_count_all()
        self._live: int | None = None
        self._facets: dict[str, dict[str, int]] = {}
        self._norms: dict[str, tuple[float, list[float]]] = {}
        self._columns: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    def live(self) -> int:
        if self._live is None:
            self._live = self._combine(s.live() for s in self.segments)
        return self._live

    def _combine(self, masks: Iterable[int]) -> int:
        out = 0
        for mask, offset in zip(masks, self.offsets, strict=True):
            out |= mask << offset
        return out

    def term(self, fieldname: str, text: str) -> int:
        return self._combine(s.term(fieldname, text) for s in self.segments)

    def phrase(self, q: wq.Phrase, searcher: Any) -> int:
        subs = [ss for ss, _ in searcher.leaf_searchers()]
        return self._combine(
            seg.phrase(q, sub) for seg, sub in zip(self.segments, subs, strict=True)
        )

    def norm(self, fieldname: str, avgfl: float, b: float, k1: float) -> list[float]:
        """Global per-document BM25 length normalisation of `fieldname`."""
        key = f"norm:{fieldname}"
        with self._lock:
            got = self._norms.get(key)
            if got is not None and abs(got[0] - avgfl) <= 0.02 * avgfl:
                return got[1]
        out: list[float] = []
        for seg in self.segments:
            out.extend(seg.norm(fieldname, avgfl, b, k1))
        with self._lock:
            self._norms[key] = (avgfl, out)
        return out

    def facet(self, fieldname: str) -> dict[str, int]:
        """value -> global mask (deleted documents not removed: AND with a live mask)."""
        with self._lock:
            got = self._facets.get(fieldname)
            if got is None:
                got = {}
                for seg, offset in zip(self.segments, self.offsets, strict=True):
                    for value, mask in seg.facet(fieldname).items():
                        got[value] = got.get(value, 0) | (mask << offset)
                self._facets[fieldname] = got
            return got

    def keys(self) -> list[str]:
        """Global docnum -> item key (meaningful for live documents only)."""
        return self.column("key")

    def column(self, fieldname: str) -> list[Any]:
        """Global docnum -> value: "key" (stored item keys) or a sortable field's sort values.
        Segments keep theirs across searcher refreshes, so after an edit only the new small
        segment is read."""
        with self._lock:
            got = self._columns.get(fieldname)
        if got is None:
            got = []
            for seg in self.segments:
                got.extend(seg.keys() if fieldname == "key" else seg.column(fieldname))
            with self._lock:
                self._columns[fieldname] = got
        return got

    def values_mask(self, fieldname: str, values: Iterable[str]) -> int:
        table = self.facet(fieldname)
        out = 0
        for v in values:
            out |= table.get(v, 0)
        return out

    # -- query match sets -----------------------------------------------------------------------
    def query(self, q: wq.Query, searcher: Any) -> int:
        """Mask of the documents matching `q` (unscored; live documents only)."""
        return self._mask(q, searcher) & self.live()

    def _mask(self, q: wq.Query, searcher: Any) -> int:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, wq.AndNot):
            return self._mask(q.a, searcher) & ~self._mask(q.b, searcher)
        if isinstance(q, wq.AndMaybe):
            return self._mask(q.a, searcher)
        if isinstance(q, wq.Require):
            return self._mask(q.a, searcher) & self._mask(q.b, searcher)
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            out = 0
            for sub in q.subqueries:
                out |= self._mask(sub, searcher)
            return out
        if isinstance(q, wq.And):
            out = -1
            for sub in q.subqueries:
                out &= self._mask(sub, searcher)
                if not out:
                    break
            return out if q.subqueries else 0
        if isinstance(q, wq.Not):
            return self.live() & ~self._mask(q.query, searcher)
        if isinstance(q, wq.Every):
            return self.live()
        if isinstance(q, wq.Phrase):
            return self.phrase(q, searcher)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return 0
        # Phrases and anything else: Whoosh's own matcher, unscored.
        return mask_from_ids(searcher.docs_for_query(q), self.size)
