"""Building publisher libraries quickly, for the sync tests and `bench/sync_bench.py`.

Items get real files in the content-addressed store (publishing copies them into the channel,
so they must exist). Not used by the app itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from library.core import Library
from library.models import Asset, Item, Term, item_terms, new_key, utcnow


@dataclass(slots=True)
class NewItem:
    title: str
    body: str = ""
    status: str = "approved"
    kind: str = "collateral"
    format: str = "data-sheet"
    audience: str = "customer"
    summary: str = ""
    expires_on: date | None = None
    published_at: date | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
    files: int = 1  # files per item; file n holds the body plus its number
    key: str = ""


def file_bytes(it: NewItem, n: int) -> bytes:
    return f"{it.title}\n{it.body}\nfile {n}\n".encode()


def add_items(lib: Library, items: Iterable[NewItem], chunk: int = 500) -> list[str]:
    """Insert items (Core inserts, fast) with their files stored; returns their keys.

    Writes search outbox rows like the real services do."""
    keys: list[str] = []
    term_ids: dict[tuple[str, str], int] = {}
    with lib.reader() as s:
        for tid, tax, name in s.execute(select(Term.id, Term.taxonomy, Term.name)):
            term_ids[(tax, name)] = tid
    batch: list[NewItem] = []

    def flush() -> None:
        if not batch:
            return
        blobs: dict[str, list[tuple[str, int]]] = {}
        for it in batch:
            it.key = it.key or new_key()
            blobs[it.key] = [lib.store.add_bytes(file_bytes(it, n)) for n in range(it.files)]
        now = utcnow()
        with lib.transaction() as s:
            for it in batch:
                for tax, names in it.terms.items():
                    for name in names:
                        if (tax, name) not in term_ids:
                            tid = s.scalar(
                                insert(Term)
                                .values(
                                    taxonomy=tax,
                                    name=name,
                                    name_folded=name.casefold(),
                                    position=0,
                                )
                                .returning(Term.id)
                            )
                            assert tid is not None
                            term_ids[(tax, name)] = int(tid)
            s.execute(
                insert(Item),
                [
                    {
                        "key": it.key,
                        "title": it.title,
                        "summary": it.summary,
                        "kind": it.kind,
                        "format": it.format,
                        "status": it.status,
                        "audience": it.audience,
                        "language": "en",
                        "created_at": now,
                        "updated_at": now,
                        "published_at": it.published_at,
                        "expires_on": it.expires_on,
                        "version": 1,
                        "change_note": "",
                    }
                    for it in batch
                ],
            )
            ids = dict(
                s.execute(
                    select(Item.key, Item.id).where(Item.key.in_([it.key for it in batch]))
                ).all()
            )
            s.execute(
                insert(Asset),
                [
                    {
                        "item_id": ids[it.key],
                        "position": n,
                        "original_name": f"{it.title[:40]} {n}.txt",
                        "media_type": "text/plain",
                        "size": size,
                        "sha256": sha,
                        "page_count": None,
                        "extraction_status": "ok",
                        "extraction_reason": "",
                        "text": file_bytes(it, n).decode(),
                        "text_chars": size,
                        "text_truncated": False,
                        "flags": [],
                        "added_at": now,
                    }
                    for it in batch
                    for n, (sha, size) in enumerate(blobs[it.key])
                ],
            )
            links = [
                {"item_id": ids[it.key], "term_id": term_ids[(tax, name)]}
                for it in batch
                for tax, names in it.terms.items()
                for name in dict.fromkeys(names)
            ]
            if links:
                s.execute(insert(item_terms), links)
            for it in batch:
                Library.mark_dirty(s, it.key)
        keys.extend(it.key for it in batch)
        batch.clear()

    for it in items:
        batch.append(it)
        if len(batch) >= chunk:
            flush()
    flush()
    return keys


def change_items(lib: Library, keys: list[str], **values: Any) -> None:
    """Set columns of items (a new version with a change note when `body` is given: the first
    file is replaced by a new stored file with that text)."""
    body = values.pop("body", None)
    with lib.transaction() as s:
        for key in keys:
            item = s.scalar(select(Item).where(Item.key == key))
            if item is None:
                raise KeyError(key)
            for k, v in values.items():
                setattr(item, k, v)
            if body is not None:
                data = f"{item.title}\n{body}\n".encode()
                sha, size = lib.store.add_bytes(data)
                a = item.assets[0]
                a.sha256, a.size, a.text, a.text_chars = sha, size, data.decode(), size
                item.version += 1
                item.change_note = values.get("change_note", f"Version {item.version}")
            item.updated_at = datetime.now().replace(microsecond=0)
            Library.mark_dirty(s, key)


def blob_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
