"""Screenshots of the app's main views, to check the UI by eye and for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.shots --library /tmp/ui-demo --out /tmp/shots

Works on a *copy* of the library (importing and editing must not change the user's library) and
with throw-away settings. Writes main.png, history.png, marketer-drafts.png, review-due.png,
feedback-queue.png, preview.png, editor.png, editor-sections.png, editor-files.png,
most-used.png (sorted by popularity), whats-new.png, no-results.png, import.png and
first-run.png. Each view is grabbed once the window reports `settled` (or the
dialog's background work finished), never after a fixed sleep.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from library.core import Library
from ui.app import SCREENSHOT_SIZE, make_app
from ui.main_window import MainWindow, default_splitter_sizes
from ui.ops import Workers

TIMEOUT_S = 60.0


def wait_until(pred: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> bool:
    """Run the event loop until `pred()` holds (checked every 20 ms) or the timeout passes."""
    end = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if pred() or time.monotonic() > end:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not pred():
        loop.exec()
    timer.stop()
    return pred()


def settle(win: MainWindow) -> None:
    QApplication.processEvents()
    wait_until(lambda: win.is_settled() and not win.workers.busy)
    QApplication.processEvents()


def grab(widget: QWidget, out: Path) -> None:
    widget.repaint()
    QApplication.processEvents()
    if not widget.grab().save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
    else:
        print(out)


def open_window(
    root: Path, settings_dir: Path, last_seen: datetime | None, actor: str | None = None
) -> MainWindow:
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    lib = Library.open(root)
    if actor:
        lib.actor = actor
    win = MainWindow(Workers(lib), settings, last_seen=last_seen)
    win.resize(*SCREENSHOT_SIZE)
    win.splitter.setSizes(default_splitter_sizes(win.fontMetrics().horizontalAdvance("M")))
    win.show()
    win.start(rebuild="sync")
    settle(win)
    return win


def close_window(win: MainWindow) -> None:
    lib = win.workers.lib
    win.close()
    lib.close()


def search(win: MainWindow, text: str) -> None:
    win.set_query(text)
    settle(win)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--import-from", type=Path, help="files to import for import.png")
    ap.add_argument("--rep", default="", help="a rep's name in the library (rep's view shots)")
    ap.add_argument(
        "--marketer", default="", help="a marketer's name in the library (marketer's view shots)"
    )
    args = ap.parse_args(argv)
    make_app()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontline-shots-") as tmp:
        work = Path(tmp) / "lib"
        shutil.copytree(args.library, work, ignore=shutil.ignore_patterns("*.lock"))
        win = open_window(work, Path(tmp), datetime.now() - timedelta(days=3), args.rep)
        search(win, "cfo roi")
        grab(win, args.out / "main.png")
        close_window(win)

        win = open_window(work, Path(tmp) / "m", datetime.now() - timedelta(days=3), args.marketer)
        search(win, "cfo roi")
        win.detail.tabs.setCurrentWidget(win.detail.history)
        wait_until(lambda: not win.workers.busy, 10)
        grab(win, args.out / "history.png")
        win.detail.tabs.setCurrentIndex(0)
        win.include_all_action.trigger()
        settle(win)
        win.facets.select("status", "draft", True)
        settle(win)
        grab(win, args.out / "marketer-drafts.png")
        win.facets.clear()
        settle(win)
        win.show_review_due()
        wait_until(lambda: getattr(win, "review_dialog", None) is not None)
        wait_until(lambda: not win.workers.busy, 10)
        grab(win.review_dialog, args.out / "review-due.png")
        win.review_dialog.reject()
        if win.queue_action.isVisible():
            win.show_feedback_queue()
            wait_until(lambda: not win.workers.busy, 10)
            grab(win.feedback_dialog, args.out / "feedback-queue.png")
            win.feedback_dialog.reject()

        search(win, "forecast accuracy gap white paper")
        win.detail.tabs.setCurrentWidget(win.detail.preview)
        wait_until(lambda: not win.workers.busy, 10)
        QApplication.processEvents()
        grab(win, args.out / "preview.png")
        win.detail.tabs.setCurrentIndex(0)

        search(win, "battle card quotabase")
        win.edit_item(win._current_key())
        wait_until(lambda: getattr(win, "editor", None) is not None)
        editor = win.editor
        assert editor is not None
        editor.tabs.setCurrentIndex(0)
        grab(editor, args.out / "editor.png")
        titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
        editor.tabs.setCurrentIndex(titles.index("Battle card"))
        grab(editor, args.out / "editor-sections.png")
        editor.tabs.setCurrentIndex(titles.index("Files"))
        grab(editor, args.out / "editor-files.png")
        editor.reject()

        search(win, "")
        win.sort_box.setCurrentIndex(win.sort_box.findData("popularity"))
        settle(win)
        grab(win, args.out / "most-used.png")
        win.sort_box.setCurrentIndex(0)
        settle(win)

        win.show_whats_new()
        wait_until(lambda: getattr(win, "whats_new_dialog", None) is not None)
        grab(win.whats_new_dialog, args.out / "whats-new.png")
        win.whats_new_dialog.reject()

        search(win, "zebra xylophone")
        win.facets.select("persona", "CFO", True)
        settle(win)
        grab(win, args.out / "no-results.png")

        source = args.import_from
        if source is not None and source.exists():
            dialog = win.start_import([source])
            wait_until(lambda: not dialog.running, 120)
            dialog.resize(980, 560)
            QApplication.processEvents()
            grab(dialog, args.out / "import.png")
            dialog.close()
        close_window(win)

        empty = Path(tmp) / "empty"
        win = open_window(empty, Path(tmp) / "s2", None)
        grab(win, args.out / "first-run.png")
        close_window(win)
    return 0


if __name__ == "__main__":
    sys.exit(main())
