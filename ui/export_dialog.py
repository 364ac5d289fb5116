"""The pack basket and its export: a branded leave-behind (DOCX, optionally PDF) for a customer
or a reseller pack (zip), co-branded for a partner.

Thin over `exporters.api`: `preflight` (read) says which basket items the share rules refuse
for this recipient and why, until when the document will be valid and whether PDF is possible;
`export_leave_behind` / `export_pack` run on the serialized writer (they record an export
activity per item) with progress and cancel. The core refuses anything the rules forbid; the
dialog only shows its sentences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.basket import PackBasket
from ui.ops import Op, Task, Workers

LEAVE_BEHIND, PACK = "leave-behind", "pack"


def _safe(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in text).strip(" ._")
    return cleaned or "Frontline"


class ExportDialog(QDialog):
    """Non-modal: the basket, the recipient, the format; Export runs in the background."""

    item_requested = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        workers: Workers,
        basket: PackBasket,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Pack — export a leave-behind or a reseller pack")
        self.resize(760, 600)
        self.workers = workers
        self.basket = basket
        self.settings = settings
        self.pre: Any = None
        self.report: Any = None
        self._op: Op[Any] | None = None
        self._out_edited = False

        self.list = QListWidget(self)
        self.list.setObjectName("basketList")
        self.list.itemActivated.connect(
            lambda it: self.item_requested.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        remove = QPushButton("Remove", self)
        remove.setToolTip("Take the selected items out of the pack")
        remove.clicked.connect(self._remove_selected)
        clear = QPushButton("Clear", self)
        clear.clicked.connect(self._clear)
        for b in (remove, clear):
            b.setAutoDefault(False)
        list_row = QHBoxLayout()
        list_row.addWidget(remove)
        list_row.addWidget(clear)
        list_row.addStretch(1)
        self.refusal_note = QLabel("", self)
        self.refusal_note.setObjectName("refusalNote")
        self.refusal_note.setWordWrap(True)
        self.refusal_note.setStyleSheet(theme.pill_stylesheet("amber", self.palette()))
        self.refusal_note.hide()

        self.leave_behind = QRadioButton("Leave-behind for a customer (Word document)", self)
        self.leave_behind.setObjectName("formatLeaveBehind")
        self.pack = QRadioButton("Reseller pack (zip of the files, with a cover document)", self)
        self.pack.setObjectName("formatPack")
        self.leave_behind.setChecked(True)
        self.customer = QLineEdit(self)
        self.customer.setObjectName("customer")
        self.customer.setPlaceholderText("e.g. ACME Corp (printed on the cover)")
        self.partner = QComboBox(self)
        self.partner.setObjectName("partner")
        self.partner.addItem("No partner (our brand only)", "")
        self.partner.setToolTip(
            "Co-brand for a reseller: their logo and contact; only partner-shareable items"
        )
        self.pdf = QCheckBox("Also make a PDF", self)
        self.pdf.setObjectName("alsoPdf")
        self.watermark = QLineEdit(self)
        self.watermark.setPlaceholderText("optional, e.g. Prepared for ACME — confidential")
        self.out = QLineEdit(self)
        self.out.setObjectName("outPath")
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_edited", True))
        browse = QPushButton("Choose…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.valid = QLabel("", self)
        pal = self.valid.palette()
        pal.setColor(self.valid.foregroundRole(), theme.muted_text(pal))
        self.valid.setPalette(pal)
        self.valid.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.leave_behind)
        form.addRow(self.pack)
        form.addRow("&Customer", self.customer)
        form.addRow("&Partner", self.partner)
        form.addRow("", self.pdf)
        form.addRow("&Watermark", self.watermark)
        form.addRow("&Save as", out_row)
        form.addRow("", self.valid)

        self.progress = QProgressBar(self)
        self.progress.hide()
        self.status = QLabel("", self)
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.cancel_button = self.buttons.addButton(
            "Cancel export", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel_button.hide()
        self.show_button = self.buttons.addButton(
            "Show the file", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.hide()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self.cancel)
        self.show_button.clicked.connect(self._show_file)
        self.buttons.rejected.connect(self.close)

        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Items in the pack (double-click to see one):", self))
        lay.addWidget(self.list, 1)
        lay.addLayout(list_row)
        lay.addWidget(self.refusal_note)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)

        for w in (self.leave_behind, self.pack):
            w.toggled.connect(lambda _on: self._recipient_changed())
        self.partner.currentIndexChanged.connect(lambda _i: self._recipient_changed())
        self.customer.textEdited.connect(lambda _t: self._suggest_out())
        basket.changed.connect(self.refresh)
        self.refresh()

    # -- state -------------------------------------------------------------------------------------
    def fmt(self) -> str:
        return PACK if self.pack.isChecked() else LEAVE_BEHIND

    def partner_name(self) -> str | None:
        data = self.partner.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        """Re-check the basket against the share rules for the chosen recipient."""
        from exporters import api as ex

        keys = self.basket.keys()
        partner = self.partner_name()
        self.workers.read(
            lambda t: ex.preflight(t.lib, keys, partner=partner), owner=self, label="preflight"
        ).success(self._preflight).failure(lambda e: self._say(str(e), "red")).run()

    def _preflight(self, pre: Any) -> None:
        self.pre = pre
        refused = {r.item_key: r for r in pre.refusals}
        self.list.clear()
        for key, title in self.basket.items():
            it = QListWidgetItem(title)
            it.setData(Qt.ItemDataRole.UserRole, key)
            r = refused.get(key)
            if r is not None:
                it.setForeground(theme.muted_text(self.palette()))
                it.setText(f"{title} — not included: {r.message}")
                it.setToolTip(r.message)
            self.list.addItem(it)
        if pre.refusals:
            n = len(pre.refusals)
            self.refusal_note.setText(
                f"{n} item{'s' if n != 1 else ''} cannot go to this recipient (see the list); "
                "remove them to export."
            )
        self.refusal_note.setVisible(bool(pre.refusals))
        current = self.partner_name()
        self.partner.blockSignals(True)
        self.partner.clear()
        self.partner.addItem("No partner (our brand only)", "")
        for p in pre.partners:
            self.partner.addItem(p.name, p.name)
        self.partner.setCurrentIndex(max(0, self.partner.findData(current or "")))
        self.partner.blockSignals(False)
        self.pdf.setEnabled(bool(pre.pdf_available))
        self.pdf.setToolTip(
            "" if pre.pdf_available else "PDF needs LibreOffice, which is not installed"
        )
        self.valid.setText(
            f"Valid until {pre.valid_until:%d %b %Y}; signed by {pre.rep.name}"
            + (f", {pre.company}" if pre.company else "")
            + "."
        )
        self.export_button.setEnabled(bool(self.basket.keys()) and not self.running)
        self._suggest_out()

    def _recipient_changed(self) -> None:
        self._suggest_out()
        self.refresh()

    def _suggest_out(self) -> None:
        if self._out_edited:
            return
        folder = Path(str(self.settings.value("paths/export", str(Path.home()))))
        who = self.customer.text().strip() or self.partner_name() or "Customer"
        suffix = " pack.zip" if self.fmt() == PACK else " leave-behind.docx"
        name = _safe(who) + suffix
        self.out.setText(str(folder / name))

    def _browse(self) -> None:
        suffix = "Zip files (*.zip)" if self.fmt() == PACK else "Word documents (*.docx)"
        chosen, _ = QFileDialog.getSaveFileName(self, "Save as", self.out.text(), suffix)
        if chosen:
            self.out.setText(chosen)
            self._out_edited = True

    def _remove_selected(self) -> None:
        for it in self.list.selectedItems():
            self.basket.remove(it.data(Qt.ItemDataRole.UserRole))

    def _clear(self) -> None:
        self.basket.clear()

    # -- export -------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._op is not None and not self._op.finished

    def export(self) -> None:
        from exporters import api as ex

        out = Path(self.out.text().strip()).expanduser()
        req = ex.ExportRequest(
            keys=self.basket.keys(),
            out=out,
            customer=self.customer.text().strip(),
            partner=self.partner_name(),
            pdf=self.pdf.isChecked() and self.pdf.isEnabled(),
            watermark=self.watermark.text().strip(),
        )
        fn = ex.export_pack if self.fmt() == PACK else ex.export_leave_behind
        self.settings.setValue("paths/export", str(out.parent))

        def run(t: Task) -> Any:
            return fn(t.lib, req, progress=t.report, cancel=t.cancel)

        self.export_button.setEnabled(False)
        self.cancel_button.show()
        self.show_button.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say("Exporting…", "")
        self._op = (
            self.workers.write(run, owner=self, label="export")
            .progress(self._progress)
            .success(self._exported)
            .failure(self._failed)
            .done(self._done)
            .run()
        )

    def cancel(self) -> None:
        if self._op is not None and not self._op.finished:
            self._op.cancel.set()
            self._say("Cancelling: nothing is written when an export is cancelled.", "")

    def _progress(self, p: Any) -> None:
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        if p.message:
            self.status.setText(p.message)

    def _exported(self, report: Any) -> None:
        self.report = report
        n = len(report.items)
        lines = [
            f"Saved {Path(report.out).name} ({n} item{'s' if n != 1 else ''}, valid until "
            f"{report.valid_until:%d %b %Y}) in {Path(report.out).parent}."
        ]
        if report.pdf:
            lines.append(f"PDF: {Path(report.pdf).name}.")
        lines += report.warnings
        self._say(" ".join(lines), "green" if not report.warnings else "amber")
        self.show_button.show()
        self.message.emit(lines[0])

    def _failed(self, error: BaseException) -> None:
        self._say(str(error), "red")

    def _done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(bool(self.basket.keys()))

    def _say(self, text: str, tone: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(
            theme.pill_stylesheet(tone, self.palette()).replace(
                "border-radius: 0.6em", "border-radius: 4px"
            )
            if tone
            else ""
        )

    def _show_file(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.report.out).parent)))

    def closeEvent(self, event: Any) -> None:
        # Closing the panel does not stop a running export; its result goes to the status bar.
        super().closeEvent(event)
