"""Text extraction from imported files: the contract the importer relies on.

`extract_file(path, password=None, timeout=...)` never raises for bad input and never hangs: it
returns an `Extraction` whose `status` says what happened (`library.vocab.ExtractionStatus`) and
whose `reason` is a sentence for the user when the status is not ok. Parsing of untrusted files
runs in a separate, resource-limited worker process (see `sandbox.py`) so a hostile file (XML/zip
bomb, recursive PDF objects, parser bug) costs at most the time limit and never the app.

- `ExtractorPool`: one persistent worker for a batch (`with ExtractorPool() as pool:
  pool.extract(path, password=None, timeout=60)`); kills and replaces it on timeout or crash.
- `extract_file`: one-shot, sandboxed.
- `extract_in_process`: the same logic without the sandbox (the worker and tests use it).

Formats are a registry (`registry.py`, one class per format; detection by magic bytes, then
extension). Text is NFKC-normalized, pages/slides/sheets are joined by PAGE_BREAK and capped at
TEXT_CAP_CHARS (`text_chars` keeps the length before the cap).
"""

from __future__ import annotations

from library.extract.registry import extract_in_process
from library.extract.result import DEFAULT_TIMEOUT_S, PAGE_BREAK, TEXT_CAP_CHARS, Extraction
from library.extract.sandbox import ExtractorPool, extract_file

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "PAGE_BREAK",
    "TEXT_CAP_CHARS",
    "Extraction",
    "ExtractorPool",
    "extract_file",
    "extract_in_process",
]
