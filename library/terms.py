"""Taxonomy values (personas, stages, products, industries, regions, competitors, tags).

Names are matched case-insensitively; values a user names that the library does not have yet are
created (and reported) when the caller allows it. Rename and merge keep every item's links.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from library.errors import InvalidInput, NotFound
from library.models import Item, PersonaProfile, Term, item_terms
from library.values import TermInfo
from library.vocab import TAXONOMIES

if TYPE_CHECKING:
    from library.core import Library

TAXONOMY_ALIASES = {
    "personas": "persona",
    "stages": "stage",
    "sales-stage": "stage",
    "sales_stage": "stage",
    "products": "product",
    "industries": "industry",
    "regions": "region",
    "competitors": "competitor",
    "tags": "tag",
}


def taxonomy_name(text: str) -> str:
    t = text.strip().lower()
    t = TAXONOMY_ALIASES.get(t, t)
    if t not in TAXONOMIES:
        raise InvalidInput(f"'{text}' is not a taxonomy (use one of: {', '.join(TAXONOMIES)}).")
    return t


def clean_name(name: str) -> str:
    return " ".join(name.split())


def resolve(
    session: Session, taxonomy: str, names: Iterable[str], *, create: bool = True
) -> tuple[list[Term], list[str]]:
    """Terms for `names` in `taxonomy`, creating missing ones when `create`.

    Returns (terms in the given order without duplicates, names that were created)."""
    terms: list[Term] = []
    created: list[str] = []
    seen: set[int] = set()
    for raw in names:
        name = clean_name(raw)
        if not name:
            continue
        term = session.scalar(
            select(Term).where(Term.taxonomy == taxonomy, Term.name_folded == name.casefold())
        )
        if term is None:
            if not create:
                raise NotFound(f"No {taxonomy} named '{name}' in this library.")
            position = (
                session.scalar(select(func.max(Term.position)).where(Term.taxonomy == taxonomy))
                or 0
            ) + 1
            term = Term(
                taxonomy=taxonomy, name=name, name_folded=name.casefold(), position=position
            )
            if taxonomy == "persona":
                term.persona = PersonaProfile()
            session.add(term)
            session.flush()
            created.append(name)
        if term.id not in seen:
            seen.add(term.id)
            terms.append(term)
    return terms, created


def list_terms(session: Session, taxonomy: str) -> list[TermInfo]:
    counts = (
        select(Term.id, func.count(item_terms.c.item_id))
        .outerjoin(item_terms, item_terms.c.term_id == Term.id)
        .where(Term.taxonomy == taxonomy)
        .group_by(Term.id)
    )
    by_id = {row[0]: row[1] for row in session.execute(counts)}
    terms = session.scalars(
        select(Term).where(Term.taxonomy == taxonomy).order_by(Term.position, Term.name_folded)
    ).all()
    return [TermInfo(taxonomy, t.name, t.position, int(by_id.get(t.id, 0))) for t in terms]


def rename(session: Session, taxonomy: str, old: str, new: str) -> list[str]:
    """Rename a value; when `new` already exists the two are merged. Returns affected item keys."""
    (term,), _ = resolve(session, taxonomy, [old], create=False)
    new = clean_name(new)
    if not new:
        raise InvalidInput("The new name is empty.")
    existing = session.scalar(
        select(Term).where(Term.taxonomy == taxonomy, Term.name_folded == new.casefold())
    )
    if existing is not None and existing.id != term.id:
        return merge(session, taxonomy, [term.name], existing.name)
    term.name, term.name_folded = new, new.casefold()
    return _item_keys(session, term.id)


def merge(session: Session, taxonomy: str, sources: list[str], target: str) -> list[str]:
    """Move every item link of `sources` to `target` and delete the sources."""
    (dest,), _ = resolve(session, taxonomy, [target], create=True)
    affected: set[str] = set()
    for name in sources:
        (src,), _ = resolve(session, taxonomy, [name], create=False)
        if src.id == dest.id:
            continue
        keys = _item_keys(session, src.id)
        affected.update(keys)
        for item in session.scalars(select(Item).where(Item.key.in_(keys))):
            if dest not in item.terms:
                item.terms.append(dest)
            item.terms.remove(src)
        session.delete(src)
    session.flush()
    return sorted(affected)


def _item_keys(session: Session, term_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Item.key)
            .join(item_terms, item_terms.c.item_id == Item.id)
            .where(item_terms.c.term_id == term_id)
        )
    )


# -- services (a transaction each; admins only: taxonomies are shared definitions) ----------------
def rename_term(lib: Library, tax: str, old: str, new: str) -> list[str]:
    """Rename a taxonomy value (merging when `new` exists) and re-index the affected items.

    Admins only (PermissionDenied otherwise). Returns the affected item keys."""
    from library import users

    tax = taxonomy_name(tax)
    with lib.transaction() as s:
        users.require(lib, users.TAXONOMY, session=s)
        keys = rename(s, tax, old, new)
        for key in keys:
            lib.mark_dirty(s, key)
        lib.record(s, "taxonomy-rename", None, taxonomy=tax, old=old, new=new, items=len(keys))
    return keys


def merge_terms(lib: Library, tax: str, sources: list[str], target: str) -> list[str]:
    """Merge values into `target` (keeping every item's link) and re-index the affected items.

    Admins only (PermissionDenied otherwise). Returns the affected item keys."""
    from library import users

    tax = taxonomy_name(tax)
    with lib.transaction() as s:
        users.require(lib, users.TAXONOMY, session=s)
        keys = merge(s, tax, sources, target)
        for key in keys:
            lib.mark_dirty(s, key)
        lib.record(
            s, "taxonomy-merge", None, taxonomy=tax, sources=sources, target=target, items=len(keys)
        )
    return keys


def unknown_names(lib: Library, names_by_taxonomy: dict[str, list[str]]) -> list[str]:
    """One sentence per filter value the library has no term for (case-insensitive), so a
    typo in `--persona` reads as a typo, not as "nothing matched". Personas and stages, the
    shared definitions, list the known names; other taxonomies only name the miss."""
    notes: list[str] = []
    with lib.reader() as s:
        for tax, names in names_by_taxonomy.items():
            taxonomy = taxonomy_name(tax)
            known = {
                folded: name
                for folded, name in s.execute(
                    select(Term.name_folded, Term.name)
                    .where(Term.taxonomy == taxonomy)
                    .order_by(Term.position, Term.name_folded)
                )
            }
            for name in names:
                if clean_name(name).casefold() in known or not name.strip():
                    continue
                hint = ""
                if taxonomy in ("persona", "stage") and known:
                    hint = f" (known: {', '.join(known.values())})"
                notes.append(f"No {taxonomy} named '{name}' in this library{hint}.")
    return notes
