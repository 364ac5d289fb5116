"""Shared helpers of the search benchmarks: fast bulk insertion of items into a library.

Rows go in through SQLAlchemy Core (not the ORM, not the importer) so building a 50,000-item
library takes seconds, not the benchmark's time. No outbox rows are written: the benchmarks
open the index afterwards, which finds it missing and rebuilds it from the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from library.core import Library  # noqa: E402
from library.models import Asset, Item, Term, item_terms, new_key  # noqa: E402


@dataclass(slots=True)
class BulkItem:
    title: str
    body: str
    summary: str = ""
    kind: str = "collateral"
    format: str = "data-sheet"
    status: str = "approved"
    audience: str = "customer"
    language: str = "en"
    updated_at: datetime | None = None
    expires_on: date | None = None
    verify_by: date | None = None
    page_count: int | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
    key: str = ""


def bulk_insert(lib: Library, items: Iterable[BulkItem], chunk: int = 500) -> list[str]:
    """Insert items with one asset each and their taxonomy links; returns their keys."""
    keys: list[str] = []
    term_ids: dict[tuple[str, str], int] = {}
    with lib.transaction() as s:
        for tid, tax, name in s.execute(select(Term.id, Term.taxonomy, Term.name)):
            term_ids[(tax, name)] = tid
    batch: list[BulkItem] = []

    def flush() -> None:
        if not batch:
            return
        with lib.transaction() as s:
            now = datetime(2025, 1, 1)
            for it in batch:
                if not it.key:
                    it.key = new_key()
                for tax, names in it.terms.items():
                    for name in names:
                        if (tax, name) not in term_ids:
                            res = s.execute(
                                insert(Term).values(
                                    taxonomy=tax, name=name, name_folded=name.casefold(), position=0
                                )
                            )
                            term_ids[(tax, name)] = int(res.inserted_primary_key[0])  # type: ignore[index]
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
                        "language": it.language,
                        "created_at": now,
                        "updated_at": it.updated_at or now,
                        "expires_on": it.expires_on,
                        "verify_by": it.verify_by,
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
                        "position": 0,
                        "original_name": f"{it.title[:60]}.pdf",
                        "media_type": "application/pdf",
                        "size": len(it.body),
                        "sha256": hashlib.sha256(it.body.encode()).hexdigest(),
                        "page_count": it.page_count,
                        "extraction_status": "ok",
                        "extraction_reason": "",
                        "text": it.body,
                        "text_chars": len(it.body),
                        "text_truncated": False,
                        "flags": [],
                        "added_at": now,
                    }
                    for it in batch
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
        keys.extend(it.key for it in batch)
        batch.clear()

    for it in items:
        batch.append(it)
        if len(batch) >= chunk:
            flush()
    flush()
    return keys


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(root, f))
    return total / 1e6


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
