"""Governance in the detail pane: lifecycle buttons, the History tab (versions with change
notes, restore, lifecycle history), replace a file with a change note, flag an item.

Which buttons appear comes from the core: `library.governance.TRANSITIONS` (from-status ->
to-status, action, permission) filtered by the current user's permissions
(`library.users.PERMISSIONS[role]`). The core checks everything again and its sentence is shown
when it refuses (e.g. a rejection without a reason); the UI holds no rule of its own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library.values import AuditEntry, ItemDetail, VersionInfo
from ui import theme
from ui.ops import Task, Workers
from ui.theme import label


def optional_module(name: str) -> Any:
    """A core module that may not be installed yet (parallel features), else None."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name == name:
            return None
        raise


# action -> (button text, tooltip, comment prompt or "" for none)
ACTION_TEXT: dict[str, tuple[str, str, str]] = {
    "submit": ("Submit for review", "Ask a reviewer to approve it", "Note for the reviewer:"),
    "approve": ("Approve", "Publish it to reps (today, or its scheduled date)", "Comment:"),
    "reject": ("Send back…", "Return it to the author as a draft, with a reason", "Reason:"),
    "withdraw": ("Withdraw…", "Take it back to draft: reps stop seeing it", "Why:"),
    "retire": ("Retire…", "Keep it with its history, never shown or shared again", "Why:"),
    "reopen": ("Reopen", "Back to draft so it can be updated and approved again", ""),
}
FUNCTIONS = {
    "submit": "submit",
    "approve": "approve",
    "reject": "reject",
    "withdraw": "reopen",  # approved -> draft
    "retire": "retire",
    "reopen": "reopen",
}


def available_actions(status: str, perms: frozenset[str]) -> list[str]:
    """The lifecycle actions this user may take on an item in `status` (core's table)."""
    governance = optional_module("library.governance")
    if governance is None:
        return []
    out = []
    for (frm, _to), (action, permission) in governance.TRANSITIONS.items():
        if frm == status and permission in perms and action not in out:
            out.append(action)
    return out


class LifecycleBar(QWidget):
    """A row of lifecycle buttons for the item shown; rebuilt on every item."""

    changed = Signal(object)  # ItemDetail after an action
    message = Signal(str)

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lifecycleBar")
        self.workers = workers
        self.perms: frozenset[str] = frozenset()
        self.detail: ItemDetail | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.lay = QHBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(6)
        self.caption = QLabel("", self)
        pal = self.caption.palette()
        pal.setColor(self.caption.foregroundRole(), theme.muted_text(pal))
        self.caption.setPalette(pal)
        self.hide()

    def set_item(self, d: ItemDetail | None) -> None:
        self.detail = d
        while self.lay.count():
            it = self.lay.takeAt(0)
            w = it.widget() if it is not None else None
            if w is not None and w is not self.caption:
                w.deleteLater()
        self.buttons = {}
        actions = available_actions(d.status, self.perms) if d is not None else []
        verify = d is not None and d.status == "approved" and "verify" in self.perms
        if not actions and not verify:
            self.hide()
            return
        self.caption.setText(f"{label(d.status) if d else ''}:")
        # A channel or received-pack item: shown but disabled, the core's sentence says why.
        read_only = d.read_only if d is not None else ""
        self.lay.addWidget(self.caption)
        for action in actions:
            text, tip, _prompt = ACTION_TEXT.get(action, (action.title(), "", ""))
            b = QPushButton(text, self)
            b.setObjectName(f"lifecycle_{action}")
            b.setToolTip(read_only or tip)
            b.setEnabled(not read_only)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, a=action: self.run(a))
            self.lay.addWidget(b)
            self.buttons[action] = b
        if verify:
            b = QPushButton("Mark verified", self)
            b.setObjectName("lifecycle_verify")
            b.setToolTip(read_only or "Confirm it is still right: moves its verify-by date")
            b.setEnabled(not read_only)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False: self.run("verify"))
            self.lay.addWidget(b)
            self.buttons["verify"] = b
        self.lay.addStretch(1)
        self.show()

    def run(self, action: str, comment: str | None = None) -> None:
        """Ask for the comment (when the action takes one), then run it on the writer."""
        d = self.detail
        if d is None:
            return
        prompt = ACTION_TEXT.get(action, ("", "", "Comment:"))[2] if action != "verify" else ""
        if comment is None and prompt:
            text, ok = QInputDialog.getText(
                self, ACTION_TEXT[action][0].rstrip("…"), f"{d.title}\n\n{prompt}"
            )
            if not ok:
                return
            comment = text
        comment = comment or ""
        key = d.key
        fn_name = FUNCTIONS.get(action, action)

        def work(t: Task) -> ItemDetail:
            governance = importlib.import_module("library.governance")
            result: ItemDetail = getattr(governance, fn_name)(t.lib, key, comment)
            return result

        for b in self.buttons.values():
            b.setEnabled(False)
        self.workers.write(work, owner=self, label=action).success(self._done).failure(
            self._failed
        ).run()

    def _done(self, d: ItemDetail) -> None:
        self.message.emit(f"'{d.title}' is now {label(d.status).lower()}.")
        self.changed.emit(d)

    def _failed(self, error: BaseException) -> None:
        editable = self.detail is not None and not self.detail.read_only
        for b in self.buttons.values():
            b.setEnabled(editable)
        self.message.emit(str(error))


RESTORE_TIP = "Make this version's content current again (as a new version, with a note)"
REPLACE_TIP = "Upload a new file for this item: a new version with a change note"


class HistoryTab(QWidget):
    """Versions (newest first) with their change notes and files; restore one; then the
    lifecycle history (who approved, rejected, retired… and why)."""

    changed = Signal(object)  # ItemDetail after a restore or replace
    message = Signal(str)

    def __init__(
        self, workers: Workers, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.settings = settings
        self.perms: frozenset[str] = frozenset()
        self.detail: ItemDetail | None = None
        self.loaded_for: tuple[str, int] | None = None
        self.versions = QTreeWidget(self)
        self.versions.setObjectName("versions")
        self.versions.setRootIsDecorated(False)
        self.versions.setWordWrap(True)
        self.versions.setHeaderLabels(["Version", "Date", "By", "Change note"])
        head = self.versions.header()
        head.setStretchLastSection(True)
        for col in (0, 1, 2):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.versions.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.restore_button = QPushButton("Restore this version…", self)
        self.restore_button.setObjectName("restoreVersion")
        self.restore_button.setToolTip(RESTORE_TIP)
        self.restore_button.clicked.connect(self.restore_selected)
        self.replace_button = QPushButton("Replace file…", self)
        self.replace_button.setObjectName("replaceFile")
        self.replace_button.setToolTip(REPLACE_TIP)
        self.replace_button.clicked.connect(self.replace_file)
        row = QHBoxLayout()
        row.addWidget(self.replace_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        self.events = QTreeWidget(self)
        self.events.setObjectName("lifecycleHistory")
        self.events.setRootIsDecorated(False)
        self.events.setHeaderLabels(["When", "Who", "What", "Comment"])
        eh = self.events.header()
        eh.setStretchLastSection(True)
        for col in (0, 1, 2):
            eh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(_heading("Versions", self))
        lay.addWidget(self.versions, 3)
        lay.addLayout(row)
        lay.addWidget(_heading("Lifecycle", self))
        lay.addWidget(self.events, 2)

    def set_item(self, d: ItemDetail | None) -> None:
        self.detail = d
        self.loaded_for = None
        self.versions.clear()
        self.events.clear()
        self._update_buttons()

    def load(self) -> None:
        d = self.detail
        governance = optional_module("library.governance")
        if d is None or governance is None:
            return
        if self.loaded_for == (d.key, d.version):
            return
        self.loaded_for = (d.key, d.version)
        key = d.key

        def work(t: Task) -> tuple[list[VersionInfo], list[AuditEntry]]:
            return governance.versions(t.lib, key), governance.transitions(t.lib, key)

        self.workers.read(work, owner=self, label="history").success(
            lambda r: self._loaded(key, *r)
        ).failure(lambda e: self.message.emit(str(e))).run()

    def _loaded(self, key: str, versions: list[VersionInfo], events: list[AuditEntry]) -> None:
        if self.detail is None or self.detail.key != key:
            return
        self.versions.clear()
        for v in versions:
            note = v.change_note or "—"
            it = QTreeWidgetItem(
                [
                    f"{v.version}{'  (current)' if v.current else ''}",
                    f"{v.created_at:%d %b %Y %H:%M}",
                    v.created_by,
                    note,
                ]
            )
            it.setToolTip(3, f"{note}\nFiles: {', '.join(v.files) or 'none'}\nTitle: {v.title}")
            it.setData(0, Qt.ItemDataRole.UserRole, v.version)
            it.setData(1, Qt.ItemDataRole.UserRole, v.current)
            self.versions.addTopLevelItem(it)
        self.events.clear()
        for e in reversed(events):  # newest first, like the versions
            frm, to = e.detail.get("from"), e.detail.get("to")
            what = label(e.action)
            if frm and to:
                what += f" ({label(str(frm)).lower()} → {label(str(to)).lower()})"
            it = QTreeWidgetItem(
                [f"{e.at:%d %b %Y %H:%M}", e.actor, what, str(e.detail.get("comment") or "")]
            )
            self.events.addTopLevelItem(it)
        self._update_buttons()

    def _update_buttons(self) -> None:
        can_edit = "edit" in self.perms and self.detail is not None
        cur = self.versions.currentItem()
        self.restore_button.setVisible("edit" in self.perms)
        self.replace_button.setVisible("edit" in self.perms)
        # A channel or received-pack item: disabled, the core's sentence says why.
        read_only = self.detail.read_only if self.detail is not None else ""
        self.restore_button.setEnabled(
            can_edit
            and not read_only
            and cur is not None
            and not cur.data(1, Qt.ItemDataRole.UserRole)
        )
        self.replace_button.setEnabled(
            can_edit and not read_only and bool(self.detail and self.detail.assets)
        )
        self.restore_button.setToolTip(read_only or RESTORE_TIP)
        self.replace_button.setToolTip(read_only or REPLACE_TIP)

    def restore_selected(self, note: str | None = None) -> None:
        cur = self.versions.currentItem()
        d = self.detail
        if cur is None or d is None:
            return
        version = int(cur.data(0, Qt.ItemDataRole.UserRole))
        if not isinstance(note, str):
            text, ok = QInputDialog.getText(
                self,
                "Restore version",
                f"Restore version {version} of '{d.title}' as a new version.\n\nChange note:",
                text=f"Restored version {version}",
            )
            if not ok:
                return
            note = text
        key = d.key

        def work(t: Task) -> ItemDetail:
            governance = importlib.import_module("library.governance")
            result: ItemDetail = governance.restore_version(t.lib, key, version, note)
            return result

        self.workers.write(work, owner=self, label="restore").success(
            lambda nd: self._written(f"Version {version} restored.", nd)
        ).failure(lambda e: self.message.emit(str(e))).run()

    def _written(self, sentence: str, d: ItemDetail) -> None:
        self.message.emit(sentence)
        self.changed.emit(d)

    def replace_file(self) -> None:
        d = self.detail
        if d is None:
            return
        dialog = ReplaceFileDialog(d, self.settings, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.replace_with(dialog.path(), dialog.note(), dialog.file_name())

    def replace_with(self, path: Path, note: str, file_name: str | None) -> None:
        d = self.detail
        if d is None:
            return
        key = d.key

        def work(t: Task) -> ItemDetail:
            governance = importlib.import_module("library.governance")
            result: ItemDetail = governance.replace_file(t.lib, key, path, note, file=file_name)
            return result

        self.workers.write(work, owner=self, label="replace file").success(
            lambda nd: self._written(f"{path.name} is now version {nd.version}.", nd)
        ).failure(lambda e: self.message.emit(str(e))).run()


class ReplaceFileDialog(QDialog):
    """Pick the new file (and which file it replaces) and write the required change note."""

    def __init__(self, d: ItemDetail, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replaceFileDialog")
        self.setWindowTitle(f"Replace a file — {d.title}")
        self.settings = settings
        self.resize(560, 300)
        form = QFormLayout(self)
        self.which = QComboBox(self)
        for a in d.assets:
            self.which.addItem(a.name, a.name)
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("newFile")
        self.file_edit.setPlaceholderText("The new file")
        browse = QPushButton("Choose…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        pick = QHBoxLayout()
        pick.addWidget(self.file_edit, 1)
        pick.addWidget(browse)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("changeNote")
        self.note_edit.setPlaceholderText(
            "What changed and why — reps read this in What's new (required)"
        )
        self.note_edit.setTabChangesFocus(True)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(theme.pill_stylesheet("red", self.palette()))
        self.error.hide()
        form.addRow(self.error)
        if len(d.assets) > 1:
            form.addRow("&Replaces", self.which)
        form.addRow("New &file", pick)
        form.addRow("Change &note", self.note_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Replace")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(self, "New version of the file", start)
        if chosen:
            self.file_edit.setText(chosen)

    def _accept(self) -> None:
        # Only what the dialog itself cannot send is checked here; the core checks the note.
        if not self.file_edit.text().strip():
            self.error.setText("Choose the new file.")
            self.error.show()
            return
        self.accept()

    def path(self) -> Path:
        return Path(self.file_edit.text().strip()).expanduser()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def file_name(self) -> str | None:
        data = self.which.currentData()
        return str(data) if data else None


class FlagDialog(QDialog):
    """Flag an item as outdated/wrong/missing information, with an optional comment."""

    def __init__(self, title: str, categories: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flagDialog")
        self.setWindowTitle("Flag this item")
        form = QFormLayout(self)
        intro = QLabel(
            f"Tell marketing what is wrong with “{title}”. They see it in their feedback "
            "queue and can answer you.",
            self,
        )
        intro.setWordWrap(True)
        self.category = QComboBox(self)
        self.category.setObjectName("flagCategory")
        for c in categories:
            self.category.addItem(label(c), c)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("flagText")
        self.text.setPlaceholderText("What should change? (optional)")
        self.text.setTabChangesFocus(True)
        form.addRow(intro)
        form.addRow("&Problem", self.category)
        form.addRow("&Details", self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Send flag")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 280)


class RequestDialog(QDialog):
    """Ask marketing for content the library does not have (pre-filled from a search)."""

    def __init__(self, query: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle("Request content")
        form = QFormLayout(self)
        intro = QLabel(
            "Describe what you need and for which meeting; marketing sees your request with "
            "the search that found nothing.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("requestText")
        self.text.setPlainText(f"I need content about “{query}”." if query else "")
        self.text.setTabChangesFocus(True)
        self.query = QLineEdit(query, self)
        self.query.setObjectName("requestQuery")
        form.addRow(intro)
        form.addRow("&What you need", self.text)
        form.addRow("&Search", self.query)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Send request")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 280)


def _heading(text: str, parent: QWidget) -> QLabel:
    h = QLabel(text, parent)
    h.setFont(theme.small_font(parent.font(), 0.0, bold=True))
    h.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return h


def run_feedback(
    workers: Workers,
    owner: QWidget,
    fn: Callable[[Task], Any],
    on_done: Callable[[str], None],
    sent: str,
) -> None:
    """Send a flag or request on the writer; report the core's sentence either way."""
    workers.write(fn, owner=owner, label="feedback").success(lambda _r: on_done(sent)).failure(
        lambda e: on_done(str(e))
    ).run()
