"""Export speed: a 10-item leave-behind and a 20-file reseller pack (goal: under 2 s each without
PDF), plus the PDF conversion when LibreOffice is installed.

    python bench/export_bench.py [--runs 5] [--pdf] [--keep DIR]

Prints figures; it is not a pass/fail test. The library is built with SQLAlchemy directly (the
same small, realistic items the export tests use: PDFs, a case study with results and a quote).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exporters.base import ExportRequest
from exporters.leave_behind import export_leave_behind
from exporters.pack import export_pack
from exporters.pack_import import import_pack
from library import branding
from library.core import Library
from tests.test_export_data import ADMIN, CUSTOMER, add_bulk_items, build_library, logo_png


def _timed(runs: int, fn: object) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return times


def _line(label: str, times: list[float], extra: str = "") -> None:
    print(
        f"{label:<44} median {statistics.median(times):6.3f} s   "
        f"min {min(times):6.3f} s   max {max(times):6.3f} s  {extra}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pdf", action="store_true", help="also time the PDF conversion")
    ap.add_argument("--keep", type=Path, help="write the outputs here and keep them")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="frontline-export-bench-"))
    out = args.keep or work / "out"
    out.mkdir(parents=True, exist_ok=True)
    try:
        os.environ.setdefault("FRONTLINE_USER", "bench")
        lib = Library.open(work / "lib")
        today = date.today()
        keys = build_library(lib, today)
        (work / "logo.png").write_bytes(logo_png())
        (work / "partner.png").write_bytes(logo_png("Fabrikam", (192, 80, 77)))
        branding.set_brand_logo(lib, work / "logo.png", actor=ADMIN)
        branding.save_partner(
            lib,
            "Fabrikam Partners",
            {"contact_name": "Luis Ortega"},
            logo=work / "partner.png",
            actor=ADMIN,
        )
        ten = [keys["case"], keys["sheet"], keys["onepager"], *add_bulk_items(lib, 7)]
        twenty_files = add_bulk_items(lib, 10, files_per_item=2)  # 10 items x 2 files = 20

        def leave_behind() -> None:
            export_leave_behind(
                lib,
                ExportRequest(
                    ten, out / "leave-behind.docx", customer=CUSTOMER, partner="Fabrikam Partners"
                ),
            )

        def pack() -> None:
            export_pack(
                lib,
                ExportRequest(twenty_files, out / "pack.zip", partner="Fabrikam Partners"),
            )

        print(f"Frontline export bench ({args.runs} runs each, no PDF unless --pdf)")
        t = _timed(args.runs, leave_behind)
        size = (out / "leave-behind.docx").stat().st_size
        _line("leave-behind, 10 items, co-branded", t, f"{size / 1024:.0f} KB")
        t = _timed(args.runs, pack)
        with zipfile.ZipFile(out / "pack.zip") as zf:
            originals = sum(1 for n in zf.namelist() if "/files/" in n)
        size = (out / "pack.zip").stat().st_size
        _line(f"pack, {originals} original files", t, f"{size / 1024:.0f} KB")

        reseller = Library.open(work / "reseller")
        t0 = time.perf_counter()
        report = import_pack(reseller, out / "pack.zip")
        _line(
            f"import-pack, {len(report.items)} items / {report.files} files",
            [time.perf_counter() - t0],
        )
        reseller.close()

        if args.pdf:
            from exporters.pdf import find_soffice

            if find_soffice() is None:
                print("PDF: LibreOffice is not installed; skipped")
            else:

                def with_pdf() -> None:
                    export_leave_behind(
                        lib,
                        ExportRequest(
                            ten, out / "leave-behind-pdf.docx", customer=CUSTOMER, pdf=True
                        ),
                    )

                _line("leave-behind, 10 items, with PDF", _timed(max(1, args.runs // 2), with_pdf))
        lib.close()
        if args.keep:
            print(f"outputs kept in {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
