"""PresentationML (.pptx/.pptm/.ppsx/.potx): slide text in presentation order plus speaker notes.

Each slide's text (shapes, groups, tables) is followed by its notes; slides are joined by the page
break. Slide-number, date and footer placeholders are dropped: they repeat on every slide.
"""

from __future__ import annotations

from typing import Any

from library.extract.formats.office import MainPart, core_title, is_family
from library.extract.package import Package, local, namespace, rel_id
from library.extract.result import PAGE_BREAK, Extraction, out_of_time
from library.extract.text import meaningful_title
from library.vocab import ExtractionStatus

DRAWING_NS = {
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/main",
}
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIP = {"pPr", "rPr", "endParaRPr", "bodyPr", "lstStyle", "tcPr", "tblPr", "tblGrid"}
_BOILERPLATE_PLACEHOLDERS = {"sldNum", "dt", "ftr", "hdr", "sldImg"}
_TITLE_PLACEHOLDERS = {"title", "ctrTitle"}


class SlideText:
    """Walks one slide (or notes) part and collects the text of its shapes."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.title = ""

    def text(self) -> str:
        return "".join(self.out).strip()

    def walk(self, el: Any) -> None:
        name = local(el.tag)
        if not name:
            return
        ns = namespace(el.tag)
        if ns == MC_NS and name == "AlternateContent":
            branches = [c for c in el if local(c.tag) in ("Choice", "Fallback")]
            for branch in branches[:1]:  # same content twice: read one branch
                self._children(branch)
            return
        if name == "sp":
            kind = _placeholder_type(el)
            if kind in _BOILERPLATE_PLACEHOLDERS:
                return
            start = len(self.out)
            self._children(el)
            if kind in _TITLE_PLACEHOLDERS and not self.title:
                self.title = " ".join("".join(self.out[start:]).split())
            self.out.append("\n")
            return
        if ns in DRAWING_NS:
            if name in _SKIP:
                return
            if name == "t":
                self.out.append(el.text or "")
                return
            if name == "br":
                self.out.append("\n")
                return
            if name == "p":
                self._children(el)
                self.out.append("\n")
                return
            if name == "tr":
                cells = []
                for cell in el:
                    if local(cell.tag) == "tc":
                        sub = SlideText()
                        sub._children(cell)
                        cells.append(" ".join(sub.text().split()))
                self.out.append("\t".join(c for c in cells if c) + "\n")
                return
        self._children(el)

    def _children(self, el: Any) -> None:
        for c in el:
            self.walk(c)


def _placeholder_type(shape: Any) -> str:
    """The placeholder type of a p:sp ("title", "body", "sldNum"...), "" for other shapes."""
    for nv in shape:
        if local(nv.tag) != "nvSpPr":
            continue
        for pr in nv:
            if local(pr.tag) != "nvPr":
                continue
            for ph in pr:
                if local(ph.tag) == "ph":
                    return ph.get("type") or "body"
    return ""


def slide_parts(package: Package, main: str) -> list[str]:
    """Slide part names in presentation order (p:sldIdLst), skipping dangling references."""
    root = package.xml(main)
    rels = package.rel_by_id(main)
    order: list[str] = []
    if root is not None:
        for lst in root:
            if local(lst.tag) != "sldIdLst":
                continue
            for sld in lst:
                rel = rels.get(rel_id(sld))
                if rel is not None and not rel.external and package.has(rel.target):
                    order.append(rel.target)
    if not order and root is not None and not any(local(c.tag) == "sldIdLst" for c in root):
        # No slide list at all (unusual writers): fall back to the relationship order.
        order = [r.target for r in package.related(main, "slide") if package.has(r.target)]
    return list(dict.fromkeys(order))  # a slide listed twice is read once


class PresentationReader:
    def can_read(self, main: MainPart) -> bool:
        return is_family(main, ("presentationml", "ms-powerpoint"), "ppt/")

    def read(self, package: Package, main: MainPart) -> Extraction:
        slides = slide_parts(package, main.name)
        pages: list[str] = []
        first_title = ""
        stopped = False
        for part in slides:
            if out_of_time():
                stopped = True
                break
            walker = SlideText()
            root = package.xml(part)
            if root is not None:
                walker.walk(root)
            first_title = first_title or walker.title
            text = walker.text()
            for rel in package.related(part, "notesSlide"):
                notes = SlideText()
                notes_root = package.xml(rel.target)
                if notes_root is not None:
                    notes.walk(notes_root)
                if notes.text():
                    text = f"{text}\n\n{notes.text()}" if text else notes.text()
                break
            pages.append(text)
        ext = Extraction(
            ExtractionStatus.OK,
            text=PAGE_BREAK.join(pages),
            page_count=len(slides),
            title=meaningful_title(core_title(package)) or first_title,
        )
        if stopped:
            ext.status = ExtractionStatus.PARTIAL
            ext.reason = (
                f"Partly read: stopped after {len(pages)} of {len(slides)} slides because the "
                "file took too long."
            )
        return ext
