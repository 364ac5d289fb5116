"""Governance subcommands: people and roles, the lifecycle, versions, review, audit, feedback.

    user list | whoami | add NAME --role R | set-role NAME ROLE | update NAME --email ...
    submit | approve | reject | retire | reopen | schedule | verify   KEY ...
    versions KEY | version KEY N | restore KEY N | replace KEY FILE --note TEXT
    review [--days N] [--owner NAME] | audit [KEY] [--csv FILE] | whats-new [--since DATE]
    flag KEY --reason R [TEXT] | request TEXT [--query Q] | queue | answer ID TEXT | close ID

Every rule (who may do what) is enforced by the services in library/, not here; a refusal is a
LibraryError that main.py prints as one line (exit 2). Heavy imports stay inside handlers.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from library.cli import common, emit_json, open_library


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_users(sub)
    _register_lifecycle(sub)
    _register_versions(sub)
    _register_review(sub)
    _register_feedback(sub)


# -- people ----------------------------------------------------------------------------------------
def _register_users(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "user",
        help="people and roles (list, whoami, add, set-role, update)",
        description="Roles: admin (everything, people, taxonomies), marketer (edit, publish, "
        "retire, answer feedback), reviewer (approve, reject, verify), rep (find, share, "
        "flag), partner (partner-shareable items only). You are $FRONTLINE_USER or your "
        "operating-system user name; whoever creates a library is its admin, people it does "
        "not know are registered as reps.",
    )
    common(p, json_output=False)
    us = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = us.add_parser("list", help="everyone in this library with their role")
    common(q)
    q.set_defaults(func=cmd_user_list)
    q = us.add_parser("whoami", help="who you are in this library and what you may do")
    common(q)
    q.set_defaults(func=cmd_user_whoami)
    q = us.add_parser("add", help="add a person (admins)")
    common(q)
    q.add_argument("name", metavar="NAME")
    q.add_argument("--role", default="rep", help="admin | marketer | reviewer | rep | partner")
    _contact_options(q)
    q.set_defaults(func=cmd_user_add)
    q = us.add_parser("set-role", help="change a person's role (admins)")
    common(q)
    q.add_argument("name", metavar="NAME")
    q.add_argument("role", metavar="ROLE")
    q.set_defaults(func=cmd_user_set_role)
    q = us.add_parser("update", help="change contact details (yours, or anyone's for admins)")
    common(q)
    q.add_argument("name", metavar="NAME")
    _contact_options(q)
    q.set_defaults(func=cmd_user_update)


def _contact_options(p: argparse.ArgumentParser) -> None:
    for f in ("title", "email", "phone", "region"):
        p.add_argument(f"--{f}", metavar=f.upper())


def _print_user(u: Any) -> None:
    extra = ", ".join(x for x in (u.title, u.email, u.phone, u.region) if x)
    print(f"{u.name:<28} {u.role:<9} {extra}")


def cmd_user_list(args: argparse.Namespace) -> int:
    from library import users

    with open_library(args) as lib:
        rows = users.list_users(lib)
    if args.json:
        emit_json({"users": rows})
    else:
        for u in rows:
            _print_user(u)
    return 0


def cmd_user_whoami(args: argparse.Namespace) -> int:
    from library import users

    with open_library(args) as lib:
        me = users.current_user(lib)
    allowed = sorted(users.PERMISSIONS[users.Role(me.role)])
    if args.json:
        emit_json({"user": me, "permissions": allowed})
    else:
        _print_user(me)
        print("may: " + ", ".join(allowed))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from library import users

    with open_library(args) as lib:
        u = users.add_user(
            lib,
            args.name,
            args.role,
            title=args.title or "",
            email=args.email or "",
            phone=args.phone or "",
            region=args.region or "",
        )
    if args.json:
        emit_json({"user": u})
    else:
        print(f"Added {u.name} as {u.role}.")
    return 0


def cmd_user_set_role(args: argparse.Namespace) -> int:
    from library import users

    with open_library(args) as lib:
        u = users.set_role(lib, args.name, args.role)
    if args.json:
        emit_json({"user": u})
    else:
        print(f"{u.name} is now {u.role}.")
    return 0


def cmd_user_update(args: argparse.Namespace) -> int:
    from library import users
    from library.errors import InvalidInput

    fields = {f: getattr(args, f) for f in ("title", "email", "phone", "region")}
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields:
        raise InvalidInput("Give at least one of --title, --email, --phone, --region.")
    with open_library(args) as lib:
        u = users.update_user(lib, args.name, **fields)
    if args.json:
        emit_json({"user": u})
    else:
        _print_user(u)
    return 0


# -- lifecycle -------------------------------------------------------------------------------------
def _register_lifecycle(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    specs = (
        ("submit", "send a draft for review", "--comment", False),
        ("approve", "approve (publish) a draft or an item in review", "--comment", False),
        ("reject", "send an item in review back to draft, with a reason", "--reason", True),
        ("retire", "retire an item (kept with its history, never shared again)", "--reason", False),
        ("reopen", "bring a retired or approved item back to draft", "--comment", False),
        ("verify", "confirm an approved item is still right (moves verify-by)", "--comment", False),
    )
    for name, help_text, option, required in specs:
        p = sub.add_parser(name, help=help_text)
        common(p)
        p.add_argument("ref", metavar="KEY")
        p.add_argument(option, dest="comment", metavar="TEXT", required=required, default="")
        if name == "approve":
            p.add_argument(
                "--publish-on",
                metavar="DATE",
                help="publish later (YYYY-MM-DD): hidden from reps and never shared before",
            )
        p.set_defaults(func=cmd_lifecycle, action=name)
    p = sub.add_parser("schedule", help="set the publish date of an item ('none': today)")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.add_argument("date", metavar="DATE")
    p.add_argument("--comment", default="", metavar="TEXT")
    p.set_defaults(func=cmd_schedule)


def _show_item(args: argparse.Namespace, d: Any, message: str) -> int:
    if args.json:
        emit_json({"item": d})
    else:
        print(message)
    return 0


def cmd_lifecycle(args: argparse.Namespace) -> int:
    from library import governance
    from library.items import parse_date
    from library.vocab import label

    with open_library(args) as lib:
        if args.action == "approve":
            when = parse_date(args.publish_on, "--publish-on") if args.publish_on else None
            d = governance.approve(lib, args.ref, args.comment, when)
        else:
            d = getattr(governance, args.action)(lib, args.ref, args.comment)
    status = label(d.status).lower()
    extra = ""
    if args.action == "approve" and d.published_at and d.published_at > date.today():
        extra = f"; published on {d.published_at.isoformat()}"
    if args.action in ("approve", "verify") and d.verify_by:
        extra += f"; verify by {d.verify_by.isoformat()}"
    return _show_item(args, d, f"{d.title} [{d.key[:8]}] is {status}{extra}.")


def cmd_schedule(args: argparse.Namespace) -> int:
    from library import governance
    from library.items import parse_date

    when = parse_date(args.date, "DATE")
    with open_library(args) as lib:
        d = governance.schedule(lib, args.ref, when, args.comment)
    when_text = d.published_at.isoformat() if d.published_at else "not scheduled"
    return _show_item(args, d, f"{d.title} [{d.key[:8]}]: publish date {when_text}.")


# -- versions --------------------------------------------------------------------------------------
def _register_versions(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("versions", help="an item's versions with their change notes")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.set_defaults(func=cmd_versions)
    p = sub.add_parser("version", help="show one version of an item")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.add_argument("version", type=int, metavar="N")
    p.set_defaults(func=cmd_version)
    p = sub.add_parser("restore", help="make an older version current again (as a new version)")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.add_argument("version", type=int, metavar="N")
    p.add_argument("--note", default="", metavar="TEXT", help="why it is restored")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("replace", help="replace an item's file: a new version with a change note")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.add_argument("path", type=Path, metavar="FILE")
    p.add_argument("--note", required=True, metavar="TEXT", help="what changed and why")
    p.add_argument("--file", metavar="NAME", help="which file, when the item has several")
    p.add_argument("--password", metavar="PW", help="password of an encrypted FILE")
    p.set_defaults(func=cmd_replace)


def cmd_versions(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        rows = governance.versions(lib, args.ref)
    if args.json:
        emit_json({"versions": rows})
        return 0
    for v in rows:
        mark = "*" if v.current else " "
        by = f" by {v.created_by}" if v.created_by else ""
        print(f"{mark} v{v.version:<3} {v.created_at:%Y-%m-%d %H:%M}{by}: {v.change_note or '-'}")
        print(f"        {v.title} ({', '.join(v.files) or 'no files'})")
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        v = governance.version_snapshot(lib, args.ref, args.version)
    if args.json:
        emit_json({"version": v})
        return 0
    snap = v.snapshot
    print(
        f"{snap.get('title', '')} - version {v.info.version}"
        + (" (current)" if v.info.current else "")
    )
    print(
        f"Made {v.info.created_at:%Y-%m-%d %H:%M} by {v.info.created_by or '-'}: "
        f"{v.info.change_note or '-'}"
    )
    if snap.get("summary"):
        print(f"\n{snap['summary']}")
    print("\nFiles")
    for a in snap.get("assets", []):
        print(f"  {a.get('name')} ({a.get('size', 0):,} bytes, {str(a.get('sha256', ''))[:12]})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        d = governance.restore_version(lib, args.ref, args.version, args.note)
    return _show_item(
        args,
        d,
        f"Restored version {args.version} of {d.title} [{d.key[:8]}] as version {d.version}.",
    )


def cmd_replace(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        d = governance.replace_file(
            lib, args.ref, args.path, args.note, file=args.file, password=args.password
        )
    message = f"{d.title} [{d.key[:8]}] is now version {d.version}: {d.change_note}"
    new_file = next((a for a in d.assets if a.name == Path(args.path).name), None)
    if new_file is not None and new_file.extraction_status != "ok":
        # The version is made (the file is catalogued), but its text is missing or partial:
        # say so, or the marketer only learns it when reps cannot find the piece.
        reason = new_file.extraction_reason or f"extraction {new_file.extraction_status}."
        message += f"\nWarning: {new_file.name}: {reason}"
    return _show_item(args, d, message)


# -- review and audit ------------------------------------------------------------------------------
def _register_review(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review",
        help="what expires or needs verification soon, per owner (exit 1 when something is due)",
    )
    common(p)
    p.add_argument("--days", type=int, default=30, metavar="N", help="look ahead N days (30)")
    p.add_argument("--owner", metavar="NAME", help="only this owner's items")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("audit", help="the audit log (one item's history with KEY), or CSV")
    common(p)
    p.add_argument("ref", nargs="?", metavar="KEY")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the log as CSV")
    p.add_argument("--limit", type=int, metavar="N", help="the N newest entries")
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("whats-new", help="items published or updated since a date, with notes")
    common(p)
    p.add_argument("--since", metavar="DATE", help="YYYY-MM-DD[THH:MM] (default: 7 days ago)")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.set_defaults(func=cmd_whats_new)


def cmd_review(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        groups = governance.review_due(lib, args.days, args.owner)
    total = sum(len(g.items) for g in groups)
    if args.json:
        emit_json({"days": args.days, "total": total, "owners": groups})
        return 1 if total else 0
    for g in groups:
        print(f"{g.owner or '(no owner)'} - {len(g.items)} item{'s' if len(g.items) != 1 else ''}")
        for e in g.items:
            print(f"  {e.item_key[:8]}  {e.title}")
            print(f"            {'; '.join(e.reasons)}")
    print(
        f"{total} item{'s' if total != 1 else ''} to review in the next {args.days} days."
        if total
        else f"Nothing expires or needs verification in the next {args.days} days."
    )
    return 1 if total else 0


def cmd_audit(args: argparse.Namespace) -> int:
    from library import governance

    with open_library(args) as lib:
        if args.csv:
            n = governance.audit_csv(lib, args.csv, args.ref)
            if args.json:
                emit_json({"csv": str(args.csv), "rows": n})
            else:
                print(f"Wrote {n} entries to {args.csv}.")
            return 0
        rows = governance.audit(lib, args.ref, limit=args.limit)
    if args.json:
        emit_json({"entries": rows})
        return 0
    for e in rows:
        what = _describe(e.detail)
        item = f" {e.item_key[:8]} {e.title}" if e.item_key else ""
        print(f"{e.at:%Y-%m-%d %H:%M}  {e.actor or '-':<20} {e.action:<16}{item}{what}")
    return 0 if rows else 1


def _describe(detail: dict[str, Any]) -> str:
    parts = []
    for k in ("from", "to", "comment", "note", "version", "recipient", "file", "user", "new"):
        v = detail.get(k)
        if v not in (None, "", []):
            parts.append(f"{k}={v}")
    changes = detail.get("changes")
    if isinstance(changes, dict) and changes:  # an edit: which fields (the values are in --json)
        parts.append("changed=" + ",".join(str(k) for k in changes))
    return ("  " + " ".join(parts)) if parts else ""


def cmd_whats_new(args: argparse.Namespace) -> int:
    from library import governance
    from library.errors import InvalidInput

    if args.since:
        try:
            since = datetime.fromisoformat(args.since.strip())
        except ValueError:
            raise InvalidInput(f"--since: '{args.since}' is not a date (YYYY-MM-DD).") from None
        since = since.replace(tzinfo=None)
    else:
        since = datetime.combine(date.today() - timedelta(days=7), datetime.min.time())
    with open_library(args) as lib:
        rows = governance.whats_new(lib, since, limit=args.limit)
    if args.json:
        emit_json({"since": since, "entries": rows})
        return 0
    for e in rows:
        tag = "NEW    " if e.change == "new" else "UPDATED"
        print(f"{tag} {e.at:%Y-%m-%d}  {e.item_key[:8]}  {e.title} (v{e.version})")
        if e.change_note:
            print(f"        {e.change_note}")
    if not rows:
        print(f"Nothing new since {since:%Y-%m-%d %H:%M}.")
    return 0


# -- feedback --------------------------------------------------------------------------------------
def _register_feedback(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("flag", help="flag an item as outdated, wrong or missing information")
    common(p)
    p.add_argument("ref", metavar="KEY")
    p.add_argument(
        "--reason", required=True, metavar="R", help="outdated | wrong | missing-info | other"
    )
    p.add_argument("--text", default="", metavar="TEXT", help="what is wrong (needed for 'other')")
    p.set_defaults(func=cmd_flag)
    p = sub.add_parser("request", help="ask marketing for content that does not exist")
    common(p)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--query", default="", metavar="Q", help="the search that found nothing")
    p.set_defaults(func=cmd_request)
    p = sub.add_parser(
        "queue", help="open flags and requests (marketers); your own for everyone else"
    )
    common(p)
    p.add_argument("--all", action="store_true", help="answered and closed ones too")
    p.add_argument("--kind", choices=("flag", "request"))
    p.set_defaults(func=cmd_queue)
    p = sub.add_parser("answer", help="answer a flag or request (marketers)")
    common(p)
    p.add_argument("id", metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.set_defaults(func=cmd_answer)
    p = sub.add_parser("close", help="close a flag or request (marketers)")
    common(p)
    p.add_argument("id", metavar="ID")
    p.add_argument("--comment", default="", metavar="TEXT")
    p.set_defaults(func=cmd_close)


def _print_feedback(f: Any) -> None:
    what = f"flag: {f.category}" if f.kind == "flag" else "request"
    about = f" on {f.item_title or f.item_key} [{(f.item_key or '')[:8]}]" if f.item_key else ""
    print(f"#{f.id:<4} {f.status:<8} {what}{about} - {f.created_by}, {f.created_at:%Y-%m-%d}")
    if f.text:
        print(f"      {f.text}")
    if f.query:
        print(f"      searched for: {f.query}")
    if f.answer:
        print(f"      answer ({f.answered_by}): {f.answer}")


def _feedback_done(args: argparse.Namespace, f: Any, message: str) -> int:
    if args.json:
        emit_json({"feedback": f})
    else:
        print(message)
    return 0


def cmd_flag(args: argparse.Namespace) -> int:
    from library import feedback

    with open_library(args) as lib:
        f = feedback.flag(lib, args.ref, args.reason, args.text)
    return _feedback_done(args, f, f"Flagged '{f.item_title}' as {f.category} (#{f.id}).")


def cmd_request(args: argparse.Namespace) -> int:
    from library import feedback

    with open_library(args) as lib:
        f = feedback.request_content(lib, args.text, args.query)
    return _feedback_done(args, f, f"Requested (#{f.id}); marketing sees it in their queue.")


def cmd_queue(args: argparse.Namespace) -> int:
    from library import feedback, users

    with open_library(args) as lib:
        if users.can(lib, users.QUEUE):
            rows = feedback.queue(lib, status=None if args.all else "open", kind=args.kind)
            heading = "Flags and requests" + ("" if args.all else " (open)")
        else:
            rows = [f for f in feedback.mine(lib) if args.kind in (None, f.kind)]
            heading = "Your flags and requests"
    if args.json:
        emit_json({"total": len(rows), "feedback": rows})
        return 0
    print(f"{heading}: {len(rows)}")
    for f in rows:
        _print_feedback(f)
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from library import feedback

    with open_library(args) as lib:
        f = feedback.answer(lib, args.id, args.text)
    return _feedback_done(args, f, f"Answered #{f.id}.")


def cmd_close(args: argparse.Namespace) -> int:
    from library import feedback

    with open_library(args) as lib:
        f = feedback.close(lib, args.id, args.comment)
    return _feedback_done(args, f, f"Closed #{f.id}.")
