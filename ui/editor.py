"""Item editor: every metadata field, taxonomies as chips with completion, the structured
case-study and battle-card sections, audience and dates, and the item's files (add / remove).

Saving sends only what changed, as `library.items.edit` assignments, on the writer. The core
validates; its InvalidInput/ValueError sentence is shown at the top of the dialog, which stays
open with everything the user typed.

Files are not part of Save: adding or removing one is its own new version with its own change
note (ui.file_actions), written at once; the rest of the form keeps what the user typed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library import items
from library.values import AssetInfo, ItemDetail, TermInfo
from library.vocab import FORMATS, TAXONOMIES, Audience, Kind, Status
from ui import theme
from ui.chips import ChipInput
from ui.facets import FACET_TITLES
from ui.file_actions import FileButtons
from ui.ops import Workers
from ui.theme import label

LIST_FIELDS = ("why_we_win", "why_we_lose", "landmines", "proof_points")
AUDIENCE_LABELS = {
    "internal": "Internal only",
    "customer": "Customer-shareable",
    "partner": "Partner-shareable",
}
CHIP_TONES = {"persona": "blue", "stage": "slate"}
PLURALS = {
    "persona": "Personas",
    "stage": "Sales stages",
    "product": "Products",
    "industry": "Industries",
    "region": "Regions",
    "competitor": "Competitors",
    "tag": "Tags",
}


class OptionalDate(QWidget):
    """A date that may be empty: a checkbox enables the date field."""

    def __init__(self, value: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.check.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        # Fixed height: in a form, an expanding row would float the date away from its label.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.check.setToolTip("Untick to leave the date empty")
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        d = value or date.today()
        self.edit.setDate(QDate(d.year, d.month, d.day))

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        q = self.edit.date()
        return date(q.year(), q.month(), q.day())


def _combo(values: list[tuple[str, str]], current: str) -> QComboBox:
    box = QComboBox()
    for slug, text in values:
        box.addItem(text, slug)
    i = box.findData(current)
    box.setCurrentIndex(max(0, i))
    return box


def _lines(values: Any) -> str:
    return "\n".join(str(v) for v in (values or []))


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ItemEditor(QDialog):
    saved = Signal(object)  # ItemDetail after the save
    files_changed = Signal(object)  # ItemDetail after a file was added or removed

    def __init__(
        self,
        workers: Workers,
        detail: ItemDetail,
        terms: dict[str, list[TermInfo]],
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("itemEditor")
        self.setWindowTitle(f"Edit — {detail.title}")
        self.workers = workers
        self.original = detail
        self.resize(760, 680)

        self.error = QLabel(self)
        self.error.setObjectName("editorError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            theme.pill_stylesheet("red", self.palette()).replace(
                "border-radius: 0.6em", "border-radius: 4px"
            )
        )
        self.error.hide()

        tabs = QTabWidget(self)
        self.tabs = tabs
        # -- basics
        basics = QWidget()
        form = QFormLayout(basics)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title_edit = QLineEdit(detail.title)
        self.title_edit.setObjectName("title")
        self.summary_edit = QPlainTextEdit(detail.summary)
        self.summary_edit.setObjectName("summary")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(self.fontMetrics().height() * 4)
        self.summary_edit.setMaximumHeight(self.fontMetrics().height() * 8)
        self.kind_box = _combo([(k.value, label(k.value)) for k in Kind], detail.kind)
        self.format_box = _combo([(f, label(f)) for f in FORMATS], detail.format)
        self.status_box = _combo([(s.value, label(s.value)) for s in Status], detail.status)
        self.audience_box = _combo(
            [(a.value, AUDIENCE_LABELS[a.value]) for a in Audience], detail.audience
        )
        self.owner_edit = QLineEdit(detail.owner)
        self.language_edit = QLineEdit(detail.language)
        self.language_edit.setMaxLength(16)
        self.language_edit.setPlaceholderText("e.g. en, de, fr")
        self.published = OptionalDate(detail.published_at)
        self.expires = OptionalDate(detail.expires_on)
        self.verify = OptionalDate(detail.verify_by)
        self.change_note = QLineEdit(detail.change_note)
        self.change_note.setPlaceholderText("What changed and why")
        form.addRow("&Title", self.title_edit)
        form.addRow("S&ummary", self.summary_edit)
        form.addRow("&Format", self.format_box)
        form.addRow("&Kind", self.kind_box)
        form.addRow("&Status", self.status_box)
        form.addRow("&Audience", self.audience_box)
        form.addRow("&Owner", self.owner_edit)
        form.addRow("&Language", self.language_edit)
        form.addRow("Published on", self.published)
        form.addRow("&Expires on", self.expires)
        form.addRow("&Verify by", self.verify)
        form.addRow("Change &note", self.change_note)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        tabs.addTab(basics, "Basics")

        # -- taxonomies
        tags = QWidget()
        tform = QFormLayout(tags)
        tform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.chips: dict[str, ChipInput] = {}
        for tax in TAXONOMIES:
            chip = ChipInput([t.name for t in terms.get(tax, [])], tone=CHIP_TONES.get(tax, "teal"))
            chip.setObjectName(f"chips_{tax}")
            chip.set_values(detail.terms.get(tax, []))
            chip.setToolTip(
                f"{FACET_TITLES.get(tax, tax)}: type and press Enter; new values are created"
            )
            self.chips[tax] = chip
            tform.addRow(PLURALS.get(tax, tax.title()), chip)
        tabs.addTab(_scroll(tags), "Personas && tags")

        # -- case study
        cs = detail.case_study or {}
        case = QWidget()
        cform = QFormLayout(case)
        cform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.cs: dict[str, QLineEdit | QPlainTextEdit] = {
            "customer": QLineEdit(str(cs.get("customer") or "")),
            "industry": QLineEdit(str(cs.get("industry") or "")),
            "challenge": _text(cs.get("challenge")),
            "solution": _text(cs.get("solution")),
            "results": _text(
                "\n".join(
                    f"{r.get('metric', '')}: {r.get('value', '')}"
                    if isinstance(r, dict)
                    else str(r)
                    for r in (cs.get("results") or [])
                )
            ),
            "quote": _text(cs.get("quote")),
            "quote_author": QLineEdit(str(cs.get("quote_author") or "")),
        }
        self.cs["results"].setToolTip(
            "One result per line, as 'metric: value' (e.g. 'Onboarding time: -40 %')"
        )
        for name, widget in self.cs.items():
            cform.addRow(name.replace("_", " ").capitalize(), widget)
        tabs.addTab(_scroll(case), "Case study")

        # -- battle card
        bc = detail.battle_card or {}
        card = QWidget()
        bform = QFormLayout(card)
        bform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.bc: dict[str, Any] = {name: _text(_lines(bc.get(name))) for name in LIST_FIELDS}
        self.bc["objections"] = _text(
            "\n".join(
                f"{o.get('objection', '')} | {o.get('answer', '')}"
                if isinstance(o, dict)
                else str(o)
                for o in (bc.get("objections") or [])
            )
        )
        self.bc["objections"].setToolTip("One per line: 'objection | answer'")
        self.bc["pricing_notes"] = _text(bc.get("pricing_notes"))
        last = bc.get("last_verified")
        self.bc["last_verified"] = OptionalDate(last if isinstance(last, date) else None)
        titles = {
            "why_we_win": "Why we win",
            "why_we_lose": "Why we lose",
            "landmines": "Landmines",
            "proof_points": "Proof points",
            "objections": "Objections",
            "pricing_notes": "Pricing notes",
            "last_verified": "Last verified",
        }
        for name in (
            *LIST_FIELDS[:2],
            "objections",
            "landmines",
            "proof_points",
            "pricing_notes",
            "last_verified",
        ):
            widget = self.bc[name]
            if name in LIST_FIELDS:
                widget.setToolTip("One point per line")
            bform.addRow(titles[name], widget)
        tabs.addTab(_scroll(card), "Battle card")

        # -- files (each add/remove is written at once, as its own version)
        files = QWidget()
        flay = QVBoxLayout(files)
        intro = QLabel(
            "Adding or removing a file is saved at once as a new version, with its own change "
            "note. To put a new version of a file in place, use Replace file in History."
        )
        intro.setWordWrap(True)
        pal = intro.palette()
        pal.setColor(intro.foregroundRole(), theme.muted_text(pal))
        intro.setPalette(pal)
        self.file_list = QTreeWidget()
        self.file_list.setObjectName("editorFiles")
        self.file_list.setRootIsDecorated(False)
        self.file_list.setHeaderLabels(["File", "Size", "Text"])
        head = self.file_list.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.file_buttons = FileButtons(workers, settings or QSettings(), self.current_asset, files)
        self.file_list.currentItemChanged.connect(lambda *_: self.file_buttons.update_buttons())
        self.file_buttons.changed.connect(self._files_changed)
        self.file_buttons.failed.connect(self.show_error)
        self.file_buttons.busy.connect(self._files_busy)
        flay.addWidget(intro)
        flay.addWidget(self.file_list, 1)
        flay.addWidget(self.file_buttons)
        tabs.addTab(files, "Files")
        self._fill_files(detail)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(tabs, 1)
        lay.addWidget(buttons)
        self.title_edit.setFocus()

    # -- files ------------------------------------------------------------------------------------
    def _fill_files(self, d: ItemDetail) -> None:
        from ui.detail import EXTRACTION_LABELS, human_size

        self.file_list.clear()
        last: QTreeWidgetItem | None = None
        for a in d.assets:
            status = EXTRACTION_LABELS.get(a.extraction_status, a.extraction_status)
            pages = f" · {a.page_count} p." if a.page_count else ""
            it = QTreeWidgetItem([a.name, human_size(a.size) + pages, status])
            it.setToolTip(2, a.extraction_reason or status)
            it.setData(0, Qt.ItemDataRole.UserRole, a.id)
            self.file_list.addTopLevelItem(it)
            last = it
        if last is not None:
            self.file_list.setCurrentItem(last)
        else:
            empty = QTreeWidgetItem(
                ["No files: add one, or write the summary and sections", "", ""]
            )
            empty.setDisabled(True)
            self.file_list.addTopLevelItem(empty)
        self.file_buttons.set_item(d)

    def current_asset(self) -> AssetInfo | None:
        it = self.file_list.currentItem() if hasattr(self, "file_list") else None
        if it is None:
            return None
        asset_id = it.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.original.assets if a.id == asset_id), None)

    def _files_busy(self, on: bool) -> None:
        self.buttons.setEnabled(not on)
        if on:
            self.error.hide()

    def _files_changed(self, d: ItemDetail) -> None:
        """A file was added or removed (already saved): take the new version as the base of
        the form so Save sends only the user's own edits; keep what the user typed."""
        if self.change_note.text().strip() == self.original.change_note.strip():
            self.change_note.setText(d.change_note)
        self.original = d
        self._fill_files(d)
        self.files_changed.emit(d)

    def _format_changed(self) -> None:
        fmt = self.format_box.currentData()
        kind = FORMATS.get(fmt)
        if kind is not None:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind.value)))

    # -- saving ------------------------------------------------------------------------------------
    def assignments(self) -> list[tuple[str, str]]:
        """The edit as `items.edit` assignments: only fields that changed."""
        d = self.original
        out: list[tuple[str, str]] = []

        def scalar(name: str, new: str, old: str) -> None:
            if new != old:
                out.append((name, new))

        scalar("title", self.title_edit.text().strip(), d.title)
        scalar("summary", self.summary_edit.toPlainText().strip(), d.summary)
        scalar("format", str(self.format_box.currentData()), d.format)
        scalar("kind", str(self.kind_box.currentData()), d.kind)
        scalar("status", str(self.status_box.currentData()), d.status)
        scalar("audience", str(self.audience_box.currentData()), d.audience)
        scalar("owner", " ".join(self.owner_edit.text().split()), d.owner)
        scalar("language", self.language_edit.text().strip(), d.language)
        for name, widget, old in (
            ("published_at", self.published, d.published_at),
            ("expires_on", self.expires, d.expires_on),
            ("verify_by", self.verify, d.verify_by),
        ):
            new = widget.value()
            if new != old:
                out.append((name, new.isoformat() if new else ""))
        scalar("change_note", self.change_note.text().strip(), d.change_note)
        for tax, chip in self.chips.items():
            new_values = chip.values()
            old_values = d.terms.get(tax, [])
            if [v.casefold() for v in new_values] != [v.casefold() for v in old_values]:
                out.append((tax, ",".join(new_values)))
        out += self._section_changes()
        return out

    def _section_changes(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        old_cs = self.original.case_study or {}
        for name, widget in self.cs.items():
            text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
            if name == "results":
                new: Any = []
                for line in _split_lines(text):
                    metric, sep, value = line.partition(":")
                    new.append(
                        {"metric": metric.strip(), "value": value.strip()}
                        if sep
                        else {"metric": line, "value": ""}
                    )
                old: Any = old_cs.get("results") or []
                if new != old:
                    out.append(("case_study.results", json.dumps(new)))
            elif text.strip() != str(old_cs.get(name) or "").strip():
                out.append((f"case_study.{name}", text.strip()))
        old_bc = self.original.battle_card or {}
        for name in LIST_FIELDS:
            values = _split_lines(self.bc[name].toPlainText())
            if values != list(old_bc.get(name) or []):
                out.append((f"battle_card.{name}", json.dumps(values)))
        objections = []
        for line in _split_lines(self.bc["objections"].toPlainText()):
            q, _, a = line.partition("|")
            objections.append({"objection": q.strip(), "answer": a.strip()})
        if objections != list(old_bc.get("objections") or []):
            out.append(("battle_card.objections", json.dumps(objections)))
        notes = self.bc["pricing_notes"].toPlainText().strip()
        if notes != str(old_bc.get("pricing_notes") or "").strip():
            out.append(("battle_card.pricing_notes", notes))
        verified = self.bc["last_verified"].value()
        if verified != old_bc.get("last_verified"):
            out.append(("battle_card.last_verified", verified.isoformat() if verified else ""))
        return out

    def save(self) -> None:
        if not self.title_edit.text().strip():
            self.show_error("The title is empty: an item needs a title.")
            self.tabs.setCurrentIndex(0)
            self.title_edit.setFocus()
            return
        changes = self.assignments()
        if not changes:
            self.accept()
            return
        key = self.original.key
        self.buttons.setEnabled(False)
        self.error.hide()
        self.workers.write(
            lambda t: items.edit(t.lib, key, changes)[0], owner=self, label="edit"
        ).success(self._saved).failure(self._failed).run()

    def _saved(self, detail: ItemDetail) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(detail)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = str(error).strip()
        if not text.endswith("."):
            text += "."
        self.show_error(f"Not saved: {text}")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def _text(value: Any) -> QPlainTextEdit:
    w = QPlainTextEdit(str(value or ""))
    w.setTabChangesFocus(True)
    w.setMinimumHeight(60)
    return w


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


__all__ = ["ItemEditor", "OptionalDate", "Qt"]
