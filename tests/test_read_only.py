"""Items from a subscribed channel or a received pack are read-only in the core: every editing
service (and so the CLI and the app) refuses them with one sentence naming the item and why,
while the rep's own annotations on them (flags, usage) stay allowed, and sync and pack import
still update them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import main
from exporters.pack_import import import_pack
from library import assets, feedback, governance, items
from library.core import Library
from library.errors import LibraryError
from library.sync.publisher import publish
from library.sync.subscriber import subscribe, sync_all
from library.sync.testing import NewItem, add_items, change_items
from library.sync.usage import record_usage
from tests import test_export_pack as packs
from tests.test_export_data import ADMIN, build_library

CHANNEL_SAYS = r"'Pricing sheet' comes from the channel 'Global marketing'; it is updated by sync"
PACK_SAYS = r"is part of the pack '.+' you received"


@pytest.fixture
def channel_item(tmp_path: Path) -> Iterator[tuple[Library, Library, Path, str]]:
    """(publisher, rep, channel folder, key): the rep's library subscribes to 'Global marketing',
    which published the approved 'Pricing sheet'."""
    pub = Library.open(tmp_path / "pub")
    rep = Library.open(tmp_path / "rep")
    try:
        [key] = add_items(pub, [NewItem("Pricing sheet", "old prices")])
        channel = tmp_path / "share" / "global"
        publish(pub, channel, name="Global marketing")
        subscribe(rep, channel)
        assert not sync_all(rep).channels[0].error
        yield pub, rep, channel, key
    finally:
        rep.close()
        pub.close()


@pytest.fixture
def pack_item(lib: Library, tmp_path: Path) -> Iterator[tuple[Library, str]]:
    """(reseller library, key of the case study it received in a pack)."""
    keys = build_library(lib, packs.TODAY)
    (tmp_path / "p.png").write_bytes(packs.logo_png("Fabrikam"))
    packs.branding.save_partner(
        lib, packs.PARTNER, {"contact_name": "Luis Ortega"}, logo=tmp_path / "p.png", actor=ADMIN
    )
    out = packs._pack(lib, [keys["case"]], tmp_path / "pack.zip")
    reseller = Library.open(tmp_path / "reseller")
    try:
        report = import_pack(reseller, out)
        yield reseller, report.items[0].key
    finally:
        reseller.close()


def edits(lib: Library, key: str, tmp_path: Path) -> list[tuple[str, Callable[[], Any]]]:
    new_file = tmp_path / "new.txt"
    new_file.write_text("A new price list\n")
    return [
        ("edit title", lambda: items.edit(lib, key, [("title", "Mine")], note="renamed")),
        ("edit audience", lambda: items.edit(lib, key, [("audience", "internal")])),
        ("edit status", lambda: items.edit(lib, key, [("status", "draft")], note="why")),
        ("edit note only", lambda: items.edit(lib, key, [], note="a better note")),
        ("submit", lambda: governance.submit(lib, key)),
        ("approve", lambda: governance.approve(lib, key)),
        ("reject", lambda: governance.reject(lib, key, "no")),
        ("retire", lambda: governance.retire(lib, key, "old")),
        ("reopen", lambda: governance.reopen(lib, key)),
        ("schedule", lambda: governance.schedule(lib, key, None)),
        ("verify", lambda: governance.verify(lib, key)),
        ("replace", lambda: governance.replace_file(lib, key, new_file, "new prices")),
        ("restore", lambda: governance.restore_version(lib, key, 1)),
        ("add file", lambda: assets.add_file(lib, key, new_file, "one more")),
        ("remove file", lambda: assets.remove_file(lib, key, 0, "one less")),
    ]


def assert_every_edit_refused(lib: Library, key: str, tmp_path: Path, says: str) -> None:
    before = items.get(lib, key)
    for what, call in edits(lib, key, tmp_path):
        with pytest.raises(LibraryError, match=says):
            call()
        after = items.get(lib, key)
        assert (after.title, after.status, after.version, after.audience) == (
            before.title,
            before.status,
            before.version,
            before.audience,
        ), what
        assert [a.sha256 for a in after.assets] == [a.sha256 for a in before.assets], what


def test_channel_items_refuse_every_edit_service(
    channel_item: tuple[Library, Library, Path, str], tmp_path: Path
) -> None:
    _, rep, _, key = channel_item
    assert_every_edit_refused(rep, key, tmp_path, CHANNEL_SAYS)
    with rep.reader() as s:
        reason = items.read_only_reason(s, items.find(s, key))
    assert reason is not None and reason.endswith("so edit it in the publisher's library.")


def test_the_reps_own_annotations_stay_allowed_and_sync_still_updates(
    channel_item: tuple[Library, Library, Path, str],
) -> None:
    """GIVEN a channel item the rep cannot edit WHEN the rep flags it and opens it, and the
    publisher changes it THEN the flag and usage are kept and the next sync updates the item."""
    pub, rep, channel, key = channel_item
    flag = feedback.flag(rep, key, "outdated", "The prices changed in March.")
    assert flag.item_key == key
    record_usage(rep, "open", item_key=key)
    change_items(pub, [key], title="Pricing sheet 2027", summary="new prices")
    items.edit(pub, key, [("summary", "newer prices")], note="March prices")  # publisher: own
    publish(pub, channel)
    assert not sync_all(rep).channels[0].error
    assert items.get(rep, key).summary == "newer prices"
    assert [f.item_key for f in feedback.mine(rep)] == [key]
    with pytest.raises(LibraryError, match="'Pricing sheet 2027' comes from the channel"):
        items.edit(rep, key, [("summary", "mine")], note="x")


def test_the_reps_own_items_stay_editable(
    channel_item: tuple[Library, Library, Path, str],
) -> None:
    _, rep, _, _ = channel_item
    [own] = add_items(rep, [NewItem("My notes", status="draft")])
    d, _ = items.edit(rep, own, [("title", "My better notes")], note="clearer")
    assert d.title == "My better notes"
    assert governance.approve(rep, own).status == "approved"


def test_after_unsubscribing_the_items_stay_read_only(
    channel_item: tuple[Library, Library, Path, str],
) -> None:
    from library.sync.subscriber import unsubscribe

    _, rep, channel, key = channel_item
    unsubscribe(rep, str(channel))
    with pytest.raises(LibraryError, match="channel you no longer subscribe to"):
        governance.retire(rep, key)


def test_pack_items_refuse_every_edit_service(
    pack_item: tuple[Library, str], tmp_path: Path
) -> None:
    reseller, key = pack_item
    assert_every_edit_refused(reseller, key, tmp_path, PACK_SAYS)
    feedback.flag(reseller, key, "missing-info", "No price in it.")  # annotations stay allowed


def test_item_detail_says_why_a_channel_or_pack_item_is_read_only(
    channel_item: tuple[Library, Library, Path, str], pack_item: tuple[Library, str]
) -> None:
    """GIVEN a channel item, a received-pack item and the rep's own item WHEN each is read
    THEN ItemDetail.read_only carries the core's sentence for the first two and is empty for
    the own item, so the app can disable its editing buttons before the user tries."""
    _, rep, _, channel_key = channel_item
    reseller, pack_key = pack_item
    [own] = add_items(rep, [NewItem("My notes", status="draft")])
    channel_detail = items.get(rep, channel_key)
    assert re.match(CHANNEL_SAYS, channel_detail.read_only), channel_detail.read_only
    with rep.reader() as s:
        assert channel_detail.read_only == items.read_only_reason(s, items.find(s, channel_key))
    assert re.search(PACK_SAYS, items.get(reseller, pack_key).read_only)
    assert items.get(rep, own).read_only == ""
    # What an editing service returns about the rep's own item says it too.
    d, _ = items.edit(rep, own, [("title", "My better notes")], note="clearer")
    assert d.read_only == ""


def run(capsys: pytest.CaptureFixture[str], lib: Library, *argv: str) -> tuple[int, str, str]:
    try:
        rc = main.main([*argv, "--library", str(lib.root)])
    except SystemExit as e:
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("origin", ["channel", "pack"])
def test_cli_edit_approve_replace_refuse_in_one_line(
    origin: str,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    if origin == "channel":
        _, lib, _, key = request.getfixturevalue("channel_item")
        says = CHANNEL_SAYS
    else:
        lib, key = request.getfixturevalue("pack_item")
        says = PACK_SAYS
    new_file = tmp_path / "new.txt"
    new_file.write_text("A new price list\n")
    version = items.get(lib, key).version
    for argv in (
        ("edit", key, "--set", "title=Mine", "--note", "renamed"),
        ("approve", key),
        ("retire", key),
        ("replace", key, str(new_file), "--note", "new prices"),
    ):
        rc, out, err = run(capsys, lib, *argv)
        assert rc == 2, (argv, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert re.search(says, lines[0]), lines[0]
    assert items.get(lib, key).version == version
    rc, out, _ = run(capsys, lib, "show", key, "--json")
    shown = json.loads(out)["item"]
    assert rc == 0 and shown["version"] == version
    assert re.search(says, shown["read_only"]), shown["read_only"]
