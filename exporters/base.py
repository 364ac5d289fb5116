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
from library.progress import Cancel, Progress, ProgressCallback, no_progress

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


class ExportCancelled(LibraryError):
    """The user cancelled; nothing was written and nothing was recorded."""

    def __init__(self, message: str = "The export was cancelled; nothing was written.") -> None:
        super().__init__(message)


class Steps:
    """Progress and cooperative cancellation for one export: `step()` between units of work
    raises ExportCancelled when the user asked to stop, then reports the step."""

    def __init__(
        self,
        progress: ProgressCallback | None,
        cancel: Cancel | None,
        total: int,
        cancelled: str = "The export was cancelled; nothing was written.",
    ) -> None:
        self._progress = progress or no_progress
        self._cancel = cancel
        self._cancelled = cancelled
        self.total = total
        self.done = 0

    @property
    def cancel(self) -> Cancel | None:
        return self._cancel

    def check(self) -> None:
        if self._cancel is not None and self._cancel.requested:
            raise ExportCancelled(self._cancelled)

    def step(self, message: str, units: int = 1) -> None:
        self.check()
        self._progress(Progress(min(self.done, self.total), self.total, message))
        self.done += units

    def finish(self, message: str) -> None:
        self._progress(Progress(self.total, self.total, message))


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


ExportFunction = Callable[..., ExportReport]  # (lib, request, progress=None, cancel=None)


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
    """A new, empty temporary file in `dest`'s folder (same file system: rename is atomic).
    Raises ExportFailed with a sentence when the folder cannot be written."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name[:40]}.", suffix=".part", dir=dest.parent)
    except OSError as e:
        raise ExportFailed(
            f"Cannot write in {dest.parent}: {e.strerror or e}; choose another folder."
        ) from None
    os.close(fd)
    return Path(name)


@contextmanager
def write_errors(out: Path) -> Iterator[None]:
    """Turn a failing write (disk full, folder removed, permissions) into one sentence."""
    try:
        yield
    except OSError as e:
        raise ExportFailed(
            f"Could not write {out.name}: {e.strerror or e}. Nothing was exported."
        ) from None


# Longest texts a request may carry (a name on a cover, not a letter).
MAX_NAME_CHARS = 200
MAX_WATERMARK_CHARS = 120
MAX_INTRO_CHARS = 4000


def check_request(req: ExportRequest) -> None:
    """Raise InvalidInput when a text of the request is too long to print sensibly."""
    from library.errors import InvalidInput

    for label, text, limit in (
        ("customer name", req.customer, MAX_NAME_CHARS),
        ("partner name", req.partner or "", MAX_NAME_CHARS),
        ("pack name", req.name, MAX_NAME_CHARS),
        ("watermark", req.watermark, MAX_WATERMARK_CHARS),
        ("intro", req.intro, MAX_INTRO_CHARS),
    ):
        if len(" ".join(text.split())) > limit:
            raise InvalidInput(f"The {label} is too long: at most {limit} characters.")


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
