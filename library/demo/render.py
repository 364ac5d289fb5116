"""File writers for the demo library: branded PDF (fpdf2), DOCX (python-docx), PPTX (python-pptx),
XLSX (openpyxl) and plain text, from the format-neutral document model in `content`.

Every string passes through a `Fill` function first, which puts the dates that depend on `today`
into the text ("valid until {{expires_on}}"). Output is deterministic for a given `today`: PDFs
and text files are byte-identical between runs; Office files differ only in ZIP entry times and
the "modified" stamp openpyxl always sets to now.

PDFs use fpdf2's core Helvetica, which is Latin-1 only: text is folded first (`pdf_safe`: curly
quotes, dashes, € -> EUR). Why not embed a Unicode TTF such as DejaVu Sans: parsing and
subsetting it costs ~0.15 s per PDF (over half the demo's build time), it is missing on some
machines, and all of the demo's copy (English, German, Spanish names) fits Latin-1 once folded.
Word, PowerPoint and Excel files keep the original Unicode text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from library.demo.content import (
    BookFile,
    Bullets,
    Callouts,
    DeckFile,
    DocFile,
    FileSpec,
    H,
    P,
    PageBreak,
    Quote,
    Table,
    TextFile,
)

Fill = Callable[[str], str]
RGB = tuple[int, int, int]

BRAND: RGB = (11, 79, 108)  # deep teal, the demo company's primary colour
ACCENT: RGB = (242, 165, 65)  # amber
INK: RGB = (33, 37, 41)
MUTED: RGB = (108, 117, 125)
TINT: RGB = (231, 241, 245)
WHITE: RGB = (255, 255, 255)
ON_BRAND: RGB = (205, 226, 234)

# Characters Latin-1 lacks that the demo's copy uses, and their plain equivalents.
_LATIN1_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u2212": "-",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2248": "~",
    "\u20ac": "EUR ",
    "\u2122": "(TM)",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2011": "-",
    "\u2713": "Yes",
    "\u2717": "No",
}


def pdf_safe(text: str) -> str:
    """`text` folded to Latin-1 for fpdf2's core fonts (curly quotes, dashes, € -> EUR...)."""
    out = "".join(_LATIN1_FOLD.get(ch, ch) for ch in text)
    return out.replace("EUR  ", "EUR ").encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True, slots=True)
class RenderContext:
    company: str
    today: date
    fill: Fill


def write(spec: FileSpec, folder: Path, ctx: RenderContext) -> Path:
    """Write one file of an item under `folder`; returns its path."""
    path = folder / spec.name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(spec, DocFile):
        if path.suffix == ".pdf":
            _write_pdf(spec, path, ctx)
        elif path.suffix == ".docx":
            _write_docx(spec, path, ctx)
        else:
            raise ValueError(f"{spec.name}: a document is written as .pdf or .docx")
    elif isinstance(spec, DeckFile):
        _write_pptx(spec, path, ctx)
    elif isinstance(spec, BookFile):
        _write_xlsx(spec, path, ctx)
    elif isinstance(spec, TextFile):
        path.write_text(ctx.fill(spec.text).strip() + "\n", encoding="utf-8")
    else:  # pragma: no cover - programming error
        raise TypeError(type(spec))
    return path


def _stamp(ctx: RenderContext) -> datetime:
    """The documents' creation time: 09:00 UTC on `today`, so reruns on one day match."""
    return datetime.combine(ctx.today, time(9, 0), tzinfo=UTC)


# -- PDF -------------------------------------------------------------------------------------------
def _write_pdf(spec: DocFile, path: Path, ctx: RenderContext) -> None:
    doc = _BrandedPDF(spec, ctx)
    doc.pdf.add_page()
    for block in spec.blocks:
        doc.block(block)
    doc.pdf.output(str(path))


class _BrandedPDF:
    """A thin wrapper so the FPDF subclass (which mypy cannot see typed) stays private."""

    def __init__(self, spec: DocFile, ctx: RenderContext) -> None:
        from fpdf import FPDF

        outer = self

        class _Doc(FPDF):
            def header(self) -> None:
                outer._header()

            def footer(self) -> None:
                outer._footer()

        self.spec = spec
        self.ctx = ctx
        self.pdf: Any = _Doc(format="A4")
        pdf = self.pdf
        self.family = "helvetica"
        pdf.set_margins(18, 20, 18)
        pdf.set_auto_page_break(True, 20)
        pdf.set_title(self.t(spec.title))
        pdf.set_author(self.t(ctx.company))
        pdf.set_subject(self.t(spec.subtitle or spec.label))
        if spec.keywords:
            pdf.set_keywords(self.t(", ".join(spec.keywords)))
        pdf.set_creator(self.t(f"{ctx.company} marketing"))
        pdf.set_creation_date(_stamp(ctx))
        if spec.language:
            pdf.set_lang(spec.language)
        pdf.set_text_color(*INK)

    # text ------------------------------------------------------------------------------------
    def t(self, text: str) -> str:
        return pdf_safe(self.ctx.fill(text))

    def font(self, style: str = "", size: float = 10) -> None:
        self.pdf.set_font(self.family, style, size)

    def lines(self, width: float, height: float, text: str) -> int:
        return len(self.pdf.multi_cell(width, height, text, dry_run=True, output="LINES"))

    def room(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    # page furniture ----------------------------------------------------------------------------
    def _header(self) -> None:
        pdf, spec = self.pdf, self.spec
        title = self.t(spec.title)
        if pdf.page_no() == 1:
            width = pdf.w - 36
            self.font("B", 20)
            title_lines = self.lines(width, 8.5, title)
            subtitle = self.t(spec.subtitle)
            self.font("", 11)
            sub_lines = self.lines(width, 5.5, subtitle) if subtitle else 0
            band = 20 + title_lines * 8.5 + (sub_lines * 5.5 + 3 if sub_lines else 0) + 8
            pdf.set_fill_color(*BRAND)
            pdf.rect(0, 0, pdf.w, band, "F")
            pdf.set_fill_color(*ACCENT)
            pdf.rect(0, band, pdf.w, 1.6, "F")
            pdf.set_xy(18, 10)
            self.font("B", 8.5)
            pdf.set_text_color(*ACCENT)
            pdf.cell(0, 5, self.t(f"{spec.label.upper()}   |   {self.ctx.company}"))
            pdf.set_xy(18, 18)
            self.font("B", 20)
            pdf.set_text_color(*WHITE)
            pdf.multi_cell(width, 8.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
            if subtitle:
                pdf.set_y(pdf.get_y() + 3)
                self.font("", 11)
                pdf.set_text_color(*ON_BRAND)
                pdf.multi_cell(width, 5.5, subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(band + 9)
        else:
            pdf.set_xy(18, 9)
            self.font("B", 8)
            pdf.set_text_color(*BRAND)
            pdf.cell(0, 5, self.t(self.ctx.company))
            pdf.set_xy(18, 9)
            self.font("", 8)
            pdf.set_text_color(*MUTED)
            short = title if len(title) <= 90 else title[:87] + "..."
            pdf.cell(0, 5, short, align="R")
            pdf.set_draw_color(*BRAND)
            pdf.set_line_width(0.3)
            pdf.line(18, 15.5, pdf.w - 18, 15.5)
            pdf.set_y(22)
        pdf.set_text_color(*INK)

    def _footer(self) -> None:
        pdf = self.pdf
        pdf.set_y(-13)
        self.font("", 7.5)
        pdf.set_text_color(*MUTED)
        left = self.t(self.spec.footer or f"{self.ctx.company}. All rights reserved.")
        pdf.cell(pdf.epw * 0.75, 5, left)
        page = "Seite {} von {{nb}}" if self.spec.language == "de" else "Page {} of {{nb}}"
        pdf.cell(pdf.epw * 0.25, 5, page.format(pdf.page_no()), align="R")
        pdf.set_text_color(*INK)

    # blocks ------------------------------------------------------------------------------------
    def block(self, block: object) -> None:
        pdf = self.pdf
        if isinstance(block, H):
            self.room(24 if block.level == 1 else 18)
            pdf.set_y(pdf.get_y() + (3 if block.level == 1 else 1.5))
            self.font("B", 14 if block.level == 1 else 11.5)
            pdf.set_text_color(*(BRAND if block.level == 1 else INK))
            pdf.multi_cell(0, 7 if block.level == 1 else 6, self.t(block.text), align="L")
            pdf.set_text_color(*INK)
            pdf.ln(1.5)
        elif isinstance(block, P):
            self.font("", 10)
            pdf.multi_cell(0, 5.2, self.t(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.2)
        elif isinstance(block, Bullets):
            self._bullets(block.items)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Quote):
            self._quote(block)
        elif isinstance(block, Callouts):
            self._callouts(block.items)
        elif isinstance(block, PageBreak):
            pdf.add_page()
        else:  # pragma: no cover - programming error
            raise TypeError(type(block))

    def _bullets(self, items: Sequence[str]) -> None:
        pdf = self.pdf
        self.font("", 10)
        for item in items:
            self.room(6)
            y = pdf.get_y()
            pdf.set_fill_color(*ACCENT)
            pdf.rect(pdf.l_margin + 1.2, y + 1.9, 1.6, 1.6, "F")
            pdf.set_x(pdf.l_margin + 6)
            pdf.multi_cell(pdf.epw - 6, 5.2, self.t(item), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)
        pdf.ln(1.5)

    def _table(self, table: Table) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self.room(20)
        self.font("", 8.8)
        pdf.set_draw_color(200, 210, 215)
        pdf.set_fill_color(*TINT)  # fpdf2 fills the banded rows with the current fill colour
        pdf.set_line_width(0.2)
        total = sum(table.widths) if table.widths else 0
        widths = tuple(w * pdf.epw / total for w in table.widths) if table.widths else None
        with pdf.table(
            col_widths=widths,
            width=pdf.epw,
            text_align="LEFT",
            line_height=4.6,
            padding=1.6,
            headings_style=FontFace(emphasis="BOLD", color=WHITE, fill_color=BRAND),
            cell_fill_color=TINT,
            cell_fill_mode="ROWS",
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=bool(table.header),
        ) as grid:
            for cells in [table.header, *table.rows] if table.header else table.rows:
                row = grid.row()
                for value in cells:
                    row.cell(self.t(value))
        pdf.ln(4)

    def _quote(self, quote: Quote) -> None:
        pdf = self.pdf
        text = self.t(f"“{quote.text}”")
        width = pdf.epw - 10
        self.font("I", 11.5)
        need = self.lines(width, 6, text) * 6 + 12
        self.room(need)
        y0 = pdf.get_y() + 1
        pdf.set_y(y0)
        pdf.set_text_color(*BRAND)
        pdf.set_x(pdf.l_margin + 8)
        pdf.multi_cell(width, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(pdf.l_margin + 8)
        self.font("B", 9)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(width, 5, self.t(f"— {quote.author}"), align="L")
        y1 = pdf.get_y()
        pdf.set_fill_color(*ACCENT)
        pdf.rect(pdf.l_margin, y0, 1.8, y1 - y0, "F")
        pdf.set_text_color(*INK)
        pdf.ln(4)

    def _callouts(self, items: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        n = max(1, len(items))
        gap = 4.0
        width = (pdf.epw - gap * (n - 1)) / n
        height = 30.0
        self.room(height + 4)
        y = pdf.get_y() + 1
        for i, (value, caption) in enumerate(items):
            x = pdf.l_margin + i * (width + gap)
            pdf.set_fill_color(*TINT)
            pdf.rect(x, y, width, height, "F")
            pdf.set_fill_color(*BRAND)
            pdf.rect(x, y, width, 1.2, "F")
            pdf.set_xy(x + 3, y + 4)
            self.font("B", 17 if len(value) <= 8 else 13 if len(value) <= 14 else 11)
            pdf.set_text_color(*BRAND)
            pdf.cell(width - 6, 8, self.t(value))
            pdf.set_xy(x + 3, y + 14)
            self.font("", 8.3)
            pdf.set_text_color(*INK)
            pdf.multi_cell(width - 6, 3.9, self.t(caption), align="L")
        pdf.set_y(y + height + 5)


# -- DOCX ------------------------------------------------------------------------------------------
def _write_docx(spec: DocFile, path: Path, ctx: RenderContext) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    t = ctx.fill
    doc = Document()
    props = doc.core_properties
    props.title = t(spec.title)
    props.subject = t(spec.subtitle or spec.label)
    props.author = ctx.company
    props.last_modified_by = ctx.company
    props.keywords = t(", ".join(spec.keywords))
    props.category = spec.label
    props.language = spec.language or "en"
    props.created = props.modified = _stamp(ctx).replace(tzinfo=None)
    props.revision = 1

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 24), ("Subtitle", 12), ("Heading 1", 15), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(*(BRAND if name != "Subtitle" else MUTED))
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)

    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = head.add_run(f"{ctx.company}  ·  {spec.label}")
    run.font.size, run.font.color.rgb, run.font.bold = Pt(8), RGBColor(*BRAND), True
    foot = section.footer.paragraphs[0]
    run = foot.add_run(t(spec.footer or f"{ctx.company}. All rights reserved.") + "    Page ")
    run.font.size, run.font.color.rgb = Pt(8), RGBColor(*MUTED)
    page = foot.add_run()
    page.font.size, page.font.color.rgb = Pt(8), RGBColor(*MUTED)
    _field(page, "PAGE")

    kicker = doc.add_paragraph()
    run = kicker.add_run(spec.label.upper())
    run.font.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(*ACCENT)
    doc.add_paragraph(t(spec.title), style="Title")
    if spec.subtitle:
        doc.add_paragraph(t(spec.subtitle), style="Subtitle")

    for block in spec.blocks:
        if isinstance(block, H):
            doc.add_heading(t(block.text), level=min(block.level, 3))
        elif isinstance(block, P):
            doc.add_paragraph(t(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(t(item), style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(doc, block, t)
        elif isinstance(block, Quote):
            para = doc.add_paragraph(style="Quote")
            run = para.add_run(t(f"“{block.text}”"))
            run.font.size, run.font.color.rgb = Pt(12), RGBColor(*BRAND)
            who = doc.add_paragraph()
            who.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = who.add_run(t(f"— {block.author}"))
            run.font.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(*MUTED)
        elif isinstance(block, Callouts):
            _docx_callouts(doc, block.items, t)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        else:  # pragma: no cover - programming error
            raise TypeError(type(block))
    doc.save(str(path))


def _field(run: Any, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to `run`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def _shade(cell: Any, rgb: RGB) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "{:02X}{:02X}{:02X}".format(*rgb))
    cell._tc.get_or_add_tcPr().append(shd)


def _docx_table(doc: Any, table: Table, t: Fill) -> None:
    from docx.shared import Pt, RGBColor

    rows = [table.header, *table.rows] if table.header else table.rows
    grid = doc.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = doc.styles["Table Grid"]
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            cell = grid.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(t(value))
            run.font.size = Pt(9)
            if r == 0 and table.header:
                run.font.bold = True
                run.font.color.rgb = RGBColor(*WHITE)
                _shade(cell, BRAND)
            elif r % 2 == 0:
                _shade(cell, TINT)
    doc.add_paragraph()


def _docx_callouts(doc: Any, items: Sequence[tuple[str, str]], t: Fill) -> None:
    from docx.shared import Pt, RGBColor

    grid = doc.add_table(rows=2, cols=len(items))
    for c, (value, caption) in enumerate(items):
        top, bottom = grid.cell(0, c), grid.cell(1, c)
        for cell in (top, bottom):
            _shade(cell, TINT)
        run = top.paragraphs[0].add_run(t(value))
        run.font.bold, run.font.size, run.font.color.rgb = True, Pt(18), RGBColor(*BRAND)
        run = bottom.paragraphs[0].add_run(t(caption))
        run.font.size = Pt(8.5)
    doc.add_paragraph()


# -- PPTX ------------------------------------------------------------------------------------------
def _write_pptx(spec: DeckFile, path: Path, ctx: RenderContext) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    t = ctx.fill
    prs = Presentation()
    width, height = Inches(13.333), Inches(7.5)  # 16:9
    prs.slide_width, prs.slide_height = width, height
    props = prs.core_properties
    props.title = t(spec.title)
    props.subject = t(spec.subtitle)
    props.author = ctx.company
    props.last_modified_by = ctx.company
    props.keywords = t(", ".join(spec.keywords))
    props.created = props.modified = _stamp(ctx).replace(tzinfo=None)
    props.revision = 1

    def rect(slide: Any, x: int, y: int, w: int, h: int, rgb: RGB, back: bool = False) -> Any:
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(x), Emu(y), Emu(w), Emu(h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(*rgb)
        shape.line.fill.background()
        shape.shadow.inherit = False
        if back:  # behind the placeholders, which come first in the shape tree
            tree = slide.shapes._spTree
            tree.remove(shape._element)
            tree.insert(2, shape._element)
        return shape

    def text_box(
        slide: Any, x: int, y: int, w: int, h: int, text: str, size: float, rgb: RGB, bold: bool
    ) -> Any:
        box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor(*rgb)
        return box

    def style_title(shape: Any, size: float, rgb: RGB) -> None:
        for para in shape.text_frame.paragraphs:
            para.alignment = PP_ALIGN.LEFT
            for run in para.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, RGBColor(*rgb)

    margin = Inches(0.7)
    # Cover
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    rect(cover, 0, 0, width, height, BRAND, back=True)
    rect(cover, margin, Inches(4.55), Inches(2.2), Inches(0.08), ACCENT)
    title = cover.shapes.title
    title.left, title.top, title.width, title.height = (
        margin,
        Inches(2.0),
        Inches(11.5),
        Inches(2.4),
    )
    title.text = t(spec.title)
    title.text_frame.word_wrap = True
    style_title(title, 40, WHITE)
    sub = cover.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = margin, Inches(4.8), Inches(11.5), Inches(1.2)
    sub.text = t(spec.subtitle)
    for para in sub.text_frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size, run.font.color.rgb = Pt(20), RGBColor(*ON_BRAND)
    text_box(
        cover, margin, Inches(0.6), Inches(8), Inches(0.5), ctx.company.upper(), 14, ACCENT, True
    )
    if spec.cover_notes:
        cover.notes_slide.notes_text_frame.text = t(spec.cover_notes)

    for number, s in enumerate(spec.slides, start=2):
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
        rect(slide, 0, 0, Inches(0.22), height, BRAND)
        if s.kicker:
            text_box(
                slide,
                margin,
                Inches(0.35),
                Inches(11),
                Inches(0.4),
                t(s.kicker).upper(),
                12,
                ACCENT,
                True,
            )
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = (
            margin,
            Inches(0.7),
            Inches(11.9),
            Inches(1.1),
        )
        title.text = t(s.title)
        title.text_frame.word_wrap = True
        style_title(title, 30, BRAND)
        top = Inches(2.0)
        if s.callouts:
            n = len(s.callouts)
            gap = Inches(0.3)
            w = int((width - 2 * margin - gap * (n - 1)) / n)
            for i, (value, caption) in enumerate(s.callouts):
                x = int(margin + i * (w + gap))
                rect(slide, x, top, w, Inches(1.7), TINT)
                rect(slide, x, top, w, Inches(0.07), ACCENT)
                text_box(
                    slide,
                    x + Inches(0.2),
                    top + Inches(0.2),
                    w - Inches(0.4),
                    Inches(0.7),
                    t(value),
                    30,
                    BRAND,
                    True,
                )
                text_box(
                    slide,
                    x + Inches(0.2),
                    top + Inches(0.95),
                    w - Inches(0.4),
                    Inches(0.7),
                    t(caption),
                    12,
                    INK,
                    False,
                )
            top = Inches(4.0)
        if s.bullets:
            box = slide.shapes.add_textbox(margin, top, Inches(11.9), height - top - Inches(0.9))
            frame = box.text_frame
            frame.word_wrap = True
            for i, item in enumerate(s.bullets):
                para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                _pptx_bullet(para)
                para.space_after = Pt(10)
                run = para.add_run()
                run.text = t(item)
                run.font.size = Pt(18 if len(s.bullets) <= 5 else 16)
                run.font.color.rgb = RGBColor(*INK)
        foot = f"{ctx.company}  |  {t(spec.title)}  |  {number}"
        text_box(
            slide, margin, height - Inches(0.6), Inches(11.9), Inches(0.4), foot, 10, MUTED, False
        )
        if s.notes:
            slide.notes_slide.notes_text_frame.text = t(s.notes)
    prs.save(str(path))


def _pptx_bullet(para: Any) -> None:
    """A real bullet (a:buChar) with a hanging indent, so the text itself has no '•'."""
    from pptx.oxml.ns import qn

    ppr = para._p.get_or_add_pPr()
    ppr.set("marL", "342900")
    ppr.set("indent", "-342900")
    color = ppr.makeelement(qn("a:buClr"), {})
    srgb = color.makeelement(qn("a:srgbClr"), {"val": "{:02X}{:02X}{:02X}".format(*ACCENT)})
    color.append(srgb)
    ppr.append(color)
    ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "■"}))


# -- XLSX ------------------------------------------------------------------------------------------
def _write_xlsx(spec: BookFile, path: Path, ctx: RenderContext) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    t = ctx.fill
    wb = Workbook()
    wb.properties.title = t(spec.title)
    wb.properties.subject = t(spec.subtitle)
    wb.properties.creator = ctx.company
    wb.properties.keywords = t(", ".join(spec.keywords))
    wb.properties.created = _stamp(ctx).replace(tzinfo=None)
    brand_fill = PatternFill("solid", fgColor=_hex(BRAND))
    tint_fill = PatternFill("solid", fgColor=_hex(TINT))
    input_fill = PatternFill("solid", fgColor="FDEBD0")
    first = True
    for sheet in spec.sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet.name
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                ws.cell(row=r, column=c, value=t(value) if isinstance(value, str) else value)
        ws["A1"].font = Font(bold=True, size=14, color=_hex(BRAND))
        for r in sheet.header_rows:
            for cell in ws[r]:
                if cell.value is not None:
                    cell.font = Font(bold=True, color="FFFFFF")
                    cell.fill = brand_fill
                    cell.alignment = Alignment(vertical="center", wrap_text=True)
        for r in sheet.total_rows:
            for cell in ws[r]:
                if cell.value is not None:
                    cell.font = Font(bold=True, color=_hex(BRAND))
                    cell.fill = tint_fill
        for ref in sheet.input_cells:
            ws[ref].fill = input_fill
            ws[ref].font = Font(bold=True, color=_hex(INK))
        for ref, fmt in sheet.formats.items():
            for cell in _cells(ws, ref):
                cell.number_format = fmt
        for column, w in sheet.widths.items():
            ws.column_dimensions[column].width = w
        for r in range(2, len(sheet.rows) + 1):
            for cell in ws[r]:
                if isinstance(cell.value, str) and len(cell.value) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
    wb.save(str(path))


def _hex(rgb: RGB) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def _cells(ws: Any, ref: str) -> Iterable[Any]:
    """Cells of 'B5', 'B5:D9' or a whole column 'C'."""
    if ref.isalpha():
        return list(ws[ref])
    got = ws[ref]
    if isinstance(got, tuple):
        return [c for row in got for c in (row if isinstance(row, tuple) else (row,))]
    return [got]
