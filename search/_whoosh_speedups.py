"""Targeted speed-ups of whoosh3 3.54.0 internals used while writing segments.

Same results, less Python per posting. Applied once, on import of `search.engine`; each patch
checks that the internals it relies on are there and otherwise leaves Whoosh alone (the pinned
version is exact, see pyproject.toml).

1. `W3PerDocReader.doc_field_length_reader`: the segment writer looks up the document length
   of every posting through a column reader that seeks and reads one byte from the file per
   call (~2 us). The lengths of a new segment are one byte per document: read them once.
2. `PostingPool` -> `CompactPool`: Whoosh's pool keeps every posting as a 5-tuple (~250 bytes)
   and, past `limitmb`, pickles each one to a temporary run file and back (~11 us per posting):
   a 10,000-item rebuild spent most of its time there (95 vs 160 items/s). Postings arrive
   in document order, so the compact pool keeps, per term, arrays of docnums and weights and one
   byte buffer of values (~30 bytes a posting) and never sorts or spills; `approx_bytes` lets
   the rebuild start a new segment before memory grows (search.engine.SEGMENT_BYTES).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    try:
        from whoosh.codec import whoosh3
        from whoosh.util.numeric import byte_to_length
    except ImportError:  # pragma: no cover - another Whoosh
        return
    cls = whoosh3.W3PerDocReader
    original = getattr(cls, "doc_field_length_reader", None)
    lenfield = getattr(whoosh3, "_lenfield", None)
    column = getattr(whoosh3, "LENGTHS_COLUMN", None)
    if original is None or lenfield is None or column is None:  # pragma: no cover
        log.info("whoosh internals changed; length-reader speed-up not applied")
        return
    table = [byte_to_length(b) for b in range(256)]

    def doc_field_length_reader(
        self: Any, fieldname: str, default: int = 0
    ) -> Callable[[int], Any]:
        reader = self._cached_reader(lenfield(fieldname), column)
        try:
            n = int(reader._count)
            data = bytes(reader._dbfile.get(reader._basepos, n)) if n else b""
            if reader._fixedlen != 1 or len(data) != n:
                raise ValueError("unexpected length column layout")
        except Exception:
            return original(self, fieldname, default)

        def get(docnum: int) -> int | None:
            # Same answers as the original: the stored length, or None when its byte is 0.
            if docnum < n:
                b = data[docnum]
                return table[b] if b else None
            return None

        return get

    cls.doc_field_length_reader = doc_field_length_reader  # type: ignore[method-assign]

    from whoosh import writing

    if hasattr(writing, "PostingPool"):
        writing.PostingPool = _compact_pool(writing.PostingPool)  # type: ignore[misc, assignment]


def _compact_pool(base: type) -> type:
    from array import array

    class CompactPool(base):
        def __init__(self, tempstore: Any, segment: Any, limitmb: int = 128, **kwargs: Any) -> None:
            super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
            self.terms: dict[tuple[str, bytes], tuple[Any, Any, bytearray, Any, list[bool]]] = {}
            self.approx_bytes = 0

        def add(self, item: tuple[Any, ...]) -> None:
            fieldname, tbytes, docnum, weight, vbytes = item
            key = (fieldname, tbytes)
            entry = self.terms.get(key)
            if entry is None:
                entry = self.terms[key] = (array("i"), array("d"), bytearray(), array("I"), [False])
                self.fieldnames.add(fieldname)
                self.approx_bytes += 200 + len(tbytes)
            ids, weights, values, ends, has_none = entry
            if ids and docnum < ids[-1]:
                has_none.append(True)  # out of order: sort this term when reading it back
            ids.append(docnum)
            weights.append(weight)
            if vbytes is None:
                has_none[0] = True
            else:
                values += vbytes
            ends.append(len(values))
            self.approx_bytes += 12 + (len(vbytes) if vbytes else 0)

        def save(self) -> None:  # never spills: the caller bounds the size (approx_bytes)
            return None

        def iter_postings(self) -> Any:
            return self.items()

        def items(self, maxfiles: int = 128) -> Any:
            for key in sorted(self.terms):
                ids, weights, values, ends, flags = self.terms[key]
                fieldname, tbytes = key
                nullable = flags[0]
                rows = []
                start = 0
                for i in range(len(ids)):
                    end = ends[i]
                    v: bytes | None = bytes(values[start:end])
                    rows.append((ids[i], weights[i], None if nullable and not v else v))
                    start = end
                if len(flags) > 1:
                    rows.sort(key=lambda r: r[0])
                for docnum, weight, v in rows:
                    yield fieldname, tbytes, docnum, weight, v

        def cleanup(self) -> None:
            self.terms = {}
            self.approx_bytes = 0

    CompactPool.__name__ = "CompactPool"
    return CompactPool
