"""Small shared widgets: the empty-state panel and the status-bar task indicator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from library.progress import Progress
from ui import theme


class EmptyState(QWidget):
    """A friendly centred message with up to three actions (first run, no results…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.heading = QLabel(self)
        self.heading.setObjectName("emptyHeading")
        self.heading.setFont(theme.small_font(self.font(), 4.0, bold=True))
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("emptyBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setOpenExternalLinks(False)
        pal = self.body.palette()
        pal.setColor(self.body.foregroundRole(), theme.muted_text(pal))
        self.body.setPalette(pal)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        lay = QVBoxLayout(self)
        lay.addStretch(2)
        lay.addWidget(self.heading)
        lay.addSpacing(6)
        lay.addWidget(self.body)
        lay.addSpacing(14)
        lay.addLayout(self.buttons)
        lay.addStretch(3)
        lay.setContentsMargins(32, 24, 32, 24)
        # One permanent connection; the target changes (disconnecting a signal that has no
        # connection warns in PySide6).
        self._link: Callable[[str], None] | None = None
        self.body.linkActivated.connect(self._link_activated)

    def _link_activated(self, href: str) -> None:
        if self._link is not None:
            self._link(href)

    def show_state(
        self,
        heading: str,
        body: str,
        actions: list[tuple[str, Callable[[], None]]] = (),  # type: ignore[assignment]
        *,
        link: Callable[[str], None] | None = None,
    ) -> None:
        self.heading.setText(heading)
        self.body.setText(body)
        self._link = link
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.buttons.addStretch(1)
        for n, (text, cb) in enumerate(actions):
            b = QPushButton(text, self)
            b.setObjectName(f"emptyAction{n}")
            b.clicked.connect(cb)
            if n == 0:
                b.setDefault(True)
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)


class TaskIndicator(QWidget):
    """Status-bar progress for a long write (demo load, reindex) with a cancel button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setText("Cancel")
        self.cancel.setAutoRaise(True)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self._on_cancel: Callable[[], None] | None = None
        self.cancel.clicked.connect(self._cancel_clicked)
        self.hide()

    def _cancel_clicked(self) -> None:
        if self._on_cancel is not None:
            self._on_cancel()
            self.label.setText("Cancelling…")

    def begin(self, text: str, on_cancel: Callable[[], None] | None) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self._on_cancel = on_cancel
        self.cancel.setVisible(on_cancel is not None)
        self.show()

    def update_progress(self, p: Progress) -> None:
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
        if p.message:
            self.label.setText(p.message)

    def end(self) -> None:
        self.hide()
