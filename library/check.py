"""Integrity check of a library: database, stored files, and (through a registered checker)
the derived search index. Read-only: it reports, it never repairs."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, text

from library.core import Library
from library.models import Asset, Item, ItemVersion, SearchDirty
from library.store import sha256_file
from library.values import CheckProblem, CheckReport

Checker = Callable[[Library, CheckReport], None]

# Other packages add their checks here (search/ registers the index-vs-DB drift check), so
# library/ does not need to know about them.
EXTRA_CHECKS: list[Checker] = []


def register_check(checker: Checker) -> None:
    if checker not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(checker)


def run_checks(lib: Library) -> CheckReport:
    report = CheckReport()
    _check_database(lib, report)
    _check_files(lib, report)
    for checker in EXTRA_CHECKS:
        checker(lib, report)
    return report


def _check_database(lib: Library, report: CheckReport) -> None:
    with lib.engine.connect() as conn:
        result = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            for line in result[:20]:
                report.problems.append(CheckProblem("database", f"SQLite integrity: {line}"))
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            report.problems.append(
                CheckProblem(
                    "database", f"Row {row[1]} of table {row[0]} points to a missing {row[2]}."
                )
            )
    with lib.reader() as s:
        report.stats["items"] = int(s.scalar(select(func.count()).select_from(Item)) or 0)
        report.stats["files"] = int(s.scalar(select(func.count()).select_from(Asset)) or 0)
        report.stats["pending_index_updates"] = int(
            s.scalar(select(func.count()).select_from(SearchDirty)) or 0
        )
        for key, title in s.execute(
            select(Item.key, Item.title)
            .where(~Item.assets.any())
            .where(Item.format != "demo-video")
        ):
            report.problems.append(CheckProblem("database", f"Item '{title}' has no file.", key))


def _check_files(lib: Library, report: CheckReport) -> None:
    with lib.reader() as s:
        rows = s.execute(
            select(Asset.sha256, Asset.size, Asset.original_name, Item.key).join(Item)
        ).all()
    referenced: set[str] = set()
    for digest, size, name, key in rows:
        referenced.add(digest)
        path = lib.store.path_for(digest)
        if not path.is_file():
            report.problems.append(
                CheckProblem("files", f"File '{name}' is missing from files/.", key)
            )
        elif path.stat().st_size != size or sha256_file(path) != digest:
            report.problems.append(
                CheckProblem(
                    "files", f"File '{name}' is damaged (its content no longer matches).", key
                )
            )
    # Older versions keep their files (library.governance): referenced too, and must exist.
    current = set(referenced)
    versions = 0
    with lib.reader() as s:
        for key, number, snap in s.execute(
            select(Item.key, ItemVersion.version, ItemVersion.snapshot).join(
                Item, Item.id == ItemVersion.item_id
            )
        ):
            versions += 1
            for a in (snap or {}).get("assets", []):
                digest = str(a.get("sha256", ""))
                if not digest or digest in current:
                    continue
                if digest not in referenced and not lib.store.path_for(digest).is_file():
                    report.problems.append(
                        CheckProblem(
                            "files",
                            f"File '{a.get('name', digest[:12])}' of version {number} is missing "
                            "from files/; that version can no longer be restored.",
                            key,
                        )
                    )
                referenced.add(digest)
    report.stats["versions"] = versions
    orphans = [d for d in lib.store.all_digests() if d not in referenced]
    report.stats["unreferenced_files"] = len(orphans)
    stale = lib.store.stale_temp_files()
    if stale:
        report.stats["interrupted_writes"] = len(stale)
