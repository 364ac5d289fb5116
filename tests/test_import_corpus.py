"""The whole shared corpus of real, hostile files imported as one batch."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from library import governance
from library.core import Library
from library.importer import import_paths
from library.models import Asset, Item
from library.values import ImportOptions

pytestmark = pytest.mark.slow


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()


def test_corpus_imports_as_one_batch_without_losing_or_half_writing_anything(
    lib: Library, corpus_dir: Path
) -> None:
    """GIVEN the 47 corpus files (encrypted, corrupt, bombs, odd encodings) WHEN the folder is
    imported THEN every file has a result with a status, every catalogued file has exactly one
    complete row, expected phrases are in the stored text unless the file is honestly flagged,
    and re-importing with a published password unlocks the encrypted ones."""
    with (corpus_dir / "MANIFEST.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    report = import_paths(lib, [corpus_dir], ImportOptions(), timeout=60)
    by_name = {Path(r.path).name: r for r in report.results}
    for row in rows:
        assert row["file"] in by_name, f"{row['file']} has no import result"
    assert report.count("failed") == 0, [r for r in report.results if r.outcome == "failed"]

    with lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == s.scalar(
            select(func.count()).select_from(Asset)
        )
        texts = {r[0]: r[1] for r in s.execute(select(Asset.original_name, Asset.text))}
    for row in rows:
        name, phrase = row["file"], row["expected_phrase"]
        result = by_name[name]
        if result.outcome == "unchanged":
            continue  # an identical copy of another corpus file
        assert result.extraction_status, name
        if result.extraction_status != "ok":
            assert result.reason, f"{name}: status {result.extraction_status} without a reason"
        if phrase and result.extraction_status in ("ok", "partial"):
            assert _norm(phrase) in _norm(texts[name]), f"{name}: '{phrase}' not found"
        if phrase and result.extraction_status not in ("ok", "partial"):
            assert result.extraction_status in ("encrypted", "image-only"), (name, result)
        assert "(cid:" not in texts[name], name

    # Supplying the published password later fixes the encrypted files in place.
    locked = [
        r for r in rows if r["password"] and by_name[r["file"]].extraction_status == "encrypted"
    ]
    assert locked, "expected some password-protected files in the corpus"
    for row in locked:
        again = import_paths(
            lib, [corpus_dir / row["file"]], ImportOptions(password=row["password"])
        )
        r = again.results[0]
        assert r.outcome == "updated" and r.extraction_status == "ok", r
        with lib.reader() as s:
            text = s.scalar(select(Asset.text).where(Asset.original_name == row["file"]))
        assert _norm(row["expected_phrase"]) in _norm(text or "")
        # Same version (same file), and its record now says what the item holds.
        (version,) = governance.versions(lib, r.item_key)
        detail = governance.version_snapshot(lib, r.item_key, version.version)
        assert detail.snapshot["title"] == r.title
