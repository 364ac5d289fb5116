"""A sync killed at random moments (SIGKILL of a subprocess) leaves nothing half-applied, and
the next sync finishes the job without re-copying a file that was already verified."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from library.core import Library
from library.models import Asset, Item
from library.sync import publisher
from library.sync.channel import changeset_path, changeset_seqs, decompress
from library.sync.models import ItemOrigin, Subscription
from library.sync.publisher import publish
from library.sync.subscriber import subscribe, sync_all
from library.sync.testing import NewItem, add_items, change_items

REPO = Path(__file__).absolute().parents[1]
CHILD = """
import sys
from library.core import Library
from library.sync.subscriber import sync_all

def progress(p):
    print(p.done, p.message, flush=True)

with Library.open(sys.argv[1], create=False) as lib:
    sync_all(lib, progress)
print("DONE", flush=True)
"""


def keys_up_to(channel: Path, seq: int) -> tuple[set[str], set[str]]:
    """(live item keys, retired keys) after change-sets 1..seq."""
    live: set[str] = set()
    retired: set[str] = set()
    for n in range(1, seq + 1):
        doc = decompress(changeset_path(channel, n).read_bytes(), "cs")
        for e in doc["items"]:
            live.add(e["key"])
            retired.discard(e["key"])
        for e in doc["retired"]:
            live.discard(e["key"])
            retired.add(e["key"])
    return live, retired


def check_consistent(rep: Library, channel: Path) -> int:
    """The rep's library matches exactly the change-sets it says it applied; every file an item
    uses is in the store and intact; nothing in the store is damaged. Returns applied_seq."""
    with rep.reader() as s:
        seq = s.scalars(select(Subscription.applied_seq)).one()
        live, retired = keys_up_to(channel, seq)
        rows = dict(s.execute(select(Item.key, Item.status)).all())
        assert {k for k, st in rows.items() if st == "approved"} == live
        assert {k for k, st in rows.items() if st == "retired"} == retired & set(rows)
        assert set(s.scalars(select(ItemOrigin.item_key))) == set(rows)
        for sha in s.scalars(select(Asset.sha256).distinct()):
            assert rep.store.verify(sha), sha
    for sha in rep.store.all_digests():
        assert rep.store.verify(sha), f"damaged blob {sha} in the store"
    return int(seq)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_sync_killed_at_random_points_resumes_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN 7 change-sets (240 new items, then 60 updates and 20 retirements) WHEN a sync in a
    subprocess is killed at random moments, several times THEN after each kill the library holds
    exactly the change-sets it recorded as applied, and a final sync completes, copying no file
    already stored."""
    rng = random.Random(int(os.environ.get("SYNC_KILL_SEED", "7")))
    monkeypatch.setattr(publisher, "MAX_ITEMS", 50)
    channel = tmp_path / "chan"
    with Library.open(tmp_path / "pub") as pub:
        keys = add_items(
            pub,
            [NewItem(f"Deck {n}", "text " * 50, terms={"persona": ["CFO"]}) for n in range(240)],
        )
        publish(pub, channel)
        change_items(pub, keys[:60], body="revised")
        change_items(pub, keys[200:220], status="retired")
        publish(pub, channel)
    top = changeset_seqs(channel)[-1]
    assert top >= 7
    rep_root = tmp_path / "rep"
    with Library.open(rep_root) as rep:
        subscribe(rep, channel)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kills = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(rep_root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=REPO,
            text=True,
        )
        assert proc.stdout is not None
        # Kill during a random phase (checking, copying files, applying), at a random step.
        phase, step = rng.choice(("checking", "files", "applying")), rng.randint(1, 4)
        finished = False
        for line in proc.stdout:
            if line.startswith("DONE"):
                finished = True
                break
            if phase in line:
                step -= 1
                if step == 0:
                    time.sleep(rng.random() * 0.05)
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                    break
        proc.stdout.close()
        proc.wait(timeout=60)
        with Library.open(rep_root, create=False) as rep:
            seq = check_consistent(rep, channel)
        if finished or seq == top:
            break
    assert kills >= 1
    with Library.open(rep_root, create=False) as rep:
        before = {sha: rep.store.path_for(sha).stat().st_ino for sha in rep.store.all_digests()}
        report = sync_all(rep)
        assert report.ok, report.channels[0].error
        assert check_consistent(rep, channel) == top
        after = {sha: rep.store.path_for(sha).stat().st_ino for sha in rep.store.all_digests()}
        c = report.channels[0]
    # Files verified before the kill were not copied again.
    assert all(after[sha] == ino for sha, ino in before.items())
    assert c.blobs_copied == len(set(after) - set(before))
