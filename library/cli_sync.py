"""Publish/subscribe subcommands: publish, subscribe, unsubscribe, sync, channels, inbox.

Exit codes: 0 ok; 1 something needs attention (a channel could not be synced, is still
arriving, or gave conflicts... see the output); 2 bad input or a rejected channel (tampered,
truncated or foreign data: nothing of it was applied). Heavy imports stay inside the handlers.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from library.cli import common, emit_json, open_library, terminal_progress

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "publish",
        help="publish approved content to a channel folder (created on first use)",
        description="Write what changed since the last publish (approved, current items; "
        "retirements; personas, stages and the other values they use; the brand kit) to the "
        "channel folder, signed with this library's key. The first publish creates the channel "
        "and prints its fingerprint: give it to the reps who subscribe. Also reads the "
        "channel's inbox (reps' usage, flags and requests).",
    )
    common(p)
    p.add_argument("channel", type=Path, metavar="CHANNEL_PATH")
    p.add_argument("--name", metavar="NAME", help="the channel's name (default: folder name)")
    p.add_argument(
        "--audience",
        metavar="A",
        choices=("internal", "partner"),
        help="on creation: internal (default; all approved items) or partner "
        "(partner-shareable items only)",
    )
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser(
        "subscribe",
        help="subscribe this library to a channel folder",
        description="Pin the channel's public key. Give --fingerprint (from the publisher) to "
        "check it; without it the key is pinned on first use and its fingerprint is printed "
        "for you to compare. Then run 'sync'.",
    )
    common(p)
    p.add_argument("channel", type=Path, metavar="CHANNEL_PATH")
    p.add_argument("--fingerprint", metavar="FP", help="e.g. K3QF-7ZD2-MA4T-X9PL")
    p.add_argument("--no-sync", action="store_true", help="do not sync right away")
    p.set_defaults(func=cmd_subscribe)

    p = sub.add_parser(
        "sync",
        help="bring every subscribed channel up to date; send and read the back-channel",
        description="Apply new change-sets of every subscribed channel (verified, in order, "
        "each in one transaction; safe to interrupt), send this library's usage events, flags "
        "and requests to the channels' inboxes, and read the inboxes of the channels this "
        "library publishes.",
    )
    common(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "unsubscribe",
        help="stop syncing a channel (its items stay, read-only)",
    )
    common(p)
    p.add_argument("channel", metavar="CHANNEL", help="the channel's name, id or folder path")
    p.set_defaults(func=cmd_unsubscribe)

    p = sub.add_parser("channels", help="list the channels this library publishes or subscribes")
    common(p)
    p.set_defaults(func=cmd_channels)

    p = sub.add_parser(
        "inbox",
        help="publisher: read the channels' inboxes and show what the field did",
        description="Ingest reps' events from the inboxes of the channels this library "
        "publishes (each event counted once) and show usage, zero-result searches, flags and "
        "content requests.",
    )
    common(p)
    p.add_argument("--limit", type=int, default=10, metavar="N", help="rows per list (10)")
    p.set_defaults(func=cmd_inbox)


# -- handlers ------------------------------------------------------------------------------------
def cmd_publish(args: argparse.Namespace) -> int:
    from library.progress import Cancel
    from library.sync.publisher import publish

    cancel = Cancel()
    with open_library(args) as lib:
        try:
            report = publish(
                lib,
                args.channel,
                terminal_progress("publish "),
                cancel,
                name=args.name,
                audience=args.audience,
            )
        except KeyboardInterrupt:
            cancel.set()
            raise
    if args.json:
        emit_json(report)
        return EXIT_OK
    if report.created:
        print(f"Created the channel '{report.name}' at {report.channel_path}.")
        print(f"Fingerprint: {report.fingerprint}")
        print("Reps subscribe with: subscribe CHANNEL_PATH --fingerprint " + report.fingerprint)
    if report.recovered:
        print(f"Recovered change-sets {_seqs(report.recovered)} of an interrupted publish.")
    if report.changesets:
        print(
            f"Published change-set{'s' if len(report.changesets) > 1 else ''} "
            f"{_seqs(report.changesets)} to '{report.name}': {report.items_published} items, "
            f"{report.items_retired} retired, {report.terms_published} taxonomy values"
            f"{f', {report.terms_removed} removed' if report.terms_removed else ''}"
            f"{', brand kit' if report.brand_published else ''}; {report.blobs_written} files, "
            f"{_mb(report.bytes_written)} written in {report.seconds:.1f} s."
        )
    else:
        print(f"Nothing changed since the last publish to '{report.name}'.")
    if report.cancelled:
        print("Cancelled; what was written is valid, run publish again to finish.")
    if report.inbox is not None:
        _print_inbox(report.inbox)
    if not report.created:
        print(f"Fingerprint: {report.fingerprint}")
    return EXIT_OK


def cmd_subscribe(args: argparse.Namespace) -> int:
    from library.sync.subscriber import subscribe, sync_channel

    with open_library(args, create=True) as lib:
        res = subscribe(lib, args.channel, args.fingerprint)
        synced = None
        if not args.no_sync:
            synced = sync_channel(lib, res.channel_id, terminal_progress("sync "))
    if args.json:
        emit_json({"subscription": res, "sync": synced})
    else:
        verb = "Already subscribed to" if res.already_subscribed else "Subscribed to"
        print(f"{verb} the channel '{res.name}' at {res.path}.")
        print(f"Fingerprint: {res.fingerprint}")
        if res.pinned_on_first_use and not res.already_subscribed:
            print(
                "No --fingerprint was given: compare this fingerprint with the one your "
                "publisher gave you; if they differ, do not use this channel."
            )
        if synced is not None:
            _print_channel(synced)
    if synced is not None and synced.rejected:
        return EXIT_USAGE
    return EXIT_PROBLEM if synced is not None and (synced.error or synced.waiting) else EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from library.progress import Cancel
    from library.sync.inbox import ingest_inbox
    from library.sync.models import PublishedChannel, Subscription
    from library.sync.subscriber import sync_all

    cancel = Cancel()
    with open_library(args) as lib:
        with lib.reader() as s:
            subscribed = s.scalar(select(Subscription.channel_id).limit(1)) is not None
            publishing = s.scalar(select(PublishedChannel.channel_id).limit(1)) is not None
        if not subscribed and not publishing:
            if args.json:
                emit_json({"channels": [], "inbox": None})
            else:
                print("This library has no channels: use 'subscribe CHANNEL_PATH' first.")
            return EXIT_PROBLEM
        try:
            report = sync_all(lib, terminal_progress("sync "), cancel)
        except KeyboardInterrupt:
            cancel.set()
            raise
        inbox = ingest_inbox(lib) if publishing else None
    if args.json:
        emit_json({"channels": report.channels, "cancelled": report.cancelled,
                   "seconds": report.seconds, "inbox": inbox})  # fmt: skip
    else:
        for c in report.channels:
            _print_channel(c)
        if inbox is not None:
            _print_inbox(inbox)
        if report.cancelled:
            print("Cancelled; what was applied is kept, run sync again to finish.")
    if report.rejected:
        return EXIT_USAGE
    problems = any(c.error or c.waiting for c in report.channels)
    return EXIT_PROBLEM if problems or report.cancelled else EXIT_OK


def cmd_unsubscribe(args: argparse.Namespace) -> int:
    from library.sync.subscriber import unsubscribe

    with open_library(args) as lib:
        res = unsubscribe(lib, args.channel)
    if args.json:
        emit_json(res)
    else:
        print(
            f"Unsubscribed from '{res.name}' ({res.path}). Its items stay in this library, "
            "read-only; subscribe again to catch up."
        )
    return EXIT_OK


def cmd_channels(args: argparse.Namespace) -> int:
    from library.sync.status import list_channels

    with open_library(args) as lib:
        channels = list_channels(lib)
    if args.json:
        emit_json(channels)
        return EXIT_OK
    if not channels:
        print(
            "No channels: 'publish CHANNEL_PATH' creates one, 'subscribe CHANNEL_PATH' joins one."
        )
        return EXIT_OK
    for c in channels:
        if not c.reachable:
            state = "folder not reachable"
        elif c.role == "subscriber" and (c.available_seq or 0) > c.seq:
            state = f"{(c.available_seq or 0) - c.seq} change-sets to sync"
        else:
            state = "up to date"
        when = c.last_at.strftime("%Y-%m-%d %H:%M") if c.last_at else "never"
        what = "publishes" if c.role == "publisher" else "subscribes"
        print(f"{c.name}  ({what}; {c.fingerprint})")
        print(f"  {c.path}")
        print(
            f"  change-set {c.seq}, {c.items} items, last "
            f"{'publish' if c.role == 'publisher' else 'sync'} {when}; {state}"
        )
        if c.last_error:
            print(f"  last error: {c.last_error}")
    return EXIT_OK


def cmd_inbox(args: argparse.Namespace) -> int:
    from library.errors import InvalidInput
    from library.sync.inbox import field_signals, ingest_inbox

    if args.limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    with open_library(args) as lib:
        report = ingest_inbox(lib)
        signals = field_signals(lib, limit=args.limit)
    if args.json:
        emit_json({"ingest": report, "signals": signals})
        return EXIT_OK
    _print_inbox(report)
    if signals.totals:
        print("Events: " + ", ".join(f"{k} {n}" for k, n in signals.totals.items()))
    else:
        print("No events from the field yet.")
    if signals.top_items:
        print("Most used:")
        for key, title, n in signals.top_items:
            print(f"  {n:>6}  {title or '(not in this library)'} [{key[:8]}]")
    if signals.zero_result_searches:
        print("Searches that found nothing:")
        for query, n in signals.zero_result_searches:
            print(f"  {n:>6}  {query}")
    if signals.recent_feedback:
        print("Latest flags and requests:")
        for f in signals.recent_feedback:
            at = f["at"].strftime("%Y-%m-%d") if f["at"] else ""
            about = f["item_key"][:8] if f["item_key"] else (f["query"] or "")
            print(f"  {at}  {f['type']} {f['kind']}  {about}  ({f['actor']})")
    return EXIT_PROBLEM if report.problems else EXIT_OK


# -- output --------------------------------------------------------------------------------------
def _seqs(seqs: list[int]) -> str:
    if len(seqs) > 2 and seqs == list(range(seqs[0], seqs[-1] + 1)):
        return f"{seqs[0]}-{seqs[-1]}"
    return ", ".join(str(s) for s in seqs)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} KB"


def _print_channel(c: Any) -> None:
    if c.applied:
        print(
            f"{c.name}: applied change-set{'s' if len(c.applied) > 1 else ''} "
            f"{_seqs(c.applied)}: {c.items_new} new, {c.items_updated} updated, "
            f"{c.items_retired} retired; {c.blobs_copied} files copied "
            f"({_mb(c.bytes_copied)}, {c.copy_seconds:.1f} s), applied in {c.apply_seconds:.1f} s."
        )
    elif not c.error:
        print(f"{c.name}: up to date (change-set {c.applied_seq}).")
    for conflict in c.conflicts:
        print(f"  note: {conflict}")
    if c.events_sent:
        print(f"  sent {c.events_sent} events to the channel's inbox")
    if c.waiting:
        print(f"  waiting: {c.waiting}")
    if c.error:
        print(f"{c.name}: {'REJECTED: ' if c.rejected else ''}{c.error}")


def _print_inbox(r: Any) -> None:
    if r.events_new or r.events_duplicate or r.lines_refused:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(r.by_type.items()))
        print(
            f"Inbox: {r.events_new} new events{f' ({kinds})' if kinds else ''} from "
            f"{r.files_read} files; {r.events_duplicate} already counted"
            f"{f'; {r.lines_refused} unreadable lines skipped' if r.lines_refused else ''}."
        )
    for p in r.problems:
        print(f"Inbox: {p}")
