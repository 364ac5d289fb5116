"""Opening library.db: engine settings, schema migrations, version checks and backups.

A library is a folder (`library.db`, `files/`, `index/`) so it can be copied or backed up whole.
The schema is versioned by Alembic from its first revision; opening an older library upgrades it
after a backup copy, opening a library written by a newer Frontline refuses with a clear message.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from library.errors import LibraryError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


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
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, db_path: Path) -> None:
    """Bring the schema to head: create a new library, or upgrade an older one after a backup.

    Raises LibraryError when the library was written by a newer Frontline (unknown revision)."""
    from alembic import command

    script = ScriptDirectory.from_config(_alembic_config())
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise LibraryError(
                f"This library ({db_path.parent}) was written by a newer version of Frontline "
                f"(schema {current}); please update Frontline to open it."
            ) from None
        backup = backup_database(db_path, f"before-upgrade-{current}")
        log.info("upgrading library schema %s -> %s (backup: %s)", current, head, backup)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


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
