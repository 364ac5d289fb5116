"""Plain values returned by publish, subscribe, sync and inbox (CLI JSON, UI). No ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class InboxReport:
    """What an inbox ingest found. `events_new` counts events seen for the first time; events
    already ingested (the same file synced twice, a re-written file) are `events_duplicate`."""

    files_read: int = 0
    events_new: int = 0
    events_duplicate: int = 0
    lines_refused: int = 0
    by_type: dict[str, int] = field(default_factory=dict)  # new events: usage / flag / request
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PublishReport:
    channel_id: str
    channel_path: str
    name: str
    fingerprint: str
    created: bool = False
    changesets: list[int] = field(default_factory=list)  # sequence numbers written
    items_published: int = 0
    items_retired: int = 0
    terms_published: int = 0
    terms_removed: int = 0
    brand_published: bool = False
    blobs_written: int = 0
    bytes_written: int = 0
    recovered: list[int] = field(default_factory=list)  # written by an interrupted publish
    inbox: InboxReport | None = None
    cancelled: bool = False
    seconds: float = 0.0


@dataclass(slots=True)
class SubscribeResult:
    channel_id: str
    name: str
    path: str
    fingerprint: str
    pinned_on_first_use: bool  # no --fingerprint given: the rep should compare it
    already_subscribed: bool = False


@dataclass(slots=True)
class ChannelSyncResult:
    """One channel's part of a sync.

    `error` is a sentence when the channel could not be synced; `rejected` marks a verification
    failure (tampered, truncated or foreign data: nothing of it was applied). `waiting` says the
    folder is still incomplete (a cloud client is still copying): not an error, try later."""

    channel_id: str
    name: str
    path: str
    applied: list[int] = field(default_factory=list)
    applied_seq: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_retired: int = 0
    terms_changed: int = 0
    brand_changed: bool = False
    blobs_copied: int = 0
    blobs_present: int = 0
    bytes_copied: int = 0
    check_seconds: float = 0.0  # verifying signatures, decoding and checking change-sets
    copy_seconds: float = 0.0  # copying and verifying files into the store (wall clock)
    apply_seconds: float = 0.0  # the database transactions
    conflicts: list[str] = field(default_factory=list)
    events_sent: int = 0
    waiting: str = ""
    error: str = ""
    rejected: bool = False
    cancelled: bool = False


@dataclass(slots=True)
class SyncReport:
    channels: list[ChannelSyncResult] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def rejected(self) -> bool:
        return any(c.rejected for c in self.channels)

    @property
    def ok(self) -> bool:
        return not any(c.error for c in self.channels)


@dataclass(slots=True)
class ChannelStatus:
    """A channel as `channels` lists it: `role` is "publisher" or "subscriber"."""

    role: str
    channel_id: str
    name: str
    path: str
    fingerprint: str
    seq: int  # last written (publisher) or applied (subscriber)
    reachable: bool
    available_seq: int | None  # highest change-set in the folder (None: unreachable)
    items: int  # items this library holds from / published to the channel
    last_at: datetime | None
    last_error: str = ""


@dataclass(slots=True)
class WhatsNewEntry:
    """A change a sync brought in, for the UI's What's new (from the activity log)."""

    at: datetime
    item_key: str
    title: str
    change: str  # new | updated | retired
    version: int | None
    change_note: str
    channel: str
