"""Pack basket export, brand kit, sync menu and thumbnails in the desktop app, driven through the
real widgets (pytest-qt, offscreen) against real temporary libraries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QWidget

from library.core import Library
from library.importer import create_item, import_paths
from library.values import ImportOptions
from tests.ui_support import open_window, settings_in, when_modal
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui
WAIT_MS = 20000
ex = pytest.importorskip("exporters.api")


def _item(lib: Library, title: str, audience: str = "customer") -> str:
    with lib.transaction() as s:
        fields = {
            "title": title,
            "summary": f"{title}: what it is for.",
            "format": "data-sheet",
            "status": "approved",
            "audience": audience,
            "language": "en",
        }
        item, _ = create_item(lib, s, fields, {"persona": ["CFO"]}, {}, [])
        return item.key


@pytest.fixture
def window(qtbot: Any, lib: Library, tmp_path: Path) -> Iterator[MainWindow]:
    _item(lib, "Forecast data sheet")
    _item(lib, "Comp data sheet")
    _item(lib, "Battle notes", audience="internal")
    win = open_window(qtbot, lib, settings_in(tmp_path, f"{lib.root.name}.ini"))
    yield win
    win.close()


def _add_to_pack(qtbot: Any, win: MainWindow, title: str) -> None:
    win.set_query(title)
    qtbot.waitUntil(
        lambda: win.detail.detail is not None and win.detail.detail.title == title,
        timeout=WAIT_MS,
    )
    qtbot.mouseClick(win.detail.pack_button, Qt.MouseButton.LeftButton)


def test_exporting_a_leave_behind_from_the_pack(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    """GIVEN two customer-shareable items and an internal one in the pack WHEN the rep exports
    THEN the internal one is shown as refused with the core's reason and the export refuses;
    after removing it, the DOCX is written."""
    for title in ("Forecast data sheet", "Comp data sheet"):
        _add_to_pack(qtbot, window, title)
    window.include_all_action.trigger()
    _add_to_pack(qtbot, window, "Battle notes")
    assert window.pack_button.text() == "Pack (3)"
    qtbot.mouseClick(window.pack_button, Qt.MouseButton.LeftButton)
    dialog = window.export_dialog
    qtbot.waitUntil(lambda: dialog.refusal_note.isVisible(), timeout=WAIT_MS)
    refused = dialog.list.item(2)
    assert refused is not None and "not included" in refused.text()
    qtbot.keyClicks(dialog.customer, "ACME Corp")
    out = tmp_path / "ACME leave-behind.docx"
    dialog.out.setText(str(out))
    dialog._out_edited = True
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not dialog.running and dialog.status.text() != "Exporting…", timeout=WAIT_MS
    )
    assert not out.exists()
    assert "Battle notes" in dialog.status.text()
    dialog.list.setCurrentRow(2)
    remove = next(
        b for b in dialog.findChildren(QWidget) if getattr(b, "text", lambda: "")() == "Remove"
    )
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not dialog.refusal_note.isVisible() and dialog.list.count() == 2, timeout=WAIT_MS
    )
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    assert out.is_file() and out.stat().st_size > 5000
    assert "Saved ACME leave-behind.docx (2 items" in dialog.status.text()
    dialog.close()


def test_the_brand_kit_editor_explains_a_bad_colour_and_saves(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    window.brand_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "brand_dialog", None) is not None, timeout=WAIT_MS)
    dialog = window.brand_dialog
    color = dialog.widgets["primary_color"]
    color.clear()
    qtbot.keyClicks(color, "blue-ish")
    assert dialog.errors["primary_color"].isVisible()
    assert "colour" in dialog.errors["primary_color"].text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Fix the fields" in dialog.status.text()
    color.clear()
    qtbot.keyClicks(color, "#17375E")
    name = dialog.widgets["company_name"]
    name.clear()
    qtbot.keyClicks(name, "Lumenfield Software")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    brand = ex.get_brand(lib)
    assert brand.primary_color.upper() == "17375E" and brand.company_name == "Lumenfield Software"


def test_publish_then_subscribe_and_sync_brings_the_items(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    """GIVEN a marketer's library WHEN they publish from the Sync menu and a rep subscribes
    with the fingerprint and syncs THEN the rep's window lists the published items."""
    channel = tmp_path / "channel"
    channel.mkdir()

    shown: list[str] = []

    def close_message(w: QWidget) -> None:
        if not isinstance(w, QMessageBox):
            QTimer.singleShot(20, lambda: when_modal(close_message))
            return
        shown.append(w.text())
        w.accept()

    def fill(w: QWidget) -> None:
        folder = w.findChild(QLineEdit, "channelFolder")
        assert folder is not None
        folder.setText(str(channel))
        assert isinstance(w, QDialog)
        w.accept()
        when_modal(close_message)  # then "channel created", with the fingerprint

    when_modal(fill)
    window.publish_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    report = window.channels.last_report
    assert report.items_published == 3 and (channel / "channel.json").is_file()
    assert report.fingerprint in shown[0]

    rep_lib = Library.open(tmp_path / "rep-lib")
    try:
        rep = open_window(qtbot, rep_lib, settings_in(tmp_path, f"{rep_lib.root.name}.ini"))
        assert rep.model.rowCount() == 0
        rep.channels.subscribe_to(channel, report.fingerprint)
        qtbot.waitUntil(lambda: rep.model.rowCount() == 3, timeout=WAIT_MS)
        assert "Synced" in rep.statusBar().currentMessage()
        rep.close()
    finally:
        rep_lib.close()


def test_pdf_thumbnails_are_rendered_in_the_background_and_cached(
    qtbot: Any, lib: Library, tmp_path: Path
) -> None:
    pytest.importorskip("PySide6.QtPdf")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=28)
    pdf.cell(0, 20, "Forecast data sheet")
    source = tmp_path / "forecast.pdf"
    pdf.output(str(source))
    report = import_paths(lib, [source], ImportOptions(status="approved", audience="customer"))
    key = report.results[0].item_key
    assert key is not None
    win = open_window(qtbot, lib, settings_in(tmp_path, f"{lib.root.name}.ini"))
    qtbot.waitUntil(lambda: win.thumbnails.known(key), timeout=WAIT_MS)
    pm = win.thumbnails.pixmap(key)
    assert pm is not None and pm.height() > pm.width()  # a portrait page
    cached = list((lib.root / "thumbnails").rglob("*.png"))
    assert len(cached) == 1
    win.close()
