"""Publish / subscribe in the app: the Sync menu (sync now, subscribe, publish, channels).

Thin views over `library.sync` (Qt-free, blocking): every call runs on the serialized writer
with the core's progress and cancel; the core's exceptions are shown as their sentences.
A periodic check (every CHECK_MINUTES) asks `list_channels` whether a subscribed channel has
new changesets and offers "Sync now" in the status bar; it never applies anything by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.ops import Task, Workers
from ui.widgets import TaskIndicator

log = logging.getLogger(__name__)

CHECK_MINUTES = 10


def sync_summary(report: Any) -> str:
    """One status-bar sentence for a SyncReport."""
    if not report.channels:
        return "You are not subscribed to any channel: use Sync → Subscribe to a channel…"
    parts: list[str] = []
    for ch in report.channels:
        if ch.error:
            parts.append(f"{ch.name}: {ch.error}")
        elif ch.waiting:
            parts.append(f"{ch.name}: {ch.waiting}")
        elif ch.applied:
            bits = [
                f"{n} {word}"
                for n, word in (
                    (ch.items_new, "new"),
                    (ch.items_updated, "updated"),
                    (ch.items_retired, "retired"),
                )
                if n
            ]
            parts.append(f"{ch.name}: {', '.join(bits) or 'settings updated'}")
        else:
            parts.append(f"{ch.name}: up to date")
    text = "; ".join(parts)
    return ("Sync cancelled. " if report.cancelled else "Synced. ") + text


class ChannelActions(QObject):
    """Owns the Sync menu's actions for one window; `changed()` is called after applying."""

    def __init__(
        self,
        window: QWidget,
        workers: Workers,
        settings: QSettings,
        task: TaskIndicator,
        flash: Callable[[str], None],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workers = workers
        self.settings = settings
        self.task = task
        self.flash = flash
        self.changed = changed
        self.running = False
        self.last_report: Any = None
        self.new_available = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MINUTES * 60_000)
        self._timer.timeout.connect(self.check)

    def start_checking(self) -> None:
        self._timer.start()
        QTimer.singleShot(2000, self.check)

    def stop(self) -> None:
        self._timer.stop()

    def _warn(self, title: str, error: BaseException) -> None:
        QMessageBox.warning(self.window, title, str(error))

    # -- sync now ------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.running:
            self.flash("A sync is already running.")
            return
        from library.sync import sync_all

        def run(t: Task) -> Any:
            return sync_all(t.lib, t.report, t.cancel)

        self.running = True
        op = self.workers.write(run, owner=self, label="sync")
        self.task.begin("Syncing channels…", op.cancel.set)
        op.progress(self.task.update_progress).success(self._synced).failure(
            lambda e: self.flash(f"Sync failed: {e}")
        ).done(self._sync_done).run()

    def _sync_done(self) -> None:
        self.running = False
        self.task.end()

    def _synced(self, report: Any) -> None:
        self.last_report = report
        self.new_available = False
        self.flash(sync_summary(report))
        if any(ch.applied for ch in report.channels):
            self.changed()
        rejected = [ch for ch in report.channels if ch.rejected]
        if rejected:
            QMessageBox.warning(
                self.window,
                "Channel refused",
                "\n\n".join(f"{ch.name}: {ch.error}" for ch in rejected),
            )

    def check(self) -> None:
        """Cheap: is there something new in a subscribed channel? (reads channel folders)"""
        from library.sync import list_channels

        self.workers.read(lambda t: list_channels(t.lib), owner=self, label="channels").success(
            self._checked
        ).failure(lambda e: log.info("channel check failed: %s", e)).run()

    def _checked(self, channels: list[Any]) -> None:
        new = [
            c
            for c in channels
            if c.role == "subscriber"
            and c.reachable
            and c.available_seq is not None
            and c.available_seq > c.seq
        ]
        if new and not self.new_available:
            names = ", ".join(c.name for c in new)
            self.flash(f"New content is waiting in {names}: Sync → Sync now (F5).")
        self.new_available = bool(new)

    # -- subscribe ---------------------------------------------------------------------------------
    def subscribe(self) -> None:
        start = str(self.settings.value("paths/channel", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(
            self.window, "Subscribe to a channel folder", start
        )
        if not folder:
            return
        self.settings.setValue("paths/channel", folder)
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Subscribe")
        form = QFormLayout(dialog)
        note = QLabel(
            "Type the fingerprint your marketing team gave you (e.g. K3QF-7ZD2-MA4T-X9PL) so "
            "Frontline can check the channel really comes from them. Leave it empty to trust "
            "the channel on first use and compare the fingerprint afterwards.",
            dialog,
        )
        note.setWordWrap(True)
        fp = QLineEdit(dialog)
        fp.setObjectName("fingerprint")
        fp.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        form.addRow(note)
        form.addRow("Folder", QLabel(folder, dialog))
        form.addRow("&Fingerprint", fp)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.subscribe_to(Path(folder), fp.text().strip() or None)

    def subscribe_to(self, folder: Path, fingerprint: str | None) -> None:
        from library.sync import subscribe

        self.workers.write(
            lambda t: subscribe(t.lib, folder, fingerprint), owner=self, label="subscribe"
        ).success(self._subscribed).failure(lambda e: self._warn("Subscribe", e)).run()

    def _subscribed(self, res: Any) -> None:
        if res.already_subscribed:
            self.flash(f"You are already subscribed to {res.name}.")
        elif res.pinned_on_first_use:
            QMessageBox.information(
                self.window,
                "Subscribed",
                f"You are subscribed to {res.name}.\n\nCompare this fingerprint with the one "
                f"your marketing team published:\n\n    {res.fingerprint}\n\nIf they differ, "
                "tell them before you use this content.",
            )
        else:
            self.flash(f"Subscribed to {res.name}; the fingerprint matches.")
        self.sync_now()

    # -- publish -------------------------------------------------------------------------------
    def publish(self) -> None:
        start = str(self.settings.value("paths/publish", str(Path.home())))
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Publish to a channel")
        form = QFormLayout(dialog)
        intro = QLabel(
            "Publishing writes every approved, current item to a shared folder (a network "
            "share or a synced cloud folder). Reps subscribe to that folder once and then "
            "receive each change. A new channel starts empty; an existing one gets only what "
            "changed.",
            dialog,
        )
        intro.setWordWrap(True)
        folder = QLineEdit(start, dialog)
        folder.setObjectName("channelFolder")
        browse = QDialogButtonBox(dialog)
        pick = browse.addButton("Choose…", QDialogButtonBox.ButtonRole.ActionRole)
        name = QLineEdit(dialog)
        name.setPlaceholderText("e.g. Lumenfield field content (new channels only)")
        audience = QComboBox(dialog)
        audience.addItem("Internal (reps)", "internal")
        audience.addItem("Partners (partner-shareable items only)", "partner")
        audience.setToolTip("Fixed when the channel is created")
        form.addRow(intro)
        form.addRow("&Folder", folder)
        form.addRow("", browse)
        form.addRow("&Name", name)
        form.addRow("&Audience", audience)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Publish")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)

        def choose() -> None:
            chosen = QFileDialog.getExistingDirectory(dialog, "Channel folder", folder.text())
            if chosen:
                folder.setText(chosen)

        pick.clicked.connect(choose)
        dialog.resize(560, dialog.sizeHint().height())
        if dialog.exec() != QDialog.DialogCode.Accepted or not folder.text().strip():
            return
        self.settings.setValue("paths/publish", folder.text().strip())
        self.publish_to(
            Path(folder.text().strip()), name.text().strip() or None, str(audience.currentData())
        )

    def publish_to(self, folder: Path, name: str | None, audience: str | None) -> None:
        from library.sync import publish

        def run(t: Task) -> Any:
            return publish(t.lib, folder, t.report, t.cancel, name=name, audience=audience)

        op = self.workers.write(run, owner=self, label="publish")
        self.task.begin("Publishing…", op.cancel.set)
        op.progress(self.task.update_progress).success(self._published).failure(
            lambda e: self._warn("Publish", e)
        ).done(self.task.end).run()

    def _published(self, rep: Any) -> None:
        self.last_report = rep
        if rep.cancelled:
            self.flash("Publishing cancelled; what was written stays consistent.")
            return
        what = (
            f"{rep.items_published} item{'s' if rep.items_published != 1 else ''} published"
            + (f", {rep.items_retired} retired" if rep.items_retired else "")
            if rep.changesets
            else "nothing had changed"
        )
        feedback = ""
        if rep.inbox is not None and rep.inbox.events_new:
            feedback = f"; {rep.inbox.events_new} usage and feedback events received from reps"
        if rep.created:
            QMessageBox.information(
                self.window,
                "Channel created",
                f"The channel “{rep.name}” is ready at\n{rep.channel_path}\n\n{what}.\n\n"
                f"Give reps this fingerprint so they can check the channel is yours:\n\n"
                f"    {rep.fingerprint}",
            )
        else:
            self.flash(f"Published to {rep.name}: {what}{feedback}.")

    # -- channels ---------------------------------------------------------------------------------
    def show_channels(self) -> None:
        from library.sync import list_channels

        self.workers.read(lambda t: list_channels(t.lib), owner=self, label="channels").success(
            self._show_channels
        ).run()

    def _show_channels(self, channels: list[Any]) -> None:
        dialog = QDialog(self.window)
        dialog.setObjectName("channelsDialog")
        dialog.setWindowTitle("Channels")
        dialog.resize(820, 320)
        tree = QTreeWidget(dialog)
        tree.setRootIsDecorated(False)
        tree.setHeaderLabels(["Channel", "Role", "Folder", "State", "Fingerprint"])
        tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for c in channels:
            if not c.reachable:
                state = c.last_error or "Folder not reachable (offline?)"
            elif c.role == "subscriber" and c.available_seq is not None and c.available_seq > c.seq:
                state = f"{c.available_seq - c.seq} change(s) waiting"
            else:
                state = "Up to date" + (f" · {c.last_at:%d %b %H:%M}" if c.last_at else "")
            it = QTreeWidgetItem(
                [
                    c.name,
                    "Publishing" if c.role == "publisher" else "Subscribed",
                    str(c.path),
                    state,
                    c.fingerprint,
                ]
            )
            it.setToolTip(2, str(c.path))
            it.setToolTip(3, c.last_error or state)
            tree.addTopLevelItem(it)
        empty = QLabel(
            "No channels yet. Marketers publish with Sync → Publish to a channel…; reps "
            "subscribe with Sync → Subscribe to a channel…",
            dialog,
        )
        empty.setWordWrap(True)
        empty.setVisible(not channels)
        tree.setVisible(bool(channels))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addWidget(empty)
        lay.addWidget(tree, 1)
        lay.addWidget(buttons)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog.open()
        self.channels_dialog = dialog
