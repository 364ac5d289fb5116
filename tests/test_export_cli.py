"""The export CLI: exit codes, one line per refusal, JSON reports, brand/partner commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import main
from library.core import Library
from tests.test_export_data import ADMIN, CUSTOMER, REP, build_library, logo_png


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main.main(list(argv))
    except SystemExit as e:  # argparse usage errors
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def libdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    monkeypatch.setenv("FRONTLINE_USER", REP)
    path = tmp_path / "lib"
    lib = Library.open(path)
    try:
        keys = build_library(lib, date.today())
    finally:
        lib.close()
    return path, keys


def test_leave_behind_by_key_prefix_with_json_report(
    capsys: pytest.CaptureFixture[str], libdir: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, keys = libdir
    out = tmp_path / "acme.docx"
    rc, stdout, err = run(
        capsys,
        "export",
        "leave-behind",
        "--library",
        str(path),
        "--items",
        keys["case"][:8],
        keys["sheet"],
        "--customer",
        CUSTOMER,
        "--out",
        str(out),
        "--json",
    )
    assert rc == 0, err
    report = json.loads(stdout)["export"]
    assert report["format"] == "leave-behind" and report["out"] == str(out)
    assert {i["key"] for i in report["items"]} == {keys["case"], keys["sheet"]}
    assert report["recipient"] == "customer" and report["customer"] == CUSTOMER
    assert date.fromisoformat(report["valid_until"]) > date.today()
    assert out.is_file()


def test_refusal_exits_2_with_one_line_per_item(
    capsys: pytest.CaptureFixture[str], libdir: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, keys = libdir
    rc, _, err = run(
        capsys,
        "export",
        "pack",
        "--library",
        str(path),
        "--items",
        keys["sheet"],
        keys["draft"],
        keys["internal"],
        "--customer",
        CUSTOMER,
        "--out",
        str(tmp_path / "p.zip"),
    )
    assert rc == 2
    lines = [line for line in err.splitlines() if line.startswith("refused:")]
    assert len(lines) == 2
    assert "Draft roadmap teaser" in lines[0] and "Discount approval matrix" in lines[1]
    assert lines[0].startswith(f"refused: {keys['draft'][:8]} [not-approved]")
    assert lines[1].startswith(f"refused: {keys['internal'][:8]} [audience]")
    assert "Traceback" not in err and not (tmp_path / "p.zip").exists()


@pytest.mark.parametrize("engine", ["search index", "title fallback"])
def test_query_exports_only_shareable_matches(
    capsys: pytest.CaptureFixture[str],
    libdir: tuple[Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    """GIVEN a query matching shareable and non-shareable items WHEN exported THEN only the
    shareable ones go out; the title fallback (no search package) reports what it skipped."""
    import exporters.cli

    if engine == "title fallback":
        monkeypatch.setattr(exporters.cli, "_search_keys", lambda lib, args: None)
    path, keys = libdir
    rc, stdout, err = run(
        capsys,
        "export",
        "leave-behind",
        "--library",
        str(path),
        "--query",
        "forecast",
        "--customer",
        CUSTOMER,
        "--out",
        str(tmp_path / "q.docx"),
        "--json",
    )
    assert rc == 0, err
    data = json.loads(stdout)
    exported = {i["key"] for i in data["export"]["items"]}
    assert keys["sheet"] in exported and keys["scheduled"] not in exported
    if engine == "title fallback":  # the index itself leaves out what is not current
        assert keys["scheduled"] in {r["item_key"] for r in data["skipped"]}
    rc, _, err = run(
        capsys,
        "export",
        "leave-behind",
        "--library",
        str(path),
        "--query",
        "promotion",
        "--customer",
        CUSTOMER,
        "--out",
        str(tmp_path / "none.docx"),
    )
    assert rc == 1 and "No shareable item matches 'promotion'" in err


def test_brand_partner_pack_and_import_round_trip(
    capsys: pytest.CaptureFixture[str],
    libdir: tuple[Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, keys = libdir
    lib = ["--library", str(path)]
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png())
    rc, _, err = run(capsys, "brand", "set", *lib, "website=rep.example")
    assert rc == 2 and "Only an admin" in err and REP in err  # the rep may not
    monkeypatch.setenv("FRONTLINE_USER", ADMIN)
    assert run(capsys, "brand", "set", *lib, "primary_color=#0B3D91", "validity_days=30")[0] == 0
    assert run(capsys, "brand", "logo", *lib, str(logo))[0] == 0
    rc, _, err = run(capsys, "brand", "set", *lib, "primary_color=teal")
    assert rc == 2 and "not a colour" in err
    rc, out, _ = run(capsys, "brand", "show", *lib, "--json")
    brand = json.loads(out)["brand"]
    assert brand["primary_color"] == "0B3D91" and brand["validity_days"] == 30
    assert brand["logo_name"] == "logo.png"

    rc, _, err = run(
        capsys, "partner", "add", *lib, "Fabrikam", "--contact-name", "Luis", "--logo", str(logo)
    )
    assert rc == 0, err
    assert run(capsys, "partner", "add", *lib, "fabrikam")[0] == 2  # exists already
    assert run(capsys, "partner", "set", *lib, "Fabrikam", "--email", "l@f.example")[0] == 0
    rc, out, _ = run(capsys, "partner", "show", *lib, "fabrikam", "--json")
    assert json.loads(out)["partner"]["contact_email"] == "l@f.example"
    rc, out, _ = run(capsys, "partner", "list", *lib)
    assert "Fabrikam  (Luis, l@f.example)" in out
    assert run(capsys, "partner", "add", *lib, "Old Reseller")[0] == 0
    assert run(capsys, "partner", "remove", *lib, "old reseller")[0] == 0
    rc, out, _ = run(capsys, "partner", "list", *lib)
    assert "Old Reseller" not in out and "1 partner" in out
    rc, _, err = run(capsys, "partner", "remove", *lib, "Old Reseller")
    assert rc == 2 and "No partner named" in err
    monkeypatch.setenv("FRONTLINE_USER", REP)

    pack = tmp_path / "pack.zip"
    rc, out, err = run(
        capsys,
        "export",
        "pack",
        *lib,
        "--items",
        keys["case"],
        keys["onepager"],
        "--partner",
        "Fabrikam",
        "--name",
        "Spring pack",
        "--out",
        str(pack),
    )
    assert rc == 0, err
    assert "valid until" in out

    other = tmp_path / "reseller"
    rc, out, err = run(capsys, "import-pack", "--library", str(other), str(pack), "--json")
    assert rc == 0, err
    report = json.loads(out)
    assert report["name"] == "Spring pack" and len(report["items"]) == 2
    rc, out, _ = run(capsys, "import-pack", "--library", str(other), str(pack))
    assert rc == 0 and "imported before" in out
    rc, out, _ = run(capsys, "packs", "--library", str(other))
    assert "Spring pack" in out
    rc, out, _ = run(capsys, "list", "--library", str(other), "--tag", "pack: Spring pack")
    assert rc == 0 and "Contoso" in out


def test_import_pack_refuses_a_non_pack(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "x.zip"
    junk.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    rc, _, err = run(capsys, "import-pack", "--library", str(tmp_path / "l"), str(junk))
    assert rc == 2 and "not a Frontline pack" in err and "Traceback" not in err


def test_query_limit_counts_shareable_items_not_matches(
    libdir: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a search whose best matches cannot be shared WHEN exporting with --limit 1
    THEN the best shareable match is taken (not nothing), and only the refusals ranked above it
    are reported."""
    import argparse

    import exporters.cli

    path, keys = libdir
    ranked = [keys["internal"], keys["draft"], keys["sheet"], keys["case"]]
    depth: list[int] = []

    def fake_search(lib: Library, args: argparse.Namespace) -> list[str]:
        depth.append(exporters.cli._search_depth(args.limit))
        return ranked

    monkeypatch.setattr(exporters.cli, "_search_keys", fake_search)
    lib = Library.open(path)
    try:
        args = argparse.Namespace(query="forecast", limit=1)
        taken, skipped = exporters.cli._query_keys(lib, args, "customer")
    finally:
        lib.close()
    assert taken == [keys["sheet"]]
    assert {r.item_key for r in skipped} == {keys["internal"], keys["draft"]}
    assert depth and depth[0] > 1  # the search looked deeper than the limit


def test_a_pack_for_a_partner_uses_the_profiles_spelling(
    capsys: pytest.CaptureFixture[str],
    libdir: tuple[Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, keys = libdir
    monkeypatch.setenv("FRONTLINE_USER", ADMIN)
    rc, _, err = run(capsys, "partner", "add", "Northwind Solutions", "--library", str(path))
    assert rc == 0, err
    monkeypatch.setenv("FRONTLINE_USER", REP)
    rc, stdout, err = run(
        capsys,
        "export",
        "pack",
        "--library",
        str(path),
        "--items",
        keys["case"],
        "--partner",
        "northwind SOLUTIONS",
        "--out",
        str(tmp_path / "p.zip"),
        "--json",
    )
    assert rc == 0, err
    assert "Northwind Solutions" in stdout and "northwind SOLUTIONS" not in stdout
