"""Opening library.db: engine settings, schema migrations, version checks and backups.

A library is a folder (`library.db`, `files/`, `index/`) so it can be copied or backed up whole.
The schema is versioned by Alembic from its first revision; opening an older library upgrades it
after a backup copy, opening a library written by a newer Frontline refuses with a clear message.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from library.errors import LibraryError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


VERSIONS = MIGRATIONS / "versions"
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]*)['"]|None)""", re.M
)


def _alembic_config() -> Config:
    from alembic.config import Config  # lazy: ~0.25 s, only needed to migrate

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revisions() -> dict[str, str | None]:
    """{revision: down_revision} read from the migration files' `revision = "..."` lines, without
    importing Alembic (opening an up-to-date library must not pay for it)."""
    revisions: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        found = dict(
            (m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))
        )
        if found.get("revision"):
            revisions[str(found["revision"])] = found.get("down_revision") or None
    return revisions


def head_revision() -> str:
    """The newest schema revision this Frontline knows (the one no other revision builds on)."""
    revisions = known_revisions()
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) != 1:
        raise LibraryError(f"Frontline's schema migrations are broken (heads: {sorted(heads)}).")
    return heads.pop()


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}", future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")  # the CLI and the app may share a library
        cur.close()

    return engine


def current_revision(engine: Engine) -> str | None:
    """The library's schema revision (alembic_version), None for a new (empty) database."""
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    has_table = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).first()
    if has_table is None:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row is not None else None


def migrate(
    engine: Engine, db_path: Path, seed: Callable[[Connection], None] | None = None
) -> bool:
    """Bring the schema to head: create a new library (then `seed(conn)` fills it, in the same
    transaction), or upgrade an older one after a backup. Returns True when this call created it.

    Alembic is imported only when there is something to do. Two processes opening a new or
    older library at the same moment are serialized by the database's write lock (BEGIN
    IMMEDIATE), and the revision is read again under it: one migrates, the other finds it done.
    Raises LibraryError when the library was written by a newer Frontline (unknown revision)."""
    revisions = known_revisions()
    head = head_revision()
    if current_revision(engine) == head:  # the common case: no lock, no Alembic
        return False
    with engine.begin() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # others wait here (busy_timeout)
        current = _revision(conn)
        if current == head:
            return False
        if current is not None:
            if current not in revisions:
                raise LibraryError(
                    f"This library ({db_path.parent}) was written by a newer version of Frontline "
                    f"(schema {current}); please update Frontline to open it."
                )
            backup = backup_database(db_path, f"before-upgrade-{current}")
            log.info("upgrading library schema %s -> %s (backup: %s)", current, head, backup)
        from alembic import command

        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if current is None and seed is not None:
            seed(conn)
    return current is None


def backup_database(db_path: Path, label: str) -> Path:
    """Consistent copy of library.db next to it (SQLite online backup, safe under WAL)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = db_path.with_name(f"library.{label}.{stamp}.db")
    src = sqlite3.connect(db_path)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, future=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back and re-raise otherwise."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
