"""Creating items directly in a library, for search tests and benchmarks.

Goes through SQLAlchemy and `Library.mark_dirty` like the real services do (same transaction),
without depending on the importer or the demo generator. Not used by the app itself.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select

from library.core import Library
from library.models import Asset, BattleCard, Item, Term, utcnow


def term(session: Any, taxonomy: str, name: str) -> Term:
    t = session.scalar(
        select(Term).where(Term.taxonomy == taxonomy, Term.name_folded == name.casefold())
    )
    if t is None:
        t = Term(taxonomy=taxonomy, name=name, name_folded=name.casefold())
        session.add(t)
        session.flush()
    return t


def add_item(
    lib: Library,
    title: str,
    body: str | list[str] = "",
    *,
    summary: str = "",
    kind: str = "collateral",
    format: str = "data-sheet",
    status: str = "approved",
    audience: str = "customer",
    language: str = "en",
    published_at: date | None = None,
    expires_on: date | None = None,
    verify_by: date | None = None,
    terms: dict[str, list[str]] | None = None,
    files: list[tuple[str, str, int | None]] | None = None,
    last_verified: date | None = None,
) -> str:
    """Add an item (and its files) in one transaction with its outbox row; returns its key.

    `body` is one file's text (a list = pages joined by form feeds); `files` gives several
    files as (name, text, page count or None)."""
    if files is None:
        text = "\f".join(body) if isinstance(body, list) else body
        pages = len(body) if isinstance(body, list) else None
        files = [
            (f"{title[:40] or 'file'}.pdf" if pages else f"{title[:40] or 'file'}.txt", text, pages)
        ]
    with lib.transaction() as s:
        item = Item(
            title=title,
            summary=summary,
            kind=kind,
            format=format,
            status=status,
            audience=audience,
            language=language,
            published_at=published_at,
            expires_on=expires_on,
            verify_by=verify_by,
        )
        s.add(item)
        for tax, names in (terms or {}).items():
            for name in names:
                item.terms.append(term(s, tax, name))
        for pos, (name, text, pages) in enumerate(files):
            data = text.encode()
            item.assets.append(
                Asset(
                    position=pos,
                    original_name=name,
                    media_type="application/pdf" if pages else "text/plain",
                    size=len(data),
                    sha256=hashlib.sha256(data + name.encode()).hexdigest(),
                    page_count=pages,
                    extraction_status="ok",
                    text=text,
                    text_chars=len(text),
                )
            )
        if last_verified is not None:
            item.battle_card = BattleCard(last_verified=last_verified)
        s.flush()
        key = item.key
        lib.mark_dirty(s, key)
    return key


def edit_item(lib: Library, key: str, **values: Any) -> None:
    """Set item columns (and `body=` for its first file's text) with an outbox row."""
    with lib.transaction() as s:
        item = s.scalar(select(Item).where(Item.key == key))
        assert item is not None
        body = values.pop("body", None)
        for k, v in values.items():
            setattr(item, k, v)
        if body is not None:
            item.assets[0].text = body
            item.assets[0].text_chars = len(body)
        item.updated_at = utcnow()
        lib.mark_dirty(s, key)


def delete_item(lib: Library, key: str) -> None:
    with lib.transaction() as s:
        item = s.scalar(select(Item).where(Item.key == key))
        assert item is not None
        s.delete(item)
        lib.mark_dirty(s, key)
