"""Trust badges (library.badges): pure rules, no Qt, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from library.badges import Badge, BadgeRules, badges, is_shareable_now

TODAY = date(2026, 6, 15)
LAST_SEEN = datetime(2026, 6, 10, 9, 0)


@dataclass
class Fake:
    audience: str = "customer"
    updated_at: datetime = datetime(2026, 1, 1)
    published_at: date | None = date(2026, 1, 1)
    expires_on: date | None = None
    verify_by: date | None = None


def test_plain_current_item_has_no_badges() -> None:
    assert badges(Fake(), today=TODAY, last_seen=LAST_SEEN) == []


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (date(2026, 6, 14), [Badge.EXPIRED]),
        (date(2026, 6, 15), [Badge.EXPIRES_SOON]),  # still valid on its expiry day
        (date(2026, 7, 15), [Badge.EXPIRES_SOON]),
        (date(2026, 7, 16), []),
    ],
)
def test_expiry(expires: date, expected: list[Badge]) -> None:
    assert badges(Fake(expires_on=expires), today=TODAY, last_seen=LAST_SEEN) == expected


def test_unverified_and_internal() -> None:
    item = Fake(audience="internal", verify_by=date(2026, 6, 1))
    assert badges(item, today=TODAY, last_seen=LAST_SEEN) == [
        Badge.UNVERIFIED,
        Badge.INTERNAL_ONLY,
    ]
    assert badges(Fake(verify_by=TODAY), today=TODAY, last_seen=LAST_SEEN) == []


def test_new_since_last_seen() -> None:
    item = Fake(published_at=date(2026, 6, 12), updated_at=datetime(2026, 6, 12, 8))
    assert badges(item, today=TODAY, last_seen=LAST_SEEN) == [Badge.NEW]


def test_published_on_the_day_of_the_last_look() -> None:
    """GIVEN an item published on the day the user last looked
    THEN it is new only when it was touched after that look."""
    before = Fake(published_at=LAST_SEEN.date(), updated_at=datetime(2026, 6, 10, 8))
    after = Fake(published_at=LAST_SEEN.date(), updated_at=datetime(2026, 6, 10, 11))
    assert badges(before, today=TODAY, last_seen=LAST_SEEN) == []
    assert badges(after, today=TODAY, last_seen=LAST_SEEN) == [Badge.NEW]


def test_updated_since_last_seen_but_not_new() -> None:
    item = Fake(published_at=date(2026, 3, 1), updated_at=datetime(2026, 6, 11))
    assert badges(item, today=TODAY, last_seen=LAST_SEEN) == [Badge.UPDATED]


def test_first_launch_uses_a_recent_window() -> None:
    recent = Fake(published_at=date(2026, 6, 5), updated_at=datetime(2026, 6, 5))
    old = Fake(published_at=date(2026, 5, 1), updated_at=datetime(2026, 5, 1))
    assert badges(recent, today=TODAY, last_seen=None) == [Badge.NEW]
    assert badges(old, today=TODAY, last_seen=None) == []
    rules = BadgeRules(new_days=60)
    assert badges(old, today=TODAY, last_seen=None, rules=rules) == [Badge.NEW]


def test_unpublished_or_future_items_are_not_new() -> None:
    draft = Fake(published_at=None, updated_at=datetime(2026, 6, 14))
    scheduled = Fake(published_at=date(2026, 7, 1), updated_at=datetime(2026, 6, 14))
    assert badges(draft, today=TODAY, last_seen=LAST_SEEN) == []
    assert badges(scheduled, today=TODAY, last_seen=LAST_SEEN) == []


def test_expired_first_then_novelty() -> None:
    item = Fake(
        audience="internal",
        published_at=date(2026, 6, 12),
        updated_at=datetime(2026, 6, 12),
        expires_on=date(2026, 6, 13),
    )
    assert badges(item, today=TODAY, last_seen=LAST_SEEN) == [
        Badge.EXPIRED,
        Badge.INTERNAL_ONLY,
        Badge.NEW,
    ]


def test_shareable_now() -> None:
    assert is_shareable_now(Fake(), TODAY)
    assert is_shareable_now(Fake(expires_on=TODAY), TODAY)
    assert not is_shareable_now(Fake(expires_on=date(2026, 6, 1)), TODAY)


def test_no_updated_badge_on_a_first_launch() -> None:
    item = Fake(published_at=date(2026, 3, 1), updated_at=datetime(2026, 6, 14))
    assert badges(item, today=TODAY, last_seen=None) == []


@dataclass
class Versioned(Fake):
    content_changed_at: datetime | None = None


def test_updated_follows_the_last_content_change_when_known() -> None:
    """GIVEN an item retagged after the last look but whose content (last version) is older
    WHEN its badges are computed THEN it is not UPDATED; a newer version makes it UPDATED."""
    retagged = Versioned(updated_at=datetime(2026, 6, 12), content_changed_at=datetime(2026, 5, 1))
    assert badges(retagged, today=TODAY, last_seen=LAST_SEEN) == []
    new_version = Versioned(
        updated_at=datetime(2026, 6, 12), content_changed_at=datetime(2026, 6, 12)
    )
    assert badges(new_version, today=TODAY, last_seen=LAST_SEEN) == [Badge.UPDATED]
