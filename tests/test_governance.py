"""Governance through the services: roles, lifecycle, versions, expiry/verification, review,
audit log, share rules by role, feedback. (The CLI is covered in test_governance_cli.py.)"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from library import feedback, governance, items, terms, users
from library.core import Library
from library.errors import InvalidInput, NotFound
from library.importer import create_item, import_paths
from library.models import Asset, ItemVersion
from library.sharing import share_refusals
from library.users import PermissionDenied
from library.values import ImportOptions, ItemFilter

TODAY = date.today()


@contextmanager
def acting_as(lib: Library, name: str) -> Iterator[None]:
    before = lib.actor
    lib.actor = name
    try:
        yield
    finally:
        lib.actor = before


def make(lib: Library, title: str = "Pricing sheet", **fields: Any) -> str:
    values: dict[str, Any] = {"title": title, "format": "data-sheet", "audience": "customer"}
    values.update(fields)
    sections = {k: values.pop(k) for k in ("case_study", "battle_card") if k in values}
    with lib.transaction() as s:
        item, _ = create_item(lib, s, values, {}, sections, [])
        return item.key


@pytest.fixture
def team(lib: Library) -> Library:
    """test-user (the creator: admin) plus one person of every other role."""
    for name, role in (
        ("Mia Marketer", "marketer"),
        ("Rob Reviewer", "reviewer"),
        ("Rae Rep", "rep"),
        ("Pat Partner", "partner"),
    ):
        users.add_user(lib, name, role, email=name.split()[0].lower() + "@example.com")
    return lib


# -- people and roles ----------------------------------------------------------------------------
def test_the_creator_is_admin_and_unknown_people_become_reps(tmp_path: Path) -> None:
    """GIVEN a new library created by test-user WHEN a stranger opens it THEN the creator is
    admin and the stranger is registered as a rep (least privilege)."""
    with Library.open(tmp_path / "lib") as lib:
        assert users.current_user(lib).role == "admin"
        assert lib.meta("created_by") == "test-user"
    with Library.open(tmp_path / "lib") as lib:
        lib.actor = "stranger"
        me = users.current_user(lib)
        assert (me.name, me.role) == ("stranger", "rep")
        assert not users.can(lib, users.EDIT) and users.can(lib, users.FEEDBACK)


def test_a_library_without_an_admin_makes_its_next_user_admin(lib: Library) -> None:
    with lib.transaction() as s:
        s.execute(text("UPDATE users SET role='marketer'"))
    lib.actor = "Someone Else"
    users.bootstrap(lib)
    assert users.role_of(lib) == "admin"
    roles = {u.name: u.role for u in users.list_users(lib)}
    assert roles == {"test-user": "marketer", "Someone Else": "admin"}


def test_people_match_by_name_or_email_ignoring_case(team: Library) -> None:
    assert users.role_of(team, "mia MARKETER") == "marketer"
    assert users.role_of(team, "Rae@Example.com") == "rep"
    assert users.role_of(team, "nobody") == "rep"


def test_only_admins_manage_people_and_the_last_admin_stays(team: Library) -> None:
    with acting_as(team, "Mia Marketer"), pytest.raises(PermissionDenied) as e:
        users.set_role(team, "Rae Rep", "admin")
    assert str(e.value) == "Mia Marketer is a marketer; only admins can change roles."
    with acting_as(team, "Mia Marketer"), pytest.raises(PermissionDenied):
        users.add_user(team, "New Person", "marketer")
    with pytest.raises(InvalidInput, match="only admin"):
        users.set_role(team, "test-user", "rep")
    with pytest.raises(InvalidInput, match="not a known role"):
        users.set_role(team, "Rae Rep", "boss")
    assert users.set_role(team, "Rae Rep", "marketer").role == "marketer"
    # People may change their own contact details, not other people's.
    with acting_as(team, "Rob Reviewer"):
        assert users.update_user(team, "Rob Reviewer", phone="+1 555 0100").phone == "+1 555 0100"
        with pytest.raises(PermissionDenied):
            users.update_user(team, "Mia Marketer", phone="0")
        # The e-mail is printed on leave-behinds: a typo is refused, not sent to a customer.
        with pytest.raises(InvalidInput, match="'rob@example' is not an e-mail address"):
            users.update_user(team, "Rob Reviewer", email="rob@example")
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        users.add_user(team, "Eve Example", "rep", email="eve at example.com")


def test_owners_typed_on_items_get_no_privileges(lib: Library) -> None:
    key = make(lib)
    items.edit(lib, key, [("owner", "Brand New Owner")])
    assert users.role_of(lib, "Brand New Owner") == "rep"


# -- who may do what ---------------------------------------------------------------------------
def test_a_rep_cannot_edit_approve_retire_or_import(team: Library, tmp_path: Path) -> None:
    key = make(team, status="in-review")
    with acting_as(team, "Rae Rep"):
        for attempt in (
            lambda: items.edit(team, key, [("audience", "partner")]),
            lambda: items.edit(team, key, [("title", "Hacked")], note="x"),
            lambda: items.edit(team, key, [("status", "approved")]),
            lambda: governance.approve(team, key),
            lambda: governance.retire(team, key),
            lambda: governance.verify(team, key),
        ):
            with pytest.raises(PermissionDenied, match="Rae Rep is a rep; only"):
                attempt()
        (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
        with pytest.raises(PermissionDenied, match="import files"):
            import_paths(team, [tmp_path / "x.txt"])
    d = items.get(team, key)
    assert (d.title, d.status, d.audience) == ("Pricing sheet", "in-review", "customer")


def test_reviewers_approve_but_do_not_edit(team: Library) -> None:
    key = make(team, status="in-review")
    with acting_as(team, "Rob Reviewer"):
        with pytest.raises(PermissionDenied, match="only admins and marketers can edit"):
            items.edit(team, key, [("summary", "x")], note="n")
        assert governance.approve(team, key, "Looks right").status == "approved"
        with pytest.raises(PermissionDenied, match="retire"):
            governance.retire(team, key)


def test_only_admins_edit_taxonomies(team: Library) -> None:
    key = make(team)
    items.edit(team, key, [("persona", "CFO")])  # admin creates the persona
    with acting_as(team, "Mia Marketer"):
        with pytest.raises(PermissionDenied, match="add a new persona"):
            items.edit(team, key, [("+persona", "Procurement")])
        items.edit(team, key, [("+tag", "fy27"), ("persona", "cfo")])  # tags are free
        with pytest.raises(PermissionDenied, match="edit taxonomies"):
            terms.rename_term(team, "persona", "CFO", "Finance chief")
        with pytest.raises(PermissionDenied):
            terms.merge_terms(team, "tag", ["fy27"], "FY2027")
    assert terms.rename_term(team, "persona", "CFO", "Finance chief") == [key]
    assert items.get(team, key).terms["persona"] == ["Finance chief"]


def test_an_import_refuses_statuses_and_personas_the_user_may_not_give(
    team: Library, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Forecast accuracy for CFOs.", encoding="utf-8")
    options = ImportOptions(terms={"persona": ["CIO"]})
    with acting_as(team, "Mia Marketer"), pytest.raises(PermissionDenied, match="new persona"):
        import_paths(team, [tmp_path / "a.txt"], options)
    with acting_as(team, "Rob Reviewer"), pytest.raises(PermissionDenied):
        import_paths(team, [tmp_path / "a.txt"], ImportOptions(status="approved"))
    assert items.list_items(team) == []


# -- lifecycle -----------------------------------------------------------------------------------
def test_lifecycle_records_who_when_and_why(team: Library) -> None:
    key = make(
        team,
        title="Battle card: us vs them",
        format="battle-card",
        battle_card={"why_we_win": ["Speed"]},
    )
    with acting_as(team, "Mia Marketer"):
        governance.submit(team, key, "Ready for a look")
    with acting_as(team, "Rob Reviewer"):
        with pytest.raises(InvalidInput, match="Give a reason"):
            governance.reject(team, key, "  ")
        governance.reject(team, key, "The pricing row is wrong")
    assert items.get(team, key).status == "draft"
    with acting_as(team, "Mia Marketer"):
        governance.submit(team, key)
    with acting_as(team, "Rob Reviewer"):
        d = governance.approve(team, key, "OK now")
    assert d.status == "approved" and d.published_at == TODAY
    with acting_as(team, "Mia Marketer"), pytest.raises(InvalidInput, match="already approved"):
        governance.submit(team, key)  # never a quiet unpublish
    assert d.verify_by == TODAY + timedelta(days=60)  # battle cards: 60 days
    assert d.battle_card is not None and d.battle_card["last_verified"] == TODAY
    with acting_as(team, "Mia Marketer"):
        governance.retire(team, key, "Superseded")
        with pytest.raises(InvalidInput, match="Reopen it first"):
            items.edit(team, key, [("status", "approved")])
    history = governance.transitions(team, key)
    assert [(e.action, e.actor, e.detail["comment"]) for e in history] == [
        ("submit", "Mia Marketer", "Ready for a look"),
        ("reject", "Rob Reviewer", "The pricing row is wrong"),
        ("submit", "Mia Marketer", ""),
        ("approve", "Rob Reviewer", "OK now"),
        ("retire", "Mia Marketer", "Superseded"),
    ]
    assert all(isinstance(e.at, datetime) for e in history)
    with pytest.raises(InvalidInput, match="only items in review"):
        governance.reject(team, key, "again")


def test_review_intervals_by_kind(team: Library) -> None:
    case = make(team, title="ACME case", format="case-study")
    sheet = make(team, title="Sheet")
    assert governance.approve(team, case).verify_by == TODAY + timedelta(days=365)
    assert governance.approve(team, sheet).verify_by == TODAY + timedelta(days=182)


def test_a_scheduled_item_is_hidden_and_unshareable_until_its_date(team: Library) -> None:
    key = make(team)
    later = TODAY + timedelta(days=5)
    governance.approve(team, key, publish_on=later)
    with acting_as(team, "Rae Rep"):
        assert items.list_items(team) == []
        assert [r.rule for r in share_refusals(team, [key], "customer")] == ["scheduled"]
        assert [i.key for i in items.list_items(team, ItemFilter(include_all=True))] == [key]
    assert share_refusals(team, [key], "customer", today=later) == []
    governance.schedule(team, key, None)
    with acting_as(team, "Rae Rep"):
        assert [i.key for i in items.list_items(team)] == [key]


# -- versions ------------------------------------------------------------------------------------
def test_content_edits_need_a_change_note_and_make_versions(team: Library) -> None:
    key = make(team, summary="Old summary")
    with pytest.raises(InvalidInput, match="change note"):
        items.edit(team, key, [("summary", "New summary")])
    assert items.get(team, key).summary == "Old summary"  # nothing half-written
    d, _ = items.edit(team, key, [("summary", "New summary")], note="Prices for FY27")
    assert (d.version, d.change_note) == (2, "Prices for FY27")
    assert d.content_changed_at is not None
    # a note given as a field works too (the desktop editor sends it that way)
    d, _ = items.edit(team, key, [("title", "Pricing sheet FY27"), ("change_note", "Renamed")])
    assert d.version == 3
    # metadata changes are audited, not versioned, and need no note
    d, _ = items.edit(team, key, [("audience", "partner"), ("+tag", "pricing")])
    assert d.version == 3
    rows = governance.versions(team, key)
    assert [(v.version, v.change_note, v.current) for v in rows] == [
        (3, "Renamed", True),
        (2, "Prices for FY27", False),
        (1, "First version.", False),
    ]
    old = governance.version_snapshot(team, key, 1)
    assert old.snapshot["title"] == "Pricing sheet" and old.snapshot["summary"] == "Old summary"
    with pytest.raises(NotFound, match=r"no version 9 \(versions: 1, 2, 3\)"):
        governance.version_snapshot(team, key, 9)


def test_replacing_a_file_keeps_the_old_one_restorable(team: Library, tmp_path: Path) -> None:
    """GIVEN an imported file WHEN it is replaced and then version 1 is restored THEN the old
    file and its searchable text come back, as a new version, and both files stay stored."""
    v1, v2 = tmp_path / "price-2026.txt", tmp_path / "price-2027.txt"
    v1.write_text("Forecast costs 10 euros per seat in 2026.", encoding="utf-8")
    v2.write_text("Forecast costs 12 euros per seat in 2027.", encoding="utf-8")
    (r,) = import_paths(team, [v1]).results
    key = r.item_key
    assert key is not None
    with pytest.raises(InvalidInput, match="change note"):
        governance.replace_file(team, key, v2, "")
    with acting_as(team, "Rae Rep"), pytest.raises(PermissionDenied):
        governance.replace_file(team, key, v2, "FY27 prices")
    d = governance.replace_file(team, key, v2, "FY27 prices")
    assert d.version == 2 and [a.name for a in d.assets] == ["price-2027.txt"]
    with pytest.raises(InvalidInput, match="already has"):
        governance.replace_file(team, key, v2, "again")
    d = governance.restore_version(team, key, 1, "FY27 prices postponed")
    assert d.version == 3 and d.change_note == "Restored version 1: FY27 prices postponed"
    assert [a.name for a in d.assets] == ["price-2026.txt"]
    with team.reader() as s:
        assert "10 euros" in s.scalar(select(Asset.text))
    digests = {
        str(x["sha256"])
        for v in (1, 2)
        for x in governance.version_snapshot(team, key, v).snapshot["assets"]
    }
    assert all(team.store.has(h) for h in digests) and len(digests) == 2
    from library.check import run_checks

    report = run_checks(team)
    assert report.ok and report.stats["unreferenced_files"] == 0 and report.stats["versions"] == 3


def test_whats_new_lists_published_and_updated_items_with_notes(team: Library) -> None:
    before = datetime.now() - timedelta(seconds=1)
    old = make(team, title="Old sheet", status="approved")
    with team.transaction() as s:  # published long ago, before the user's last look
        s.execute(
            text("UPDATE items SET published_at=:d WHERE key=:k"),
            {"d": TODAY - timedelta(days=90), "k": old},
        )
    fresh = make(team, title="Fresh sheet")
    draft = make(team, title="Draft sheet")
    governance.approve(team, fresh)
    items.edit(team, old, [("summary", "Now with FY27 prices")], note="FY27 prices")
    items.edit(team, draft, [("summary", "x")], note="wip")
    news = {e.item_key: e for e in governance.whats_new(team, before)}
    assert set(news) == {old, fresh}  # drafts are not news
    assert news[fresh].change == "new"
    assert (news[old].change, news[old].change_note, news[old].version) == (
        "updated",
        "FY27 prices",
        2,
    )
    assert governance.whats_new(team, datetime.now() + timedelta(seconds=5)) == []


# -- expiry, verification, review ----------------------------------------------------------------
def test_review_lists_expiring_and_unverified_items_per_owner(team: Library) -> None:
    soon = make(team, title="Expires soon", status="approved", owner="Mia Marketer")
    late = make(team, title="Overdue check", status="approved", owner="Mia Marketer")
    other = make(team, title="Rob's card", status="approved", owner="Rob Reviewer")
    make(team, title="Fine", status="approved", owner="Mia Marketer")
    make(team, title="Retired", status="retired", expires_on=TODAY, owner="Mia Marketer")
    items.edit(team, soon, [("expires_on", (TODAY + timedelta(days=5)).isoformat())])
    items.edit(team, late, [("verify_by", (TODAY - timedelta(days=3)).isoformat())])
    items.edit(team, other, [("verify_by", (TODAY + timedelta(days=20)).isoformat())])
    # "Fine" was approved on creation: verify-by is half a year away
    groups = governance.review_due(team, 30)
    assert [(g.owner, [e.title for e in g.items]) for g in groups] == [
        ("Mia Marketer", ["Overdue check", "Expires soon"]),
        ("Rob Reviewer", ["Rob's card"]),
    ]
    (overdue, expiring) = groups[0].items
    assert "overdue" in overdue.reasons[0] and "3 days ago" in overdue.reasons[0]
    assert expiring.reasons == [f"expires {(TODAY + timedelta(days=5)).isoformat()} (in 5 days)"]
    assert [g.owner for g in governance.review_due(team, 30, owner="rob reviewer")] == [
        "Rob Reviewer"
    ]
    assert [g.owner for g in governance.review_due(team, 10)] == ["Mia Marketer"]
    # verifying moves verify-by past the window
    with acting_as(team, "Mia Marketer"):
        d = governance.verify(team, late, "Checked with product")
    assert d.verify_by == TODAY + timedelta(days=182)
    titles = [e.title for g in governance.review_due(team, 30) for e in g.items]
    assert "Overdue check" not in titles


def test_expired_items_cannot_be_shared_by_anyone(team: Library) -> None:
    key = make(team, status="approved", expires_on=TODAY - timedelta(days=1))
    for who in ("test-user", "Rae Rep"):
        with acting_as(team, who):
            assert [r.rule for r in share_refusals(team, [key], "customer")] == ["expired"]


# -- visibility and share rules by role -----------------------------------------------------------
def test_reps_see_approved_current_items_and_partners_partner_items_only(team: Library) -> None:
    ok = make(team, title="Customer sheet", status="approved")
    partner_item = make(team, title="Partner kit", status="approved", audience="partner")
    card = make(team, title="Card", format="battle-card", status="approved", audience="partner")
    draft = make(team, title="Draft", audience="partner")
    expired = make(
        team, title="Old", status="approved", audience="partner", expires_on=TODAY - timedelta(1)
    )
    everything = {ok, partner_item, card, draft, expired}
    assert {i.key for i in items.list_items(team)} == everything
    with acting_as(team, "Rae Rep"):
        assert {i.key for i in items.list_items(team)} == {ok, partner_item, card}
        assert {i.key for i in items.list_items(team, ItemFilter(include_all=True))} == everything
        assert items.get(team, draft).title == "Draft"  # asking by key is asking for more
    with acting_as(team, "Pat Partner"):
        assert [i.key for i in items.list_items(team)] == [partner_item]
        assert [i.key for i in items.list_items(team, ItemFilter(include_all=True))] == [
            partner_item
        ]
        with pytest.raises(NotFound):
            items.get(team, ok)
        with pytest.raises(NotFound):
            governance.versions(team, card)
        assert set(items.get_many(team, list(everything))) == {partner_item}


def test_a_rep_cannot_export_an_internal_item_and_a_partner_only_partner_items(
    team: Library,
) -> None:
    internal = make(team, title="Talk track", status="approved", audience="internal")
    customer = make(team, title="Customer sheet", status="approved")
    partner_item = make(team, title="Partner kit", status="approved", audience="partner")
    with acting_as(team, "Rae Rep"):
        (r,) = share_refusals(team, [internal], "customer")
        assert r.rule == "audience" and "internal only" in r.message
        assert share_refusals(team, [customer], "customer") == []
    with acting_as(team, "Pat Partner"):
        (r,) = share_refusals(team, [customer], "customer")
        assert r.rule == "role" and "Pat Partner is a partner" in r.message
        assert "'Customer sheet'" in r.message
        assert share_refusals(team, [partner_item], "customer") == []


def test_a_retired_item_never_goes_into_a_pack(team: Library) -> None:
    key = make(team, status="approved", audience="partner")
    governance.retire(team, key, "Old")
    for recipient in ("customer", "partner", "internal"):
        assert [r.rule for r in share_refusals(team, [key], recipient)] == ["retired"]


def test_battle_cards_default_to_internal(lib: Library, tmp_path: Path) -> None:
    with lib.transaction() as s:
        item, _ = create_item(lib, s, {"title": "Card", "format": "battle-card"}, {}, {}, [])
        assert item.audience == "internal"
    (tmp_path / "card.txt").write_text("Why we win against Spireworks.", encoding="utf-8")
    (r,) = import_paths(lib, [tmp_path / "card.txt"], ImportOptions(format="battle-card")).results
    assert r.item_key and items.get(lib, r.item_key).audience == "internal"


# -- audit log -----------------------------------------------------------------------------------
def test_the_audit_log_records_changes_and_exports_csv(team: Library, tmp_path: Path) -> None:
    key = make(team, title="=HYPERLINK(evil)")
    items.edit(team, key, [("audience", "partner")])
    governance.approve(team, key, "ok")
    history = governance.audit(team, key)
    assert [e.action for e in history] == ["approve", "edit"]
    assert history[1].detail["changes"] == {"audience": "partner"}
    with acting_as(team, "Rae Rep"):
        assert governance.audit(team, key)  # one item's history: anyone who can see it
        with pytest.raises(PermissionDenied, match="read the audit log"):
            governance.audit(team)
        with pytest.raises(PermissionDenied):
            governance.audit_csv(team, tmp_path / "a.csv")
    n = governance.audit_csv(team, tmp_path / "audit.csv")
    with (tmp_path / "audit.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert n == len(rows) and rows[-1]["action"] == "approve"
    assert rows[-1]["item_title"] == "'=HYPERLINK(evil)"  # never a live formula
    # append-only, also for governance rows
    with pytest.raises(Exception, match="append-only"), team.transaction() as s:
        s.execute(text("DELETE FROM activity WHERE action='approve'"))


# -- feedback loop -------------------------------------------------------------------------------
def test_flags_and_requests_reach_the_marketers_queue(team: Library) -> None:
    key = make(team, title="Pricing sheet", status="approved")
    with acting_as(team, "Rae Rep"):
        f = feedback.flag(team, key, "Outdated", "Prices changed in March")
        r = feedback.request_content(team, "", query="retail roi calculator")
        with pytest.raises(InvalidInput, match="not a reason"):
            feedback.flag(team, key, "boring")
        with pytest.raises(PermissionDenied, match="manage the feedback queue"):
            feedback.queue(team)
        with pytest.raises(PermissionDenied):
            feedback.answer(team, f.id, "me")
    assert (f.kind, f.category, f.item_title, f.created_by) == (
        "flag",
        "outdated",
        "Pricing sheet",
        "Rae Rep",
    )
    assert r.text == "retail roi calculator" and r.query == "retail roi calculator"
    with acting_as(team, "Mia Marketer"):
        assert [x.id for x in feedback.queue(team)] == [f.id, r.id]
        a = feedback.answer(team, f.id, "Updated in version 2")
        c = feedback.close(team, r.feedback_key[:8], "Planned for Q3")
        assert [x.id for x in feedback.queue(team)] == []
        with pytest.raises(InvalidInput, match="already closed"):
            feedback.close(team, r.id)
        with pytest.raises(NotFound):
            feedback.answer(team, 999, "x")
    assert (a.status, a.answered_by) == ("answered", "Mia Marketer")
    assert (c.status, c.answer) == ("closed", "Planned for Q3")
    with acting_as(team, "Rae Rep"):
        assert [(x.id, x.status) for x in feedback.mine(team)] == [
            (r.id, "closed"),
            (f.id, "answered"),
        ]


def test_feedback_from_a_channel_is_stored_once(team: Library) -> None:
    with team.transaction() as s:
        first = feedback.receive(
            s,
            feedback_key="AB12" * 9,
            kind="flag",
            category="wrong",
            item_key=None,
            text="Typo",
            created_by="Far Rep",
            origin="chan-1",
        )
        again = feedback.receive(
            s, feedback_key="ab12" * 9, kind="flag", category="wrong", origin="chan-1"
        )
        with pytest.raises(InvalidInput):
            feedback.receive(s, feedback_key="x", kind="gossip", origin="chan-1")
    assert (first, again) == (True, False)
    (row,) = feedback.queue(team)
    assert (row.origin, row.created_by, row.category) == ("chan-1", "Far Rep", "wrong")
    local = feedback.request_content(team, "A German data sheet")
    with team.reader() as s:
        assert [x.id for x in feedback.outbox(s, 0, 10)] == [local.id]  # only local rows go out
        assert feedback.outbox(s, local.id, 10) == []


# -- older libraries ---------------------------------------------------------------------------
def test_items_without_versions_get_one_when_the_library_opens(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        key = make(lib)
        with lib.transaction() as s:
            s.execute(text("DELETE FROM item_versions"))
    with Library.open(tmp_path / "lib") as lib:
        (v,) = governance.versions(lib, key)
        assert v.version == 1 and v.current
        with lib.reader() as s:
            assert s.scalar(select(ItemVersion.snapshot))["title"] == "Pricing sheet"


def test_search_shows_a_partner_only_partner_shareable_current_items(team: Library) -> None:
    """GIVEN items of every audience WHEN a partner searches (even asking for everything) THEN
    only approved, current, partner-shareable items that are not battle cards come back."""
    from search import SearchRequest, open_index

    shared = make(team, title="Forecast partner kit", status="approved", audience="partner")
    make(team, title="Forecast data sheet", status="approved", audience="customer")
    make(
        team,
        title="Forecast battle card",
        format="battle-card",
        status="approved",
        audience="partner",
    )
    make(team, title="Forecast draft kit", audience="partner")
    idx = open_index(team)
    try:
        idx.drain()

        def found(**kw: Any) -> list[str]:
            return [h.title for h in idx.search(SearchRequest("forecast", limit=50, **kw)).hits]

        assert len(found(include_all=True)) == 4
        assert len(found()) == 3  # a rep's default: approved and current
        with acting_as(team, "Pat Partner"):
            assert found() == ["Forecast partner kit"]
            assert found(include_all=True) == ["Forecast partner kit"]
            assert [h.key for h in idx.more_like_this(shared)] == []
    finally:
        idx.close()


def test_upgrading_a_library_from_before_governance(tmp_path: Path) -> None:
    """GIVEN a library at schema 0003 with an item and an owner stored as marketer (the old
    default) WHEN this version opens it THEN the item gets its first version and the person
    opening it becomes admin (the library had none)."""
    from alembic import command

    from library import db

    root = tmp_path / "old"
    root.mkdir()
    engine = db.make_engine(root / "library.db")
    cfg = db._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(
            text(
                "INSERT INTO users (name,title,email,phone,region,role,created_at) "
                "VALUES ('Old Owner','','','','','marketer',CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO items (key,title,summary,kind,format,status,audience,language,"
                "created_at,updated_at,version,change_note,owner_id) VALUES ('k1','Old item','',"
                "'collateral','document','approved','internal','',CURRENT_TIMESTAMP,"
                "CURRENT_TIMESTAMP,4,'Fourth go',1)"
            )
        )
    engine.dispose()
    with Library.open(root) as lib:
        (v,) = governance.versions(lib, "k1")
        assert (v.version, v.change_note, v.created_by, v.title) == (
            4,
            "Fourth go",
            "Old Owner",
            "Old item",
        )
        assert users.role_of(lib) == "admin" and users.role_of(lib, "Old Owner") == "marketer"
        d, _ = items.edit(lib, "k1", [("title", "New name")], note="Renamed")
        assert d.version == 5


def test_check_reports_an_old_version_whose_file_is_gone(team: Library, tmp_path: Path) -> None:
    from library.check import run_checks

    v1, v2 = tmp_path / "a.txt", tmp_path / "b.txt"
    v1.write_text("First text of the sheet.", encoding="utf-8")
    v2.write_text("Second text of the sheet.", encoding="utf-8")
    (r,) = import_paths(team, [v1]).results
    assert r.item_key is not None
    old = governance.version_snapshot(team, r.item_key, 1).snapshot["assets"][0]["sha256"]
    governance.replace_file(team, r.item_key, v2, "New text")
    team.store.remove(old)
    (problem,) = run_checks(team).problems
    assert "of version 1 is missing" in problem.message and problem.item_key == r.item_key
    with pytest.raises(Exception, match="no longer in the library"):
        governance.restore_version(team, r.item_key, 1)
    assert items.get(team, r.item_key).version == 2


def test_restoring_a_version_whose_text_was_not_kept_extracts_it_again(
    team: Library, tmp_path: Path
) -> None:
    """GIVEN a version whose file text was never kept (e.g. replaced by sync) WHEN it is
    restored THEN the file is extracted again from the store."""
    v1, v2 = tmp_path / "a.txt", tmp_path / "b.txt"
    v1.write_text("Original wording about forecasts.", encoding="utf-8")
    v2.write_text("Replacement wording.", encoding="utf-8")
    (r,) = import_paths(team, [v1]).results
    assert r.item_key is not None
    governance.replace_file(team, r.item_key, v2, "Reworded")
    with team.transaction() as s:
        s.execute(text("DELETE FROM file_texts"))
    d = governance.restore_version(team, r.item_key, 1)
    assert d.assets[0].extraction_status == "ok" and d.assets[0].name == "a.txt"
    with team.reader() as s:
        assert "Original wording" in s.scalar(select(Asset.text))
