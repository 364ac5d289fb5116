"""Reseller packs: manifest hashes, portable file names, re-import as a read-only collection,
and refusal of tampered, hostile or bomb-like zips (nothing applied)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from exporters.base import ExportRefused, ExportRequest
from exporters.names import UniqueNames, safe_filename
from exporters.pack import export_pack
from exporters.pack_import import TamperedPack, import_pack
from library import branding
from library.core import Library
from library.errors import LibraryError
from library.models import Activity, Item
from tests.test_export_data import ADMIN, CUSTOMER, add_item, build_library, logo_png

TODAY = date(2026, 3, 2)
PARTNER = "Fabrikam Partners"
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}


@pytest.fixture
def keys(lib: Library, tmp_path: Path) -> dict[str, str]:
    keys = build_library(lib, TODAY)
    (tmp_path / "p.png").write_bytes(logo_png("Fabrikam"))
    branding.save_partner(
        lib, PARTNER, {"contact_name": "Luis Ortega"}, logo=tmp_path / "p.png", actor=ADMIN
    )
    return keys


def _pack(lib: Library, keys: list[str], out: Path, **kw: Any) -> Path:
    kw.setdefault("partner", PARTNER)
    kw.setdefault("customer", CUSTOMER)
    export_pack(lib, ExportRequest(keys, out, today=TODAY, **kw))
    return out


def _manifest(path: Path) -> tuple[str, dict[str, Any], zipfile.ZipFile]:
    zf = zipfile.ZipFile(path)
    name = next(n for n in zf.namelist() if n.endswith("/manifest.json"))
    return name[: -len("manifest.json")], json.loads(zf.read(name)), zf


def _rewrite(src: Path, dest: Path, change: Any) -> None:
    """Copy a zip member by member; `change(name, data)` returns new data, or None to drop it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)


def _portable(component: str) -> None:
    assert component, "empty name"
    assert component == component.strip(" ."), f"leading/trailing dot or space: {component!r}"
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', component), component
    assert component.split(".")[0].upper() not in RESERVED, component
    assert len(component.encode()) <= 100, component


def test_manifest_lists_every_file_with_its_sha256(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    wanted = [keys["case"], keys["sheet"], keys["onepager"]]
    root, m, zf = _manifest(_pack(lib, wanted, tmp_path / "pack.zip"))
    with zf:
        members = {n for n in zf.namelist() if not n.endswith("/")}
        listed = {root + f["path"] for f in m["files"]}
        assert members == listed | {root + "manifest.json"}
        for f in m["files"]:
            data = zf.read(root + f["path"])
            assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"]
        roles = sorted(f["role"] for f in m["files"])
        assert roles == ["leave-behind", "manifest", "original", "original", "original", "readme"]
        rows = list(csv.DictReader(io.StringIO(zf.read(root + "manifest.csv").decode("utf-8-sig"))))
        by_path = {r["path"]: r for r in rows}
        for f in m["files"]:
            if f["role"] != "manifest":
                assert by_path[f["path"]]["sha256"] == f["sha256"]
        case_row = next(r for r in rows if r["key"] == keys["case"])
        assert case_row["version"] == "3" and case_row["audience"] == "partner"
        assert case_row["kind"] == "case-study" and case_row["valid_until"] == m["valid_until"]
        readme = zf.read(root + "README.txt").decode()
    assert m["format"] == "frontline-pack" and m["partner"]["name"] == PARTNER
    assert {i["key"] for i in m["items"]} == set(wanted)
    assert "VALID UNTIL 31 May 2026" in readme and "Luis Ortega" in readme
    assert "How Contoso Retail cut forecast error by 38%" in readme and "\r\n" in readme


def test_hostile_names_become_portable_and_unique(lib: Library, tmp_path: Path) -> None:
    """GIVEN files named like devices, paths, emoji, 300 characters, case twins WHEN packed THEN
    every zip path component is safe on Windows/macOS/Linux and unique case-insensitively."""
    lib.actor = "rep"
    hostile = [
        "CON",
        "a/b\\c:*?.pdf",
        "x" * 300 + ".pdf",
        "🚀 Launch – naïve café.pdf",
        "report.pdf",
        "REPORT.PDF",
        "trailing. . .",
        "aux.txt",
        "..hidden",
        "tab\tand\nnewline.txt",
    ]
    with lib.transaction() as s:
        key = add_item(
            lib,
            s,
            title="CON",
            files=[
                (n, f"content {i}".encode(), "application/pdf", "") for i, n in enumerate(hostile)
            ],
        ).key
    out = _pack(lib, [key], tmp_path / "p.zip", partner=None, customer="ACME/Corp: <EU> *")
    with zipfile.ZipFile(out) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    seen: set[str] = set()
    for name in names:
        for component in name.split("/"):
            _portable(component)
        assert name.casefold() not in seen
        seen.add(name.casefold())
    assert len([n for n in names if "/files/" in n]) == len(hostile)
    assert any("🚀 Launch – naïve café.pdf" in n for n in names)
    assert any(n.endswith("/files/_CON") for n in names)


def test_safe_filename_rules() -> None:
    assert safe_filename("CON") == "_CON"
    assert safe_filename("con.txt") == "_con.txt"
    assert safe_filename("LPT9.tar.gz") == "_LPT9.tar.gz"
    assert safe_filename('a/b\\c:*?"<>|.pdf') == "a_b_c_______.pdf"
    assert safe_filename("  name. . ") == "name"
    assert safe_filename("...") == "file"
    long = safe_filename("é" * 300 + ".docx")
    assert long.endswith(".docx") and len(long.encode()) <= 100
    assert safe_filename("👩‍👩‍👧" * 40, max_bytes=30).encode()[-3:] != "\u200d".encode()
    names = UniqueNames()
    assert [names.take(n) for n in ("A.pdf", "a.PDF", "a.pdf")] == [
        "A.pdf",
        "a (2).pdf",
        "a (3).pdf",
    ]


def test_partner_pack_refuses_customer_only_and_internal_items(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    with pytest.raises(ExportRefused) as err:
        _pack(lib, [keys["sheet"], keys["customer_only"], keys["battle"]], tmp_path / "p.zip")
    rules = [r.rule for r in err.value.refusals]
    assert rules == ["audience", "internal-format"]
    assert "Pricing overview 2026" in str(err.value)
    assert not (tmp_path / "p.zip").exists()


def test_reimport_gives_a_searchable_read_only_collection(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    from library.items import get, list_items
    from library.values import ItemFilter

    out = _pack(lib, [keys["case"], keys["sheet"]], tmp_path / "pack.zip")
    with lib.reader() as s:
        exports = s.query(Activity).filter_by(action="export").count()
    assert exports == 2
    reseller = Library.open(tmp_path / "reseller")
    try:
        report = import_pack(reseller, out)
        assert [i.outcome for i in report.items] == ["added", "added"]
        assert report.tag.startswith("pack: ")
        found = list_items(
            reseller, ItemFilter(title_contains="Contoso", terms={"tag": [report.tag]})
        )
        assert len(found) == 1
        d = get(reseller, found[0].key)
        assert d.status == "approved" and d.audience == "partner" and d.version == 3
        assert d.expires_on == report.valid_until == date(2026, 5, 31)
        assert d.case_study is not None and d.case_study["quote_author"].startswith("Priya")
        assert [a.name for a in d.assets] == ["Contoso case study.pdf"]
        assert reseller.store.verify(d.assets[0].sha256)
        with reseller.reader() as s:
            reason = branding.read_only_reason(s, d.key)
            assert reason is not None and "read-only" in reason
            with pytest.raises(LibraryError, match="read-only"):
                branding.require_editable(s, d.key)
            branding.require_editable(s, keys["sheet"])  # not in this library: nothing to say
            assert s.query(Activity).filter_by(action="pack-imported").count() == 2
        again = import_pack(reseller, out)
        assert again.already_imported and not again.items
        assert [p.name for p in branding.list_received_packs(reseller)] == [report.name]
    finally:
        reseller.close()


def test_a_newer_pack_updates_the_items_it_carries(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    from library.items import get

    first = _pack(lib, [keys["sheet"]], tmp_path / "v1.zip", name="Q1 pack")
    with lib.transaction() as s:
        item = s.query(Item).filter_by(key=keys["sheet"]).one()
        item.version, item.title = 6, "Forecast Cloud data sheet (2026)"
    second = _pack(lib, [keys["sheet"]], tmp_path / "v2.zip", name="Q2 pack")
    reseller = Library.open(tmp_path / "reseller")
    try:
        a = import_pack(reseller, first)
        b = import_pack(reseller, second)
        assert b.items[0].outcome == "updated" and b.items[0].key == a.items[0].key
        assert get(reseller, a.items[0].key).title == "Forecast Cloud data sheet (2026)"
        assert get(reseller, a.items[0].key).version == 6
    finally:
        reseller.close()


@pytest.mark.parametrize("attack", ["same-size-change", "extra-file", "missing-file"])
def test_tampered_packs_are_refused_and_nothing_is_applied(
    lib: Library, keys: dict[str, str], tmp_path: Path, attack: str
) -> None:
    good = _pack(lib, [keys["case"], keys["sheet"]], tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"

    def change(name: str, data: bytes) -> bytes | None:
        if attack == "same-size-change" and name.endswith(".pdf") and "/files/" in name:
            return data[:-8] + b"EVIL%EOF"
        if attack == "missing-file" and name.endswith("README.txt"):
            return None
        return data

    _rewrite(good, bad, change)
    if attack == "extra-file":
        with zipfile.ZipFile(bad, "a") as zf:
            root = zf.namelist()[0].split("/")[0]
            zf.writestr(f"{root}/files/invoice.exe", b"MZ")
    reseller = Library.open(tmp_path / "reseller")
    try:
        with pytest.raises(TamperedPack) as err:
            import_pack(reseller, bad)
        assert "Nothing was imported" in str(err.value) or "not imported" in str(err.value)
        with reseller.reader() as s:
            assert s.query(Item).count() == 0
            assert s.query(branding.ReceivedPack).count() == 0
            assert s.query(Activity).filter_by(action="pack-imported").count() == 0
    finally:
        reseller.close()


def test_zip_slip_symlinks_and_bombs_are_refused(lib: Library, tmp_path: Path) -> None:
    def pack_with(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
        path = tmp_path / f"evil{len(list(tmp_path.iterdir()))}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("p/manifest.json", json.dumps({"format": "frontline-pack"}))
            for info, data in members:
                zf.writestr(info, data)
        return path

    link = zipfile.ZipInfo("p/link")
    link.external_attr = 0o120777 << 16
    cases = {
        "unsafe path": pack_with([("p/../../etc/evil", b"x")]),
        "symbolic link": pack_with([(link, b"/etc/passwd")]),
        "zip bomb": pack_with([("p/zeros.bin", b"\0" * (8 << 20))]),
    }
    for words, path in cases.items():
        with pytest.raises(TamperedPack, match=words):
            import_pack(lib, path)
    with pytest.raises(TamperedPack, match="not a readable zip"):
        (tmp_path / "junk.zip").write_bytes(b"not a zip")
        import_pack(lib, tmp_path / "junk.zip")
    with lib.reader() as s:
        assert s.query(Item).count() == 0
