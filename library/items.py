"""Reading and editing items. Returns plain values (`library.values`), never ORM objects."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, object_session, selectinload

from library import terms as taxonomy
from library import users
from library.core import Library
from library.errors import InvalidInput, LibraryError, NotFound
from library.models import BattleCard, CaseStudy, Item, Term, User, item_terms, utcnow
from library.values import AssetInfo, ItemDetail, ItemFilter, ItemSummary
from library.vocab import (
    FORMATS,
    TAXONOMIES,
    Audience,
    Kind,
    Role,
    Status,
    canonical,
    canonical_format,
)

CASE_STUDY_FIELDS = (
    "customer",
    "industry",
    "challenge",
    "solution",
    "results",
    "quote",
    "quote_author",
)
BATTLE_CARD_FIELDS = (
    "why_we_win",
    "why_we_lose",
    "objections",
    "landmines",
    "pricing_notes",
    "proof_points",
    "last_verified",
)
_TEXT_FIELDS = ("title", "summary", "language", "change_note")
_DATE_FIELDS = ("published_at", "expires_on", "verify_by")
EDITABLE_FIELDS = (
    *_TEXT_FIELDS,
    "kind",
    "format",
    "status",
    "audience",
    "owner",
    *_DATE_FIELDS,
)
# Changing these makes a new version and needs a change note (library.governance); the other
# fields are metadata, recorded in the audit log only.
CONTENT_FIELDS = ("title", "summary")
INTERNAL_FORMATS = frozenset({"battle-card"})  # never leave the company (library.sharing)


# -- visibility ----------------------------------------------------------------------------------
def visibility_clause(
    role: str, today: date, *, include_all: bool = False, force: bool = False
) -> ColumnElement[bool] | None:
    """What a role sees, as a WHERE clause on Item (None: everything).

    Partners: approved, published, unexpired, partner-shareable items (never battle cards),
    whatever they ask. Reps: approved and current items unless `include_all`. Others see
    everything unless `force` (then: approved and current, as reps see by default)."""
    current = and_(
        Item.status == Status.APPROVED.value,
        or_(Item.published_at.is_(None), Item.published_at <= today),
        or_(Item.expires_on.is_(None), Item.expires_on >= today),
    )
    if role == Role.PARTNER:
        return and_(
            current,
            Item.audience == Audience.PARTNER.value,
            Item.format.not_in(list(INTERNAL_FORMATS)),
        )
    if force or (role == Role.REP and not include_all):
        return current
    return None


def is_current(item: Item, today: date) -> bool:
    return (
        item.status == Status.APPROVED
        and (item.published_at is None or item.published_at <= today)
        and (item.expires_on is None or item.expires_on >= today)
    )


def can_see(lib: Library, session: Session, item: Item, today: date | None = None) -> bool:
    """Whether the current user may open this item at all (partners: only what they may
    receive; everyone else may open any item they name)."""
    if users.role_of(session, users.actor_name(lib)) != Role.PARTNER:
        return True
    return (
        is_current(item, today or date.today())
        and item.audience == Audience.PARTNER
        and item.format not in INTERNAL_FORMATS
    )


def _field_or_taxonomy(name: str) -> str:
    """The taxonomy `name` stands for; InvalidInput naming what can be edited when it is neither."""
    try:
        return taxonomy.taxonomy_name(name)
    except InvalidInput:
        raise InvalidInput(
            f"'{name}' is not a field you can edit (use one of: {', '.join(EDITABLE_FIELDS)},"
            f" a taxonomy ({', '.join(TAXONOMIES)}),"
            " case_study.<field> or battle_card.<field>)."
        ) from None


def canonical_status(text: str) -> str:
    try:
        return canonical(Status, str(text)).value
    except ValueError as e:
        raise InvalidInput(str(e)) from None


# -- read-only items -------------------------------------------------------------------------
def read_only_reason(session: Session, item: Item) -> str | None:
    """One sentence naming `item` and saying why this library must not change it, or None.

    Items a subscribed channel publishes are changed only by sync (an edit here would be lost at
    the next sync); items from a received pack are a read-only collection. The rep's own
    annotations on them (flags, content requests, usage) are not edits and stay allowed."""
    from library.sync.models import ItemOrigin, Subscription

    origin = session.get(ItemOrigin, item.key)
    if origin is not None:
        channel = session.scalar(
            select(Subscription.name).where(Subscription.channel_id == origin.channel_id)
        )
        if channel is None:
            return (
                f"'{item.title}' came from a channel you no longer subscribe to; it is "
                "read-only here, so edit it in the publisher's library."
            )
        return (
            f"'{item.title}' comes from the channel '{channel}'; it is updated by sync, so edit "
            "it in the publisher's library."
        )
    from library.branding import received_pack_of

    pack = received_pack_of(session, item.key)
    if pack is not None:
        name, sender = pack
        return (
            f"'{item.title}' is part of the pack '{name}' you received"
            + (f" from {sender}" if sender else "")
            + "; it is read-only here, so import a newer pack to update it."
        )
    return None


def ensure_editable(session: Session, item: Item) -> None:
    """Raise LibraryError (the `read_only_reason` sentence) when `item` came from a subscribed
    channel or a received pack. Called by every service that changes an item's content,
    metadata, files or status (edit, lifecycle transitions, schedule, verify, replace/add/remove
    file, restore version). Sync and pack import write their items directly, not through them."""
    reason = read_only_reason(session, item)
    if reason is not None:
        raise LibraryError(reason)


# -- lookup ------------------------------------------------------------------------------------
def find(session: Session, ref: str) -> Item:
    """The item whose key is `ref` or starts with `ref` (at least 4 characters, unambiguous)."""
    ref = ref.strip().lower()
    item = session.scalar(select(Item).where(Item.key == ref))
    if item is not None:
        return item
    if len(ref) >= 4:
        matches = session.scalars(select(Item).where(Item.key.startswith(ref)).limit(2)).all()
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InvalidInput(f"'{ref}' matches several items; give more of the key.")
    else:
        raise NotFound(
            f"No item with key '{ref}' in this library; give the key or at least its first"
            " 4 characters."
        )
    raise NotFound(f"No item with key '{ref}' in this library.")


def loaded() -> Select[Item]:
    return select(Item).options(
        selectinload(Item.terms), selectinload(Item.assets), selectinload(Item.owner)
    )


_loaded = loaded


def get(lib: Library, ref: str) -> ItemDetail:
    """One item by key or key prefix. A partner gets NotFound for items they may not see."""
    with lib.reader() as s:
        item = find(s, ref)
        if not can_see(lib, s, item):
            raise NotFound(f"No item with key '{ref.strip().lower()}' in this library.")
        return detail(item)


def get_many(lib: Library, keys: list[str]) -> dict[str, ItemSummary]:
    with lib.reader() as s:
        q = _loaded().where(Item.key.in_(keys))
        role = users.role_of(s, users.actor_name(lib))
        if role == Role.PARTNER:
            clause = visibility_clause(role, date.today())
            assert clause is not None
            q = q.where(clause)
        rows = s.scalars(q).all()
        return {i.key: summary(i) for i in rows}


def list_items(lib: Library, flt: ItemFilter | None = None) -> list[ItemSummary]:
    """Items matching `flt`, newest change first, among those the current user may see:
    partners only approved, current, partner-shareable items; reps approved and current items
    unless they ask for statuses or `include_all`; everyone else everything."""
    flt = flt or ItemFilter()
    q = _loaded().order_by(Item.updated_at.desc(), Item.id.desc())
    role = users.role_of(lib)
    clause = visibility_clause(
        role, date.today(), include_all=flt.include_all or bool(flt.statuses)
    )
    if clause is not None:
        q = q.where(clause)
    if flt.kinds:
        q = q.where(Item.kind.in_([canonical(Kind, k).value for k in flt.kinds]))
    if flt.formats:
        q = q.where(Item.format.in_([canonical_format(f) for f in flt.formats]))
    if flt.statuses:
        q = q.where(Item.status.in_([canonical(Status, v).value for v in flt.statuses]))
    if flt.audiences:
        q = q.where(Item.audience.in_([canonical(Audience, v).value for v in flt.audiences]))
    for tax, names in flt.terms.items():
        if not names:
            continue
        folded = [taxonomy.clean_name(n).casefold() for n in names]
        sub = (
            select(item_terms.c.item_id)
            .join(Term, Term.id == item_terms.c.term_id)
            .where(Term.taxonomy == taxonomy.taxonomy_name(tax), Term.name_folded.in_(folded))
        )
        q = q.where(Item.id.in_(sub))
    if flt.title_contains:
        q = q.where(Item.title.icontains(flt.title_contains))
    if flt.limit is not None and flt.limit < 0:
        raise InvalidInput("--limit must be 0 or more.")
    if flt.limit:
        q = q.limit(flt.limit)
    with lib.reader() as s:
        return [summary(i) for i in s.scalars(q).all()]


# -- conversion ----------------------------------------------------------------------------------
def _names(item: Item, tax: str) -> list[str]:
    return [t.name for t in item.terms if t.taxonomy == tax]


def summary(item: Item) -> ItemSummary:
    return ItemSummary(
        key=item.key,
        title=item.title,
        kind=item.kind,
        format=item.format,
        status=item.status,
        audience=item.audience,
        owner=item.owner.name if item.owner else "",
        language=item.language,
        version=item.version,
        updated_at=item.updated_at,
        published_at=item.published_at,
        expires_on=item.expires_on,
        verify_by=item.verify_by,
        personas=_names(item, "persona"),
        stages=_names(item, "stage"),
        file_count=len(item.assets),
        content_changed_at=item.content_changed_at,
    )


def detail(item: Item) -> ItemDetail:
    terms: dict[str, list[str]] = {}
    for t in item.terms:
        terms.setdefault(t.taxonomy, []).append(t.name)
    cs = item.case_study
    bc = item.battle_card
    return ItemDetail(
        key=item.key,
        title=item.title,
        summary=item.summary,
        kind=item.kind,
        format=item.format,
        status=item.status,
        audience=item.audience,
        owner=item.owner.name if item.owner else "",
        language=item.language,
        version=item.version,
        change_note=item.change_note,
        created_at=item.created_at,
        updated_at=item.updated_at,
        published_at=item.published_at,
        expires_on=item.expires_on,
        verify_by=item.verify_by,
        terms=terms,
        assets=[
            AssetInfo(
                id=a.id,
                name=a.original_name,
                media_type=a.media_type,
                size=a.size,
                sha256=a.sha256,
                page_count=a.page_count,
                extraction_status=a.extraction_status,
                extraction_reason=a.extraction_reason,
                text_chars=a.text_chars,
                text_truncated=a.text_truncated,
                flags=list(a.flags or []),
            )
            for a in item.assets
        ],
        case_study={f: getattr(cs, f) for f in CASE_STUDY_FIELDS} if cs else None,
        battle_card={f: getattr(bc, f) for f in BATTLE_CARD_FIELDS} if bc else None,
        content_changed_at=item.content_changed_at,
        read_only=_read_only(item),
    )


def _read_only(item: Item) -> str:
    """`read_only_reason` for an item still attached to its session ("" when detached: the
    services always build details inside their session)."""
    session = object_session(item)
    return (read_only_reason(session, item) or "") if session is not None else ""


# -- editing -----------------------------------------------------------------------------------
def parse_date(value: str | date | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or text.lower() in ("none", "null", "-"):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field}: '{value}' is not a date (use YYYY-MM-DD).") from None


def user_by_name(session: Session, name: str, *, create: bool = True) -> User | None:
    """The user named `name` (or with that e-mail); created as a rep when missing."""
    return users.user_by_name(session, name, create=create)


def apply_fields(session: Session, item: Item, values: dict[str, Any]) -> dict[str, Any]:
    """Set scalar fields from user-typed values, validating each. Returns {field: new value}."""
    changed: dict[str, Any] = {}
    for field_name, raw in values.items():
        if field_name in _TEXT_FIELDS:
            value: Any = str(raw).strip()
            if field_name == "title" and not value:
                raise InvalidInput("title: an item needs a title.")
        elif field_name == "kind":
            value = canonical(Kind, str(raw)).value
        elif field_name == "format":
            value = canonical_format(str(raw))
        elif field_name == "status":
            value = canonical(Status, str(raw)).value
        elif field_name == "audience":
            value = canonical(Audience, str(raw)).value
        elif field_name in _DATE_FIELDS:
            value = parse_date(raw, field_name)
        elif field_name == "owner":
            owner = user_by_name(session, str(raw))
            item.owner = owner
            changed["owner"] = owner.name if owner else ""
            continue
        else:
            raise InvalidInput(
                f"'{field_name}' is not an editable field (use one of: {', '.join(EDITABLE_FIELDS)}, "
                "a taxonomy such as persona or stage, case_study.<field> or battle_card.<field>)."
            )
        if getattr(item, field_name) != value:
            setattr(item, field_name, value)
            changed[field_name] = value
    if "format" in changed and "kind" not in values and item.kind != FORMATS[item.format]:
        # A format implies its kind unless the user said otherwise (e.g. battle card -> insight).
        item.kind = FORMATS[item.format].value
        changed["kind"] = item.kind
    return changed


def set_terms(
    session: Session, item: Item, tax: str, names: list[str], mode: str = "set"
) -> tuple[list[str], list[str]]:
    """Replace (`set`), extend (`add`) or shrink (`remove`) an item's values of one taxonomy.

    Returns (the item's names afterwards, names newly created in the library)."""
    tax = taxonomy.taxonomy_name(tax)
    terms, created = taxonomy.resolve(session, tax, names, create=(mode != "remove"))
    current = [t for t in item.terms if t.taxonomy == tax]
    if mode == "set":
        keep = terms
    elif mode == "add":
        keep = current + [t for t in terms if t not in current]
    elif mode == "remove":
        keep = [t for t in current if t not in terms]
    else:  # pragma: no cover - programming error
        raise ValueError(mode)
    item.terms = [t for t in item.terms if t.taxonomy != tax] + keep
    return [t.name for t in keep], created


def _structured_value(raw: Any) -> Any:
    """Lists and objects may be given as JSON on the command line; plain text stays text."""
    if isinstance(raw, str) and raw.strip()[:1] in ("[", "{"):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as e:
            raise InvalidInput(f"'{raw[:40]}' is not valid JSON: {e.msg}.") from None
    return raw


def set_section(session: Session, item: Item, section: str, field_name: str, raw: Any) -> None:
    """Set one field of the case-study or battle-card sections, creating the section."""
    if section == "case_study":
        if field_name not in CASE_STUDY_FIELDS:
            raise InvalidInput(
                f"case_study.{field_name}: use one of {', '.join(CASE_STUDY_FIELDS)}."
            )
        if item.case_study is None:
            item.case_study = CaseStudy()
        target: Any = item.case_study
    elif section == "battle_card":
        if field_name not in BATTLE_CARD_FIELDS:
            raise InvalidInput(
                f"battle_card.{field_name}: use one of {', '.join(BATTLE_CARD_FIELDS)}."
            )
        if item.battle_card is None:
            item.battle_card = BattleCard()
        target = item.battle_card
    else:
        raise InvalidInput(f"'{section}' has no fields (use case_study or battle_card).")
    value = _structured_value(raw)
    if field_name == "last_verified":
        value = parse_date(value, "battle_card.last_verified")
    elif field_name in (
        "results",
        "objections",
        "why_we_win",
        "why_we_lose",
        "landmines",
        "proof_points",
    ):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, list):
            raise InvalidInput(f"{section}.{field_name} must be a list.")
    setattr(target, field_name, value)


def edit(
    lib: Library,
    ref: str,
    assignments: list[tuple[str, str]],
    *,
    actor: str | None = None,
    note: str | None = None,
) -> tuple[ItemDetail, dict[str, list[str]]]:
    """Apply `field=value` assignments to one item in one transaction.

    A field may be a scalar (`title`, `status`, `expires_on`…), a taxonomy (`persona=CFO,CTO`
    replaces; `+persona=X` adds; `-persona=X` removes) or a section field
    (`case_study.customer=ACME`). Returns (the item afterwards, taxonomy values created).

    Governance: changing content (title, summary, case-study or battle-card sections) needs a
    change note — `note`, or a new `change_note=` assignment — and makes a new version.
    `status=` goes through the lifecycle rules (library.governance.transition; the note is the
    comment). Other fields need the `edit` permission, `published_at` the `approve` one; new
    personas and stages need an admin (`taxonomy`)."""
    from library import governance

    created: dict[str, list[str]] = {}
    with lib.transaction() as s:
        item = find(s, ref)
        ensure_editable(s, item)
        original_title = item.title
        scalars: dict[str, Any] = {}
        changed: dict[str, Any] = {}
        status_to: str | None = None
        given_note = (note or "").strip()
        for name, raw in assignments:
            if name == "change_note":
                given_note = (
                    str(raw).strip() if str(raw).strip() != item.change_note else given_note
                )
                continue
            if name == "status":
                status_to = canonical_status(str(raw))
                continue
            if name == "published_at":
                users.require(lib, users.APPROVE, "schedule publication", session=s)
            else:
                users.require(lib, users.EDIT, session=s)
            mode = "set"
            if name[:1] in "+-":
                mode, name = ("add" if name[0] == "+" else "remove"), name[1:]
            if "." in name:
                section, _, sub = name.partition(".")
                before = _section_value(item, section, sub)
                set_section(s, item, section, sub, raw)
                if _section_value(item, section, sub) != before:
                    changed[name] = raw
            elif name in EDITABLE_FIELDS:
                scalars[name] = raw
            else:
                tax = _field_or_taxonomy(name)
                names = [v for v in (p.strip() for p in str(raw).split(",")) if v]
                before_names = [t.name for t in item.terms if t.taxonomy == tax]
                after, new = set_terms(s, item, name, names, mode)
                if new:
                    check_new_terms(lib, s, tax, new)
                    created.setdefault(tax, []).extend(new)
                if after != before_names:
                    changed[tax] = after
        new_owner = "owner" in scalars and users.find_user(s, str(scalars["owner"])) is None
        changed.update(apply_fields(s, item, scalars))
        if new_owner and item.owner is not None:
            # A typo in an owner's name makes a new person (a rep): say so, like new tags.
            created.setdefault("person", []).append(item.owner.name)
        content = [
            f for f in changed if f in CONTENT_FIELDS or f.split(".")[0] in _SECTIONS_CONTENT
        ]
        content = [f for f in content if f != "battle_card.last_verified"]
        if content:
            if not given_note:
                raise InvalidInput(
                    f"Changing {', '.join(content)} of '{original_title}' makes a new version: give a "
                    "change note that says what changed and why (--note)."
                )
            number = governance.record_version(lib, s, item, given_note, actor=actor)
            lib.record(
                s, "new-version", item.key, actor, version=number, note=given_note, fields=content
            )
        if changed:
            item.updated_at = utcnow()
            detail_note = {"note": given_note} if given_note and not content else {}
            lib.record(s, "edit", item.key, actor, changes=changed, **detail_note)
            lib.mark_dirty(s, item.key)
        if status_to is not None and status_to != item.status:
            governance.transition(lib, s, item, status_to, given_note)
        elif given_note and not changed and status_to is None:
            # Only a note: it amends the current version's note (a typo fix, a clarification).
            users.require(lib, users.EDIT, session=s)
            governance.amend_note(lib, s, item, given_note)
        s.flush()
        result = detail(item)
    return result, created


_SECTIONS_CONTENT = ("case_study", "battle_card")


def _section_value(item: Item, section: str, field_name: str) -> Any:
    target = getattr(item, section, None) if section in _SECTIONS_CONTENT else None
    return getattr(target, field_name, None) if target is not None else None


def check_new_terms(lib: Library, session: Session, tax: str, names: list[str]) -> None:
    """New personas and stages are agreed definitions: only admins create them."""
    if tax in ("persona", "stage") and names:
        users.require(
            lib,
            users.TAXONOMY,
            f"add a new {tax} ('{names[0]}'); pick an existing one or ask an admin",
            session=session,
        )
