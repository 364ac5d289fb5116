"""Tables of publish/subscribe (schema: migration 0003).

Publisher side (a marketer's library):
- `PublishedChannel`   a channel folder this library publishes to, and how far it got.
- `PublishedEntry`     what the last change-set said about each item / term / brand kit: the
                       SHA-256 of its canonical payload, so the next publish writes only changes.
- `InboxEvent`         back-channel events ingested from the channel's inbox; `event_id` is the
                       primary key, so an event synced or ingested twice is counted once.
- `InboxFile`          inbox files already read (so a re-ingest skips them cheaply).

Subscriber side (a rep's library):
- `Subscription`       a pinned channel: its public key, the last applied sequence number and the
                       hash of that change-set (the chain), and the back-channel cursors.
- `ItemOrigin`         which channel owns an item (the first one that published it).
- `TermOrigin`         which channel owns a taxonomy value's definition.
- `UsageEvent`         the rep's own usage events (opens, exports, searches...), written by
                       `library.sync.usage.record_usage` and sent to the inbox on `sync`.

Rep-owned rows (usage events, flags, requests, notes...) are never written by a sync.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from library.models import Base, new_key, utcnow


class PublishedChannel(Base):
    """A channel this library publishes to. The private key lives in `<library>/keys/`."""

    __tablename__ = "sync_published_channels"
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    path: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(16), default="internal")
    fingerprint: Mapped[str] = mapped_column(String(32))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_published_at: Mapped[datetime | None] = mapped_column(DateTime)


class PublishedEntry(Base):
    """The last published payload of one entry of a channel.

    `kind` is "item" (entry_key = item key), "term" ("<taxonomy>:<casefolded name>") or "brand"
    ("brand"). `live` is False once a retirement/removal was published."""

    __tablename__ = "sync_published_entries"
    channel_id: Mapped[str] = mapped_column(
        ForeignKey("sync_published_channels.channel_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=0)
    live: Mapped[bool] = mapped_column(default=True)
    seq: Mapped[int] = mapped_column(Integer)


class Subscription(Base):
    """A channel this library receives. `public_key` (base64, raw Ed25519) is pinned at
    subscribe time; a channel folder presenting another key is refused."""

    __tablename__ = "sync_subscriptions"
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    path: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(32))
    applied_seq: Mapped[int] = mapped_column(Integer, default=0)
    applied_sha256: Mapped[str] = mapped_column(String(64), default="")
    subscribed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Back-channel: highest local row id already written to this channel's inbox, per source
    # ("usage", "flag", "request"); and the number of the last inbox file written.
    outbox_cursors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inbox_file_seq: Mapped[int] = mapped_column(Integer, default=0)


class ItemOrigin(Base):
    """The channel an item belongs to. Only that channel's change-sets may change the item."""

    __tablename__ = "sync_item_origins"
    item_key: Mapped[str] = mapped_column(
        ForeignKey("items.key", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TermOrigin(Base):
    """The channel whose definition (description, persona profile, position) a term follows."""

    __tablename__ = "sync_term_origins"
    term_id: Mapped[int] = mapped_column(
        ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(36), index=True)


class UsageEvent(Base):
    """One thing a person did with the library (open, preview, export, share, search).

    `results` is the hit count of a search (0 = a search that found nothing). Append-only."""

    __tablename__ = "usage_events"
    __table_args__ = (Index("ix_usage_events_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_key)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(32))
    item_key: Mapped[str | None] = mapped_column(String(36), index=True)
    query: Mapped[str | None] = mapped_column(Text)
    results: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class InboxEvent(Base):
    """A back-channel event received from a subscriber (usage, flag or request).

    Primary key = the event id the subscriber generated: ingesting the same event again (the
    file was synced twice, re-written after a crash, or the inbox re-read) inserts nothing."""

    __tablename__ = "sync_inbox_events"
    __table_args__ = (Index("ix_sync_inbox_events_type_kind", "type", "kind"),)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(64))  # the subscriber's library id (folder name)
    type: Mapped[str] = mapped_column(String(16))  # usage | flag | request
    kind: Mapped[str] = mapped_column(String(32), default="")
    at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    item_key: Mapped[str | None] = mapped_column(String(36), index=True)
    query: Mapped[str | None] = mapped_column(Text)
    results: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InboxFile(Base):
    """An inbox file already ingested, with the size it had then (a changed size re-reads it)."""

    __tablename__ = "sync_inbox_files"
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rel_path: Mapped[str] = mapped_column(String(300), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
