"""Publishing: write what changed since the last change-set into a channel folder.

    report = publish(lib, Path("/mnt/share/marketing"), progress, cancel)

Contract
- Only items that may reach reps are published: approved, publish date reached (or none), not
  expired; a channel created with audience "partner" carries partner-shareable items only (no
  battle cards). Items this library received from another channel are never re-published.
- An item published earlier that no longer qualifies (retired, back in review, expired, deleted)
  is published as a retirement. Taxonomy definitions go with it: every persona and stage, plus
  the other values the published items use. The brand kit goes too when one was saved.
- Incremental: `sync_published_entries` keeps the hash of each entry's last published payload;
  a publish writes only entries whose payload changed. Nothing changed -> nothing written.
- Order of writes, so a crash at any moment is recoverable: blobs -> `.sig` -> change-set
  (each atomically) -> DB transaction recording the published state. If the process dies after
  the change-set but before the DB commit, the next publish reads that change-set back (checking
  its signature) and records it, so sequence numbers never repeat and nothing is lost.
- Large publishes are split into several change-sets (at most `MAX_ITEMS` items or about
  `MAX_BYTES` of JSON each) so subscribers apply them in bounded memory and bounded
  transactions. Cancelling stops between items; change-sets already written stay valid.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, inspect, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from library.core import Library
from library.errors import InvalidInput, LibraryError
from library.models import Item, Term, new_key, utcnow
from library.progress import Cancel, Progress, ProgressCallback, no_progress
from library.store import CHUNK
from library.sync import signing
from library.sync.channel import (
    BLOBS,
    CHANGESETS,
    CHANNEL_FILE,
    FORMAT_VERSION,
    INBOX,
    ChannelError,
    ChannelInfo,
    ChannelRejected,
    atomic_write,
    blob_path,
    changeset_path,
    changeset_seqs,
    compress,
    decompress,
    read_channel_info,
    run_parallel,
    sha256_hex,
    signature_path,
    write_channel_info,
)
from library.sync.models import ItemOrigin, PublishedChannel, PublishedEntry
from library.sync.payload import (
    BRAND_FIELDS,
    entry_blobs,
    entry_hash,
    entry_size,
    item_entry,
    term_entry,
    term_key,
)
from library.sync.reports import PublishReport
from library.vocab import Audience, Status

log = logging.getLogger(__name__)

MAX_ITEMS = 1000
SCAN_BATCH = 500  # items read at a time while looking for changes
MAX_BYTES = 64 * 1024 * 1024
CHANNEL_AUDIENCES = ("internal", "partner")
# Taxonomies whose whole definition list is published (agreed definitions), used or not.
SHARED_TAXONOMIES = ("persona", "stage")


@dataclass(slots=True)
class _Channel:
    channel_id: str
    name: str
    audience: str
    fingerprint: str
    last_seq: int
    last_sha256: str


def publish(
    lib: Library,
    channel_path: Path | str,
    progress: ProgressCallback = no_progress,
    cancel: Cancel | None = None,
    *,
    name: str | None = None,
    audience: str | None = None,
    ingest: bool = True,
    today: date | None = None,
) -> PublishReport:
    """Publish this library's approved content to the channel at `channel_path` (created on
    first use: a new key pair, `channel.json`; the report says `created` and gives the
    fingerprint). Also ingests the channel's inbox when `ingest`. See the module docstring.

    Raises InvalidInput for a folder that cannot become a channel, ChannelError when the channel
    belongs to another library, LibraryError when a file of this library is damaged."""
    started = time.monotonic()
    _require_publisher(lib)
    root = Path(channel_path).expanduser().absolute()
    ch, key, created = _open_channel(lib, root, name, audience)
    report = PublishReport(
        channel_id=ch.channel_id,
        channel_path=str(root),
        name=ch.name,
        fingerprint=ch.fingerprint,
        created=created,
    )
    with signing.publish_lock(lib.root, ch.channel_id):
        with lib.reader() as s:  # another publish may have finished since the channel was read
            row = s.get(PublishedChannel, ch.channel_id)
            if row is not None:
                ch.last_seq, ch.last_sha256 = row.last_seq, row.last_sha256
        report.recovered = _recover(lib, root, ch, key)
        writer = _ChangesetWriter(lib, root, ch, key, report)
        _publish_changes(lib, writer, ch, report, progress, cancel, today or date.today())
    if ingest:
        from library.sync.inbox import ingest_inbox

        report.inbox = ingest_inbox(lib, [ch.channel_id])
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _require_publisher(lib: Library) -> None:
    """With governance's roles installed, only those who may edit content (marketers, admins)
    publish; PermissionDenied (a LibraryError with a sentence) otherwise."""
    try:
        from library import users
    except ImportError:
        return
    require = getattr(users, "require", None)
    if require is not None:
        require(lib, "edit", "publish to a channel")


# -- the channel ---------------------------------------------------------------------------------
def _open_channel(
    lib: Library, root: Path, name: str | None, audience: str | None
) -> tuple[_Channel, Ed25519PrivateKey, bool]:
    if audience is not None and audience not in CHANNEL_AUDIENCES:
        raise InvalidInput(f"A channel's audience is one of {', '.join(CHANNEL_AUDIENCES)}.")
    if root == lib.root or lib.root in root.parents:
        raise InvalidInput("A channel folder cannot be inside the library folder.")
    if (root / CHANNEL_FILE).exists():
        info = read_channel_info(root)
        key = signing.load_key(lib.root, info.channel_id)
        if key is None:
            raise ChannelError(
                f"The channel '{info.name}' at {root} was created by another library; only the "
                "library holding its key can publish to it."
            )
        if signing.public_key_b64(key) != info.public_key:
            raise ChannelRejected(
                f"The key in {root / CHANNEL_FILE} is not this channel's key: the file was "
                "replaced. Nothing was published."
            )
        if audience is not None and audience != info.audience:
            raise InvalidInput(
                f"The channel '{info.name}' is for audience '{info.audience}'; a channel's "
                "audience is fixed when it is created (publish to a new folder instead)."
            )
        if name and name != info.name:
            info = ChannelInfo(
                info.channel_id,
                name,
                info.public_key,
                info.fingerprint,
                info.audience,
                info.created_at,
            )
            write_channel_info(root, info)
        with lib.transaction() as s:
            row = s.get(PublishedChannel, info.channel_id)
            if row is None:  # channel.json written, then the process died before this commit
                row = PublishedChannel(
                    channel_id=info.channel_id,
                    fingerprint=signing.fingerprint(info.public_key),
                    audience=info.audience,
                    last_seq=0,
                    last_sha256="",
                )
                s.add(row)
            row.path, row.name = str(root), info.name
            ch = _Channel(
                row.channel_id, row.name, row.audience, row.fingerprint, row.last_seq,
                row.last_sha256,
            )  # fmt: skip
        return ch, key, False

    if root.exists():
        if not root.is_dir():
            raise InvalidInput(f"{root} is a file, not a folder.")
        if any(not p.name.startswith(".") for p in root.iterdir()):
            raise InvalidInput(
                f"{root} is not empty and is not a Frontline channel; publish to a new or "
                "empty folder."
            )
    try:
        root.mkdir(parents=True, exist_ok=True)
        for sub in (CHANGESETS, BLOBS, INBOX):
            (root / sub).mkdir(exist_ok=True)
    except OSError as e:
        raise InvalidInput(f"Cannot create the channel folder {root}: {e.strerror}.") from None
    channel_id = new_key()
    key = signing.generate_key(lib.root, channel_id)
    public = signing.public_key_b64(key)
    info = ChannelInfo(
        channel_id=channel_id,
        name=name or root.name,
        public_key=public,
        fingerprint=signing.fingerprint(public),
        audience=audience or "internal",
        created_at=utcnow().isoformat(timespec="seconds"),
    )
    write_channel_info(root, info)
    with lib.transaction() as s:
        s.add(
            PublishedChannel(
                channel_id=channel_id,
                name=info.name,
                path=str(root),
                audience=info.audience,
                fingerprint=info.fingerprint,
                last_seq=0,
                last_sha256="",
            )
        )
        lib.record(s, "channel-created", None, channel=info.name, channel_id=channel_id)
    log.info("created channel %s at %s (fingerprint %s)", channel_id, root, info.fingerprint)
    return _Channel(channel_id, info.name, info.audience, info.fingerprint, 0, ""), key, True


def _recover(lib: Library, root: Path, ch: _Channel, key: Ed25519PrivateKey) -> list[int]:
    """Record change-sets an interrupted publish wrote but did not commit; check the folder
    is the one this library wrote. Returns the recovered sequence numbers."""
    seqs = changeset_seqs(root)
    top = seqs[-1] if seqs else 0
    if top < ch.last_seq:
        raise ChannelError(
            f"The channel folder {root} has {top} change-sets but this library wrote "
            f"{ch.last_seq}: it is an older copy or another folder. Nothing was published."
        )
    public = signing.public_key_b64(key)
    if ch.last_seq:
        data = changeset_path(root, ch.last_seq).read_bytes()
        if sha256_hex(data) != ch.last_sha256:
            raise ChannelRejected(
                f"Change-set {ch.last_seq} in {root} is not the one this library wrote. "
                "Nothing was published."
            )
    recovered = []
    for seq in range(ch.last_seq + 1, top + 1):
        path, sig = changeset_path(root, seq), signature_path(root, seq)
        if not path.is_file() or not sig.is_file():
            raise ChannelError(f"Change-set {seq} is missing from {root}; the folder is damaged.")
        data = path.read_bytes()
        signing.verify(public, data, sig.read_bytes(), f"Change-set {seq}")
        doc = decompress(data, f"Change-set {seq}")
        if doc.get("channel_id") != ch.channel_id or doc.get("seq") != seq:
            raise ChannelRejected(f"Change-set {seq} in {root} does not belong there.")
        with lib.transaction() as s:
            _record_state(s, ch, seq, sha256_hex(data), doc)
        recovered.append(seq)
        log.warning("recovered change-set %s of channel %s", seq, ch.channel_id)
    return recovered


def _record_state(s: Session, ch: _Channel, seq: int, sha: str, doc: dict[str, Any]) -> None:
    """Remember what change-set `seq` published (its entries' hashes) and advance the channel."""
    rows: list[dict[str, Any]] = []

    def put(kind: str, key: str, digest: str, version: int, live: bool) -> None:
        rows.append(
            {
                "channel_id": ch.channel_id,
                "kind": kind,
                "entry_key": key,
                "payload_sha256": digest,
                "version": version,
                "live": live,
                "seq": seq,
            }
        )

    for e in doc.get("terms") or ():
        put("term", term_key(e["taxonomy"], e["name"]), entry_hash(e), 0, True)
    for e in doc.get("items") or ():
        put("item", e["key"], entry_hash(e), int(e.get("version") or 0), True)
    for e in doc.get("retired") or ():
        put("item", e["key"], "", 0, False)
    for e in doc.get("terms_removed") or ():
        put("term", term_key(e["taxonomy"], e["name"]), "", 0, False)
    if doc.get("brand"):
        put("brand", "brand", entry_hash(doc["brand"]), 0, True)
    if rows:
        stmt = sqlite_insert(PublishedEntry)
        s.execute(
            stmt.on_conflict_do_update(
                index_elements=["channel_id", "kind", "entry_key"],
                set_={
                    "payload_sha256": stmt.excluded.payload_sha256,
                    "version": stmt.excluded.version,
                    "live": stmt.excluded.live,
                    "seq": stmt.excluded.seq,
                },
            ),
            rows,
        )
    row = s.get(PublishedChannel, ch.channel_id)
    assert row is not None
    row.last_seq, row.last_sha256, row.last_published_at = seq, sha, utcnow()
    ch.last_seq, ch.last_sha256 = seq, sha


# -- writing change-sets -------------------------------------------------------------------------
class _ChangesetWriter:
    """Accumulates entries and writes a change-set when full (see module docstring)."""

    def __init__(
        self,
        lib: Library,
        root: Path,
        ch: _Channel,
        key: Ed25519PrivateKey,
        report: PublishReport,
    ) -> None:
        self.lib, self.root, self.ch, self.key, self.report = lib, root, ch, key, report
        self.blobs_done: set[str] = set()
        self._reset()

    def _reset(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.retired: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.terms_removed: list[dict[str, Any]] = []
        self.brand: dict[str, Any] | None = None
        self.size = 0

    def add_item(self, entry: dict[str, Any]) -> None:
        self.items.append(entry)
        self.size += entry_size(entry)
        if len(self.items) >= MAX_ITEMS or self.size >= MAX_BYTES:
            self.flush()

    @property
    def empty(self) -> bool:
        return not (self.items or self.retired or self.terms or self.terms_removed or self.brand)

    def flush(self) -> None:
        if self.empty:
            return
        ch = self.ch
        seq = ch.last_seq + 1
        needed: dict[str, int] = {}
        for entry in [*self.items, *([self.brand] if self.brand else [])]:
            for digest, size in entry_blobs(entry):
                if digest not in self.blobs_done:
                    needed[digest] = size
        # Blobs first (durably), so a change-set never names a blob that is not there.
        written = run_parallel(self._write_blob, list(needed.items()))
        self.blobs_done.update(needed)
        self.report.blobs_written += sum(1 for n in written if n is not None)
        self.report.bytes_written += sum(n for n in written if n is not None)
        doc = {
            "format": "frontline-changeset",
            "version": FORMAT_VERSION,
            "channel_id": ch.channel_id,
            "seq": seq,
            "prev_sha256": ch.last_sha256,
            "created_at": utcnow().isoformat(timespec="seconds"),
            "publisher": self.lib.actor,
            "terms": self.terms,
            "items": self.items,
            "retired": self.retired,
            "terms_removed": self.terms_removed,
            "brand": self.brand,
        }
        data = compress(doc)
        # Signature first: a reader that finds the change-set always finds its signature.
        atomic_write(signature_path(self.root, seq), signing.sign(self.key, data))
        atomic_write(changeset_path(self.root, seq), data)
        with self.lib.transaction() as s:
            _record_state(s, ch, seq, sha256_hex(data), doc)
            for e in self.items:
                self.lib.record(
                    s, "publish", e["key"], channel=ch.name, version=e["version"], seq=seq
                )
            for e in self.retired:
                self.lib.record(
                    s, "unpublish", e["key"], channel=ch.name, reason=e["reason"], seq=seq
                )
        r = self.report
        r.changesets.append(seq)
        r.items_published += len(self.items)
        r.items_retired += len(self.retired)
        r.terms_published += len(self.terms)
        r.terms_removed += len(self.terms_removed)
        r.brand_published = r.brand_published or self.brand is not None
        r.bytes_written += len(data)
        self._reset()

    def _write_blob(self, blob: tuple[str, int]) -> int | None:
        """Copy one blob into the channel unless it is there (None); returns the bytes written."""
        digest, size = blob
        dest = blob_path(self.root, digest)
        if dest.is_file() and dest.stat().st_size == size:
            return None  # already there; subscribers verify every blob they use anyway
        source = self.lib.store.path_for(digest)
        if not source.is_file():
            raise LibraryError(
                f"The file {digest[:12]}… is missing from this library's files/ folder; run "
                "'check'. The change-sets written so far are valid."
            )
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".blob-", suffix=".tmp", dir=dest.parent)
        h = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if h.hexdigest() != digest:
                raise LibraryError(
                    f"The file {digest[:12]}… in this library is damaged (its content no longer "
                    "matches); run 'check'. The change-sets written so far are valid."
                )
            os.replace(tmp_name, dest)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return size


# -- what changed --------------------------------------------------------------------------------
def publishable_items(audience: str, today: date) -> Any:
    """The SELECT of items a channel of `audience` carries (see the module docstring)."""
    q = (
        select(Item)
        .where(
            Item.status == Status.APPROVED.value,
            or_(Item.published_at.is_(None), Item.published_at <= today),
            or_(Item.expires_on.is_(None), Item.expires_on >= today),
            ~select(ItemOrigin.item_key).where(ItemOrigin.item_key == Item.key).exists(),
        )
        .order_by(Item.id)
    )
    if audience == "partner":
        q = q.where(Item.audience == Audience.PARTNER.value, Item.format != "battle-card")
    return q


def _publish_changes(
    lib: Library,
    writer: _ChangesetWriter,
    ch: _Channel,
    report: PublishReport,
    progress: ProgressCallback,
    cancel: Cancel | None,
    today: date,
) -> None:
    with lib.reader() as s:
        published = {
            (kind, k): (digest, live)
            for kind, k, digest, live in s.execute(
                select(
                    PublishedEntry.kind,
                    PublishedEntry.entry_key,
                    PublishedEntry.payload_sha256,
                    PublishedEntry.live,
                ).where(PublishedEntry.channel_id == ch.channel_id)
            )
        }
    query = publishable_items(ch.audience, today)
    live_keys: set[str] = set()
    term_ids: set[int] = set()
    with lib.reader() as s:
        total = int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = s.scalars(
            query.options(
                selectinload(Item.terms),
                selectinload(Item.assets),
                selectinload(Item.owner),
                selectinload(Item.case_study),
                selectinload(Item.battle_card),
            ).execution_options(yield_per=SCAN_BATCH)
        )
        for n, item in enumerate(rows):
            if n % 250 == 0:
                progress(Progress(n, total, f"Checking {item.title}"))
                if cancel is not None and cancel.requested:
                    report.cancelled = True
                    break
            live_keys.add(item.key)
            term_ids.update(t.id for t in item.terms)
            entry = item_entry(item)
            if published.get(("item", item.key)) != (entry_hash(entry), True):
                writer.add_item(entry)
            s.expunge(item)  # bounded memory: done with it (its files and sections go too)
        rows.close()
    if report.cancelled:
        # Retirements need the complete list of live items: publish them next time.
        writer.flush()
        return
    progress(Progress(total, total, "Checking retirements and taxonomies"))
    gone = [k for (kind, k), (_, live) in published.items() if kind == "item" and live]
    gone = [k for k in gone if k not in live_keys]
    writer.retired.extend(_retirements(lib, gone, today))
    with lib.reader() as s:
        terms = s.scalars(
            select(Term)
            .options(selectinload(Term.persona))
            .where(or_(Term.taxonomy.in_(SHARED_TAXONOMIES), Term.id.in_(term_ids)))
            .order_by(Term.taxonomy, Term.position, Term.name_folded)
        ).all()
        current_terms = set()
        for t in terms:
            entry = term_entry(t)
            k = term_key(t.taxonomy, t.name)
            current_terms.add(k)
            if published.get(("term", k)) != (entry_hash(entry), True):
                writer.terms.append(entry)
    for (kind, k), (_, live) in published.items():
        if kind == "term" and live and k not in current_terms:
            tax, _, folded = k.partition(":")
            writer.terms_removed.append({"taxonomy": tax, "name": folded})
    brand = _brand_entry(lib)
    if brand is not None and published.get(("brand", "brand")) != (entry_hash(brand), True):
        writer.brand = brand
    writer.flush()
    progress(Progress(total, total, "Published" if report.changesets else "Nothing to publish"))


def _retirements(lib: Library, keys: list[str], today: date) -> list[dict[str, Any]]:
    if not keys:
        return []
    with lib.reader() as s:
        rows = {
            i.key: i
            for chunk in _chunks(keys, 500)
            for i in s.scalars(select(Item).where(Item.key.in_(chunk)))
        }
        out = []
        for k in keys:
            item = rows.get(k)
            if item is None:
                reason, title = "deleted", ""
            elif item.status == Status.RETIRED:
                reason, title = "retired", item.title
            elif item.expires_on is not None and item.expires_on < today:
                reason, title = "expired", item.title
            else:
                reason, title = "unpublished", item.title
            out.append({"key": k, "title": title, "reason": reason})
        return out


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _brand_entry(lib: Library) -> dict[str, Any] | None:
    """The brand kit as an entry, when the exports feature is installed and a kit was saved."""
    try:
        from library import branding
    except ImportError:
        return None
    if not inspect(lib.engine).has_table(branding.BrandKit.__tablename__):
        return None
    with lib.reader() as s:
        row = s.get(branding.BrandKit, 1)
        if row is None:
            return None
        entry: dict[str, Any] = {f: getattr(row, f) for f in BRAND_FIELDS}
        for blob, digest, name in (
            ("logo", row.logo_sha256, row.logo_name),
            ("reference", row.reference_sha256, row.reference_name),
        ):
            path = lib.store.path_for(digest) if digest else None
            entry[blob] = (
                {"sha256": digest, "size": path.stat().st_size, "name": name}
                if digest and path is not None and path.is_file()
                else None
            )
    return entry
