"""Text clean-up shared by all formats: Unicode normalization, capping, title, summary.

Every extractor returns raw text; `finalize` turns it into what the library stores, so the rules
(NFKC, no control characters, the cap, how a title or summary is picked) live in one place.
"""

from __future__ import annotations

import re
import unicodedata

from library.extract.language import guess_language
from library.extract.result import PAGE_BREAK, TEXT_CAP_CHARS, Extraction

# C0/C1 controls except TAB, LF and FF (our page break), lone surrogates (cannot be stored as
# UTF-8) and zero-width characters that only split words for search. ZWJ stays: emoji need it.
_JUNK = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ud800-\udfff\u200b\u200e\u200f\ufeff\ufffe]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACE_RUNS = re.compile(r"[ \u00a0\u2000-\u200a\u3000]{2,}")

# Titles that tools write when the author gave none: never worth showing.
_PLACEHOLDER_TITLES = {
    "untitled",
    "untitled document",
    "document",
    "new document",
    "title",
    "no title",
    "presentation",
    "powerpoint presentation",
    "slide 1",
    "book1",
    "sheet1",
    "workbook",
    "(anonymous)",
    "microsoft word document",
}
_TOOL_TITLE = re.compile(r"^(microsoft (word|powerpoint|excel)|powerpoint|word)\s*-\s*", re.I)
_FILENAME_LIKE = re.compile(
    r"(^|[\\/])[^\\/]*\.(docx?|dotx?|docm|pptx?|ppsx|pptm|xlsx?|xlsm|pdf|txt|md|rtf|html?|csv|"
    r"indd|qxp|ps|eps|tex|dvi|odt|odp|ods|pages|key|numbers|jpe?g|png|tiff?|gif|bmp)$",
    re.I,
)
# "Presentation1", "Document3", "Book1": the names Office gives new files.
_DEFAULT_NAME = re.compile(r"^(presentation|document|book|sheet|untitled|doc|slide)\s*\d*$", re.I)
_PAGE_LINE = re.compile(r"^(page|seite|p\.)\s*\d+(\s*(/|of|von)\s*\d+)?$", re.I)
_LINES = re.compile(r"[\n\f]")
_SENTENCE_END = re.compile(r"[.!?。！？]\s")
SUMMARY_MIN_CHARS = 40
SUMMARY_MAX_CHARS = 400


def normalize(text: str) -> str:
    """NFKC ("ﬁ" -> "fi", full-width -> ASCII), no control characters, tidy whitespace.

    Page breaks (\\f) are kept; each page is stripped of blank lines at its edges."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\x85", "\n").replace("\v", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = _JUNK.sub("", text)
    text = _SPACE_RUNS.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    pages = [p.strip(" \n\t") for p in text.split(PAGE_BREAK)]
    return PAGE_BREAK.join(pages) if any(pages) else ""


def cap(text: str, limit: int = TEXT_CAP_CHARS) -> tuple[str, int, bool]:
    """(kept text, length before capping, whether it was cut)."""
    if len(text) <= limit:
        return text, len(text), False
    return text[:limit], len(text), True


def meaningful_title(title: str) -> str:
    """`title` tidied, or "" when it is a placeholder, a tool's default or a file name."""
    t = " ".join(unicodedata.normalize("NFKC", title or "").split()).strip(" -_:|")
    if not t or len(t) > 200:
        return ""
    if t.casefold() in _PLACEHOLDER_TITLES or _TOOL_TITLE.match(t) or _FILENAME_LIKE.search(t):
        return ""
    if _DEFAULT_NAME.match(t) or _PAGE_LINE.match(t) or (t.startswith("[") and t.endswith("]")):
        return ""  # Office's default names, page furniture, template placeholders
    if sum(ch.isalpha() for ch in t) < 2:
        return ""
    return t


def first_heading(text: str) -> str:
    """The first short, title-like line near the start of the text ("" when none)."""
    for n, line in enumerate(_LINES.split(text[:20_000])):
        if n > 60:
            break
        line = " ".join(line.split()).lstrip("#").strip()
        if 3 <= len(line) <= 120 and not line.lower().startswith(("http://", "https://")):
            title = meaningful_title(line)
            letters = sum(ch.isalpha() for ch in title)
            if title and letters >= max(3, len(title) // 3):
                return title
    return ""


def first_paragraph(text: str, title: str = "") -> str:
    """The first prose paragraph (>= 40 chars, not a heading), cut to ~400 chars."""
    for n, raw in enumerate(_LINES.split(text[:200_000])):
        if n > 2000:
            break
        line = " ".join(raw.split())
        weight = _weight(line)
        if weight < SUMMARY_MIN_CHARS or line == title:
            continue
        words = line.split()
        letters = sum(ch.isalpha() for ch in line)
        if letters < len(line) // 2:
            continue  # numbers, tables, code
        # A heading: no sentence punctuation and few words (CJK has no spaces: judge by length).
        if len(words) < 8 and not re.search(r"[.!?,;:。、]", line) and weight < 80:
            continue
        return trim_summary(line)
    return ""


def _weight(line: str) -> int:
    """Length with each CJK character counted twice: one carries about a word."""
    return len(line) + sum(
        1 for ch in line if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
    )


def trim_summary(paragraph: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """Cut at the last sentence end before `limit`, else at a word boundary with an ellipsis."""
    if len(paragraph) <= limit:
        return paragraph
    head = paragraph[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]].strip()
    cut = head.rfind(" ")
    if cut < limit // 2:
        cut = limit
    return head[:cut].rstrip(" ,;:-") + "…"


def finalize(ext: Extraction, *, prose: bool = True) -> Extraction:
    """Normalize, cap and describe the text of `ext` in place; returns `ext`.

    `prose=False` (spreadsheets, CSV) skips the summary: a row of cells is not a paragraph."""
    text = normalize(ext.text)
    ext.title = meaningful_title(ext.title)
    if not ext.title and prose:
        ext.title = first_heading(text)
    if prose and not ext.summary:
        ext.summary = first_paragraph(text, ext.title)
    else:
        ext.summary = trim_summary(" ".join(normalize(ext.summary).split()))
    ext.language = ext.language or guess_language(text)
    ext.text, chars, cut = cap(text)
    # A reader that stopped storing text early (huge sheets) reports what it counted.
    ext.text_chars = max(chars, ext.text_chars)
    ext.text_truncated = cut or ext.text_truncated or ext.text_chars > len(ext.text)
    return ext
