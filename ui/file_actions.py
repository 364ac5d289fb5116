"""Add a file to an item or remove one (marketers): the item editor's Files tab and the detail
pane's Files tab both use `FileButtons`.

Each action asks for the required change note (it becomes a new version, read by reps in What's
new), then runs `library.assets.add_file` / `remove_file` on the writer: the new file is
extracted in the sandbox there, never on the GUI thread. What the core refuses (a rep, no note,
the same file twice, the last file of an item with nothing else to read) comes back as its own
sentence in `message`/`failed`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from library.values import AssetInfo, ItemDetail
from ui import theme
from ui.ops import Task, Workers


def _sentence(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text if text.endswith((".", "!", "?")) else text + "."


class _NoteDialog(QDialog):
    """Common part: an error line, the form, a required change note, OK/Cancel."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = QLabel("", self)
        self.error.setObjectName("fileDialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(theme.pill_stylesheet("red", self.palette()))
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.error.hide()
        self.form.addRow(self.error)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("changeNote")
        self.note_edit.setPlaceholderText(
            "What changed and why — reps read this in What's new (required)"
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(self.fontMetrics().height() * 4)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def _finish_form(self) -> None:
        self.form.addRow("Change &note", self.note_edit)
        self.form.addRow(self.buttons)
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    def _check(self) -> str:
        return "" if self.note() else "Write a change note: say what changed and why."

    def _accept(self) -> None:
        problem = self._check()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()


class AddFileDialog(_NoteDialog):
    """Pick the file to add, write the change note; a password for an encrypted file."""

    def __init__(self, d: ItemDetail, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(f"Add a file — {d.title}", "Add file", parent)
        self.setObjectName("addFileDialog")
        self.settings = settings
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("newFile")
        self.file_edit.setPlaceholderText("The file to add")
        browse = QPushButton("Choose…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        pick_row = QWidget(self)
        pick = QHBoxLayout(pick_row)
        pick.setContentsMargins(0, 0, 0, 0)
        pick.addWidget(self.file_edit, 1)
        pick.addWidget(browse)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("filePassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Only for an encrypted PDF or Office file")
        self.form.addRow("&File", pick_row)
        label = self.form.labelForField(pick_row)
        if isinstance(label, QLabel):
            label.setBuddy(self.file_edit)  # Alt+F reaches the path, not the row
        self.form.addRow("&Password", self.password_edit)
        self._finish_form()
        self.file_edit.setFocus()

    def _browse(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(self, "File to add", start)
        if chosen:
            self.file_edit.setText(chosen)
            self.settings.setValue("paths/import", str(Path(chosen).parent))

    def _check(self) -> str:
        if not self.file_edit.text().strip():
            return "Choose the file to add."
        return super()._check()

    def path(self) -> Path:
        return Path(self.file_edit.text().strip()).expanduser()

    def password(self) -> str | None:
        return self.password_edit.text() or None


class RemoveFileDialog(_NoteDialog):
    """Confirm which file goes and write the change note."""

    def __init__(self, d: ItemDetail, asset: AssetInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Remove a file — {d.title}", "Remove file", parent)
        self.setObjectName("removeFileDialog")
        self.intro = intro = QLabel(
            f"Remove <b>{_html(asset.name)}</b> from “{_html(d.title)}”. This makes version "
            f"{d.version + 1}; the file stays in older versions and can be restored from History.",
            self,
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self._finish_form()
        self.note_edit.setFocus()


def _html(text: str) -> str:
    import html

    return html.escape(text)


ADD_TIP = "Add one more file to this item: a new version with a change note"
REMOVE_TIP = "Remove the selected file: a new version with a change note (older versions keep it)"


class FileButtons(QWidget):
    """ "Add file…" and "Remove…" for the shown item. `current` says which file is selected."""

    changed = Signal(object)  # ItemDetail after an add or a remove
    message = Signal(str)  # what happened, in a sentence
    failed = Signal(str)  # the core's refusal, in a sentence
    busy = Signal(bool)

    def __init__(
        self,
        workers: Workers,
        settings: QSettings,
        current: Callable[[], AssetInfo | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.settings = settings
        self.current = current
        self.detail: ItemDetail | None = None
        self.running = False
        self.dialog: QDialog | None = None  # the open add/remove dialog (tests answer it)
        self.add_button = QPushButton("Add file…", self)
        self.add_button.setObjectName("addFile")
        self.add_button.setToolTip(ADD_TIP)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.ask_add)
        self.remove_button = QPushButton("Remove…", self)
        self.remove_button.setObjectName("removeFile")
        self.remove_button.setToolTip(REMOVE_TIP)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.ask_remove)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.add_button)
        lay.addWidget(self.remove_button)
        lay.addStretch(1)
        self.update_buttons()

    def set_item(self, d: ItemDetail | None) -> None:
        self.detail = d
        self.update_buttons()

    def update_buttons(self) -> None:
        """Enabled when an item is shown, nothing runs and the item is this library's own (a
        channel or received-pack item says why in the tooltip: the core would refuse it)."""
        read_only = self.detail.read_only if self.detail is not None else ""
        idle = self.detail is not None and not self.running and not read_only
        self.add_button.setEnabled(idle)
        self.remove_button.setEnabled(idle and self.current() is not None)
        self.add_button.setToolTip(read_only or ADD_TIP)
        self.remove_button.setToolTip(read_only or REMOVE_TIP)

    # -- asking ------------------------------------------------------------------------------
    def ask_add(self) -> None:
        d = self.detail
        if d is None:
            return
        dialog = AddFileDialog(d, self.settings, self)
        self.dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog.path(), dialog.note(), dialog.password())
        self.dialog = None

    def ask_remove(self) -> None:
        d, asset = self.detail, self.current()
        if d is None or asset is None:
            return
        dialog = RemoveFileDialog(d, asset, self)
        self.dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.remove(asset, dialog.note())
        self.dialog = None

    # -- doing (on the writer) -----------------------------------------------------------------
    def add(self, path: Path, note: str, password: str | None = None) -> None:
        d = self.detail
        if d is None:
            return
        key = d.key

        def work(t: Task) -> ItemDetail:
            from library import assets

            return assets.add_file(t.lib, key, path, note, password)

        self._run(work, "add file", lambda nd: f"{path.name} added: version {nd.version}.")

    def remove(self, asset: AssetInfo, note: str) -> None:
        d = self.detail
        if d is None:
            return
        key, asset_id, name = d.key, asset.id, asset.name

        def work(t: Task) -> ItemDetail:
            from library import assets

            return assets.remove_file(t.lib, key, asset_id, note)

        self._run(work, "remove file", lambda nd: f"{name} removed: version {nd.version}.")

    def _run(
        self, work: Callable[[Task], ItemDetail], label: str, said: Callable[[ItemDetail], str]
    ) -> None:
        self._set_running(True)
        self.workers.write(work, owner=self, label=label).success(
            lambda nd: self._done(nd, said(nd))
        ).failure(self._failed).run()

    def _set_running(self, on: bool) -> None:
        self.running = on
        self.update_buttons()
        self.busy.emit(on)

    def _done(self, d: ItemDetail, sentence: str) -> None:
        self.detail = d
        self._set_running(False)
        self.changed.emit(d)
        self.message.emit(sentence)

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        text = _sentence(error)
        self.failed.emit(text)
        self.message.emit(text)


__all__ = ["AddFileDialog", "FileButtons", "RemoveFileDialog"]
