"""The library folder: database settings, migrations, version checks, file store, activity log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from library import db
from library.core import Library
from library.errors import LibraryError
from library.models import Activity, Item, Term
from library.store import FileStore, sha256_file
from library.vocab import DEFAULT_STAGES, FORMATS, canonical_format, label


def test_new_library_has_wal_foreign_keys_head_schema_and_default_stages(lib: Library) -> None:
    with lib.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.current_revision(lib.engine) == db.head_revision()
    with lib.reader() as s:
        stages = s.scalars(
            select(Term.name).where(Term.taxonomy == "stage").order_by(Term.position)
        ).all()
    assert tuple(stages) == DEFAULT_STAGES
    assert lib.meta("library_id")


def test_reopening_keeps_data_and_does_not_reseed(tmp_path: Path) -> None:
    with Library.open(tmp_path / "l") as lib, lib.transaction() as s:
        s.add(Item(title="Kept", kind="collateral", format="document"))
    with Library.open(tmp_path / "l") as lib, lib.reader() as s:
        assert s.scalars(select(Item.title)).all() == ["Kept"]
        assert s.scalar(text("SELECT count(*) FROM terms WHERE taxonomy='stage'")) == len(
            DEFAULT_STAGES
        )


def test_library_written_by_newer_app_is_refused_with_a_sentence(tmp_path: Path) -> None:
    """GIVEN a library whose schema revision this app does not know (a newer Frontline wrote it)
    WHEN it is opened THEN a LibraryError says to update Frontline, and nothing is changed."""
    Library.open(tmp_path / "l").close()
    con = sqlite3.connect(tmp_path / "l" / "library.db")
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    with pytest.raises(LibraryError, match="newer version of Frontline"):
        Library.open(tmp_path / "l")
    con = sqlite3.connect(tmp_path / "l" / "library.db")
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_future"
    con.close()


def test_upgrading_an_older_library_makes_a_backup_first(tmp_path: Path) -> None:
    """GIVEN a library at the first schema revision WHEN a newer app opens it THEN a backup copy
    of library.db exists before the upgrade and the data survives the upgrade."""
    from alembic import command

    root = tmp_path / "old"
    root.mkdir()
    engine = db.make_engine(root / "library.db")
    cfg = db._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO items (key,title,summary,kind,format,status,audience,language,created_at,updated_at,version,change_note) VALUES ('k1','Old item','','collateral','document','draft','internal','',CURRENT_TIMESTAMP,CURRENT_TIMESTAMP,1,'')"
            )
        )
    engine.dispose()
    if db.head_revision() == "0001":
        pytest.skip("only one schema revision exists: nothing to upgrade yet")
    with Library.open(root) as lib, lib.reader() as s:
        assert s.scalars(select(Item.title)).all() == ["Old item"]
    backups = list(root.glob("library.before-upgrade-0001.*.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT title FROM items").fetchall() == [("Old item",)]
    con.close()


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    root.mkdir()
    (root / "library.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="Cannot open the library"):
        Library.open(root)


def test_open_without_create_refuses_a_missing_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no Frontline library"):
        Library.open(tmp_path / "nothing", create=False)


def test_default_location_follows_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from library.core import default_library_path

    monkeypatch.setenv("FRONTLINE_LIBRARY", str(tmp_path / "env-lib"))
    assert default_library_path() == tmp_path / "env-lib"
    monkeypatch.delenv("FRONTLINE_LIBRARY")
    assert default_library_path().name == "Library"
    assert "Frontline" in str(default_library_path())


def test_activity_log_is_append_only(lib: Library) -> None:
    with lib.transaction() as s:
        lib.record(s, "import", "k1", file="a.pdf")
    with pytest.raises(Exception, match="append-only"), lib.transaction() as s:
        s.execute(text("UPDATE activity SET action='forged'"))
    with pytest.raises(Exception, match="append-only"), lib.transaction() as s:
        s.execute(text("DELETE FROM activity"))
    with lib.reader() as s:
        assert [a.action for a in s.scalars(select(Activity))] == ["import"]


def test_a_failed_transaction_leaves_no_rows(lib: Library) -> None:
    with pytest.raises(RuntimeError), lib.transaction() as s:
        s.add(Item(title="Half", kind="collateral", format="document"))
        s.flush()
        lib.mark_dirty(s, "whatever")
        raise RuntimeError("crash in the middle")
    with lib.reader() as s:
        assert s.scalars(select(Item)).all() == []
    assert lib.dirty_count() == 0


# -- file store ---------------------------------------------------------------------------------
def test_store_dedups_identical_content_and_names_files_by_sha256(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes(b"same content")
    b.write_bytes(b"same content")
    d1, size = store.add_file(a)
    d2, _ = store.add_file(b)
    assert d1 == d2 == sha256_file(a)
    assert size == 12
    assert store.path_for(d1).read_bytes() == b"same content"
    assert list(store.all_digests()) == [d1]
    assert store.stale_temp_files() == []
    assert store.verify(d1)


def test_store_write_is_atomic_when_the_source_fails_midway(tmp_path: Path) -> None:
    """GIVEN a stream that breaks after some bytes WHEN it is stored THEN no blob and no temp
    file remain (a crash never leaves a truncated file under a valid name)."""
    store = FileStore(tmp_path / "files")

    class Broken:
        def __init__(self) -> None:
            self.calls = 0

        def read(self, n: int) -> bytes:
            self.calls += 1
            if self.calls > 2:
                raise OSError("disk went away")
            return b"x" * 1000

    with pytest.raises(OSError):
        store.add_stream(Broken())  # type: ignore[arg-type]
    assert list(store.all_digests()) == []
    assert store.stale_temp_files() == []


def test_store_detects_damaged_content(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    digest, _ = store.add_bytes(b"original")
    store.path_for(digest).write_bytes(b"tampered")
    assert not store.verify(digest)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("ROI/TCO calculator", "roi-calculator"),
        ("TCO calculator", "roi-calculator"),
        ("security/compliance pack", "security-pack"),
        ("customer quote/reference", "customer-reference"),
        ("call script/talk track", "talk-track"),
        ("demo video (link)", "demo-video"),
        ("FAQ", "faq"),
        ("One-pager", "one-pager"),
        ("case_study", "case-study"),
    ],
)
def test_formats_are_accepted_as_product_md_writes_them(typed: str, slug: str) -> None:
    assert canonical_format(typed) == slug


def test_labels_read_like_english_with_acronyms_in_capitals() -> None:
    assert label("roi-calculator") == "ROI calculator"
    assert label("faq") == "FAQ"
    assert label("one-pager") == "One-pager"
    assert label("case-study") == "Case study"
    assert label("in-review") == "In review"
    for slug in FORMATS:  # every label parses back to its format
        assert canonical_format(label(slug)) == slug


def test_revisions_read_from_the_files_match_alembics_script_directory() -> None:
    """The head and the revision chain read without Alembic (fast start) are Alembic's own."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db._alembic_config())
    assert db.head_revision() == script.get_current_head()
    assert db.known_revisions() == {r.revision: r.down_revision for r in script.walk_revisions()}


def test_opening_an_up_to_date_library_does_not_import_alembic(tmp_path: Path) -> None:
    """GIVEN a library at the newest schema WHEN another process opens it THEN Alembic (about a
    quarter of a second of imports) is never loaded; a new library does need it."""
    import subprocess
    import sys

    code = (
        "import sys; from library.core import Library; "
        f"Library.open({str(tmp_path / 'l')!r}).close(); "
        "print('alembic' in sys.modules)"
    )

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert run() == "True"  # created: migrations ran
    assert run() == "False"  # reopened: nothing to migrate


_OPEN_WHEN_TOLD = """
import sys, time
from pathlib import Path
go, root = Path(sys.argv[1]), sys.argv[2]
from library.core import Library
from library import governance, users  # imported before the start line: open at the same moment
while not go.exists():
    time.sleep(0.002)
Library.open(root).close()
"""


def open_at_once(root: Path, processes: int) -> None:
    """Start `processes` processes that each open `root` at the same moment; all must succeed."""
    import subprocess
    import sys
    import time

    go = root.parent / f"{root.name}.go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN_WHEN_TOLD, str(go), str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    time.sleep(1.0)  # the children import the app, then wait for the start file
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err


def test_two_processes_opening_one_library_at_once_both_succeed(tmp_path: Path) -> None:
    """GIVEN a library whose items have no version row yet (made by an older Frontline, by sync
    or by a pack) WHEN two processes open it at the same moment (both back-fill the versions)
    THEN both open without error and every item has exactly one version."""
    from sqlalchemy import func

    from library import governance
    from library.models import ItemVersion

    root = tmp_path / "l"
    with Library.open(root) as lib, lib.transaction() as s:
        s.add_all(
            Item(title=f"Item {n}", kind="collateral", format="document") for n in range(1500)
        )
    open_at_once(root, 2)
    with Library.open(root) as lib:
        assert governance.ensure_versions(lib) == 0
        with lib.reader() as s:
            counts = s.execute(
                select(func.count()).select_from(ItemVersion).group_by(ItemVersion.item_id)
            ).scalars()
            assert sorted(set(counts)) == [1]
            assert s.scalar(select(func.count(func.distinct(ItemVersion.item_id)))) == 1500


def test_processes_creating_one_new_library_at_once_make_one_library(tmp_path: Path) -> None:
    """GIVEN no library yet WHEN three processes open (create) it at the same moment THEN all
    succeed: one of them migrates and seeds it, the others wait and find it made."""
    root = tmp_path / "new"
    root.mkdir()
    open_at_once(root, 3)
    with Library.open(root) as lib, lib.reader() as s:
        assert s.scalar(text("SELECT count(*) FROM meta WHERE key = 'library_id'")) == 1
        assert s.scalar(text("SELECT count(*) FROM terms WHERE taxonomy = 'stage'")) == len(
            DEFAULT_STAGES
        )
        assert s.scalar(text("SELECT count(*) FROM users WHERE role = 'admin'")) == 1
