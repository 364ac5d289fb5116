"""Content-addressed file store: files/ab/abcdef... named by SHA-256, each content stored once.

Writes go to a temp file in the same folder, are fsynced, then renamed into place, so a crash
leaves either no file or a complete one (never a truncated blob under a valid name).
Blobs are written *before* the DB transaction that references them commits; a rollback leaves an
unreferenced blob, which `check` reports and `gc()` removes. The reverse order could leave a row
pointing to a missing file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add_file(self, source: Path) -> tuple[str, int]:
        """Copy `source` into the store; returns (sha256, size). Identical content is stored once."""
        with source.open("rb") as f:
            return self.add_stream(f)

    def add_bytes(self, data: bytes) -> tuple[str, int]:
        import io

        return self.add_stream(io.BytesIO(data))

    def add_stream(self, stream: BinaryIO) -> tuple[str, int]:
        self.root.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    h.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            dest = self.path_for(digest)
            if dest.is_file() and dest.stat().st_size == size:
                tmp.unlink()
                return digest, size
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
            return digest, size
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def verify(self, sha256: str) -> bool:
        p = self.path_for(sha256)
        return p.is_file() and sha256_file(p) == sha256

    def all_digests(self) -> Iterator[str]:
        for sub in self.root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.iterdir():
                    if len(f.name) == 64:
                        yield f.name

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def export_to(self, sha256: str, dest: Path) -> None:
        """Copy a stored file out (atomic at the destination too)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part")
        shutil.copyfile(self.path_for(sha256), tmp)
        os.replace(tmp, dest)

    def stale_temp_files(self) -> list[Path]:
        return list(self.root.glob(".incoming-*"))


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
