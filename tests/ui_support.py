"""Shared helpers of the pytest-qt tests: open a real main window on a library, answer dialogs.

Imported only by UI test modules (after their `pytest.importorskip("PySide6")`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from library.core import Library
from ui.main_window import MainWindow
from ui.ops import Workers

WAIT_MS = 20000


def settings_in(folder: Path, name: str = "settings.ini") -> QSettings:
    """Window settings kept in a test's own file (never the user's real ones)."""
    return QSettings(str(folder / name), QSettings.Format.IniFormat)


def open_window(qtbot: Any, lib: Library, settings: QSettings, **kw: Any) -> MainWindow:
    """A shown 1400x900 main window on `lib`, its index built and its user chosen."""
    win = MainWindow(Workers(lib), settings, **kw)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.settled, timeout=WAIT_MS):
        win.start(rebuild="sync")
    qtbot.waitUntil(lambda: win.user is not None, timeout=WAIT_MS)
    return win


def when_modal(handle: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog (QInputDialog, QMessageBox, our dialogs) once it is shown."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, poll)
            return
        handle(w)

    QTimer.singleShot(0, poll)
