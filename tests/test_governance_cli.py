"""Governance through the CLI: the same rules as the services, one-line refusals (exit 2),
including attempts to get around them (a rep editing or exporting, a partner listing)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import main


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    *argv: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("FRONTLINE_USER", user)
    try:
        rc = main.main(list(argv))
    except SystemExit as e:
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def env(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """A library made by 'boss' (admin) with a marketer, a rep and a partner, and two imported
    text files: a customer one-pager (approved) and an internal talk track (approved)."""
    lib = str(tmp_path / "lib")
    files = tmp_path / "in"
    files.mkdir()
    (files / "one-pager.txt").write_text("Forecast accuracy for finance teams.", encoding="utf-8")
    (files / "talk-track.txt").write_text("Discovery questions about the forecast.", "utf-8")

    def go(user: str, *argv: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, user, *argv, "--library", lib)

    assert go("boss", "init")[0] == 0
    for name, role in (("Mia", "marketer"), ("Rae", "rep"), ("Pat", "partner")):
        assert go("boss", "user", "add", name, "--role", role)[0] == 0
    keys = {}
    for name, audience in (("one-pager.txt", "customer"), ("talk-track.txt", "internal")):
        rc, out, err = go(
            "Mia",
            "import",
            str(files / name),
            "--audience",
            audience,
            "--status",
            "approved",
            "--json",
        )
        assert rc == 0, err
        keys[name.split(".")[0]] = json.loads(out)["results"][0]["item_key"]
    return {"lib": lib, "files": str(files), **keys}


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str]):  # type: ignore[no-untyped-def]
    def go(user: str, *argv: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, user, *argv, "--library", env["lib"])

    return go


def test_whoami_and_roles(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    go = cli(capsys, monkeypatch, env)
    rc, out, _ = go("boss", "user", "whoami", "--json")
    assert rc == 0 and json.loads(out)["user"]["role"] == "admin"
    rc, out, _ = go("newcomer", "user", "whoami", "--json")
    data = json.loads(out)
    assert data["user"]["role"] == "rep" and "edit" not in data["permissions"]
    rc, _, err = go("Mia", "user", "set-role", "Rae", "admin")
    assert (
        rc == 2
        and err.strip() == "frontline user: Mia is a marketer; only admins can change roles."
    )
    rc, out, _ = go("boss", "user", "set-role", "Rae", "reviewer")
    assert rc == 0 and "Rae is now reviewer." in out
    rc, out, _ = go("boss", "user", "list", "--json")
    roles = {u["name"]: u["role"] for u in json.loads(out)["users"]}
    assert roles == {
        "boss": "admin",
        "Mia": "marketer",
        "Rae": "reviewer",
        "Pat": "partner",
        "newcomer": "rep",
    }


def test_a_rep_cannot_edit_approve_or_retire_through_the_cli(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    go = cli(capsys, monkeypatch, env)
    key = env["one-pager"]
    for argv in (
        ("edit", key, "--set", "audience=partner"),
        ("edit", key, "--set", "title=Mine now", "--note", "x"),
        ("edit", key, "--set", "status=retired"),
        ("retire", key),
        ("reopen", key),
        ("verify", key),
        ("replace", key, str(Path(env["files"]) / "talk-track.txt"), "--note", "x"),
        ("import", env["files"]),
        ("audit",),
        ("queue", "--all"),  # not refused: a rep sees their own rows
    ):
        rc, out, err = go("Rae", *argv)
        if argv[0] == "queue":
            assert rc == 0 and "Your flags and requests: 0" in out
            continue
        assert rc == 2, argv
        assert err.startswith(f"frontline {argv[0]}: Rae is a rep; only ") and err.count("\n") == 1
    rc, out, _ = go("boss", "show", key, "--json")
    item = json.loads(out)["item"]
    assert (item["title"], item["status"], item["audience"], item["version"]) == (
        "Forecast accuracy for finance teams.",
        "approved",
        "customer",
        1,
    )


def test_content_edits_need_a_note_and_show_up_as_versions(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    go = cli(capsys, monkeypatch, env)
    key = env["one-pager"]
    rc, _, err = go("Mia", "edit", key, "--set", "summary=FY27 figures")
    assert rc == 2 and "give a change note" in err and "--note" in err
    rc, _, err = go("Mia", "edit", key, "--set", "summary=FY27 figures", "--note", "FY27 figures")
    assert rc == 0, err
    rc, out, _ = go("Rae", "versions", key, "--json")
    versions = json.loads(out)["versions"]
    assert [(v["version"], v["change_note"], v["current"]) for v in versions] == [
        (2, "FY27 figures", True),
        (1, "First version, imported from one-pager.txt.", False),
    ]
    new_file = Path(env["files"]) / "one-pager-v3.txt"
    new_file.write_text("Forecast accuracy for finance teams, 2027 edition.", encoding="utf-8")
    rc, _, err = go("Mia", "replace", key, str(new_file))
    assert rc == 2 and "--note" in err  # argparse: the note is required
    rc, out, err = go("Mia", "replace", key, str(new_file), "--note", "2027 edition")
    assert rc == 0 and "version 3" in out, err
    rc, out, err = go("Mia", "restore", key, "1", "--note", "wrong file")
    assert rc == 0 and "as version 4" in out, err
    rc, out, _ = go("Mia", "version", key, "4", "--json")
    assert json.loads(out)["version"]["snapshot"]["assets"][0]["name"] == "one-pager.txt"
    rc, _, err = go("Mia", "restore", key, "12")
    assert rc == 2 and "has no version 12" in err


def test_lifecycle_commands(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    go = cli(capsys, monkeypatch, env)
    new = Path(env["files"]) / "draft.txt"
    new.write_text("A brand new white paper about forecasting.", encoding="utf-8")
    rc, out, _ = go("Mia", "import", str(new), "--json")
    key = json.loads(out)["results"][0]["item_key"]
    assert go("Mia", "submit", key, "--comment", "please check")[0] == 0
    rc, _, err = go("boss", "reject", key)
    assert rc == 2 and "--reason" in err
    rc, out, _ = go("boss", "reject", key, "--reason", "Needs a source for the numbers")
    assert rc == 0 and "is draft" in out
    go("Mia", "submit", key)
    rc, out, err = go("boss", "approve", key, "--publish-on", "2099-01-01")
    assert rc == 0 and "published on 2099-01-01" in out, err
    rc, out, _ = go("Rae", "list", "--json")
    assert key not in out  # scheduled: hidden from reps
    rc, out, _ = go("Rae", "list", "--all", "--json")
    assert key in out  # ...unless they ask for more
    rc, out, _ = go("boss", "audit", key, "--json")
    actions = [e["action"] for e in json.loads(out)["entries"]][::-1]
    assert actions == ["import", "submit", "reject", "submit", "approve"]
    rc, _, err = go("boss", "approve", key, "--publish-on", "someday")
    assert rc == 2 and "not a date" in err


def test_a_rep_cannot_export_an_internal_item_and_a_partner_sees_partner_items_only(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    go = cli(capsys, monkeypatch, env)
    out_file = tmp_path / "lb.docx"
    rc, _, err = go(
        "Rae",
        "export",
        "leave-behind",
        "--items",
        env["talk-track"],
        "--customer",
        "ACME",
        "--out",
        str(out_file),
    )
    assert rc == 2 and "internal only" in err and not out_file.exists()
    rc, out, _ = go("Pat", "list", "--json")
    assert json.loads(out)["total"] == 0  # nothing is partner-shareable yet
    rc, _, err = go("Pat", "show", env["one-pager"])
    assert rc == 2 and "No item" in err
    rc, _, err = go(
        "Pat",
        "export",
        "leave-behind",
        "--items",
        env["one-pager"],
        "--customer",
        "ACME",
        "--out",
        str(out_file),
    )
    assert rc == 2 and "Pat is a partner" in err and not out_file.exists()
    go("Mia", "edit", env["one-pager"], "--set", "audience=partner")
    rc, out, _ = go("Pat", "list", "--json")
    assert [i["key"] for i in json.loads(out)["items"]] == [env["one-pager"]]


def test_review_audit_csv_and_whats_new(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    go = cli(capsys, monkeypatch, env)
    rc, out, _ = go("Mia", "review", "--days", "30")
    assert rc == 0 and "Nothing expires" in out
    go("boss", "edit", env["one-pager"], "--set", "expires_on=2000-01-01", "--set", "owner=Mia")
    rc, out, _ = go("Mia", "review", "--json")
    data = json.loads(out)
    assert rc == 1 and data["total"] == 1 and data["owners"][0]["owner"] == "Mia"
    assert "expired 2000-01-01" in data["owners"][0]["items"][0]["reasons"][0]
    rc, out, _ = go("Mia", "review", "--owner", "mia")  # names ignore case
    assert rc == 1 and "Mia - 1 item" in out
    rc, out, err = go("Mia", "review", "--owner", "nobody")  # a typo is not "nothing due"
    assert rc == 2 and "No user named 'nobody'" in err
    dest = tmp_path / "audit.csv"
    rc, out, _ = go("Mia", "audit", "--csv", str(dest))
    assert rc == 0 and dest.is_file()
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"import", "edit", "user-added"} <= {r["action"] for r in rows}
    rc, out, _ = go("Rae", "whats-new", "--since", "2000-01-01", "--json")
    assert rc == 0 and [e["item_key"] for e in json.loads(out)["entries"]] == [env["talk-track"]]
    rc, _, err = go("Rae", "whats-new", "--since", "last week")
    assert rc == 2 and "not a date" in err


def test_flag_request_queue_answer_close(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    go = cli(capsys, monkeypatch, env)
    rc, out, err = go("Rae", "flag", env["one-pager"], "--reason", "outdated", "--text", "Old")
    assert rc == 0 and "#1" in out, err
    rc, _, err = go("Rae", "flag", env["one-pager"], "--reason", "meh")
    assert rc == 2 and "not a reason" in err
    rc, out, _ = go("Rae", "request", "ROI calculator for retail", "--query", "retail roi")
    assert rc == 0 and "#2" in out
    rc, _, err = go("Rae", "answer", "1", "done")
    assert rc == 2 and "only admins and marketers" in err
    rc, out, _ = go("Mia", "queue", "--json")
    assert [f["id"] for f in json.loads(out)["feedback"]] == [1, 2]
    assert go("Mia", "answer", "1", "Updated in version 2")[0] == 0
    assert go("Mia", "close", "2", "--comment", "Planned for Q3")[0] == 0
    rc, out, _ = go("Mia", "queue")
    assert "(open): 0" in out
    rc, out, _ = go("Rae", "queue", "--json")
    mine = {f["id"]: (f["status"], f["answer"]) for f in json.loads(out)["feedback"]}
    assert mine == {1: ("answered", "Updated in version 2"), 2: ("closed", "Planned for Q3")}
    rc, _, err = go("Mia", "close", "99")
    assert rc == 2 and "No flag or request #99" in err


def test_a_retired_item_cannot_go_into_a_pack(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    go = cli(capsys, monkeypatch, env)
    assert go("Mia", "retire", env["one-pager"], "--reason", "Superseded")[0] == 0
    out_file = tmp_path / "pack.zip"
    rc, _, err = go(
        "Mia",
        "export",
        "pack",
        "--items",
        env["one-pager"],
        "--customer",
        "ACME",
        "--out",
        str(out_file),
    )
    assert rc == 2 and "is retired" in err and not out_file.exists()
    rc, out, _ = go("Rae", "list", "--json")
    assert env["one-pager"] not in out
    rc, out, _ = go("Mia", "reopen", env["one-pager"])
    assert rc == 0 and "is draft" in out


def test_replace_warns_about_an_unreadable_file_and_opens_one_with_a_password(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    corpus_dir: Path,
) -> None:
    """GIVEN an approved item WHEN a marketer replaces its file with an encrypted one THEN the
    new version is made but the output warns that its text could not be read; WITH --password
    the replacement is read (its text shows). Metadata edits show which fields in `audit`."""
    go = cli(capsys, monkeypatch, env)
    key = env["one-pager"]
    locked = corpus_dir / "testWORD_protected_passtika.docx"
    rc, out, err = go("Mia", "replace", key, str(locked), "--note", "New layout")
    assert rc == 0, err
    assert f"Warning: {locked.name}: Encrypted" in out
    slides = corpus_dir / "testPPT_protected_passtika.pptx"
    rc, out, err = go(
        "Mia", "replace", key, str(slides), "--note", "The deck instead", "--password", "tika"
    )
    assert rc == 0 and "Warning" not in out, out + err
    rc, out, _ = go("Mia", "show", key, "--text")
    assert "This is an encrypted PowerPoint 2007 slide" in out
    assert go("Mia", "edit", key, "--set", "+tag=finance")[0] == 0
    rc, out, _ = go("Mia", "audit", key)
    assert "changed=tag" in out
