"""The library CLI: exit codes, messages without tracebacks, stable JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main

REPO = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main.main(list(argv))
    except SystemExit as e:  # argparse usage errors
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def libdir(tmp_path: Path) -> Path:
    return tmp_path / "lib"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "cfo-one-pager.md").write_text(
        "# The CFO guide to forecast accuracy\n\nForecasts miss because pipeline data lives in five places; here is how finance teams fix it.\n",
        encoding="utf-8",
    )
    (d / "talk-track.txt").write_text(
        "Discovery talk track: open with the cost of a missed quarter, then ask about the pipeline review.\n",
        encoding="utf-8",
    )
    return d


def test_init_import_list_show_edit_round_trip(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    rc, out, _ = run(capsys, "init", "--library", str(libdir), "--json")
    assert rc == 0 and json.loads(out) == {"library": str(libdir), "created": True}

    rc, out, _ = run(
        capsys,
        "import",
        str(files),
        "--library",
        str(libdir),
        "--kind",
        "Collateral",
        "--format",
        "One_Pager",
        "--persona",
        "CFO",
        "--stage",
        "Discovery",
        "--json",
    )
    assert rc == 0
    data = json.loads(out)
    assert data["summary"]["imported"] == 2 and data["created"] == {"persona": ["CFO"]}
    assert set(data["results"][0]) >= {
        "path",
        "outcome",
        "extraction_status",
        "reason",
        "item_key",
        "title",
    }
    key = next(r["item_key"] for r in data["results"] if r["path"].endswith(".md"))

    rc, out, _ = run(
        capsys,
        "list",
        "--library",
        str(libdir),
        "--persona",
        "cfo",
        "--kind",
        "collateral",
        "--json",
    )
    assert rc == 0
    listed = json.loads(out)
    assert listed["total"] == 2
    assert {"key", "title", "kind", "format", "status", "personas", "stages"} <= set(
        listed["items"][0]
    )

    rc, out, err = run(
        capsys,
        "edit",
        key[:8],
        "--library",
        str(libdir),
        "--set",
        "status=Approved",
        "--set",
        "+persona=VP Sales",
        "--set",
        "expires_on=2027-06-30",
        "--set",
        "case_study.customer=ACME",
        "--note",
        "Named the customer.",
    )
    assert rc == 0, err
    assert "new persona: VP Sales" in out

    rc, out, _ = run(capsys, "show", key, "--library", str(libdir), "--json")
    item = json.loads(out)["item"]
    assert item["title"] == "The CFO guide to forecast accuracy"
    assert item["status"] == "approved" and item["expires_on"] == "2027-06-30"
    assert item["terms"]["persona"] == ["CFO", "VP Sales"]
    assert item["case_study"]["customer"] == "ACME"
    assert item["assets"][0]["extraction_status"] == "ok"

    rc, out, _ = run(capsys, "show", key[:8], "--library", str(libdir), "--text")
    assert rc == 0 and "five places" in out and "Files" in out

    rc, out, _ = run(capsys, "list", "--library", str(libdir), "--status", "in review")
    assert rc == 1 and "0 items" in out  # nothing matched


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["edit", "nope", "--set", "title=x"], "No item with key 'nope'"),
        (["import", "--kind", "brochureware", "x"], "'brochureware' is not a known kind"),
        (["import"], "Give files or folders"),
        (["list", "--format", "poster"], "'poster' is not a known format"),
        (["list", "--limit", "-1"], "--limit must be 0 or more"),
        (["import", "--timeout", "0", "x"], "--timeout must be a number of seconds above 0"),
        (["audit", "--limit", "-1"], "--limit must be 1 or more"),
        (["review", "--owner", "Nobdy"], "No user named 'Nobdy'"),
    ],
)
def test_user_errors_exit_2_with_one_line_and_no_traceback(
    capsys: pytest.CaptureFixture[str], libdir: Path, argv: list[str], message: str
) -> None:
    run(capsys, "init", "--library", str(libdir))
    rc, _, err = run(capsys, *argv, "--library", str(libdir))
    assert rc == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_edit_values_are_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    run(capsys, "import", str(files / "talk-track.txt"), "--library", str(libdir), "--json")
    rc, out, _ = run(capsys, "list", "--library", str(libdir), "--json")
    key = json.loads(out)["items"][0]["key"]
    for bad, msg in (
        ("expires_on=31/12/2027", "not a date"),
        ("colour=red", "'colour' is not a field you can edit"),
        ("status=published-ish", "not a known status"),
        ("title=", "needs a title"),
    ):
        rc, _, err = run(
            capsys, "edit", key, "--library", str(libdir), "--set", "summary=changed", "--set", bad
        )
        assert rc == 2 and msg in err, (bad, err)
    rc, out, _ = run(capsys, "show", key, "--library", str(libdir), "--json")
    assert json.loads(out)["item"]["summary"] != "changed"  # the whole edit was rolled back


def test_check_reports_a_missing_file(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    run(capsys, "import", str(files), "--library", str(libdir))
    rc, out, _ = run(capsys, "check", "--library", str(libdir))
    assert rc == 0, out
    blob = next(p for p in (libdir / "files").rglob("*") if p.is_file())
    blob.unlink()
    rc, out, _ = run(capsys, "check", "--library", str(libdir), "--json")
    assert rc == 1
    problems = json.loads(out)["problems"]
    assert any(p["area"] == "files" and "missing" in p["message"] for p in problems)


def test_help_is_fast_and_loads_no_heavy_modules() -> None:
    code = "import sys, main\ntry:\n    main.main(['--help'])\nexcept SystemExit:\n    pass\nheavy = [m for m in ('PySide6', 'sqlalchemy', 'whoosh', 'docx', 'pdfminer') if m in sys.modules]\nprint('heavy:', heavy)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert "heavy: []" in out.stdout, out.stdout + out.stderr


def test_product_vocabulary_is_accepted_as_written_and_labelled_properly(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    """GIVEN PRODUCT.md's own format names ("ROI/TCO calculator", "security/compliance pack")
    WHEN a marketer imports with them THEN they are accepted, and the item reads "ROI
    calculator" (not "Roi calculator") with its file's page count in the singular."""
    rc, out, err = run(
        capsys,
        "import",
        str(files / "talk-track.txt"),
        "--format",
        "ROI/TCO calculator",
        "--library",
        str(libdir),
        "--json",
    )
    assert rc == 0, err
    key = json.loads(out)["results"][0]["item_key"]
    rc, out, err = run(capsys, "show", key, "--library", str(libdir))
    assert rc == 0 and "Collateral / ROI calculator" in out, out
    rc, _, err = run(
        capsys, "edit", key, "--set", "format=security/compliance pack", "--library", str(libdir)
    )
    assert rc == 0, err
    rc, out, _ = run(capsys, "show", key, "--library", str(libdir), "--json")
    assert json.loads(out)["item"]["format"] == "security-pack"


def test_a_filter_value_the_library_does_not_know_is_pointed_out(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    """GIVEN items tagged CFO WHEN a rep filters on a persona that does not exist THEN the
    command still answers (nothing matched, exit 1) but says the persona is unknown and which
    ones exist; a too-short key is explained."""
    run(capsys, "import", str(files), "--persona", "CFO", "--library", str(libdir))
    rc, out, err = run(
        capsys, "list", "--persona", "Chief Financial Officer", "--library", str(libdir)
    )
    assert rc == 1 and "0 items" in out
    assert "No persona named 'Chief Financial Officer' in this library (known: CFO" in err
    rc, out, err = run(capsys, "list", "--persona", "cfo", "--all", "--library", str(libdir))
    assert rc == 0 and err == ""
    rc, _, err = run(
        capsys, "search", "forecast", "--persona", "CFOO", "--all", "--library", str(libdir)
    )
    assert "No persona named 'CFOO'" in err
    rc, _, err = run(capsys, "show", "ab", "--library", str(libdir))
    assert rc == 2 and "at least its first 4 characters" in err


def test_an_owner_the_library_does_not_know_is_reported_as_a_new_person(
    capsys: pytest.CaptureFixture[str], libdir: Path, files: Path
) -> None:
    """GIVEN an owner's name with a typo WHEN it is set THEN the new (rep) person is reported,
    like a new tag, instead of appearing silently in the people list."""
    rc, out, _ = run(
        capsys,
        "import",
        str(files / "talk-track.txt"),
        "--owner",
        "Jonas Eklnd",
        "--library",
        str(libdir),
        "--json",
    )
    data = json.loads(out)
    assert rc == 0 and data["created"] == {"person": ["Jonas Eklnd"]}
    key = data["results"][0]["item_key"]
    rc, out, _ = run(capsys, "edit", key, "--set", "owner=Maya Okafr", "--library", str(libdir))
    assert rc == 0 and "new person: Maya Okafr" in out
    rc, out, _ = run(capsys, "edit", key, "--set", "owner=test-user", "--library", str(libdir))
    assert rc == 0 and "new person" not in out
