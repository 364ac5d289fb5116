"""Usage events: what reps open, export, share and search for (Qt-free; any layer may call it).

    record_usage(lib, "open", item_key=key)
    record_usage(lib, "search", query="ransomware cfo", results=0)    # a search that found nothing
    record_usage(lib, "export", item_key=key, detail={"format": "leave-behind"})

Each event gets a UUID (`event_id`) when it is recorded; that id travels with it to the channel's
inbox, so marketing counts it once however often it is synced. Events are stored locally first
(offline first) and sent on the next `sync` to the channel that owns the item (searches, which
name no item, go to every subscribed channel).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from library.core import Library
from library.errors import InvalidInput
from library.models import new_key, utcnow
from library.sync.channel import canonical_json
from library.sync.models import UsageEvent
from library.values import to_json

USAGE_KINDS = ("open", "preview", "export", "share", "search")
MAX_QUERY_CHARS = 500
MAX_DETAIL_BYTES = 4096


def record_usage(
    lib: Library,
    kind: str,
    item_key: str | None = None,
    query: str | None = None,
    results: int | None = None,
    *,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> str:
    """Record one usage event in its own transaction; returns its event id.

    `kind` is one of USAGE_KINDS; a "search" needs `query` and should give `results` (the hit
    count; 0 marks a search that found nothing). Raises InvalidInput for anything else."""
    with lib.transaction() as s:
        return record_usage_in(
            s,
            kind,
            item_key,
            query,
            results,
            detail=detail,
            actor=lib.actor if actor is None else actor,
        )


def record_usage_in(
    session: Session,
    kind: str,
    item_key: str | None = None,
    query: str | None = None,
    results: int | None = None,
    *,
    detail: dict[str, Any] | None = None,
    actor: str = "",
) -> str:
    """`record_usage` inside the caller's transaction (e.g. an export recording its own use)."""
    if kind not in USAGE_KINDS:
        raise InvalidInput(f"'{kind}' is not a usage event (use one of {', '.join(USAGE_KINDS)}).")
    if kind == "search" and not (query or "").strip():
        raise InvalidInput("A search event needs the query text.")
    if results is not None and (not isinstance(results, int) or results < 0):
        raise InvalidInput("results must be a count (0 or more).")
    clean_detail = to_json(detail or {})
    if not isinstance(clean_detail, dict):
        raise InvalidInput("The event's detail must be a mapping.")
    if len(canonical_json(clean_detail)) > MAX_DETAIL_BYTES:
        raise InvalidInput("The event's detail is too large (keep it under 4 KB).")
    event_id = new_key()
    session.add(
        UsageEvent(
            event_id=event_id,
            at=utcnow(),
            actor=actor,
            kind=kind,
            item_key=item_key,
            query=" ".join(query.split())[:MAX_QUERY_CHARS] if query else None,
            results=results,
            detail=clean_detail,
        )
    )
    return event_id
