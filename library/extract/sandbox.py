"""The sandbox: untrusted files are parsed in a separate, resource-limited worker process.

One persistent worker serves a whole import batch (no process spawn per file). The parent sends
(path, password, timeout) over a Pipe and waits with `poll(timeout)`: on a timeout it kills the
worker; if the worker dies (segfault, rlimit, OOM) the pipe reports EOF. Either way the file gets
a "failed" Extraction with a sentence and the next file gets a fresh worker.

The worker is started with the "spawn" method, never fork: the app has Qt threads, and forking a
threaded process can deadlock the child. In the worker, RLIMIT_AS caps memory (a bomb that slips
past the format checks ends in MemoryError, not in swapping the laptop) and RLIMIT_CPU is a
backstop in case the parent is gone and cannot kill it.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import ModuleType, TracebackType

from library.extract.registry import extract_unguarded, media_type_for
from library.extract.result import (
    DEFAULT_TIMEOUT_S,
    REASON_CRASH,
    REASON_MEMORY,
    REASON_TIMEOUT,
    REASON_TOO_DEEP,
    Extraction,
)
from library.vocab import ExtractionStatus

log = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 2 << 30  # address space of the worker
START_TIMEOUT_S = 60.0  # a cold interpreter on a busy laptop can be slow to start
SOFT_BUDGET_SHARE = 0.8  # extractors stop at 80% of the timeout and return what they have
REASON_NO_WORKER = "Could not start the text reader; the file was catalogued without text."

Request = tuple[str, str | None, float]


class ExtractorPool:
    """One persistent sandboxed worker, reused for many files. Use as a context manager:

        with ExtractorPool() as pool:
            ext = pool.extract(path, password=None, timeout=60)

    `extract` never raises for bad input and never waits much longer than `timeout`. Calls are
    serialized (one worker); use one pool per thread for parallelism. The worker starts on the
    first call, so a pool that reads nothing costs nothing."""

    def __init__(
        self,
        *,
        memory_limit: int | None = MEMORY_LIMIT_BYTES,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        self._memory_limit = memory_limit
        self._start_timeout = start_timeout
        self._ctx = get_context("spawn")
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._spawned = 0
        self.restarts = 0  # workers replaced after a timeout or crash (diagnostics)

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id while one is running."""
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def extract(
        self, path: Path, password: str | None = None, timeout: float = DEFAULT_TIMEOUT_S
    ) -> Extraction:
        """Extract one file in the worker; see `library.extract` for the contract."""
        path = Path(path)
        with self._lock:
            if self._closed:
                raise RuntimeError("ExtractorPool.extract() after close()")
            for _attempt in range(2):  # a worker that died while idle is replaced once
                conn = self._ensure_worker()
                if conn is None:
                    return _failed(path, REASON_NO_WORKER)
                try:
                    conn.send((str(path), password, float(timeout)))
                    break
                except (BrokenPipeError, OSError):
                    self._discard()
            else:
                return _failed(path, REASON_NO_WORKER)
            try:
                return self._wait(conn, path, timeout)
            except BaseException:
                self._discard()  # interrupted (Ctrl-C): a reply is in flight, never reuse it
                raise

    def _wait(self, conn: Connection, path: Path, timeout: float) -> Extraction:
        if not conn.poll(timeout):
            log.warning(
                "extraction of %s timed out after %g s; restarting the worker", path, timeout
            )
            self._discard()
            return _failed(path, REASON_TIMEOUT.format(seconds=timeout))
        try:
            _kind, data, healthy = conn.recv()
        except (EOFError, OSError, ValueError):
            code = self._discard(grace=2.0)  # reap it first: its exit code says what happened
            reason = _death_reason(code, timeout)
            log.warning("extraction worker died on %s (exit code %s)", path, code)
            return _failed(path, reason)
        if not healthy:
            self._discard(grace=2.0)  # it exits by itself after a MemoryError
        return Extraction.from_dict(data)

    def close(self) -> None:
        """Stop the worker (idempotent)."""
        with self._lock:
            self._closed = True
            if self._conn is not None and self._proc is not None and self._proc.is_alive():
                try:
                    self._conn.send(None)
                    self._proc.join(2)
                except (BrokenPipeError, OSError):
                    pass
            self._discard()

    # -- worker lifecycle ------------------------------------------------------------------
    def _ensure_worker(self) -> Connection | None:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        if self._proc is not None:
            self._discard()  # died while idle
        if self._spawned:
            self.restarts += 1
        self._spawned += 1
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=worker_main,
            args=(child, self._memory_limit),
            name="frontline-extract",
            daemon=True,  # never outlive the app
        )
        try:
            with _main_module_hidden():
                proc.start()
        except OSError:
            log.exception("could not start the extraction worker")
            return None
        child.close()  # only the worker holds its end: its death then shows up as EOF here
        self._proc, self._conn = proc, parent
        try:
            if parent.poll(self._start_timeout) and parent.recv()[0] == "ready":
                return parent
        except (EOFError, OSError):
            pass
        log.error("the extraction worker did not start")
        self._discard()
        return None

    def _discard(self, grace: float = 0.0) -> int | None:
        """Reap the worker (killing it if still running after `grace` s); returns its exit code."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        code = None
        if proc is not None:
            if grace:
                proc.join(grace)
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            code = proc.exitcode
            with suppress(ValueError):
                proc.close()
        if conn is not None:
            conn.close()
        return code


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a spawn child without re-running the app's __main__ in it.

    "spawn" normally re-imports the parent's main script in the child (to find pickled
    functions); the worker's target lives in this module, so that import is pure cost (the app's
    imports, pytest's) and breaks scripts without an `if __name__ == "__main__"` guard. A main
    module without __file__/__spec__ is what an interactive session looks like: spawn then skips
    it."""
    real = sys.modules["__main__"]
    stand_in = ModuleType("__main__")
    with _MAIN_SWAP:
        sys.modules["__main__"] = stand_in
        try:
            yield
        finally:
            sys.modules["__main__"] = real


_MAIN_SWAP = threading.Lock()


def extract_file(
    path: Path, *, password: str | None = None, timeout: float = DEFAULT_TIMEOUT_S
) -> Extraction:
    """One-shot sandboxed extraction (starts and stops a worker: use ExtractorPool for batches)."""
    with ExtractorPool() as pool:
        return pool.extract(path, password=password, timeout=timeout)


def _failed(path: Path, reason: str) -> Extraction:
    return Extraction(ExtractionStatus.FAILED, reason, media_type=media_type_for(path.name))


def _death_reason(exitcode: int | None, timeout: float) -> str:
    sig = -exitcode if exitcode is not None and exitcode < 0 else 0
    if sig and sig == getattr(signal, "SIGXCPU", None):
        return REASON_TIMEOUT.format(seconds=timeout)
    # RLIMIT_AS makes C code abort on a failed allocation; the kernel's OOM killer sends SIGKILL.
    if sig in (signal.SIGABRT, getattr(signal, "SIGKILL", -1)):
        return REASON_MEMORY
    return REASON_CRASH


# -- the worker side ---------------------------------------------------------------------------
def worker_main(conn: Connection, memory_limit: int | None) -> None:
    """Worker loop: one request at a time until the pipe closes or None arrives."""
    _harden(memory_limit)
    conn.send(("ready", os.getpid(), None))
    while True:
        try:
            request: Request | None = conn.recv()
        except (EOFError, OSError):
            return  # the app is gone
        if request is None:
            return
        path, password, timeout = request
        _cpu_backstop(timeout)
        ext, healthy = _serve(Path(path), password, timeout)
        try:
            conn.send(("done", ext.to_dict(), healthy))
        except (BrokenPipeError, OSError):
            return
        if not healthy:
            return


def _serve(path: Path, password: str | None, timeout: float) -> tuple[Extraction, bool]:
    """(result, whether this worker is still fit to serve)."""
    try:
        return extract_unguarded(path, password, time_limit=timeout * SOFT_BUDGET_SHARE), True
    except MemoryError:
        return _failed(path, REASON_MEMORY), False
    except RecursionError:
        return _failed(path, REASON_TOO_DEEP), True
    except Exception:  # extract_unguarded catches format errors; this is a bug in ours
        log.exception("extraction of %s crashed", path)
        return _failed(path, REASON_CRASH), False


def _harden(memory_limit: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the app to handle
    warnings.simplefilter("ignore")
    for name in ("pdfminer", "pypdf", "PIL", "msoffcrypto", "olefile"):
        # Hostile files make parsers log a warning per oddity; the status says what matters.
        logger = logging.getLogger(name)
        logger.propagate = False
        logger.addHandler(logging.NullHandler())  # else logging's last resort prints them
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    with suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dumps of hostile input
    if memory_limit:
        try:
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = memory_limit if hard == resource.RLIM_INFINITY else min(hard, memory_limit)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):  # macOS rejects RLIMIT_AS
            pass


def _cpu_backstop(timeout: float) -> None:
    """RLIMIT_CPU counts the worker's whole life, so it is re-armed per file: used + budget."""
    try:
        import resource
    except ImportError:
        return
    try:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime + 2 * timeout + 10)
        _old, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ValueError, OSError):
        pass
