"""Adding and removing an item's files through the service: roles, change notes, versions,
search text, activity log, the last-file rule, hostile input."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from library import assets, governance, items, users
from library.core import Library
from library.errors import InvalidInput, NotFound
from library.importer import create_item, import_paths
from library.models import Activity, Asset, SearchDirty
from library.users import PermissionDenied


@contextmanager
def acting_as(lib: Library, name: str) -> Iterator[None]:
    before = lib.actor
    lib.actor = name
    try:
        yield
    finally:
        lib.actor = before


@pytest.fixture
def team(lib: Library) -> Library:
    users.add_user(lib, "Mia Marketer", "marketer")
    users.add_user(lib, "Rae Rep", "rep")
    return lib


def _imported(lib: Library, tmp_path: Path) -> str:
    f = tmp_path / "pricing-2026.txt"
    f.write_text("Forecast costs 10 euros per seat in 2026.", encoding="utf-8")
    (r,) = import_paths(lib, [f]).results
    assert r.item_key is not None
    return r.item_key


def test_a_marketer_adds_a_file_as_a_new_version(team: Library, tmp_path: Path) -> None:
    """GIVEN an imported item WHEN a marketer adds a second file with a note THEN it is a new
    version listing both files, its text is searchable, the activity log and the search outbox
    have it, and the file is in the store."""
    key = _imported(team, tmp_path)
    extra = tmp_path / "faq.txt"
    extra.write_text("Does the appliance support single sign-on? Yes, SAML.", encoding="utf-8")
    with team.transaction() as s:
        s.execute(SearchDirty.__table__.delete())
    with acting_as(team, "Mia Marketer"):
        d = assets.add_file(team, key, extra, "  Added the SSO FAQ  ")
    assert [a.name for a in d.assets] == ["pricing-2026.txt", "faq.txt"]
    assert d.version == 2 and d.change_note == "Added the SSO FAQ"
    assert d.assets[1].extraction_status == "ok" and team.store.has(d.assets[1].sha256)
    v = governance.versions(team, key)[0]
    assert (v.version, v.created_by, v.files) == (
        2,
        "Mia Marketer",
        ["pricing-2026.txt", "faq.txt"],
    )
    with team.reader() as s:
        row = s.scalars(select(Activity).where(Activity.action == "new-version")).one()
        assert row.detail["added"] == "faq.txt" and row.actor == "Mia Marketer"
        assert s.scalar(select(SearchDirty.item_key)) == key
        texts = s.scalars(select(Asset.text).order_by(Asset.position)).all()
    assert "SAML" in texts[1]


def test_adding_refuses_reps_missing_notes_duplicates_and_folders(
    team: Library, tmp_path: Path
) -> None:
    key = _imported(team, tmp_path)
    extra = tmp_path / "faq.txt"
    extra.write_text("Questions and answers.", encoding="utf-8")
    with acting_as(team, "Rae Rep"), pytest.raises(PermissionDenied, match="Rae Rep is a rep"):
        assets.add_file(team, key, extra, "FAQ")
    with pytest.raises(InvalidInput, match="change note"):
        assets.add_file(team, key, extra, "   ")
    with pytest.raises(InvalidInput, match="is not a file"):
        assets.add_file(team, key, tmp_path, "A folder")
    with pytest.raises(InvalidInput, match="is not a file"):
        assets.add_file(team, key, tmp_path / "missing.pdf", "Gone")
    with pytest.raises(NotFound):
        assets.add_file(team, "ffffffff", extra, "FAQ")
    same = tmp_path / "copy.txt"
    same.write_bytes((tmp_path / "pricing-2026.txt").read_bytes())
    with pytest.raises(InvalidInput, match="already has this file"):
        assets.add_file(team, key, same, "Same content")
    clash = tmp_path / "other"
    clash.mkdir()
    (clash / "PRICING-2026.txt").write_text("Other content.", encoding="utf-8")
    with pytest.raises(InvalidInput, match="Replace file"):
        assets.add_file(team, key, clash / "PRICING-2026.txt", "Same name")
    d = items.get(team, key)
    assert d.version == 1 and len(d.assets) == 1  # nothing half-written


def test_a_broken_file_is_added_with_its_extraction_status(team: Library, tmp_path: Path) -> None:
    """GIVEN a file that claims to be a PDF but is garbage WHEN it is added THEN the add works
    (like an import) and the file shows why it has no text; the app does not crash."""
    key = _imported(team, tmp_path)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 500)
    d = assets.add_file(team, key, bad, "Added the brochure")
    added = d.assets[-1]
    assert added.name == "broken.pdf" and added.extraction_status != "ok"
    assert added.extraction_reason


def test_removing_a_file_keeps_it_restorable(team: Library, tmp_path: Path) -> None:
    """GIVEN an item with two files WHEN one is removed (by id) THEN it is a new version with
    one file; restoring the previous version brings the file and its text back."""
    key = _imported(team, tmp_path)
    extra = tmp_path / "faq.txt"
    extra.write_text("Single sign-on with SAML is supported.", encoding="utf-8")
    d = assets.add_file(team, key, extra, "Added the FAQ")
    with acting_as(team, "Rae Rep"), pytest.raises(PermissionDenied):
        assets.remove_file(team, key, d.assets[1].id, "Outdated")
    with pytest.raises(InvalidInput, match="change note"):
        assets.remove_file(team, key, d.assets[1].id, "")
    with pytest.raises(NotFound, match="no such file"):
        assets.remove_file(team, key, 999_999, "Outdated")
    with pytest.raises(NotFound, match=r"no file named 'nope\.txt'"):
        assets.remove_file(team, key, "nope.txt", "Outdated")
    d = assets.remove_file(team, key, d.assets[1].id, "The FAQ moved to the wiki")
    assert [a.name for a in d.assets] == ["pricing-2026.txt"] and d.version == 3
    with team.reader() as s:
        row = s.scalars(select(Activity).where(Activity.action == "new-version")).all()[-1]
        assert row.detail["removed"] == "faq.txt"
    d = governance.restore_version(team, key, 2, "FAQ back")
    assert [a.name for a in d.assets] == ["pricing-2026.txt", "faq.txt"]
    with team.reader() as s:
        assert "SAML" in s.scalars(select(Asset.text).order_by(Asset.position)).all()[1]
    d = assets.remove_file(team, key, "FAQ.TXT", "By name, ignoring case")
    assert [a.name for a in d.assets] == ["pricing-2026.txt"]
    from library.check import run_checks

    report = run_checks(team)  # the removed file is still stored for the versions naming it
    assert report.ok and report.stats["unreferenced_files"] == 0


def test_the_last_file_goes_only_when_something_is_left_to_read(
    team: Library, tmp_path: Path
) -> None:
    """GIVEN an item whose only content is its file WHEN that file is removed THEN it is
    refused with a sentence; once the item has a summary the file may go (a case study
    written in the editor needs no file)."""
    key = _imported(team, tmp_path)
    with team.transaction() as s:  # imported items get a summary from the file: drop it
        items.find(s, key).summary = ""
    only = items.get(team, key).assets[0]
    with pytest.raises(InvalidInput, match="only file"):
        assets.remove_file(team, key, only.id, "Gone")
    items.edit(team, key, [("summary", "Prices per seat for 2026.")], note="Summary")
    d = assets.remove_file(team, key, only.id, "The price list is now in the summary")
    assert d.assets == [] and d.summary == "Prices per seat for 2026."
    with team.transaction() as s:
        item, _ = create_item(
            team,
            s,
            {"title": "Acme story", "format": "case-study"},
            {},
            {"case_study": {"customer": "Acme", "challenge": "Slow onboarding"}},
            [],
        )
        story = item.key
    d = assets.add_file(team, story, tmp_path / "pricing-2026.txt", "Attached the PDF")
    d = assets.remove_file(team, story, d.assets[0].id, "Detached again")
    assert d.assets == [] and d.case_study and d.case_study["customer"] == "Acme"
