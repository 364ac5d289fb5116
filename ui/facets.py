"""The facet panel (left) and the deal-context bar (top).

Facets: one tree, a header per facet and a checkable row per value with its count *for the
current query* (the core leaves a facet's own filter out of its counts, so ticking CFO still
shows how many results CTO would add: OR within a facet, AND across facets). Updating reuses
the tree's items instead of rebuilding it, so type-ahead does not flicker or lose the focus.

Deal context: persona + stage + industry + competitor of the meeting at hand. Its values act as
pinned facet picks (shown ticked and locked in the panel) and are remembered between launches.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.theme import label

# Facets shown to a rep, in display order (status only in the marketer's "everything" view).
PANEL_FACETS: tuple[str, ...] = (
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
)
FACET_TITLES = {
    "persona": "Persona",
    "stage": "Sales stage",
    "kind": "Kind",
    "format": "Format",
    "product": "Product",
    "industry": "Industry",
    "competitor": "Competitor",
    "audience": "Audience",
    "language": "Language",
    "status": "Status",
    "region": "Region",
    "tag": "Tag",
}
SLUG_FACETS = {"kind", "format", "audience", "status"}
DEAL_FACETS: tuple[str, ...] = ("persona", "stage", "industry", "competitor")
SHOW_TOP = 8  # values per facet before "Show more"
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
FACET_ROLE = Qt.ItemDataRole.UserRole + 2
MORE_ROLE = Qt.ItemDataRole.UserRole + 3


def display_value(facet: str, value: str) -> str:
    if facet in SLUG_FACETS:
        if facet == "audience":
            return {
                "internal": "Internal only",
                "customer": "Customer-shareable",
                "partner": "Partner-shareable",
            }.get(value, label(value))
        return label(value)
    if facet == "language":
        loc = QLocale(value)
        if loc.language() != QLocale.Language.C and value:
            return QLocale.languageToString(loc.language())
    return value


class _FacetDelegate(QStyledItemDelegate):
    """Fusion outlines check boxes with a darker shade of the window colour, which vanishes on
    a dark palette; give the indicator a visible outline there (nothing else changes)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        pal = option.palette
        if theme.is_dark(pal):
            pal.setColor(QPalette.ColorRole.Window, theme.muted_text(pal).lighter(150))
            option.palette = pal


class FacetPanel(QWidget):
    """Emits `changed` when the user ticks or unticks a value."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("facetTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(0)
        self.tree.setUniformRowHeights(True)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        self.tree.setAccessibleName("Filters")
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setItemDelegate(_FacetDelegate(self.tree))
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemClicked.connect(self._item_clicked)
        self.tree.itemActivated.connect(self._item_clicked)

        title = QLabel("Filters")
        title.setFont(theme.small_font(self.font(), 1.0, bold=True))
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setToolTip("Clear all filters (the deal context stays)")
        self.clear_button.setFlat(True)
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setEnabled(False)
        head = QHBoxLayout()
        head.setContentsMargins(8, 8, 4, 4)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.tree, 1)

        self._headers: dict[str, QTreeWidgetItem] = {}
        self._values: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._selected: dict[str, set[str]] = {}
        self._pinned: dict[str, set[str]] = {}
        self._expanded: set[str] = set()  # facets showing all values
        self._orders: dict[str, list[str]] = {}  # e.g. stage -> funnel order
        self._updating = False
        self._show_status = False
        self._last_counts: dict[str, dict[str, int]] = {}
        for facet in PANEL_FACETS:
            header = QTreeWidgetItem(self.tree, [FACET_TITLES[facet], ""])
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = QFont(self.font())
            f.setBold(True)
            header.setFont(0, f)
            header.setData(0, FACET_ROLE, facet)
            header.setForeground(0, theme.muted_text(self.palette()))
            header.setSizeHint(0, QSize(0, int(QFontMetrics(f).height() * 2.0)))
            self._headers[facet] = header
            header.setExpanded(True)
            header.setHidden(True)

    # -- public --------------------------------------------------------------------------------
    def selected(self) -> dict[str, list[str]]:
        """The user's picks (without the pinned deal-context values)."""
        return {f: sorted(v) for f, v in self._selected.items() if v}

    def has_selection(self) -> bool:
        return any(self._selected.values())

    def set_pinned(self, pinned: dict[str, list[str]]) -> None:
        self._pinned = {f: set(v) for f, v in pinned.items() if v}

    def set_order(self, facet: str, names: list[str]) -> None:
        """A fixed display order for a facet's values (sales stages: funnel order)."""
        self._orders[facet] = list(names)

    def set_show_status(self, on: bool) -> None:
        self._show_status = on
        if not on:
            self._selected.pop("status", None)

    def clear(self) -> None:
        if not self.has_selection():
            return
        self._selected.clear()
        self._updating = True
        for (facet, value), item in self._values.items():
            if not self._is_pinned(facet, value):
                item.setCheckState(0, Qt.CheckState.Unchecked)
        self._updating = False
        self.clear_button.setEnabled(False)
        self.changed.emit()

    def select(self, facet: str, value: str, on: bool = True) -> None:
        """Tick a value programmatically (e.g. clicking a chip in the detail pane)."""
        picks = self._selected.setdefault(facet, set())
        (picks.add if on else picks.discard)(value)
        item = self._values.get((facet, value))
        if item is not None:
            self._updating = True
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self._updating = False
        self.clear_button.setEnabled(self.has_selection())
        self.changed.emit()

    def update_counts(self, facets: dict[str, dict[str, int]]) -> None:
        """Show the counts of a new result set; keeps ticked values even at zero."""
        self._last_counts = facets
        self._updating = True
        self.tree.setUpdatesEnabled(False)
        try:
            for facet in PANEL_FACETS:
                self._update_facet(facet, facets.get(facet, {}))
        finally:
            self.tree.setUpdatesEnabled(True)
            self._updating = False
        self.clear_button.setEnabled(self.has_selection())

    def value_item(self, facet: str, value: str) -> QTreeWidgetItem | None:
        return self._values.get((facet, value))

    # -- internals ------------------------------------------------------------------------------
    def _is_pinned(self, facet: str, value: str) -> bool:
        return value in self._pinned.get(facet, set())

    def _update_facet(self, facet: str, counts: dict[str, int]) -> None:
        header = self._headers[facet]
        if facet == "status" and not self._show_status:
            header.setHidden(True)
            return
        chosen = self._selected.get(facet, set()) | self._pinned.get(facet, set())
        values = dict(counts)
        for v in chosen:
            values.setdefault(v, 0)
        order = self._orders.get(facet)
        if order:
            rank = {name.casefold(): i for i, name in enumerate(order)}
            names = sorted(values, key=lambda v: (rank.get(v.casefold(), len(rank)), v.casefold()))
        else:
            names = sorted(values, key=lambda v: (-values[v], v.casefold()))
        expanded = facet in self._expanded
        visible = names if expanded else names[:SHOW_TOP]
        # Ticked values always show, even beyond the top N.
        visible += [v for v in names[SHOW_TOP:] if v in chosen and v not in visible]
        header.setHidden(not names)
        wanted = set(visible)
        for (f, v), old in list(self._values.items()):
            if f == facet and v not in wanted:
                header.removeChild(old)
                del self._values[(f, v)]
        more = self._more_item(header)
        for pos, v in enumerate(visible):
            item: QTreeWidgetItem | None = self._values.get((facet, v))
            if item is None:
                item = QTreeWidgetItem([display_value(facet, v), ""])
                item.setData(0, VALUE_ROLE, v)
                item.setData(0, FACET_ROLE, facet)
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                item.setForeground(1, theme.muted_text(self.palette()))
                self._values[(facet, v)] = item
                header.insertChild(pos, item)
            elif header.indexOfChild(item) != pos:
                header.takeChild(header.indexOfChild(item))
                header.insertChild(pos, item)
            pinned = self._is_pinned(facet, v)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren
            if not pinned:
                flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            item.setFlags(flags)
            item.setCheckState(0, Qt.CheckState.Checked if v in chosen else Qt.CheckState.Unchecked)
            item.setText(1, f"{values[v]:,}")
            item.setToolTip(
                0,
                "Set by the deal context"
                if pinned
                else f"{display_value(facet, v)}: {values[v]:,} results",
            )
        hidden = len(names) - len(visible)
        if more is not None:
            header.removeChild(more)
        if hidden > 0 or (expanded and len(names) > SHOW_TOP):
            more = QTreeWidgetItem([f"Show {hidden} more…" if hidden > 0 else "Show fewer", ""])
            more.setData(0, MORE_ROLE, facet)
            more.setData(0, FACET_ROLE, facet)
            more.setForeground(0, theme.link_color(self.palette()))
            more.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren)
            header.addChild(more)
        header.setExpanded(True)

    @staticmethod
    def _more_item(header: QTreeWidgetItem) -> QTreeWidgetItem | None:
        for i in range(header.childCount()):
            child = header.child(i)
            if child is not None and child.data(0, MORE_ROLE):
                return child
        return None

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != 0:
            return
        facet = item.data(0, FACET_ROLE)
        value = item.data(0, VALUE_ROLE)
        if not facet or value is None:
            return
        picks = self._selected.setdefault(facet, set())
        if item.checkState(0) == Qt.CheckState.Checked:
            picks.add(value)
        else:
            picks.discard(value)
        self.clear_button.setEnabled(self.has_selection())
        self.changed.emit()

    def _item_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        facet = item.data(0, MORE_ROLE)
        if facet:
            self._expanded ^= {facet}
            self.update_counts(self._last_counts)
            return
        value = item.data(0, VALUE_ROLE)
        if value is not None and column == 1 and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            # A click on the count toggles too (a bigger target than the checkbox).
            state = item.checkState(0)
            item.setCheckState(
                0,
                Qt.CheckState.Unchecked
                if state == Qt.CheckState.Checked
                else Qt.CheckState.Checked,
            )

    def all_value_items(self) -> list[QTreeWidgetItem]:
        out = []
        it = QTreeWidgetItemIterator(self.tree)
        while (item := it.value()) is not None:
            if item.data(0, VALUE_ROLE) is not None:
                out.append(item)
            it += 1
        return out


class DealContextBar(QFrame):
    """Persona, stage, industry and competitor of the meeting at hand; remembered."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dealContext")
        self.settings = settings
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(6)
        caption = QLabel("Deal context")
        caption.setFont(theme.small_font(self.font(), 0, bold=True))
        caption.setToolTip(
            "Who you are meeting and where the deal stands. Results are pre-filtered to match, "
            "and Frontline remembers it for next time."
        )
        layout.addWidget(caption)
        self.combos: dict[str, QComboBox] = {}
        for facet in DEAL_FACETS:
            box = QComboBox(self)
            box.setObjectName(f"deal_{facet}")
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.setMinimumContentsLength(9)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            line = box.lineEdit()
            assert line is not None
            line.setPlaceholderText(f"Any {FACET_TITLES[facet].lower()}")
            line.setClearButtonEnabled(True)
            box.setToolTip(f"The {FACET_TITLES[facet].lower()} of this deal")
            completer = box.completer()
            if completer is not None:
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            box.activated.connect(lambda _i, b=box: self._commit(b))
            line.editingFinished.connect(lambda b=box: self._commit(b))
            self.combos[facet] = box
            layout.addWidget(box, 1)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Forget the deal context")
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self._values: dict[str, str] = {}
        for facet in DEAL_FACETS:
            v = str(settings.value(f"deal/{facet}", "") or "")
            if v:
                self._values[facet] = v
                self._set_text(facet, v)
        self._update_style()

    def values(self) -> dict[str, list[str]]:
        return {f: [v] for f, v in self._values.items() if v}

    def set_choices(self, facet: str, names: list[str]) -> None:
        box = self.combos[facet]
        current = self._values.get(facet, "")
        box.blockSignals(True)
        box.clear()
        box.addItem("")
        box.addItems(names)
        box.setCurrentIndex(-1)
        box.setEditText(current)
        box.blockSignals(False)

    def set_value(self, facet: str, value: str) -> None:
        self._set_text(facet, value)
        self._commit(self.combos[facet])

    def clear(self) -> None:
        for facet in DEAL_FACETS:
            self._set_text(facet, "")
        changed = bool(self._values)
        self._values.clear()
        self._save()
        if changed:
            self.changed.emit()

    def _set_text(self, facet: str, value: str) -> None:
        box = self.combos[facet]
        box.blockSignals(True)
        box.setEditText(value)
        box.blockSignals(False)

    def _commit(self, box: QComboBox) -> None:
        facet = next(f for f, b in self.combos.items() if b is box)
        text = " ".join(box.currentText().split())
        # Match the library's spelling when the user typed another case.
        for i in range(box.count()):
            if box.itemText(i).casefold() == text.casefold():
                text = box.itemText(i)
                break
        if self._values.get(facet, "") == text:
            return
        if text:
            self._values[facet] = text
        else:
            self._values.pop(facet, None)
        self._save()
        self.changed.emit()

    def _save(self) -> None:
        for facet in DEAL_FACETS:
            self.settings.setValue(f"deal/{facet}", self._values.get(facet, ""))
        self._update_style()

    def _update_style(self) -> None:
        self.clear_button.setEnabled(bool(self._values))

    def on_change(self, cb: Callable[[], None]) -> None:
        self.changed.connect(cb)
