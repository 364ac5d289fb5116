"""Governance, feedback, thumbnails and What's new in the desktop app, driven through the real
widgets (pytest-qt, offscreen) against a real temporary library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QWidget

from library import items, users
from library.core import Library
from library.importer import create_item
from tests.ui_support import open_window, when_modal
from ui.main_window import MainWindow
from ui.who import WhoAreYouDialog

pytestmark = pytest.mark.gui
WAIT_MS = 15000

governance = pytest.importorskip("library.governance")
feedback = pytest.importorskip("library.feedback")


def _item(lib: Library, title: str, status: str = "approved", **extra: Any) -> str:
    with lib.transaction() as s:
        fields = {
            "title": title,
            "summary": f"{title}: what it is for.",
            "format": "data-sheet",
            "status": status,
            "audience": "customer",
            "language": "en",
            **extra,
        }
        item, _ = create_item(lib, s, fields, {"persona": ["CFO"]}, {}, [])
        return item.key


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, lib: Library, settings: QSettings) -> Iterator[MainWindow]:
    """The library's creator (an admin) over two approved items and a draft."""
    _item(lib, "Forecast data sheet")
    _item(lib, "Comp data sheet")
    _item(lib, "Territory preview", status="draft")
    win = open_window(qtbot, lib, settings)
    yield win
    win.close()


def _type_and_accept(text: str) -> Callable[[QWidget], None]:
    def handle(w: QWidget) -> None:
        edit = w.findChild(QPlainTextEdit) or w.findChild(QLineEdit)
        assert edit is not None
        if isinstance(edit, QPlainTextEdit):
            edit.setPlainText(text)
        else:
            edit.setText(text)
        assert isinstance(w, QDialog)
        w.accept()

    return handle


def _select(qtbot: Any, win: MainWindow, title: str) -> None:
    win.set_query(title)
    qtbot.waitUntil(
        lambda: win.detail.detail is not None and win.detail.detail.title == title,
        timeout=WAIT_MS,
    )


def test_a_rep_sees_no_editing_or_lifecycle_buttons(
    qtbot: Any, lib: Library, settings: QSettings
) -> None:
    """GIVEN a rep WHEN the app opens THEN import, edit and lifecycle actions are absent, and
    flagging stays available (the core would refuse the rest anyway)."""
    _item(lib, "Forecast data sheet")
    users.add_user(lib, "Rita Rep", "rep")
    lib.actor = "Rita Rep"
    win = open_window(qtbot, lib, settings)
    _select(qtbot, win, "Forecast data sheet")
    assert win.user_label.text() == "Rita Rep · Rep"
    assert not win.import_button.isVisible()
    assert not win.detail.edit_button.isVisible()
    assert not win.detail.lifecycle.isVisible()
    assert win.detail.flag_button.isVisible()
    assert not win.acceptDrops()
    win.close()


def test_approving_a_draft_by_clicking(qtbot: Any, window: MainWindow, lib: Library) -> None:
    window.include_all_action.trigger()
    _select(qtbot, window, "Territory preview")
    bar = window.detail.lifecycle
    assert bar.isVisible() and "approve" in bar.buttons and "submit" in bar.buttons
    assert "Draft" in window.detail.banner.text()
    when_modal(_type_and_accept("Looks right"))
    qtbot.mouseClick(bar.buttons["approve"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.detail.detail.status == "approved", timeout=WAIT_MS)  # type: ignore[union-attr]
    key = window.detail.detail.key  # type: ignore[union-attr]
    assert items.get(lib, key).status == "approved"
    assert "withdraw" in bar.buttons  # the buttons follow the new status
    assert not window.detail.banner.isVisible()


def test_rejecting_without_a_reason_shows_the_core_sentence(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    window.include_all_action.trigger()
    _select(qtbot, window, "Territory preview")
    key = window.detail.detail.key  # type: ignore[union-attr]
    governance.submit(lib, key)
    window._library_changed()
    qtbot.waitUntil(lambda: "reject" in window.detail.lifecycle.buttons, timeout=WAIT_MS)
    when_modal(_type_and_accept(""))
    with qtbot.waitSignal(window.detail.message, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(window.detail.lifecycle.buttons["reject"], Qt.MouseButton.LeftButton)
    assert "reason" in sig.args[0]
    assert items.get(lib, key).status == "in-review"


def test_history_lists_versions_and_restores_one(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    _select(qtbot, window, "Forecast data sheet")
    key = window.detail.detail.key  # type: ignore[union-attr]
    items.edit(lib, key, [("title", "Forecast data sheet v2")], note="New name for FY27")
    window._library_changed()
    qtbot.waitUntil(lambda: window.detail.detail.version == 2, timeout=WAIT_MS)  # type: ignore[union-attr]
    tabs = window.detail.tabs
    tab_bar = tabs.tabBar()
    qtbot.mouseClick(
        tab_bar,
        Qt.MouseButton.LeftButton,
        pos=tab_bar.tabRect(tabs.indexOf(window.detail.history)).center(),
    )
    tree = window.detail.history.versions
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 2, timeout=WAIT_MS)
    assert tree.topLevelItem(0).text(3) == "New name for FY27"  # type: ignore[union-attr]
    tree.setCurrentItem(tree.topLevelItem(1))
    restore = window.detail.history.restore_button
    assert restore.isEnabled()
    when_modal(_type_and_accept("Back to the old name"))
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: items.get(lib, key).version == 3, timeout=WAIT_MS)
    assert items.get(lib, key).title == "Forecast data sheet"
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 3, timeout=WAIT_MS)


def test_flagging_an_item_reaches_the_marketers_queue(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    _select(qtbot, window, "Comp data sheet")

    def fill(w: QWidget) -> None:
        w.findChild(QPlainTextEdit, "flagText").setPlainText("Prices changed in March")  # type: ignore[union-attr]
        assert isinstance(w, QDialog)
        w.accept()

    when_modal(fill)
    with qtbot.waitSignal(window.detail.message, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(window.detail.flag_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].startswith("Thanks")
    rows = feedback.queue(lib)
    assert [(r.kind, r.item_title, r.text) for r in rows] == [
        ("flag", "Comp data sheet", "Prices changed in March")
    ]
    window.queue_action.trigger()
    dialog = window.feedback_dialog
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=WAIT_MS)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    when_modal(_type_and_accept("Updated: see version 2"))
    qtbot.mouseClick(dialog.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: feedback.queue(lib, status="answered") != [], timeout=WAIT_MS)
    dialog.close()


def test_a_search_that_finds_nothing_offers_a_content_request(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    window.set_query("retail roi calculator")
    qtbot.waitUntil(lambda: window.results_stack.currentWidget() is window.empty, timeout=WAIT_MS)
    buttons = [
        b
        for b in window.empty.findChildren(QWidget)
        if getattr(b, "text", lambda: "")() == "Request this content…"
    ]
    assert buttons and buttons[0].isVisible()

    def check(w: QWidget) -> None:
        q = w.findChild(QLineEdit, "requestQuery")
        assert q is not None and q.text() == "retail roi calculator"
        assert isinstance(w, QDialog)
        w.accept()

    when_modal(check)
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: feedback.mine(lib) != [], timeout=WAIT_MS)
    assert feedback.mine(lib)[0].query == "retail roi calculator"


def test_whats_new_lists_versions_with_their_change_notes(
    qtbot: Any, lib: Library, settings: QSettings
) -> None:
    key = _item(lib, "Forecast data sheet")
    last_seen = datetime.now() - timedelta(minutes=5)
    win = open_window(qtbot, lib, settings, last_seen=last_seen)
    items.edit(lib, key, [("summary", "Now with the Dynamics connector.")], note="Added Dynamics")
    win._library_changed()
    for act in win.menuBar().actions():
        if act.text() == "&View":
            menu = act.menu()
    whats_new = next(a for a in menu.actions() if a.text() == "&What's new")  # type: ignore[union-attr]
    whats_new.trigger()
    qtbot.waitUntil(lambda: getattr(win, "whats_new_dialog", None) is not None, timeout=WAIT_MS)
    text = win.whats_new_dialog.browser.toPlainText()
    assert "Forecast data sheet" in text and "Added Dynamics" in text
    win.whats_new_dialog.close()
    win.close()


def test_who_are_you_lists_the_people_and_takes_a_new_name(qtbot: Any, lib: Library) -> None:
    users.add_user(lib, "Maya Marketer", "marketer")
    dialog = WhoAreYouDialog(users.list_users(lib), "someone", None)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.buttons["Maya Marketer"], Qt.MouseButton.LeftButton)
    assert dialog.chosen() == "Maya Marketer"
    dialog.other_name.clear()
    qtbot.keyClicks(dialog.other_name, "New Person")
    assert dialog.other.isChecked() and dialog.chosen() == "New Person"


def test_searches_that_find_nothing_and_shares_are_recorded_for_marketing(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    """GIVEN a rep who types a query that finds nothing and pauses WHEN the pause passes THEN
    one search event with 0 results is recorded (not one per keystroke); copying a summary
    records a share."""
    from sqlalchemy import select

    from library.sync.models import UsageEvent

    window._usage_timer.setInterval(50)
    qtbot.keyClicks(window.search_edit, "retail roi")
    qtbot.waitUntil(lambda: window.results_stack.currentWidget() is window.empty, timeout=WAIT_MS)

    def events() -> list[tuple[str, str | None, int | None]]:
        with lib.reader() as s:
            return [(e.kind, e.query, e.results) for e in s.scalars(select(UsageEvent))]

    qtbot.waitUntil(lambda: ("search", "retail roi", 0) in events(), timeout=WAIT_MS)
    assert [e for e in events() if e[0] == "search"] == [("search", "retail roi", 0)]
    _select(qtbot, window, "Comp data sheet")
    qtbot.mouseClick(window.detail.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(e[0] == "share" for e in events()), timeout=WAIT_MS)


def test_replacing_a_file_needs_a_note_and_makes_a_version(
    qtbot: Any, lib: Library, settings: QSettings, tmp_path: Path
) -> None:
    from library.importer import import_paths
    from library.values import ImportOptions

    old = tmp_path / "price-list.txt"
    old.write_text("Forecast costs 40 per seat.", encoding="utf-8")
    key = import_paths(lib, [old], ImportOptions(status="approved")).results[0].item_key
    assert key is not None
    new = tmp_path / "price-list-2027.txt"
    new.write_text("Forecast costs 42 per seat from 2027.", encoding="utf-8")
    win = open_window(qtbot, lib, settings)
    qtbot.waitUntil(lambda: win.detail.detail is not None, timeout=WAIT_MS)
    win.detail.tabs.setCurrentWidget(win.detail.history)
    button = win.detail.history.replace_button
    assert button.isVisible() and button.isEnabled()

    def fill(note: str) -> Callable[[QWidget], None]:
        def handle(w: QWidget) -> None:
            w.findChild(QLineEdit, "newFile").setText(str(new))  # type: ignore[union-attr]
            w.findChild(QPlainTextEdit, "changeNote").setPlainText(note)  # type: ignore[union-attr]
            assert isinstance(w, QDialog)
            w.accept()

        return handle

    when_modal(fill(""))  # no note: the core refuses, nothing changes
    with qtbot.waitSignal(win.detail.message, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "note" in sig.args[0].lower()
    assert items.get(lib, key).version == 1
    when_modal(fill("2027 prices"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: items.get(lib, key).version == 2, timeout=WAIT_MS)
    assert items.get(lib, key).assets[0].name == "price-list-2027.txt"
    win.close()
