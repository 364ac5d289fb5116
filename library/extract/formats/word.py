"""WordprocessingML (.docx/.docm/.dotx/.dotm, transitional and Strict): body, tables, text boxes,
headers/footers, footnotes/endnotes, ruby base text and altChunk parts.

Comments are left out on purpose: they are review chatter, not content, and must not surface in
customer-facing search. The glossary part (a template's building blocks) is left out too.
"""

from __future__ import annotations

from typing import Any

from library.extract.encodings import decode_text
from library.extract.formats.office import MainPart, core_title, is_family
from library.extract.package import Package, attr_by_local, local, namespace
from library.extract.result import Extraction
from library.extract.text import meaningful_title
from library.vocab import ExtractionStatus

WORD_NS = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
}
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# Property and bookkeeping elements: never content. w:rt is a ruby *reading* (furigana): the base
# text (w:rubyBase) is what people search for. w:delText is deleted revision text.
_SKIP = {
    "pPr", "rPr", "sectPr", "tblPr", "tblPrEx", "trPr", "tcPr", "tblGrid", "sdtPr", "sdtEndPr",
    "rubyPr", "rt", "instrText", "delText", "delInstrText", "fldChar", "footnoteReference",
    "endnoteReference", "commentReference", "annotationRef", "commentRangeStart",
    "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
}  # fmt: skip
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_HEADING_STYLES = ("title", "heading1", "berschrift1", "titre1", "titolo1", "ttulo1")
_MAX_ALT_CHUNK_BYTES = 32 << 20


class WordText:
    """Walks one WordprocessingML part and collects its text."""

    def __init__(self, package: Package, part: str) -> None:
        self.package = package
        self.part = part
        self.out: list[str] = []
        self.heading = ""

    def text(self) -> str:
        return "".join(self.out)

    def walk(self, el: Any) -> None:
        name = local(el.tag)
        if not name:
            return
        ns = namespace(el.tag)
        if ns == MC_NS and name == "AlternateContent":
            self._alternate(el)
            return
        if ns in WORD_NS:
            if name in _SKIP:
                return
            if name == "t":
                self.out.append(el.text or "")
                return
            if name == "tab":
                self.out.append("\t")
                return
            if name in ("br", "cr"):
                self.out.append("\n")
                return
            if name == "noBreakHyphen":
                self.out.append("-")
                return
            if name == "p":
                self._paragraph(el)
                return
            if name == "tr":
                self._row(el)
                return
            if name == "txbxContent":
                self.out.append("\n")
                self._children(el)
                self.out.append("\n")
                return
            if name == "altChunk":
                self._alt_chunk(el)
                return
            if name in ("footnote", "endnote") and attr_by_local(el, "type") in _NOTE_SEPARATORS:
                return
        self._children(el)

    def _children(self, el: Any) -> None:
        for c in el:
            self.walk(c)

    def _alternate(self, el: Any) -> None:
        """Markup-compatibility blocks carry the same content twice (a DrawingML Choice and a
        VML Fallback): read the first Choice, and the Fallback only if the Choice had no text."""
        choices = [c for c in el if local(c.tag) == "Choice"]
        fallback = [c for c in el if local(c.tag) == "Fallback"]
        start = len(self.out)
        for branch in choices[:1]:
            self._children(branch)
        if "".join(self.out[start:]).strip():
            return
        del self.out[start:]
        for branch in fallback[:1]:
            self._children(branch)

    def _paragraph(self, el: Any) -> None:
        start = len(self.out)
        self._children(el)
        if not self.heading:
            style = _paragraph_style(el).lower()
            if style and style.startswith(_HEADING_STYLES):
                self.heading = "".join(self.out[start:]).strip()
        self.out.append("\n")

    def _row(self, el: Any) -> None:
        cells: list[str] = []
        for cell in _cells(el):
            saved, self.out = self.out, []
            self._children(cell)
            cells.append(" ".join("".join(self.out).split()))
            self.out = saved
        self.out.append("\t".join(c for c in cells if c) + "\n")

    def _alt_chunk(self, el: Any) -> None:
        """An altChunk imports another part (usually HTML) into the body at this point."""
        rel = self.package.rel_by_id(self.part).get(attr_by_local(el, "id"))
        if rel is None or rel.external or self.package.size(rel.target) > _MAX_ALT_CHUNK_BYTES:
            return
        data = self.package.read(rel.target) or b""
        ct = self.package.content_type(rel.target).lower()
        target = rel.target.lower()
        if "html" in ct or target.endswith((".html", ".htm", ".xhtml")):
            from library.extract.formats.html import html_to_text

            text, _title = html_to_text(data)
        elif ct.startswith("text/plain") or target.endswith(".txt"):
            text, _codec = decode_text(data)
        else:
            return  # nested DOCX/RTF chunks: depth-limited by design (we read one level)
        self.out.append("\n" + text + "\n")


def _paragraph_style(p: Any) -> str:
    for ppr in p:
        if local(ppr.tag) == "pPr":
            for s in ppr:
                if local(s.tag) == "pStyle":
                    return attr_by_local(s, "val")
    return ""


def _cells(row: Any) -> list[Any]:
    """Cells of a table row, including those wrapped in content controls or custom XML."""
    found: list[Any] = []
    for c in row:
        name = local(c.tag)
        if name == "tc":
            found.append(c)
        elif name in ("sdt", "sdtContent", "customXml"):
            found.extend(_cells(c))
    return found


class WordReader:
    def can_read(self, main: MainPart) -> bool:
        return is_family(main, ("wordprocessingml", "ms-word"), "word/")

    def read(self, package: Package, main: MainPart) -> Extraction:
        body = _part_text(package, main.name)
        if body is None:
            return Extraction(ExtractionStatus.FAILED, "Corrupt file: the document part is empty.")
        sections = [body.text()]
        seen: set[str] = set()
        for rel_type in ("header", "footer", "footnotes", "endnotes"):
            for rel in package.related(main.name, rel_type):
                part = _part_text(package, rel.target)
                text = part.text().strip() if part else ""
                # Title-page, even and default headers often repeat: index each text once.
                if text and text not in seen:
                    seen.add(text)
                    sections.append(text)
        return Extraction(
            ExtractionStatus.OK,
            text="\n\n".join(sections),
            title=meaningful_title(core_title(package)) or body.heading,
            page_count=_app_pages(package),
        )


def _part_text(package: Package, part: str) -> WordText | None:
    root = package.xml(part)
    if root is None:
        return None
    walker = WordText(package, part)
    walker.walk(root)
    return walker


def _app_pages(package: Package) -> int | None:
    """Pages as last saved by Word (docProps/app.xml); None when absent or nonsense."""
    part = next((r.target for r in package.related("", "extended-properties")), "docProps/app.xml")
    root = package.xml(part) if package.has(part) else None
    if root is None:
        return None
    for el in root:
        if local(el.tag) == "Pages" and (el.text or "").strip().isdigit():
            pages = int((el.text or "").strip())
            return pages if 0 < pages < 100_000 else None
    return None
