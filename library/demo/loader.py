"""Load the demo company into a library: its people, personas, taxonomies and ~40 items with real
files, through the same extraction and item-creation path as a normal import.

The whole catalog is one transaction: a library gets all of it or none of it. The brand kit
(company, logo, colours, fonts, texts) and the partner profiles follow through the branding
services, so their validation and admin rule apply as in the app; their values are checked
before the catalog is written. A library that already has a brand kit or a partner of the same
name keeps it (`--force` adds the demo to a real library without re-branding it).
"""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from library import branding, users
from library import terms as taxonomy
from library.core import Library
from library.demo import DemoCatalog, DemoItem, build_demo
from library.errors import InvalidInput
from library.extract import ExtractorPool
from library.importer import StoredFile, create_item
from library.models import (
    Activity,
    Feedback,
    Item,
    ItemVersion,
    PersonaProfile,
    User,
    new_key,
    utcnow,
)
from library.progress import Cancel, Progress, ProgressCallback, no_progress
from library.vocab import ExtractionStatus


def load_demo(
    lib: Library,
    *,
    force: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """Fill `lib` with the demo content. Refuses a library that already has items unless `force`.

    Needs an admin (the demo writes people and roles): whoever creates a library is its admin.
    Returns {"items": n, "files": n, "library": path, "brand_kit": set or not,
    "partners": [names added]}."""
    users.require(lib, users.USERS, "load the demo (it adds people and roles)")
    with lib.reader() as s:
        existing = int(s.scalar(select(func.count()).select_from(Item)) or 0)
    if existing and not force:
        raise InvalidInput(
            f"This library already has {existing} items; use --force to add the demo content anyway."
        )
    with tempfile.TemporaryDirectory(prefix="frontline-demo-") as tmp:
        progress(Progress(0, None, "Writing the demo files"))
        catalog = build_demo(Path(tmp))
        files = [f for item in catalog.items for f in item.files]
        brand = {k: branding.clean_brand_value(k, v) for k, v in catalog.brand.items()}
        total = len(files) + 2
        extracted: dict[Path, StoredFile] = {}
        with ExtractorPool() as pool:
            for n, path in enumerate(files):
                if cancel is not None and cancel.requested:
                    return {"items": 0, "files": 0, "library": str(lib.root), "cancelled": True}
                progress(Progress(n, total, f"Reading {path.name}"))
                ext = pool.extract(path)
                digest, size = lib.store.add_file(path)
                extracted[path] = StoredFile(path.name, digest, size, ext)
        progress(Progress(len(files), total, "Cataloguing"))
        reviewer = next((u.name for u in catalog.users if u.role == "reviewer"), "")
        with lib.transaction() as s:
            _taxonomies(s, catalog)
            for demo in catalog.items:
                fields: dict[str, Any] = {
                    "title": demo.title,
                    "summary": demo.summary,
                    "kind": demo.kind,
                    "format": demo.format,
                    "status": demo.status,
                    "audience": demo.audience,
                    "language": demo.language,
                    "published_at": demo.published_at,
                    "expires_on": demo.expires_on,
                    "verify_by": demo.verify_by,
                    "change_note": demo.change_note,
                    "owner": demo.owner,
                    "version": demo.version,
                }
                terms = {
                    "persona": demo.personas,
                    "stage": demo.stages,
                    "product": demo.products,
                    "industry": demo.industries,
                    "region": demo.regions,
                    "competitor": demo.competitors,
                    "tag": demo.tags,
                }
                sections = {"case_study": demo.case_study, "battle_card": demo.battle_card}
                stored = [extracted[f] for f in demo.files]
                for f in stored:
                    if f.extraction.status != ExtractionStatus.OK:
                        raise RuntimeError(f"demo file {f.name}: {f.extraction.reason}")
                item, _ = create_item(
                    lib, s, fields, terms, sections, stored, actor=demo.owner or None
                )
                _history(s, item, demo, reviewer)
            _feedback(s, catalog)
            lib.record(s, "demo-loaded", None, items=len(catalog.items), company=catalog.company)
        progress(Progress(total - 1, total, "Setting up the brand kit and partners"))
        branded, partners = _branding(lib, catalog, bool(brand))
        progress(Progress(total, total, "Demo library ready"))
    return {
        "items": len(catalog.items),
        "files": len(files),
        "library": str(lib.root),
        "brand_kit": branded,
        "partners": partners,
    }


def _branding(lib: Library, catalog: DemoCatalog, has_brand: bool) -> tuple[bool, list[str]]:
    """Set the demo's brand kit (unless the library has one) and add its partners (unless one
    of that name exists), through the branding services. Returns (brand set, partners added)."""
    branded = False
    if has_brand and branding.get_brand(lib).is_default:
        branding.update_brand(lib, catalog.brand)
        if catalog.brand_logo is not None:
            branding.set_brand_logo(lib, catalog.brand_logo)
        branded = True
    known = {p.name.casefold() for p in branding.list_partners(lib)}
    added = []
    for p in catalog.partners:
        if p.name.casefold() not in known:
            branding.save_partner(lib, p.name, p.values, logo=p.logo)
            added.append(p.name)
    return branded, added


def _history(session: Any, item: Item, demo: DemoItem, reviewer: str) -> None:
    """Date the item's version and lifecycle like a library that has been in use: its version
    was made when it was published, a reviewer approved it then (or it was submitted)."""
    when = datetime.combine(demo.published_at, time(9, 0)) if demo.published_at else None
    if when is not None:
        item.content_changed_at = when
        for v in session.scalars(select(ItemVersion).where(ItemVersion.item_id == item.id)):
            v.created_at, v.created_by = when, demo.owner
    if demo.status in ("approved", "retired") and when is not None:
        session.add(
            Activity(
                at=when,
                actor=reviewer,
                action="approve",
                item_key=item.key,
                detail={"from": "in-review", "to": "approved", "comment": "", "demo": True},
            )
        )
    if demo.status == "in-review":
        session.add(
            Activity(
                at=utcnow(),
                actor=demo.owner,
                action="submit",
                item_key=item.key,
                detail={"from": "draft", "to": "in-review", "comment": "", "demo": True},
            )
        )
    if demo.status == "retired":
        session.add(
            Activity(
                at=utcnow(),
                actor=demo.owner,
                action="retire",
                item_key=item.key,
                detail={"from": "approved", "to": "retired", "comment": demo.change_note},
            )
        )


def _feedback(session: Any, catalog: DemoCatalog) -> None:
    """The field's flags and requests, with marketing's answers."""
    keys = {t: k for k, t in session.execute(select(Item.key, Item.title))}
    for f in catalog.feedback:
        item_key = keys.get(f["item"]) if f["item"] else None
        if f["item"] and item_key is None:
            raise RuntimeError(f"demo feedback names an unknown item: {f['item']}")
        session.add(
            Feedback(
                feedback_key=new_key(),
                kind=f["kind"],
                item_key=item_key,
                category=f["category"],
                text=f["text"],
                query=f["query"],
                created_by=f["by"],
                created_at=f["created_at"],
                status=f["status"],
                answer=f["answer"],
                answered_by=f["answered_by"],
                answered_at=f["answered_at"],
                origin="local",
            )
        )


def _taxonomies(session: Any, catalog: DemoCatalog) -> None:
    """People, personas with their profiles, and the taxonomy values in the demo's order."""
    for u in catalog.users:
        user = session.scalar(select(User).where(User.name == u.name))
        if user is None:
            user = User(name=u.name)
            session.add(user)
        user.title, user.email, user.phone, user.region, user.role = (
            u.title,
            u.email,
            u.phone,
            u.region,
            u.role,
        )
    for p in catalog.personas:
        (term,), _ = taxonomy.resolve(session, "persona", [p.name])
        prof = term.persona
        if prof is None:  # a persona created before profiles existed
            prof = term.persona = PersonaProfile()
        for f in (
            "titles",
            "seniority",
            "department",
            "buying_role",
            "goals",
            "pains",
            "objections",
            "needs_to_see",
            "channels",
        ):
            setattr(prof, f, getattr(p, f))
    for tax, names in (
        ("stage", catalog.stages),
        ("product", catalog.products),
        ("competitor", catalog.competitors),
        ("industry", catalog.industries),
        ("region", catalog.regions),
    ):
        taxonomy.resolve(session, tax, names)
    session.flush()
