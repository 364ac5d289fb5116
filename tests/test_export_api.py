"""The API the desktop app calls (exporters.api): preflight, progress, cancel, brand editor."""

from __future__ import annotations

import os
import stat
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from exporters import api as ex
from library.core import Library
from library.errors import NotFound
from library.models import Activity
from library.progress import Cancel, Progress
from tests.test_export_data import ADMIN, CUSTOMER, REP, as_user, build_library, logo_png

TODAY = date(2026, 3, 2)
PARTNER = "Fabrikam Partners"


@pytest.fixture
def keys(lib: Library, tmp_path: Path) -> dict[str, str]:
    keys = build_library(lib, TODAY)
    (tmp_path / "p.png").write_bytes(logo_png("Fabrikam"))
    ex.save_partner(
        lib, PARTNER, {"contact_name": "Luis Ortega"}, logo=tmp_path / "p.png", actor=ADMIN
    )
    return keys


def _exports(lib: Library) -> int:
    with lib.reader() as s:
        return s.query(Activity).filter_by(action="export").count()


def test_preflight_names_refusals_validity_and_the_rep(lib: Library, keys: dict[str, str]) -> None:
    """GIVEN a basket with shareable and refused items WHEN preflighted for a customer and for a
    partner THEN refusals name each item and rule, valid-until is capped by the earliest expiry
    of the items that may go, and the rep comes from the user profile."""
    basket = [keys["sheet"], keys["case"], keys["draft"], keys["customer_only"]]
    pre = ex.preflight(lib, basket, today=TODAY)
    assert pre.recipient == "customer" and not pre.ok
    assert pre.refused_keys == {keys["draft"]}
    assert [r.rule for r in pre.refusals] == ["not-approved"]
    assert pre.rep.name == REP and pre.rep.email == "dana.whitfield@northwind.example"
    assert pre.valid_until == TODAY + timedelta(days=90)
    assert [p.name for p in pre.partners] == [PARTNER]

    pre = ex.preflight(lib, basket, partner="fabrikam partners", today=TODAY)
    assert pre.recipient == "partner" and pre.partner is not None
    assert pre.refused_keys == {keys["draft"], keys["customer_only"]}
    assert pre.company and isinstance(pre.pdf_available, bool)

    with as_user(lib, ADMIN):
        from library.items import edit

        edit(lib, keys["sheet"], [("expires_on", (TODAY + timedelta(days=10)).isoformat())])
    assert ex.preflight(lib, [keys["sheet"]], today=TODAY).valid_until == TODAY + timedelta(10)
    with pytest.raises(NotFound, match="No partner named 'Nobody'"):
        ex.preflight(lib, basket, partner="Nobody")


def test_progress_reaches_the_end_and_cancel_leaves_nothing(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    """GIVEN a progress callback WHEN a leave-behind and a pack are exported THEN progress
    rises to done == total; WHEN cancelled at any step THEN ExportCancelled, no file, no record."""
    shareable = [keys["sheet"], keys["case"], keys["onepager"]]
    for run, name, kw in (
        (ex.export_leave_behind, "lb.docx", {"customer": CUSTOMER}),
        (ex.export_pack, "pack.zip", {"partner": PARTNER}),
    ):
        seen: list[Progress] = []
        report = run(lib, ex.ExportRequest(shareable, tmp_path / name, **kw), seen.append)
        assert Path(report.out).is_file() and seen[-1].done == seen[-1].total
        dones = [p.done for p in seen]
        assert dones == sorted(dones) and len(seen) >= 4
        assert all(p.total and p.done <= p.total for p in seen)
        recorded = _exports(lib)
        # a Cancel during the last two reports ("Saving", "Wrote ...") comes too late: published
        for stop_at in range(len(seen) - 2):
            cancel = Cancel()
            calls = 0

            def cb(_: Progress, stop_at: int = stop_at, cancel: Cancel = cancel) -> None:
                nonlocal calls
                if calls == stop_at:
                    cancel.set()
                calls += 1

            dest = tmp_path / f"c{stop_at}-{name}"
            with pytest.raises(ex.ExportCancelled, match="cancelled; nothing was written"):
                run(lib, ex.ExportRequest(shareable, dest, **kw), cb, cancel)
            assert not dest.exists()
            assert _exports(lib) == recorded
        assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_cancel_stops_a_running_libreoffice(
    lib: Library, keys: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a LibreOffice that hangs WHEN the user cancels during the PDF step THEN the
    process is killed within a second and nothing is written or recorded."""
    if os.name != "posix":
        pytest.skip("the stand-in soffice is a shell script")
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("FRONTLINE_SOFFICE", str(fake))
    cancel = Cancel()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    started = time.monotonic()
    dest = tmp_path / "lb.docx"
    try:
        with pytest.raises(ex.ExportCancelled):
            ex.export_leave_behind(
                lib,
                ex.ExportRequest([keys["sheet"]], dest, customer=CUSTOMER, pdf=True),
                cancel=cancel,
            )
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert not dest.exists() and not dest.with_suffix(".pdf").exists()
    assert _exports(lib) == 0


def test_import_pack_reports_progress_and_can_be_cancelled(
    lib: Library, keys: dict[str, str], tmp_path: Path
) -> None:
    pack = Path(
        ex.export_pack(
            lib,
            ex.ExportRequest([keys["case"], keys["sheet"]], tmp_path / "p.zip", partner=PARTNER),
        ).out
    )
    reseller = Library.open(tmp_path / "reseller")
    try:
        cancel = Cancel()

        def stop_when_storing(p: Progress) -> None:
            if p.message.startswith("Storing"):
                cancel.set()

        with pytest.raises(ex.ExportCancelled, match="nothing was imported"):
            ex.import_pack(reseller, pack, stop_when_storing, cancel)
        assert ex.list_received_packs(reseller) == []
        seen: list[Progress] = []
        report = ex.import_pack(reseller, pack, seen.append)
        assert len(report.items) == 2 and seen[-1].done == seen[-1].total
        assert any(p.message.startswith("Checking") for p in seen)
    finally:
        reseller.close()


def test_partner_logo_can_be_cleared_and_partners_removed(
    lib: Library, keys: dict[str, str]
) -> None:
    p = ex.get_partner(lib, PARTNER)
    assert p.logo_sha256 and ex.logo_path(lib, p.logo_sha256) is not None
    p = ex.save_partner(lib, PARTNER, {}, clear_logo=True, create=False, update=True, actor=ADMIN)
    assert p.logo_sha256 is None and p.logo_name == ""
    ex.delete_partner(lib, PARTNER, actor=ADMIN)
    assert ex.list_partners(lib) == []
    assert ex.logo_path(lib, None) is None


def test_bad_requests_and_failing_disks_get_a_sentence_and_leave_nothing(
    lib: Library, keys: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a folder that cannot be created, a disk that fills up while writing, a full one,
    an over-long customer name WHEN exporting THEN one sentence each, no file, no record."""
    import errno

    from exporters import base, leave_behind
    from library.errors import InvalidInput, LibraryError

    sheet = [keys["sheet"]]
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(LibraryError, match="Cannot create the folder"):
        ex.export_leave_behind(
            lib, ex.ExportRequest(sheet, tmp_path / "a-file" / "x.docx", customer=CUSTOMER)
        )
    with pytest.raises(InvalidInput, match="customer name is too long"):
        ex.export_leave_behind(
            lib, ex.ExportRequest(sheet, tmp_path / "x.docx", customer="ACME " * 60)
        )

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(leave_behind, "render", full)
    with pytest.raises(ex.ExportFailed, match=r"Could not write x\.docx: No space left"):
        ex.export_leave_behind(lib, ex.ExportRequest(sheet, tmp_path / "x.docx", customer="A"))
    monkeypatch.undo()
    monkeypatch.setattr(base.tempfile, "mkstemp", full)
    with pytest.raises(ex.ExportFailed, match=r"Cannot write in .*No space left"):
        ex.export_pack(lib, ex.ExportRequest(sheet, tmp_path / "p.zip", partner=PARTNER))
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "lib", "p.png"]
    assert _exports(lib) == 0
