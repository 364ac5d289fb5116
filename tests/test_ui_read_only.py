"""Items from a received pack (or a subscribed channel) are read-only in the core; the desktop
app shows that before the user tries: editing buttons are disabled with the core's sentence as
their tooltip, the detail banner says it, and bulk edit names the items it skips."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from library import items
from library.sync.testing import NewItem, add_items
from tests.test_read_only import PACK_SAYS, pack_item  # noqa: F401  (the fixture)
from tests.ui_support import open_window, settings_in
from ui.bulk_edit import BulkEditDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui
WAIT_MS = 15000


def _show(qtbot: Any, win: MainWindow, key: str) -> None:
    win.detail.show_item(key)
    qtbot.waitUntil(
        lambda: win.detail.loaded_key == key and win.detail.detail is not None, timeout=WAIT_MS
    )


def test_a_received_pack_item_shows_why_it_cannot_be_edited(
    qtbot: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """GIVEN a reseller's library (an admin) holding an item from a received pack and one of
    its own WHEN the pack item is shown THEN Edit…, the lifecycle, file and history buttons are
    disabled with the core's sentence as tooltip and the banner says it, while Flag… stays
    usable; Ctrl+E says it instead of opening the editor; the own item stays editable."""
    reseller, key = request.getfixturevalue("pack_item")
    [own] = add_items(reseller, [NewItem("Reseller price list", status="draft")])
    win = open_window(qtbot, reseller, settings_in(tmp_path / "ui"))
    assert "edit" in win.perms
    _show(qtbot, win, key)
    pane = win.detail
    sentence = items.get(reseller, key).read_only
    assert re.search(PACK_SAYS, sentence), sentence
    assert pane.detail is not None and pane.detail.read_only == sentence

    assert pane.edit_button.isVisible() and not pane.edit_button.isEnabled()
    assert pane.edit_button.toolTip() == sentence
    assert pane.banner.isVisible()
    assert pane.banner.text().splitlines()[0] == sentence
    assert pane.lifecycle.buttons, "an admin sees the lifecycle buttons of an approved item"
    for name, b in pane.lifecycle.buttons.items():
        assert not b.isEnabled() and b.toolTip() == sentence, name
    fb = pane.file_buttons
    assert not fb.add_button.isEnabled() and fb.add_button.toolTip() == sentence
    assert not fb.remove_button.isEnabled()
    history = pane.history
    assert not history.replace_button.isEnabled()
    assert history.replace_button.toolTip() == sentence
    assert not history.restore_button.isEnabled()
    assert history.restore_button.toolTip() == sentence
    assert pane.flag_button.isVisible() and pane.flag_button.isEnabled()

    win.edit_item(key)  # Ctrl+E / Edit > Edit item… on the selected pack item
    qtbot.waitUntil(lambda: win.statusBar().currentMessage() == sentence, timeout=WAIT_MS)
    assert getattr(win, "editor", None) is None

    _show(qtbot, win, own)
    assert pane.edit_button.isEnabled() and pane.edit_button.toolTip() != sentence
    assert sentence not in pane.banner.text()
    assert fb.add_button.isEnabled()
    assert all(b.isEnabled() for b in pane.lifecycle.buttons.values())
    win.close()


def test_bulk_edit_names_and_skips_the_read_only_items(
    qtbot: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """GIVEN a selection of a received-pack item and an own item WHEN bulk edit sets the
    audience THEN the dialog says up front and after applying which item it skips, the own item
    changes and the pack item does not."""
    reseller, key = request.getfixturevalue("pack_item")
    [own] = add_items(reseller, [NewItem("Reseller price list", status="draft")])
    pack_title = items.get(reseller, key).title
    pack_audience = items.get(reseller, key).audience
    win = open_window(qtbot, reseller, settings_in(tmp_path / "ui"))
    dialog = BulkEditDialog(win.workers, [key, own], win.terms, win)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.read_only), timeout=WAIT_MS)
    assert dialog.read_only == {key: pack_title}
    assert "Changes apply to 1 of the 2 selected items" in dialog.note.text()
    assert f"'{pack_title}'" in dialog.note.text() and "skipped" in dialog.note.text()

    new_audience = "internal" if pack_audience != "internal" else "partner"
    dialog.audience_on.setChecked(True)
    dialog.audience.setCurrentIndex(dialog.audience.findData(new_audience))
    with qtbot.waitSignal(dialog.finished_edit, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton
        )
    result = blocker.args[0]
    assert (result.done, result.failed, result.skipped) == (1, [], [pack_title])
    assert dialog.isVisible(), "the dialog stays open to say what it skipped"
    assert dialog.note.text().startswith("1 updated.")
    assert f"'{pack_title}' comes from a subscribed channel or a received pack" in (
        dialog.note.text()
    )
    assert items.get(reseller, own).audience == new_audience
    assert items.get(reseller, key).audience == pack_audience
    dialog.close()
    win.close()
