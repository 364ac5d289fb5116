"""Load the demo company into a library: its people, personas, taxonomies and ~40 items with real
files, through the same extraction and item-creation path as a normal import.

The whole demo is one transaction: a library gets all of it or none of it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from library import terms as taxonomy
from library.core import Library
from library.demo import DemoCatalog, build_demo
from library.errors import InvalidInput
from library.extract import ExtractorPool
from library.importer import StoredFile, create_item
from library.models import Item, PersonaProfile, User
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

    Returns {"items": n, "files": n, "library": path}."""
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
        total = len(files) + 1
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
                create_item(lib, s, fields, terms, sections, stored, actor=demo.owner or None)
            lib.record(s, "demo-loaded", None, items=len(catalog.items), company=catalog.company)
        progress(Progress(total, total, "Demo library ready"))
    return {"items": len(catalog.items), "files": len(files), "library": str(lib.root)}


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
