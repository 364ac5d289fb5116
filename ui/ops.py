"""Running library work off the GUI thread (Anki's CollectionOp, Picard's save pool).

    self.workers.read(lambda task: items.get(task.lib, key), owner=self).success(self.show).run()
    self.workers.write(lambda task: items.edit(task.lib, key, changes)).success(...).run()

* Reads run on a small QThreadPool and may overlap (SQLite WAL readers are independent).
* Writes run on ONE single-thread pool, in submission order: "tasks that access the collection
  are serialized" (Anki). After each write the search outbox is drained *on that same thread*,
  so the index never has two writers and a write is searchable when its callback runs.
* Callbacks (`success`, `failure`, `progress`, `done`) always run on the GUI thread: a QRunnable
  adapter emits signals of a separate QObject that lives in the GUI thread (a QRunnable is not a
  QObject), and those queued signals call the callbacks there. A callback whose `owner` widget was
  deleted meanwhile is skipped.
* Progress is Qt-free (`library.progress`): the task's `report(Progress)` is throttled and turned
  into a signal; `task.cancel` is the core's `Cancel` token, set by `cancel()` and on shutdown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from library.core import Library
from library.errors import LibraryError
from library.progress import Cancel, Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
PROGRESS_INTERVAL_S = 0.05  # at most 20 progress signals a second: the GUI stays responsive


class Task:
    """What an operation's function receives: the library, the search index (may be None while
    it opens), a cancel token and a progress reporter. Safe to use from the worker thread."""

    def __init__(self, lib: Library, index: Any, cancel: Cancel, relay: _Relay) -> None:
        self.lib = lib
        self.index = index
        self.cancel = cancel
        self._relay = relay
        self._last = 0.0

    def report(self, p: Progress) -> None:
        """Progress from the core (any frequency); forwarded at most every 50 ms, plus the end."""
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or (p.total is not None and p.done >= p.total):
            self._last = now
            self._relay.progressed.emit(p)


class _Relay(QObject):
    """Lives in the GUI thread; its signals are emitted from a worker and queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)

    def __init__(self, op: Op[Any]) -> None:
        super().__init__()
        self._op = op
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)
        self.progressed.connect(self._on_progress)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self._op._finish(result, None)

    @Slot(object)
    def _on_failure(self, error: object) -> None:
        self._op._finish(None, error if isinstance(error, BaseException) else None)

    @Slot(object)
    def _on_progress(self, p: object) -> None:
        self._op._progress(p)


class _Runnable(QRunnable):
    def __init__(self, op: Op[Any]) -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread: never touch widgets here
        op = self.op
        relay = op._relay
        assert relay is not None
        try:
            if op.cancel.requested and op._skip_when_cancelled:
                raise OpCancelled("Cancelled before it started.")
            task = Task(op._workers.lib, op._workers.index, op.cancel, relay)
            result = op._fn(task)
        except BaseException as e:
            if op._write:
                op._workers._drain_index()
            if not isinstance(e, LibraryError | OpCancelled):
                log.exception("background operation %r failed", op.label)
            relay.failed.emit(e)
            return
        if op._write:
            op._workers._drain_index()
        relay.succeeded.emit(result)


class OpCancelled(Exception):
    """The operation was cancelled before it ran (e.g. the window is closing)."""


class Op(Generic[T]):
    """One unit of library work; configure with the fluent methods, then `run()` once."""

    def __init__(
        self,
        workers: Workers,
        fn: Callable[[Task], T],
        *,
        write: bool,
        owner: QObject | None = None,
        label: str = "",
        background: bool = False,
    ) -> None:
        self._workers = workers
        self._fn = fn
        self._write = write
        self._background = background
        self._owner = owner
        self.label = label
        self.cancel = Cancel()
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []
        self._on_progress: list[Callable[[Progress], None]] = []
        self._on_done: list[Callable[[], None]] = []
        self._relay: _Relay | None = None
        self._skip_when_cancelled = True
        self.finished = False

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._on_success.append(cb)
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure.append(cb)
        return self

    def progress(self, cb: Callable[[Progress], None]) -> Op[T]:
        self._on_progress.append(cb)
        return self

    def done(self, cb: Callable[[], None]) -> Op[T]:
        """Called after success or failure (e.g. to hide a progress panel)."""
        self._on_done.append(cb)
        return self

    def run(self) -> Op[T]:
        self._workers._start(self)
        return self

    # -- GUI thread ------------------------------------------------------------------------------
    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def _progress(self, p: object) -> None:
        if self._owner_alive() and isinstance(p, Progress):
            for cb in self._on_progress:
                cb(p)

    def _finish(self, result: object, error: BaseException | None) -> None:
        self.finished = True
        try:
            if self._owner_alive() and not self._workers.closing:
                if error is None:
                    for cb in self._on_success:
                        cb(result)  # type: ignore[arg-type]
                elif self._on_failure:
                    for fcb in self._on_failure:
                        fcb(error)
                elif not isinstance(error, OpCancelled):
                    self._workers.unhandled_error.emit(self.label, error)
                for dcb in self._on_done:
                    dcb()
        finally:
            self._workers._forget(self)


class Workers(QObject):
    """The app's two pools. Inject it into the widgets that start work (no global)."""

    busy_changed = Signal(bool)  # True when work starts, False when all work has finished
    unhandled_error = Signal(str, object)  # (label, exception) of an op without failure()
    index_changed = Signal()  # the writer drained new changes into the index

    def __init__(self, lib: Library, *, read_threads: int = 3) -> None:
        super().__init__()
        self.lib = lib
        self.index: Any = None  # search.SearchIndex once opened (set on the GUI thread)
        self.closing = False
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        # Picard's "1-thread save pool": a single thread is what serialises the writes.
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        # Thumbnails and other non-urgent reads: one thread, so they never crowd out searches.
        self._background = QThreadPool(self)
        self._background.setMaxThreadCount(1)
        self._running: set[Op[Any]] = set()
        self._idle: set[Op[Any]] = set()  # background ops: not part of `busy`
        self._lock = threading.Lock()

    def read(
        self, fn: Callable[[Task], T], *, owner: QObject | None = None, label: str = ""
    ) -> Op[T]:
        return Op(self, fn, write=False, owner=owner, label=label or "read")

    def write(
        self, fn: Callable[[Task], T], *, owner: QObject | None = None, label: str = ""
    ) -> Op[T]:
        return Op(self, fn, write=True, owner=owner, label=label or "write")

    def background(
        self, fn: Callable[[Task], T], *, owner: QObject | None = None, label: str = ""
    ) -> Op[T]:
        """A read that may be slow and is never urgent (thumbnails): it runs on its own
        one-thread pool so it never delays a search, and it does not count as `busy`."""
        return Op(self, fn, write=False, owner=owner, label=label or "background", background=True)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def pending_writes(self) -> int:
        return sum(1 for op in self._running if op._write)

    def _start(self, op: Op[Any]) -> None:
        if self.closing:
            return
        op._relay = _Relay(op)
        if op._background:
            self._idle.add(op)
            self._background.start(_Runnable(op))
            return
        was_idle = not self._running
        self._running.add(op)
        (self._writer if op._write else self._reads).start(_Runnable(op))
        if was_idle:
            self.busy_changed.emit(True)

    def _forget(self, op: Op[Any]) -> None:
        if op._background:
            self._idle.discard(op)
            op._relay = None
            return
        self._running.discard(op)
        # Keep the relay alive until here: it is the object the queued signal was delivered to.
        op._relay = None
        if not self._running:
            self.busy_changed.emit(False)

    def _drain_index(self) -> None:
        """Writer thread, after each write: index what the write put in the outbox."""
        index = self.index
        if index is None:
            return
        try:
            if index.drain():
                self.index_changed.emit()
        except Exception:  # the index is derived: never fail the user's write because of it
            log.exception("draining the search outbox failed")

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything and wait for the workers (closing the window). Committed work stays
        committed: core operations stop between units of work. True when all stopped in time."""
        self.closing = True
        for op in [*self._running, *self._idle]:
            op.cancel.set()
        self._background.clear()  # queued thumbnails: not started, not needed any more
        ok = self._background.waitForDone(timeout_ms)
        ok = self._reads.waitForDone(timeout_ms) and ok
        ok = self._writer.waitForDone(timeout_ms) and ok
        self._running.clear()
        self._idle.clear()
        return ok
