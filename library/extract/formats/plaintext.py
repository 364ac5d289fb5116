"""Plain text, Markdown and CSV: decode (whatever the encoding) and keep the text as it is."""

from __future__ import annotations

from pathlib import Path

from library.extract.encodings import bom_encoding, decode_text, utf16_without_bom
from library.extract.registry import FormatExtractor, media_type_for, suffixes
from library.extract.result import Extraction, Problem
from library.vocab import ExtractionStatus

TEXT_EXTENSIONS = suffixes(
    ".txt .text .md .markdown .csv .tsv .log .rst .json .yaml .yml .ini .cfg .srt .vtt"
)
MAX_TEXT_BYTES = 256 << 20  # a "text file" bigger than this is a log dump, not content


def looks_textual(head: bytes) -> bool:
    """No NULs (or the NUL pattern of UTF-16) and few control bytes: probably text."""
    if not head:
        return False
    if bom_encoding(head) or utf16_without_bom(head):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(head) * 0.01


class PlainTextExtractor(FormatExtractor):
    label = "text file"
    extensions = TEXT_EXTENSIONS

    def sniff(self, head: bytes) -> bool:
        return False  # text has no magic: chosen by extension, or as the last resort below

    def can_extract(self, name: str, head: bytes) -> bool:
        return Path(name).suffix.lower() in self.extensions or looks_textual(head)

    def extract(self, path: Path, password: str | None) -> Extraction:
        media_type = media_type_for(path.name)
        if media_type == "application/octet-stream":
            media_type = "text/plain"
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise Problem(
                ExtractionStatus.UNSUPPORTED,
                "Refused: the text file is larger than 256 MB; it is catalogued without text.",
                media_type=media_type,
            )
        data = path.read_bytes()
        try:
            text, _codec = decode_text(data)
        except Problem as p:
            p.media_type = media_type
            raise
        title = ""
        if media_type == "text/markdown":
            title = _markdown_title(text)
        return Extraction(ExtractionStatus.OK, text=text, media_type=media_type, title=title)


def _markdown_title(text: str) -> str:
    """The first ATX heading ("# Title") of a Markdown document."""
    for line in text.splitlines()[:50]:
        stripped = line.strip()
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip()
    return ""


class RtfExtractor(FormatExtractor):
    """RTF is recognised so it gets an honest status instead of being indexed as markup."""

    label = "RTF document"
    magic = (b"{\\rtf",)
    extensions = frozenset({".rtf"})

    def extract(self, path: Path, password: str | None) -> Extraction:
        raise Problem(
            ExtractionStatus.UNSUPPORTED,
            "RTF documents are not read yet; save it as .docx or PDF to make its text searchable.",
            media_type="application/rtf",
        )
