"""The index folder: which generation is current, who is building one, stale-lock detection.

    index/
      index.json          {"schema": N, "generation": "gen-...", "library_id": ..., "built_at": ...}
      gen-<stamp>-<pid>/  one complete Whoosh index (non-compound segments)
        building.json     present while a rebuild writes this generation: {"pid": ...}
        writer.json       present while a writer holds the Whoosh lock: {"pid": ...}

A rebuild writes a new generation beside the current one and switches `index.json` atomically
(write a temp file, fsync, rename) only when it is complete, so a crash mid-rebuild leaves the
old index untouched and an orphan folder that the next open removes (its builder's pid is dead).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

META_NAME = "index.json"
BUILDING = "building.json"
WRITER = "writer.json"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(path.parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def read_meta(index_dir: Path) -> dict[str, Any] | None:
    return read_json(index_dir / META_NAME)


def new_generation(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = (
        index_dir
        / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 100000}"
    )
    gen.mkdir()
    write_json_atomic(gen / BUILDING, {"pid": os.getpid(), "started": time.time()})
    return gen


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def clean_orphans(index_dir: Path, current: str | None) -> None:
    """Remove generation folders that are not current and whose builder is gone."""
    if not index_dir.is_dir():
        return
    for child in index_dir.iterdir():
        if not child.is_dir() or not child.name.startswith("gen-") or child.name == current:
            continue
        owner = read_json(child / BUILDING)
        if owner is not None and pid_alive(int(owner.get("pid", 0))):
            continue  # another live process is building it
        log.info("removing stale index generation %s", child.name)
        remove_tree(child)


def mark_writer(gen: Path) -> None:
    with contextlib.suppress(OSError):
        write_json_atomic(gen / WRITER, {"pid": os.getpid(), "at": time.time()})


def clear_writer(gen: Path) -> None:
    with contextlib.suppress(OSError):
        (gen / WRITER).unlink()


def stale_writer(gen: Path) -> bool:
    """True when writer.json names a process that no longer exists (its lock is stale)."""
    info = read_json(gen / WRITER)
    return info is not None and not pid_alive(int(info.get("pid", 0)))
