"""`Library`: one open library folder — its database, file store and derived-index folder.

    lib = Library.open(path)        # creates it when missing, upgrades an older schema
    with lib.transaction() as s:    # one unit of work; commits or rolls back and re-raises
        ...
    lib.close()

Everything that changes searchable data calls `mark_dirty(session, key)` inside its transaction
(the search outbox), and `record(session, ...)` for the activity log, so the change, its history
and its index work commit together or not at all.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from library import db
from library.errors import LibraryError
from library.models import Activity, Meta, SearchDirty, Term, new_key, utcnow
from library.store import FileStore
from library.vocab import DEFAULT_STAGES

log = logging.getLogger(__name__)

ENV_VAR = "FRONTLINE_LIBRARY"
DB_NAME = "library.db"


def default_library_path() -> Path:
    """$FRONTLINE_LIBRARY, else '<user data folder>/Frontline/Library' (platformdirs)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("Frontline", appauthor=False) / "Library"


class Library:
    """An open library. Thread-safe for reads; writes should go through one writer at a time
    (the UI's serialized writer, or the CLI's single thread)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db_path = root / DB_NAME
        self.engine = db.make_engine(self.db_path)
        self._sessions = db.session_factory(self.engine)
        self.store = FileStore(root / "files")
        self.index_dir = root / "index"
        self.actor = os.environ.get("FRONTLINE_USER", "") or _os_user() or "local user"

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str | None = None, *, create: bool = True) -> Library:
        """Open (and by default create) the library at `root` (default: `default_library_path()`).

        Raises LibraryError with a sentence when the folder is not usable or the library is newer
        than this app."""
        root = Path(root).expanduser() if root is not None else default_library_path()
        if root.exists() and not root.is_dir():
            raise LibraryError(f"{root} is a file, not a library folder.")
        is_new = not (root / DB_NAME).exists()
        if is_new and not create:
            raise LibraryError(f"There is no Frontline library at {root} (run 'init' first).")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise LibraryError(f"Cannot create the library folder {root}: {e.strerror}.") from None
        lib = cls(root)
        try:
            # Whoever really creates the schema seeds it (two processes may open a new library).
            is_new = db.migrate(lib.engine, lib.db_path, seed=_seed)
            from library import governance, users

            users.bootstrap(lib, creator=is_new)  # the creator is admin; see library.users
            governance.ensure_versions(lib)  # items made before versions existed, or by sync
        except LibraryError:
            lib.close()
            raise
        except Exception as e:  # sqlite3.DatabaseError on a corrupt or foreign file, etc.
            lib.close()
            raise LibraryError(f"Cannot open the library at {root}: {e}") from e
        return lib

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- units of work -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with db.transaction(self._sessions) as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session (never commits)."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def record(
        self,
        session: Session,
        action: str,
        item_key: str | None = None,
        actor: str | None = None,
        **detail: Any,
    ) -> None:
        """Append to the activity log, in the caller's transaction."""
        session.add(
            Activity(
                at=utcnow(),
                actor=actor if actor is not None else self.actor,
                action=action,
                item_key=item_key,
                detail=_jsonable(detail),
            )
        )

    @staticmethod
    def mark_dirty(session: Session, item_key: str) -> None:
        """Enqueue `item_key` for the search index, in the caller's transaction (the outbox)."""
        stmt = sqlite_insert(SearchDirty).values(
            item_key=item_key, enqueued_at=utcnow(), claimed=False
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["item_key"], set_={"enqueued_at": utcnow(), "claimed": False}
            )
        )

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.reader() as s:
            row = s.get(Meta, key)
            return row.value if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as s:
            s.merge(Meta(key=key, value=value))

    def dirty_count(self) -> int:
        from sqlalchemy import func

        with self.reader() as s:
            return int(s.scalar(select(func.count()).select_from(SearchDirty)) or 0)


def _seed(conn: Connection) -> None:
    """A new library's first rows, in the migration's transaction (see `db.migrate`)."""
    with Session(bind=conn) as s:
        s.add(Meta(key="library_id", value=new_key()))
        s.add(Meta(key="created_at", value=utcnow().isoformat(timespec="seconds")))
        for pos, name in enumerate(DEFAULT_STAGES):
            s.add(Term(taxonomy="stage", name=name, name_folded=name.casefold(), position=pos))
        s.flush()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _os_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return ""
