"""Library subcommands: init, demo, import, list, show, edit, check.

Handlers return an exit code: 0 ok, 1 problem found / nothing matched, 2 usage or input error
(raised as `InvalidInput`/`LibraryError` and printed by main.py as one line). Heavy imports
happen inside handlers so `main.py --help` stays fast. JSON shapes are documented in README.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from library.core import Library
    from library.progress import Progress

TAXONOMY_OPTIONS = ("persona", "stage", "product", "industry", "region", "competitor", "tag")


def common(p: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    p.add_argument("--library", metavar="PATH", default=argparse.SUPPRESS, help="library folder")
    if json_output:
        p.add_argument("--json", action="store_true", help="machine-readable output")


def add_item_filters(
    p: argparse.ArgumentParser, *, taxonomies: tuple[str, ...] = TAXONOMY_OPTIONS
) -> None:
    for tax in taxonomies:
        p.add_argument(
            f"--{tax}",
            action="append",
            default=[],
            metavar="NAME",
            help=f"only items tagged with this {tax} (repeatable: any of them)",
        )
    p.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="K",
        help="collateral | case study | competitor insight",
    )
    p.add_argument(
        "--format", action="append", default=[], metavar="F", help="data sheet, battle card, ..."
    )
    p.add_argument(
        "--audience", action="append", default=[], metavar="A", help="internal | customer | partner"
    )


def open_library(args: argparse.Namespace, *, create: bool = False) -> Library:
    from library.core import Library

    return Library.open(getattr(args, "library", None), create=create)


def emit_json(data: Any) -> None:
    from library.values import to_json

    json.dump(to_json(data), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def terminal_progress(prefix: str = "") -> Any:
    """A progress callback that redraws one stderr line when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def report(p: Progress) -> None:
        if not tty:
            return
        total = f"/{p.total}" if p.total is not None else ""
        sys.stderr.write(f"\r\x1b[2K{prefix}[{p.done}{total}] {p.message[:70]}")
        if p.total is not None and p.done >= p.total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create a library (default location or --library)")
    common(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="create a library filled with the demo content")
    common(p)
    p.add_argument(
        "--force", action="store_true", help="add the demo even if the library has items"
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import files, folders or a manifest")
    common(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.add_argument(
        "--manifest", type=Path, metavar="FILE", help="CSV/YAML mapping files to metadata"
    )
    p.add_argument("--kind", metavar="K")
    p.add_argument("--format", metavar="F")
    p.add_argument("--status", metavar="S", help="draft (default) | in review | approved | retired")
    p.add_argument("--audience", metavar="A", help="internal (default) | customer | partner")
    p.add_argument("--owner", metavar="NAME")
    p.add_argument("--password", metavar="PW", help="password for encrypted files")
    p.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="time limit per file (default 60 s)",
    )
    for tax in TAXONOMY_OPTIONS:
        p.add_argument(f"--{tax}", action="append", default=[], metavar="NAME")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list items")
    common(p)
    add_item_filters(p)
    p.add_argument("--status", action="append", default=[], metavar="S")
    p.add_argument(
        "--all",
        action="store_true",
        dest="include_all",
        help="reps: also drafts, retired, scheduled and expired items (partners never)",
    )
    p.add_argument("--limit", type=int, metavar="N")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one item (key or unique key prefix)")
    common(p)
    p.add_argument("ref", metavar="ID")
    p.add_argument("--text", action="store_true", help="also print the extracted text of its files")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "edit",
        help="change an item's fields",
        description="FIELD is a field (title, summary, kind, format, status, audience, owner, language, "
        "published_at, expires_on, verify_by, change_note), a taxonomy (persona=A,B replaces; "
        "+persona=C adds; -persona=A removes) or case_study.<field> / battle_card.<field> "
        "(lists as JSON or separated by ';'). Changing content (title, summary, case_study.*, "
        "battle_card.*) makes a new version and needs --note; status= follows the lifecycle "
        "(see submit/approve/reject/retire). Reps and partners cannot edit.",
    )
    common(p)
    p.add_argument("ref", metavar="ID")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        dest="assignments",
        required=True,
    )
    p.add_argument(
        "--note",
        metavar="TEXT",
        help="change note: what changed and why (required when content changes)",
    )
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser(
        "check", help="check database, files and search index; exit 1 when something is wrong"
    )
    common(p)
    p.set_defaults(func=cmd_check)


# -- handlers ----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from library.core import DB_NAME, default_library_path

    root = Path(getattr(args, "library", None) or default_library_path()).expanduser()
    existed = (root / DB_NAME).exists()
    lib = open_library(args, create=True)
    lib.close()
    if args.json:
        emit_json({"library": str(root), "created": not existed})
    else:
        print(f"{'Library already exists' if existed else 'Created library'} at {root}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from library.demo.loader import load_demo

    with open_library(args, create=True) as lib:
        report = load_demo(lib, force=args.force, progress=terminal_progress("demo "))
    if args.json:
        emit_json(report)
    else:
        print(
            f"Demo library ready at {lib.root}: {report['items']} items, {report['files']} files."
        )
        lib_opt = f' --library "{lib.root}"' if getattr(args, "library", None) else ""
        print(
            "Try it as a rep (the cover of a leave-behind prints the current user):\n"
            f'  FRONTLINE_USER="Marcus Lee" python main.py{lib_opt} search "cfo roi"\n'
            f'  FRONTLINE_USER="Marcus Lee" python main.py{lib_opt} export leave-behind '
            '--query forecast --customer "ACME Corp" --out acme.docx'
        )
    return 0


def _options(args: argparse.Namespace) -> Any:
    from library.errors import InvalidInput
    from library.values import ImportOptions
    from library.vocab import Audience, Kind, Status, canonical, canonical_format

    try:
        return ImportOptions(
            kind=canonical(Kind, args.kind).value if args.kind else None,
            format=canonical_format(args.format) if args.format else None,
            status=canonical(Status, args.status).value if args.status else None,
            audience=canonical(Audience, args.audience).value if args.audience else None,
            terms={t: list(getattr(args, t)) for t in TAXONOMY_OPTIONS if getattr(args, t)},
            password=args.password,
            owner=args.owner,
        )
    except ValueError as e:
        raise InvalidInput(str(e)) from None


def cmd_import(args: argparse.Namespace) -> int:
    from library.errors import InvalidInput
    from library.importer import import_paths
    from library.progress import Cancel

    if not args.paths and not args.manifest:
        raise InvalidInput("Give files or folders to import, or --manifest FILE.")
    if args.timeout is not None and not args.timeout > 0:  # also NaN
        raise InvalidInput("--timeout must be a number of seconds above 0.")
    options = _options(args)
    cancel = Cancel()
    with open_library(args, create=True) as lib:
        try:
            report = import_paths(
                lib,
                args.paths,
                options,
                manifest=args.manifest,
                progress=terminal_progress(),
                cancel=cancel,
                timeout=args.timeout,
            )
        except KeyboardInterrupt:
            cancel.set()
            raise
    if args.json:
        emit_json({"library": str(lib.root), **_report_json(report)})
    else:
        for r in report.results:
            status = r.extraction_status or "-"
            line = f"{r.outcome:<9} {status:<11} {Path(r.path).name}"
            if r.title and r.outcome in ("imported", "updated"):
                line += f"  -> {r.title} [{(r.item_key or '')[:8]}]"
            if r.reason:
                line += f"  ({r.reason})"
            print(line)
        for tax, names in report.created_terms.items():
            print(f"new {tax}: {', '.join(names)}")
        counts = ", ".join(
            f"{n} {o}"
            for o in ("imported", "updated", "unchanged", "skipped", "failed")
            if (n := report.count(o))
        )
        print(
            f"{len(report.results)} files in {report.seconds:.1f} s: {counts or 'nothing to do'}"
            + (" (cancelled)" if report.cancelled else "")
        )
    return 1 if report.count("failed") else 0


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "results": report.results,
        "created": report.created_terms,
        "cancelled": report.cancelled,
        "seconds": report.seconds,
        "summary": {
            o: report.count(o) for o in ("imported", "updated", "unchanged", "skipped", "failed")
        },
    }


def filter_from_args(args: argparse.Namespace) -> Any:
    from library.values import ItemFilter

    return ItemFilter(
        kinds=args.kind,
        formats=args.format,
        statuses=getattr(args, "status", []) or [],
        audiences=args.audience,
        terms={t: getattr(args, t) for t in TAXONOMY_OPTIONS if getattr(args, t, None)},
        limit=getattr(args, "limit", None),
        include_all=bool(getattr(args, "include_all", False)),
    )


def warn_unknown_terms(lib: Any, names_by_taxonomy: dict[str, list[str]]) -> None:
    """A note on stderr for each filter value the library does not know (a typo is not
    "nothing matched"); the command still runs and exits as usual."""
    from library.terms import unknown_names

    for note in unknown_names(lib, names_by_taxonomy):
        print(f"Note: {note}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    from library import items
    from library.errors import InvalidInput

    with open_library(args) as lib:
        try:
            flt = filter_from_args(args)
            rows = items.list_items(lib, flt)
        except ValueError as e:
            raise InvalidInput(str(e)) from None
        warn_unknown_terms(lib, flt.terms)
    if args.json:
        emit_json({"total": len(rows), "items": rows})
    else:
        for r in rows:
            print(f"{r.key[:8]}  {r.status:<9} {r.kind:<18} {r.format:<16} {r.title}")
        print(f"{len(rows)} item{'s' if len(rows) != 1 else ''}")
    return 0 if rows else 1


def cmd_show(args: argparse.Namespace) -> int:
    from library import items
    from library.vocab import label

    with open_library(args) as lib:
        d = items.get(lib, args.ref)
        texts = _asset_texts(lib, d.key) if args.text else {}
    if args.json:
        data: dict[str, Any] = {"item": d}
        if args.text:
            data["texts"] = texts
        emit_json(data)
        return 0
    print(d.title)
    print("=" * min(len(d.title), 100))
    rows = [
        ("Key", d.key),
        ("Kind", f"{label(d.kind)} / {label(d.format)}"),
        ("Status", label(d.status)),
        ("Audience", label(d.audience)),
        ("Owner", d.owner),
        ("Version", f"{d.version}" + (f" ({d.change_note})" if d.change_note else "")),
        ("Published", d.published_at),
        ("Expires", d.expires_on),
        ("Verify by", d.verify_by),
        ("Updated", d.updated_at.strftime("%Y-%m-%d %H:%M")),
        ("Language", d.language),
        ("Read-only", d.read_only),
    ]
    rows += [(label(tax) + "s", ", ".join(names)) for tax, names in d.terms.items()]
    for k, v in rows:
        if v:
            print(f"{k + ':':<12} {v}")
    if d.summary:
        print(f"\n{d.summary}")
    if d.case_study:
        print("\nCase study")
        for k, v in d.case_study.items():
            if v:
                print(f"  {label(k.replace('_', '-'))}: {_fmt(v)}")
    if d.battle_card:
        print("\nBattle card")
        for k, v in d.battle_card.items():
            if v:
                print(f"  {label(k.replace('_', '-'))}: {_fmt(v)}")
    print("\nFiles")
    for a in d.assets:
        pages = f", {_count(a.page_count, _page_unit(a.media_type))}" if a.page_count else ""
        flags = f" [{', '.join(a.flags)}]" if a.flags else ""
        print(f"  {a.name} ({a.media_type}, {a.size:,} bytes{pages}) {a.extraction_status}{flags}")
        if a.extraction_reason:
            print(f"    {a.extraction_reason}")
        if args.text and texts.get(a.name):
            print("    ---\n" + "\n".join("    " + line for line in texts[a.name].splitlines()))
    return 0


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        parts = []
        for x in v:
            if isinstance(x, dict):
                parts.append(" / ".join(str(y) for y in x.values()))
            else:
                parts.append(str(x))
        return "; ".join(parts)
    return str(v)


def _asset_texts(lib: Library, key: str) -> dict[str, str]:
    from sqlalchemy import select

    from library.models import Asset, Item

    with lib.reader() as s:
        rows = s.execute(
            select(Asset.original_name, Asset.text).join(Item).where(Item.key == key)
        ).all()
    return {name: text for name, text in rows}


def cmd_edit(args: argparse.Namespace) -> int:
    from library import items
    from library.errors import InvalidInput

    pairs = []
    for a in args.assignments:
        name, sep, value = a.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"'{a}' is not FIELD=VALUE.")
        pairs.append((name.strip(), value))
    with open_library(args) as lib:
        try:
            d, created = items.edit(lib, args.ref, pairs, note=args.note)
        except ValueError as e:
            raise InvalidInput(str(e)) from None
    if args.json:
        emit_json({"item": d, "created": created})
    else:
        print(f"Saved {d.title} [{d.key[:8]}]")
        for tax, names in created.items():
            print(f"new {tax}: {', '.join(names)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from library.check import run_checks

    with open_library(args) as lib:
        report = run_checks(lib)
    if args.json:
        emit_json({"ok": report.ok, "problems": report.problems, "stats": report.stats})
    else:
        for k, v in report.stats.items():
            print(f"{k.replace('_', ' ')}: {v:,}")
        for p in report.problems:
            print(f"PROBLEM [{p.area}] {p.message}")
        print(
            "Library is consistent." if report.ok else f"{len(report.problems)} problem(s) found."
        )
    return 0 if report.ok else 1


def _page_unit(media_type: str) -> str:
    """What a file's page count counts: slides of a presentation, sheets of a workbook."""
    if "presentation" in media_type:
        return "slide"
    if "spreadsheet" in media_type or "excel" in media_type:
        return "sheet"
    return "page"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
