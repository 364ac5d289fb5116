"""Add a file to an item or remove one: each is a new version with a required change note.

    add_file(lib, key, path, note, password=None)  -> ItemDetail
    remove_file(lib, key, asset, note)             -> ItemDetail   (asset: its id or file name)

Same rules as `governance.replace_file`: only people who may edit (admins, marketers) do it;
the new file is read by the sandboxed extractor (a hostile or broken file cannot take the app
down) before the transaction opens, then stored content-addressed in files/; the version
snapshot, the activity-log row ("new-version" with `added` / `removed`) and the search outbox
are written in one transaction, so a failure leaves nothing half-written. A removed file stays
in the store for the older versions that name it (restoring one brings it back).

An item may end up without files when something is left to read: a summary, or a case-study /
battle-card section written in the editor (a customer quote, a talk track). Removing the last
file of an item that has neither is refused with a sentence.
"""

from __future__ import annotations

from pathlib import Path

from library import governance, users
from library import items as item_service
from library.core import Library
from library.errors import InvalidInput, NotFound
from library.models import Asset, Item, utcnow
from library.values import ItemDetail


def _check_new_file(item: Item, name: str, digest: str) -> None:
    for a in item.assets:
        if a.sha256 == digest:
            raise InvalidInput(
                f"'{item.title}' already has this file (as {a.original_name}); nothing to add."
            )
        if a.original_name.casefold() == name.casefold():
            raise InvalidInput(
                f"'{item.title}' already has a file named {name}; use Replace file to put a "
                "new version of it."
            )


def add_file(
    lib: Library,
    key: str,
    path: Path,
    note: str,
    password: str | None = None,
    *,
    timeout: float | None = None,
) -> ItemDetail:
    """Add `path` as one more file of item `key`, as a new version with `note`.

    `password` opens an encrypted file (as `import --password` does). A file whose text cannot
    be extracted (encrypted without the password, image-only...) is still added, with its
    extraction status, like an import. Raises PermissionDenied, InvalidInput, NotFound."""
    from library.importer import fill_asset
    from library.store import sha256_file

    note = governance.require_note(note, "Adding a file")
    users.require(lib, users.EDIT, "add files to items")
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    try:
        digest = sha256_file(path)
    except OSError as e:
        raise InvalidInput(f"{path.name} cannot be read ({e.strerror or e}).") from None
    with lib.reader() as s:  # fail fast, before the (slow) extraction
        item = item_service.find(s, key)
        item_service.ensure_editable(s, item)
        _check_new_file(item, path.name, digest)
    ext, size = governance.read_new_file(lib, path, digest, password=password, timeout=timeout)
    with lib.transaction() as s:
        users.require(lib, users.EDIT, "add files to items", session=s)
        item = item_service.find(s, key)
        item_service.ensure_editable(s, item)
        _check_new_file(item, path.name, digest)  # someone may have added it meanwhile
        asset = Asset(
            position=max((a.position for a in item.assets), default=-1) + 1,
            original_name=path.name,
            sha256=digest,
            size=size,
            added_at=utcnow(),
        )
        fill_asset(asset, ext)
        item.assets.append(asset)
        return governance.commit_version(
            lib, s, item, note, added=path.name, sha256=digest, extraction=ext.status
        )


def remove_file(lib: Library, key: str, asset: int | str, note: str) -> ItemDetail:
    """Remove one file (by asset id, or by file name ignoring case) from item `key`, as a new
    version with `note`. Raises PermissionDenied, InvalidInput, NotFound."""
    note = governance.require_note(note, "Removing a file")
    users.require(lib, users.EDIT, "remove files from items")
    with lib.transaction() as s:
        users.require(lib, users.EDIT, "remove files from items", session=s)
        item = item_service.find(s, key)
        item_service.ensure_editable(s, item)
        target = _find_asset(item, asset)
        if len(item.assets) == 1 and not _has_own_content(item):
            raise InvalidInput(
                f"{target.original_name} is the only file of '{item.title}', which has no "
                "summary or written sections: it would be left empty. Add the new file first, "
                "use Replace file, or retire the item."
            )
        governance.keep_file_text(s, target)  # older versions can still be restored with text
        item.assets.remove(target)
        for n, a in enumerate(item.assets):
            a.position = n
        s.flush()
        return governance.commit_version(
            lib, s, item, note, removed=target.original_name, old_sha256=target.sha256
        )


def _find_asset(item: Item, ref: int | str) -> Asset:
    names = ", ".join(a.original_name for a in item.assets) or "none"
    if not item.assets:
        raise NotFound(f"'{item.title}' has no files.")
    if isinstance(ref, int) and not isinstance(ref, bool):
        for a in item.assets:
            if a.id == ref:
                return a
        raise NotFound(f"'{item.title}' has no such file any more (files: {names}).")
    if isinstance(ref, str) and ref.strip():
        for a in item.assets:
            if a.original_name.casefold() == ref.strip().casefold():
                return a
        raise NotFound(f"'{item.title}' has no file named '{ref.strip()}' (files: {names}).")
    raise InvalidInput("Say which file to remove (its name).")


def _has_own_content(item: Item) -> bool:
    """Something to read without files: a summary or a written section."""
    if (item.summary or "").strip():
        return True
    d = item_service.detail(item)
    return any(
        _filled(v) for section in (d.case_study, d.battle_card) for v in (section or {}).values()
    )


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return False  # dates (battle_card.last_verified) alone are not content


__all__ = ["add_file", "remove_file"]
