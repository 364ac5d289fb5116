"""The extraction result and the few constants every extractor shares."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields

from library.vocab import ExtractionStatus

PAGE_BREAK = "\f"  # separates pages / slides / sheets in Extraction.text
TEXT_CAP_CHARS = 2_000_000  # extracted text kept in the DB per file (beyond: truncated + recorded)
DEFAULT_TIMEOUT_S = 60.0


@dataclass(slots=True)
class Extraction:
    status: str  # ExtractionStatus value
    reason: str = ""  # human sentence when status != ok ("Encrypted: a password is required.")
    text: str = ""  # NFKC-normalized; pages/slides/sheets joined by PAGE_BREAK
    media_type: str = "application/octet-stream"
    page_count: int | None = None  # pages, slides or sheets
    title: str = ""  # from document metadata or first heading; "" when unknown
    summary: str = ""  # first meaningful paragraph; "" when none
    language: str = ""  # BCP-47-ish guess ("en", "de", "ja"), "" when unknown
    flags: list[str] = field(default_factory=list)  # e.g. "macros", "no-extract-permission"
    text_chars: int = 0  # length before capping
    text_truncated: bool = False

    def to_dict(self) -> dict[str, object]:
        """Plain values only: what crosses the worker pipe (no pickled classes)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Extraction:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]


class Problem(Exception):
    """Raised inside an extractor to end it with a non-ok status and a sentence for the user.

    The registry turns it into an `Extraction`; it never escapes `extract_in_process`."""

    def __init__(self, status: ExtractionStatus, reason: str, *, media_type: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.media_type = media_type


# Reasons used in more than one place: one wording everywhere.
REASON_TIMEOUT = "Took longer than {seconds:g} s to read; skipped."
REASON_MEMORY = "Ran out of memory while reading (the file may be a decompression bomb)."
REASON_CRASH = "The reader crashed on this file (it may be corrupt or hostile); skipped."
REASON_XML_BOMB = "Refused: the file contains an XML entity bomb."
REASON_TOO_DEEP = "Refused: the file is nested too deeply to read."


# A soft deadline for the extraction running in this thread/context: extractors that loop over
# pages or rows stop early and report "partial" instead of being killed with nothing to show.
_DEADLINE: ContextVar[float | None] = ContextVar("frontline_extract_deadline", default=None)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Within the block, `out_of_time()` turns true after `seconds` (None: never)."""
    token = _DEADLINE.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def out_of_time() -> bool:
    deadline = _DEADLINE.get()
    return deadline is not None and time.monotonic() > deadline
