"""Publish/subscribe through any shared folder: no server, signed change-sets, verified blobs.

A marketer's library *publishes* approved content to a channel folder (a network share, a
OneDrive/Dropbox/SharePoint folder, a USB stick); reps' libraries *subscribe* to it and *sync*.
The folder is the only transport; nothing in it is trusted without its signature or hash.

Channel folder layout (format version 1)::

    channel.json                      {"format": "frontline-channel", "version": 1,
                                       "channel_id", "name", "audience", "created_at",
                                       "public_key": base64 raw Ed25519 key, "fingerprint"}
    changesets/00000001.json.gz       change-set 1: gzipped canonical JSON (see below)
    changesets/00000001.json.gz.sig   detached signature: {"alg": "ed25519", "fingerprint",
                                       "sha256", "signature": base64 Ed25519 over the exact
                                       bytes of the .json.gz file}
    blobs/ab/ab12…(64 hex)            a file of an item or of the brand kit, named by the
                                       SHA-256 of its content (verified by every subscriber)
    inbox/<library id>/00000001.jsonl back-channel: one file per sync of one rep's library,
                                       JSON lines of usage events, flags, requests (each line
                                       has an event id: the publisher counts it once)

A change-set is {"format": "frontline-changeset", "version": 1, "channel_id", "seq",
"prev_sha256" (SHA-256 of the previous change-set file; "" for seq 1: a hash chain),
"created_at", "publisher", "terms": [...], "items": [...], "retired": [...],
"terms_removed": [...], "brand": {...} | null}. Items carry full metadata, taxonomy names,
case-study/battle-card sections, version and change note, and their files' references with the
extracted text (so subscribers never re-extract). See `library.sync.payload` for every field.

Trust: the public key is pinned when a rep subscribes (`--fingerprint FP` checks it against the
fingerprint the marketer's `publish` printed; without it the key is pinned on first use and the
fingerprint is shown to compare). The private key stays in the publisher's library
(`keys/channel-<id>.pem`, mode 0600), never in the channel. A change-set whose signature, chain
position or content does not check out, or a blob whose SHA-256 does not match, is rejected with
a sentence and nothing of it is applied.

Ownership: every item belongs to the channel that first published it; other channels cannot
change it, and a channel never touches items created in the subscriber's library, so several
subscribed channels cannot conflict (see `library.sync.subscriber`).

Back-channel: usage events (`record_usage`) always travel; governance's flags and content
requests (`library.feedback`) travel when that module is present: `inbox.load_feature_hooks`
registers its `outbox` as a source and its idempotent `receive` as the handler that puts them
in the marketers' queue, through `register_outbox_source` / `register_inbox_handler`, so sync
does not depend on governance internals.

Modules: `channel` (folder format, atomic writes), `signing` (keys, fingerprints, signatures),
`payload` (entries: build and check), `publisher`, `subscriber`, `inbox` (back-channel),
`usage` (`record_usage`), `status` (`list_channels`), `models` (tables), `reports` (plain result
values), `testing` (fast item generation for tests and the benchmark; not used by the app).
CLI: `library.cli_sync` (publish, subscribe, sync, channels, inbox).

Public API (Qt-free; long operations take a progress callback and a Cancel token)::

    publish(lib, channel_path, progress, cancel) -> PublishReport
    subscribe(lib, channel_path, fingerprint=None) -> SubscribeResult
    unsubscribe(lib, channel id | name | path) -> SubscribeResult (items stay, read-only)
    sync_all(lib, progress, cancel) -> SyncReport
    ingest_inbox(lib) -> InboxReport
    record_usage(lib, kind, item_key=None, query=None, results=None) -> event id
    list_channels(lib) -> list[ChannelStatus];  whats_new(lib) -> list[WhatsNewEntry]

This package's `__init__` imports nothing at load time: `library.models` imports
`library.sync.models` and must not pull the services in with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from library.sync.inbox import field_signals, ingest_inbox
    from library.sync.publisher import publish
    from library.sync.status import list_channels
    from library.sync.subscriber import (
        read_only_reason,
        subscribe,
        sync_all,
        sync_channel,
        unsubscribe,
        whats_new,
    )
    from library.sync.usage import record_usage

_LAZY = {
    "publish": "library.sync.publisher",
    "subscribe": "library.sync.subscriber",
    "sync_all": "library.sync.subscriber",
    "sync_channel": "library.sync.subscriber",
    "unsubscribe": "library.sync.subscriber",
    "whats_new": "library.sync.subscriber",
    "read_only_reason": "library.sync.subscriber",
    "ingest_inbox": "library.sync.inbox",
    "field_signals": "library.sync.inbox",
    "record_usage": "library.sync.usage",
    "list_channels": "library.sync.status",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'library.sync' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "field_signals",
    "ingest_inbox",
    "list_channels",
    "publish",
    "read_only_reason",
    "record_usage",
    "subscribe",
    "sync_all",
    "sync_channel",
    "unsubscribe",
    "whats_new",
]
