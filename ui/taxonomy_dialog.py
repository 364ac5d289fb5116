"""Taxonomy editor: the library's shared definitions (personas, stages, products, industries,
regions, competitors, tags) with how many items use each; rename and merge keep every item's
links (core `library.terms`), and the affected items are re-indexed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library.values import TermInfo
from library.vocab import TAXONOMIES
from ui import theme
from ui.editor import PLURALS
from ui.library_gaps import all_terms, merge_terms, rename_term
from ui.ops import Workers


class TaxonomyDialog(QDialog):
    changed = Signal()  # items were re-linked: search again

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taxonomyDialog")
        self.setWindowTitle("Taxonomies")
        self.workers = workers
        self.resize(640, 480)
        self.terms: dict[str, list[TermInfo]] = {}

        self.kinds = QListWidget()
        self.kinds.setObjectName("taxonomies")
        for tax in TAXONOMIES:
            self.kinds.addItem(PLURALS.get(tax, tax))
        self.kinds.setMaximumWidth(170)
        self.kinds.currentRowChanged.connect(self._show)

        self.values = QTreeWidget()
        self.values.setObjectName("termValues")
        self.values.setHeaderLabels(["Name", "Items"])
        self.values.setRootIsDecorated(False)
        self.values.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.values.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.values.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.values.itemSelectionChanged.connect(self._selection)
        self.values.itemDoubleClicked.connect(lambda *_: self.rename())

        self.rename_button = QPushButton("Rename…")
        self.rename_button.setToolTip(
            "Rename the value everywhere; a name that exists merges the two"
        )
        self.rename_button.clicked.connect(self.rename)
        self.merge_button = QPushButton("Merge into…")
        self.merge_button.setToolTip("Move every item of the selected values to one value")
        self.merge_button.clicked.connect(self.merge)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        pal = self.note.palette()
        pal.setColor(self.note.foregroundRole(), theme.muted_text(pal))
        self.note.setPalette(pal)

        side = QVBoxLayout()
        side.addWidget(self.rename_button)
        side.addWidget(self.merge_button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.kinds)
        body.addWidget(self.values, 1)
        body.addLayout(side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(self.note)
        lay.addWidget(buttons)
        self._selection()
        self.reload()

    def reload(self) -> None:
        self.workers.read(
            lambda t: all_terms(t.lib, TAXONOMIES), owner=self, label="terms"
        ).success(self._loaded).run()

    def _loaded(self, terms: dict[str, list[TermInfo]]) -> None:
        self.terms = terms
        row = max(0, self.kinds.currentRow())
        self.kinds.setCurrentRow(row)
        self._show(row)

    def taxonomy(self) -> str:
        return TAXONOMIES[max(0, self.kinds.currentRow())]

    def _show(self, row: int) -> None:
        self.values.clear()
        tax = TAXONOMIES[max(0, row)]
        for t in self.terms.get(tax, []):
            item = QTreeWidgetItem([t.name, f"{t.item_count:,}"])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, Qt.ItemDataRole.UserRole, t.name)
            self.values.addTopLevelItem(item)
        hint = "Stages are listed in funnel order." if tax == "stage" else ""
        self.note.setText(hint)
        self._selection()

    def _selected(self) -> list[str]:
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in self.values.selectedItems()]

    def _selection(self) -> None:
        n = len(self._selected())
        self.rename_button.setEnabled(n == 1)
        self.merge_button.setEnabled(n >= 1)

    def rename(self) -> None:
        names = self._selected()
        if len(names) != 1:
            return
        old = names[0]
        new, ok = QInputDialog.getText(self, "Rename", f"New name for '{old}':", text=old)
        if ok and new.strip() and new.strip() != old:
            self.run_rename(self.taxonomy(), old, new.strip())

    def merge(self) -> None:
        names = self._selected()
        if not names:
            return
        tax = self.taxonomy()
        choices = [t.name for t in self.terms.get(tax, []) if t.name not in names] or names
        target, ok = QInputDialog.getItem(
            self, "Merge", f"Merge {', '.join(names)} into:", choices, 0, True
        )
        if ok and target.strip():
            self.run_merge(tax, names, target.strip())

    def run_rename(self, tax: str, old: str, new: str) -> None:
        self._write(lambda t: rename_term(t.lib, tax, old, new), f"Renamed '{old}' to '{new}'")

    def run_merge(self, tax: str, sources: list[str], target: str) -> None:
        self._write(
            lambda t: merge_terms(t.lib, tax, sources, target),
            f"Merged {', '.join(sources)} into '{target}'",
        )

    def _write(self, fn: Any, done: str) -> None:
        self.setEnabled(False)

        def ok(keys: list[str]) -> None:
            self.setEnabled(True)
            self.note.setText(f"{done}: {len(keys)} item{'s' if len(keys) != 1 else ''} updated.")
            self.changed.emit()
            self.reload()

        def failed(e: BaseException) -> None:
            self.setEnabled(True)
            self.note.setText(str(e))

        self.workers.write(fn, owner=self, label="taxonomy").success(ok).failure(failed).run()
