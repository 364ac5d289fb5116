"""Decoding text of unknown encoding: BOMs, BOM-less UTF-16, UTF-8, EBCDIC, legacy code pages.

Order matters: cheap certain checks first (BOM, NUL interleaving, strict UTF-8), then EBCDIC (a
statistical detector sees "some single-byte code page"), then charset-normalizer with corrections
for its known near-misses (cp1125 for DOS Russian, cp1250 for Western text). If nothing yields
readable text we refuse rather than store mojibake.
"""

from __future__ import annotations

import codecs

from library.extract.result import Problem
from library.vocab import ExtractionStatus

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DETECT_BYTES = 1 << 20  # charset-normalizer sees the first MiB; decoding then covers all of it
_OK_CONTROLS = {"\t", "\n", "\r", "\f", "\x85"}  # \x85: EBCDIC's NEL line end
_WESTERN = {  # codecs.lookup() names of Western single-byte code pages
    "cp1250", "cp1252", "iso8859-1", "iso8859-15", "iso8859-2", "mac-roman", "mac-iceland",
    "mac-latin2", "cp850", "cp437",
}  # fmt: skip

_PREFERRED = ["cp1252", "cp1250", "cp1251", "cp1257", "cp1254", "cp1253", "cp1256", "cp1255"]

UNREADABLE = "Unreadable text: could not work out the file's character encoding."


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` starts with a Unicode byte-order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when the bytes are NUL-interleaved like BOM-less UTF-16 text."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # Latin text in UTF-16BE has NUL as the high byte: at even offsets; LE at odd offsets.
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    return None


def _usable(codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _ascii_share(text: str) -> float:
    if not text:
        return 1.0
    good = sum(1 for ch in text if " " <= ch <= "~" or ch in _OK_CONTROLS)
    return good / len(text)


def looks_like_ebcdic(data: bytes) -> bool:
    """EBCDIC text has almost no bytes in the ASCII printable range but decodes to ASCII."""
    sample = data[:8192]
    if len(sample) < 16:
        return False
    ascii_bytes = sum(1 for b in sample if 0x20 <= b <= 0x7E or b in (9, 10, 13))
    if ascii_bytes > 0.5 * len(sample) or 0x40 not in sample:
        return False
    return _ascii_share(sample.decode("cp500")) >= 0.9


def readable(text: str) -> bool:
    """False when the text is mostly control characters or replacement marks (wrong codec)."""
    if not text:
        return True
    sample = text[:100_000]
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (ch < " " and ch not in _OK_CONTROLS) or "\x7f" <= ch < "\xa0"
    )
    return bad <= 0.02 * len(sample)


def _detected(data: bytes) -> list[str]:
    """charset-normalizer's candidates, best first, with Windows code pages preferred among
    equally plausible ones: on short text it ranks DOS code pages (cp775, cp857) first for what
    is nearly always cp1252 from a desktop application."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:_DETECT_BYTES]))
    if not matches:
        return []
    least_chaos = min(m.chaos for m in matches)

    def rank(n_match: tuple[int, object]) -> tuple[int, int]:
        n, m = n_match
        name = _usable(getattr(m, "encoding", "")) or ""
        tied = getattr(m, "chaos", 1.0) <= least_chaos + 0.01
        preferred = _PREFERRED.index(name) if tied and name in _PREFERRED else len(_PREFERRED)
        return (0 if tied else 1, preferred * 1000 + n)

    return [m.encoding for _n, m in sorted(enumerate(matches), key=rank)]


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, codec) for text bytes of unknown encoding; raises Problem(failed) when unreadable.

    `declared` is an encoding the file names itself (HTML meta, XML declaration); it is trusted
    only when it decodes the bytes cleanly and is not a UTF-16/32 claim without evidence."""
    if not data:
        return "", "utf-8"
    found = bom_encoding(data)
    if found:
        codec, skip = found
        return data[skip:].decode(codec, errors="replace"), codec
    wide = utf16_without_bom(data)
    if wide:
        body = data[: len(data) - len(data) % 2]
        text = body.decode(wide, errors="replace")
        if readable(text):
            return text, wide
    declared_codec = _usable(declared)
    if declared_codec and not declared_codec.startswith(("utf-16", "utf-32")):
        attempt = _try(data, declared_codec)
        if attempt is not None and "\x00" not in attempt and readable(attempt):
            return attempt, declared_codec
    attempt = _try(data, "utf-8")
    if attempt is not None and "\x00" not in attempt:
        # Valid UTF-8 beyond ASCII is almost never an accident; stray control characters in it
        # are the author's, and normalization removes them.
        return attempt, "utf-8"
    if looks_like_ebcdic(data):
        return data.decode("cp500"), "cp500"
    for codec in _detected(data):
        name = _usable(codec)
        if name is None or name.startswith(("utf-16", "utf-32")):
            continue
        if name == "cp1125":
            name = "cp866"  # same Cyrillic letters; cp866 is the common DOS Russian code page
        attempt = _try(data, name)
        if attempt is None:
            continue
        if name in _WESTERN and _try(data, "cp1252") == attempt:
            name = "cp1252"  # identical reading: report the usual Western code page
        if readable(attempt):
            return attempt, name
    for codec in ("cp1252", "latin-1"):
        attempt = _try(data, codec)
        if attempt is not None and readable(attempt):
            return attempt, codec
    raise Problem(ExtractionStatus.FAILED, UNREADABLE)
