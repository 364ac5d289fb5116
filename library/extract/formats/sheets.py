"""SpreadsheetML (.xlsx/.xlsm/.xltx, transitional and ISO Strict): cell values, sheet by sheet.

Parsed directly and incrementally instead of with openpyxl: openpyxl reports zero sheets for
Strict files without an error, and loads whole sheets into memory. Phonetic guides (x:rPh, the
katakana readings of Japanese cells) are dropped so "豊田車会社" is not stored as
"豊田車会社トヨタクルマカイシャ".
"""

from __future__ import annotations

import re
from typing import Any

from library.extract.formats.office import MainPart, core_title, is_family
from library.extract.package import Package, iter_xml, local, rel_id
from library.extract.result import PAGE_BREAK, TEXT_CAP_CHARS, Extraction, Problem, out_of_time
from library.extract.text import meaningful_title
from library.vocab import ExtractionStatus

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape for characters XML cannot hold
_ROWS_PER_TIME_CHECK = 500


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def rich_text(si: Any) -> str:
    """Text of a shared/inline string: its <t> and runs' <t>, never phonetic runs (<rPh>)."""
    parts: list[str] = []
    for c in si:
        name = local(c.tag)
        if name == "t":
            parts.append(c.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in c if local(t.tag) == "t")
    return _unescape("".join(parts))


class _Budget:
    """Counts all text but keeps only what fits under the cap (huge sheets stay cheap)."""

    def __init__(self) -> None:
        self.kept = 0
        self.seen = 0

    def take(self, text: str) -> bool:
        self.seen += len(text) + 1
        if self.kept > TEXT_CAP_CHARS:
            return False
        self.kept += len(text) + 1
        return True


def _shared_strings(package: Package, part: str | None) -> list[str]:
    strings: list[str] = []
    if part is None or not package.has(part):
        return strings
    for el in iter_xml(package, part):
        if local(el.tag) == "si":
            strings.append(rich_text(el))
            el.clear()
    return strings


def _cell_value(c: Any, shared: list[str]) -> str:
    kind = c.get("t") or "n"
    value = ""
    for sub in c:
        name = local(sub.tag)
        if name == "v":
            value = sub.text or ""
        elif name == "is":
            return rich_text(sub).strip()
    if kind == "s":
        try:
            return shared[int(value)].strip()
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if value.strip() == "1" else "FALSE"
    if kind == "e":
        return ""  # #DIV/0! and friends are not content
    return _unescape(value).strip()


def _sheet_text(
    package: Package, part: str, shared: list[str], budget: _Budget
) -> tuple[str, bool]:
    """(text of one worksheet, whether it stopped early for time)."""
    lines: list[str] = []
    cells: list[str] = []
    rows = 0
    for el in iter_xml(package, part):
        name = local(el.tag)
        if name == "c":
            value = _cell_value(el, shared)
            if value:
                cells.append(value)
            el.clear()
        elif name == "row":
            if cells:
                line = "\t".join(cells)
                if budget.take(line):
                    lines.append(line)
                cells = []
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
            rows += 1
            if rows % _ROWS_PER_TIME_CHECK == 0 and out_of_time():
                return "\n".join(lines), True
    return "\n".join(lines), False


class WorkbookReader:
    def can_read(self, main: MainPart) -> bool:
        return is_family(main, ("spreadsheetml", "ms-excel"), "xl/")

    def read(self, package: Package, main: MainPart) -> Extraction:
        root = package.xml(main.name)
        if root is None:
            raise Problem(ExtractionStatus.FAILED, "Corrupt file: the workbook part is missing.")
        rels = package.rel_by_id(main.name)
        listed: list[tuple[str, str]] = []
        for group in root:
            if local(group.tag) == "sheets":
                listed += [
                    (s.get("name") or "", rel_id(s)) for s in group if local(s.tag) == "sheet"
                ]
        if not listed:
            # Never report "0 sheets, ok": that is exactly how openpyxl fails on Strict files.
            raise Problem(ExtractionStatus.FAILED, "Corrupt file: the workbook lists no sheets.")
        shared_part = next((r.target for r in package.related(main.name, "sharedStrings")), None)
        shared = _shared_strings(package, shared_part)
        budget = _Budget()
        pages: list[str] = []
        stopped = False
        for name, rid in listed:
            rel = rels.get(rid)
            text = ""
            if rel is not None and rel.type == "worksheet" and package.has(rel.target):
                text, stopped = _sheet_text(package, rel.target, shared, budget)
            pages.append(f"{name}\n{text}".strip())
            if stopped:
                break
        ext = Extraction(
            ExtractionStatus.OK,
            text=PAGE_BREAK.join(pages),
            page_count=len(listed),
            title=meaningful_title(core_title(package)),
            text_chars=budget.seen if budget.seen > budget.kept else 0,
        )
        if stopped:
            ext.status = ExtractionStatus.PARTIAL
            ext.reason = (
                f"Partly read: stopped in sheet {len(pages)} of {len(listed)} because the file "
                "took too long."
            )
        return ext
