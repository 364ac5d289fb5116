"""Sort by popularity and adding/removing files in the desktop app, driven through the real
widgets (pytest-qt, offscreen) against a real temporary library."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QTabWidget

from library import assets, items, users
from library.core import Library
from library.importer import create_item
from library.sync.usage import record_usage
from tests.ui_support import open_window
from ui.editor import ItemEditor
from ui.file_actions import AddFileDialog, FileButtons, RemoveFileDialog
from ui.main_window import MainWindow
from ui.search_controller import FIRST_PAGE

pytestmark = pytest.mark.gui
WAIT_MS = 15000


def _items(lib: Library, titles: list[str], summary: str = "Forecast data") -> list[str]:
    keys = []
    with lib.transaction() as s:
        for title in titles:
            fields = {
                "title": title,
                "summary": f"{summary}: {title}.",
                "format": "data-sheet",
                "status": "approved",
                "audience": "customer",
                "language": "en",
            }
            item, _ = create_item(lib, s, fields, {}, {}, [])
            keys.append(item.key)
    return keys


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _keys(win: MainWindow) -> list[str]:
    m = win.model
    return [k for k in (m.key_at(n) for n in range(m.rowCount())) if k]


# -- popularity -----------------------------------------------------------------------------------
def test_sorting_by_popularity_puts_the_most_used_first(
    qtbot: Any, lib: Library, settings: QSettings
) -> None:
    """GIVEN more results than the first page, some used (opened, exported) WHEN the user picks
    "Most used" with the keyboard THEN the whole id list is reordered by uses (ties keep the
    relevance order), every key is known without loading rows, and the choice is remembered."""
    keys = _items(lib, [f"Data sheet {n:03d}" for n in range(FIRST_PAGE + 30)])
    win = open_window(qtbot, lib, settings)
    relevance = _keys(win)
    assert len(relevance) <= FIRST_PAGE < win.model.rowCount()  # only the first page known
    busiest, second = relevance[-1], relevance[-5]  # far down in relevance order
    for _ in range(4):
        record_usage(lib, "open", busiest)
    record_usage(lib, "preview", second)
    with lib.transaction() as s:
        lib.record(s, "export", second, version=1, title="x")
        lib.record(s, "export", second, version=1, title="x")
    box = win.sort_box
    n = box.findData("popularity")
    model_item = box.model().item(n)  # type: ignore[attr-defined]
    assert model_item.isEnabled()
    assert "opens, previews" in str(box.itemData(n, Qt.ItemDataRole.ToolTipRole))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End)  # the last choice: Most used
    assert box.currentData() == "popularity"
    qtbot.waitUntil(lambda: win.model.key_at(0) == busiest, timeout=WAIT_MS)
    qtbot.waitUntil(win.is_settled, timeout=WAIT_MS)
    order = _keys(win)
    assert len(order) == len(keys) == win.model.known_keys()  # the whole list, reordered
    assert order[:2] == [busiest, second]  # 4 opens; a preview and 2 exports
    rest = [k for k in relevance if k not in (second, busiest)]
    assert order[2 : 2 + len(rest)] == rest  # ties keep relevance order
    assert box.toolTip().startswith("Order of the results: Most used in the last 90 days")
    win.close()
    assert settings.value("search/sort") == "popularity"


def test_popularity_sort_follows_the_search_words(
    qtbot: Any, lib: Library, settings: QSettings
) -> None:
    a, b, _c = _items(lib, ["Pricing sheet", "Pricing FAQ", "Security pack"])
    record_usage(lib, "share", b)
    settings.setValue("search/sort", "popularity")
    win = open_window(qtbot, lib, settings)
    assert win.sort_box.currentData() == "popularity"
    assert win.model.key_at(0) == b
    qtbot.keyClicks(win.search_edit, "pricing")
    qtbot.waitUntil(lambda: win.model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(win.is_settled, timeout=WAIT_MS)
    assert _keys(win) == [b, a]
    win.close()


# -- files ---------------------------------------------------------------------------------------
def _answer(get: Callable[[], Any], fill: Callable[[Any], None]) -> None:
    """Fill the next add/remove dialog once it is open (it runs its own event loop)."""

    def poll() -> None:
        dialog = get()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        fill(dialog)

    QTimer.singleShot(0, poll)


def _open_editor(qtbot: Any, win: MainWindow, key: str) -> ItemEditor:
    win.edit_item(key)
    qtbot.waitUntil(
        lambda: getattr(win, "editor", None) is not None and win.editor.isVisible(),
        timeout=WAIT_MS,
    )
    editor = win.editor
    assert editor is not None
    tabs = editor.findChild(QTabWidget)
    assert tabs is not None
    files_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Files")
    tabs.setCurrentIndex(files_tab)
    return editor


def test_the_editor_adds_and_removes_files_with_change_notes(
    qtbot: Any, lib: Library, settings: QSettings, tmp_path: Path
) -> None:
    """GIVEN an item with one file WHEN the marketer adds a file in the editor's Files tab
    (typing the path and the change note) and then removes the first file THEN each is a new
    version in the library, the list and the detail pane follow, and the dialog's own check
    asks for the note first."""
    first = tmp_path / "pricing-2026.txt"
    first.write_text("Forecast costs 10 euros per seat.", encoding="utf-8")
    (key,) = _items(lib, ["Pricing sheet"])
    assets.add_file(lib, key, first, "First file")
    extra = tmp_path / "sso-faq.txt"
    extra.write_text("Single sign-on with SAML is supported.", encoding="utf-8")
    win = open_window(qtbot, lib, settings)
    editor = _open_editor(qtbot, win, key)
    buttons = editor.file_buttons
    assert editor.file_list.topLevelItemCount() == 1

    def add(dialog: AddFileDialog) -> None:
        qtbot.keyClicks(dialog.file_edit, str(extra))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no note yet: refused by the dialog
        assert dialog.isVisible() and "change note" in dialog.error.text()
        qtbot.keyClicks(dialog.note_edit, "Added the SSO FAQ")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _answer(lambda: buttons.dialog, add)
    qtbot.mouseClick(buttons.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.file_list.topLevelItemCount() == 2, timeout=WAIT_MS)
    d = items.get(lib, key)
    assert [a.name for a in d.assets] == ["pricing-2026.txt", "sso-faq.txt"]
    assert d.change_note == "Added the SSO FAQ" and d.version == 3
    assert editor.change_note.text() == "Added the SSO FAQ"  # Save will not reword the note

    editor.file_list.setCurrentItem(editor.file_list.topLevelItem(0))

    def remove(dialog: RemoveFileDialog) -> None:
        assert "pricing-2026.txt" in dialog.intro.text()
        qtbot.keyClicks(dialog.note_edit, "Prices moved to the summary")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    _answer(lambda: buttons.dialog, remove)
    qtbot.mouseClick(buttons.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.file_list.topLevelItemCount() == 1, timeout=WAIT_MS)
    assert [a.name for a in items.get(lib, key).assets] == ["sso-faq.txt"]
    assert not editor.error.isVisible()
    # Saving the form afterwards sends only the user's own edits (none): no extra version.
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=WAIT_MS)
    assert items.get(lib, key).version == 4
    qtbot.waitUntil(lambda: win.detail.tabs.tabText(2) == "Files (1)", timeout=WAIT_MS)
    win.close()


def test_the_core_refusal_is_shown_in_the_editor(
    qtbot: Any, lib: Library, settings: QSettings, tmp_path: Path
) -> None:
    """GIVEN an item whose only content is its file WHEN the marketer removes that file THEN
    the editor shows the core's sentence and the file stays."""
    only = tmp_path / "deck.txt"
    only.write_text("The platform story.", encoding="utf-8")
    (key,) = _items(lib, ["Overview deck"])
    items.edit(lib, key, [("summary", "")], note="No summary")
    assets.add_file(lib, key, only, "The deck")
    win = open_window(qtbot, lib, settings)
    editor = _open_editor(qtbot, win, key)
    buttons = editor.file_buttons

    def remove(dialog: RemoveFileDialog) -> None:
        qtbot.keyClicks(dialog.note_edit, "Not needed")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    _answer(lambda: buttons.dialog, remove)
    qtbot.mouseClick(buttons.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.error.isVisible, timeout=WAIT_MS)
    assert "only file" in editor.error.text()
    assert editor.file_list.topLevelItemCount() == 1 and buttons.add_button.isEnabled()
    assert len(items.get(lib, key).assets) == 1
    editor.reject()
    win.close()


def test_marketers_add_files_from_the_detail_pane_and_reps_cannot(
    qtbot: Any, lib: Library, settings: QSettings, tmp_path: Path
) -> None:
    (key,) = _items(lib, ["Comp data sheet"])
    users.add_user(lib, "Rae Rep", "rep")
    extra = tmp_path / "comp-plan.txt"
    extra.write_text("Commission rates for 2027.", encoding="utf-8")
    win = open_window(qtbot, lib, settings)
    qtbot.waitUntil(lambda: win.detail.loaded_key == key, timeout=WAIT_MS)
    pane = win.detail
    pane.tabs.setCurrentIndex(2)
    fb: FileButtons = pane.file_buttons
    assert fb.isVisible() and fb.add_button.isEnabled() and not fb.remove_button.isEnabled()

    def add(dialog: AddFileDialog) -> None:
        qtbot.keyClicks(dialog.file_edit, str(extra))
        qtbot.keyClicks(dialog.note_edit, "Added the 2027 plan")
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Tab)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    _answer(lambda: fb.dialog, add)
    qtbot.mouseClick(fb.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.tabs.tabText(2) == "Files (1)", timeout=WAIT_MS)
    assert pane.files.topLevelItemCount() == 1 and fb.remove_button.isEnabled()
    assert "comp-plan.txt added" in win.statusBar().currentMessage()
    win.close()

    lib.actor = "Rae Rep"
    rep = open_window(qtbot, lib, QSettings(str(tmp_path / "rep.ini"), QSettings.Format.IniFormat))
    qtbot.waitUntil(lambda: rep.detail.loaded_key is not None, timeout=WAIT_MS)
    assert not rep.detail.file_buttons.isVisibleTo(rep.detail)
    rep.close()


def test_long_result_lists_reuse_the_counts_until_forgotten(lib: Library) -> None:
    """GIVEN a result list longer than the fresh-count limit WHEN counted twice with a use in
    between THEN the second answer is the cached one; after forget() (a write) it is new."""
    from ui.search_controller import PopularityCache

    keys = _items(lib, ["A", "B", "C"])
    cache = PopularityCache()
    cache.FRESH_BELOW = 2
    record_usage(lib, "open", keys[2])
    assert cache.counts(lib, keys).get(keys[2]) == 1
    record_usage(lib, "open", keys[2])
    assert cache.counts(lib, keys).get(keys[2]) == 1  # reused
    assert cache.counts(lib, keys[1:]) == {keys[1]: 0, keys[2]: 2}  # short list: fresh
    cache.forget()
    assert cache.counts(lib, keys).get(keys[2]) == 2
