"""The desktop app driven through its real widgets (pytest-qt, offscreen) against a real
temporary library and search index."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from library import items
from library.core import Library
from library.importer import create_item
from ui.main_window import MainWindow
from ui.ops import Workers

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[1]
WAIT_MS = 15000

ITEMS: list[dict[str, Any]] = [
    {
        "title": "Pricing sheet for enterprise plans",
        "summary": "List prices, discounts and approval rules for enterprise deals.",
        "format": "pricing-sheet",
        "persona": ["CFO"],
        "stage": ["Proposal", "Negotiation"],
        "industry": ["Retail"],
    },
    {
        "title": "ROI calculator for finance leaders",
        "summary": "Payback and three-year ROI from the customer's own numbers.",
        "format": "roi-calculator",
        "persona": ["CFO"],
        "stage": ["Evaluation"],
        "industry": ["Healthcare"],
    },
    {
        "title": "Security and compliance pack",
        "summary": "SOC 2 report summary, data residency and encryption answers.",
        "format": "security-pack",
        "persona": ["CISO"],
        "stage": ["Evaluation"],
        "industry": ["Healthcare"],
    },
    {
        "title": "Platform overview pitch deck",
        "summary": "The story for a first meeting: problem, platform, proof.",
        "format": "pitch-deck",
        "persona": ["CTO", "CFO"],
        "stage": ["Discovery"],
        "industry": ["Retail"],
    },
    {
        "title": "Acme Retail case study",
        "summary": "How Acme cut onboarding time by forty percent.",
        "format": "case-study",
        "persona": ["CTO"],
        "stage": ["Proposal"],
        "industry": ["Retail"],
    },
]


def _fill(lib: Library) -> list[str]:
    keys = []
    with lib.transaction() as s:
        for spec in ITEMS:
            fields = {
                "title": spec["title"],
                "summary": spec["summary"],
                "format": spec["format"],
                "status": "approved",
                "audience": "customer",
                "language": "en",
            }
            terms = {t: spec[t] for t in ("persona", "stage", "industry")}
            item, _ = create_item(lib, s, fields, terms, {}, [])
            keys.append(item.key)
    return keys


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, lib: Library, settings: QSettings) -> Iterator[MainWindow]:
    """The main window over a library of five approved items, index built, settled."""
    _fill(lib)
    workers = Workers(lib)
    win = MainWindow(workers, settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.settled, timeout=WAIT_MS):
        win.start(rebuild="sync")
    yield win
    win.close()


def _titles(win: MainWindow) -> list[str]:
    m = win.model
    return [m.row_at(n).title for n in range(m.rowCount()) if m.row_at(n) is not None]  # type: ignore[union-attr]


def test_first_window_lists_every_published_item(window: MainWindow) -> None:
    assert window.model.rowCount() == len(ITEMS)
    assert window.count_label.text().startswith("5 results")
    assert window.index_label.text() == "Search ready"
    # The first result is selected and its detail is shown.
    assert window.detail.loaded_key == window.model.key_at(0)


def test_typing_in_the_search_box_shows_results(qtbot: Any, window: MainWindow) -> None:
    window.search_edit.setFocus()
    qtbot.keyClicks(window.search_edit, "security")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(window.is_settled, timeout=WAIT_MS)
    assert _titles(window) == ["Security and compliance pack"]
    assert "for “security”" in window.count_label.text()
    row = window.model.row_at(0)
    assert row is not None and "<b>" in row.snippet  # the matched word is highlighted


def test_a_query_with_no_results_helps(qtbot: Any, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_edit, "zzqx")
    qtbot.waitUntil(lambda: window.results_stack.currentWidget() is window.empty, timeout=WAIT_MS)
    assert "No results for “zzqx”" in window.empty.heading.text()


def test_clicking_a_facet_filters_the_results(qtbot: Any, window: MainWindow) -> None:
    item = window.facets.value_item("persona", "CISO")
    assert item is not None and item.text(1) == "1"
    tree = window.facets.tree
    rect = tree.visualItemRect(item)
    count_x = tree.header().sectionPosition(1) + tree.header().sectionSize(1) // 2
    with qtbot.waitSignal(window.controller.results_ready, timeout=WAIT_MS):
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(count_x, rect.center().y())
        )
    assert _titles(window) == ["Security and compliance pack"]
    assert window.facets.selected() == {"persona": ["CISO"]}
    # One click clears the filters again.
    with qtbot.waitSignal(window.controller.results_ready, timeout=WAIT_MS):
        qtbot.mouseClick(window.facets.clear_button, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == len(ITEMS)


def test_deal_context_prefilters_and_is_remembered(
    qtbot: Any, window: MainWindow, settings: QSettings
) -> None:
    with qtbot.waitSignal(window.controller.results_ready, timeout=WAIT_MS):
        window.deal.set_value("industry", "healthcare")  # typed in another case
    assert sorted(_titles(window)) == [
        "ROI calculator for finance leaders",
        "Security and compliance pack",
    ]
    assert settings.value("deal/industry") == "Healthcare"
    pinned = window.facets.value_item("industry", "Healthcare")
    assert pinned is not None and pinned.checkState(0) == Qt.CheckState.Checked
    assert not pinned.flags() & Qt.ItemFlag.ItemIsEnabled  # locked: it comes from the deal


def test_dropping_files_imports_them(
    qtbot: Any, window: MainWindow, lib: Library, tmp_path: Path
) -> None:
    files = []
    for n, text in enumerate(["Renewal playbook for procurement", "Objection handling notes"]):
        p = tmp_path / f"drop{n}.txt"
        p.write_text(text + ". Talk track for the CFO.\n", encoding="utf-8")
        files.append(p)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    # Through the window system's entry point, like a real drag from a file manager: Qt routes
    # it to the widget under the cursor (the results list) and up to the one accepting drops.
    target = window.results.viewport().mapTo(window, QPoint(200, 200))
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPointF(target), *args)
    QApplication.sendEvent(window.windowHandle(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(target), *args)
    QApplication.sendEvent(window.windowHandle(), drop)
    assert drop.isAccepted()
    dialog = window._import_dialogs[-1]
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    assert dialog.report is not None
    assert [r.outcome for r in dialog.report.results] == ["imported", "imported"]
    assert dialog.table.rowCount() == 2
    imported = {r.item_key for r in dialog.report.results}
    for key in imported:
        assert key is not None and items.get(lib, key).status == "draft"
    # Drafts are for marketers: the "everything" view finds them, with their status.
    window.include_all_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(ITEMS) + 2, timeout=WAIT_MS)
    dialog.close()


def test_editing_and_saving_an_item_persists(qtbot: Any, window: MainWindow, lib: Library) -> None:
    key = window.model.key_at(0)
    assert key is not None
    window.edit_item(key)
    qtbot.waitUntil(
        lambda: getattr(window, "editor", None) is not None and window.editor.isVisible(),
        timeout=WAIT_MS,
    )  # type: ignore[union-attr]
    editor = window.editor
    assert editor is not None
    editor.title_edit.clear()
    qtbot.keyClicks(editor.title_edit, "Pricing sheet 2027")
    qtbot.keyClicks(editor.change_note, "Prices for 2027")  # a content change needs a note
    chips = editor.chips["persona"]
    qtbot.keyClicks(chips.edit, "Procurement lead")
    qtbot.keyClick(chips.edit, Qt.Key.Key_Return)
    editor.expires.check.setChecked(True)
    editor.expires.edit.setDate(date(2030, 1, 31))
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.error.isVisible() or not editor.isVisible(), timeout=WAIT_MS)
    assert not editor.error.isVisible(), editor.error.text()
    detail = items.get(lib, key)
    assert detail.title == "Pricing sheet 2027"
    assert "Procurement lead" in detail.terms["persona"]
    assert detail.expires_on == date(2030, 1, 31)
    # The list shows the new title once the re-search lands.
    qtbot.waitUntil(lambda: "Pricing sheet 2027" in _titles(window), timeout=WAIT_MS)


def test_the_editor_explains_what_is_wrong(qtbot: Any, window: MainWindow, lib: Library) -> None:
    key = window.model.key_at(0)
    assert key is not None
    window.edit_item(key)
    qtbot.waitUntil(lambda: getattr(window, "editor", None) is not None, timeout=WAIT_MS)
    editor = window.editor
    assert editor is not None
    editor.title_edit.clear()
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert editor.isVisible() and not editor.error.isHidden()
    assert "needs a title" in editor.error.text()
    editor.reject()


def test_results_model_passes_the_model_tester(qtmodeltester: Any, window: MainWindow) -> None:
    qtmodeltester.check(window.model, force_py=True)


def test_stale_answers_are_dropped(window: MainWindow) -> None:
    model = window.model
    before = [model.row_at(n) for n in range(model.rowCount())]
    model.fill_rows(model.generation - 1, {}, {}, [r.key for r in before if r])
    assert [model.row_at(n) for n in range(model.rowCount())] == before


@pytest.mark.slow
def test_screenshot_option_writes_a_png(lib: Library, tmp_path: Path) -> None:
    _fill(lib)
    lib.close()
    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--screenshot",
            str(out),
            "--library",
            str(lib.root),
            "--query",
            "pricing",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_copy_summary_and_pack_basket(qtbot: Any, window: MainWindow, settings: QSettings) -> None:
    detail = window.detail
    qtbot.mouseClick(detail.copy_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert detail.detail is not None
    assert text.startswith(detail.detail.title) and "Approved for sharing with customers." in text
    qtbot.mouseClick(detail.pack_button, Qt.MouseButton.LeftButton)
    assert window.basket.keys() == [detail.detail.key]
    assert window.pack_button.text() == "Pack (1)"
    assert detail.detail.key in str(settings.value("basket/items"))  # survives a restart


def test_taxonomy_rename_keeps_links_and_reindexes(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    from ui.taxonomy_dialog import TaxonomyDialog

    dialog = TaxonomyDialog(window.workers, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.values.topLevelItemCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.changed, timeout=WAIT_MS):
        dialog.run_rename("persona", "CISO", "Infosec chief")
    with qtbot.waitSignal(window.controller.results_ready, timeout=WAIT_MS):
        window.set_query("infosec")
    assert _titles(window) == ["Security and compliance pack"]
    key = window.model.key_at(0)
    assert key is not None and items.get(lib, key).terms["persona"] == ["Infosec chief"]


def test_bulk_edit_sets_values_on_every_selected_item(
    qtbot: Any, window: MainWindow, lib: Library
) -> None:
    from ui.bulk_edit import BulkEditDialog

    keys = [k for k in (window.model.key_at(n) for n in range(3)) if k]
    dialog = BulkEditDialog(window.workers, keys, window.terms, window)
    qtbot.addWidget(dialog)
    tags = dialog.changes[2]
    qtbot.keyClicks(tags.chips.edit, "fy27")
    qtbot.keyClick(tags.chips.edit, Qt.Key.Key_Return)
    assert tags.enabled.isChecked()  # typing a value ticks the change
    dialog.audience_on.setChecked(True)
    dialog.audience.setCurrentIndex(dialog.audience.findData("partner"))
    with qtbot.waitSignal(dialog.finished_edit, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton
        )
    assert blocker.args[0].done == 3
    for key in keys:
        d = items.get(lib, key)
        assert d.terms.get("tag") == ["fy27"] and d.audience == "partner"


def test_the_index_rebuilds_in_the_background(
    qtbot: Any, lib: Library, settings: QSettings
) -> None:
    """GIVEN a library without a search index WHEN the app starts THEN it shows metadata
    results at once, says it is indexing, and switches to full-text search when done."""
    _fill(lib)
    win = MainWindow(Workers(lib), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()  # rebuild="background"
    qtbot.waitUntil(lambda: win.model.rowCount() == len(ITEMS), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.index_label.text() == "Search ready", timeout=WAIT_MS)
    win.close()


def test_closing_during_an_import_cancels_cleanly(
    qtbot: Any, window: MainWindow, lib: Library, tmp_path: Path
) -> None:
    files = []
    for n in range(30):
        p = tmp_path / f"note{n}.txt"
        p.write_text(f"Note {n} about renewal pricing.\n", encoding="utf-8")
        files.append(p)
    dialog = window.start_import(files)
    qtbot.waitUntil(lambda: dialog.bar.maximum() > 0 and dialog.bar.value() > 0, timeout=WAIT_MS)
    window.close()
    assert not window.workers.busy and window.workers.index is None
    count = len(items.list_items(lib))
    assert len(ITEMS) <= count < len(ITEMS) + 30  # stopped between files; what ran is kept
