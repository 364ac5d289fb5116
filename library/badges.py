"""Trust badges shown beside an item: NEW, UPDATED, EXPIRES SOON, EXPIRED, INTERNAL ONLY,
UNVERIFIED. Pure functions of an item's dates/audience, today's date and when this user last
looked (no Qt, no database), so the UI, the CLI and exporters agree on them.

"Since the user last looked" is the previous session's start: the UI passes the time it stored
when the user last opened the app. UPDATED follows the last *content* change (a new version:
`content_changed_at`, set by governance) when the item has one, so retagging or re-verifying an
item does not flag it to every rep; without it, `updated_at` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol


class Badge(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    EXPIRES_SOON = "expires-soon"
    EXPIRED = "expired"
    INTERNAL_ONLY = "internal-only"
    UNVERIFIED = "unverified"


BADGE_LABELS: dict[Badge, str] = {
    Badge.NEW: "NEW",
    Badge.UPDATED: "UPDATED",
    Badge.EXPIRES_SOON: "EXPIRES SOON",
    Badge.EXPIRED: "EXPIRED",
    Badge.INTERNAL_ONLY: "INTERNAL ONLY",
    Badge.UNVERIFIED: "UNVERIFIED",
}


class BadgeSource(Protocol):
    """What badges need; `ItemSummary` and `ItemDetail` both provide it."""

    @property
    def audience(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def published_at(self) -> date | None: ...
    @property
    def expires_on(self) -> date | None: ...
    @property
    def verify_by(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class BadgeRules:
    new_days: int = 14  # without a last-seen time (first launch), "new" means this recent
    expires_soon_days: int = 30


DEFAULT_RULES = BadgeRules()


def badges(
    item: BadgeSource,
    *,
    today: date,
    last_seen: datetime | None,
    rules: BadgeRules = DEFAULT_RULES,
) -> list[Badge]:
    """The badges of `item`, most urgent first (expiry before novelty).

    NEW: published after the user last looked (or within `new_days` on a first launch).
    UPDATED: changed after the user last looked, and already published before that (so it is
    not also NEW); never on a first launch. EXPIRED / EXPIRES SOON: by `expires_on` (the item is still valid *on* that
    day). UNVERIFIED: `verify_by` has passed. INTERNAL ONLY: audience internal."""
    out: list[Badge] = []
    if item.expires_on is not None:
        if item.expires_on < today:
            out.append(Badge.EXPIRED)
        elif item.expires_on <= today + timedelta(days=rules.expires_soon_days):
            out.append(Badge.EXPIRES_SOON)
    if item.verify_by is not None and item.verify_by < today:
        out.append(Badge.UNVERIFIED)
    if item.audience == "internal":
        out.append(Badge.INTERNAL_ONLY)
    cutoff = last_seen or datetime.combine(
        today - timedelta(days=rules.new_days), datetime.min.time()
    )
    published = item.published_at
    if published is not None and published <= today:
        # A publish date has no time: an item published on the day of the last look counts as
        # new only if it was touched after that look (else every morning re-flags it).
        is_new = published > cutoff.date() or (
            published == cutoff.date() and item.updated_at > cutoff
        )
        if is_new:
            out.append(Badge.NEW)
        elif last_seen is not None and _changed_at(item) > cutoff:
            # Without a previous look "updated since you last looked" means nothing: a first
            # launch would flag everything touched recently.
            out.append(Badge.UPDATED)
    return out


def _changed_at(item: BadgeSource) -> datetime:
    changed = getattr(item, "content_changed_at", None)
    return changed if isinstance(changed, datetime) else item.updated_at


def is_shareable_now(item: BadgeSource, today: date) -> bool:
    """False when the item has expired (governance enforces this in exports; the UI greys it)."""
    return item.expires_on is None or item.expires_on >= today
