"""What every export shares: the request and report values, the format registry, the share-rule
gate, atomic output files and the activity record.

An export runs in four steps, so a refused or failed export leaves nothing behind and nothing
leaves unrecorded:

1. `check_shareable()` refuses the whole export (`ExportRefused`) when any item breaks a rule;
2. the exporter writes its files under temporary names beside the destination;
3. `publish()` renames them into place *inside* the transaction that records one "export"
   activity per item; if that commit fails the published files are removed again.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.errors import LibraryError

if TYPE_CHECKING:
    from library.core import Library
    from library.sharing import Refusal

log = logging.getLogger(__name__)


class ExportRefused(LibraryError):
    """A share rule refuses at least one item; `refusals` has one entry per broken rule and
    `str(err)` one line per refusal."""

    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = refusals
        super().__init__("\n".join(r.message for r in refusals))


class ExportFailed(LibraryError):
    """The export could not be written (disk full, LibreOffice failed...): a sentence."""


@dataclass(slots=True)
class ExportRequest:
    """What to export, for whom. `keys` are full item keys in the user's order."""

    keys: list[str]
    out: Path
    customer: str = ""
    partner: str | None = None  # a partner profile name: co-branded, partner share rules
    pdf: bool = False
    watermark: str = ""
    intro: str = ""  # overrides the brand kit's intro text
    name: str = ""  # pack name (default: built from company, recipient and date)
    today: date | None = None

    @property
    def recipient(self) -> str:
        """Share rules to apply: a partner receives co-branded material and forwards it."""
        return "partner" if self.partner else "customer"


@dataclass(slots=True)
class ExportedItem:
    key: str
    title: str
    kind: str
    format: str
    version: int
    audience: str
    expires_on: date | None


@dataclass(slots=True)
class ExportReport:
    """The result of one export (the CLI's --json shape)."""

    format: str
    out: str
    recipient: str
    customer: str
    partner: str | None
    valid_until: date
    export_id: str
    items: list[ExportedItem]
    files: list[str] = field(default_factory=list)  # every file written, out first
    pdf: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


ExportFunction = Callable[["Library", ExportRequest], ExportReport]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: adding a format is one `register_format()` call (CLI picks it up)."""

    name: str
    help: str
    suffix: str
    run: ExportFunction


FORMATS: dict[str, ExportFormat] = {}


def register_format(fmt: ExportFormat) -> None:
    FORMATS[fmt.name] = fmt


def export_formats() -> dict[str, ExportFormat]:
    """The registered formats (importing the built-in exporters registers them)."""
    from exporters import leave_behind, pack  # noqa: F401  (registration side effect)

    return FORMATS


# -- share rules -----------------------------------------------------------------------------------
def check_shareable(lib: Library, keys: list[str], recipient: str, today: date) -> None:
    """Raise ExportRefused when any item may not go to `recipient` (see library.sharing)."""
    from library.sharing import share_refusals

    if not keys:
        raise LibraryError("Choose at least one item to export.")
    refusals = share_refusals(lib, keys, recipient, today)
    if refusals:
        raise ExportRefused(refusals)


# -- files ---------------------------------------------------------------------------------------
def temp_path_beside(dest: Path) -> Path:
    """A new, empty temporary file in `dest`'s folder (same file system: rename is atomic)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name[:40]}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    return Path(name)


@contextmanager
def temp_outputs() -> Iterator[list[Path]]:
    """Collects temporary files; removes the ones still present when the block ends."""
    paths: list[Path] = []
    try:
        yield paths
    finally:
        for p in paths:
            p.unlink(missing_ok=True)


def publish(
    lib: Library,
    moves: list[tuple[Path, Path]],
    items: list[ExportedItem],
    detail: dict[str, Any],
) -> None:
    """Rename each (temp, dest) into place and record one "export" activity per item, as one
    unit: when the activity cannot be committed the destinations are removed again."""
    done: list[Path] = []
    try:
        with lib.transaction() as s:
            for it in items:
                lib.record(s, "export", it.key, version=it.version, title=it.title, **detail)
            for tmp, dest in moves:
                os.replace(tmp, dest)
                done.append(dest)
    except BaseException:
        for dest in done:
            dest.unlink(missing_ok=True)
        raise


def check_destination(out: Path, suffix: str) -> Path:
    """Validate the output path: a file name ending in `suffix` in an existing or creatable folder."""
    out = out.expanduser()
    if out.suffix.lower() != suffix:
        raise LibraryError(f"The output file must end in {suffix} (got '{out.name}').")
    if out.is_dir():
        raise LibraryError(f"{out} is a folder; give a file name ending in {suffix}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LibraryError(f"Cannot create the folder {out.parent}: {e.strerror}.") from None
    return out
