"""Search subcommands: `search` and `reindex`; registers the index drift check for `check`.

    python main.py search "QUERY" [--persona P]... [--stage S]... [--kind K] [--format F]
        [--product X] [--industry I] [--competitor C] [--audience A] [--region R] [--tag T]
        [--limit N] [--all] [--json]
    python main.py reindex [--json]

JSON of `search` (stable, documented in README):
    {"query", "total", "results": [{"id", "title", "kind", "format", "score", "snippet",
     "file", "page"}], "facets": {"persona": {"CFO": 3, ...}, ...}, "suggestion": str | null}
Snippets in JSON keep Whoosh-free HTML-escaped text with <b>…</b> around highlights; the text
output shows **…** instead. Exit codes: 0 results, 1 nothing matched, 2 input error.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from library.cli import common, emit_json, open_library, terminal_progress

if TYPE_CHECKING:
    from library.core import Library
    from library.values import CheckReport

FILTER_OPTIONS = (
    "persona",
    "stage",
    "kind",
    "format",
    "product",
    "industry",
    "competitor",
    "audience",
    "region",
    "tag",
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "search",
        help="full-text search (exit 1 when nothing matched)",
        description='Words in any order, "phrases", prefix*, fuzzy~, NOT word or -word, and '
        "field:value (title, persona, stage, competitor, product, industry, kind, format, tag, "
        "audience, region, language, status).",
    )
    common(p)
    p.add_argument("query", metavar="QUERY", help="what to look for ('' lists everything)")
    for name in FILTER_OPTIONS:
        p.add_argument(
            f"--{name}",
            action="append",
            default=[],
            metavar=name[0].upper(),
            help=f"only items with this {name} (repeatable: any of them)",
        )
    p.add_argument(
        "--limit", type=int, default=10, metavar="N", help="results to show (default 10)"
    )
    p.add_argument("--all", action="store_true", help="include drafts, retired and expired items")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("reindex", help="rebuild the search index from the library database")
    common(p)
    p.set_defaults(func=cmd_reindex)

    # `check` (library.cli) runs the registered checkers; register ours when it runs, not here:
    # importing library.check pulls in SQLAlchemy and `main.py --help` must stay light.
    check = sub.choices.get("check")
    if check is not None:
        original = check.get_default("func")

        def run_check(args: argparse.Namespace) -> int:
            from library.check import register_check

            register_check(check_index)
            return int(original(args))

        check.set_defaults(func=run_check)


def _filters(args: argparse.Namespace) -> dict[str, list[str]]:
    """Filter values from the command line; kinds, formats and audiences must be known names."""
    from library.errors import InvalidInput
    from library.vocab import Audience, Kind, canonical, canonical_format

    out: dict[str, list[str]] = {}
    for name in FILTER_OPTIONS:
        values = [v for v in getattr(args, name) if v.strip()]
        if not values:
            continue
        try:
            if name == "kind":
                values = [canonical(Kind, v).value for v in values]
            elif name == "format":
                values = [canonical_format(v) for v in values]
            elif name == "audience":
                values = [canonical(Audience, v).value for v in values]
        except ValueError as e:
            raise InvalidInput(str(e)) from None
        out[name] = values
    return out


def _open(lib: Library, quiet: bool) -> Any:
    from search import open_index

    return open_index(
        lib, rebuild="sync", progress=no_bar if quiet else terminal_progress("index ")
    )


def no_bar(_: Any) -> None:
    return None


def cmd_search(args: argparse.Namespace) -> int:
    from library.errors import InvalidInput
    from search import SearchRequest

    if args.limit is not None and args.limit < 0:
        raise InvalidInput("--limit must be 0 or more.")
    req = SearchRequest(
        text=args.query,
        filters=_filters(args),
        include_all=args.all,
        limit=args.limit,
        with_snippets=True,
    )
    with open_library(args) as lib:
        from library.cli import warn_unknown_terms
        from library.vocab import TAXONOMIES

        warn_unknown_terms(lib, {k: v for k, v in req.filters.items() if k in TAXONOMIES})
        idx = _open(lib, quiet=args.json)
        try:
            res = idx.search(req)
            suggestion = (
                idx.suggest(args.query, include_all=args.all) if args.query.strip() else None
            )
            hidden = 0
            if not res.total and not args.all and not args.json:
                # Only drafts, items in review, retired or expired items match: say so (for a
                # partner the engine ignores include_all, so nothing hidden is revealed).
                hidden = idx.search(replace(req, include_all=True, with_snippets=False)).total
        finally:
            idx.close()
    if args.json:
        emit_json(
            {
                "query": args.query,
                "total": res.total,
                "results": [
                    {
                        "id": h.key,
                        "title": h.title,
                        "kind": h.kind,
                        "format": h.format,
                        "score": h.score,
                        "snippet": h.snippet,
                        "file": h.file,
                        "page": h.page,
                    }
                    for h in res.hits
                ],
                "facets": res.facets,
                "suggestion": suggestion,
            }
        )
    else:
        _print_text(res, suggestion, args.query, hidden)
    return 0 if res.total else 1


def _terminal(snippet: str) -> str:
    """<b>x</b> -> **x**, entities unescaped (the CLI prints text, not HTML)."""
    return html.unescape(re.sub(r"</?b>", "**", snippet))


def _print_text(res: Any, suggestion: str | None, query: str = "", hidden: int = 0) -> None:
    from library.vocab import label

    if res.message:
        print(res.message, file=sys.stderr)
    for n, h in enumerate(res.hits, start=1):
        where = h.file + (f", page {h.page}" if h.page else "")
        print(f"{n:>2}. {h.title}  [{h.key[:8]}]  {label(h.kind)} / {label(h.format)}")
        if h.snippet:
            print(f"    {_terminal(h.snippet)}")
        if where:
            print(f"    ({where})")
    shown = len(res.hits)
    print(
        f"{res.total} match{'es' if res.total != 1 else ''}"
        + (f", showing {shown}" if shown < res.total else "")
    )
    for name, counts in res.facets.items():
        if counts and name not in ("status",):
            shown_name = label if name in ("kind", "format", "audience") else str
            top = ", ".join(f"{shown_name(k)} {v}" for k, v in list(counts.items())[:6])
            more = f", +{len(counts) - 6} more" if len(counts) > 6 else ""
            print(f"  {name}: {top}{more}")
    if hidden:
        print(
            f"{hidden} more not shown: draft, in review, retired, expired or not yet published"
            " (add --all to see them)."
        )
    if suggestion:
        print(f"Did you mean: {suggestion}")
    elif not res.total and not hidden and query.strip() and len(query) <= 200:
        # The loop back to marketing: a search that found nothing becomes a content request.
        shown_query = " ".join(query.split()).replace('"', "'")
        print(
            f'Not in the library? Ask for it: main.py request "WHAT YOU NEED" --query "{shown_query}"'
        )


def cmd_reindex(args: argparse.Namespace) -> int:
    from search.engine import SearchIndex

    with open_library(args) as lib:
        started = time.monotonic()
        idx = SearchIndex(lib)
        try:
            # Rebuild unconditionally (not open_index: that would rebuild a broken index first).
            idx.rebuild(progress=no_bar if args.json else terminal_progress("reindex "))
            count = idx.documents()
        finally:
            idx.close()
        seconds = time.monotonic() - started
    if args.json:
        emit_json({"items": count, "seconds": round(seconds, 2)})
    else:
        print(f"Indexed {count:,} items in {seconds:.1f} s.")
    return 0


def check_index(lib: Library, report: CheckReport) -> None:
    """`check`: differences between the database and the search index (area "index").

    Read-only: the index is opened without repairing or draining it; items waiting in the
    outbox are not drift (library.check reports them as pending_index_updates)."""
    from library.values import CheckProblem
    from search import open_index

    idx = open_index(lib, rebuild="never")
    try:
        if idx.state != "ready" and idx.error != "The search index is damaged.":
            # Missing, older or another library's: rebuilt automatically on the next open.
            # Not drift, so not a problem; reported so a script can see it.
            report.stats["index_rebuild_pending"] = 1
            return
        report.stats["indexed_items"] = idx.documents()
        for message, key in idx.drift():
            report.problems.append(CheckProblem("index", message, key))
    finally:
        idx.close()
