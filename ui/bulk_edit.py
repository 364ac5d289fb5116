"""Bulk edit: set persona / stage / tags / audience / expiry on many items at once.

Each item is one `library.items.edit` transaction on the writer (so a bad value fails with the
core's sentence and the items already done stay done), with progress and cancel between items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from library import items
from library.core import Library
from library.errors import LibraryError
from library.progress import Progress
from library.values import TermInfo
from library.vocab import Audience
from ui.chips import ChipInput
from ui.editor import AUDIENCE_LABELS
from ui.ops import Task, Workers

BULK_TAXONOMIES = ("persona", "stage", "tag")
TITLES = {"persona": "Personas", "stage": "Sales stages", "tag": "Tags"}


@dataclass(slots=True)
class BulkResult:
    done: int = 0
    failed: list[str] = field(default_factory=list)
    cancelled: bool = False
    skipped: list[str] = field(default_factory=list)  # titles of read-only items, not edited


def read_only_titles(lib: Library, keys: list[str]) -> dict[str, str]:
    """{key: title} of the items among `keys` that came from a subscribed channel or a received
    pack (`items.read_only_reason`): the core refuses to edit them. Unknown keys are left out."""
    out: dict[str, str] = {}
    with lib.reader() as s:
        for key in keys:
            try:
                item = items.find(s, key)
            except LibraryError:
                continue
            if items.read_only_reason(s, item) is not None:
                out[key] = item.title
    return out


def skipped_sentence(titles: list[str]) -> str:
    """One sentence naming the read-only items a bulk edit leaves alone."""
    named = ", ".join(f"'{t}'" for t in titles[:3]) + (
        f" and {len(titles) - 3} more" if len(titles) > 3 else ""
    )
    one = len(titles) == 1
    return (
        f"{named} {'comes' if one else 'come'} from a subscribed channel or a received pack and "
        f"{'is' if one else 'are'} read-only here, so {'it is' if one else 'they are'} skipped."
    )


def apply_bulk(task: Task, keys: list[str], assignments: list[tuple[str, str]]) -> BulkResult:
    """Writer thread: one edit per item; a failure is reported and the rest go on. Items from a
    channel or a received pack are skipped (named in `skipped`), not edited."""
    result = BulkResult()
    read_only = read_only_titles(task.lib, keys)
    for n, key in enumerate(keys):
        if task.cancel.requested:
            result.cancelled = True
            break
        task.report(Progress(n, len(keys), "Updating items"))
        if key in read_only:
            result.skipped.append(read_only[key])
            continue
        try:
            items.edit(task.lib, key, assignments)
            result.done += 1
        except (LibraryError, ValueError) as e:  # the core's sentence (bad value, gone item)
            result.failed.append(f"{key[:8]}: {e}")
    task.report(Progress(len(keys), len(keys), "Done"))
    return result


class TaxonomyChange(QWidget):
    """'Add' or 'Replace with' + chips for one taxonomy, off unless ticked."""

    def __init__(self, tax: str, choices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tax = tax
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox(self)
        self.mode = QComboBox(self)
        self.mode.addItem("Add", "+")
        self.mode.addItem("Replace with", "=")
        self.mode.addItem("Remove", "-")
        self.chips = ChipInput(choices, self)
        self.chips.setObjectName(f"bulk_{tax}")
        self.enabled.setToolTip(f"Change the {tax}s of the selected items")
        # Always editable: typing a value ticks the change (one step less than tick-then-type).
        self.chips.changed.connect(lambda: self.enabled.setChecked(True))
        self.mode.currentIndexChanged.connect(lambda _i: self.enabled.setChecked(True))
        lay.addWidget(self.enabled)
        lay.addWidget(self.mode)
        lay.addWidget(self.chips, 1)

    def assignment(self) -> tuple[str, str] | None:
        if not self.enabled.isChecked():
            return None
        values = ",".join(self.chips.values())
        mode = self.mode.currentData()
        if mode == "=":
            return (self.tax, values)
        if not values:
            return None
        return (f"{mode}{self.tax}", values)


class BulkEditDialog(QDialog):
    finished_edit = Signal(object)  # BulkResult

    def __init__(
        self,
        workers: Workers,
        keys: list[str],
        terms: dict[str, list[TermInfo]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkEdit")
        self.setWindowTitle(f"Edit {len(keys)} items")
        self.workers = workers
        self.keys = keys
        self.resize(620, 360)
        form = QFormLayout()
        self.changes: list[TaxonomyChange] = []
        for tax in BULK_TAXONOMIES:
            change = TaxonomyChange(tax, [t.name for t in terms.get(tax, [])])
            self.changes.append(change)
            form.addRow(TITLES[tax], change)
        self.audience_on = QCheckBox()
        self.audience = QComboBox()
        for a in Audience:
            self.audience.addItem(AUDIENCE_LABELS[a.value], a.value)
        self.audience.setEnabled(False)
        self.audience_on.toggled.connect(self.audience.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.audience_on)
        row.addWidget(self.audience, 1)
        form.addRow("Audience", row)
        self.expiry_on = QCheckBox()
        self.expiry = QDateEdit(QDate.currentDate().addYears(1))
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("yyyy-MM-dd")
        self.no_expiry = QCheckBox("No expiry date")
        self.no_expiry.setToolTip("Remove the expiry date of the selected items")
        for w in (self.expiry, self.no_expiry):
            w.setEnabled(False)
            self.expiry_on.toggled.connect(w.setEnabled)
        self.no_expiry.toggled.connect(
            lambda on: self.expiry.setEnabled(not on and self.expiry_on.isChecked())
        )
        row2 = QHBoxLayout()
        row2.addWidget(self.expiry_on)
        row2.addWidget(self.expiry)
        row2.addWidget(self.no_expiry)
        row2.addStretch(1)
        form.addRow("Expires on", row2)
        self.note = QLabel(f"Changes apply to the {len(keys)} selected items.")
        self.note.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self._cancel)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.note)
        lay.addWidget(self.bar)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self._op: Any = None
        self.read_only: dict[str, str] = {}  # {key: title} of selected items it will skip
        workers.read(
            lambda t: read_only_titles(t.lib, keys), owner=self, label="bulk read-only"
        ).success(self._read_only_known).run()

    def _read_only_known(self, read_only: dict[str, str]) -> None:
        """Say up front which selected items the edit will leave alone (channel / pack)."""
        self.read_only = read_only
        if read_only:
            n = len(self.keys) - len(read_only)
            self.note.setText(
                f"Changes apply to {n} of the {len(self.keys)} selected items. "
                + skipped_sentence(list(read_only.values()))
            )

    def assignments(self) -> list[tuple[str, str]]:
        out = [a for a in (c.assignment() for c in self.changes) if a is not None]
        if self.audience_on.isChecked():
            out.append(("audience", str(self.audience.currentData())))
        if self.expiry_on.isChecked():
            q = self.expiry.date()
            value = (
                ""
                if self.no_expiry.isChecked()
                else f"{q.year():04d}-{q.month():02d}-{q.day():02d}"
            )
            out.append(("expires_on", value))
        return out

    def apply(self) -> None:
        changes = self.assignments()
        if not changes:
            self.note.setText("Tick at least one change to apply.")
            return
        keys = list(self.keys)
        self.bar.show()
        self.bar.setRange(0, len(keys))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(False)
        self._op = (
            self.workers.write(
                lambda t: apply_bulk(t, keys, changes), owner=self, label="bulk edit"
            )
            .progress(self._progress)
            .success(self._done)
            .failure(lambda e: self.note.setText(f"Stopped: {e}"))
            .run()
        )

    def _progress(self, p: Progress) -> None:
        self.bar.setValue(p.done)

    def _done(self, result: BulkResult) -> None:
        self.finished_edit.emit(result)
        skipped = f" {skipped_sentence(result.skipped)}" if result.skipped else ""
        if result.failed:
            self.note.setText(
                f"{result.done} updated; {len(result.failed)} not: "
                + "; ".join(result.failed[:3])
                + skipped
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(True)
            return
        if result.skipped:  # stay open: the user must see which items were left alone
            self.note.setText(f"{result.done} updated.{skipped}")
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
            return
        self.accept()

    def _cancel(self) -> None:
        if self._op is not None and not self._op.finished:
            self._op.cancel.set()
            self.note.setText("Stopping after the current item…")
            return
        self.reject()
