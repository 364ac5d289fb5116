"""Import with a progress panel, cancel, and a report of every file that can be fixed inline.

The import runs on the serialized writer (`library.importer.import_paths` with the core's
progress and cancel). The report lists each file with its outcome and the reason in words; an
encrypted file gets a password box right in its row, which re-imports just that file with
`ImportOptions(password=...)` (the core then re-extracts the stored file in place).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library import importer
from library.progress import Progress
from library.values import ImportOptions, ImportReport, ImportResult
from ui import theme
from ui.ops import Op, Workers

log = logging.getLogger(__name__)

OUTCOME_LABELS = {
    "imported": ("Imported", "green"),
    "updated": ("Updated", "blue"),
    "unchanged": ("Already there", "slate"),
    "skipped": ("Skipped", "slate"),
    "failed": ("Failed", "red"),
}
STATUS_LABELS = {
    "ok": "Text extracted",
    "partial": "Partly extracted",
    "encrypted": "Password-protected",
    "image-only": "Scanned, no text",
    "unsupported": "Not searchable",
    "failed": "Unreadable",
}
COLUMNS = ("File", "Result", "Text", "Reason / fix")


class ImportDialog(QDialog):
    """Non-modal: the user can keep searching while files are imported."""

    finished_import = Signal(object)  # ImportReport
    item_changed = Signal()  # a row was fixed (re-imported with a password)

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self.workers = workers
        self.report: ImportReport | None = None
        self._op: Op[Any] | None = None
        self.setMinimumSize(760, 420)

        self.heading = QLabel("Preparing…")
        self.heading.setFont(theme.small_font(self.font(), 2.0, bold=True))
        self.current = QLabel("")
        self.current.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the current file; what was imported stays")
        self.cancel_button.clicked.connect(self.cancel)
        bar_row = QHBoxLayout()
        bar_row.addWidget(self.bar, 1)
        bar_row.addWidget(self.cancel_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("importReport")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.current)
        layout.addLayout(bar_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    # -- running ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._op is not None and not self._op.finished

    def start(
        self,
        paths: list[Path],
        *,
        manifest: Path | None = None,
        options: ImportOptions | None = None,
    ) -> None:
        options = options or ImportOptions()
        what = f"{len(paths)} item{'s' if len(paths) != 1 else ''}" if paths else "the manifest"
        self.heading.setText(f"Importing {what}…")
        self.current.setText("")
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.table.hide()
        self.table.setRowCount(0)

        def run(task: Any) -> ImportReport:
            return importer.import_paths(
                task.lib,
                paths,
                options,
                manifest=manifest,
                progress=task.report,
                cancel=task.cancel,
            )

        self._op = (
            self.workers.write(run, owner=self, label="import")
            .progress(self._progress)
            .success(self._finished)
            .failure(self._failed)
            .run()
        )

    def cancel(self) -> None:
        if self._op is not None and not self._op.finished:
            self._op.cancel.set()
            self.cancel_button.setEnabled(False)
            self.current.setText("Cancelling after the current file…")

    def _progress(self, p: Progress) -> None:
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
            self.bar.setFormat(f"{p.done} of {p.total}")
        if p.message:
            self.current.setText(p.message)

    def _failed(self, error: BaseException) -> None:
        self.heading.setText("The import could not run")
        self.current.setText(str(error))
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.cancel_button.hide()

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.cancel_button.hide()
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        n = len(report.results)
        counts = [
            f"{report.count(o)} {OUTCOME_LABELS[o][0].lower()}"
            for o in ("imported", "updated", "unchanged", "skipped", "failed")
            if report.count(o)
        ]
        self.bar.setFormat(", ".join(counts) or "nothing to import")
        title = "Import cancelled" if report.cancelled else "Import finished"
        self.heading.setText(f"{title}: {n} file{'s' if n != 1 else ''} in {report.seconds:.1f} s")
        needs = sum(
            1
            for r in report.results
            if r.extraction_status in ("encrypted", "image-only", "failed", "unsupported")
            or r.outcome == "failed"
        )
        self.current.setText(
            f"{needs} file{'s need' if needs != 1 else ' needs'} attention: see the reasons below."
            if needs
            else "Imported files are drafts for internal use until you approve them (Edit…)."
        )
        self._fill(report.results)
        self.finished_import.emit(report)

    # -- report -----------------------------------------------------------------------------------
    def _fill(self, results: list[ImportResult]) -> None:
        self.table.setRowCount(len(results))
        for row, r in enumerate(results):
            self._set_row(row, r)
        self.table.show()

    def _set_row(self, row: int, r: ImportResult) -> None:
        name = Path(r.path).name
        item = QTableWidgetItem((r.title and r.title != name and f"{name}") or name)
        item.setToolTip(r.path)
        item.setData(Qt.ItemDataRole.UserRole, r.path)
        self.table.setItem(row, 0, item)
        text, tone = OUTCOME_LABELS.get(r.outcome, (r.outcome, "slate"))
        out = QTableWidgetItem(text)
        out.setForeground(theme.pill_colors(tone, self.palette()).text)
        self.table.setItem(row, 1, out)
        self.table.setItem(
            row, 2, QTableWidgetItem(STATUS_LABELS.get(r.extraction_status, r.extraction_status))
        )
        self.table.removeCellWidget(row, 3)
        if r.extraction_status == "encrypted":
            self.table.setCellWidget(row, 3, self._password_cell(row, r))
        else:
            reason = QTableWidgetItem(
                r.reason or ("—" if r.outcome != "imported" else "Ready to tag and approve")
            )
            reason.setToolTip(r.reason)
            self.table.setItem(row, 3, reason)

    def _password_cell(self, row: int, r: ImportResult) -> QWidget:
        cell = QWidget()
        lay = QHBoxLayout(cell)
        lay.setContentsMargins(4, 1, 4, 1)
        wrong = r.reason.startswith("Wrong password")
        note = QLabel("Wrong password, try again:" if wrong else "Enter its password:")
        edit = QLineEdit()
        edit.setObjectName(f"password_{row}")
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText("password")
        edit.setToolTip("Frontline uses the password once, to read the text; it does not store it")
        button = QPushButton("Unlock")
        button.setObjectName(f"unlock_{row}")
        button.setAutoDefault(False)
        lay.addWidget(note)
        lay.addWidget(edit, 1)
        lay.addWidget(button)

        def unlock() -> None:
            pw = edit.text()
            if not pw:
                edit.setFocus()
                return
            button.setEnabled(False)
            edit.setEnabled(False)
            self.retry_with_password(row, Path(r.path), pw)

        button.clicked.connect(unlock)
        edit.returnPressed.connect(unlock)
        return cell

    def retry_with_password(self, row: int, path: Path, password: str) -> None:
        def run(task: Any) -> ImportReport:
            return importer.import_paths(task.lib, [path], ImportOptions(password=password))

        self.workers.write(run, owner=self, label="unlock").success(
            lambda rep: self._retried(row, rep)
        ).failure(lambda e: self._retry_failed(row, e)).run()

    def _retried(self, row: int, report: ImportReport) -> None:
        if not report.results:
            return
        r = report.results[0]
        if r.extraction_status == "encrypted":
            r.reason = "Wrong password: try again."
        self._set_row(row, r)
        if self.report is not None and row < len(self.report.results):
            self.report.results[row] = r
        self.item_changed.emit()

    def _retry_failed(self, row: int, error: BaseException) -> None:
        self.table.removeCellWidget(row, 3)
        self.table.setItem(row, 3, QTableWidgetItem(str(error)))

    def closeEvent(self, event: Any) -> None:
        # Closing the panel does not stop the import; the status bar keeps showing it.
        super().closeEvent(event)
