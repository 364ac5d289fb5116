"""The UI's worker machinery: reads in a pool, writes serialized on one thread, callbacks on the
GUI thread, core progress/cancel bridged to Qt, a clean shutdown. Plus the PySide6 workaround."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit

from library.core import Library
from library.errors import InvalidInput
from library.progress import Progress
from ui.ops import Task, Workers

pytestmark = pytest.mark.gui
WAIT_MS = 10000


def test_writes_run_in_order_on_one_thread_and_callbacks_on_the_gui_thread(
    qtbot: Any, lib: Library
) -> None:
    workers = Workers(lib)
    seen: list[tuple[int, int]] = []
    callbacks: list[tuple[int, bool]] = []
    gui = threading.get_ident()

    def job(n: int) -> Any:
        def run(task: Task) -> int:
            time.sleep(0.002 * (5 - n))  # later jobs are quicker: order must still hold
            seen.append((n, threading.get_ident()))
            return n

        return run

    for n in range(5):
        workers.write(job(n)).success(
            lambda r: callbacks.append((r, threading.get_ident() == gui))
        ).run()
    qtbot.waitUntil(lambda: len(callbacks) == 5, timeout=WAIT_MS)
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert len({tid for _, tid in seen}) == 1 and seen[0][1] != gui
    assert callbacks == [(n, True) for n in range(5)]
    assert not workers.busy
    workers.shutdown()


def test_failure_gets_the_core_sentence(qtbot: Any, lib: Library) -> None:
    workers = Workers(lib)
    errors: list[BaseException] = []

    def bad(_t: Task) -> None:
        raise InvalidInput("title: an item needs a title.")

    workers.write(bad).failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert str(errors[0]) == "title: an item needs a title."
    workers.shutdown()


def test_progress_and_cancel_bridge_the_core_tokens(qtbot: Any, lib: Library) -> None:
    workers = Workers(lib)
    progress: list[Progress] = []
    started = threading.Event()

    def long_job(task: Task) -> int:
        done = 0
        while not task.cancel.requested and done < 10_000:
            task.report(Progress(done, 10_000, "working"))
            started.set()
            time.sleep(0.001)
            done += 1
        return done

    results: list[int] = []
    op = workers.write(long_job).progress(progress.append).success(results.append).run()
    assert started.wait(5)
    qtbot.waitUntil(lambda: bool(progress), timeout=WAIT_MS)
    op.cancel.set()
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results[0] < 10_000  # stopped early, between units of work
    assert all(p.message == "working" for p in progress)
    workers.shutdown()


def test_shutdown_cancels_running_work_and_skips_callbacks(qtbot: Any, lib: Library) -> None:
    workers = Workers(lib)
    called: list[int] = []
    started = threading.Event()

    def long_job(task: Task) -> int:
        started.set()
        while not task.cancel.requested:
            time.sleep(0.001)
        return 1

    workers.write(long_job).success(called.append).run()
    queued = workers.write(lambda t: 2).success(called.append).run()
    assert started.wait(5)
    t0 = time.monotonic()
    assert workers.shutdown(timeout_ms=5000)
    assert time.monotonic() - t0 < 2
    qtbot.wait(20)
    assert called == []  # the window is closing: no callback touches dead widgets
    assert queued.cancel.requested


def test_callbacks_of_a_deleted_owner_are_skipped(qtbot: Any, lib: Library) -> None:
    workers = Workers(lib)
    owner = QLineEdit()
    hits: list[int] = []
    gate = threading.Event()

    def wait_for_gate(_t: Task) -> int:
        gate.wait(5)
        return 1

    op = workers.read(wait_for_gate, owner=owner).success(lambda r: hits.append(r)).run()
    owner.deleteLater()
    qtbot.wait(10)  # deleteLater runs
    gate.set()
    qtbot.waitUntil(lambda: op.finished, timeout=WAIT_MS)
    assert hits == []
    workers.shutdown()


def test_pyside_calls_do_not_drain_singletons(qtbot: Any) -> None:
    """GIVEN PySide6 6.12 on CPython 3.11 (void methods and emit() drop references to None and
    True) WHEN a long session's worth of calls is made THEN the process does not abort."""

    class Emitter(QObject):
        fired = Signal(object)

    e = Emitter()
    edit = QLineEdit()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for n in range(30_000):
        e.fired.emit(n)
        edit.setText("x")
    assert sys.getrefcount(None) > 10_000 and sys.getrefcount(True) > 10_000
    if sys.version_info < (3, 12):
        from ui import _pyside_fix

        assert _pyside_fix._applied
        assert before[0] > 1 << 39


def test_import_password_can_be_supplied_inline(qtbot: Any, lib: Library, tmp_path: Path) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    from library import items
    from ui.import_dialog import ImportDialog

    plain, locked = tmp_path / "plain.pdf", tmp_path / "price-list.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "Confidential renewal pricing for enterprise customers")
    pdf.output(str(plain))
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt("s3cret")
    writer.write(str(locked))

    workers = Workers(lib)
    dialog = ImportDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start([locked])
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    assert dialog.report is not None
    result = dialog.report.results[0]
    assert result.extraction_status == "encrypted"
    edit = dialog.findChild(QLineEdit, "password_0")
    assert edit is not None
    qtbot.keyClicks(edit, "s3cret")
    with qtbot.waitSignal(dialog.item_changed, timeout=WAIT_MS):
        qtbot.keyClick(edit, "\r")
    assert dialog.table.item(0, 2).text() == "Text extracted"
    assert result.item_key is not None
    assert items.get(lib, result.item_key).assets[0].extraction_status == "ok"
    workers.shutdown()


def test_results_model_fetches_ids_then_rows_lazily(qtbot: Any, qtmodeltester: Any) -> None:
    """GIVEN 5,000 results of which the search returned the first 120 ids WHEN a row far down
    is painted THEN the model asks once for the whole id list, then for a window of rows
    around it, and fills only those; stale answers are ignored."""
    from datetime import datetime

    from library.values import ItemSummary
    from search.api import SearchHit, SearchResults
    from ui.results_model import ResultsModel

    hits = [SearchHit(f"k{n}", f"Item {n}", "collateral", "data-sheet", 1.0) for n in range(5000)]
    model = ResultsModel()
    asked: list[tuple[str, Any]] = []
    model.keys_needed.connect(lambda g, known: asked.append(("keys", known)))
    model.rows_needed.connect(lambda g, keys: asked.append(("rows", keys)))
    model.reset_results(1, SearchResults("x", 5000, hits[:120], {}), {})
    assert model.rowCount() == 5000 and model.known_keys() == 120
    assert model.data(model.index(4000)) == "Loading…"
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0] == ("keys", 120)
    model.fill_keys(1, [h.key for h in hits])
    asked.clear()
    model.data(model.index(4000))
    qtbot.waitUntil(lambda: bool(asked))
    kind, keys = asked[0]
    assert kind == "rows" and "k4000" in keys and len(keys) <= 80
    summary = ItemSummary(
        "k4000",
        "Item 4000",
        "collateral",
        "data-sheet",
        "approved",
        "customer",
        "",
        "en",
        1,
        datetime(2026, 1, 1),
        None,
        None,
        None,
        ["CFO"],
        [],
        1,
    )
    model.fill_rows(0, {"k4000": summary}, {}, keys)  # an older search's answer: dropped
    assert model.row_at(4000) is None
    model.fill_rows(1, {"k4000": summary}, {}, keys)
    row = model.row_at(4000)
    assert row is not None and row.title == "Item 4000" and row.summary is summary
    assert model.row_at(10) is not None and model.row_at(3000) is None  # never built all rows
    qtmodeltester.check(model, force_py=True)


def test_did_you_mean_and_type_ahead_follow_the_show_all_switch(qtbot: Any, lib: Library) -> None:
    """GIVEN an approved item and a draft whose word ("zeppelin") only the draft holds, and a
    user who may see everything WHEN they mistype or start typing that word without "show all"
    THEN neither "did you mean" nor type-ahead offers it (it would lead to nothing they see);
    with "show all" on, both do."""
    from search import open_index
    from search.testing import add_item
    from ui.search_controller import SearchController

    add_item(lib, "Pricing sheet", "Prices and discounts for zealous buyers.")
    add_item(lib, "Zeppelin launch plan", "Zeppelin details.", status="draft")
    workers = Workers(lib)
    workers.index = open_index(lib)
    controller = SearchController(workers)
    try:

        def ask(text: str, *, as_you_type: bool) -> tuple[Any, list[str]]:
            controller.query.text = text
            with (
                qtbot.waitSignal(controller.suggestion_ready, timeout=WAIT_MS) as said,
                qtbot.waitSignal(controller.completions_ready, timeout=WAIT_MS) as typed,
            ):
                controller.refresh(as_you_type=as_you_type)
            return said.args[1], typed.args[0]

        assert not controller.query.include_all
        assert ask("zepelin", as_you_type=False)[0] is None
        assert ask("ze", as_you_type=True)[1] == ["zealous"]
        controller.set_include_all(True)
        assert ask("zepelin", as_you_type=False)[0] == "zeppelin"
        assert "zeppelin" in ask("ze", as_you_type=True)[1]
    finally:
        workers.shutdown()
        workers.index.close()
