"""The channel folder on disk: paths, canonical JSON, atomic writes, reading change-sets.

See `library.sync` for the layout. Everything written here is written to a temp file in the
same folder, fsynced and renamed, so a reader (or a cloud-sync client) never sees half a file
under a final name. Names of temp files start with "." so they are easy to ignore.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from library.errors import LibraryError

FORMAT_VERSION = 1
CHANNEL_FILE = "channel.json"
CHANGESETS = "changesets"
BLOBS = "blobs"
INBOX = "inbox"
CHANGESET_SUFFIX = ".json.gz"
SIGNATURE_SUFFIX = ".sig"
# A change-set never inflates beyond this; a larger one is refused as hostile (gzip bomb).
MAX_CHANGESET_BYTES = 512 * 1024 * 1024
_CHANGESET_NAME = re.compile(r"^(\d{8})\.json\.gz$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
T = TypeVar("T")
R = TypeVar("R")


class ChannelError(LibraryError):
    """The channel cannot be used right now (missing folder, not a channel, incomplete copy)."""


class ChannelRejected(ChannelError):
    """A change-set, blob or channel file failed verification: nothing of it was applied."""


@dataclass(slots=True, frozen=True)
class ChannelInfo:
    """What `channel.json` says. Trusted only after its key matches the pinned one."""

    channel_id: str
    name: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    fingerprint: str
    audience: str
    created_at: str


def canonical_json(value: Any) -> bytes:
    """The one byte encoding of a JSON value used for hashing and signing (sorted keys, no
    whitespace, UTF-8). Hashing the same value always gives the same digest."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sha256(text: object) -> bool:
    return isinstance(text, str) and bool(_SHA256.match(text))


def changeset_name(seq: int) -> str:
    return f"{seq:08d}{CHANGESET_SUFFIX}"


def changeset_path(root: Path, seq: int) -> Path:
    return root / CHANGESETS / changeset_name(seq)


def signature_path(root: Path, seq: int) -> Path:
    return root / CHANGESETS / (changeset_name(seq) + SIGNATURE_SUFFIX)


def blob_path(root: Path, sha256: str) -> Path:
    return root / BLOBS / sha256[:2] / sha256


def changeset_seqs(root: Path) -> list[int]:
    """Sequence numbers of the change-set files present (sorted; gaps are possible while a
    cloud-synced folder is still arriving)."""
    folder = root / CHANGESETS
    if not folder.is_dir():
        return []
    out = []
    for entry in os.scandir(folder):
        m = _CHANGESET_NAME.match(entry.name)
        if m:
            out.append(int(m.group(1)))
    return sorted(out)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a fsynced temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


BLOB_WORKERS = 8  # blob copies in flight: each ends with an fsync, which mostly waits on disk


def run_parallel(fn: Callable[[T], R], args: Sequence[T], workers: int = BLOB_WORKERS) -> list[R]:
    """`[fn(a) for a in args]` on a few threads (file copies that wait on fsync). The first
    exception is re-raised after the copies already running have finished; the rest are not
    started."""
    if len(args) < 2:
        return [fn(a) for a in args]
    with ThreadPoolExecutor(max_workers=min(workers, len(args))) as pool:
        futures = [pool.submit(fn, a) for a in args]
        try:
            return [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def compress(document: dict[str, Any]) -> bytes:
    """Canonical JSON, gzipped with a fixed mtime (the same document gives the same bytes)."""
    return gzip.compress(canonical_json(document), compresslevel=4, mtime=0)


def decompress(data: bytes, what: str) -> dict[str, Any]:
    """Inflate and parse a change-set; refuses truncated, oversized or non-JSON content."""
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        raw = d.decompress(data, MAX_CHANGESET_BYTES)
        if d.unconsumed_tail:
            raise ChannelRejected(f"{what} inflates to more than 512 MB; refused.")
        if not d.eof:
            raise ChannelRejected(f"{what} is truncated.")
        value = json.loads(raw)
    except ChannelRejected:
        raise
    except (zlib.error, ValueError) as e:
        raise ChannelRejected(f"{what} is damaged ({e}).") from None
    if not isinstance(value, dict):
        raise ChannelRejected(f"{what} is not a change-set.")
    return value


def read_channel_info(root: Path) -> ChannelInfo:
    """Parse `channel.json`. Raises ChannelError when the folder is missing or not a channel."""
    path = root / CHANNEL_FILE
    if not root.is_dir():
        raise ChannelError(f"The channel folder {root} is not reachable (is the share connected?).")
    if not path.is_file():
        raise ChannelError(f"{root} is not a Frontline channel (it has no {CHANNEL_FILE}).")
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as e:
        raise ChannelError(f"{path} cannot be read: {e}.") from None
    if not isinstance(data, dict) or data.get("format") != "frontline-channel":
        raise ChannelError(f"{path} is not a Frontline channel file.")
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ChannelError(
            f"The channel at {root} uses format version {version}; "
            "please update Frontline to read it."
        )
    try:
        return ChannelInfo(
            channel_id=str(data["channel_id"]),
            name=str(data.get("name", "")),
            public_key=str(data["public_key"]),
            fingerprint=str(data.get("fingerprint", "")),
            audience=str(data.get("audience", "internal")),
            created_at=str(data.get("created_at", "")),
        )
    except KeyError as e:
        raise ChannelError(f"{path} lacks the field {e.args[0]}.") from None


def channel_document(info: ChannelInfo) -> dict[str, Any]:
    return {
        "format": "frontline-channel",
        "version": FORMAT_VERSION,
        "channel_id": info.channel_id,
        "name": info.name,
        "public_key": info.public_key,
        "fingerprint": info.fingerprint,
        "audience": info.audience,
        "created_at": info.created_at,
        "signature": "Ed25519 over the exact bytes of each changesets/NNNNNNNN.json.gz",
    }


def write_channel_info(root: Path, info: ChannelInfo) -> None:
    atomic_write(
        root / CHANNEL_FILE,
        json.dumps(channel_document(info), indent=2, ensure_ascii=False).encode() + b"\n",
    )
