"""Publish/subscribe speed: publish 10,000 items, then a delta of 1,000 changes; a subscriber's
initial and delta sync.

    .venv/bin/python bench/sync_bench.py                  # 10,000 items, 1,000 changes
    .venv/bin/python bench/sync_bench.py --items 2000 --changes 200 --keep /tmp/fl-sync

A publisher library is generated (bodies of 200-4,000 words, median ~1,000, drawn from a
Zipf-like vocabulary; one real file per item in the store, personas/stages/products/tags), then
each step runs in its own process through the app's API so its peak memory is its own:
  publish initial   all approved items -> change-sets + blobs in the channel folder
  sync initial      subscribe + sync a fresh rep library
  delta             600 new versions (new file), 300 metadata edits, 100 retirements
  publish delta     only those 1,000 entries are written
  sync delta        the rep applies them
For syncs, "copy" is the wall time spent copying and verifying (SHA-256) blobs from the channel
into the store; "apply" is everything else: "check" (verify signatures, decode and check every
entry), the DB transactions ("db_transaction") and the rest (opening, back-channel).
Goal: the delta sync applies in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).absolute().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _vocabulary(rng: random.Random, n: int = 4000) -> list[str]:
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    words = set()
    while len(words) < n:
        size = rng.randint(3, 11)
        words.add("".join(rng.choices(letters, weights=range(26, 0, -1), k=size)))
    return sorted(words)


def build(pub_root: Path, n: int, seed: int) -> dict[str, float]:
    from library.core import Library
    from library.sync.testing import NewItem, add_items

    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    weights = [1 / (r + 1) for r in range(len(vocab))]
    personas = ["CFO", "CRO", "VP Sales", "Sales Ops", "IT Security", "RevOps Analyst"]
    stages = ["Prospecting", "Discovery", "Evaluation", "Proposal", "Negotiation"]
    products = ["Forecast", "Commissions", "Territories", "Insights"]
    formats = ["data-sheet", "one-pager", "white-paper", "pitch-deck", "email-template"]
    t0 = time.perf_counter()

    def items():
        for i in range(n):
            words = int(min(4000, max(200, rng.lognormvariate(6.9, 0.6))))
            body = " ".join(rng.choices(vocab, weights=weights, k=words))
            yield NewItem(
                title=f"{rng.choice(products)} {rng.choice(formats).replace('-', ' ')} {i}",
                body=body,
                format=rng.choice(formats),
                summary=" ".join(rng.choices(vocab, k=25)),
                terms={
                    "persona": rng.sample(personas, 2),
                    "stage": rng.sample(stages, 2),
                    "product": [rng.choice(products)],
                    "tag": [f"tag-{rng.randint(1, 60)}"],
                },
            )

    with Library.open(pub_root) as lib:
        add_items(lib, items())
    built = time.perf_counter()
    # Opening once more lets governance give every new item its first version (when installed)
    # here, not inside the measured publish.
    Library.open(pub_root).close()
    return {
        "seconds": round(built - t0, 1),
        "reopen_seconds": round(time.perf_counter() - built, 1),
    }


def change(pub_root: Path, n: int, seed: int) -> dict[str, int]:
    """`n` changes: 60 % new versions with a new file, 30 % metadata edits, 10 % retirements."""
    from sqlalchemy import select

    from library.core import Library
    from library.models import Item
    from library.sync.testing import change_items

    rng = random.Random(seed + 1)
    vocab = _vocabulary(random.Random(seed))
    weights = [1 / (r + 1) for r in range(len(vocab))]
    with Library.open(pub_root, create=False) as lib:
        with lib.reader() as s:
            keys = list(s.scalars(select(Item.key).order_by(Item.id)))
        picked = rng.sample(keys, n)
        a, b = int(n * 0.6), int(n * 0.9)
        for k in picked[:a]:
            words = int(min(4000, max(200, rng.lognormvariate(6.9, 0.6))))
            body = " ".join(rng.choices(vocab, weights=weights, k=words))
            change_items(lib, [k], body=body, change_note="New figures")
        change_items(lib, picked[a:b], summary="Updated positioning for 2027")
        change_items(lib, picked[b:], status="retired")
    return {"versions": a, "metadata": b - a, "retired": n - b}


def publish_step(pub_root: Path, channel: Path) -> dict[str, object]:
    from library.core import Library
    from library.sync.publisher import publish

    with Library.open(pub_root, create=False) as lib:
        t0 = time.perf_counter()
        r = publish(lib, channel)
        secs = time.perf_counter() - t0
    return {
        "seconds": round(secs, 2),
        "changesets": len(r.changesets),
        "items": r.items_published,
        "retired": r.items_retired,
        "blobs": r.blobs_written,
        "mb_written": round(r.bytes_written / 1e6, 1),
    }


def sync_step(rep_root: Path, channel: Path) -> dict[str, object]:
    from library.core import Library
    from library.sync.subscriber import subscribe, sync_all

    with Library.open(rep_root) as lib:
        if not lib.meta("bench.subscribed"):
            subscribe(lib, channel)
            lib.set_meta("bench.subscribed", "1")
        t0 = time.perf_counter()
        report = sync_all(lib)
        secs = time.perf_counter() - t0
        dirty = lib.dirty_count()
    (c,) = report.channels
    if c.error:
        raise SystemExit(f"sync failed: {c.error}")
    return {
        "seconds": round(secs, 2),
        "copy_seconds": round(c.copy_seconds, 2),
        "apply_seconds": round(secs - c.copy_seconds, 2),
        "check_seconds": round(c.check_seconds, 2),
        "db_transaction_seconds": round(c.apply_seconds, 2),
        "changesets": len(c.applied),
        "new": c.items_new,
        "updated": c.items_updated,
        "retired": c.items_retired,
        "blobs_copied": c.blobs_copied,
        "mb_copied": round(c.bytes_copied / 1e6, 1),
        "search_outbox_rows": dirty,
    }


def _child(step: str, *args: str) -> dict[str, object]:
    """Run one step in a new process; returns its result plus its peak RSS."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).absolute()), "--step", step, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_step(step: str, args: list[str]) -> None:
    import resource

    fn = {
        "build": lambda: build(Path(args[0]), int(args[1]), int(args[2])),
        "change": lambda: change(Path(args[0]), int(args[1]), int(args[2])),
        "publish": lambda: publish_step(Path(args[0]), Path(args[1])),
        "sync": lambda: sync_step(Path(args[0]), Path(args[1])),
    }[step]
    result = dict(fn())
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--changes", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        _run_step(a.step, a.args)
        return 0
    work = a.keep or Path(tempfile.mkdtemp(prefix="fl-sync-bench-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    pub, rep, channel = work / "pub", work / "rep", work / "channel"
    results: dict[str, dict[str, object]] = {}
    try:
        steps = [
            ("build", ["build", str(pub), str(a.items), str(a.seed)]),
            ("publish initial", ["publish", str(pub), str(channel)]),
            ("sync initial", ["sync", str(rep), str(channel)]),
            ("delta", ["change", str(pub), str(a.changes), str(a.seed)]),
            ("publish delta", ["publish", str(pub), str(channel)]),
            ("sync delta", ["sync", str(rep), str(channel)]),
        ]
        for name, (step, *args) in steps:
            results[name] = _child(step, *args)
            print(f"{name:<16} {json.dumps(results[name])}", flush=True)
    finally:
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    d = results["sync delta"]
    ok = float(d["apply_seconds"]) < 10  # type: ignore[arg-type]
    print(
        f"\n{a.items} items, {a.changes} changes: delta sync {d['seconds']} s "
        f"(apply {d['apply_seconds']} s + file copy {d['copy_seconds']} s), peak "
        f"{d['peak_rss_mb']} MB; initial sync {results['sync initial']['seconds']} s, peak "
        f"{results['sync initial']['peak_rss_mb']} MB. Goal delta apply < 10 s: "
        f"{'met' if ok else 'NOT met'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
