"""Qt-free library services the UI needs that `library/` does not offer yet.

Each function is a plain read or one transaction, written the way the core's services are
(plain values out, outbox and activity log inside the transaction). They live here only
because ui/ may not edit library/; they are meant to move to `library.items` /
`library.terms` unchanged (see the UI issue's closing note).
"""

from __future__ import annotations

from sqlalchemy import func, select

from library import terms as taxonomy
from library.core import Library
from library.models import Asset, Item
from library.values import TermInfo


def item_count(lib: Library) -> int:
    """How many items the library holds (every status)."""
    with lib.reader() as s:
        return int(s.scalar(select(func.count()).select_from(Item)) or 0)


def item_blurbs(lib: Library, keys: list[str]) -> dict[str, str]:
    """key -> the item's summary text (what a browse list shows instead of a snippet)."""
    if not keys:
        return {}
    with lib.reader() as s:
        return {
            k: v or ""
            for k, v in s.execute(select(Item.key, Item.summary).where(Item.key.in_(keys)))
        }


def asset_text(lib: Library, asset_id: int) -> str:
    """The extracted text of one file (pages separated by form feeds)."""
    with lib.reader() as s:
        return str(s.scalar(select(Asset.text).where(Asset.id == asset_id)) or "")


def all_terms(lib: Library, taxonomies: tuple[str, ...]) -> dict[str, list[TermInfo]]:
    """Every value of the given taxonomies with its item count (in display order)."""
    with lib.reader() as s:
        return {tax: taxonomy.list_terms(s, tax) for tax in taxonomies}


def rename_term(lib: Library, tax: str, old: str, new: str) -> list[str]:
    """Rename a taxonomy value (merging when `new` exists) and re-index the affected items."""
    tax = taxonomy.taxonomy_name(tax)
    with lib.transaction() as s:
        keys = taxonomy.rename(s, tax, old, new)
        for key in keys:
            lib.mark_dirty(s, key)
        lib.record(s, "taxonomy-rename", None, taxonomy=tax, old=old, new=new, items=len(keys))
    return keys


def merge_terms(lib: Library, tax: str, sources: list[str], target: str) -> list[str]:
    """Merge values into `target` (keeping every item's link) and re-index the affected items."""
    tax = taxonomy.taxonomy_name(tax)
    with lib.transaction() as s:
        keys = taxonomy.merge(s, tax, sources, target)
        for key in keys:
            lib.mark_dirty(s, key)
        lib.record(
            s, "taxonomy-merge", None, taxonomy=tax, sources=sources, target=target, items=len(keys)
        )
    return keys
