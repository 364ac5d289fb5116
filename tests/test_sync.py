"""Publish/subscribe through a shared folder: channel format, signatures, tampering, retirement,
several channels, rep-owned data, the back-channel (library.sync)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from library.core import Library
from library.models import Activity, Item, SearchDirty, Term
from library.sync import signing
from library.sync.channel import (
    ChannelRejected,
    blob_path,
    changeset_path,
    changeset_seqs,
    compress,
    decompress,
    read_channel_info,
    signature_path,
)
from library.sync.inbox import ingest_inbox
from library.sync.models import InboxEvent, ItemOrigin, Subscription, UsageEvent
from library.sync.publisher import publish
from library.sync.reports import ChannelSyncResult
from library.sync.subscriber import read_only_reason, subscribe, sync_all, whats_new
from library.sync.testing import NewItem, add_items, change_items
from library.sync.usage import record_usage


@pytest.fixture
def pub(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "pub")
    try:
        yield library
    finally:
        library.close()


@pytest.fixture
def rep(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "rep")
    try:
        yield library
    finally:
        library.close()


def statuses(lib: Library) -> dict[str, str]:
    with lib.reader() as s:
        return {k: st for k, st in s.execute(select(Item.title, Item.status)).all()}


def count(lib: Library, model: type) -> int:
    with lib.reader() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def published_titles(channel: Path) -> list[str]:
    out = []
    for seq in changeset_seqs(channel):
        doc = decompress(changeset_path(channel, seq).read_bytes(), "cs")
        out += [e["title"] for e in doc["items"]]
    return out


def flip_byte(path: Path, offset: int = -10) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


# -- publishing -----------------------------------------------------------------------------------
def test_publish_carries_only_approved_current_content(pub: Library, tmp_path: Path) -> None:
    """GIVEN items in every lifecycle state WHEN published THEN only approved, current items
    leave the library; the channel holds the public key only and a fingerprint to compare."""
    today = date.today()
    add_items(
        pub,
        [
            NewItem("Approved sheet", "roi", terms={"persona": ["CFO"]}),
            NewItem("Draft sheet", status="draft"),
            NewItem("Review sheet", status="in-review"),
            NewItem("Retired sheet", status="retired"),
            NewItem("Expired sheet", expires_on=today - timedelta(days=1)),
            NewItem("Future sheet", published_at=today + timedelta(days=3)),
        ],
    )
    channel = tmp_path / "share" / "marketing"
    report = publish(pub, channel)
    assert report.created and report.changesets == [1]
    assert published_titles(channel) == ["Approved sheet"]
    info = read_channel_info(channel)
    assert report.fingerprint == signing.fingerprint(info.public_key) == info.fingerprint
    assert not any(p.suffix == ".pem" for p in channel.rglob("*"))
    assert (pub.root / "keys" / f"channel-{info.channel_id}.pem").stat().st_mode & 0o077 == 0
    doc = decompress(changeset_path(channel, 1).read_bytes(), "cs")
    assert {t["name"] for t in doc["terms"] if t["taxonomy"] == "persona"} == {"CFO"}
    sha = doc["items"][0]["assets"][0]["sha256"]
    assert blob_path(channel, sha).is_file()


def test_publish_is_incremental(pub: Library, tmp_path: Path) -> None:
    keys = add_items(pub, [NewItem(f"Sheet {n}", "text") for n in range(5)])
    channel = tmp_path / "chan"
    publish(pub, channel)
    again = publish(pub, channel)
    assert again.changesets == [] and not again.created
    assert changeset_seqs(channel) == [1]
    change_items(pub, keys[:1], body="new figures", change_note="Q3 figures")
    delta = publish(pub, channel)
    assert delta.changesets == [2] and delta.items_published == 1 and delta.blobs_written == 1
    assert published_titles(channel)[-1] == "Sheet 0"


def test_publish_refuses_a_folder_that_is_not_a_channel(pub: Library, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="not empty and is not a Frontline channel"):
        publish(pub, folder)


def test_publish_recovers_a_change_set_written_before_a_crash(
    pub: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a publish killed after writing change-set 1 but before recording it WHEN publishing
    again THEN change-set 1 is recovered (not re-numbered, not written twice)."""
    from library.sync import publisher

    add_items(pub, [NewItem("Sheet", "text")])
    channel = tmp_path / "chan"

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(publisher, "_record_state", crash)
    with pytest.raises(KeyboardInterrupt):
        publish(pub, channel)
    monkeypatch.undo()
    assert changeset_seqs(channel) == [1]
    report = publish(pub, channel)
    assert report.recovered == [1] and report.changesets == []
    assert changeset_seqs(channel) == [1]


# -- subscribing and syncing ------------------------------------------------------------------------
def test_subscribe_checks_the_fingerprint(pub: Library, rep: Library, tmp_path: Path) -> None:
    channel = tmp_path / "chan"
    report = publish(pub, channel)
    wrong = "AAAA-BBBB-CCCC-DDDD"
    with pytest.raises(ChannelRejected, match="not the channel you were given"):
        subscribe(rep, channel, wrong)
    assert count(rep, Subscription) == 0
    res = subscribe(rep, channel, report.fingerprint.lower().replace("-", " "))
    assert res.fingerprint == report.fingerprint and not res.pinned_on_first_use


def test_sync_applies_items_files_and_search_outbox(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    keys = add_items(pub, [NewItem(f"Sheet {n}", f"body {n}", files=2) for n in range(3)])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    report = sync_all(rep)
    (c,) = report.channels
    assert report.ok and c.applied == [1] and c.items_new == 3 and c.blobs_copied == 6
    assert statuses(rep) == {f"Sheet {n}": "approved" for n in range(3)}
    with rep.reader() as s:
        assert set(s.scalars(select(SearchDirty.item_key))) == set(keys)
        item = s.scalars(select(Item).where(Item.key == keys[0])).one()
        assert all(rep.store.verify(a.sha256) for a in item.assets)
        assert read_only_reason(s, keys[0]) is not None
    assert {w.title for w in whats_new(rep)} == {"Sheet 0", "Sheet 1", "Sheet 2"}
    # A second sync has nothing to do and copies nothing.
    again = sync_all(rep).channels[0]
    assert again.applied == [] and again.blobs_copied == 0 and not again.error


def test_update_brings_the_new_version_and_its_change_note(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    keys = add_items(pub, [NewItem("Pricing sheet", "old prices")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    change_items(pub, keys, body="new prices", change_note="2027 prices")
    publish(pub, channel)
    c = sync_all(rep).channels[0]
    assert c.items_updated == 1 and c.blobs_copied == 1
    with rep.reader() as s:
        item = s.scalar(select(Item).where(Item.key == keys[0]))
        assert item is not None
        assert item.version == 2 and item.change_note == "2027 prices"
        assert "new prices" in item.assets[0].text
    latest = whats_new(rep, item_key=keys[0])[0]
    assert (latest.change, latest.version, latest.change_note) == ("updated", 2, "2027 prices")
    governance = pytest.importorskip("library.governance")
    if hasattr(governance, "versions"):  # the rep sees the version history too
        history = governance.versions(rep, keys[0])
        assert (history[0].version, history[0].change_note) == (2, "2027 prices")
        assert {v.version for v in history} == {1, 2}


def test_retired_and_expired_items_leave_the_reps_search(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    """GIVEN a rep synced with two items WHEN marketing retires one and another expires THEN
    after the next sync neither is found by the rep's search; both rows stay (rep data)."""
    from search import SearchRequest, open_index

    keys = add_items(
        pub, [NewItem("Falcon datasheet", "falcon"), NewItem("Falcon brochure", "falcon")]
    )
    add_items(pub, [NewItem("Falcon pricing", "falcon")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    with open_index(rep) as idx:
        assert idx.search(SearchRequest("falcon")).total == 3
    change_items(pub, keys[:1], status="retired")
    change_items(pub, keys[1:2], expires_on=date.today() - timedelta(days=1))
    report = publish(pub, channel)
    assert report.items_retired == 2
    c = sync_all(rep).channels[0]
    assert c.items_retired == 2
    assert statuses(rep) == {
        "Falcon datasheet": "retired",
        "Falcon brochure": "retired",
        "Falcon pricing": "approved",
    }
    with open_index(rep) as idx:
        idx.drain()
        res = idx.search(SearchRequest("falcon"))
        assert [h.title for h in res.hits] == ["Falcon pricing"]
    assert {w.change for w in whats_new(rep, item_key=keys[0])} >= {"retired"}


# -- rejection ----------------------------------------------------------------------------------------
def two_change_sets(pub: Library, rep: Library, channel: Path) -> list[str]:
    """Publish two change-sets and subscribe `rep` without syncing."""
    keys = add_items(pub, [NewItem("First", "one")])
    publish(pub, channel)
    keys += add_items(pub, [NewItem("Second", "two")])
    publish(pub, channel)
    subscribe(rep, channel)
    return keys


def assert_nothing_applied(rep: Library) -> None:
    assert count(rep, Item) == 0 and count(rep, ItemOrigin) == 0
    with rep.reader() as s:
        sub = s.scalars(select(Subscription)).one()
        assert sub.applied_seq == 0 and sub.last_error


@pytest.mark.parametrize(
    "damage",
    ["flip-changeset", "truncate-changeset", "flip-signature", "flip-blob", "truncate-blob"],
)
def test_tampered_or_truncated_data_is_rejected_and_nothing_applied(
    pub: Library, rep: Library, tmp_path: Path, damage: str
) -> None:
    """GIVEN two change-sets WHEN the second one (or a file it needs) is damaged THEN the sync
    is rejected with a sentence and not even the intact first change-set is applied."""
    channel = tmp_path / "chan"
    keys = two_change_sets(pub, rep, channel)
    cs = changeset_path(channel, 2)
    doc = decompress(cs.read_bytes(), "cs")
    blob = blob_path(channel, doc["items"][0]["assets"][0]["sha256"])
    originals = {p: p.read_bytes() for p in (cs, signature_path(channel, 2), blob)}
    if damage == "flip-changeset":
        flip_byte(cs)
    elif damage == "truncate-changeset":
        cs.write_bytes(cs.read_bytes()[:-20])
    elif damage == "flip-signature":
        sig = json.loads(signature_path(channel, 2).read_bytes())
        raw = bytearray(base64.b64decode(sig["signature"]))
        raw[5] ^= 1
        sig["signature"] = base64.b64encode(bytes(raw)).decode()
        signature_path(channel, 2).write_text(json.dumps(sig))
    elif damage == "flip-blob":
        flip_byte(blob, 0)
    else:
        blob.write_bytes(blob.read_bytes()[:-3])
    report = sync_all(rep)
    (c,) = report.channels
    assert c.rejected and report.rejected and not report.ok
    assert "Nothing" in c.error or "altered, truncated" in c.error
    assert_nothing_applied(rep)
    # The damaged blob never lands in the store under its name.
    assert not rep.store.has(blob.name) or rep.store.verify(blob.name)
    # Once the folder is repaired (restored from the publisher's copy) everything applies.
    for path, data in originals.items():
        path.write_bytes(data)
    (c,) = sync_all(rep).channels
    assert c.applied == [1, 2] and not c.error
    assert statuses(rep) == {"First": "approved", "Second": "approved"} and len(keys) == 2


def test_foreign_change_set_is_rejected(pub: Library, rep: Library, tmp_path: Path) -> None:
    """GIVEN someone with write access adds a change-set signed by another key (or copies one
    from another channel) THEN it is rejected and nothing applied."""
    channel = tmp_path / "chan"
    publish_items = add_items(pub, [NewItem("Genuine", "x")])
    publish(pub, channel)
    subscribe(rep, channel)
    info = read_channel_info(channel)
    forged = {
        "format": "frontline-changeset",
        "version": 1,
        "channel_id": info.channel_id,
        "seq": 2,
        "prev_sha256": hashlib.sha256(changeset_path(channel, 1).read_bytes()).hexdigest(),
        "items": [],
        "retired": [{"key": publish_items[0], "reason": "retired"}],
    }
    data = compress(forged)
    changeset_path(channel, 2).write_bytes(data)
    other = Ed25519PrivateKey.generate()
    signature_path(channel, 2).write_bytes(signing.sign(other, data))
    (c,) = sync_all(rep).channels
    assert c.rejected and "Change-set 2" in c.error
    assert_nothing_applied(rep)


def test_replaced_channel_key_is_refused(pub: Library, rep: Library, tmp_path: Path) -> None:
    channel = tmp_path / "chan"
    add_items(pub, [NewItem("Genuine", "x")])
    publish(pub, channel)
    subscribe(rep, channel)
    # An attacker re-creates the channel with their own key in the same folder.
    doc = json.loads((channel / "channel.json").read_text())
    other = Ed25519PrivateKey.generate()
    doc["public_key"] = signing.public_key_b64(other)
    (channel / "channel.json").write_text(json.dumps(doc))
    (c,) = sync_all(rep).channels
    assert c.rejected and "another key" in c.error
    assert_nothing_applied(rep)


def test_missing_files_wait_instead_of_failing(pub: Library, rep: Library, tmp_path: Path) -> None:
    """GIVEN a cloud folder still arriving (change-set 2's blob missing) THEN change-set 1 is
    applied, the sync says it waits, and a later sync finishes once the file is there."""
    channel = tmp_path / "chan"
    two_change_sets(pub, rep, channel)
    doc = decompress(changeset_path(channel, 2).read_bytes(), "cs")
    blob = blob_path(channel, doc["items"][0]["assets"][0]["sha256"])
    held = tmp_path / "held"
    shutil.move(blob, held)
    c = sync_all(rep).channels[0]
    assert c.applied == [1] and c.waiting and not c.error
    shutil.move(held, blob)
    c = sync_all(rep).channels[0]
    assert c.applied == [2] and not c.waiting


# -- several channels, rep-owned data ------------------------------------------------------------
def test_two_channels_never_conflict(tmp_path: Path, rep: Library) -> None:
    """GIVEN a global and a regional channel WHEN the regional one publishes an item with a key
    the global one owns THEN the rep keeps the global version and is told why."""
    with Library.open(tmp_path / "global") as g, Library.open(tmp_path / "emea") as e:
        gkeys = add_items(g, [NewItem("Global deck", "global")])
        add_items(e, [NewItem("EMEA deck", "emea")])
        publish(g, tmp_path / "c-global")
        publish(e, tmp_path / "c-emea")
        subscribe(rep, tmp_path / "c-global")
        subscribe(rep, tmp_path / "c-emea")
        report = sync_all(rep)
        assert report.ok and [c.items_new for c in report.channels] == [1, 1]
        # The regional library gets a copy of the global item (same key) and publishes it.
        add_items(e, [NewItem("Hijacked deck", "x", key=gkeys[0])])
        publish(e, tmp_path / "c-emea")
        report = sync_all(rep)
        emea = report.channels[1]
        assert (
            emea.items_new == 0
            and emea.conflicts
            and "belongs to another channel" in (emea.conflicts[0])
        )
    assert statuses(rep) == {"Global deck": "approved", "EMEA deck": "approved"}
    with rep.reader() as s:
        owners = dict(s.execute(select(ItemOrigin.item_key, ItemOrigin.channel_id)).all())
    assert len(set(owners.values())) == 2


def test_rep_owned_data_is_never_overwritten(pub: Library, rep: Library, tmp_path: Path) -> None:
    """GIVEN a rep with their own item, usage events and a local tag WHEN a channel publishes,
    updates and retires content (one item even reusing the rep's item key) THEN the rep's rows
    are exactly as before."""
    own = add_items(rep, [NewItem("My own notes deck", "mine", terms={"tag": ["my-tag"]})])
    record_usage(rep, "search", query="falcon pricing", results=0)
    record_usage(rep, "open", item_key=own[0])
    keys = add_items(pub, [NewItem("Channel deck", "channel"), NewItem("Clash", "x", key=own[0])])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)

    def snapshot() -> tuple[object, ...]:
        with rep.reader() as s:
            item = s.scalar(select(Item).where(Item.key == own[0]))
            assert item is not None
            usage = s.execute(select(UsageEvent.event_id, UsageEvent.kind, UsageEvent.at)).all()
            tag = s.scalar(select(Term).where(Term.name == "my-tag"))
            return (item.title, item.status, item.version, [a.sha256 for a in item.assets],
                    [t.name for t in item.terms], sorted(map(tuple, usage)), tag is not None)  # fmt: skip

    before = snapshot()
    c = sync_all(rep).channels[0]
    assert c.items_new == 1 and any("already exists in this library" in m for m in c.conflicts)
    change_items(pub, keys, body="v2")
    change_items(pub, keys[:1], status="retired")
    publish(pub, channel)
    c = sync_all(rep).channels[0]
    assert c.items_retired == 1
    assert snapshot() == before
    with rep.reader() as s:
        assert read_only_reason(s, own[0]) is None


# -- back-channel ----------------------------------------------------------------------------------
def test_back_channel_counts_each_event_once(pub: Library, rep: Library, tmp_path: Path) -> None:
    """GIVEN a rep's opens and a search that found nothing WHEN synced several times, the inbox
    file copied (a cloud 'conflict copy') and the send repeated after a crash THEN the publisher
    counts each event exactly once."""
    keys = add_items(pub, [NewItem("Deck", "x")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    record_usage(rep, "open", item_key=keys[0])
    record_usage(rep, "export", item_key=keys[0], detail={"format": "leave-behind"})
    record_usage(rep, "search", query="falcon roi", results=0)
    c = sync_all(rep).channels[0]
    assert c.events_sent == 3
    assert sync_all(rep).channels[0].events_sent == 0  # nothing new: no new file
    first = ingest_inbox(pub)
    assert first.events_new == 3 and first.by_type == {"usage": 3}
    # A copy of the file under another number (cloud conflict copy / re-written file).
    (inbox_file,) = (channel / "inbox").rglob("*.jsonl")
    shutil.copy(inbox_file, inbox_file.with_name("00000099.jsonl"))
    # A crash after writing the file but before the cursors were saved: the same events again.
    with rep.transaction() as s:
        s.scalars(select(Subscription)).one().outbox_cursors = {}
    assert sync_all(rep).channels[0].events_sent == 3
    second = ingest_inbox(pub)
    assert second.events_new == 0 and second.events_duplicate == 6
    report = publish(pub, channel)  # publishing reads the inbox too
    assert report.inbox is not None and report.inbox.events_new == 0
    assert count(pub, InboxEvent) == 3
    from library.sync.inbox import field_signals

    signals = field_signals(pub)
    assert signals.zero_result_searches == [("falcon roi", 1)]
    assert signals.totals == {"usage:export": 1, "usage:open": 1, "usage:search": 1}


def test_hostile_inbox_lines_are_skipped(pub: Library, rep: Library, tmp_path: Path) -> None:
    channel = tmp_path / "chan"
    add_items(pub, [NewItem("Deck", "x")])
    publish(pub, channel)
    folder = channel / "inbox" / "someone"
    folder.mkdir(parents=True)
    good = {"v": 1, "type": "usage", "event_id": "e1", "kind": "search", "query": "x", "results": 0}
    lines = [
        json.dumps(good),
        "not json",
        json.dumps({**good, "event_id": "../../etc"}),
        json.dumps({**good, "event_id": "e2", "type": "admin"}),
        json.dumps({**good, "event_id": "e3", "results": -4}),
        json.dumps([1, 2]),
    ]
    (folder / "00000001.jsonl").write_text("\n".join(lines) + "\n")
    r = ingest_inbox(pub)
    assert r.events_new == 1 and r.lines_refused == 5 and not r.problems


# -- activity ---------------------------------------------------------------------------------------
def test_publish_and_sync_are_logged(pub: Library, rep: Library, tmp_path: Path) -> None:
    add_items(pub, [NewItem("Deck", "x")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    with pub.reader() as s:
        assert {"channel-created", "publish"} <= set(s.scalars(select(Activity.action)))
    with rep.reader() as s:
        assert {"subscribe", "sync-new", "sync-applied"} <= set(s.scalars(select(Activity.action)))


def test_truncated_or_non_json_change_set_is_refused() -> None:
    data = gzip.compress(b"{" + b" " * (1 << 16) + b"}")
    with pytest.raises(ChannelRejected, match="truncated"):
        decompress(data[: len(data) // 2], "Change-set 1")
    with pytest.raises(ChannelRejected, match="damaged"):
        decompress(gzip.compress(b"not json"), "Change-set 1")
    with pytest.raises(ChannelRejected, match="damaged"):
        decompress(b"plain bytes", "Change-set 1")


def test_flags_and_content_requests_reach_the_marketers_queue_once(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    """GIVEN a rep flags a channel item and requests missing content WHEN they sync twice and the
    publisher reads its inbox twice THEN the queue holds each exactly once, marked with the
    channel it came from, and nothing bounces back to the rep."""
    feedback = pytest.importorskip("library.feedback")
    if not hasattr(feedback, "outbox"):
        pytest.skip("governance feedback is not installed")
    keys = add_items(pub, [NewItem("Pricing sheet", "prices")])
    channel = tmp_path / "chan"
    report = publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    feedback.flag(rep, keys[0], "outdated", "The prices changed in March.")
    feedback.request_content(rep, "An ROI calculator for retail", query="retail roi")
    assert sync_all(rep).channels[0].events_sent == 2
    with rep.transaction() as s:  # as if the cursor had not been saved: sent again
        s.scalars(select(Subscription)).one().outbox_cursors = {}
    assert sync_all(rep).channels[0].events_sent == 2
    first, second = ingest_inbox(pub), ingest_inbox(pub)
    assert first.by_type == {"flag": 1, "request": 1} and second.events_new == 0
    queue = feedback.queue(pub, status=None)
    assert sorted((f.kind, f.item_key, f.origin) for f in queue) == [
        ("flag", keys[0], report.channel_id),
        ("request", None, report.channel_id),
    ]
    flag = next(f for f in queue if f.kind == "flag")
    assert flag.category == "outdated" and flag.text == "The prices changed in March."
    # Received feedback is not sent on by the publisher's own syncs (origin is not local).
    with pub.reader() as s:
        assert feedback.outbox(s, 0, 10) == []


def test_brand_kit_follows_the_channel_unless_the_rep_has_their_own(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    from library import branding

    logo = b"\x89PNG fake logo bytes"
    sha, _ = pub.store.add_bytes(logo)
    branding.update_brand(pub, {"company_name": "Lumenfield"})
    with pub.transaction() as s:
        row = s.get(branding.BrandKit, 1)
        assert row is not None
        row.logo_sha256, row.logo_name = sha, "logo.png"
    channel = tmp_path / "chan"
    assert publish(pub, channel).brand_published
    subscribe(rep, channel)
    assert sync_all(rep).channels[0].brand_changed
    kit = branding.get_brand(rep)
    assert kit.company_name == "Lumenfield" and kit.logo_sha256 == sha
    assert rep.store.path_for(sha).read_bytes() == logo
    # A rep library with its own brand kit keeps it.
    with Library.open(tmp_path / "rep2") as other:
        branding.update_brand(other, {"company_name": "Reseller Ltd"})
        subscribe(other, channel)
        c = sync_all(other).channels[0]
        assert not c.brand_changed and any("own brand kit" in m for m in c.conflicts)
        assert branding.get_brand(other).company_name == "Reseller Ltd"


def test_partner_channel_carries_partner_shareable_items_only(pub: Library, tmp_path: Path) -> None:
    add_items(
        pub,
        [
            NewItem("Partner kit", audience="partner", format="partner-kit"),
            NewItem("Customer sheet", audience="customer"),
            NewItem(
                "Internal card", audience="partner", kind="competitor-insight", format="battle-card"
            ),
        ],
    )
    channel = tmp_path / "resellers"
    report = publish(pub, channel, audience="partner")
    assert published_titles(channel) == ["Partner kit"] and report.items_published == 1
    assert read_channel_info(channel).audience == "partner"
    with pytest.raises(Exception, match="audience is fixed"):
        publish(pub, channel, audience="internal")


def test_two_syncs_at_once_apply_each_change_set_once(
    pub: Library, rep: Library, tmp_path: Path
) -> None:
    """GIVEN the app and a terminal syncing the same library at once THEN each change-set is
    applied by one of them only; the other says another sync finishes the job."""
    from library.progress import Progress

    add_items(pub, [NewItem("Deck", "x")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    inner: list[ChannelSyncResult] = []

    def progress(p: Progress) -> None:
        if "applying" in p.message and not inner:
            with Library.open(rep.root) as other:  # the other process gets there first
                inner.append(sync_all(other).channels[0])

    c = sync_all(rep, progress).channels[0]
    assert inner[0].applied == [1]
    assert c.applied == [] and "Another sync" in c.waiting and not c.error
    with rep.reader() as s:
        actions = list(s.scalars(select(Activity.action).where(Activity.action == "sync-new")))
    assert len(actions) == 1


def test_one_publish_at_a_time(pub: Library, tmp_path: Path) -> None:
    add_items(pub, [NewItem("Deck", "x")])
    channel = tmp_path / "chan"
    report = publish(pub, channel)
    add_items(pub, [NewItem("Deck 2", "y")])
    with (
        signing.publish_lock(pub.root, report.channel_id),
        pytest.raises(Exception, match="Another publish to this channel is running"),
    ):
        publish(pub, channel)
    assert publish(pub, channel).changesets == [2]


def test_an_unreachable_share_is_not_an_error(pub: Library, rep: Library, tmp_path: Path) -> None:
    add_items(pub, [NewItem("Deck", "x")])
    channel = tmp_path / "chan"
    publish(pub, channel)
    subscribe(rep, channel)
    sync_all(rep)
    channel.rename(tmp_path / "unplugged")
    report = sync_all(rep)
    c = report.channels[0]
    assert report.ok and not c.error and "not reachable" in c.waiting
    assert statuses(rep) == {"Deck": "approved"}
