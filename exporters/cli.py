"""Export subcommands: export (leave-behind, pack), import-pack, packs, brand, partner.

Exit codes follow library.cli: 0 done; 1 done with a problem (e.g. the PDF could not be made, or
a query found nothing shareable); 2 refused or bad input (one line per refused item). Heavy
imports (python-docx, the search index) happen inside the handlers.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.cli import add_item_filters, common, emit_json, open_library, terminal_progress

if TYPE_CHECKING:
    from library.core import Library
    from library.sharing import Refusal

log = logging.getLogger(__name__)

EXIT_OK, EXIT_PROBLEM, EXIT_REFUSED = 0, 1, 2
EXPORT_FORMATS = (  # name, help; the runner comes from exporters.base.FORMATS (lazy import)
    ("leave-behind", "a branded DOCX (and PDF with --pdf) personalized for one customer"),
    ("pack", "a zip for a reseller: leave-behind, approved originals, manifest, README"),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="export items as a leave-behind or a reseller pack")
    fmt_sub = p.add_subparsers(dest="format_name", metavar="FORMAT", required=True)
    for name, help_text in EXPORT_FORMATS:
        fp = fmt_sub.add_parser(
            name,
            help=help_text,
            description=f"Export {help_text}. Every item must be approved, current and allowed "
            "for the recipient (partner rules with --partner); otherwise nothing is written and "
            "each refusal is printed.",
        )
        common(fp)
        chosen = fp.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--items", nargs="+", metavar="ID", help="item keys (or key prefixes)")
        chosen.add_argument(
            "--query", metavar="TEXT", help="the items a search finds (shareable ones only)"
        )
        add_item_filters(fp)
        fp.add_argument(
            "--limit",
            type=int,
            default=20,
            metavar="N",
            help="with --query: at most N shareable items (default 20)",
        )
        fp.add_argument("--customer", metavar="NAME", default="", help="who it is prepared for")
        fp.add_argument(
            "--partner", metavar="NAME", help="co-brand with this partner profile (partner rules)"
        )
        fp.add_argument("--pdf", action="store_true", help="also make PDF (needs LibreOffice)")
        fp.add_argument("--watermark", metavar="TEXT", default="", help="e.g. 'Confidential'")
        fp.add_argument("--intro", metavar="TEXT", default="", help="replace the intro text")
        if name == "pack":
            fp.add_argument("--name", metavar="TEXT", default="", help="the pack's name")
        fp.add_argument("--out", type=Path, required=True, metavar="FILE")
        fp.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import-pack",
        help="open a pack you received: check it and add its items as a read-only collection",
    )
    common(p)
    p.add_argument("file", type=Path, metavar="FILE.zip")
    p.set_defaults(func=cmd_import_pack)

    p = sub.add_parser("packs", help="list the packs this library received")
    common(p)
    p.set_defaults(func=cmd_packs)

    p = sub.add_parser("brand", help="show or change the brand kit used by exports")
    bsub = p.add_subparsers(dest="brand_command", metavar="ACTION", required=True)
    bp = bsub.add_parser("show", help="show the brand kit")
    common(bp)
    bp.set_defaults(func=cmd_brand_show)
    bp = bsub.add_parser(
        "set",
        help="set fields: company_name, primary_color, secondary_color, heading_font, body_font, "
        "disclaimer, footer_text, website, intro, validity_days, paper",
    )
    common(bp)
    bp.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    bp.set_defaults(func=cmd_brand_set)
    bp = bsub.add_parser("logo", help="set the logo (PNG, JPEG or SVG)")
    common(bp)
    g = bp.add_mutually_exclusive_group(required=True)
    g.add_argument("file", nargs="?", type=Path, metavar="FILE")
    g.add_argument("--clear", action="store_true", help="remove the logo")
    bp.set_defaults(func=cmd_brand_logo)
    bp = bsub.add_parser(
        "reference", help="use a .docx's styles, headers and footers as the base of leave-behinds"
    )
    common(bp)
    g = bp.add_mutually_exclusive_group(required=True)
    g.add_argument("file", nargs="?", type=Path, metavar="FILE.docx")
    g.add_argument("--clear", action="store_true", help="back to the built-in design")
    bp.set_defaults(func=cmd_brand_reference)

    p = sub.add_parser("partner", help="partner profiles for co-branded exports")
    psub = p.add_subparsers(dest="partner_command", metavar="ACTION", required=True)
    for action in ("add", "set"):
        pp = psub.add_parser(
            action, help="add a partner" if action == "add" else "change a partner"
        )
        common(pp)
        pp.add_argument("name", metavar="NAME")
        pp.add_argument("--contact-name", metavar="TEXT")
        pp.add_argument("--email", metavar="TEXT", dest="contact_email")
        pp.add_argument("--phone", metavar="TEXT", dest="contact_phone")
        pp.add_argument("--website", metavar="TEXT")
        pp.add_argument("--intro", metavar="TEXT")
        pp.add_argument("--logo", type=Path, metavar="FILE", help="PNG, JPEG or SVG")
        if action == "set":
            pp.add_argument("--rename", metavar="NEW NAME")
            pp.add_argument("--clear-logo", action="store_true", help="remove the logo")
        pp.set_defaults(func=cmd_partner_save, partner_action=action)
    pp = psub.add_parser("remove", help="remove a partner profile")
    common(pp)
    pp.add_argument("name", metavar="NAME")
    pp.set_defaults(func=cmd_partner_remove)
    pp = psub.add_parser("list", help="list partners")
    common(pp)
    pp.set_defaults(func=cmd_partner_list)
    pp = psub.add_parser("show", help="show one partner")
    common(pp)
    pp.add_argument("name", metavar="NAME")
    pp.set_defaults(func=cmd_partner_show)


# -- export ----------------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from exporters.base import ExportRefused, ExportRequest, export_formats
    from library.errors import InvalidInput

    fmt = export_formats()[args.format_name]
    recipient = "partner" if args.partner else "customer"
    with open_library(args) as lib:
        skipped: list[Refusal] = []
        if args.items:
            keys = _resolve_keys(lib, args.items)
        else:
            keys, skipped = _query_keys(lib, args, recipient)
            if not keys:
                msg = f"No shareable item matches '{args.query}'"
                msg += f" ({len(skipped)} matching items are not shareable)." if skipped else "."
                print(msg, file=sys.stderr)
                for r in skipped:
                    print(f"  skipped: {r.item_key[:8]} [{r.rule}] {r.message}", file=sys.stderr)
                return EXIT_PROBLEM
        request = ExportRequest(
            keys=keys,
            out=args.out,
            customer=args.customer,
            partner=args.partner,
            pdf=args.pdf,
            watermark=args.watermark,
            intro=args.intro,
            name=getattr(args, "name", ""),
        )
        try:
            report = fmt.run(lib, request, progress=terminal_progress(f"{fmt.name} "))
        except ExportRefused as e:
            _print_refusals(e.refusals, args.json)
            return EXIT_REFUSED
        except ValueError as e:
            raise InvalidInput(str(e)) from None
    if args.json:
        emit_json({"export": report, "skipped": skipped})
    else:
        noun = "item" if len(report.items) == 1 else "items"
        print(
            f"Wrote {report.out}: {len(report.items)} {noun} for {report.customer}"
            + (
                f" with {report.partner}"
                if report.partner and report.partner != report.customer
                else ""
            )
            + f", valid until {report.valid_until.isoformat()}."
        )
        if report.pdf:
            print(f"Wrote {report.pdf}")
        for r in skipped:
            print(f"skipped: {r.item_key[:8]} [{r.rule}] {r.message}", file=sys.stderr)
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
    pdf_missing = args.pdf and args.format_name == "leave-behind" and report.pdf is None
    return EXIT_PROBLEM if pdf_missing else EXIT_OK


def _print_refusals(refusals: list[Refusal], as_json: bool) -> None:
    if as_json:
        emit_json({"refused": refusals})
    for r in refusals:
        print(f"refused: {r.item_key[:8]} [{r.rule}] {r.message}", file=sys.stderr)
    print("Nothing was exported.", file=sys.stderr)


def _resolve_keys(lib: Library, refs: list[str]) -> list[str]:
    from library.items import find

    with lib.reader() as s:
        return list(dict.fromkeys(find(s, ref).key for ref in refs))


def _query_keys(
    lib: Library, args: argparse.Namespace, recipient: str
) -> tuple[list[str], list[Refusal]]:
    """Keys of the items `--query` finds (search index when available, else titles), split
    into the shareable ones and the refusals of the others."""
    from library.cli import filter_from_args
    from library.sharing import share_refusals

    keys = _search_keys(lib, args)
    if keys is None:
        from library.items import list_items

        flt = filter_from_args(args)
        flt.title_contains = args.query
        flt.statuses = ["approved"]
        flt.limit = _search_depth(args.limit)
        try:
            keys = [i.key for i in list_items(lib, flt)]
        except ValueError as e:
            from library.errors import InvalidInput

            raise InvalidInput(str(e)) from None
    # The limit counts items that can go, not matches: search deeper, keep the first N shareable
    # ones, and report only the refusals ranked above the last item taken.
    refusals = share_refusals(lib, keys, recipient)
    by_key: dict[str, list[Refusal]] = {}
    for r in refusals:
        by_key.setdefault(r.item_key, []).append(r)
    taken: list[str] = []
    skipped: list[Refusal] = []
    for k in keys:
        if len(taken) >= args.limit:
            break
        if k in by_key:
            skipped.extend(by_key[k])
        else:
            taken.append(k)
    return taken, skipped


def _search_depth(limit: int) -> int:
    """How many matches to look at to find `limit` shareable ones (internal items rank too)."""
    return max(limit * 5, 200)


def _search_keys(lib: Library, args: argparse.Namespace) -> list[str] | None:
    """Keys from the full-text index, or None when the search package is not usable here."""
    try:
        from search import open_index
        from search.api import SearchRequest
    except ImportError:
        return None
    filters: dict[str, list[str]] = {}
    for facet in ("persona", "stage", "product", "industry", "region", "competitor", "tag"):
        if getattr(args, facet, None):
            filters[facet] = list(getattr(args, facet))
    for facet, attr in (("kind", "kind"), ("format", "format"), ("audience", "audience")):
        if getattr(args, attr, None):
            filters[facet] = list(getattr(args, attr))
    try:
        index = open_index(lib)
    except Exception as e:  # a damaged index must not block an export: match titles instead
        log.warning("search index not usable (%s); matching titles instead", e)
        return None
    try:
        results = index.search(
            SearchRequest(text=args.query, filters=filters, limit=_search_depth(args.limit))
        )
    except Exception as e:
        log.warning("search failed (%s); matching titles instead", e)
        return None
    finally:
        index.close()
    return [h.key for h in results.hits]


# -- packs -----------------------------------------------------------------------------------------
def cmd_import_pack(args: argparse.Namespace) -> int:
    from exporters.pack_import import import_pack

    with open_library(args, create=True) as lib:
        report = import_pack(lib, args.file, progress=terminal_progress("import-pack "))
    if args.json:
        emit_json(report)
        return EXIT_OK
    if report.already_imported:
        print(f"'{report.name}' from {report.sender} was imported before; nothing changed.")
        return EXIT_OK
    for it in report.items:
        print(f"{it.outcome:<9} {it.key[:8]}  v{it.version}  {it.title}")
    valid = report.valid_until.isoformat() if report.valid_until else "no date"
    print(
        f"Imported '{report.name}' from {report.sender}: {len(report.items)} items, "
        f"{report.files} files checked, valid until {valid}. Find them with the tag "
        f"'{report.tag}'; they are read-only."
    )
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return EXIT_OK


def cmd_packs(args: argparse.Namespace) -> int:
    from library.branding import list_received_packs

    with open_library(args) as lib:
        packs = list_received_packs(lib)
    if args.json:
        emit_json({"packs": packs})
    else:
        for p in packs:
            valid = p.valid_until.isoformat() if p.valid_until else "-"
            print(f"{p.imported_at:%Y-%m-%d}  valid until {valid}  {p.name} ({p.sender})")
        print(f"{len(packs)} pack{'s' if len(packs) != 1 else ''}")
    return EXIT_OK


# -- brand -----------------------------------------------------------------------------------------
def _print_brand(b: Any) -> None:
    rows = [
        ("Company", b.company_name),
        ("Logo", b.logo_name or "(none)"),
        ("Colours", f"#{b.primary_color} / #{b.secondary_color}"),
        ("Fonts", f"{b.heading_font} / {b.body_font}"),
        ("Website", b.website),
        ("Footer", b.footer_text),
        ("Valid for", f"{b.validity_days} days"),
        ("Paper", b.paper),
        ("Reference", b.reference_name or "(built-in design)"),
        ("Intro", b.intro or "(default)"),
        ("Disclaimer", b.disclaimer),
    ]
    for k, v in rows:
        print(f"{k + ':':<12} {v}")
    if b.is_default:
        print("(defaults: nothing saved yet)")


def _brand_done(args: argparse.Namespace, brand: Any, message: str) -> int:
    if args.json:
        emit_json({"brand": brand})
    else:
        print(message)
    return EXIT_OK


def cmd_brand_show(args: argparse.Namespace) -> int:
    from library.branding import get_brand

    with open_library(args) as lib:
        brand = get_brand(lib)
    if args.json:
        emit_json({"brand": brand})
    else:
        _print_brand(brand)
    return EXIT_OK


def cmd_brand_set(args: argparse.Namespace) -> int:
    from library.branding import update_brand

    changes = dict(_pair(a) for a in args.assignments)
    with open_library(args) as lib:
        brand = update_brand(lib, changes)
    return _brand_done(args, brand, f"Brand kit saved ({', '.join(changes)}).")


def cmd_brand_logo(args: argparse.Namespace) -> int:
    from library.branding import set_brand_logo

    with open_library(args) as lib:
        brand = set_brand_logo(lib, None if args.clear else args.file)
    return _brand_done(
        args, brand, "Logo removed." if args.clear else f"Logo set from {args.file.name}."
    )


def cmd_brand_reference(args: argparse.Namespace) -> int:
    from library.branding import set_reference_docx

    with open_library(args) as lib:
        brand = set_reference_docx(lib, None if args.clear else args.file)
    return _brand_done(
        args,
        brand,
        "Leave-behinds use the built-in design."
        if args.clear
        else f"Leave-behinds now use {args.file.name} as their base.",
    )


def _pair(text: str) -> tuple[str, str]:
    from library.errors import InvalidInput

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InvalidInput(f"'{text}' is not FIELD=VALUE.")
    return name.strip(), value


# -- partners --------------------------------------------------------------------------------------
def cmd_partner_save(args: argparse.Namespace) -> int:
    from library.branding import save_partner

    values = {
        k: getattr(args, k)
        for k in ("contact_name", "contact_email", "contact_phone", "website", "intro")
        if getattr(args, k) is not None
    }
    if getattr(args, "rename", None):
        values["name"] = args.rename
    adding = args.partner_action == "add"
    with open_library(args) as lib:
        partner = save_partner(
            lib,
            args.name,
            values,
            logo=args.logo,
            clear_logo=getattr(args, "clear_logo", False),
            create=adding,
            update=not adding,
        )
    if args.json:
        emit_json({"partner": partner})
    else:
        print(f"{'Added' if adding else 'Saved'} partner {partner.name}.")
    return EXIT_OK


def cmd_partner_remove(args: argparse.Namespace) -> int:
    from library.branding import delete_partner

    with open_library(args) as lib:
        delete_partner(lib, args.name)
    if args.json:
        emit_json({"removed": args.name})
    else:
        print(f"Removed partner {args.name}.")
    return EXIT_OK


def cmd_partner_list(args: argparse.Namespace) -> int:
    from library.branding import list_partners

    with open_library(args) as lib:
        partners = list_partners(lib)
    if args.json:
        emit_json({"partners": partners})
    else:
        for p in partners:
            contact = ", ".join(x for x in (p.contact_name, p.contact_email) if x)
            print(f"{p.name}" + (f"  ({contact})" if contact else ""))
        print(f"{len(partners)} partner{'s' if len(partners) != 1 else ''}")
    return EXIT_OK


def cmd_partner_show(args: argparse.Namespace) -> int:
    from library.branding import get_partner

    with open_library(args) as lib:
        p = get_partner(lib, args.name)
    if args.json:
        emit_json({"partner": p})
        return EXIT_OK
    for k, v in (
        ("Name", p.name),
        ("Logo", p.logo_name or "(none)"),
        ("Contact", p.contact_name),
        ("Email", p.contact_email),
        ("Phone", p.contact_phone),
        ("Website", p.website),
        ("Intro", p.intro),
    ):
        if v:
            print(f"{k + ':':<9} {v}")
    return EXIT_OK
