"""A taxonomy field as chips: type with completion from the library's values, Enter or comma
adds a chip, Backspace in the empty box removes the last, the × on a chip removes it. New
values are allowed (the core creates them and reports it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from ui import theme


class FlowLayout(QLayout):
    """Lays widgets left to right, wrapping (the Qt flow-layout example, trimmed)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), test=True)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, test=False)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, *, test: bool) -> int:
        x, y, line_h = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            next_x = x + hint.width() + self._spacing
            if next_x - self._spacing > rect.right() and line_h > 0:
                x = rect.x()
                y += line_h + self._spacing
                next_x = x + hint.width() + self._spacing
                line_h = 0
            if not test:
                item.setGeometry(QRect(x, y, hint.width(), hint.height()))
            x = next_x
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y()


class ChipInput(QFrame):
    """Values of one taxonomy as removable chips plus a line edit with completion."""

    changed = Signal()

    def __init__(
        self, choices: list[str], parent: QWidget | None = None, *, tone: str = "blue"
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._tone = tone
        self._values: list[str] = []
        self._choices = list(choices)
        self._layout = FlowLayout(self, spacing=4)
        self._layout.setContentsMargins(4, 3, 4, 3)
        self.edit = QLineEdit(self)
        self.edit.setFrame(False)
        self.edit.setMinimumWidth(120)
        self.edit.setPlaceholderText("Type to add…")
        completer = QCompleter(self._choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._completed)
        self.edit.setCompleter(completer)
        self.edit.textEdited.connect(self._maybe_split)
        self.edit.installEventFilter(self)
        self._layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def values(self) -> list[str]:
        """The chips, plus whatever is still typed in the box (so Save never loses it)."""
        pending = " ".join(self.edit.text().split())
        out = list(self._values)
        if pending and pending.casefold() not in {v.casefold() for v in out}:
            out.append(self._canonical(pending))
        return out

    def set_values(self, values: list[str]) -> None:
        for v in list(self._values):
            self._remove(v, emit=False)
        for v in values:
            self._add(v, emit=False)

    def add(self, value: str) -> None:
        self._add(value, emit=True)

    # -- internals --------------------------------------------------------------------------------
    def _canonical(self, text: str) -> str:
        for c in self._choices:
            if c.casefold() == text.casefold():
                return c
        return text

    def _add(self, value: str, *, emit: bool) -> None:
        value = self._canonical(" ".join(value.split()))
        if not value or value.casefold() in {v.casefold() for v in self._values}:
            return
        self._values.append(value)
        chip = QToolButton(self)
        chip.setText(f"{value.replace('&', '&&')}  ×")  # '&' would be a mnemonic
        chip.setToolTip(f"Remove {value}")
        chip.setAccessibleName(f"Remove {value}")
        chip.setProperty("chip_value", value)
        chip.setAutoRaise(True)
        chip.setStyleSheet(
            theme.pill_stylesheet(self._tone, self.palette()).replace("QLabel", "QToolButton")
        )
        chip.clicked.connect(lambda _=False, v=value: self._remove(v, emit=True))
        self._layout.insertWidget(self._layout.count() - 1, chip)
        if emit:
            self.changed.emit()

    def _remove(self, value: str, *, emit: bool) -> None:
        if value not in self._values:
            return
        self._values.remove(value)
        for i in range(self._layout.count()):
            item = self._layout.itemAt(i)
            w = item.widget() if item is not None else None
            if w is not None and w.property("chip_value") == value:
                self._layout.takeAt(i)
                w.deleteLater()
                break
        self._layout.invalidate()
        if emit:
            self.changed.emit()

    def _commit_text(self) -> None:
        text = self.edit.text()
        self.edit.clear()
        for part in text.split(","):
            self._add(part, emit=True)

    def _completed(self, text: str) -> None:
        # QCompleter writes the completion into the box after this signal: clear it afterwards.
        self._add(text, emit=True)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.edit.clear)

    def _maybe_split(self, text: str) -> None:
        if "," in text:
            self._commit_text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Backspace and not self.edit.text() and self._values:
                self._remove(self._values[-1], emit=True)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.edit.text().strip():
                popup = self.edit.completer().popup() if self.edit.completer() else None
                if popup is not None and popup.isVisible():
                    return False  # the completer takes it (and `_completed` adds the chip)
                # Enter adds the chip; it must not also press the dialog's default button.
                self._commit_text()
                return True
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        w = max(300, self.width())
        return QSize(w, self._layout.heightForWidth(w) + 8)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout.heightForWidth(width) + 8

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.updateGeometry()
