"""Marketer's lists: what is due for review (expiry / verify-by soon, by owner) and the feedback
queue (flags and content requests from reps), with answer and close.

Both are read from the core (`library.governance.review_due`, `library.feedback.queue` /
`mine`); answering and closing go through `library.feedback.answer` / `close` on the writer.
Activating a row shows the item in the main window's detail pane.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.governance_ui import optional_module
from ui.ops import Task, Workers
from ui.theme import label


class ReviewDueDialog(QDialog):
    item_requested = Signal(str)

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDue")
        self.setWindowTitle("Review due")
        self.resize(860, 520)
        self.workers = workers
        self.heading = QLabel("Loading…", self)
        self.heading.setFont(theme.small_font(self.font(), 1.5, bold=True))
        self.days = QSpinBox(self)
        self.days.setRange(1, 365)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        self.days.setToolTip("Show items whose expiry or verify-by date falls within this window")
        self.days.valueChanged.connect(lambda _v: self.load())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Due within", self))
        top.addWidget(self.days)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("reviewTree")
        self.tree.setHeaderLabels(["Item", "Status", "Due", "Why"])
        self.tree.setWordWrap(True)
        head = self.tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        head.setStretchLastSection(True)
        self.tree.setColumnWidth(0, 330)
        self.tree.itemActivated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)

    def load(self) -> None:
        governance = optional_module("library.governance")
        if governance is None:
            self.heading.setText("Reviews need the governance feature.")
            return
        days = self.days.value()
        self.workers.read(
            lambda t: governance.review_due(t.lib, days=days), owner=self, label="review due"
        ).success(self._loaded).failure(lambda e: self.heading.setText(str(e))).run()

    def _loaded(self, groups: list[Any]) -> None:
        self.tree.clear()
        n = sum(len(g.items) for g in groups)
        self.heading.setText(
            f"{n} item{'s' if n != 1 else ''} to review" if n else "Nothing is due for review."
        )
        for g in groups:
            top = QTreeWidgetItem([g.owner or "No owner", "", "", f"{len(g.items)} item(s)"])
            top.setFirstColumnSpanned(False)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for e in g.items:
                it = QTreeWidgetItem(
                    [e.title, label(e.status), f"{e.due:%d %b %Y}", "; ".join(e.reasons)]
                )
                it.setData(0, Qt.ItemDataRole.UserRole, e.item_key)
                it.setToolTip(0, e.title)
                it.setToolTip(3, "\n".join(e.reasons))
                top.addChild(it)
            top.setExpanded(True)

    def _activated(self, it: QTreeWidgetItem, _col: int) -> None:
        key = it.data(0, Qt.ItemDataRole.UserRole)
        if key:
            self.item_requested.emit(str(key))


class FeedbackQueueDialog(QDialog):
    """Marketers: every open flag and request, answer or close. Others: their own, read-only."""

    item_requested = Signal(str)
    message = Signal(str)

    def __init__(self, workers: Workers, manage: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackQueue")
        self.setWindowTitle("Feedback queue" if manage else "My flags and requests")
        self.resize(900, 520)
        self.workers = workers
        self.manage = manage
        self.rows: list[Any] = []
        self.heading = QLabel("Loading…", self)
        self.heading.setFont(theme.small_font(self.font(), 1.5, bold=True))
        self.status = QComboBox(self)
        for text, value in (("Open", "open"), ("Answered", "answered"), ("All", "")):
            self.status.addItem(text, value)
        self.status.currentIndexChanged.connect(lambda _i: self.load())
        self.status.setVisible(manage)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("feedbackTree")
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setHeaderLabels(["Kind", "About", "From", "When", "Status", "Text / answer"])
        head = self.tree.header()
        for col in (0, 2, 3, 4):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        self.tree.setColumnWidth(1, 260)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.answer_button = QPushButton("Answer…", self)
        self.answer_button.setObjectName("answerFeedback")
        self.answer_button.clicked.connect(lambda: self.answer())
        self.close_button = QPushButton("Close it…", self)
        self.close_button.setObjectName("closeFeedback")
        self.close_button.clicked.connect(lambda: self.close_selected())
        for b in (self.answer_button, self.close_button):
            b.setAutoDefault(False)
            b.setVisible(manage)
        row = QHBoxLayout()
        row.addWidget(self.answer_button)
        row.addWidget(self.close_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        self._update_buttons()

    def load(self) -> None:
        feedback = optional_module("library.feedback")
        if feedback is None:
            self.heading.setText("Feedback is not available in this version.")
            return
        status = str(self.status.currentData() or "") or None
        manage = self.manage

        def work(t: Task) -> list[Any]:
            if manage:
                return list(feedback.queue(t.lib, status=status))
            return list(feedback.mine(t.lib))

        self.workers.read(work, owner=self, label="feedback").success(self._loaded).failure(
            lambda e: self.heading.setText(str(e))
        ).run()

    def _loaded(self, rows: list[Any]) -> None:
        self.rows = rows
        self.tree.clear()
        n = len(rows)
        self.heading.setText(
            f"{n} flag{'s' if n != 1 else ''} and request{'s' if n != 1 else ''}"
            if n
            else "Nothing here: no flags or requests."
        )
        for f in rows:
            about = f.item_title or (f"search “{f.query}”" if f.query else "—")
            kind = f"Flag: {label(f.category)}" if f.kind == "flag" else "Request"
            text = f.text or ""
            if f.answer:
                text += f"\n→ {f.answer} ({f.answered_by})"
            it = QTreeWidgetItem(
                [kind, about, f.created_by, f"{f.created_at:%d %b %Y}", label(f.status), text]
            )
            it.setData(0, Qt.ItemDataRole.UserRole, f.id)
            it.setData(1, Qt.ItemDataRole.UserRole, f.item_key)
            it.setToolTip(5, text)
            self.tree.addTopLevelItem(it)
        self._update_buttons()

    def _selected_id(self) -> int | None:
        it = self.tree.currentItem()
        return int(it.data(0, Qt.ItemDataRole.UserRole)) if it is not None else None

    def _update_buttons(self) -> None:
        has = self._selected_id() is not None
        self.answer_button.setEnabled(has)
        self.close_button.setEnabled(has)

    def answer(self, text: str | None = None) -> None:
        fid = self._selected_id()
        if fid is None:
            return
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, "Answer", "Your answer to the rep:")
            if not ok:
                return
        self._write(lambda t, fb: fb.answer(t.lib, fid, text), "Answer sent.")

    def close_selected(self, comment: str | None = None) -> None:
        fid = self._selected_id()
        if fid is None:
            return
        if comment is None:
            comment, ok = QInputDialog.getText(self, "Close", "Comment (optional):")
            if not ok:
                return
        self._write(lambda t, fb: fb.close(t.lib, fid, comment), "Closed.")

    def _write(self, fn: Any, sentence: str) -> None:
        feedback = optional_module("library.feedback")
        if feedback is None:
            return
        self.workers.write(lambda t: fn(t, feedback), owner=self, label="feedback").success(
            lambda _r: self._written(sentence)
        ).failure(lambda e: self.heading.setText(str(e))).run()

    def _written(self, sentence: str) -> None:
        self.message.emit(sentence)
        self.load()

    def _activated(self, it: QTreeWidgetItem, _col: int) -> None:
        key = it.data(1, Qt.ItemDataRole.UserRole)
        if key:
            self.item_requested.emit(str(key))
