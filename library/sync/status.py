"""Listing the channels a library publishes to and subscribes to, with their state."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from library.core import Library
from library.sync.channel import changeset_seqs
from library.sync.models import ItemOrigin, PublishedChannel, PublishedEntry, Subscription
from library.sync.reports import ChannelStatus


def list_channels(lib: Library) -> list[ChannelStatus]:
    """Published channels first, then subscriptions. Reading a channel folder that is not
    reachable is not an error: `reachable` is False and `available_seq` None."""
    out: list[ChannelStatus] = []
    with lib.reader() as s:
        published_counts = dict(
            s.execute(
                select(PublishedEntry.channel_id, func.count())
                .where(PublishedEntry.kind == "item", PublishedEntry.live.is_(True))
                .group_by(PublishedEntry.channel_id)
            ).all()
        )
        for p in s.scalars(select(PublishedChannel).order_by(PublishedChannel.created_at)):
            out.append(
                ChannelStatus(
                    role="publisher",
                    channel_id=p.channel_id,
                    name=p.name,
                    path=p.path,
                    fingerprint=p.fingerprint,
                    seq=p.last_seq,
                    reachable=False,
                    available_seq=None,
                    items=int(published_counts.get(p.channel_id, 0)),
                    last_at=p.last_published_at,
                )
            )
        held = dict(
            s.execute(
                select(ItemOrigin.channel_id, func.count()).group_by(ItemOrigin.channel_id)
            ).all()
        )
        for sub in s.scalars(select(Subscription).order_by(Subscription.subscribed_at)):
            out.append(
                ChannelStatus(
                    role="subscriber",
                    channel_id=sub.channel_id,
                    name=sub.name,
                    path=sub.path,
                    fingerprint=sub.fingerprint,
                    seq=sub.applied_seq,
                    reachable=False,
                    available_seq=None,
                    items=int(held.get(sub.channel_id, 0)),
                    last_at=sub.last_sync_at,
                    last_error=sub.last_error,
                )
            )
    for c in out:
        root = Path(c.path)
        try:
            if root.is_dir():
                seqs = changeset_seqs(root)
                c.reachable, c.available_seq = True, (seqs[-1] if seqs else 0)
        except OSError:
            pass
    return out
