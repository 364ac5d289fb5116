"""Ed25519 keys, fingerprints and detached signatures of change-sets.

- The publisher's private key is `<library>/keys/channel-<channel id>.pem` (PKCS#8 PEM, file
  mode 0600 in a 0700 folder). It never goes into the channel folder. Losing it means the
  channel can no longer be published to: back up the library folder (keys/ included).
- The public key travels in `channel.json` (base64 of the raw 32 bytes).
- Fingerprint: the first 80 bits of SHA-256(raw public key) in base32, as 4 groups of 4
  (e.g. `K3QF-7ZD2-MA4T-X9PL`); what a marketer reads out and a rep types after `--fingerprint`.
- Signature file `NNNNNNNN.json.gz.sig`: JSON {"alg": "ed25519", "fingerprint", "sha256",
  "signature"} where `signature` (base64) is Ed25519 over the exact bytes of the `.json.gz` file
  and `sha256` is their digest (informational; the signature is what counts).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from library.errors import InvalidInput, LibraryError
from library.sync.channel import ChannelError, ChannelRejected

KEYS_DIR = "keys"


@contextmanager
def publish_lock(library_root: Path, channel_id: str) -> Iterator[None]:
    """Hold the lock that lets one publish at a time write to `channel_id` (the app and the CLI
    may both try). Raises ChannelError at once when another publish holds it; the lock is an OS
    file lock, released when the process ends, so a crash never leaves it stuck."""
    folder = library_root / KEYS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    f = (folder / f"channel-{channel_id}.lock").open("a+b")
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ChannelError(
                "Another publish to this channel is running (in the app or a terminal); "
                "wait for it to finish."
            ) from None
        yield
    finally:
        f.close()


def key_path(library_root: Path, channel_id: str) -> Path:
    return library_root / KEYS_DIR / f"channel-{channel_id}.pem"


def generate_key(library_root: Path, channel_id: str) -> Ed25519PrivateKey:
    """Create and store a new private key for `channel_id` (refuses to overwrite one)."""
    folder = library_root / KEYS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = key_path(library_root, channel_id)
    tmp = path.with_name(path.name + ".tmp")
    # Mode 0600 from the start: the key is never readable by others, not even briefly.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    if path.exists():
        tmp.unlink()
        raise LibraryError(f"A key for channel {channel_id} already exists at {path}.")
    os.replace(tmp, path)
    return key


def load_key(library_root: Path, channel_id: str) -> Ed25519PrivateKey | None:
    """The stored private key of `channel_id`, or None when this library does not hold it."""
    path = key_path(library_root, channel_id)
    if not path.is_file():
        return None
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise LibraryError(f"The channel key {path} is damaged: {e}.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LibraryError(f"The channel key {path} is not an Ed25519 key.")
    return key


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _raw_public(public_b64: str) -> bytes:
    try:
        raw = base64.b64decode(public_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ChannelRejected("The channel's public key is not valid base64.") from None
    if len(raw) != 32:
        raise ChannelRejected("The channel's public key is not an Ed25519 key.")
    return raw


def fingerprint(public_b64: str) -> str:
    """Short, human-comparable fingerprint of a public key (see module docstring)."""
    digest = hashlib.sha256(_raw_public(public_b64)).digest()[:10]
    text = base64.b32encode(digest).decode()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def normalize_fingerprint(text: str) -> str:
    """'k3qf 7zd2-ma4t x9pl' -> 'K3QF-7ZD2-MA4T-X9PL'; InvalidInput when it cannot be one."""
    compact = "".join(c for c in text.upper() if c.isalnum())
    if len(compact) != 16 or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in compact):
        raise InvalidInput(
            f"'{text}' is not a channel fingerprint (16 letters and digits, like K3QF-7ZD2-MA4T-X9PL)."
        )
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The `.sig` file content for change-set bytes `data`."""
    doc = {
        "alg": "ed25519",
        "fingerprint": fingerprint(public_key_b64(key)),
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": base64.b64encode(key.sign(data)).decode(),
    }
    return json.dumps(doc, indent=1).encode() + b"\n"


def verify(public_b64: str, data: bytes, sig_file: bytes, what: str) -> None:
    """Raise ChannelRejected unless `sig_file` is a valid signature of `data` by the key."""
    try:
        doc = json.loads(sig_file)
        signature = base64.b64decode(doc["signature"], validate=True)
        if doc.get("alg") != "ed25519":
            raise ValueError("unknown algorithm")
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ChannelRejected(f"The signature of {what} is unreadable.") from None
    public = Ed25519PublicKey.from_public_bytes(_raw_public(public_b64))
    try:
        public.verify(signature, data)
    except InvalidSignature:
        raise ChannelRejected(
            f"{what} failed its signature check: it was altered, truncated or does not come from "
            "this channel's publisher."
        ) from None
