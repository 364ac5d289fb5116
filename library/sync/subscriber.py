"""Subscribing and syncing: verify a channel's change-sets, then apply them, one transaction each.

    subscribe(lib, Path("/mnt/share/marketing"), fingerprint="K3QF-7ZD2-MA4T-X9PL")
    report = sync_all(lib, progress, cancel)

Contract of a sync (per subscribed channel)
1. `channel.json` must still carry the pinned public key and channel id.
2. Check: every pending change-set (applied_seq+1, +2, ... as long as they are contiguous) is
   signature-checked, decoded and checked *before* any is applied: its `seq`, `channel_id`,
   `prev_sha256` (the hash chain) and every entry (unknown vocabulary is refused, never stored
   half-known). A tampered, truncated or foreign one anywhere in the range -> nothing of this
   sync is applied, `rejected` (CLI exit 2).
3. Fetch: every blob those change-sets need is copied into `files/`, its SHA-256 and size
   verified on the way (a blob already in the store is not copied again). A damaged or
   truncated blob -> nothing applied, `rejected`; a missing one (a cloud client still copying)
   -> the change-sets before the first one needing it are applied, the rest `waiting`.
4. Apply: each change-set in order, in ONE transaction together with the new `applied_seq`
   (re-read and compared with the digest checked in step 2). Killing the process at any moment
   therefore leaves either the whole change-set applied or none of it; the next sync continues
   where the last one stopped and never re-copies a blob already stored.
5. Back-channel: the rep's new events are written to the channel's inbox (`library.sync.inbox`).

Ownership (why two channels never conflict): an item belongs to the first channel that
published it (`sync_item_origins`); change-sets of any other channel touching that item are
ignored and reported in `conflicts`. Items created in this library are never touched by a
channel. A taxonomy value's definition (description, persona profile, stage position) follows
the first channel that defines it; others may link items to it by name. The brand kit follows
the first channel that publishes one, and never replaces a brand kit this library saved itself.

What a sync writes: items it owns (fields, terms, sections, assets, status), their origin rows,
taxonomy values, the brand kit, the activity log (`sync-new`, `sync-update`, `sync-retire`,
`sync-applied`: the What's new feed) and the search outbox. Nothing else: the rep's usage
events, flags, requests, notes and baskets are never written.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.orm import Session, selectinload

from library.core import Library
from library.errors import InvalidInput
from library.models import (
    Activity,
    Asset,
    BattleCard,
    CaseStudy,
    Item,
    Meta,
    PersonaProfile,
    Term,
    User,
    item_terms,
    utcnow,
)
from library.progress import Cancel, Progress, ProgressCallback, no_progress
from library.store import CHUNK, FileStore
from library.sync import signing
from library.sync.channel import (
    FORMAT_VERSION,
    ChannelError,
    ChannelRejected,
    blob_path,
    changeset_path,
    changeset_seqs,
    decompress,
    read_channel_info,
    run_parallel,
    sha256_hex,
    signature_path,
)
from library.sync.models import ItemOrigin, PublishedChannel, Subscription, TermOrigin
from library.sync.payload import (
    check_brand,
    check_item,
    check_retired,
    check_term,
    check_term_removed,
    entry_blobs,
)
from library.sync.reports import (
    ChannelSyncResult,
    SubscribeResult,
    SyncReport,
    WhatsNewEntry,
)
from library.vocab import Status

log = logging.getLogger(__name__)

BRAND_OWNER_META = "sync.brand_channel"
BLOB_BATCH = 64  # blobs copied between two progress reports / cancel checks
WHATS_NEW_ACTIONS = ("sync-new", "sync-update", "sync-retire")


class ChannelIncomplete(ChannelError):
    """The folder is still arriving (a cloud client is copying it): try again later."""


@dataclass(slots=True)
class _Sub:
    channel_id: str
    name: str
    path: str
    public_key: str
    fingerprint: str
    applied_seq: int
    applied_sha256: str


# -- subscribing ---------------------------------------------------------------------------------
def subscribe(
    lib: Library, channel_path: Path | str, fingerprint: str | None = None
) -> SubscribeResult:
    """Pin the channel at `channel_path`. With `fingerprint`, the channel's key must match it
    (ChannelRejected otherwise); without, the key is pinned on first use and the caller should
    show the fingerprint for the rep to compare with the publisher's. Subscribing again to the
    same channel (e.g. the share moved) updates its path; a different key is refused."""
    root = Path(channel_path).expanduser().absolute()
    info = read_channel_info(root)
    actual = signing.fingerprint(info.public_key)  # computed; channel.json's copy is not trusted
    if fingerprint is not None:
        wanted = signing.normalize_fingerprint(fingerprint)
        if wanted != actual:
            raise ChannelRejected(
                f"The channel at {root} has fingerprint {actual}, not {wanted}: it is not the "
                "channel you were given (or its key was replaced). Nothing was subscribed."
            )
    with lib.transaction() as s:
        if s.get(PublishedChannel, info.channel_id) is not None:
            raise InvalidInput(
                f"This library publishes the channel '{info.name}'; it cannot also subscribe to it."
            )
        sub = s.get(Subscription, info.channel_id)
        already = sub is not None
        if sub is not None:
            if sub.public_key != info.public_key:
                raise ChannelRejected(_key_changed(info.name, sub.fingerprint, actual))
            sub.path, sub.name = str(root), info.name
        else:
            s.add(
                Subscription(
                    channel_id=info.channel_id,
                    name=info.name,
                    path=str(root),
                    public_key=info.public_key,
                    fingerprint=actual,
                    applied_seq=0,
                    applied_sha256="",
                    outbox_cursors={},
                    inbox_file_seq=0,
                )
            )
            lib.record(
                s,
                "subscribe",
                None,
                channel=info.name,
                channel_id=info.channel_id,
                fingerprint=actual,
                pinned_on_first_use=fingerprint is None,
            )
    return SubscribeResult(
        channel_id=info.channel_id,
        name=info.name,
        path=str(root),
        fingerprint=actual,
        pinned_on_first_use=fingerprint is None,
        already_subscribed=already,
    )


def _key_changed(name: str, pinned: str, now: str) -> str:
    return (
        f"The channel '{name}' now presents another key (fingerprint {now}, pinned {pinned}): "
        "its files may have been replaced by someone else. Nothing was applied; ask the "
        "publisher, and subscribe again only if they confirm the new fingerprint."
    )


# -- syncing -------------------------------------------------------------------------------------
def sync_all(
    lib: Library, progress: ProgressCallback = no_progress, cancel: Cancel | None = None
) -> SyncReport:
    """Sync every subscribed channel (see the module docstring). One channel's failure does not
    stop the others; each result says what happened. Never raises for channel problems."""
    started = time.monotonic()
    report = SyncReport()
    with lib.reader() as s:
        ids = list(s.scalars(select(Subscription.channel_id).order_by(Subscription.subscribed_at)))
    for channel_id in ids:
        if cancel is not None and cancel.requested:
            report.cancelled = True
            break
        report.channels.append(sync_channel(lib, channel_id, progress, cancel))
    report.cancelled = report.cancelled or bool(cancel is not None and cancel.requested)
    report.seconds = round(time.monotonic() - started, 3)
    return report


def sync_channel(
    lib: Library,
    channel_id: str,
    progress: ProgressCallback = no_progress,
    cancel: Cancel | None = None,
) -> ChannelSyncResult:
    """Sync one subscribed channel; problems are reported in the result, not raised."""
    with lib.reader() as s:
        row = s.get(Subscription, channel_id)
        if row is None:
            raise InvalidInput(f"This library does not subscribe to channel {channel_id}.")
        sub = _Sub(
            row.channel_id,
            row.name,
            row.path,
            row.public_key,
            row.fingerprint,
            row.applied_seq,
            row.applied_sha256,
        )
    result = ChannelSyncResult(
        channel_id=sub.channel_id, name=sub.name, path=sub.path, applied_seq=sub.applied_seq
    )
    root = Path(sub.path)
    try:
        _sync(lib, root, sub, result, progress, cancel)
    except ChannelIncomplete as e:
        result.waiting = str(e)
    except ChannelError as e:  # ChannelRejected included
        result.error = str(e)
        result.rejected = isinstance(e, ChannelRejected)
        log.warning("sync of channel %s: %s", sub.channel_id, e)
    except OSError as e:
        result.error = f"The channel folder {root} cannot be read: {e.strerror or e}."
        log.warning("sync of channel %s: %s", sub.channel_id, e)
    try:
        if not result.error and root.is_dir():
            from library.sync.inbox import send_events

            result.events_sent = send_events(lib, sub.channel_id, root)
    except OSError as e:
        result.error = f"Could not write to the channel's inbox at {root}: {e.strerror or e}."
    with lib.transaction() as s:
        row = s.get(Subscription, sub.channel_id)
        if row is not None:
            row.last_error = result.error
            if not result.error:
                row.last_sync_at = utcnow()
    return result


@dataclass(slots=True)
class _Checked:
    """A pending change-set that passed every check: its file digest and the blobs it needs."""

    seq: int
    sha256: str
    blobs: dict[str, int]


@dataclass(slots=True)
class _Parsed:
    items: list[dict[str, Any]]
    retired: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    brand: dict[str, Any] | None


def _sync(
    lib: Library,
    root: Path,
    sub: _Sub,
    result: ChannelSyncResult,
    progress: ProgressCallback,
    cancel: Cancel | None,
) -> None:
    """Three phases (see the module docstring): check every pending change-set, fetch and
    verify every blob they need, then apply them in order, one transaction each."""
    if not root.is_dir():
        # Normal for a laptop on a plane: not an error, nothing to do until the share is back.
        raise ChannelIncomplete(
            f"The channel folder {root} is not reachable (offline, or the share is not "
            "connected); the library stays as it is until it is."
        )
    info = read_channel_info(root)
    if info.channel_id != sub.channel_id:
        raise ChannelRejected(
            f"The folder {root} now holds another channel ('{info.name}'), not '{sub.name}'. "
            "Nothing was applied."
        )
    if info.public_key != sub.public_key:
        raise ChannelRejected(
            _key_changed(sub.name, sub.fingerprint, signing.fingerprint(info.public_key))
        )
    result.name = info.name
    seqs = set(changeset_seqs(root))
    top = max(seqs, default=0)
    if top < sub.applied_seq:
        raise ChannelIncomplete(
            f"The channel folder {root} has fewer change-sets ({top}) than this library "
            f"applied ({sub.applied_seq}): it is an older copy, or still arriving."
        )
    pending = []
    seq = sub.applied_seq + 1
    while seq in seqs:
        pending.append(seq)
        seq += 1
    waiting = ""
    if any(s > seq for s in seqs):
        waiting = f"Change-set {seq} has not arrived yet; later ones wait for it."

    # 1. Check every pending change-set (signature, chain, every entry) before applying any:
    #    one bad change-set and nothing of this sync is applied.
    checked: list[_Checked] = []
    prev = sub.applied_sha256
    t0 = time.monotonic()
    for n, seq in enumerate(pending):
        if cancel is not None and cancel.requested:
            result.cancelled = True
            return
        if not signature_path(root, seq).is_file():
            waiting = f"The signature of change-set {seq} has not arrived yet; try again later."
            break
        progress(Progress(n, len(pending), f"{info.name}: checking change-set {seq}"))
        data = _read_verified(root, sub, seq)
        digest = sha256_hex(data)
        parsed = _parse(data, sub, seq, info.name, prev)
        blobs: dict[str, int] = {}
        for entry in [*parsed.items, *([parsed.brand] if parsed.brand else [])]:
            for sha, size in entry_blobs(entry):
                blobs[sha] = size
        checked.append(_Checked(seq, digest, blobs))
        prev = digest
        del data, parsed
    result.check_seconds = round(time.monotonic() - t0, 3)

    # 2. Every blob they need, verified into the store. A missing blob (the folder is still
    #    arriving) stops before the first change-set that needs it; a damaged one rejects all.
    t0 = time.monotonic()
    try:
        waiting = _fetch_all(lib, root, info.name, checked, result, progress, cancel) or waiting
    finally:
        result.copy_seconds = round(result.copy_seconds + time.monotonic() - t0, 3)
    if result.cancelled:
        return

    # 3. Apply, in order, each change-set in one transaction with its new position.
    for n, c in enumerate(checked):
        if cancel is not None and cancel.requested:
            result.cancelled = True
            break
        progress(Progress(n, len(checked), f"{info.name}: applying change-set {c.seq}"))
        _apply_one(lib, root, sub, c, info.name, result)
    if checked:
        progress(Progress(len(checked), len(checked), f"{info.name}: up to date"))
    if waiting:
        raise ChannelIncomplete(waiting)


def _fetch_all(
    lib: Library,
    root: Path,
    name: str,
    checked: list[_Checked],
    result: ChannelSyncResult,
    progress: ProgressCallback,
    cancel: Cancel | None,
) -> str:
    """Phase 2: copy and verify the blobs of `checked` change-sets, in order. Truncates
    `checked` before the first change-set whose blob has not arrived and returns a sentence
    saying so ("" when all arrived). Sets `result.cancelled` when cancelled."""
    total = sum(len(c.blobs) for c in checked)
    done = 0
    for n, c in enumerate(checked):
        progress(Progress(done, total, f"{name}: files of change-set {c.seq}"))
        todo = list(c.blobs.items())
        fetch = functools.partial(_fetch_blob, lib.store, root, seq=c.seq)
        try:
            for start in range(0, len(todo), BLOB_BATCH):
                if cancel is not None and cancel.requested:
                    result.cancelled = True
                    return ""
                chunk = todo[start : start + BLOB_BATCH]
                for copied in run_parallel(fetch, chunk):
                    if copied is None:
                        result.blobs_present += 1
                    else:
                        result.blobs_copied += 1
                        result.bytes_copied += copied
                done += len(chunk)
                progress(Progress(done, total, f"{name}: files of change-set {c.seq}"))
        except ChannelIncomplete as e:
            del checked[n:]
            return str(e)
    return ""


def _read_verified(root: Path, sub: _Sub, seq: int) -> bytes:
    what = f"Change-set {seq} of channel '{sub.name}'"
    try:
        data = changeset_path(root, seq).read_bytes()
        sig = signature_path(root, seq).read_bytes()
    except OSError as e:
        raise ChannelError(f"{what} cannot be read: {e.strerror or e}.") from None
    signing.verify(sub.public_key, data, sig, what)
    return data


def _parse(data: bytes, sub: _Sub, seq: int, name: str, prev_sha256: str) -> _Parsed:
    """Decode a signature-checked change-set and check its header, chain and every entry."""
    what = f"Change-set {seq} of channel '{name}'"
    doc = decompress(data, what)
    if doc.get("format") != "frontline-changeset" or not isinstance(doc.get("version"), int):
        raise ChannelRejected(f"{what} is not a change-set. Nothing was applied.")
    if doc["version"] > FORMAT_VERSION:
        raise ChannelError(
            f"{what} needs a newer Frontline (format {doc['version']}). Nothing was applied."
        )
    if doc.get("channel_id") != sub.channel_id or doc.get("seq") != seq:
        raise ChannelRejected(
            f"{what} belongs to another channel or position. Nothing was applied."
        )
    if doc.get("prev_sha256", "") != prev_sha256:
        raise ChannelRejected(
            f"{what} does not follow the change-set before it (broken chain: the channel was "
            "rebuilt or altered). Nothing was applied."
        )
    try:
        return _Parsed(
            items=[check_item(e, what) for e in _list(doc, "items", what)],
            retired=[check_retired(e, what) for e in _list(doc, "retired", what)],
            terms=[check_term(e, what) for e in _list(doc, "terms", what)],
            removed=[check_term_removed(e, what) for e in _list(doc, "terms_removed", what)],
            brand=check_brand(doc.get("brand"), what),
        )
    except ChannelRejected as e:
        raise ChannelRejected(f"{e}. Nothing was applied.") from None


def _apply_one(
    lib: Library, root: Path, sub: _Sub, c: _Checked, name: str, result: ChannelSyncResult
) -> None:
    what = f"Change-set {c.seq} of channel '{name}'"
    try:
        data = changeset_path(root, c.seq).read_bytes()
    except OSError as e:
        raise ChannelError(f"{what} cannot be read: {e.strerror or e}.") from None
    # The bytes must be the ones whose signature was checked (the file may have changed since).
    if sha256_hex(data) != c.sha256:
        raise ChannelRejected(f"{what} changed while it was being synced. Nothing was applied.")
    parsed = _parse(data, sub, c.seq, name, sub.applied_sha256)
    del data
    t0 = time.monotonic()
    with lib.transaction() as s:
        # Take the write lock first (a no-op UPDATE), then re-read the position: another sync
        # of this library (the app and a terminal) may have applied this change-set meanwhile.
        s.execute(
            update(Subscription)
            .where(Subscription.channel_id == sub.channel_id)
            .values(applied_seq=Subscription.applied_seq)
        )
        row = s.get(Subscription, sub.channel_id)
        if row is None:
            raise ChannelError(f"The subscription to '{name}' was removed during the sync.")
        if row.applied_seq != c.seq - 1 or row.applied_sha256 != sub.applied_sha256:
            raise ChannelIncomplete(
                "Another sync of this library is applying this channel at the same time; it "
                "finishes the job."
            )
        applier = _Applier(lib, s, sub.channel_id, name, c.seq, result)
        applier.apply(parsed.terms, parsed.items, parsed.retired, parsed.removed, parsed.brand)
        # Same transaction as the content: the applied position can never run ahead or behind.
        row.applied_seq, row.applied_sha256, row.name = c.seq, c.sha256, name
        lib.record(
            s,
            "sync-applied",
            None,
            channel=name,
            channel_id=sub.channel_id,
            seq=c.seq,
            items=len(parsed.items),
            retired=len(parsed.retired),
        )
    result.apply_seconds = round(result.apply_seconds + time.monotonic() - t0, 3)
    sub.applied_seq, sub.applied_sha256 = c.seq, c.sha256
    result.applied.append(c.seq)
    result.applied_seq = c.seq


def _list(doc: dict[str, Any], name: str, where: str) -> list[Any]:
    value = doc.get(name) or []
    if not isinstance(value, list):
        raise ChannelRejected(f"{where}: '{name}' is not a list")
    return value


def _fetch_blob(store: FileStore, root: Path, blob: tuple[str, int], *, seq: int) -> int | None:
    """Copy one blob into the store unless it is there (None), verifying its SHA-256 and size
    while copying; returns the bytes copied. Runs on a worker thread.

    A blob already in the store under its name is not copied again: the store names a file by
    the digest computed while writing it, so the name is its verification. A blob whose content
    does not match its name is never stored under that name."""
    sha, size = blob
    dest = store.path_for(sha)
    if dest.is_file() and dest.stat().st_size == size:
        return None
    src = blob_path(root, sha)
    if not src.is_file():
        raise ChannelIncomplete(
            f"The file {sha[:12]}… of change-set {seq} has not arrived in the channel folder "
            "yet; try again later."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=store.root)
    h = hashlib.sha256()
    copied = 0
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                h.update(chunk)
                copied += len(chunk)
                if copied > size:
                    break
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if copied < size:
            raise ChannelRejected(
                f"The file {sha[:12]}… of change-set {seq} in the channel is truncated ({copied} "
                f"of {size} bytes; if the folder is still syncing, try again later). Nothing "
                "was applied."
            )
        if h.hexdigest() != sha or copied != size:
            raise ChannelRejected(
                f"The file {sha[:12]}… of change-set {seq} in the channel does not match its "
                "SHA-256 (it is damaged or was replaced). Nothing was applied."
            )
        os.replace(tmp_name, dest)
    except OSError as e:
        Path(tmp_name).unlink(missing_ok=True)
        raise ChannelError(
            f"The file {sha[:12]}… of change-set {seq} could not be copied: {e.strerror or e}."
        ) from None
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return copied


# -- applying ------------------------------------------------------------------------------------
class _Applier:
    """Applies one checked change-set inside the caller's transaction."""

    def __init__(
        self,
        lib: Library,
        session: Session,
        channel_id: str,
        channel_name: str,
        seq: int,
        result: ChannelSyncResult,
    ) -> None:
        self.lib, self.s, self.cid, self.cname, self.seq = (
            lib,
            session,
            channel_id,
            channel_name,
            seq,
        )
        self.result = result
        self.dirty: list[str] = []
        self.terms: dict[tuple[str, str], Term] = {
            (t.taxonomy, t.name_folded): t for t in session.scalars(select(Term))
        }
        self.term_origins: dict[int, str] = dict(
            session.execute(select(TermOrigin.term_id, TermOrigin.channel_id)).all()
        )
        self.new_terms: list[Term] = []
        self.new_origins: list[ItemOrigin] = []
        self.upserted: list[Item] = []
        self.users: dict[str, User] = {u.name: u for u in session.scalars(select(User))}

    def conflict(self, message: str) -> None:
        self.result.conflicts.append(message)
        log.info("channel %s: %s", self.cid, message)

    def apply(
        self,
        terms: list[dict[str, Any]],
        items: list[dict[str, Any]],
        retired: list[dict[str, Any]],
        removed: list[dict[str, Any]],
        brand: dict[str, Any] | None,
    ) -> None:
        s = self.s
        with s.no_autoflush:
            for entry in terms:
                self._define_term(entry)
            keys = [e["key"] for e in items] + [e["key"] for e in retired]
            existing: dict[str, Item] = {}
            origins: dict[str, ItemOrigin] = {}
            for chunk in _chunks(keys, 500):
                for item in s.scalars(
                    select(Item)
                    .where(Item.key.in_(chunk))
                    .options(
                        selectinload(Item.terms),
                        selectinload(Item.assets),
                        selectinload(Item.case_study),
                        selectinload(Item.battle_card),
                    )
                ):
                    existing[item.key] = item
                for o in s.scalars(select(ItemOrigin).where(ItemOrigin.item_key.in_(chunk))):
                    origins[o.item_key] = o
            for e in items:
                self._upsert(e, existing.get(e["key"]), origins.get(e["key"]))
            for e in retired:
                self._retire(e, existing.get(e["key"]), origins.get(e["key"]))
        s.flush()
        s.add_all(self.new_origins)
        _record_versions(s, self.upserted)
        for term in self.new_terms:
            s.add(TermOrigin(term_id=term.id, channel_id=self.cid))
        for r in removed:
            self._remove_term(r)
        if brand is not None:
            self._brand(brand)
        for key in self.dirty:
            self.lib.mark_dirty(s, key)

    # terms
    def _term(self, taxonomy: str, name: str) -> Term:
        name = " ".join(name.split())
        k = (taxonomy, name.casefold())
        term = self.terms.get(k)
        if term is None:
            position = 1 + max(
                (t.position for (tax, _), t in self.terms.items() if tax == taxonomy), default=0
            )
            term = Term(
                taxonomy=taxonomy,
                name=name,
                name_folded=name.casefold(),
                position=position,
                description="",
            )
            if taxonomy == "persona":
                term.persona = PersonaProfile()
            self.s.add(term)
            self.terms[k] = term
            self.new_terms.append(term)
        return term

    def _define_term(self, e: dict[str, Any]) -> None:
        term = self._term(e["taxonomy"], e["name"])
        owner = self.term_origins.get(term.id) if term.id is not None else None
        if owner is not None and owner != self.cid:
            self.conflict(
                f"The {e['taxonomy']} '{e['name']}' is defined by another channel; this "
                "channel's definition is ignored."
            )
            return
        if owner is None and term not in self.new_terms:
            # A value this library had without a channel (e.g. the default stages): the first
            # channel that defines it takes it over, so marketing's definitions reach reps.
            self.s.add(TermOrigin(term_id=term.id, channel_id=self.cid))
            self.term_origins[term.id] = self.cid
        term.name, term.position, term.description = e["name"], e["position"], e["description"]
        if e["taxonomy"] == "persona":
            if term.persona is None:
                term.persona = PersonaProfile()
            for f, v in (e["persona"] or {}).items():
                setattr(term.persona, f, v)
        self.result.terms_changed += 1

    def _remove_term(self, e: dict[str, Any]) -> None:
        term = self.terms.get((e["taxonomy"], e["name"].casefold()))
        if term is None or self.term_origins.get(term.id) != self.cid:
            return
        used = self.s.scalar(
            select(func.count()).select_from(item_terms).where(item_terms.c.term_id == term.id)
        )
        if used:
            # Still linked (a retired item, another channel's item): keep the value, drop the
            # channel's claim on its definition.
            self.s.execute(delete(TermOrigin).where(TermOrigin.term_id == term.id))
            self.term_origins.pop(term.id, None)
        else:
            self.s.delete(term)
        self.result.terms_changed += 1

    # items
    def _upsert(self, e: dict[str, Any], item: Item | None, origin: ItemOrigin | None) -> None:
        key = e["key"]
        if origin is not None and origin.channel_id != self.cid:
            self.conflict(
                f"'{e['title']}' [{key[:8]}] belongs to another channel; this channel's version "
                "is ignored."
            )
            return
        if item is not None and origin is None:
            self.conflict(
                f"'{e['title']}' [{key[:8]}] already exists in this library and does not come "
                "from this channel; it is left as it is."
            )
            return
        new = item is None
        previous = None if item is None else item.version
        if item is None:
            item = Item(key=key, title=e["title"], kind=e["kind"], format=e["format"])
            self.s.add(item)
        for f in ("title", "summary", "kind", "format", "audience", "language", "version"):
            setattr(item, f, e[f])
        for f in ("expires_on", "verify_by", "change_note"):
            setattr(item, f, e[f])
        # Approved without a publish date (older libraries): published here when first received.
        item.published_at = e["published_at"] or item.published_at or date.today()
        item.status = Status.APPROVED.value
        item.created_at = e["created_at"] or item.created_at or utcnow()
        item.updated_at = e["updated_at"] or utcnow()
        if hasattr(item, "content_changed_at"):  # governance's UPDATED badge
            changed = e["content_changed_at"]
            if changed is None and (new or previous != e["version"]):
                changed = e["updated_at"] if new else utcnow()
            if changed is not None:
                item.content_changed_at = changed
        item.owner = self._user(e["owner"])
        seen: set[int] = set()
        linked: list[Term] = []
        for tax, names in e["terms"].items():
            for name in names:
                t = self._term(tax, name)
                if id(t) not in seen:
                    seen.add(id(t))
                    linked.append(t)
        item.terms = linked
        item.case_study = _section(item.case_study, e["case_study"], CaseStudy)
        item.battle_card = _section(item.battle_card, e["battle_card"], BattleCard)
        item.assets = _assets(item.assets, e["assets"])
        if origin is None:
            # Added after the items are flushed: the origin row refers to the item's key.
            self.new_origins.append(
                ItemOrigin(item_key=key, channel_id=self.cid, version=e["version"], seq=self.seq)
            )
        else:
            origin.version, origin.seq, origin.applied_at = e["version"], self.seq, utcnow()
        self.lib.record(
            self.s,
            "sync-new" if new else "sync-update",
            key,
            channel=self.cname,
            channel_id=self.cid,
            seq=self.seq,
            title=e["title"],
            version=e["version"],
            previous_version=previous,
            change_note=e["change_note"],
        )
        self.dirty.append(key)
        self.upserted.append(item)
        if new:
            self.result.items_new += 1
        else:
            self.result.items_updated += 1

    def _retire(self, e: dict[str, Any], item: Item | None, origin: ItemOrigin | None) -> None:
        if item is None:
            return  # never received (published and retired before this library subscribed)
        if origin is None or origin.channel_id != self.cid:
            self.conflict(
                f"'{item.title}' [{item.key[:8]}] does not belong to this channel; its "
                "retirement is ignored."
            )
            return
        origin.seq = self.seq
        if item.status == Status.RETIRED.value:
            return
        item.status = Status.RETIRED.value
        self.lib.record(
            self.s,
            "sync-retire",
            item.key,
            channel=self.cname,
            channel_id=self.cid,
            seq=self.seq,
            title=item.title,
            version=item.version,
            reason=e["reason"],
        )
        self.dirty.append(item.key)
        self.result.items_retired += 1

    def _user(self, owner: dict[str, Any] | None) -> User | None:
        if not owner or not owner["name"].strip():
            return None
        name = " ".join(owner["name"].split())
        user = self.users.get(name)
        if user is None:
            # The owner/verifier shown on the item's trust badge; contact details only.
            # Least privilege: a name on a badge, never a marketer or admin of this library.
            user = User(name=name, title=owner["title"], email=owner["email"], role="rep")
            self.s.add(user)
            self.users[name] = user
        return user

    # brand kit
    def _brand(self, e: dict[str, Any]) -> None:
        try:
            from library import branding
        except ImportError:
            return
        s = self.s
        if not inspect(s.connection()).has_table(branding.BrandKit.__tablename__):
            return
        owner_row = s.get(Meta, BRAND_OWNER_META)
        owner = owner_row.value if owner_row else None
        row = s.get(branding.BrandKit, 1)
        if owner is None and row is not None:
            self.conflict("This library has its own brand kit; the channel's is not applied.")
            return
        if owner is not None and owner != self.cid:
            self.conflict("The brand kit comes from another channel; this channel's is ignored.")
            return
        if row is None:
            row = branding.BrandKit(id=1)
            s.add(row)
        for f, v in e.items():
            if f not in ("logo", "reference"):
                setattr(row, f, v)
        logo, ref = e["logo"], e["reference"]
        row.logo_sha256, row.logo_name = (logo["sha256"], logo["name"]) if logo else (None, "")
        row.reference_sha256, row.reference_name = (
            (ref["sha256"], ref["name"]) if ref else (None, "")
        )
        row.updated_at, row.updated_by = utcnow(), f"channel {self.cname}"
        s.merge(Meta(key=BRAND_OWNER_META, value=self.cid))
        self.lib.record(s, "brand-changed", None, channel=self.cname, seq=self.seq)
        self.result.brand_changed = True


def _record_versions(session: Session, items: list[Item]) -> None:
    """With governance installed: keep each received version in the item's version history
    (`item_versions`, numbered as the publisher numbered it), in the apply transaction. A
    version already recorded (a metadata-only change) is left as it is."""
    if not items:
        return
    try:
        from library import governance
        from library.models import ItemVersion  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return
    snapshot = getattr(governance, "snapshot", None)
    if snapshot is None:
        return
    have: set[tuple[int, int]] = set()
    ids = [i.id for i in items]
    for start in range(0, len(ids), 500):
        have.update(
            (item_id, version)
            for item_id, version in session.execute(
                select(ItemVersion.item_id, ItemVersion.version).where(
                    ItemVersion.item_id.in_(ids[start : start + 500])
                )
            ).all()
        )
    for item in items:
        if (item.id, item.version) in have:
            continue
        session.add(
            ItemVersion(
                item_id=item.id,
                version=item.version,
                created_at=getattr(item, "content_changed_at", None) or item.updated_at,
                created_by=item.owner.name if item.owner else "",
                change_note=item.change_note or "",
                snapshot=snapshot(item),
            )
        )


def _section(current: Any, values: dict[str, Any] | None, cls: type[Any]) -> Any:
    if values is None:
        return None
    target = current if current is not None else cls()
    for f, v in values.items():
        setattr(target, f, v)
    return target


def _assets(current: list[Asset], entries: list[dict[str, Any]]) -> list[Asset]:
    """The item's new asset list, reusing the rows of unchanged files (their ids stay)."""
    pool: dict[str, list[Asset]] = {}
    for a in current:
        pool.setdefault(a.sha256, []).append(a)
    out = []
    for position, e in enumerate(entries):
        reuse = pool.get(e["sha256"])
        asset = reuse.pop(0) if reuse else Asset(added_at=utcnow())
        asset.position = position
        asset.original_name = e["name"]
        asset.sha256 = e["sha256"]
        asset.size = e["size"]
        asset.media_type = e["media_type"]
        asset.page_count = e["page_count"]
        asset.extraction_status = e["extraction_status"]
        asset.extraction_reason = e["extraction_reason"]
        asset.flags = e["flags"]
        asset.text = e["text"]
        asset.text_chars = e["text_chars"]
        asset.text_truncated = e["text_truncated"]
        out.append(asset)
    return out


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# -- unsubscribing -------------------------------------------------------------------------------
def unsubscribe(lib: Library, ref: str) -> SubscribeResult:
    """Stop syncing a channel, named by its id, name or folder path. The items it brought stay
    (read-only, still owned by that channel) so nothing the rep relies on vanishes offline;
    subscribing again replays the channel from its start (files already stored are not copied
    again) and so catches up with everything that changed meanwhile."""
    wanted = ref.strip()
    with lib.transaction() as s:
        subs = list(s.scalars(select(Subscription)))
        path = str(Path(wanted).expanduser().absolute()) if wanted else ""
        matches = [
            x
            for x in subs
            if wanted in (x.channel_id, x.name)
            or x.path == path
            or x.name.casefold() == wanted.casefold()
        ]
        if not matches:
            raise InvalidInput(f"This library does not subscribe to a channel '{ref}'.")
        if len(matches) > 1:
            raise InvalidInput(f"Several channels are called '{ref}'; give the folder path.")
        sub = matches[0]
        result = SubscribeResult(
            channel_id=sub.channel_id,
            name=sub.name,
            path=sub.path,
            fingerprint=sub.fingerprint,
            pinned_on_first_use=False,
            already_subscribed=True,
        )
        s.delete(sub)
        lib.record(s, "unsubscribe", None, channel=sub.name, channel_id=sub.channel_id)
    return result


# -- reading -------------------------------------------------------------------------------------
def read_only_reason(session: Session, item_key: str) -> str | None:
    """A sentence saying why `item_key` must not be edited here (a channel publishes it and the
    next sync would overwrite the edit), or None. Item-editing services should call this."""
    row = session.execute(
        select(Subscription.name)
        .join(ItemOrigin, ItemOrigin.channel_id == Subscription.channel_id)
        .where(ItemOrigin.item_key == item_key)
    ).first()
    if row is None:
        origin = session.get(ItemOrigin, item_key)
        if origin is None:
            return None
        return "This item comes from a channel you no longer subscribe to and is read-only."
    return (
        f"This item is published by the channel '{row[0]}' and is read-only here; "
        "ask its publisher to change it."
    )


def whats_new(lib: Library, limit: int = 100, item_key: str | None = None) -> list[WhatsNewEntry]:
    """The latest changes syncs brought in, newest first (from the append-only activity log)."""
    q = (
        select(Activity)
        .where(Activity.action.in_(WHATS_NEW_ACTIONS))
        .order_by(Activity.id.desc())
        .limit(limit)
    )
    if item_key is not None:
        q = q.where(Activity.item_key == item_key)
    with lib.reader() as s:
        out = []
        for a in s.scalars(q):
            d = a.detail or {}
            out.append(
                WhatsNewEntry(
                    at=a.at,
                    item_key=a.item_key or "",
                    title=str(d.get("title", "")),
                    change={"sync-new": "new", "sync-update": "updated"}.get(a.action, "retired"),
                    version=d.get("version"),
                    change_note=str(d.get("change_note", "")),
                    channel=str(d.get("channel", "")),
                )
            )
        return out
