"""`run_app(args)`: create the QApplication, open the library, show the main window.

`--screenshot FILE.png` renders the window (1400x900, results and the first result selected)
without showing it and exits. It waits for the background work deterministically: the window
emits `settled` once the index is open, the search answered, the visible rows are filled and
the selected item's detail is loaded; only then is the window grabbed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from library.core import Library, default_library_path
from library.errors import LibraryError
from ui.main_window import MainWindow, default_splitter_sizes
from ui.ops import Workers
from ui.who import apply_identity, choose_user

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1400, 900)
SCREENSHOT_TIMEOUT_MS = 120_000
SWITCH_INTERVAL_S = 0.0005


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough  # 125 % / 150 % stay crisp
    )
    # Worker threads run Python (search, SQL) while the GUI thread paints. PySide releases the
    # GIL around many Qt calls, and each time a busy worker may keep it for a whole switch
    # interval (5 ms by default) before the GUI thread gets it back: painting ten result rows
    # then takes ~50 ms. A 0.5 ms interval gives the GUI thread the GIL back ten times sooner
    # (measured by bench/ui_bench.py: event-loop stalls while typing and scrolling).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("Frontline")
    app.setApplicationName("Frontline")
    app.setApplicationDisplayName("Frontline")
    theme_name = os.environ.get("FRONTLINE_THEME", "").lower()
    if theme_name in ("dark", "light") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # Fusion draws the same everywhere: used to check the looks offscreen and in both themes.
        app.setStyle(QStyleFactory.create("Fusion"))
        if theme_name == "dark":
            app.setPalette(dark_palette())
    return app


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1f2125",
        QPalette.ColorRole.WindowText: "#e6e7ea",
        QPalette.ColorRole.Base: "#17181b",
        QPalette.ColorRole.AlternateBase: "#202227",
        QPalette.ColorRole.Text: "#e6e7ea",
        QPalette.ColorRole.Button: "#2a2d33",
        QPalette.ColorRole.ButtonText: "#e6e7ea",
        QPalette.ColorRole.Highlight: "#2563eb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2a2d33",
        QPalette.ColorRole.ToolTipText: "#e6e7ea",
        QPalette.ColorRole.PlaceholderText: "#8b8f98",
        QPalette.ColorRole.Link: "#60a5fa",
        QPalette.ColorRole.Light: "#4a4e57",
        QPalette.ColorRole.Midlight: "#3a3d44",
        QPalette.ColorRole.Mid: "#30333a",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b6f78"))
    return pal


def _last_seen(settings: QSettings) -> datetime | None:
    raw = settings.value("session/last_seen", "")
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def run_app(args: argparse.Namespace) -> int:
    app = make_app()
    path = (
        Path(args.library).expanduser()
        if getattr(args, "library", None)
        else default_library_path()
    )
    screenshot = getattr(args, "screenshot", None)
    try:
        lib = Library.open(path)
    except LibraryError as e:
        if screenshot:
            print(f"frontline: {e}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Frontline", str(e))
        return 2

    if screenshot:
        # A screenshot must not depend on (or change) the user's remembered layout and filters.
        tmp = tempfile.TemporaryDirectory(prefix="frontline-shot-")
        settings = QSettings(str(Path(tmp.name) / "settings.ini"), QSettings.Format.IniFormat)
        last_seen = None
    else:
        settings = QSettings()
        last_seen = _last_seen(settings)
        apply_identity(lib, settings)
        try:
            choose_user(lib, settings)
        except LibraryError as e:
            QMessageBox.warning(None, "Frontline", str(e))
    session_start = datetime.now()
    workers = Workers(lib)
    window = MainWindow(workers, settings, last_seen=last_seen)
    try:
        if screenshot:
            return _screenshot(app, window, Path(screenshot), getattr(args, "query", None) or "")
        window.show()
        window.start()
        window.channels.start_checking()
        if getattr(args, "query", None):
            window.set_query(args.query)
        rc = app.exec()
        settings.setValue("session/last_seen", session_start.isoformat(timespec="seconds"))
        return int(rc)
    finally:
        if not window._closing:
            window.close()
        lib.close()


def _screenshot(app: QApplication, window: MainWindow, out: Path, query: str) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.splitter.setSizes(default_splitter_sizes(window.fontMetrics().horizontalAdvance("M")))
    window.show()
    result = {"rc": 1}

    def grab() -> None:
        if result.get("done"):
            return
        result["done"] = 1
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(out))
        result["rc"] = 0 if ok else 1
        if not ok:
            print(f"frontline: could not write {out}", file=sys.stderr)
        app.quit()

    def timed_out() -> None:
        if result.get("done"):
            return
        print("frontline: the window did not settle in time; saving it as it is", file=sys.stderr)
        grab()

    window.settled.connect(grab)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, timed_out)
    if query:
        window.search_edit.setText(query)
        window.controller.query.text = query
    window.start(rebuild="sync")
    app.exec()
    return result["rc"]
