"""Share rules: may these items leave the library for this recipient today? (Qt-free)

    refusals = share_refusals(lib, keys, "customer")     # [] means every item may be shared

Every export path (leave-behind, pack, the UI's share button) calls this first and refuses the
whole export when the list is not empty, so the rules live in the core and not in a dialog.

Rules, in the order they are reported (an item can break several):
- `missing`        the key names no item of this library
- `retired`        retired items never leave
- `not-approved`   drafts and items in review never leave
- `scheduled`      approved, but the publish date is still in the future
- `expired`        `expires_on` is before today (an item is still valid on its expiry day)
- `internal-format` battle cards are internal sales guidance, whatever their audience says
- `audience`       internal items never leave; partners get partner-shareable items only;
                   customers get customer- or partner-shareable items

- `role`           the person exporting is a partner (library.users): partners pass on
                   partner-shareable items only, whoever the recipient is

`recipient="internal"` (a colleague) checks only the lifecycle rules: drafts, retired, scheduled
and expired items are still refused, so a rep never forwards stale content by accident.
The `role` rule applies when a Library is passed (its current user, `lib.actor`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from library.models import Item
from library.vocab import Audience, Status, label

if TYPE_CHECKING:
    from library.core import Library

Recipient = Literal["customer", "partner", "internal"]
RECIPIENTS: tuple[str, ...] = ("customer", "partner", "internal")

# Which item audiences each recipient may receive.
ALLOWED_AUDIENCES: dict[str, frozenset[str]] = {
    "customer": frozenset({Audience.CUSTOMER.value, Audience.PARTNER.value}),
    "partner": frozenset({Audience.PARTNER.value}),
    "internal": frozenset(a.value for a in Audience),
}
INTERNAL_FORMATS = frozenset({"battle-card"})


@dataclass(frozen=True, slots=True)
class Refusal:
    """One broken rule: `message` is a sentence naming the item and the rule."""

    item_key: str
    title: str
    rule: str
    message: str


def share_refusals(
    lib_or_session: Library | Session,
    keys: Iterable[str],
    recipient: Recipient | str,
    today: date | None = None,
) -> list[Refusal]:
    """Every rule the items `keys` break when shared with `recipient` on `today` (default: the
    local date). Keys must be full item keys. Returns [] when all may be shared. Read-only."""
    if recipient not in RECIPIENTS:
        raise ValueError(f"recipient must be one of {RECIPIENTS}, not {recipient!r}")
    keys = list(dict.fromkeys(keys))
    today = today or date.today()
    if isinstance(lib_or_session, Session):
        return _refusals(lib_or_session, keys, recipient, today)
    from library import users

    with lib_or_session.reader() as s:
        who = users.actor_name(lib_or_session)
        role = users.role_of(s, who)
        return _refusals(s, keys, recipient, today, who if role == "partner" else None)


def _refusals(
    session: Session, keys: list[str], recipient: str, today: date, partner: str | None = None
) -> list[Refusal]:
    items = {i.key: i for i in session.scalars(select(Item).where(Item.key.in_(keys))).all()}
    out: list[Refusal] = []
    for key in keys:
        item = items.get(key)
        if item is None:
            out.append(
                Refusal(key, "", "missing", f"There is no item with key {key} in this library.")
            )
            continue
        out.extend(item_refusals(item, recipient, today))
        if partner is not None and (
            item.audience != Audience.PARTNER or item.format in INTERNAL_FORMATS
        ):
            out.append(
                Refusal(
                    item.key,
                    item.title,
                    "role",
                    f"'{item.title}' is not partner-shareable; {partner} is a partner and can "
                    "only pass on partner-shareable items.",
                )
            )
    return out


def item_refusals(item: Item, recipient: str, today: date) -> list[Refusal]:
    """The rules one loaded item breaks (see the module docstring)."""
    name = f"'{item.title}'"
    found: list[tuple[str, str]] = []
    if item.status == Status.RETIRED:
        found.append(("retired", f"{name} is retired and can no longer be shared."))
    elif item.status != Status.APPROVED:
        state = {"draft": "still a draft", "in-review": "still in review"}.get(
            item.status, f"'{label(item.status).lower()}'"
        )
        found.append(
            (
                "not-approved",
                f"{name} is {state}, not approved; only approved items can be shared.",
            )
        )
    elif item.published_at is not None and item.published_at > today:
        found.append(
            (
                "scheduled",
                f"{name} is scheduled to be published on {item.published_at.isoformat()} "
                "and cannot be shared before then.",
            )
        )
    if item.expires_on is not None and item.expires_on < today:
        found.append(
            (
                "expired",
                f"{name} expired on {item.expires_on.isoformat()}; expired items cannot be shared.",
            )
        )
    if recipient != "internal":
        if item.format in INTERNAL_FORMATS:
            found.append(
                (
                    "internal-format",
                    f"{name} is a {label(item.format).lower()}: internal sales guidance that never "
                    "leaves the company.",
                )
            )
        elif item.audience not in ALLOWED_AUDIENCES[recipient]:
            found.append(("audience", _audience_message(name, item.audience, recipient)))
    return [Refusal(item.key, item.title, rule, message) for rule, message in found]


def _audience_message(name: str, audience: str, recipient: str) -> str:
    if audience == Audience.INTERNAL:
        return f"{name} is internal only and never leaves the company."
    if recipient == "partner":
        return (
            f"{name} is {label(audience).lower()}-shareable, not partner-shareable; "
            "partner packs and co-branded documents carry partner-shareable items only."
        )
    return f"{name} has audience '{audience}', which does not allow sharing with a {recipient}."
