"""`main.py demo`: a newcomer's first library is complete, consistent and searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import main
from library.core import Library
from library.demo.loader import load_demo
from library.errors import InvalidInput
from library.models import Asset, Item, PersonaProfile, Term, User

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "lib"
    with Library.open(root) as lib:
        report = load_demo(lib)
    assert report["items"] >= 40
    return root


def test_demo_loads_people_personas_taxonomies_and_items_with_real_files(demo_lib: Path) -> None:
    with Library.open(demo_lib) as lib, lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) >= 40
        statuses = {a for a in s.scalars(select(Asset.extraction_status))}
        assert statuses == {"ok"}  # every demo file is readable
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "persona")) == 5
        )
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "product")) == 3
        )
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "competitor"))
            == 3
        )
        profiles = s.scalars(select(PersonaProfile)).all()
        assert len(profiles) == 5 and all(p.goals and p.pains and p.buying_role for p in profiles)
        assert s.scalar(select(func.count()).select_from(User).where(User.email != "")) >= 4
        kinds = set(s.scalars(select(Item.kind)))
        assert kinds == {"collateral", "case-study", "competitor-insight"}
        media = {m for m in s.scalars(select(Asset.media_type))}
        assert any("pdf" in m for m in media) and any("wordprocessing" in m for m in media)
        assert any("presentation" in m for m in media) and any("spreadsheet" in m for m in media)
        with_sections = s.scalars(select(Item).where(Item.kind == "case-study")).all()
        assert all(
            i.case_study and i.case_study.results and i.case_study.quote for i in with_sections
        )
        assert (
            s.scalar(select(func.count()).select_from(Item).where(Item.owner_id.is_not(None))) >= 40
        )


def test_demo_refuses_a_library_that_already_has_items(demo_lib: Path) -> None:
    with Library.open(demo_lib) as lib, pytest.raises(InvalidInput, match="already has"):
        load_demo(lib)


def test_demo_library_passes_check(demo_lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main.main(["check", "--library", str(demo_lib), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0, out["problems"]


def test_demo_has_roles_versions_history_and_feedback(demo_lib: Path) -> None:
    """The demo shows governance at work: every role, dated versions with change notes, the
    reviewers' approvals, and flags and requests from the field in the marketers' queue."""
    from datetime import datetime, timedelta

    from library import feedback, governance, users

    with Library.open(demo_lib) as lib:
        roles = {u.role for u in users.list_users(lib)}
        assert roles == {"admin", "marketer", "reviewer", "rep", "partner"}
        revised = [i for i in governance.whats_new(lib, datetime(2000, 1, 1)) if i.version > 1]
        assert revised and all(len(i.change_note) > 20 for i in revised)
        lib.actor = "Jonas Eklund"  # a marketer
        queue = feedback.queue(lib)
        assert {f.kind for f in queue} == {"flag", "request"}
        assert all(f.created_by in ("Marcus Lee", "Sophie Brandt") for f in queue)
        assert len(feedback.queue(lib, status=None)) == 5
        history = governance.audit(lib, revised[0].item_key)
        assert [(e.action, e.actor) for e in history if e.action == "approve"] == [
            ("approve", "Daniel Osei")
        ]
        lib.actor = "Lena Voss"  # the partner sees partner-shareable, approved, current items
        from library.items import list_items

        seen = list_items(lib)
        assert {i.format for i in seen} == {"partner-kit", "data-sheet", "brochure"}
        assert all(i.audience == "partner" and i.status == "approved" for i in seen)
        week = datetime.now() - timedelta(days=7)
        assert all(e.change in ("new", "updated") for e in governance.whats_new(lib, week))
