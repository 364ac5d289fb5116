"""The index as derived data: outbox draining, crash recovery, rebuilds, locks, drift."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

import search.engine
from library.core import Library
from library.models import SearchDirty
from search import SearchRequest, open_index
from search.storage import META_NAME, read_meta
from search.testing import add_item, delete_item, edit_item

REPO = Path(__file__).resolve().parents[1]


def titles(idx: search.SearchIndex, text: str) -> list[str]:
    return [h.title for h in idx.search(SearchRequest(text, include_all=True, limit=50)).hits]


def outbox(lib: Library) -> list[tuple[str, bool]]:
    with lib.reader() as s:
        return [(k, c) for k, c in s.execute(select(SearchDirty.item_key, SearchDirty.claimed))]


def generation(lib: Library) -> Path:
    meta = read_meta(lib.index_dir)
    assert meta is not None
    return lib.index_dir / meta["generation"]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib")
    yield library  # type: ignore[misc]
    library.close()


def test_edits_reach_the_index_through_the_outbox(lib: Library) -> None:
    key = add_item(lib, "Pricing sheet", "List prices for 2025.")
    with open_index(lib) as idx:
        assert outbox(lib) == []  # drained on open
        assert titles(idx, "pricing") == ["Pricing sheet"]
        edit_item(lib, key, title="Renamed sheet")
        assert titles(idx, "renamed") == []  # not yet drained
        assert idx.drain() == 1
        assert titles(idx, "renamed") == ["Renamed sheet"]
        assert titles(idx, "pricing") == ["Renamed sheet"]  # one document, not two
        delete_item(lib, key)
        idx.drain()
        assert titles(idx, "prices") == []
        assert idx.check() == []
        assert outbox(lib) == []


def test_a_change_made_while_draining_is_not_lost(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN an item being drained WHEN it is edited again after its old state was indexed but
    before the outbox row is deleted THEN the row survives (new enqueued_at) and the next
    drain indexes the new state."""
    key = add_item(lib, "First title", "text")
    with open_index(lib) as idx:
        edit_item(lib, key, title="Second title")
        monkeypatch.setattr(
            search.engine, "_after_commit_hook", lambda: edit_item(lib, key, title="Third title")
        )
        idx.drain(limit=1)
        monkeypatch.setattr(search.engine, "_after_commit_hook", lambda: None)
        assert outbox(lib) == [(key, False)]
        idx.drain()
        assert titles(idx, "title") == ["Third title"]
        assert outbox(lib) == []


CRASH_CHILD = """
import os, signal, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from library.core import Library
import search.engine
from search import open_index
from search.testing import add_item
lib = Library.open(Path({root!r}))
idx = open_index(lib)
add_item(lib, "Crash report", "written just before the crash")
search.engine._after_commit_hook = lambda: os.kill(os.getpid(), signal.SIGKILL)
idx.drain()
print("not reached")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_crash_between_index_commit_and_outbox_delete_loses_nothing(lib: Library) -> None:
    """GIVEN a process killed (SIGKILL) right after the index commit, before the outbox delete
    WHEN the library is opened again THEN the claimed row is reset, the item re-indexed once,
    and the outbox is empty."""
    add_item(lib, "Existing", "already there")
    open_index(lib).close()
    child = CRASH_CHILD.format(repo=str(REPO), root=str(lib.root))
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert [c for _, c in outbox(lib)] == [True]  # claimed, never deleted
    with open_index(lib) as idx:
        assert outbox(lib) == []
        assert titles(idx, "crash") == ["Crash report"]
        assert idx.check() == []


def test_garbled_index_is_rebuilt(lib: Library) -> None:
    add_item(lib, "Survivor", "content that must come back")
    open_index(lib).close()
    for f in generation(lib).iterdir():
        f.write_bytes(os.urandom(max(16, f.stat().st_size)))
    with open_index(lib) as idx:
        assert idx.state == "ready"
        assert titles(idx, "survivor") == ["Survivor"]


def test_truncated_segment_file_is_rebuilt(lib: Library) -> None:
    add_item(lib, "Survivor", "content that must come back")
    open_index(lib).close()
    for f in generation(lib).iterdir():
        if f.suffix in (".pst", ".trm", ".seg"):
            f.write_bytes(f.read_bytes()[: f.stat().st_size // 3])
    with open_index(lib) as idx:
        assert titles(idx, "content") == ["Survivor"]


def test_index_of_an_older_schema_is_rebuilt(lib: Library) -> None:
    add_item(lib, "Versioned", "text")
    open_index(lib).close()
    meta_path = lib.index_dir / META_NAME
    meta = json.loads(meta_path.read_text())
    old_gen = meta["generation"]
    meta["schema"] = 0
    meta_path.write_text(json.dumps(meta))
    with open_index(lib) as idx:
        assert read_meta(lib.index_dir)["schema"] == search.SCHEMA_VERSION  # type: ignore[index]
        assert read_meta(lib.index_dir)["generation"] != old_gen  # type: ignore[index]
        assert not (lib.index_dir / old_gen).exists()
        assert titles(idx, "versioned") == ["Versioned"]


def test_missing_index_is_rebuilt_with_progress(lib: Library) -> None:
    for i in range(5):
        add_item(lib, f"Item {i}", "body")
    seen: list[int] = []
    with open_index(lib, progress=lambda p: seen.append(p.done)) as idx:
        assert idx.documents() == 5
    assert seen[-1] == 5


def test_background_rebuild_serves_metadata_meanwhile(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN no index WHEN opened in background mode THEN searches answer at once from titles
    (degraded, with a message) until the rebuild finishes; then from the full index."""
    add_item(lib, "Quarterly roadmap", "The hidden word is zebra.")
    gate = threading.Event()
    real = search.engine.load_records

    def slow(*a: object, **kw: object) -> object:
        assert gate.wait(30)
        return real(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(search.engine, "load_records", slow)
    idx = open_index(lib, rebuild="background")
    try:
        assert idx.state == "rebuilding"
        res = idx.search(SearchRequest("roadmap"))
        assert res.degraded and res.message and [h.title for h in res.hits] == ["Quarterly roadmap"]
        assert idx.search(SearchRequest("zebra")).total == 0  # bodies not searched yet
        gate.set()
        assert idx.wait(30)
        res = idx.search(SearchRequest("zebra"))
        assert not res.degraded and res.total == 1
    finally:
        gate.set()
        idx.close()


LOCK_CHILD = """
import os, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from library.core import Library
from search import open_index
lib = Library.open(Path({root!r}))
idx = open_index(lib)
idx._writer(idx._ix, idx._gen)  # take the writer lock and die holding it
os._exit(0)
"""


def test_writer_lock_of_a_dead_process_does_not_block(lib: Library) -> None:
    add_item(lib, "Before", "text")
    open_index(lib).close()
    child = LOCK_CHILD.format(repo=str(REPO), root=str(lib.root))
    subprocess.run([sys.executable, "-c", child], check=True, timeout=60)
    assert (generation(lib) / "writer.json").exists()  # the dead writer's marker
    add_item(lib, "After", "text")
    with open_index(lib) as idx:
        assert sorted(titles(idx, "text")) == ["After", "Before"]


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl")
def test_stale_lock_file_of_a_dead_pid_is_broken(lib: Library) -> None:
    """GIVEN a lock still held on the lock file (as on a filesystem that keeps locks) and a
    writer marker naming a dead process WHEN draining THEN the stale lock is broken."""
    import fcntl

    add_item(lib, "Before", "text")
    open_index(lib).close()
    gen = generation(lib)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (gen / "writer.json").write_text(json.dumps({"pid": int(dead.stdout)}))
    holder = open(gen / "MAIN_WRITELOCK", "a+")  # noqa: SIM115
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        add_item(lib, "After", "text")
        with open_index(lib) as idx:
            assert sorted(titles(idx, "text")) == ["After", "Before"]
    finally:
        holder.close()


def test_live_writer_elsewhere_defers_the_drain(lib: Library) -> None:
    import fcntl

    add_item(lib, "Before", "text")
    open_index(lib).close()
    holder = open(generation(lib) / "MAIN_WRITELOCK", "a+")  # noqa: SIM115
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    (generation(lib) / "writer.json").write_text(json.dumps({"pid": os.getpid()}))
    try:
        add_item(lib, "After", "text")
        with open_index(lib) as idx:
            assert titles(idx, "text") == ["Before"]
            assert [c for _, c in outbox(lib)] == [False]  # still pending, not lost
    finally:
        holder.close()


def test_check_reports_drift(lib: Library) -> None:
    key = add_item(lib, "Tracked", "text")
    with open_index(lib) as idx:
        assert idx.check() == []
        with lib.transaction() as s:  # a change that bypassed the outbox
            from library.models import Item

            item = s.scalar(select(Item).where(Item.key == key))
            assert item is not None
            item.title = "Changed behind the index's back"
        add_item(lib, "Pending", "text")  # in the outbox: not drift
        problems = idx.check()
        assert any("outdated" in p for p in problems)
        assert not any("Pending" in p for p in problems)


def test_rebuild_keeps_searching_the_old_generation_and_can_be_cancelled(lib: Library) -> None:
    from library.errors import LibraryError
    from library.progress import Cancel

    add_item(lib, "Stable", "text")
    with open_index(lib) as idx:
        gen = generation(lib)
        cancel = Cancel()
        cancel.set()
        with pytest.raises(LibraryError):
            idx.rebuild(cancel=cancel)
        assert generation(lib) == gen
        assert [p.name for p in lib.index_dir.iterdir() if p.name.startswith("gen-")] == [gen.name]
        assert titles(idx, "stable") == ["Stable"]
        idx.rebuild()
        assert generation(lib) != gen and titles(idx, "stable") == ["Stable"]
