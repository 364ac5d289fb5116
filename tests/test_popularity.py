"""Popularity: uses per item from usage events, exports in the activity log and usage
received from reps through a channel inbox, within a time window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from library import popularity as pop
from library.core import Library
from library.errors import InvalidInput
from library.importer import create_item
from library.models import Activity, utcnow
from library.sync.models import InboxEvent, UsageEvent
from library.sync.usage import record_usage


def _items(lib: Library, n: int) -> list[str]:
    keys = []
    with lib.transaction() as s:
        for i in range(n):
            item, _ = create_item(
                lib, s, {"title": f"Item {i}", "format": "data-sheet"}, {}, {}, []
            )
            keys.append(item.key)
    return keys


def test_popularity_counts_opens_exports_and_the_fields_usage(lib: Library) -> None:
    """GIVEN opens, previews, shares, an export, searches and reps' usage from the inbox WHEN
    popularity is asked THEN each use counts once, searches and flags do not count."""
    a, b, c = _items(lib, 3)
    record_usage(lib, "open", a)
    record_usage(lib, "preview", a)
    record_usage(lib, "share", b)
    record_usage(lib, "search", query="pricing", results=3)
    with lib.transaction() as s:
        lib.record(s, "export", b, version=1, title="Item 1")
        lib.record(s, "edit", c)  # not a use
        for i, (kind, type_) in enumerate(
            [("open", "usage"), ("export", "usage"), ("outdated", "flag"), ("search", "usage")]
        ):
            s.add(
                InboxEvent(
                    event_id=f"e{i}",
                    channel_id="ch",
                    source="rep-lib",
                    type=type_,
                    kind=kind,
                    at=utcnow(),
                    item_key=a,
                )
            )
    assert pop.popularity(lib) == {a: 4, b: 2}
    assert pop.popularity(lib, [c, a, b]) == {c: 0, a: 4, b: 2}
    assert pop.by_popularity([c, b, a], pop.popularity(lib, [c, b, a])) == [a, b, c]


def test_old_uses_fall_out_of_the_window(lib: Library) -> None:
    (a, b) = _items(lib, 2)
    old = utcnow() - timedelta(days=200)
    with lib.transaction() as s:
        s.add(UsageEvent(kind="open", item_key=a, at=old))
        s.add(UsageEvent(kind="open", item_key=a, at=old))
        s.add(Activity(action="export", item_key=a, at=old))
        s.add(
            InboxEvent(
                event_id="x",
                channel_id="c",
                source="r",
                type="usage",
                kind="open",
                at=None,
                ingested_at=old,
                item_key=a,
            )
        )
    record_usage(lib, "open", b)
    assert pop.popularity(lib, [a, b], days=90) == {a: 0, b: 1}
    assert pop.popularity(lib, [a, b], days=None) == {a: 4, b: 1}
    assert pop.popularity(lib, [a, b], days=0) == {a: 4, b: 1}
    assert pop.popularity(lib, [a, b], days=365) == {a: 4, b: 1}
    with pytest.raises(InvalidInput, match="days"):
        pop.popularity(lib, days=-1)


def test_many_keys_are_counted_without_one_query_per_key(lib: Library) -> None:
    """GIVEN more keys than fit an IN list WHEN counted THEN the grouped query is filtered to
    them (unknown keys get 0), ties keep their order."""
    keys = [f"k{i:05d}" for i in range(3000)]
    with lib.transaction() as s:
        for i in range(0, 3000, 7):
            s.add(UsageEvent(kind="open", item_key=keys[i], at=utcnow()))
        s.add(UsageEvent(kind="open", item_key="not-asked", at=utcnow()))
    counts = pop.popularity(lib, keys)
    assert len(counts) == 3000 and sum(counts.values()) == len(range(0, 3000, 7))
    assert "not-asked" not in counts
    ordered = pop.by_popularity(keys, counts)
    assert ordered[:3] == [keys[0], keys[7], keys[14]] and ordered[-1] == keys[-1]
    assert pop.popularity(lib, []) == {}
