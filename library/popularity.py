"""Popularity: how much the field uses each item (Qt-free; the desktop app sorts by it).

    popularity(lib)                       -> {item key: uses in the last 90 days} (used items only)
    popularity(lib, keys, days=None)      -> {key: uses, all time} for every key in `keys`

What counts as one use:
- a usage event recorded in this library (`library.sync.usage`): an item opened, previewed,
  shared (summary copied) or exported;
- an export written by this library (an "export" row of the activity log: one per item in a
  leave-behind or pack);
- on a publisher's library, the same usage events received from reps through a channel's inbox
  (`InboxEvent` of type "usage"), so marketing sorts by what the whole field uses.
Searches, flags and requests are not uses of an item. Each source is one grouped SQL query, so
the counts of 50,000 items cost a few table scans, never a row per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from library.core import Library
from library.errors import InvalidInput
from library.models import Activity, utcnow
from library.sync.models import InboxEvent, UsageEvent

DEFAULT_DAYS = 90
USE_KINDS = ("open", "preview", "share", "export")  # usage events that are a use of an item
USE_ACTIONS = ("export",)  # activity-log actions that are a use of an item
_IN_LIMIT = 500  # up to this many keys: WHERE item_key IN (...); above: group everything


def popularity(
    lib: Library,
    keys: Sequence[str] | None = None,
    days: int | None = DEFAULT_DAYS,
    *,
    now: datetime | None = None,
) -> dict[str, int]:
    """Uses per item key within the last `days` days (None or 0: all time).

    With `keys`, every given key is in the answer (0 when nobody used it); without, only items
    used at least once. Raises InvalidInput for a negative number of days."""
    if days is not None and (not isinstance(days, int) or days < 0):
        raise InvalidInput("days must be a whole number of days (0 or more; 0 = all time).")
    since = (now or utcnow()) - timedelta(days=days) if days else None
    wanted = list(dict.fromkeys(keys)) if keys is not None else None
    counts: dict[str, int] = {}
    with lib.reader() as s:
        for chunk in _chunks(wanted):
            for stmt in _queries(since, by_key=chunk is not None):
                q = stmt if chunk is None else stmt.where(stmt.selected_columns[0].in_(chunk))
                for key, n in s.execute(q).all():
                    if key:
                        counts[key] = counts.get(key, 0) + int(n)
    if wanted is None:
        return counts
    return {k: counts.get(k, 0) for k in wanted}


def _queries(since: datetime | None, *, by_key: bool) -> list[Any]:
    """One grouped count per source. `by_key` (a short IN list of keys follows): wrap the other
    filter columns so SQLite looks the keys up in the item_key index instead of scanning every
    event of the window through the kind/action index (3 ms instead of 150 ms for 300 keys
    among 200,000 events)."""

    def col(c: Any) -> Any:
        return func.coalesce(c, "") if by_key else c

    usage = (
        select(UsageEvent.item_key, func.count())
        .where(col(UsageEvent.kind).in_(USE_KINDS), UsageEvent.item_key.is_not(None))
        .group_by(UsageEvent.item_key)
    )
    exports = (
        select(Activity.item_key, func.count())
        .where(col(Activity.action).in_(USE_ACTIONS), Activity.item_key.is_not(None))
        .group_by(Activity.item_key)
    )
    inbox = (
        select(InboxEvent.item_key, func.count())
        .where(
            col(InboxEvent.type) == "usage",
            col(InboxEvent.kind).in_(USE_KINDS),
            InboxEvent.item_key.is_not(None),
        )
        .group_by(InboxEvent.item_key)
    )
    if since is not None:
        usage = usage.where(col(UsageEvent.at) >= since)
        exports = exports.where(col(Activity.at) >= since)
        inbox = inbox.where(func.coalesce(InboxEvent.at, InboxEvent.ingested_at) >= since)
    return [usage, exports, inbox]


def _chunks(keys: list[str] | None) -> Iterable[list[str] | None]:
    """None (= no key filter: group everything) for many keys, else IN-lists SQLite accepts."""
    if keys is None or len(keys) > _IN_LIMIT:
        yield None
        return
    if keys:
        yield keys


def by_popularity(keys: Sequence[str], counts: dict[str, int]) -> list[str]:
    """`keys` (in relevance order) reordered most used first; ties keep their relevance order."""
    return sorted(keys, key=lambda k: -counts.get(k, 0))


__all__ = ["DEFAULT_DAYS", "USE_ACTIONS", "USE_KINDS", "by_popularity", "popularity"]
