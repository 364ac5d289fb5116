"""The sync CLI: publish, subscribe, sync, channels, inbox; exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import main
from library.core import Library
from library.models import Item
from library.sync.channel import changeset_path
from library.sync.testing import NewItem, add_items
from library.sync.usage import record_usage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main.main(list(argv))
    except SystemExit as e:  # argparse usage errors
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    pub, rep, channel = tmp_path / "pub", tmp_path / "rep", tmp_path / "share" / "chan"
    with Library.open(pub) as lib:
        add_items(lib, [NewItem("CFO one-pager", "roi"), NewItem("Draft", status="draft")])
    return pub, rep, channel


def test_publish_subscribe_sync_round_trip(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path, Path]
) -> None:
    pub, rep, channel = setup
    rc, out, _ = run(capsys, "--library", str(pub), "publish", str(channel), "--name", "Global")
    assert rc == 0 and "Created the channel 'Global'" in out and "1 items" in out
    fp = out.split("Fingerprint: ")[1].split()[0]
    rc, out, _ = run(capsys, "--library", str(pub), "publish", str(channel))
    assert rc == 0 and "Nothing changed" in out and fp in out

    rc, out, _ = run(capsys, "--library", str(rep), "subscribe", str(channel), "--fingerprint", fp)
    assert rc == 0 and "Subscribed to the channel 'Global'" in out and "1 new" in out
    rc, out, _ = run(capsys, "--library", str(rep), "sync", "--json")
    data = json.loads(out)
    assert (
        rc == 0 and data["channels"][0]["applied_seq"] == 1 and data["channels"][0]["applied"] == []
    )
    rc, out, _ = run(capsys, "--library", str(rep), "channels")
    assert rc == 0 and "Global" in out and "up to date" in out and fp in out

    with Library.open(rep) as lib:
        record_usage(lib, "search", query="cfo roi", results=0)
    rc, out, _ = run(capsys, "--library", str(rep), "sync")
    assert rc == 0 and "sent 1 events" in out
    rc, out, _ = run(capsys, "--library", str(pub), "sync")
    assert rc == 0 and "Inbox: 1 new events" in out
    rc, out, _ = run(capsys, "--library", str(pub), "inbox", "--json")
    data = json.loads(out)
    assert data["signals"]["zero_result_searches"] == [["cfo roi", 1]]

    rc, out, _ = run(capsys, "--library", str(rep), "unsubscribe", "global")
    assert rc == 0 and "Unsubscribed from 'Global'" in out
    rc, _, err = run(capsys, "--library", str(rep), "unsubscribe", "Global")
    assert rc == 2 and "does not subscribe" in err
    with Library.open(rep) as lib, lib.reader() as s:
        from library.sync.subscriber import read_only_reason

        (key,) = s.scalars(select(Item.key)).all()
        assert "no longer subscribe" in (read_only_reason(s, key) or "")


def test_wrong_fingerprint_and_tampering_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path, Path]
) -> None:
    pub, rep, channel = setup
    run(capsys, "--library", str(pub), "publish", str(channel))
    rc, out, err = run(
        capsys,
        "--library",
        str(rep),
        "subscribe",
        str(channel),
        "--fingerprint",
        "AAAA-BBBB-CCCC-DDDD",
    )
    assert rc == 2 and err.count("\n") == 1 and "not the channel you were given" in err
    rc, _, err = run(capsys, "--library", str(rep), "subscribe", str(channel), "--fingerprint", "x")
    assert rc == 2 and "is not a channel fingerprint" in err and "Traceback" not in err
    rc, out, _ = run(capsys, "--library", str(rep), "subscribe", str(channel), "--no-sync")
    assert rc == 0 and "compare this fingerprint" in out
    data = bytearray(changeset_path(channel, 1).read_bytes())
    data[40] ^= 0xFF
    changeset_path(channel, 1).write_bytes(bytes(data))
    rc, out, _ = run(capsys, "--library", str(rep), "sync")
    assert rc == 2 and "REJECTED" in out and "signature check" in out


def test_bad_paths_give_one_line(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pub, rep, _ = setup
    rc, _, err = run(capsys, "--library", str(rep), "subscribe", str(tmp_path / "nowhere"))
    assert rc == 2 and "not reachable" in err and "Traceback" not in err
    not_channel = tmp_path / "docs"
    not_channel.mkdir()
    (not_channel / "a.txt").write_text("x")
    rc, _, err = run(capsys, "--library", str(pub), "publish", str(not_channel))
    assert rc == 2 and "not a Frontline channel" in err
    rc, _, err = run(capsys, "--library", str(pub), "publish", str(pub / "inside"))
    assert rc == 2 and "inside the library folder" in err
    rc, out, _ = run(capsys, "--library", str(pub), "sync")
    assert rc == 1 and "no channels" in out


def test_a_channel_of_another_library_cannot_be_published_to(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pub, _, channel = setup
    run(capsys, "--library", str(pub), "publish", str(channel))
    other = tmp_path / "other"
    with Library.open(other):
        pass
    rc, _, err = run(capsys, "--library", str(other), "publish", str(channel))
    assert rc == 2 and "created by another library" in err
