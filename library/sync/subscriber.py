"""Subscribing and syncing: verify a channel's change-sets, then apply them, one transaction each.

    subscribe(lib, Path("/mnt/share/marketing"), fingerprint="K3QF-7ZD2-MA4T-X9PL")
    report = sync_all(lib, progress, cancel)

Contract of a sync (per subscribed channel)
1. `channel.json` must still carry the pinned public key and channel id.
2. The pending change-sets (applied_seq+1, +2, ... as long as they are contiguous) are all
   signature-checked *before* any is applied: a tampered, truncated or foreign one anywhere in
   the range -> nothing of this sync is applied, `rejected` (CLI exit 2).
3. Then, for each change-set in order: decode and check every entry (unknown vocabulary is
   refused, never stored half-known); check the chain (its `seq`, `channel_id`, and
   `prev_sha256` = hash of the change-set applied before it); copy the blobs it needs into
   `files/`, verifying SHA-256 on the way (blobs already in the store are not copied again);
   apply it in ONE transaction together with the new `applied_seq`. Killing the process at any
   moment therefore leaves either the whole change-set applied or none of it; the next sync
   continues where the last one stopped and never re-copies a blob already stored.
4. Back-channel: the rep's new events are written to the channel's inbox (`library.sync.inbox`).

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

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, inspect, select
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
from library.store import CHUNK
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


def _sync(
    lib: Library,
    root: Path,
    sub: _Sub,
    result: ChannelSyncResult,
    progress: ProgressCallback,
    cancel: Cancel | None,
) -> None:
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
    if seqs and max(seqs) < sub.applied_seq:
        raise ChannelIncomplete(
            f"The channel folder {root} has fewer change-sets ({max(seqs)}) than this library "
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
    # Every pending signature first: one bad change-set and nothing of this sync is applied.
    checked = []
    for seq in pending:
        if not signature_path(root, seq).is_file():
            waiting = f"The signature of change-set {seq} has not arrived yet; try again later."
            break
        _read_verified(root, sub, seq)
        checked.append(seq)
    for n, seq in enumerate(checked):
        if cancel is not None and cancel.requested:
            break
        progress(Progress(n, len(checked), f"{info.name}: change-set {seq}"))
        _apply_one(lib, root, sub, seq, info.name, result)
    if checked:
        progress(Progress(len(checked), len(checked), f"{info.name}: up to date"))
    if waiting:
        raise ChannelIncomplete(waiting)


def _read_verified(root: Path, sub: _Sub, seq: int) -> bytes:
    what = f"Change-set {seq} of channel '{sub.name}'"
    try:
        data = changeset_path(root, seq).read_bytes()
        sig = signature_path(root, seq).read_bytes()
    except OSError as e:
        raise ChannelError(f"{what} cannot be read: {e.strerror or e}.") from None
    signing.verify(sub.public_key, data, sig, what)
    return data


def _apply_one(
    lib: Library, root: Path, sub: _Sub, seq: int, name: str, result: ChannelSyncResult
) -> None:
    data = _read_verified(root, sub, seq)  # again: the file may have changed since the check
    digest = sha256_hex(data)
    what = f"Change-set {seq} of channel '{name}'"
    doc = decompress(data, what)
    if doc.get("format") != "frontline-changeset" or not isinstance(doc.get("version"), int):
        raise ChannelRejected(f"{what} is not a change-set.")
    if doc["version"] > FORMAT_VERSION:
        raise ChannelError(f"{what} needs a newer Frontline (format {doc['version']}).")
    if doc.get("channel_id") != sub.channel_id or doc.get("seq") != seq:
        raise ChannelRejected(f"{what} belongs to another channel or position. Nothing applied.")
    if doc.get("prev_sha256", "") != sub.applied_sha256:
        raise ChannelRejected(
            f"{what} does not follow the change-set this library applied last (broken chain: "
            "the channel was rebuilt or altered). Nothing applied."
        )
    where = f"{what}"
    try:
        items = [check_item(e, where) for e in _list(doc, "items", where)]
        retired = [check_retired(e, where) for e in _list(doc, "retired", where)]
        terms = [check_term(e, where) for e in _list(doc, "terms", where)]
        removed = [check_term_removed(e, where) for e in _list(doc, "terms_removed", where)]
        brand = check_brand(doc.get("brand"), where)
    except ChannelRejected as e:
        raise ChannelRejected(f"{e}. Nothing applied.") from None
    blobs: dict[str, int] = {}
    for entry in [*items, *([brand] if brand else [])]:
        for sha, size in entry_blobs(entry):
            blobs[sha] = size
    _fetch_blobs(lib, root, blobs, seq, result)
    t0 = time.monotonic()
    with lib.transaction() as s:
        applier = _Applier(lib, s, sub.channel_id, name, seq, result)
        applier.apply(terms, items, retired, removed, brand)
        row = s.get(Subscription, sub.channel_id)
        assert row is not None
        # Same transaction as the content: the applied position can never run ahead or behind.
        row.applied_seq, row.applied_sha256, row.name = seq, digest, name
        lib.record(
            s,
            "sync-applied",
            None,
            channel=name,
            channel_id=sub.channel_id,
            seq=seq,
            items=len(items),
            retired=len(retired),
        )
    result.apply_seconds = round(result.apply_seconds + time.monotonic() - t0, 3)
    sub.applied_seq, sub.applied_sha256 = seq, digest
    result.applied.append(seq)
    result.applied_seq = seq


def _list(doc: dict[str, Any], name: str, where: str) -> list[Any]:
    value = doc.get(name) or []
    if not isinstance(value, list):
        raise ChannelRejected(f"{where}: '{name}' is not a list. Nothing applied.")
    return value


def _fetch_blobs(
    lib: Library, root: Path, blobs: dict[str, int], seq: int, result: ChannelSyncResult
) -> None:
    """Copy into the store the blobs it lacks, verifying each SHA-256 while copying.

    A blob already in the store under its name is not copied again: the store names a file by
    the digest computed while writing it, so the name is its verification. A blob whose content
    does not match its name is never stored under that name."""
    store = lib.store
    for sha, size in blobs.items():
        dest = store.path_for(sha)
        if dest.is_file() and dest.stat().st_size == size:
            result.blobs_present += 1
            continue
        src = blob_path(root, sha)
        if not src.is_file():
            raise ChannelIncomplete(
                f"The file {sha[:12]}… of change-set {seq} has not arrived in the channel folder "
                "yet; try again later."
            )
        t0 = time.monotonic()
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=store.root)
        h = hashlib.sha256()
        copied = 0
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as f:
                for chunk in iter(lambda: f.read(CHUNK), b""):
                    h.update(chunk)
                    copied += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if h.hexdigest() != sha or copied != size:
                raise ChannelRejected(
                    f"The file {sha[:12]}… in the channel does not match its SHA-256 (it is "
                    f"damaged, truncated or was replaced). Change-set {seq} was not applied."
                )
            os.replace(tmp_name, dest)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        result.blobs_copied += 1
        result.bytes_copied += copied
        result.copy_seconds = round(result.copy_seconds + time.monotonic() - t0, 3)


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
            session.execute(select(TermOrigin.term_id, TermOrigin.channel_id)).tuples().all()
        )
        self.new_terms: list[Term] = []
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
            for t in terms:
                self._define_term(t)
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
        for t in self.new_terms:
            s.add(TermOrigin(term_id=t.id, channel_id=self.cid))
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
        for f in ("published_at", "expires_on", "verify_by", "change_note"):
            setattr(item, f, e[f])
        item.status = Status.APPROVED.value
        item.created_at = e["created_at"] or item.created_at or utcnow()
        item.updated_at = e["updated_at"] or utcnow()
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
            self.s.add(
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
            user = User(name=name, title=owner["title"], email=owner["email"])
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
