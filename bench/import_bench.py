"""Import throughput: files/s and MB/s on the shared corpus and on a generated set of mixed files.

    python bench/import_bench.py [--files 1000] [--skip-corpus] [--keep DIR]

Prints figures; it is not a pass/fail test. The generated files are realistic sales documents
(PDF, DOCX, PPTX, XLSX, TXT, MD, HTML, CSV) made with the same libraries the demo uses.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from library.core import Library
from library.importer import import_paths

WORDS = [
    "pipeline",
    "forecast",
    "accuracy",
    "renewal",
    "onboarding",
    "security",
    "compliance",
    "integration",
    "analytics",
    "dashboard",
    "revenue",
    "quota",
    "territory",
    "procurement",
    "budget",
    "approval",
    "evaluation",
    "pilot",
    "rollout",
    "customer",
    "success",
    "churn",
    "expansion",
    "pricing",
    "discount",
    "contract",
    "negotiation",
    "champion",
    "buyer",
    "stakeholder",
    "workflow",
    "automation",
    "visibility",
    "governance",
    "audit",
    "encryption",
    "latency",
    "uptime",
]


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(3, 7))) for _ in range(count)]


def generate(dest: Path, count: int, seed: int = 7) -> list[Path]:
    import docx
    import openpyxl
    from fpdf import FPDF
    from pptx import Presentation

    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    kinds = ["pdf", "docx", "pptx", "xlsx", "txt", "md", "html", "csv"]
    out: list[Path] = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} brief {i}"
        paras = _paragraphs(rng, rng.randint(4, 30))
        path = dest / f"doc-{i:05d}.{kind}"
        if kind == "pdf":
            pdf = FPDF()
            pdf.set_title(title)
            pdf.add_page()
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 6, title + "\n\n" + "\n\n".join(paras))
            pdf.output(str(path))
        elif kind == "docx":
            d = docx.Document()
            d.add_heading(title, 1)
            for p in paras:
                d.add_paragraph(p)
            d.save(str(path))
        elif kind == "pptx":
            prs = Presentation()
            for p in paras[:8]:
                slide = prs.slides.add_slide(prs.slide_layouts[1])
                slide.shapes.title.text = title
                slide.placeholders[1].text = p[:300]
                slide.notes_slide.notes_text_frame.text = p[300:600]
            prs.save(str(path))
        elif kind == "xlsx":
            wb = openpyxl.Workbook()
            ws = wb.active
            for r, p in enumerate(paras, start=1):
                ws.cell(r, 1, p[:80])
                ws.cell(r, 2, rng.randint(1, 10_000))
            wb.save(str(path))
        elif kind == "html":
            body = "".join(f"<p>{p}</p>" for p in paras)
            path.write_text(
                f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>",
                encoding="utf-8",
            )
        elif kind == "csv":
            path.write_text(
                "metric,value\n" + "\n".join(f"{p[:40]},{rng.randint(1, 99)}" for p in paras),
                encoding="utf-8",
            )
        elif kind == "md":
            path.write_text(f"# {title}\n\n" + "\n\n".join(paras), encoding="utf-8")
        else:
            path.write_text(
                title + "\n\n" + "\n\n".join(paras), encoding="cp1252" if i % 16 == 4 else "utf-8"
            )
        out.append(path)
    return out


def measure(label: str, paths: list[Path], workdir: Path) -> None:
    size = sum(p.stat().st_size for p in paths if p.is_file())
    lib = Library.open(workdir / f"lib-{label}")
    t0 = time.perf_counter()
    report = import_paths(lib, paths)
    dt = time.perf_counter() - t0
    lib.close()
    counts = {o: report.count(o) for o in ("imported", "unchanged", "failed")}
    statuses: dict[str, int] = {}
    for r in report.results:
        status = str(r.extraction_status or "-")
        statuses[status] = statuses.get(status, 0) + 1
    slowest = sorted(report.results, key=lambda r: r.seconds, reverse=True)[:3]
    print(f"\n== {label}: {len(report.results)} files, {size / 1e6:.1f} MB")
    print(
        f"   time {dt:.1f} s  ->  {len(report.results) / dt:.1f} files/s, {size / 1e6 / dt:.2f} MB/s"
    )
    print(f"   outcomes {counts}  extraction {statuses}")
    print("   slowest: " + ", ".join(f"{Path(r.path).name} {r.seconds:.2f}s" for r in slowest))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="frontline-bench-"))
    try:
        corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
        if not args.skip_corpus and corpus.is_dir():
            measure(
                "shared corpus",
                sorted(p for p in corpus.iterdir() if p.name not in ("MANIFEST.tsv", "README.md")),
                work,
            )
        t0 = time.perf_counter()
        files = generate(work / "generated", args.files)
        print(f"\n(generated {len(files)} mixed files in {time.perf_counter() - t0:.1f} s)")
        measure(f"generated {args.files} mixed files", files, work)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\npeak RSS of the importing process: {rss:.0f} MB (extraction runs in a separate worker)"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
