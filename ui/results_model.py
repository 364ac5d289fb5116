"""The result list: a model over an id list plus a per-row cache (Anki `DataModel`, calibre
`BooksModel`).

Search and sorting happen in the core; the model only knows `total`, the keys fetched so far
(the first page arrives with the search, the rest on demand in one request) and, for rows that
were on screen, a cached `Row` (summary, badges, snippet). `data()` never blocks: a row not yet
fetched shows a placeholder and is queued; after the current paint the model asks for the
missing rows in one batch (`rows_needed` / `keys_needed`) and the controller answers with
`fill_*`. Every answer carries the search generation it belongs to, so late answers of an older
search are dropped. Deliberately no QSortFilterProxyModel: it would sort only the loaded rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from library.badges import Badge, badges
from library.values import ItemSummary
from search.api import SearchHit, SearchResults

FETCH_WINDOW = 60  # rows fetched around the requested ones (about two screens)
ROW_CACHE_LIMIT = 20000  # summaries kept across searches (type-ahead re-finds the same items)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class Row:
    """What the delegate paints for one result."""

    key: str
    title: str = ""
    kind: str = ""
    format: str = ""
    summary: ItemSummary | None = None
    badges: list[Badge] = field(default_factory=list)
    snippet: str = ""  # HTML-escaped, <b> around matched terms
    snippet_loaded: bool = False
    file: str = ""
    page: int | None = None


class ResultsModel(QAbstractListModel):
    rows_needed = Signal(int, list)  # (generation, keys whose summary/snippet is missing)
    keys_needed = Signal(int, int)  # (generation, how many keys are known): fetch the rest

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self.query_id = 0
        self.results: SearchResults | None = None
        self.browsing = True  # no search words: rows show summaries, not snippets
        self._keys: list[str] = []
        self._pos: dict[str, int] = {}
        self._total = 0
        self._rows: dict[str, Row] = {}
        self._summaries: dict[str, ItemSummary] = {}  # survives searches; cleared on writes
        self._wanted: set[int] = set()
        self._in_flight: set[str] = set()
        self._keys_requested = False
        self.today = date.today()
        self.last_seen: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # after the current paint: one batch for all visible rows
        self._timer.timeout.connect(self._request_wanted)

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._total:
            return None
        n = index.row()
        key = self._keys[n] if n < len(self._keys) else None
        row = self._rows.get(key) if key else None
        if role in (ROW_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and (
            row is None or row.summary is None or not row.snippet_loaded
        ):
            self._want(n)
        if role == KEY_ROLE:
            return key
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title if row is not None and row.title else "Loading…"
        if role == Qt.ItemDataRole.ToolTipRole and row is not None:
            s = row.summary
            if s is None:
                return row.title
            return f"{row.title}\n{_label(s.format)} · updated {s.updated_at:%Y-%m-%d}"
        if role == Qt.ItemDataRole.AccessibleTextRole and row is not None:
            return row.title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return ["application/x-frontline-item-keys", "text/plain"]

    def mimeData(self, indexes: Any) -> QMimeData:
        keys = [k for k in (self.key_at(i.row()) for i in indexes) if k]
        mime = QMimeData()
        mime.setData("application/x-frontline-item-keys", QByteArray("\n".join(keys).encode()))
        mime.setText("\n".join(self._rows[k].title for k in keys if k in self._rows))
        return mime

    # -- queries --------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    def key_at(self, row: int) -> str | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_at(self, row: int) -> Row | None:
        key = self.key_at(row)
        return self._rows.get(key) if key else None

    def row_of(self, key: str) -> int:
        return self._pos.get(key, -1)

    def known_keys(self) -> int:
        return len(self._keys)

    def fully_loaded(self, first: int, last: int) -> bool:
        """True when rows first..last have summaries and snippets (benchmarks, screenshots)."""
        for n in range(max(0, first), min(last, self._total - 1) + 1):
            row = self.row_at(n)
            if row is None or row.summary is None or not row.snippet_loaded:
                return False
        return True

    # -- answers from the controller ----------------------------------------------------------------
    def reset_results(
        self,
        generation: int,
        results: SearchResults,
        summaries: dict[str, ItemSummary],
        *,
        keys: list[str] | None = None,
    ) -> None:
        """A new search. `keys`: the whole id list when already known (a popularity sort
        reorders all of it); rows are made for `results.hits` (the first page) only."""
        self.beginResetModel()
        self.generation = generation
        self.query_id = results.query_id
        self.results = results
        self.browsing = not results.query.strip()
        self._total = results.total
        self._keys = (
            list(keys)[: self._total] if keys is not None else [h.key for h in results.hits]
        )
        self._pos = {k: n for n, k in enumerate(self._keys)}
        self._rows = {}
        self._summaries.update(summaries)
        self._trim_cache()
        for hit in results.hits:
            self._rows[hit.key] = self._make_row(hit)
        self._wanted.clear()
        self._in_flight.clear()
        self._keys_requested = len(self._keys) >= self._total
        self.endResetModel()

    def fill_keys(self, generation: int, keys: list[str]) -> None:
        """The complete id list of the current search (requested when the user scrolls past
        the first page, or after a pause in typing)."""
        if generation != self.generation:
            return
        self._keys = list(keys[: self._total])
        self._pos = {k: n for n, k in enumerate(self._keys)}
        # Rows are made when they are first fetched (fill_rows), not here: building 50,000 Row
        # objects on the GUI thread froze the first scroll past the first page for ~300 ms.
        if self._total:
            self.dataChanged.emit(self.index(0), self.index(self._total - 1))

    def fill_rows(
        self,
        generation: int,
        summaries: dict[str, ItemSummary],
        snippets: dict[str, SearchHit],
        keys: list[str],
    ) -> None:
        for k in keys:
            self._in_flight.discard(k)
        if generation != self.generation:
            return
        self._summaries.update(summaries)
        changed: list[int] = []
        for k in keys:
            row = self._rows.get(k)
            if row is None:
                if k not in self._pos:
                    continue
                row = self._rows[k] = Row(key=k)
            summary = self._summaries.get(k)
            if summary is not None:
                row.summary = summary
                row.title = summary.title
                row.kind, row.format = summary.kind, summary.format
                row.badges = self._badges(summary)
            hit = snippets.get(k)
            if hit is not None:
                row.snippet, row.file, row.page = hit.snippet, hit.file, hit.page
            row.snippet_loaded = True
            n = self._pos.get(k, -1)
            if n >= 0:
                changed.append(n)
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))

    def prefetch_keys(self) -> None:
        """Ask for the rest of the id list now (the user paused), so a later jump down the
        scroll bar finds the ids there instead of waiting for them."""
        if not self._keys_requested and len(self._keys) < self._total:
            self._keys_requested = True
            self.keys_needed.emit(self.generation, len(self._keys))

    def forget_cache(self) -> None:
        """Items changed (a write): cached summaries may be stale."""
        self._summaries.clear()

    def set_last_seen(self, last_seen: datetime | None, today: date | None = None) -> None:
        self.last_seen = last_seen
        self.today = today or date.today()

    # -- internals -------------------------------------------------------------------------------
    def _make_row(self, hit: SearchHit) -> Row:
        row = Row(key=hit.key, title=hit.title, kind=hit.kind, format=hit.format)
        summary = self._summaries.get(hit.key)
        if summary is not None:
            row.summary = summary
            row.badges = self._badges(summary)
            if not row.title:  # a key-only hit (popularity order): the summary has the title
                row.title, row.kind, row.format = summary.title, summary.kind, summary.format
        if hit.snippet:
            row.snippet, row.file, row.page = hit.snippet, hit.file, hit.page
            row.snippet_loaded = True
        return row

    def _badges(self, s: ItemSummary) -> list[Badge]:
        return badges(s, today=self.today, last_seen=self.last_seen)

    def _want(self, n: int) -> None:
        self._wanted.add(n)
        if not self._timer.isActive():
            self._timer.start()

    def _request_wanted(self) -> None:
        wanted, self._wanted = self._wanted, set()
        if not wanted:
            return
        lo, hi = min(wanted), max(wanted)
        if hi >= len(self._keys):
            if not self._keys_requested:
                self._keys_requested = True
                self.keys_needed.emit(self.generation, len(self._keys))
            hi = len(self._keys) - 1
        # A window around what was asked for: scrolling a little further finds rows ready.
        first = max(0, lo - FETCH_WINDOW // 4)
        last = min(len(self._keys) - 1, max(hi, lo + FETCH_WINDOW))
        keys = []
        for n in range(first, last + 1):
            k = self._keys[n]
            row = self._rows.get(k)
            if k in self._in_flight or (
                row is not None and row.summary is not None and row.snippet_loaded
            ):
                continue
            keys.append(k)
        if keys:
            self._in_flight.update(keys)
            self.rows_needed.emit(self.generation, keys)

    def _trim_cache(self) -> None:
        if len(self._summaries) > ROW_CACHE_LIMIT:
            # Oldest first (dicts keep insertion order): drop the older half.
            for k in list(self._summaries)[: len(self._summaries) // 2]:
                del self._summaries[k]


def _label(slug: str) -> str:
    from ui.theme import label

    return label(slug)
