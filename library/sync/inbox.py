"""The back-channel: reps' events written to the channel's inbox, ingested by the publisher.

Subscriber side (`send_events`, called by every sync): events recorded since the last send are
written as ONE new file `inbox/<library id>/<NNNNNNNN>.jsonl` (temp file + rename, so a reader
never sees half of it); then the per-channel cursors advance in a transaction. A crash between
the two re-sends the same events in the next file: harmless, the publisher counts event ids.
Per rep the folder only grows (append-only); nobody else writes there.

Line format (one JSON object per line)::

    {"v": 1, "type": "usage" | "flag" | "request", "event_id": "<uuid>", "at": "<ISO>",
     "actor": "...", "kind": "open|preview|export|share|search|<flag reason>|...",
     "item_key": "..." | null, "query": "..." | null, "results": 0 | null, "detail": {...}}

Which events go where: an event about an item goes to the channel that owns the item (events
about the rep's own items stay local); an event naming no item (a search, a content request)
goes to every subscribed channel.

Sources: usage events are built in. Other features add theirs with `register_outbox_source`
(governance: flags and content requests), and act on ingested ones with
`register_inbox_handler` (e.g. put a flag in the marketers' queue).

Publisher side (`ingest_inbox`): every `.jsonl` file not yet read (or whose size changed) is
parsed; each valid line is inserted into `sync_inbox_events` unless its event id is already
there (primary key), in one transaction per file. Lines are untrusted input: sizes are capped,
every field is checked, bad lines are counted and skipped, never fatal.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from library.core import Library
from library.models import Item
from library.progress import Progress, ProgressCallback, no_progress
from library.sync.channel import INBOX, atomic_write, canonical_json
from library.sync.models import (
    InboxEvent,
    InboxFile,
    ItemOrigin,
    PublishedChannel,
    Subscription,
    UsageEvent,
)
from library.sync.reports import InboxReport

log = logging.getLogger(__name__)

EVENT_TYPES = ("usage", "flag", "request")
BATCH = 5000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_BYTES = 64 * 1024
MAX_DETAIL_BYTES = 16 * 1024  # a flag's or request's text travels in `detail`
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_INBOX_FILE = re.compile(r"^\d{1,12}\.jsonl$")


@dataclass(slots=True)
class OutboundEvent:
    """One event to send. `row_id` orders a source's events (the send cursor)."""

    row_id: int
    event_id: str
    type: str
    kind: str
    at: datetime | None
    actor: str = ""
    item_key: str | None = None
    query: str | None = None
    results: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


# (session, after_row_id, limit) -> events with row_id > after_row_id, ascending
OutboxSource = Callable[[Session, int, int], list[OutboundEvent]]
# (session, event) -> None; called once per newly ingested event of that type
InboxHandler = Callable[[Session, InboxEvent], None]

OUTBOX_SOURCES: dict[str, OutboxSource] = {}
INBOX_HANDLERS: dict[str, list[InboxHandler]] = {}


def register_outbox_source(name: str, fetch: OutboxSource) -> None:
    """Add a source of rep events (e.g. governance's flags). `name` keys the send cursor."""
    OUTBOX_SOURCES[name] = fetch


def register_inbox_handler(event_type: str, handler: InboxHandler) -> None:
    """Call `handler` inside the ingest transaction for each new event of `event_type`."""
    handlers = INBOX_HANDLERS.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def _usage_source(session: Session, after: int, limit: int) -> list[OutboundEvent]:
    rows = session.scalars(
        select(UsageEvent).where(UsageEvent.id > after).order_by(UsageEvent.id).limit(limit)
    )
    return [
        OutboundEvent(
            row_id=u.id,
            event_id=u.event_id,
            type="usage",
            kind=u.kind,
            at=u.at,
            actor=u.actor,
            item_key=u.item_key,
            query=u.query,
            results=u.results,
            detail=dict(u.detail or {}),
        )
        for u in rows
    ]


register_outbox_source("usage", _usage_source)


# -- governance's flags and content requests (optional: wired when library.feedback exists) ------
_FEATURES_LOADED = False


def load_feature_hooks() -> None:
    """Register the sources/handlers of optional features (governance's feedback: flags and
    content requests). Without that feature, only usage events travel. Called by `send_events`
    and `ingest_inbox`; idempotent."""
    global _FEATURES_LOADED
    if _FEATURES_LOADED:
        return
    _FEATURES_LOADED = True
    try:
        from library import feedback
    except ImportError:
        return
    if not (hasattr(feedback, "outbox") and hasattr(feedback, "receive")):
        return
    register_outbox_source("feedback", _feedback_source)
    register_inbox_handler("flag", _receive_feedback)
    register_inbox_handler("request", _receive_feedback)


def _feedback_source(session: Session, after: int, limit: int) -> list[OutboundEvent]:
    """The rep's own flags and requests (`feedback.outbox`: origin "local" only, so feedback
    received from elsewhere never bounces back)."""
    from library import feedback

    return [
        OutboundEvent(
            row_id=f.id,
            event_id=f.feedback_key,
            type=f.kind,
            kind=(f.category or "other") if f.kind == "flag" else "request",
            at=f.created_at,
            actor=f.created_by,
            item_key=f.item_key if f.kind == "flag" else None,
            query=f.query or None,
            detail={"text": f.text},
        )
        for f in feedback.outbox(session, after, limit)
        if f.kind in ("flag", "request")
    ]


def _receive_feedback(session: Session, ev: InboxEvent) -> None:
    """Put a received flag or request in the marketers' queue (once: `receive` is idempotent)."""
    from library import feedback
    from library.errors import LibraryError

    text = (ev.detail or {}).get("text", "")
    try:
        # `receive` checks every value before it adds its row: a refusal leaves nothing behind.
        feedback.receive(
            session,
            feedback_key=ev.event_id,
            kind=ev.type,
            category=ev.kind if ev.type == "flag" else "",
            item_key=ev.item_key,
            text=text if isinstance(text, str) else "",
            query=ev.query or "",
            created_by=ev.actor,
            created_at=ev.at,
            origin=ev.channel_id,
        )
    except LibraryError as e:  # a value that makes no sense: the event is kept, not queued
        log.info("inbox event %s not queued: %s", ev.event_id, e)


# -- subscriber: send ----------------------------------------------------------------------------
def send_events(lib: Library, channel_id: str, root: Path) -> int:
    """Write this library's unsent events for `channel_id` to its inbox; returns how many."""
    load_feature_hooks()
    library_id = lib.meta("library_id") or "unknown"
    with lib.reader() as s:
        sub = s.get(Subscription, channel_id)
        if sub is None:
            return 0
        cursors = {k: int(v) for k, v in (sub.outbox_cursors or {}).items()}
        file_seq = sub.inbox_file_seq
        owned = set(
            s.scalars(select(ItemOrigin.item_key).where(ItemOrigin.channel_id == channel_id))
        )
        lines: list[bytes] = []
        new_cursors = dict(cursors)
        for name, fetch in OUTBOX_SOURCES.items():
            after = cursors.get(name, 0)
            while True:
                batch = fetch(s, after, BATCH)
                if not batch:
                    break
                for ev in batch:
                    if ev.item_key is None or ev.item_key in owned:
                        lines.append(_line(ev))
                after = batch[-1].row_id
                if len(batch) < BATCH:
                    break
            new_cursors[name] = after
    if not lines and new_cursors == cursors:
        return 0
    if lines:
        folder = root / INBOX / library_id
        folder.mkdir(parents=True, exist_ok=True)
        existing = [
            int(p.name.split(".")[0]) for p in folder.iterdir() if _INBOX_FILE.match(p.name)
        ]
        # Never overwrite a file (the DB may be an older backup than the inbox).
        file_seq = max([file_seq, *existing]) + 1
        atomic_write(folder / f"{file_seq:08d}.jsonl", b"".join(lines))
    with lib.transaction() as s:
        row = s.get(Subscription, channel_id)
        if row is not None:
            row.outbox_cursors = new_cursors
            row.inbox_file_seq = file_seq
    return len(lines)


def _line(ev: OutboundEvent) -> bytes:
    doc = {
        "v": 1,
        "type": ev.type,
        "event_id": ev.event_id,
        "at": ev.at.isoformat(timespec="seconds") if ev.at else None,
        "actor": ev.actor,
        "kind": ev.kind,
        "item_key": ev.item_key,
        "query": ev.query,
        "results": ev.results,
        "detail": ev.detail,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# -- publisher: ingest ---------------------------------------------------------------------------
def ingest_inbox(
    lib: Library,
    channel_ids: list[str] | None = None,
    progress: ProgressCallback = no_progress,
) -> InboxReport:
    """Ingest the inboxes of the channels this library publishes (all, or `channel_ids`).

    Idempotent: running it again, or after files were re-synced or re-written, adds nothing
    that was already counted. Unreachable channel folders are reported in `problems`."""
    load_feature_hooks()
    report = InboxReport()
    with lib.reader() as s:
        q = select(PublishedChannel.channel_id, PublishedChannel.path, PublishedChannel.name)
        if channel_ids is not None:
            q = q.where(PublishedChannel.channel_id.in_(channel_ids))
        channels = s.execute(q).all()
        seen = {
            (c, p): size
            for c, p, size in s.execute(
                select(InboxFile.channel_id, InboxFile.rel_path, InboxFile.size)
            )
        }
    for n, (channel_id, path, name) in enumerate(channels):
        progress(Progress(n, len(channels), f"Reading the inbox of {name}"))
        inbox = Path(path) / INBOX
        if not inbox.is_dir():
            if not Path(path).is_dir():
                report.problems.append(f"The channel folder {path} is not reachable.")
            continue
        for user_dir in sorted(inbox.iterdir()):
            if not user_dir.is_dir() or not _SAFE_NAME.match(user_dir.name):
                continue
            for f in sorted(user_dir.iterdir()):
                if not _INBOX_FILE.match(f.name) or not f.is_file():
                    continue
                rel = f"{user_dir.name}/{f.name}"
                size = f.stat().st_size
                if seen.get((channel_id, rel)) == size:
                    continue
                _ingest_file(lib, channel_id, user_dir.name, f, rel, size, report)
    progress(Progress(len(channels), len(channels), "Inbox read"))
    return report


def _ingest_file(
    lib: Library,
    channel_id: str,
    source: str,
    path: Path,
    rel: str,
    size: int,
    report: InboxReport,
) -> None:
    if size > MAX_FILE_BYTES:
        report.problems.append(f"Inbox file {rel} is larger than 64 MB; skipped.")
        return
    try:
        raw = path.read_bytes()
    except OSError as e:
        report.problems.append(f"Inbox file {rel} cannot be read: {e.strerror or e}.")
        return
    events: dict[str, dict[str, Any]] = {}
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        ev = _parse_line(line, channel_id, source)
        if ev is None:
            report.lines_refused += 1
        else:
            events.setdefault(ev["event_id"], ev)
    report.files_read += 1
    ids = list(events)
    with lib.transaction() as s:
        known: set[str] = set()
        for i in range(0, len(ids), 500):
            known.update(
                s.scalars(
                    select(InboxEvent.event_id).where(InboxEvent.event_id.in_(ids[i : i + 500]))
                )
            )
        fresh = [events[i] for i in ids if i not in known]
        if fresh:
            s.execute(sqlite_insert(InboxEvent).on_conflict_do_nothing(), fresh)
        for ev in fresh:
            report.by_type[ev["type"]] = report.by_type.get(ev["type"], 0) + 1
            for handler in INBOX_HANDLERS.get(ev["type"], ()):
                row = s.get(InboxEvent, ev["event_id"])
                if row is not None:
                    handler(s, row)
        s.merge(InboxFile(channel_id=channel_id, rel_path=rel, size=size, events=len(events)))
    report.events_new += len(fresh)
    report.events_duplicate += len(ids) - len(fresh)


def _parse_line(line: bytes, channel_id: str, source: str) -> dict[str, Any] | None:
    """A checked InboxEvent row from one untrusted line, or None."""
    if len(line) > MAX_LINE_BYTES:
        return None
    try:
        d = json.loads(line)
    except ValueError:
        return None
    if not isinstance(d, dict):
        return None
    event_id, etype, kind = d.get("event_id"), d.get("type"), d.get("kind", "")
    if not (isinstance(event_id, str) and _SAFE_NAME.match(event_id)):
        return None
    if etype not in EVENT_TYPES or not isinstance(kind, str) or len(kind) > 32:
        return None
    item_key, query, results = d.get("item_key"), d.get("query"), d.get("results")
    if item_key is not None and not (isinstance(item_key, str) and len(item_key) <= 36):
        return None
    if query is not None and not isinstance(query, str):
        return None
    if results is not None and not (
        isinstance(results, int) and not isinstance(results, bool) and results >= 0
    ):
        return None
    at = None
    if isinstance(d.get("at"), str):
        try:
            at = datetime.fromisoformat(d["at"]).replace(tzinfo=None)
        except ValueError:
            return None
    detail = d.get("detail") or {}
    if not isinstance(detail, dict) or len(canonical_json(detail)) > MAX_DETAIL_BYTES:
        detail = {}
    actor = d.get("actor") or ""
    return {
        "event_id": event_id,
        "channel_id": channel_id,
        "source": source,
        "type": etype,
        "kind": kind,
        "at": at,
        "actor": str(actor)[:200],
        "item_key": item_key,
        "query": query[:500] if query is not None else None,
        "results": results,
        "detail": detail,
    }


# -- publisher: what the field says --------------------------------------------------------------
@dataclass(slots=True)
class FieldSignals:
    """Counts over ingested events, for the marketer's analytics."""

    totals: dict[str, int]  # "usage:open" -> n, "flag:outdated" -> n, ...
    top_items: list[tuple[str, str, int]]  # (item key, title, opens + previews + exports + shares)
    zero_result_searches: list[tuple[str, int]]  # (query, times)
    recent_feedback: list[dict[str, Any]]  # latest flags and requests


def field_signals(lib: Library, limit: int = 20) -> FieldSignals:
    """What reps did, searched for without result, flagged and requested (ingested events)."""
    with lib.reader() as s:
        totals = {
            f"{t}:{k}": int(n)
            for t, k, n in s.execute(
                select(InboxEvent.type, InboxEvent.kind, func.count())
                .group_by(InboxEvent.type, InboxEvent.kind)
                .order_by(InboxEvent.type, InboxEvent.kind)
            )
        }
        top = s.execute(
            select(InboxEvent.item_key, func.coalesce(Item.title, ""), func.count())
            .outerjoin(Item, Item.key == InboxEvent.item_key)
            .where(InboxEvent.type == "usage", InboxEvent.item_key.is_not(None))
            .group_by(InboxEvent.item_key)
            .order_by(func.count().desc())
            .limit(limit)
        )
        zero = s.execute(
            select(func.lower(InboxEvent.query), func.count())
            .where(InboxEvent.kind == "search", InboxEvent.results == 0)
            .group_by(func.lower(InboxEvent.query))
            .order_by(func.count().desc())
            .limit(limit)
        )
        feedback = s.scalars(
            select(InboxEvent)
            .where(InboxEvent.type.in_(("flag", "request")))
            .order_by(InboxEvent.at.desc())
            .limit(limit)
        )
        return FieldSignals(
            totals=totals,
            top_items=[(k or "", t, int(n)) for k, t, n in top],
            zero_result_searches=[(q or "", int(n)) for q, n in zero],
            recent_feedback=[
                {
                    "type": e.type,
                    "kind": e.kind,
                    "at": e.at,
                    "actor": e.actor,
                    "item_key": e.item_key,
                    "query": e.query,
                    "detail": e.detail,
                }
                for e in feedback
            ],
        )
