"""The loop between the field and marketing: flags on items and requests for missing content.

    feedback.flag(lib, key, "outdated", "The pricing changed in March.")
    feedback.request_content(lib, "ROI calculator for retail", query="retail roi calculator")
    feedback.queue(lib)                       # marketers: what is open
    feedback.answer(lib, 12, "Updated: see version 4.")

Anyone may flag an item they can see or request content (a request is typically pre-filled from
a search that found nothing). Marketers and admins see the queue and answer or close rows. Each
row has a `feedback_key` (a UUID) so sync can carry it to the publisher's library exactly once
(`receive` is idempotent) and `origin` says where it came from ("local" or a channel id).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from library import items as item_service
from library import users
from library.core import Library
from library.errors import InvalidInput, NotFound
from library.models import Feedback, Item, new_key, utcnow
from library.values import FeedbackInfo
from library.vocab import slug

FLAG_CATEGORIES: tuple[str, ...] = ("outdated", "wrong", "missing-info", "other")
KINDS: tuple[str, ...] = ("flag", "request")
STATUSES: tuple[str, ...] = ("open", "answered", "closed")
MAX_TEXT = 4000
_CATEGORY_ALIASES = {
    "missing": "missing-info",
    "missinginfo": "missing-info",
    "stale": "outdated",
    "incorrect": "wrong",
    "error": "wrong",
}


def parse_category(text: str) -> str:
    s = slug(text)
    s = _CATEGORY_ALIASES.get(s.replace("-", ""), _CATEGORY_ALIASES.get(s, s))
    if s not in FLAG_CATEGORIES:
        raise InvalidInput(
            f"'{text}' is not a reason for a flag (use one of: {', '.join(FLAG_CATEGORIES)})."
        )
    return s


def _info(row: Feedback, title: str = "") -> FeedbackInfo:
    return FeedbackInfo(
        id=row.id,
        feedback_key=row.feedback_key,
        kind=row.kind,
        item_key=row.item_key,
        item_title=title,
        category=row.category,
        text=row.text,
        query=row.query,
        created_by=row.created_by,
        created_at=row.created_at,
        status=row.status,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
        origin=row.origin,
    )


def _infos(session: Session, rows: list[Feedback]) -> list[FeedbackInfo]:
    keys = {r.item_key for r in rows if r.item_key}
    titles = {
        k: t for k, t in session.execute(select(Item.key, Item.title).where(Item.key.in_(keys)))
    }
    return [_info(r, titles.get(r.item_key or "", "")) for r in rows]


def _text(text: str, what: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        hint = {
            "A flag": "say what is wrong",
            "A content request": "say what is needed",
            "An answer": "say what was done or why not",
        }.get(what, "write a few words")
        raise InvalidInput(f"{what} needs some words: {hint}.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what} is too long ({len(text):,} characters; at most {MAX_TEXT:,}).")
    return text


# -- the field -------------------------------------------------------------------------------------
def flag(lib: Library, ref: str, category: str, text: str = "") -> FeedbackInfo:
    """Flag an item the current user can see as outdated, wrong, missing information or other."""
    category = parse_category(category)
    text = _text(text, "A flag", required=category == "other")
    with lib.transaction() as s:
        users.require(lib, users.FEEDBACK, session=s)
        item = item_service.find(s, ref)
        if not item_service.can_see(lib, s, item):
            raise NotFound(f"No item with key '{ref}' in this library.")
        row = Feedback(
            feedback_key=new_key(),
            kind="flag",
            item_key=item.key,
            category=category,
            text=text,
            created_by=users.actor_name(lib),
            created_at=utcnow(),
            origin="local",
        )
        s.add(row)
        s.flush()
        lib.record(s, "flag", item.key, feedback=row.id, category=category, text=text)
        return _info(row, item.title)


def request_content(lib: Library, text: str, query: str = "") -> FeedbackInfo:
    """Ask marketing for content that does not exist (`query`: the search that found nothing)."""
    text = _text(text or query, "A content request", required=True)
    query = (query or "").strip()[:500]
    with lib.transaction() as s:
        users.require(lib, users.FEEDBACK, session=s)
        row = Feedback(
            feedback_key=new_key(),
            kind="request",
            item_key=None,
            category="",
            text=text,
            query=query,
            created_by=users.actor_name(lib),
            created_at=utcnow(),
            origin="local",
        )
        s.add(row)
        s.flush()
        lib.record(s, "request", None, feedback=row.id, text=text, query=query)
        return _info(row)


def mine(lib: Library) -> list[FeedbackInfo]:
    """What the current user flagged or requested, newest first, with marketing's answers."""
    with lib.reader() as s:
        rows = s.scalars(
            select(Feedback)
            .where(Feedback.created_by == users.actor_name(lib))
            .order_by(Feedback.id.desc())
        ).all()
        return _infos(s, list(rows))


# -- marketing ---------------------------------------------------------------------------------------
def queue(
    lib: Library,
    *,
    status: str | None = "open",
    kind: str | None = None,
    item_key: str | None = None,
) -> list[FeedbackInfo]:
    """Flags and requests for marketing, oldest open first (`status=None`: every row, newest
    first). Marketers and admins only."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"'{status}' is not a feedback status (use {', '.join(STATUSES)}).")
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"'{kind}' is not a kind of feedback (use flag or request).")
    with lib.reader() as s:
        users.require(lib, users.QUEUE, session=s)
        q = select(Feedback)
        if status is not None:
            q = q.where(Feedback.status == status).order_by(Feedback.id)
        else:
            q = q.order_by(Feedback.id.desc())
        if kind is not None:
            q = q.where(Feedback.kind == kind)
        if item_key is not None:
            q = q.where(Feedback.item_key == item_service.find(s, item_key).key)
        return _infos(s, list(s.scalars(q).all()))


def _find(session: Session, ref: int | str) -> Feedback:
    text = str(ref).strip().lstrip("#")
    row: Feedback | None = None
    if text.isdigit():
        row = session.get(Feedback, int(text))
    # A key prefix may be all digits too ("01874286"): a number that is no row id is one.
    if row is None and len(text) >= 4:
        rows = session.scalars(
            select(Feedback).where(Feedback.feedback_key.startswith(text.lower())).limit(2)
        ).all()
        if len(rows) > 1:
            raise InvalidInput(f"'{text}' matches several feedback rows; give more of the key.")
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"No flag or request #{text} (see 'main.py queue --all').")
    return row


def answer(lib: Library, ref: int | str, text: str) -> FeedbackInfo:
    """Answer a flag or request (it becomes `answered`; answering again replaces the answer)."""
    text = _text(text, "An answer", required=True)
    with lib.transaction() as s:
        users.require(lib, users.QUEUE, "answer flags and requests", session=s)
        row = _find(s, ref)
        if row.status == "closed":
            raise InvalidInput(f"#{row.id} is closed; it cannot be answered any more.")
        row.status, row.answer = "answered", text
        row.answered_by, row.answered_at = users.actor_name(lib), utcnow()
        lib.record(s, "feedback-answer", row.item_key, feedback=row.id, answer=text)
        return _infos(s, [row])[0]


def close(lib: Library, ref: int | str, comment: str = "") -> FeedbackInfo:
    """Close a flag or request (done, duplicate, or not going to happen: say so in `comment`)."""
    comment = _text(comment, "A comment", required=False)
    with lib.transaction() as s:
        users.require(lib, users.QUEUE, "close flags and requests", session=s)
        row = _find(s, ref)
        if row.status == "closed":
            raise InvalidInput(f"#{row.id} is already closed.")
        row.status = "closed"
        if comment:
            row.answer = comment
            row.answered_by, row.answered_at = users.actor_name(lib), utcnow()
        lib.record(s, "feedback-close", row.item_key, feedback=row.id, comment=comment)
        return _infos(s, [row])[0]


# -- sync hooks (no permission checks: the caller is the sync machinery) ---------------------------
def receive(
    session: Session,
    *,
    feedback_key: str,
    kind: str,
    category: str = "",
    item_key: str | None = None,
    text: str = "",
    query: str = "",
    created_by: str = "",
    created_at: datetime | None = None,
    origin: str,
) -> bool:
    """Store a flag or request that arrived from another library, in the caller's transaction.

    Idempotent: returns False (and writes nothing) when `feedback_key` is already here. Raises
    InvalidInput for values that make no sense (the caller counts and skips the event)."""
    feedback_key = str(feedback_key).strip().lower()
    if not feedback_key or len(feedback_key) > 36:
        raise InvalidInput("A feedback event needs a key of at most 36 characters.")
    if kind not in KINDS:
        raise InvalidInput(f"'{kind}' is not a kind of feedback (use flag or request).")
    category = parse_category(category or "other") if kind == "flag" else ""
    if session.scalar(select(Feedback.id).where(Feedback.feedback_key == feedback_key)):
        return False
    session.add(
        Feedback(
            feedback_key=feedback_key,
            kind=kind,
            item_key=(item_key or None) if kind == "flag" else None,
            category=category,
            text=str(text or "")[:MAX_TEXT],
            query=str(query or "")[:500],
            created_by=str(created_by or "")[:200],
            created_at=created_at or utcnow(),
            origin=str(origin)[:36] or "local",
        )
    )
    session.flush()
    return True


def outbox(session: Session, after_id: int, limit: int) -> list[FeedbackInfo]:
    """Local flags and requests with id > `after_id`, oldest first (what sync sends)."""
    rows = session.scalars(
        select(Feedback)
        .where(Feedback.id > after_id, Feedback.origin == "local")
        .order_by(Feedback.id)
        .limit(limit)
    ).all()
    return _infos(session, list(rows))
