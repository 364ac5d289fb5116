"""Text extraction from imported files: the contract the importer relies on.

`extract_file(path, password=None, timeout=...)` never raises for bad input and never hangs: it
returns an `Extraction` whose `status` says what happened (`library.vocab.ExtractionStatus`) and
whose `reason` is a sentence for the user when the status is not ok. Parsing of untrusted files
runs in a separate, resource-limited worker process (see `sandbox.py`) so a hostile file (XML/zip
bomb, recursive PDF objects, parser bug) costs at most the time limit and never the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
