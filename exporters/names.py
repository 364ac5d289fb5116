"""File names that are safe on Windows, macOS and Linux, and unique within one folder.

Rules (the strictest of the three systems):
- no `< > : " / \\ | ? *`, control characters or NUL; whitespace collapsed;
- no leading dots (hidden on Unix) and no trailing dots or spaces (Windows drops them);
- no reserved device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9), with or without an extension;
- at most `max_bytes` UTF-8 bytes (macOS/Linux count bytes; 255 is the hard limit, and a zip's
  folder + name must stay well under Windows' 260-character path limit), cut between characters;
- unique when compared case-insensitively (Windows and macOS folders are case-insensitive).
Emoji and other non-ASCII letters are kept: all three systems store them.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_BYTES = 100
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)
_EXT = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def safe_filename(name: str, *, max_bytes: int = MAX_NAME_BYTES, fallback: str = "file") -> str:
    """`name` made safe as one path component (see module docstring); never empty."""
    name = unicodedata.normalize("NFC", name)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split())
    name = name.lstrip(". ").rstrip(". ")
    stem, ext = _split_ext(name)
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    stem = _cut(stem, max_bytes - len(ext.encode()))
    stem = stem.rstrip(". ")
    if not stem:
        stem = fallback
    return stem + ext


def _split_ext(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot > 0 and _EXT.match(name[dot:]):
        return name[:dot], name[dot:].lower()
    return name, ""


def _cut(text: str, max_bytes: int) -> str:
    max_bytes = max(max_bytes, 1)
    if len(text.encode()) <= max_bytes:
        return text
    out = []
    used = 0
    for ch in text:
        size = len(ch.encode())
        if used + size > max_bytes:
            break
        out.append(ch)
        used += size
    cut = "".join(out)
    # don't leave a dangling combining mark or zero-width joiner at the cut
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in "\u200d\ufe0f"):
        cut = cut[:-1]
    return cut


class UniqueNames:
    """Hands out names unique within one folder, case-insensitively: 'a.pdf', 'a (2).pdf'..."""

    def __init__(self, max_bytes: int = MAX_NAME_BYTES) -> None:
        self._used: set[str] = set()
        self._max = max_bytes

    def reserve(self, name: str) -> None:
        self._used.add(name.casefold())

    def take(self, name: str) -> str:
        candidate = safe_filename(name, max_bytes=self._max)
        stem, ext = _split_ext(candidate)
        n = 1
        while candidate.casefold() in self._used:
            n += 1
            suffix = f" ({n})"
            candidate = _cut(stem, self._max - len((suffix + ext).encode())) + suffix + ext
        self._used.add(candidate.casefold())
        return candidate
