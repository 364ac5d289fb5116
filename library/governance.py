"""Governance services: lifecycle, versions with change notes, verification, review, audit.

Every function checks the current user's role (library.users) inside its own transaction, so
the CLI, the desktop app and exporters obey the same rules. Plain values out, never ORM objects.

Lifecycle (who may do it):
    draft --submit--> in-review --approve--> approved --retire--> retired
    draft --approve--> approved                    (marketers, reviewers, admins)
    in-review --reject(reason)--> draft
    approved --withdraw--> draft / in-review       (approvers)
    retired --reopen--> draft                      (marketers, admins)
Each transition is an activity row (who, when, from, to, comment). Approving sets the publish
date (today, or a later date: the item stays hidden until then) and the verify-by date (today +
the item's review interval) when it is unset or past.

Versions: a content change (title, summary, files, case-study or battle-card sections) makes a
new version with a required change note; every version's content is kept as a snapshot (files
stay in the content-addressed store) and can be viewed or restored (restoring makes a new
version). Metadata changes (tags, audience, dates, owner) are in the audit log, not versions.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from library import items as item_service
from library import users
from library.core import Library
from library.errors import InvalidInput, LibraryError, NotFound
from library.models import Activity, Asset, FileText, Item, ItemVersion, utcnow
from library.values import (
    AuditEntry,
    ItemDetail,
    NewsEntry,
    ReviewEntry,
    ReviewGroup,
    VersionDetail,
    VersionInfo,
)
from library.vocab import Role, Status, label, review_days

if TYPE_CHECKING:
    from library.extract import Extraction

PermissionDenied = users.PermissionDenied

LIFECYCLE_ACTIONS = ("submit", "approve", "reject", "withdraw", "retire", "reopen")
GOVERNANCE_ACTIONS = (*LIFECYCLE_ACTIONS, "schedule", "verify", "new-version", "restore")

# (from, to) -> (action name, permission). Anything else is refused with a sentence.
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("draft", "in-review"): ("submit", users.SUBMIT),
    ("draft", "approved"): ("approve", users.APPROVE),
    ("in-review", "approved"): ("approve", users.APPROVE),
    ("in-review", "draft"): ("reject", users.APPROVE),
    ("approved", "draft"): ("withdraw", users.APPROVE),
    ("approved", "in-review"): ("withdraw", users.APPROVE),
    ("draft", "retired"): ("retire", users.RETIRE),
    ("in-review", "retired"): ("retire", users.RETIRE),
    ("approved", "retired"): ("retire", users.RETIRE),
    ("retired", "draft"): ("reopen", users.RETIRE),
}


# -- helpers -----------------------------------------------------------------------------------
def _today(today: date | None = None) -> date:
    return today or date.today()


def _load(session: Session, ref: str) -> Item:
    return item_service.find(session, ref)


def _detail(session: Session, item: Item) -> ItemDetail:
    session.flush()
    return item_service.detail(item)


# -- lifecycle ---------------------------------------------------------------------------------
def transition(
    lib: Library,
    session: Session,
    item: Item,
    to: str,
    comment: str = "",
    *,
    publish_on: date | None = None,
    today: date | None = None,
) -> str:
    """Move `item` to status `to` in the caller's transaction, checking the rule and the role.

    Returns the action name ("approve", ...). Raises PermissionDenied / InvalidInput."""
    item_service.ensure_editable(session, item)
    to = item_service.canonical_status(to)
    frm = item.status
    if frm == to:
        raise InvalidInput(f"'{item.title}' is already {label(to).lower()}.")
    rule = TRANSITIONS.get((frm, to))
    if rule is None:
        hint = {
            ("retired", "approved"): " Reopen it first (it goes back to draft), then approve it.",
            ("retired", "in-review"): " Reopen it first (it goes back to draft).",
        }.get((frm, to), "")
        raise InvalidInput(
            f"'{item.title}' is {label(frm).lower()} and cannot go to {label(to).lower()}.{hint}"
        )
    action, permission = rule
    verb = {"withdraw": "withdraw approved items", "reopen": "reopen retired items"}.get(
        action, f"{action} items"
    )
    users.require(lib, permission, verb, session=session)
    comment = (comment or "").strip()
    if action == "reject" and not comment:
        raise InvalidInput(f"Give a reason when sending '{item.title}' back to draft.")
    day = _today(today)
    if action == "approve":
        if publish_on is not None:
            item.published_at = publish_on
        elif item.published_at is None:
            item.published_at = day
        _set_verified(item, day, only_if_stale=True)
    item.status = to
    item.updated_at = utcnow()
    detail: dict[str, Any] = {"from": frm, "to": to, "comment": comment}
    if action == "approve":
        detail["published_at"] = item.published_at
        detail["verify_by"] = item.verify_by
    lib.record(session, action, item.key, **detail)
    lib.mark_dirty(session, item.key)
    return action


def _set_verified(item: Item, day: date, *, only_if_stale: bool) -> None:
    if not only_if_stale or item.verify_by is None or item.verify_by <= day:
        item.verify_by = day + timedelta(days=review_days(item.kind, item.format))
    if item.battle_card is not None and (
        not only_if_stale or item.battle_card.last_verified is None
    ):
        item.battle_card.last_verified = day


def _move(lib: Library, ref: str, to: str, comment: str = "", **kw: Any) -> ItemDetail:
    with lib.transaction() as s:
        item = _load(s, ref)
        transition(lib, s, item, to, comment, **kw)
        return _detail(s, item)


def submit(lib: Library, ref: str, comment: str = "") -> ItemDetail:
    """Draft -> in review. An approved item is refused: "submit" must not quietly take a
    published piece away from reps (withdrawing is `edit --set status=in-review` or `reopen`)."""
    with lib.reader() as s:
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        if item.status == Status.APPROVED:
            raise InvalidInput(
                f"'{item.title}' is already approved. To take it back for review, use 'edit "
                "--set status=in-review'; to rework it, 'reopen' it (back to draft)."
            )
    return _move(lib, ref, Status.IN_REVIEW, comment)


def approve(
    lib: Library,
    ref: str,
    comment: str = "",
    publish_on: date | None = None,
    *,
    today: date | None = None,
) -> ItemDetail:
    """Draft or in review -> approved (publish date: `publish_on`, else kept, else today)."""
    return _move(lib, ref, Status.APPROVED, comment, publish_on=publish_on, today=today)


def reject(lib: Library, ref: str, reason: str) -> ItemDetail:
    """In review -> draft, with the reason the author needs."""
    with lib.transaction() as s:
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        if item.status != Status.IN_REVIEW:
            raise InvalidInput(
                f"'{item.title}' is {label(item.status).lower()}, not in review; only items in "
                "review can be rejected."
            )
        transition(lib, s, item, Status.DRAFT, reason)
        return _detail(s, item)


def retire(lib: Library, ref: str, reason: str = "") -> ItemDetail:
    """Any status -> retired (kept with its history; never shared or shown to reps again)."""
    return _move(lib, ref, Status.RETIRED, reason)


def reopen(lib: Library, ref: str, comment: str = "") -> ItemDetail:
    """Retired or approved -> draft."""
    return _move(lib, ref, Status.DRAFT, comment)


def schedule(lib: Library, ref: str, publish_on: date | None, comment: str = "") -> ItemDetail:
    """Set (or clear: today) the publish date; an approved item stays hidden until then."""
    with lib.transaction() as s:
        users.require(lib, users.APPROVE, "schedule publication", session=s)
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        if item.status == Status.RETIRED:
            raise InvalidInput(f"'{item.title}' is retired; reopen it before scheduling it.")
        old = item.published_at
        item.published_at = publish_on
        if item.status == Status.APPROVED and publish_on is None:
            item.published_at = date.today()
        item.updated_at = utcnow()
        lib.record(
            s, "schedule", item.key, old=old, published_at=item.published_at, comment=comment
        )
        lib.mark_dirty(s, item.key)
        return _detail(s, item)


def verify(lib: Library, ref: str, comment: str = "", *, today: date | None = None) -> ItemDetail:
    """The owner (or a reviewer) confirms the item is still right: verify-by moves to today +
    the item's review interval (battle cards: last verified = today)."""
    day = _today(today)
    with lib.transaction() as s:
        users.require(lib, users.VERIFY, session=s)
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        if item.status != Status.APPROVED:
            raise InvalidInput(
                f"'{item.title}' is {label(item.status).lower()}; only approved items are verified."
            )
        old = item.verify_by
        _set_verified(item, day, only_if_stale=False)
        item.updated_at = utcnow()
        lib.record(s, "verify", item.key, old=old, verify_by=item.verify_by, comment=comment)
        lib.mark_dirty(s, item.key)
        return _detail(s, item)


def transitions(lib: Library, ref: str) -> list[AuditEntry]:
    """The item's lifecycle history, oldest first."""
    return [e for e in audit(lib, ref) if e.action in GOVERNANCE_ACTIONS][::-1]


# -- versions ----------------------------------------------------------------------------------
def snapshot(item: Item) -> dict[str, Any]:
    """The item's content as JSON-ready values (what a version keeps)."""
    d = item_service.detail(item)
    return {
        "title": d.title,
        "summary": d.summary,
        "kind": d.kind,
        "format": d.format,
        "audience": d.audience,
        "language": d.language,
        "owner": d.owner,
        "terms": d.terms,
        "case_study": _jsonable(d.case_study),
        "battle_card": _jsonable(d.battle_card),
        "assets": [
            {
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "media_type": a.media_type,
                "page_count": a.page_count,
            }
            for a in d.assets
        ],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def record_version(
    lib: Library,
    session: Session,
    item: Item,
    note: str,
    *,
    actor: str | None = None,
    new: bool = True,
) -> int:
    """Keep the item's current content as a version, in the caller's transaction.

    `new`: a new version number (a content change); else the item's current number (its first
    version). Returns the version number."""
    session.flush()
    last = session.scalar(
        select(func.max(ItemVersion.version)).where(ItemVersion.item_id == item.id)
    )
    number = max(int(last or 0), item.version or 0) + 1 if new else max(item.version or 1, 1)
    if not new and last is not None and int(last) >= number:
        number = int(last) + 1
    now = utcnow()
    item.version = number
    item.change_note = note
    item.content_changed_at = now
    item.updated_at = now
    session.add(
        ItemVersion(
            item_id=item.id,
            version=number,
            created_at=now,
            created_by=actor if actor is not None else users.actor_name(lib),
            change_note=note,
            snapshot=snapshot(item),
        )
    )
    return number


def amend_note(lib: Library, session: Session, item: Item, note: str) -> None:
    """Reword the current version's change note (no new version), in the caller's transaction."""
    v = session.scalar(
        select(ItemVersion).where(
            ItemVersion.item_id == item.id, ItemVersion.version == item.version
        )
    )
    old = item.change_note
    item.change_note = note
    if v is not None:
        v.change_note = note
    lib.record(session, "amend-note", item.key, version=item.version, old=old, note=note)


def ensure_versions(lib: Library) -> int:
    """Give every item without a version row its current content as a version (items made by
    an older Frontline, by sync or by pack import). Returns how many this call added.

    Runs on every open, so two processes (the app and the CLI, two CLI commands) may run it at
    the same moment on the same items: each row is inserted with ON CONFLICT DO NOTHING on
    (item, version), so whoever comes second adds nothing and no UNIQUE error is raised."""
    missing_q = select(Item.id).where(
        ~select(ItemVersion.id).where(ItemVersion.item_id == Item.id).exists()
    )
    with lib.reader() as s:
        missing = list(s.scalars(missing_q))
    added = 0
    # In batches: a large library made before versions (or bulk-built) must not load every item
    # (and its extracted text) into one session on open.
    for start in range(0, len(missing), 500):
        with lib.transaction() as s:
            batch = missing[start : start + 500]
            # Re-checked inside the write: another process may have done this batch meanwhile.
            todo = missing_q.where(Item.id.in_(batch))
            for item in s.scalars(item_service.loaded().where(Item.id.in_(todo))):
                created_at = item.content_changed_at or item.updated_at
                result = s.execute(
                    sqlite_insert(ItemVersion)
                    .values(
                        item_id=item.id,
                        version=max(item.version or 1, 1),
                        created_at=created_at,
                        created_by=item.owner.name if item.owner else "",
                        change_note=item.change_note or "",
                        snapshot=snapshot(item),
                    )
                    .on_conflict_do_nothing(index_elements=["item_id", "version"])
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    added += 1
                    if item.content_changed_at is None:
                        item.content_changed_at = created_at
    return added


def _version_info(item: Item, v: ItemVersion) -> VersionInfo:
    snap = v.snapshot or {}
    return VersionInfo(
        item_key=item.key,
        version=v.version,
        created_at=v.created_at,
        created_by=v.created_by,
        change_note=v.change_note,
        title=str(snap.get("title", "")),
        files=[str(a.get("name", "")) for a in snap.get("assets", [])],
        current=v.version == item.version,
    )


def _visible_item(lib: Library, session: Session, ref: str) -> Item:
    item = _load(session, ref)
    if not item_service.can_see(lib, session, item):
        raise NotFound(f"No item with key '{ref}' in this library.")
    return item


def versions(lib: Library, ref: str) -> list[VersionInfo]:
    """Every kept version of the item, newest first (visible to whoever can see the item)."""
    with lib.reader() as s:
        item = _visible_item(lib, s, ref)
        rows = s.scalars(
            select(ItemVersion)
            .where(ItemVersion.item_id == item.id)
            .order_by(ItemVersion.version.desc())
        ).all()
        return [_version_info(item, v) for v in rows]


def version_snapshot(lib: Library, ref: str, version: int) -> VersionDetail:
    with lib.reader() as s:
        item = _visible_item(lib, s, ref)
        v = _get_version(s, item, version)
        return VersionDetail(info=_version_info(item, v), snapshot=dict(v.snapshot or {}))


def _get_version(session: Session, item: Item, version: int) -> ItemVersion:
    v = session.scalar(
        select(ItemVersion).where(ItemVersion.item_id == item.id, ItemVersion.version == version)
    )
    if v is None:
        have = session.scalars(
            select(ItemVersion.version)
            .where(ItemVersion.item_id == item.id)
            .order_by(ItemVersion.version)
        ).all()
        listed = ", ".join(str(n) for n in have) or "none"
        raise NotFound(f"'{item.title}' has no version {version} (versions: {listed}).")
    return v


def require_note(note: str | None, what: str) -> str:
    """The stripped change note, or InvalidInput naming `what` needs one."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(f"{what} needs a change note: say what changed and why.")
    return note


def keep_file_text(session: Session, asset: Asset) -> None:
    """Remember what extraction found in `asset`'s file before the asset row goes away."""
    if session.get(FileText, asset.sha256) is not None:
        return
    session.add(
        FileText(
            sha256=asset.sha256,
            media_type=asset.media_type,
            page_count=asset.page_count,
            extraction_status=asset.extraction_status,
            extraction_reason=asset.extraction_reason,
            text=asset.text,
            text_chars=asset.text_chars,
            text_truncated=asset.text_truncated,
            flags=list(asset.flags or []),
        )
    )
    session.flush()


def replace_file(
    lib: Library,
    ref: str,
    path: Path,
    note: str,
    *,
    file: str | None = None,
    timeout: float | None = None,
    password: str | None = None,
) -> ItemDetail:
    """Replace one of the item's files (`file`: its name; optional when it has one file) with
    `path`, as a new version with `note`. The old file stays in the store for older versions.
    `password` opens an encrypted replacement (as `import --password` does)."""
    from library.store import sha256_file

    note = require_note(note, "Replacing a file")
    users.require(lib, users.EDIT, "replace files")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    with lib.reader() as s:  # fail fast, before the (slow) extraction
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        target = _pick_asset(item, file)
        digest = sha256_file(path)
        if target is not None and target.sha256 == digest:
            raise InvalidInput(f"{path.name} is the file the item already has; nothing to replace.")
    ext, size = read_new_file(lib, path, digest, password=password, timeout=timeout)
    from library.importer import fill_asset

    with lib.transaction() as s:
        users.require(lib, users.EDIT, "replace files", session=s)
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        asset = _pick_asset(item, file)
        old_name = old_sha = None
        if asset is None:
            asset = Asset(position=len(item.assets))
            item.assets.append(asset)
        else:
            old_name, old_sha = asset.original_name, asset.sha256
            keep_file_text(s, asset)
        asset.original_name, asset.sha256, asset.size = path.name, digest, size
        asset.added_at = utcnow()
        fill_asset(asset, ext)
        return commit_version(
            lib,
            s,
            item,
            note,
            replaced=old_name,
            old_sha256=old_sha,
            file=path.name,
            sha256=digest,
            extraction=ext.status,
        )


def read_new_file(
    lib: Library,
    path: Path,
    digest: str,
    *,
    password: str | None = None,
    timeout: float | None = None,
) -> tuple[Extraction, int]:
    """Extract `path` in the sandbox and store it content-addressed, outside any transaction
    (slow); returns the extraction and the stored size. Raises LibraryError when the file
    changed since `digest` was taken."""
    from library.extract import DEFAULT_TIMEOUT_S, ExtractorPool

    with ExtractorPool() as pool:
        ext = pool.extract(path, password=password or None, timeout=timeout or DEFAULT_TIMEOUT_S)
    stored, size = lib.store.add_file(path)
    if stored != digest:
        raise LibraryError(f"{path.name} changed while it was read; try again.")
    return ext, size


def commit_version(
    lib: Library, session: Session, item: Item, note: str, **detail: Any
) -> ItemDetail:
    """Inside the change's transaction: snapshot `item` as a new version with `note`, log a
    "new-version" row with `detail`, queue the item for the search index."""
    number = record_version(lib, session, item, note)
    lib.record(session, "new-version", item.key, version=number, note=note, **detail)
    lib.mark_dirty(session, item.key)
    return _detail(session, item)


def _pick_asset(item: Item, name: str | None) -> Asset | None:
    if not item.assets:
        return None
    if name is None:
        if len(item.assets) == 1:
            return item.assets[0]
        names = ", ".join(a.original_name for a in item.assets)
        raise InvalidInput(f"'{item.title}' has several files ({names}); say which one to replace.")
    for a in item.assets:
        if a.original_name.casefold() == name.strip().casefold():
            return a
    names = ", ".join(a.original_name for a in item.assets)
    raise NotFound(f"'{item.title}' has no file named '{name}' (files: {names}).")


def restore_version(lib: Library, ref: str, version: int, note: str = "") -> ItemDetail:
    """Make version `version`'s content (title, summary, files, sections) current again, as a
    new version. Its files come back from the store; their text from the kept extraction (or a
    new extraction when none was kept)."""
    users.require(lib, users.EDIT, "restore versions")
    with lib.reader() as s:
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        snap = dict(_get_version(s, item, version).snapshot or {})
        current = item.version
    if version == current:
        raise InvalidInput(f"Version {version} is already the current version.")
    assets = list(snap.get("assets", []))
    texts = _texts_for({str(a["sha256"]): str(a.get("name") or "file") for a in assets}, lib)
    with lib.transaction() as s:
        users.require(lib, users.EDIT, "restore versions", session=s)
        item = _load(s, ref)
        item_service.ensure_editable(s, item)
        item.title = str(snap.get("title") or item.title)
        item.summary = str(snap.get("summary") or "")
        for a in list(item.assets):
            keep_file_text(s, a)
        item.assets.clear()
        s.flush()
        for pos, a in enumerate(assets):
            digest = str(a["sha256"])
            t = texts[digest]
            item.assets.append(
                Asset(
                    position=pos,
                    original_name=str(a.get("name") or digest[:12]),
                    size=int(a.get("size") or 0),
                    sha256=digest,
                    media_type=t.media_type,
                    page_count=t.page_count,
                    extraction_status=t.extraction_status,
                    extraction_reason=t.extraction_reason,
                    text=t.text,
                    text_chars=t.text_chars,
                    text_truncated=t.text_truncated,
                    flags=list(t.flags or []),
                )
            )
        for section in ("case_study", "battle_card"):
            values = snap.get(section)
            if values:
                for k, v in values.items():
                    item_service.set_section(s, item, section, k, v)
            elif getattr(item, section) is not None:
                setattr(item, section, None)
        text = f"Restored version {version}" + (f": {note.strip()}" if note.strip() else ".")
        number = record_version(lib, s, item, text)
        lib.record(s, "restore", item.key, version=number, restored=version, note=note.strip())
        lib.mark_dirty(s, item.key)
        return _detail(s, item)


def _texts_for(names: dict[str, str], lib: Library) -> dict[str, FileText]:
    """Extraction results for stored files: from current assets, kept texts, or a new run.

    Raises LibraryError when a file is no longer in the store (that version cannot come back)."""
    digests = list(names)
    for d in digests:
        if not lib.store.path_for(d).is_file():
            raise LibraryError(
                "A file of that version is no longer in the library's files/ folder; "
                "it cannot be restored ('main.py check' lists such versions)."
            )
    out: dict[str, FileText] = {}
    with lib.reader() as s:
        for d in digests:
            kept = s.get(FileText, d)
            if kept is None:
                a = s.scalar(select(Asset).where(Asset.sha256 == d).limit(1))
                if a is not None:
                    kept = FileText(
                        sha256=d,
                        media_type=a.media_type,
                        page_count=a.page_count,
                        extraction_status=a.extraction_status,
                        extraction_reason=a.extraction_reason,
                        text=a.text,
                        text_chars=a.text_chars,
                        text_truncated=a.text_truncated,
                        flags=list(a.flags or []),
                    )
            if kept is not None:
                s.expunge(kept) if kept in s else None
                out[d] = kept
    missing = [d for d in digests if d not in out]
    if missing:
        import shutil
        import tempfile

        from library.extract import ExtractorPool

        with ExtractorPool() as pool, tempfile.TemporaryDirectory(prefix="frontline-") as tmp:
            for n, d in enumerate(missing):
                # the extractor recognises formats by name too: give the copy its real name
                copy = Path(tmp) / str(n) / Path(names[d]).name
                copy.parent.mkdir()
                shutil.copyfile(lib.store.path_for(d), copy)
                ext = pool.extract(copy)
                out[d] = FileText(
                    sha256=d,
                    media_type=ext.media_type,
                    page_count=ext.page_count,
                    extraction_status=ext.status,
                    extraction_reason=ext.reason,
                    text=ext.text,
                    text_chars=ext.text_chars,
                    text_truncated=ext.text_truncated,
                    flags=list(ext.flags),
                )
    return out


def whats_new(
    lib: Library, since: datetime, *, limit: int = 50, today: date | None = None
) -> list[NewsEntry]:
    """Items published or given a new version after `since`, newest first, among the items the
    current user sees by default (approved and current; partners: partner-shareable)."""
    day = _today(today)
    role = users.role_of(lib)
    with lib.reader() as s:
        clause = item_service.visibility_clause(role, day, include_all=False, force=True)
        assert clause is not None
        approvals = {
            k: at
            for k, at in s.execute(
                select(Activity.item_key, func.max(Activity.at))
                .where(Activity.action == "approve", Activity.at > since)
                .group_by(Activity.item_key)
            )
        }
        candidates = s.scalars(
            select(Item)
            .where(clause)
            .where(
                or_(
                    Item.published_at >= since.date(),
                    Item.content_changed_at > since,
                    Item.key.in_(list(approvals)),
                )
            )
        ).all()
        out: list[NewsEntry] = []
        for item in candidates:
            if item.published_at is None:  # approved before publish dates were kept (import, sync)
                item_published = (approvals.get(item.key) or item.updated_at).date()
            else:
                item_published = item.published_at
            latest = s.scalar(
                select(ItemVersion)
                .where(ItemVersion.item_id == item.id)
                .order_by(ItemVersion.version.desc())
                .limit(1)
            )
            approved_at = approvals.get(item.key)
            published_dt = datetime.combine(item_published, datetime.min.time())
            is_new = item_published > since.date() or approved_at is not None
            if is_new:
                at = max(x for x in (approved_at, published_dt) if x is not None)
                out.append(
                    NewsEntry(
                        item.key,
                        item.title,
                        "new",
                        item.version,
                        item.change_note,
                        at,
                        latest.created_by if latest else "",
                    )
                )
            elif latest is not None and latest.created_at > since and latest.version > 1:
                out.append(
                    NewsEntry(
                        item.key,
                        item.title,
                        "updated",
                        latest.version,
                        latest.change_note,
                        latest.created_at,
                        latest.created_by,
                    )
                )
        out.sort(key=lambda e: e.at, reverse=True)
        return out[:limit]


# -- review --------------------------------------------------------------------------------------
def review_due(
    lib: Library, days: int = 30, owner: str | None = None, *, today: date | None = None
) -> list[ReviewGroup]:
    """Approved and in-review items that expire or need verification within `days` (overdue
    ones included), grouped per owner (owners A-Z, items by due date)."""
    if days < 0:
        raise InvalidInput("--days must be 0 or more.")
    day = _today(today)
    horizon = day + timedelta(days=days)
    role = users.role_of(lib)
    statuses = [Status.APPROVED.value]
    if users.can(lib, users.VIEW_ALL):
        statuses.append(Status.IN_REVIEW.value)
    with lib.reader() as s:
        q = (
            item_service.loaded()
            .where(Item.status.in_(statuses))
            .where(or_(Item.expires_on <= horizon, Item.verify_by <= horizon))
        )
        if role == Role.PARTNER:
            clause = item_service.visibility_clause(role, day, include_all=False)
            if clause is not None:
                q = q.where(clause)
        if owner is not None:
            # By name or e-mail, like everywhere else; a typo is an error, not "nothing due".
            person = users.find_user(s, owner)
            if person is None:
                raise NotFound(
                    f"No user named '{owner}' in this library (see 'main.py user list')."
                )
            q = q.where(Item.owner_id == person.id)
        rows = s.scalars(q).all()
        groups: dict[str, list[ReviewEntry]] = {}
        for item in rows:
            name = item.owner.name if item.owner else ""
            reasons: list[str] = []
            dues: list[date] = []
            if item.expires_on is not None and item.expires_on <= horizon:
                dues.append(item.expires_on)
                reasons.append(_when("expired", "expires", item.expires_on, day))
            if item.verify_by is not None and item.verify_by <= horizon:
                dues.append(item.verify_by)
                reasons.append(
                    _when("verification overdue since", "verify by", item.verify_by, day)
                )
            groups.setdefault(name, []).append(
                ReviewEntry(
                    item_key=item.key,
                    title=item.title,
                    status=item.status,
                    format=item.format,
                    owner=name,
                    expires_on=item.expires_on,
                    verify_by=item.verify_by,
                    due=min(dues),
                    reasons=reasons,
                )
            )
    return [
        ReviewGroup(owner=name, items=sorted(entries, key=lambda e: (e.due, e.title.casefold())))
        for name, entries in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0].casefold()))
    ]


def _when(past: str, future: str, when: date, today: date) -> str:
    n = (when - today).days
    if n < 0:
        return f"{past} {when.isoformat()} ({-n} day{'s' if n != -1 else ''} ago)"
    if n == 0:
        return f"{future} {when.isoformat()} (today)"
    return f"{future} {when.isoformat()} (in {n} day{'s' if n != 1 else ''})"


# -- audit log -------------------------------------------------------------------------------------
def audit(
    lib: Library,
    ref: str | None = None,
    *,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The activity log, newest first: one item's history (anyone who can see the item) or the
    whole log (admins, marketers, reviewers). Append-only: nothing here is ever edited."""
    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    with lib.reader() as s:
        q = select(Activity).order_by(Activity.id.desc())
        if ref is not None:
            item = _visible_item(lib, s, ref)
            q = q.where(Activity.item_key == item.key)
        else:
            users.require(lib, users.AUDIT, session=s)
        if since is not None:
            q = q.where(Activity.at > since)
        if limit:
            q = q.limit(limit)
        rows = s.scalars(q).all()
        keys = {r.item_key for r in rows if r.item_key}
        titles = {
            k: t for k, t in s.execute(select(Item.key, Item.title).where(Item.key.in_(keys)))
        }
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                item_key=r.item_key,
                title=titles.get(r.item_key or "", str((r.detail or {}).get("title", ""))),
                detail=dict(r.detail or {}),
            )
            for r in rows
        ]


CSV_COLUMNS = ("id", "at", "actor", "action", "item_key", "item_title", "detail")


def audit_csv(lib: Library, dest: Path, ref: str | None = None) -> int:
    """Write the audit log (oldest first) as UTF-8 CSV to `dest`; returns the rows written.

    Needs the `audit` permission even for one item (the file leaves the app). Cells that a
    spreadsheet would run as a formula are prefixed with an apostrophe."""
    users.require(lib, users.AUDIT, "export the audit log")
    entries = audit(lib, ref)[::-1]
    dest = Path(dest)
    if dest.is_dir():
        raise InvalidInput(f"{dest} is a folder; give a file name for the CSV.")
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS)
            for e in entries:
                w.writerow(
                    [
                        e.id,
                        e.at.isoformat(timespec="seconds"),
                        _cell(e.actor),
                        e.action,
                        e.item_key or "",
                        _cell(e.title),
                        _cell(json.dumps(e.detail, ensure_ascii=False, sort_keys=True)),
                    ]
                )
        tmp.replace(dest)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LibraryError(f"Cannot write {dest}: {e.strerror}.") from None
    return len(entries)


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Re-exported so callers need one import for the lifecycle and its filters.
__all__ = [
    "GOVERNANCE_ACTIONS",
    "LIFECYCLE_ACTIONS",
    "TRANSITIONS",
    "PermissionDenied",
    "approve",
    "audit",
    "audit_csv",
    "ensure_versions",
    "record_version",
    "reject",
    "reopen",
    "replace_file",
    "restore_version",
    "retire",
    "review_due",
    "schedule",
    "snapshot",
    "submit",
    "transition",
    "transitions",
    "verify",
    "version_snapshot",
    "versions",
    "whats_new",
]
