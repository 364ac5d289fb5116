"""Desktop UI speed on generated libraries: cold start, keystroke -> results painted, scrolling.

    .venv/bin/python bench/ui_bench.py                      # 10,000 and 50,000 items
    .venv/bin/python bench/ui_bench.py --sizes 10000 --keep /tmp/fl-ui-bench

For each size a library is generated straight through SQLAlchemy Core (one short file of text
per item, personas/stages/industries/products), and its search index is built once. Then:
  cold start  a new process: import, QApplication, open library + index, window shown, first
              search painted with the first result's detail (`MainWindow.settled`); measured
              from spawn by this process (includes interpreter start and imports)
  keystroke   typing words one key at a time into the search box: time from the key press to
              the results view painting that keystroke's results (p50/p95; includes the 60 ms
              type-ahead debounce), and the core search time inside it
  scroll      jump through the whole list (all items, title order) in 60 steps with the
              scroll bar: time until the rows on screen are filled (summaries + snippets)
              and the paint time of a step
Goals (issue 5): first window < 1.5 s at 10k items; keystroke -> results < 150 ms at 10k.
Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = [
    "pricing",
    "security",
    "compliance",
    "roi",
    "payback",
    "cloud",
    "migration",
    "analytics",
    "platform",
    "integration",
    "onboarding",
    "renewal",
    "churn",
    "forecast",
    "pipeline",
    "quota",
    "territory",
    "commission",
    "dashboard",
    "audit",
    "automation",
    "workflow",
    "procurement",
    "discount",
    "approval",
    "contract",
    "uptime",
    "encryption",
    "residency",
    "scalability",
    "adoption",
    "training",
    "champion",
    "budget",
    "timeline",
    "competitor",
    "benchmark",
    "savings",
    "risk",
    "governance",
    "reporting",
    "deployment",
    "connector",
    "offline",
    "mobile",
    "partner",
    "reseller",
    "margin",
]
FORMATS = (
    "data-sheet",
    "one-pager",
    "case-study",
    "battle-card",
    "pitch-deck",
    "white-paper",
    "faq",
)
KINDS = {"case-study": "case-study", "battle-card": "competitor-insight"}
PERSONAS = ("CFO", "CTO", "CISO", "VP Sales", "RevOps Manager", "Procurement")
STAGES = ("Prospecting", "Discovery", "Evaluation", "Proposal", "Negotiation")
INDUSTRIES = ("Retail", "Healthcare", "Manufacturing", "Finance", "Public sector", "Telecom")
PRODUCTS = ("Forecast", "Comp", "Insights", "Connect")


# -- library generation ---------------------------------------------------------------------------
def generate(root: Path, n: int, seed: int = 7) -> float:
    """Create a library of `n` approved items and build its index; returns the build seconds."""
    from sqlalchemy import insert, select

    from library.core import Library
    from library.models import Asset, Item, Term, item_terms, new_key
    from search import open_index

    rnd = random.Random(seed)
    lib = Library.open(root)
    now = datetime(2026, 1, 1)
    with lib.transaction() as s:
        term_ids = {(t, nm): i for i, t, nm in s.execute(select(Term.id, Term.taxonomy, Term.name))}
        for tax, names in (("persona", PERSONAS), ("industry", INDUSTRIES), ("product", PRODUCTS)):
            for pos, name in enumerate(names):
                res = s.execute(
                    insert(Term).values(
                        taxonomy=tax, name=name, name_folded=name.casefold(), position=pos
                    )
                )
                term_ids[(tax, name)] = int(res.inserted_primary_key[0])  # type: ignore[index]
    chunk = 2000
    for start in range(0, n, chunk):
        rows, assets, links = [], [], []
        keys = []
        for i in range(start, min(n, start + chunk)):
            fmt = rnd.choice(FORMATS)
            title = f"{' '.join(rnd.choice(WORDS) for _ in range(3)).capitalize()} {fmt.replace('-', ' ')} {i}"
            body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 160)))
            key = new_key()
            keys.append(key)
            rows.append(
                {
                    "key": key,
                    "title": title,
                    "summary": " ".join(rnd.choice(WORDS) for _ in range(18)).capitalize() + ".",
                    "kind": KINDS.get(fmt, "collateral"),
                    "format": fmt,
                    "status": "approved",
                    "audience": rnd.choice(("customer", "customer", "partner", "internal")),
                    "language": "en",
                    "created_at": now,
                    "updated_at": now + timedelta(minutes=i),
                    "version": 1,
                    "change_note": "",
                }
            )
            assets.append((key, title, body))
        with lib.transaction() as s:
            s.execute(insert(Item), rows)
            ids = dict(s.execute(select(Item.key, Item.id).where(Item.key.in_(keys))).all())
            s.execute(
                insert(Asset),
                [
                    {
                        "item_id": ids[k],
                        "position": 0,
                        "original_name": f"{t[:40]}.pdf",
                        "media_type": "application/pdf",
                        "size": len(b),
                        "sha256": hashlib.sha256(b.encode()).hexdigest(),
                        "page_count": 1,
                        "extraction_status": "ok",
                        "extraction_reason": "",
                        "text": b,
                        "text_chars": len(b),
                        "text_truncated": False,
                        "flags": [],
                        "added_at": now,
                    }
                    for k, t, b in assets
                ],
            )
            for k in keys:
                for tax, names, count in (
                    ("persona", PERSONAS, 2),
                    ("stage", STAGES, 2),
                    ("industry", INDUSTRIES, 1),
                    ("product", PRODUCTS, 1),
                ):
                    for name in rnd.sample(names, count):
                        links.append({"item_id": ids[k], "term_id": term_ids[(tax, name)]})
            s.execute(insert(item_terms), links)
    t0 = time.perf_counter()
    open_index(lib, rebuild="sync").close()
    lib.close()
    return time.perf_counter() - t0


# -- helpers ---------------------------------------------------------------------------------------
def wait_until(cond: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Spin the event loop until `cond()` (bench only: the app itself never does this)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)

    def check() -> None:
        if cond() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not cond():
        loop.exec()
    timer.stop()
    return cond()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def make_window(root: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from library.core import Library
    from ui.app import make_app
    from ui.main_window import MainWindow
    from ui.ops import Workers

    app = make_app([])
    tmp = tempfile.mkdtemp(prefix="fl-ui-bench-")
    settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
    lib = Library.open(root)
    win = MainWindow(Workers(lib), settings)
    win.resize(1400, 900)
    return app, lib, win


# -- child: cold start -------------------------------------------------------------------------------
def child_start(root: Path) -> None:
    app, lib, win = make_window(root)
    win.show()
    win.settled.connect(lambda: (print("READY", flush=True), app.quit()))
    win.start()
    app.exec()
    win.close()
    lib.close()


def cold_start(root: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child-start", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY"):
                times.append(time.perf_counter() - t0)
                break
        proc.wait(60)
    return times


# -- in-process: keystrokes and scrolling ----------------------------------------------------------------
def keystrokes(root: Path, words: list[str]) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    app, lib, win = make_window(root)
    win.show()
    wait_until(lambda: False, 0.01)
    done = {"settled": False}
    win.settled.connect(lambda: done.__setitem__("settled", True))
    win.start()
    wait_until(lambda: done["settled"])

    painted = {"gen": -1, "at": 0.0}

    class PaintSpy(QObject):
        def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Paint and painted["gen"] != win.model.generation:
                painted["gen"] = win.model.generation
                painted["at"] = time.perf_counter()
            return False

    spy = PaintSpy()
    win.results.viewport().installEventFilter(spy)
    win.empty.installEventFilter(spy)  # a query that finds nothing paints the empty state
    latencies: list[float] = []
    core: list[float] = []
    win.search_edit.setFocus()
    for word in words:
        win.search_edit.clear()
        win.controller.set_text("", immediate=True)
        wait_until(lambda: not win.controller.pending)
        for n, ch in enumerate(word):
            gen_before = win.controller.generation
            if n == 0:  # a single letter is not searched (by design): type it untimed
                QTest.keyClick(win.search_edit, ch)
                continue
            t0 = time.perf_counter()
            QTest.keyClick(win.search_edit, ch)
            ok = wait_until(
                lambda g=gen_before: (
                    win.controller.generation > g
                    and not win.controller.pending
                    and painted["gen"] == win.model.generation
                ),
                10,
            )
            if ok:
                latencies.append(painted["at"] - t0)
                core.append(win.controller.last_seconds)
        wait_until(lambda: False, 0.05)
    del Qt
    win.close()
    lib.close()
    app.processEvents()
    return latencies, core


def scrolling(root: Path, steps: int = 60) -> tuple[list[float], list[float], int, float]:
    _app, lib, win = make_window(root)
    win.show()
    done = {"settled": False}
    win.settled.connect(lambda: done.__setitem__("settled", True))
    win.start()
    wait_until(lambda: done["settled"])
    win.sort_box.setCurrentIndex(win.sort_box.findData("title"))
    wait_until(
        lambda: not win.controller.pending and win.model.results is not None and win.model.total > 0
    )
    total = win.model.total
    view = win.results
    bar = view.verticalScrollBar()
    fills: list[float] = []
    paints: list[float] = []
    t_all = time.perf_counter()

    def visible_filled() -> bool:
        rect = view.viewport().rect()
        first = view.indexAt(rect.topLeft()).row()
        last = view.indexAt(rect.bottomLeft()).row()
        if first < 0:
            return False
        return win.model.fully_loaded(first, last if last >= 0 else first + 5)

    for i in range(1, steps + 1):
        t0 = time.perf_counter()
        bar.setValue(int(bar.maximum() * i / steps))
        tp = time.perf_counter()
        view.viewport().repaint()  # the synchronous paint of the new position
        paints.append(time.perf_counter() - tp)
        if wait_until(visible_filled, 20):
            fills.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - t_all
    win.close()
    lib.close()
    return fills, paints, total, elapsed


# -- in-process: GUI-thread stalls while typing fast and scrolling smoothly -----------------------------
class StallProbe:
    """A 5 ms precise timer on the GUI thread: any gap between ticks beyond 5 ms is time the
    event loop could not run (a stall the user feels as a frozen window)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps = []
        self._last = 0.0
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return list(self.gaps)


def stalls(root: Path) -> tuple[list[float], list[float], list[float]]:
    """(gaps while typing at 12 keys/s, gaps while scrolling at 60 steps/s, row-fetch times)."""
    from PySide6.QtTest import QTest

    _app, lib, win = make_window(root)
    win.show()
    done = {"settled": False}
    win.settled.connect(lambda: done.__setitem__("settled", True))
    win.start()
    wait_until(lambda: done["settled"])
    probe = StallProbe()

    # Typing fast: a key every 80 ms, the debounce and stale-drop at work, no waiting per key.
    win.search_edit.setFocus()
    probe.start()
    for phrase in ("security review for the cfo", "roi payback calculator", "pipeline forecast"):
        win.search_edit.clear()
        for ch in phrase:
            QTest.keyClick(win.search_edit, ch)
            wait_until(lambda: False, 0.08)
        wait_until(lambda: not win.controller.pending and not win.workers.busy, 10)
    typing = probe.stop()

    # Row fetches: time from the model asking for rows to the rows being filled.
    fetch: list[float] = []
    asked: dict[str, float] = {}
    win.model.rows_needed.connect(
        lambda _g, keys: asked.__setitem__(keys[0], time.perf_counter()) if keys else None
    )
    original_fill = win.model.fill_rows

    def timed_fill(gen, summaries, snippets, keys):  # type: ignore[no-untyped-def]
        t = asked.pop(keys[0], None) if keys else None
        original_fill(gen, summaries, snippets, keys)
        if t is not None:
            fetch.append(time.perf_counter() - t)

    win.model.fill_rows = timed_fill  # type: ignore[method-assign]

    # Scrolling smoothly: browse everything by title, 60 scroll steps a second for 3 s, then
    # drag-like jumps across the whole list.
    win.set_query("")
    win.sort_box.setCurrentIndex(win.sort_box.findData("title"))
    wait_until(lambda: not win.controller.pending and win.model.total > 0, 20)
    bar = win.results.verticalScrollBar()
    step = max(1, win.results.viewport().height() // 6)
    probe.start()
    for _ in range(180):
        bar.setValue(min(bar.maximum(), bar.value() + step))
        wait_until(lambda: False, 1 / 60)
    for i in range(1, 31):
        bar.setValue(int(bar.maximum() * i / 30))
        wait_until(lambda: False, 1 / 30)
    wait_until(lambda: not win.workers.busy, 20)
    scrolling_gaps = probe.stop()
    win.close()
    lib.close()
    return typing, scrolling_gaps, fetch


def _stall_line(name: str, gaps: list[float]) -> str:
    ms = [g * 1000 for g in gaps]
    over = sum(1 for g in ms if g > 100)
    return (
        f"{name}: max event-loop gap {max(ms, default=0):.0f} ms, p99 {pct(ms, 99):.0f} ms, "
        f"{over} gap(s) over 100 ms in {sum(ms) / 1000:.1f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated libraries here")
    ap.add_argument("--child-start", metavar="LIB", help=argparse.SUPPRESS)
    ap.add_argument("--child-keys", metavar="LIB", help=argparse.SUPPRESS)
    ap.add_argument("--child-scroll", metavar="LIB", help=argparse.SUPPRESS)
    ap.add_argument("--child-stalls", metavar="LIB", help=argparse.SUPPRESS)
    ap.add_argument("--only-stalls", action="store_true", help="only the GUI-thread stall figures")
    args = ap.parse_args()
    if args.child_stalls:
        typing, scroll, fetch = stalls(Path(args.child_stalls))
        print(
            "STALLS",
            *(f"{x:.5f}" for x in typing),
            "|",
            *(f"{x:.5f}" for x in scroll),
            "|",
            *(f"{x:.5f}" for x in fetch),
        )
        return
    if args.child_start:
        child_start(Path(args.child_start))
        return
    if args.child_keys:
        lat, core = keystrokes(
            Path(args.child_keys), ["security", "roi payback", "procurment", "cfo"]
        )
        print("KEYS", " ".join(f"{x:.5f}" for x in lat), "|", " ".join(f"{x:.5f}" for x in core))
        return
    if args.child_scroll:
        fills, paints, total, elapsed = scrolling(Path(args.child_scroll))
        print(
            "SCROLL",
            total,
            f"{elapsed:.3f}",
            " ".join(f"{x:.5f}" for x in fills),
            "|",
            " ".join(f"{x:.5f}" for x in paints),
        )
        return

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fl-ui-bench-"))
    for n in (int(s) for s in args.sizes.split(",")):
        root = base / f"lib{n}"
        if not (root / "index").exists():
            t0 = time.perf_counter()
            build = generate(root, n)
            print(
                f"\n== {n:,} items: generated in {time.perf_counter() - t0 - build:.1f} s, index built in {build:.1f} s"
            )
        else:
            print(f"\n== {n:,} items (reusing {root})")
        out = subprocess.run(
            [sys.executable, __file__, "--child-stalls", str(root)],
            capture_output=True,
            text=True,
            timeout=900,
        ).stdout
        line = next((ln for ln in out.splitlines() if ln.startswith("STALLS")), "STALLS | |")
        typing_s, scroll_s, fetch_s = line[7:].split("|")
        fetch = [float(x) * 1000 for x in fetch_s.split()]
        print(_stall_line("typing 12 keys/s", [float(x) for x in typing_s.split()]))
        print(_stall_line("scrolling 60 steps/s + jumps", [float(x) for x in scroll_s.split()]))
        print(
            f"model row fetch (rows asked -> filled, {len(fetch)} batches): p50 {pct(fetch, 50):.0f} ms, "
            f"p95 {pct(fetch, 95):.0f} ms, max {max(fetch, default=0):.0f} ms"
        )
        if args.only_stalls:
            continue
        starts = cold_start(root)
        print(
            "cold start to a usable window: "
            + ", ".join(f"{t:.2f} s" for t in starts)
            + f"  (median {statistics.median(starts):.2f} s; goal < 1.5 s at 10k)"
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child-keys", str(root)],
            capture_output=True,
            text=True,
            timeout=600,
        ).stdout
        line = next((ln for ln in out.splitlines() if ln.startswith("KEYS")), "KEYS |")
        lat_s, _, core_s = line[5:].partition("|")
        lat = [float(x) * 1000 for x in lat_s.split()]
        core = [float(x) * 1000 for x in core_s.split()]
        print(
            f"keystroke -> results painted: p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, max {max(lat, default=0):.0f} ms "
            f"over {len(lat)} keys (incl. 60 ms debounce; core search p50 {pct(core, 50):.0f} ms, p95 {pct(core, 95):.0f} ms)"
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child-scroll", str(root)],
            capture_output=True,
            text=True,
            timeout=900,
        ).stdout
        line = next((ln for ln in out.splitlines() if ln.startswith("SCROLL")), "")
        if line:
            head, _, paints_s = line.partition("|")
            parts = head.split()
            total, elapsed = int(parts[1]), float(parts[2])
            fills = [float(x) * 1000 for x in parts[3:]]
            paints = [float(x) * 1000 for x in paints_s.split()]
            print(
                f"scroll through {total:,} rows in 60 jumps: rows filled p50 {pct(fills, 50):.0f} ms, p95 {pct(fills, 95):.0f} ms, "
                f"first jump {fills[0] if fills else float('nan'):.0f} ms (loads the full id list); paint p50 {pct(paints, 50):.1f} ms, "
                f"max {max(paints, default=0):.1f} ms; total {elapsed:.1f} s"
            )


if __name__ == "__main__":
    main()
