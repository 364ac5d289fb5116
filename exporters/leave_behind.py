"""The leave-behind: a branded, personalized DOCX (and PDF) a rep leaves with a customer.

    report = export_leave_behind(lib, ExportRequest(keys, Path("acme.docx"), customer="ACME"))

Layout: a cover (logos, "Prepared for ...", date, intro, contents, contacts), one section per item
in a readable order (case studies: challenge / solution / results table / quote; collateral:
summary and key points), the original files listed as attachments, then validity, disclaimer and
provenance on the last page. Headers/footers carry the brand and "Page X of Y".

Everything is done with paragraph, character and table *styles* (Title, Heading 1/2, List
Bullet, Table Grid, Intense Quote, Strong and a few custom ones such as "Lead", "Kicker" and
"Small Print"), set from the brand kit, so a recipient can edit the document cleanly; there is
no direct character formatting (the only direct properties are a page break before the first
section and an unsplittable row around the closing block).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENTATION
from docx.shared import Cm, Emu, Pt

from exporters import docx_kit as kit
from exporters.base import (
    ExportedItem,
    ExportFormat,
    ExportReport,
    ExportRequest,
    Steps,
    check_destination,
    check_request,
    check_shareable,
    publish,
    register_format,
    temp_outputs,
    temp_path_beside,
    write_errors,
)
from exporters.content import ExportItem, LeaveBehindContent, load_content, long_date
from library.errors import InvalidInput
from library.progress import Cancel, ProgressCallback
from library.vocab import Kind

if TYPE_CHECKING:
    from library.core import Library

log = logging.getLogger(__name__)

TEXT = "333333"  # body text: dark grey reads softer than black
MUTED = "6B7280"
RULE = "D5DAE1"
WHITE = "FFFFFF"
PAPER = {"A4": (Cm(21.0), Cm(29.7)), "Letter": (Cm(21.59), Cm(27.94))}
# Built-in styles the renderer uses; a reference DOCX lacking one gets python-docx's copy.
BUILTIN_STYLES = [
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "List Bullet",
    "List Number",
    "Intense Quote",
    "Table Grid",
    "Subtle Emphasis",
    "Strong",
]


@dataclass(slots=True)
class _Geometry:
    text_width_twips: int
    text_width_pt: float


# -- public API ----------------------------------------------------------------------------------
def export_leave_behind(
    lib: Library,
    req: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ExportReport:
    """Check the share rules, write the DOCX (and PDF when asked) and record the export.

    Raises ExportRefused (nothing written) when a rule refuses an item, ExportCancelled when
    `cancel` is set before the files are published. A PDF that cannot be made (LibreOffice
    missing or failing) leaves the DOCX written and a sentence in `warnings`. `progress` gets
    a `Progress` per step (from the calling thread)."""
    from exporters import pdf

    started = time.monotonic()
    steps = Steps(progress, cancel, 4 if req.pdf else 3)
    today = req.today or date.today()
    out = check_destination(req.out, ".docx")
    if not req.customer.strip():
        raise InvalidInput("Say who the leave-behind is for (--customer NAME).")
    check_request(req)
    steps.step("Checking the share rules")
    check_shareable(lib, req.keys, req.recipient, today)
    content = load_content(
        lib,
        req.keys,
        customer=req.customer,
        partner=req.partner,
        watermark=req.watermark,
        intro=req.intro,
        today=today,
    )
    warnings: list[str] = []
    pdf_path: Path | None = None
    with temp_outputs() as temps, write_errors(out):
        steps.step("Writing the document")
        tmp_docx = temp_path_beside(out)
        temps.append(tmp_docx)
        render(content, tmp_docx)
        moves = [(tmp_docx, out)]
        if req.pdf:
            steps.step("Making the PDF with LibreOffice")
            pdf_dest = out.with_suffix(".pdf")
            tmp_pdf = temp_path_beside(pdf_dest)
            temps.append(tmp_pdf)
            try:
                pdf.docx_to_pdf(tmp_docx, tmp_pdf, cancel=cancel)
                moves.append((tmp_pdf, pdf_dest))
                pdf_path = pdf_dest
            except (pdf.PdfUnavailable, pdf.PdfFailed) as e:
                warnings.append(str(e))
        items = exported_items(content)
        steps.step("Saving")  # the last point where Cancel still leaves nothing behind
        publish(
            lib,
            moves,
            items,
            {
                "format": "leave-behind",
                "files": [dest.name for _, dest in moves],
                "recipient": req.recipient,
                "customer": content.customer,
                "partner": content.partner.name if content.partner else None,
                "valid_until": content.valid_until,
                "export_id": content.export_id,
                "watermark": content.watermark or None,
            },
        )
    steps.finish(f"Wrote {out.name}")
    return ExportReport(
        format="leave-behind",
        out=str(out),
        recipient=req.recipient,
        customer=content.customer,
        partner=content.partner.name if content.partner else None,
        valid_until=content.valid_until,
        export_id=content.export_id,
        items=items,
        files=[str(dest) for _, dest in moves],
        pdf=str(pdf_path) if pdf_path else None,
        warnings=warnings,
        seconds=round(time.monotonic() - started, 3),
    )


def exported_items(content: LeaveBehindContent) -> list[ExportedItem]:
    return [
        ExportedItem(i.key, i.title, i.kind, i.format, i.version, i.audience, i.expires_on)
        for i in content.items
    ]


def render(content: LeaveBehindContent, dest: Path) -> None:
    """Write the leave-behind DOCX for `content` to `dest` (the caller renames it into place)."""
    import docx

    if content.reference_docx is not None:
        doc = docx.Document(str(content.reference_docx))
        kit.clear_body(doc)
        kit.copy_missing_styles(doc, BUILTIN_STYLES)
        restyle_builtins = False
    else:
        doc = docx.Document()
        restyle_builtins = True
    geo = _page_setup(doc, content, set_size=restyle_builtins)
    _styles(doc, content, geo, restyle_builtins)
    _header_footer(doc, content, geo)
    _cover(doc, content, geo)
    for n, item in enumerate(content.items):
        _section(doc, item, content, new_page=(n == 0))
    _attachments(doc, content)
    _closing(doc, content, geo)
    _properties(doc, content)
    kit.unique_drawing_ids(doc)
    doc.save(str(dest))


# -- page and styles -----------------------------------------------------------------------------
def _page_setup(doc: DocxDocument, content: LeaveBehindContent, *, set_size: bool) -> _Geometry:
    section = doc.sections[0]
    if set_size:
        width, height = PAPER.get(content.brand.paper, PAPER["A4"])
        section.orientation = WD_ORIENTATION.PORTRAIT
        section.page_width, section.page_height = width, height
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.2)
        section.header_distance, section.footer_distance = Cm(1.1), Cm(1.0)
    section.different_first_page_header_footer = True
    page_w = section.page_width or Cm(21.0)
    text_w = Emu(page_w - (section.left_margin or 0) - (section.right_margin or 0))
    return _Geometry(text_width_twips=int(text_w.twips), text_width_pt=float(text_w.pt))


def _styles(
    doc: DocxDocument, content: LeaveBehindContent, geo: _Geometry, restyle_builtins: bool
) -> None:
    b = content.brand
    head, body, primary, accent = b.heading_font, b.body_font, b.primary_color, b.secondary_color
    s = doc.styles
    if restyle_builtins:
        _doc_defaults_font(doc, body)
        normal = s["Normal"]
        kit.style_font(normal, font=body, size=10, color=TEXT)
        pf = normal.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(6), 1.2

        title = s["Title"]
        kit.style_no_border(title)
        kit.style_font(title, font=head, size=30, color=primary, bold=True, tracking=-0.5)
        title.paragraph_format.space_before = Pt(4)
        title.paragraph_format.space_after = Pt(8)
        title.paragraph_format.line_spacing = 1.0

        sub = s["Subtitle"]
        kit.style_font(sub, font=head, size=13, color=MUTED, italic=False, tracking=0)
        sub.paragraph_format.space_after = Pt(28)

        h1 = s["Heading 1"]
        kit.style_font(h1, font=head, size=19, color=primary, bold=True)
        kit.style_border(h1, "top", RULE, size=0.75, space=14)  # a rule opens each section
        h1.paragraph_format.space_before, h1.paragraph_format.space_after = Pt(30), Pt(4)
        h1.paragraph_format.line_spacing = 1.05

        h2 = s["Heading 2"]
        kit.style_font(h2, font=head, size=11, color=primary, bold=True)
        h2.paragraph_format.space_before, h2.paragraph_format.space_after = Pt(12), Pt(3)

        for name in ("List Bullet", "List Number"):
            lp = s[name].paragraph_format
            lp.space_after = Pt(3)

        quote = s["Intense Quote"]
        kit.style_no_border(quote)
        kit.style_border(quote, "left", accent, size=3, space=10)
        kit.style_font(quote, font=head, size=12.5, color=primary, bold=False, italic=True)
        qf = quote.paragraph_format
        qf.left_indent, qf.right_indent = Cm(0.5), Cm(0.5)
        qf.space_before, qf.space_after, qf.line_spacing = Pt(14), Pt(2), 1.25
        qf.keep_with_next = True  # never part a quote from its source

        kit.style_font(s["Subtle Emphasis"], color=MUTED, italic=False)
    # Always, even on a reference document: the header row's text is white ("Table Heading"),
    # so the fill must be ours too or a template's plain grid would hide the column names.
    kit.table_style_header(s["Table Grid"], fill=primary, text_color=WHITE, border=RULE)

    # Our own styles: created when missing, always in brand colours.
    eyebrow = kit.paragraph_style(doc, "Eyebrow")
    kit.style_font(eyebrow, font=head, size=8.5, color=accent, bold=True, caps=True, tracking=1)
    kit.style_border(eyebrow, "top", RULE, size=0.75, space=12)
    ef = eyebrow.paragraph_format
    ef.space_before, ef.space_after, ef.keep_with_next = Pt(26), Pt(2), True

    kicker = kit.paragraph_style(doc, "Cover Kicker")
    kit.style_font(kicker, font=head, size=9, color=accent, bold=True, caps=True, tracking=1.5)
    kicker.paragraph_format.space_before, kicker.paragraph_format.space_after = Pt(100), Pt(0)
    kicker.paragraph_format.keep_with_next = True

    lead = kit.paragraph_style(doc, "Lead")
    kit.style_font(lead, size=11.5, color="404040")
    lead.paragraph_format.space_after, lead.paragraph_format.line_spacing = Pt(10), 1.3
    # Not "keep with next": LibreOffice (7.x) honours keep-with-next chains of two paragraphs
    # only; Heading 1 -> Lead is the chain, so a section's head still never ends a page.

    kicker_run = kit.character_style(doc, "Kicker")  # the format line under a section title
    kit.style_font(kicker_run, font=head, size=8.5, color=accent, bold=True, caps=True, tracking=1)

    source = kit.paragraph_style(doc, "Quote Source")
    kit.style_font(source, size=9, color=MUTED, bold=True)
    source.paragraph_format.left_indent = Cm(0.5)
    source.paragraph_format.space_after = Pt(12)

    meta = kit.paragraph_style(doc, "Meta")
    kit.style_font(meta, size=8.5, color=MUTED)
    meta.paragraph_format.space_before, meta.paragraph_format.space_after = Pt(8), Pt(4)

    small = kit.paragraph_style(doc, "Small Print")
    kit.style_font(small, size=7.5, color=MUTED)
    small.paragraph_format.space_after, small.paragraph_format.line_spacing = Pt(5), 1.15

    validity = kit.paragraph_style(doc, "Validity")
    kit.style_font(validity, font=head, size=14, color=primary, bold=True)
    validity.paragraph_format.space_before, validity.paragraph_format.space_after = Pt(4), Pt(6)

    brand_name = kit.paragraph_style(doc, "Brand Name")
    kit.style_font(brand_name, font=head, size=15, color=primary, bold=True)
    kit.style_tabs(brand_name, [("right", geo.text_width_twips)])

    logos = kit.paragraph_style(doc, "Cover Logos")
    kit.style_tabs(logos, [("right", geo.text_width_twips)])
    logos.paragraph_format.space_after = Pt(0)

    contact = kit.paragraph_style(doc, "Contact")
    kit.style_font(contact, size=9.5)
    contact.paragraph_format.space_after, contact.paragraph_format.line_spacing = Pt(0), 1.25

    # Headers/footers use styles of their own (based on Normal, not on Header/Footer) so a
    # reference document's header tab stops cannot push the page number to the middle.
    center, right = geo.text_width_twips // 2, geo.text_width_twips
    page_header = kit.paragraph_style(doc, "Page Header")
    kit.style_font(page_header, size=8, color=MUTED)
    kit.style_tabs(page_header, [("center", center), ("right", right)])
    page_footer = kit.paragraph_style(doc, "Page Footer")
    kit.style_font(page_footer, size=8, color=MUTED)
    kit.style_tabs(page_footer, [("right", right)])
    kit.style_border(page_footer, "top", RULE, size=0.5, space=6)
    for st in (page_header, page_footer):
        st.paragraph_format.space_after, st.paragraph_format.line_spacing = Pt(0), 1.0

    # Table text gets paragraph styles of its own: the table style's header colour would lose
    # against Normal's colour in LibreOffice (Word and LibreOffice resolve that differently).
    cell = kit.paragraph_style(doc, "Table Text")
    kit.style_font(cell, size=9.5)
    cell.paragraph_format.space_before, cell.paragraph_format.space_after = Pt(2), Pt(2)
    cell.paragraph_format.line_spacing = 1.1
    cell_head = kit.paragraph_style(doc, "Table Heading", base="Table Text")
    kit.style_font(cell_head, size=9, color=WHITE, bold=True)

    kit.block_table_style(doc, "Closing Block")

    contact_name = kit.paragraph_style(doc, "Contact Name", base="Contact")
    kit.style_font(contact_name, size=10.5, color=primary, bold=True)


def _doc_defaults_font(doc: DocxDocument, font: str) -> None:
    """Point the document defaults at the body font too (tables and lists inherit from them)."""
    from docx.oxml.ns import qn

    rfonts = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    if rfonts is not None:
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "cs"):
            rfonts.set(qn(f"w:{attr}"), font)


# -- header, footer, watermark -------------------------------------------------------------------
def _has_content(part: Any) -> bool:
    return any(p.text.strip() for p in part.paragraphs) or bool(
        part._element.xpath(".//w:drawing | .//w:pict")
    )


def _header_footer(doc: DocxDocument, content: LeaveBehindContent, geo: _Geometry) -> None:
    section = doc.sections[0]
    b = content.brand
    footer_line = " · ".join(x for x in (b.footer_text or b.company_name, b.website) if x)

    header = section.header
    if not _has_content(header):
        p = header.paragraphs[0]
        p.style = doc.styles["Page Header"]
        # ours left, the title centred (co-branded) or right, the partner's logo right
        _logo_runs(
            p,
            content,
            height=Cm(0.75),
            max_width=Cm(3.6),
            text_fallback=b.company_name,
            between="\t" + content.title + "\t",
        )
        if content.partner is None:
            p.add_run("\t\t" + content.title)
    first_header = section.first_page_header
    if content.watermark:
        for n, part in enumerate((header, first_header), start=1):
            target = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
            if part is first_header and not target.text:
                target.style = doc.styles["Normal"]  # the cover has no header line
            kit.add_watermark(
                target,
                content.watermark,
                font=b.heading_font,
                color="A6A6A6",
                width_pt=geo.text_width_pt,
                shape_id=n,
            )

    footer = section.footer
    if not _has_content(footer):
        p = footer.paragraphs[0]
        p.style = doc.styles["Page Footer"]
        p.add_run(footer_line + "\tPage ")
        kit.add_field(p, "PAGE", "2")
        p.add_run(" of ")
        kit.add_field(p, "NUMPAGES", "2")
    first_footer = section.first_page_footer
    if not _has_content(first_footer):
        p = first_footer.paragraphs[0]
        p.style = doc.styles["Page Footer"]
        p.add_run(footer_line)


def _logo_runs(
    paragraph: Any,
    content: LeaveBehindContent,
    *,
    height: Any,
    max_width: Any,
    text_fallback: str,
    between: str = "\t",
) -> None:
    """Our logo (or name) and, co-branded, `between` and the partner's logo (or name)."""
    if content.logo is not None:
        _picture(paragraph.add_run(), content.logo, height, max_width)
    else:
        paragraph.add_run(text_fallback)
    if content.partner is not None:
        paragraph.add_run(between)
        if content.partner_logo is not None:
            _picture(paragraph.add_run(), content.partner_logo, height, max_width)
        else:
            paragraph.add_run(content.partner.name)


def _picture(run: Any, path: Path, height: Any, max_width: Any) -> None:
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
    width = int(height * w / max(h, 1))
    if width > max_width:
        run.add_picture(str(path), width=max_width)
    else:
        run.add_picture(str(path), height=height)


# -- cover ---------------------------------------------------------------------------------------
def _cover(doc: DocxDocument, content: LeaveBehindContent, geo: _Geometry) -> None:
    b = content.brand
    if content.logo is not None or content.partner_logo is not None:
        p = doc.add_paragraph(style="Cover Logos")
        _logo_runs(p, content, height=Cm(1.5), max_width=Cm(6.5), text_fallback=b.company_name)
    else:
        p = doc.add_paragraph(style="Brand Name")
        p.add_run(b.company_name)
        if content.partner is not None:
            p.add_run("\t" + content.partner.name)
    doc.add_paragraph(f"Selected material · {long_date(content.prepared_on)}", style="Cover Kicker")
    doc.add_paragraph(content.title, style="Title")
    sender = b.company_name
    if content.partner is not None:
        sender = f"{b.company_name} and {content.partner.name}"
    doc.add_paragraph(f"From {sender}", style="Subtitle")
    doc.add_paragraph(_intro(content), style="Lead")

    doc.add_paragraph("In this document", style="Heading 2")
    for item in content.items:
        p = doc.add_paragraph(style="List Number")
        p.add_run(item.title)
        p.add_run(f" — {item.format_label}", style="Subtle Emphasis")

    contacts = []
    if content.partner is not None and content.partner.contact_name:
        pr = content.partner
        contacts.append(
            (pr.contact_name, "", pr.name, pr.contact_email, pr.contact_phone, pr.website or "")
        )
    rep = content.rep
    contacts.append((rep.name, rep.title, b.company_name, rep.email, rep.phone, ""))
    doc.add_paragraph("Your contacts" if len(contacts) > 1 else "Your contact", style="Heading 2")
    if len(contacts) == 1:
        _contact_block(doc, *contacts[0])
    else:
        table = doc.add_table(rows=1, cols=len(contacts))
        for cell, c in zip(table.rows[0].cells, contacts, strict=True):
            cell.paragraphs[0].style = doc.styles["Contact Name"]
            _contact_block(cell, *c, first=cell.paragraphs[0])

    if content.partner is not None and content.partner.intro.strip():
        doc.add_paragraph(f"About {content.partner.name}", style="Heading 2")
        doc.add_paragraph(content.partner.intro.strip())


def _intro(content: LeaveBehindContent) -> str:
    template = content.intro or content.brand.intro
    n = len(content.items)
    if not template:
        pieces = "one piece that covers" if n == 1 else f"{n} pieces that cover"
        contacts = (
            "your contacts are"
            if content.partner is not None and content.partner.contact_name
            else "your contact is"
        )
        template = (
            "Thank you for your time. As promised, here is a short selection of material from "
            "{company}, chosen for {customer}: " + pieces + " what we discussed. Each section "
            "sums up one piece; the original documents are listed at the end, and "
            + contacts
            + " happy to walk you through any of them."
        )
    values = {
        "{customer}": content.customer,
        "{company}": content.company,
        "{partner}": content.partner.name if content.partner else content.company,
        "{rep}": content.rep.name,
        "{count}": str(n),
    }
    # Plain replacement, not str.format: brand texts are user input ("{customer.__class__}").
    for key, value in values.items():
        template = template.replace(key, value)
    return template


def _contact_block(
    container: Any,
    name: str,
    role: str,
    company: str,
    email: str,
    phone: str,
    website: str,
    *,
    first: Any = None,
) -> None:
    p = first if first is not None else container.add_paragraph(style="Contact Name")
    p.add_run(name)
    for line in (role, company, email, phone, website):
        if line:
            container.add_paragraph(line, style="Contact")


# -- item sections -------------------------------------------------------------------------------
SectionWriter = Callable[[DocxDocument, ExportItem], None]


def _write_case_study(doc: DocxDocument, item: ExportItem) -> None:
    cs = item.case_study
    if cs is None:
        _write_collateral(doc, item)
        return
    if cs.challenge:
        doc.add_paragraph("The challenge", style="Heading 2")
        doc.add_paragraph(cs.challenge)
    if cs.solution:
        doc.add_paragraph("The solution", style="Heading 2")
        doc.add_paragraph(cs.solution)
    if cs.results:
        doc.add_paragraph("Results", style="Heading 2")
        _table(doc, ("Measure", "Result"), cs.results, (Cm(10.4), Cm(6.0)))
    if cs.quote:
        quote = cs.quote.strip().strip('“”"')
        doc.add_paragraph(f"“{quote}”", style="Intense Quote")
        source = cs.quote_author or cs.customer
        if source:
            doc.add_paragraph(f"— {source}", style="Quote Source")


def _table(
    doc: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[Any],
) -> None:
    """A 'Table Grid' table with a styled header row that repeats on each page."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    kit.table_look_header(table)
    for r, values in enumerate([header, *rows]):
        style = doc.styles["Table Heading" if r == 0 else "Table Text"]
        for cell, value, width in zip(table.rows[r].cells, values, widths, strict=True):
            cell.width = width
            p = cell.paragraphs[0]
            p.style = style
            p.add_run(value)
    kit.repeat_header_row(table)


def _write_collateral(doc: DocxDocument, item: ExportItem) -> None:
    if not item.key_points:
        return
    questions = all(p.endswith("?") for p in item.key_points)
    doc.add_paragraph("Questions it answers" if questions else "Key points", style="Heading 2")
    split = [_feature(point) for point in item.key_points]
    # feature names in bold only when most points have one: a lone bold lead-in looks random
    bold = sum(1 for head, _ in split if head) * 2 >= len(split)
    for point, (head, rest) in zip(item.key_points, split, strict=True):
        p = doc.add_paragraph(style="List Bullet")
        if bold and head:
            p.add_run(head + ":", style="Strong")  # a character style, not direct formatting
            p.add_run(" " + rest)
        else:
            p.add_run(point)


def _feature(point: str) -> tuple[str, str]:
    """('Pipeline inspection', 'Deal-level changes...') for 'Pipeline inspection: Deal-level
    changes...'; ('', point) when the point does not start with a short name and a colon."""
    head, sep, rest = point.partition(": ")
    if sep and rest and len(head) <= 48 and not any(c in head for c in ".;!?:"):
        return head, rest
    return "", point


# Adding a kind is one entry. Competitor insights never reach this point: the share rules refuse
# battle cards, and other insights render like collateral.
SECTION_WRITERS: dict[str, SectionWriter] = {
    Kind.CASE_STUDY.value: _write_case_study,
    Kind.COLLATERAL.value: _write_collateral,
}


def _section(
    doc: DocxDocument, item: ExportItem, content: LeaveBehindContent, *, new_page: bool
) -> None:
    """Title (Heading 1, with the rule above it), then one Lead paragraph: the kicker line
    ("CASE STUDY · RETAIL", a character style) and the summary. Keeping the kicker inside the
    Lead keeps the head a two-paragraph keep-with-next chain, which LibreOffice honours."""
    kicker = [item.format_label]
    if item.case_study is not None and item.case_study.industry:
        kicker.append(item.case_study.industry)
    elif item.industries:
        kicker.append(item.industries[0])
    title = doc.add_paragraph(item.title, style="Heading 1")
    if new_page:  # after the cover; a break paragraph would leave an empty line on top
        title.paragraph_format.page_break_before = True
    lead = doc.add_paragraph(style="Lead")
    lead.add_run(" · ".join(kicker), style="Kicker")
    if item.summary:
        lead.add_run().add_break()
        lead.add_run(item.summary)
    SECTION_WRITERS.get(item.kind, _write_collateral)(doc, item)
    if item.files:
        names = "; ".join(f"{f.name} ({_file_facts(f)})" for f in item.files)
        noun = "Original file" if len(item.files) == 1 else "Original files"
        doc.add_paragraph(f"{noun}: {names}", style="Meta")


def _file_facts(f: Any) -> str:
    kind = Path(f.name).suffix.lstrip(".").upper() or "file"
    parts = [kind]
    if f.page_count:
        parts.append(f"{f.page_count} page" + ("s" if f.page_count != 1 else ""))
    parts.append(_size(f.size))
    return ", ".join(parts)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


# -- closing pages -------------------------------------------------------------------------------
def _attachments(doc: DocxDocument, content: LeaveBehindContent) -> None:
    rows = [(f, item) for item in content.items for f in item.files]
    if not rows:
        return
    doc.add_paragraph("Original documents", style="Heading 1")
    doc.add_paragraph(
        f"The approved original behind each section, as published by {content.company}. "
        "They accompany this document; ask your contact if one is missing."
    )
    _table(
        doc,
        ("File", "Section", "Details"),
        [(f.name, item.title, _file_facts(f)) for f, item in rows],
        (Cm(6.2), Cm(6.6), Cm(3.6)),
    )


def _closing(doc: DocxDocument, content: LeaveBehindContent, geo: _Geometry) -> None:
    """Validity, who prepared it, the disclaimer and the provenance line, kept together on the
    last page: they sit in a borderless one-cell table whose row may not split (LibreOffice
    does not honour long keep-with-next chains; both Word and LibreOffice honour this)."""
    b = content.brand
    table = doc.add_table(rows=1, cols=1)
    table.style = doc.styles["Closing Block"]
    kit.table_full_width(table, geo.text_width_twips)
    kit.row_cant_split(table.rows[0])
    cell = table.rows[0].cells[0]
    first = cell.paragraphs[0]
    first.style = doc.styles["Eyebrow"]
    first.add_run("About this document")
    cell.add_paragraph(f"Valid until {long_date(content.valid_until)}", style="Validity")
    by = content.rep.name + (f", {content.rep.title}" if content.rep.title else "")
    via = f" with {content.partner.name}" if content.partner else ""
    cell.add_paragraph(
        f"Prepared for {content.customer} by {by} ({b.company_name}{via}) on "
        f"{long_date(content.prepared_on)}. Products, prices and results change: after "
        f"{long_date(content.valid_until)}, please ask for an up-to-date version."
    )
    disclaimer = b.disclaimer.replace("{year}", str(content.prepared_on.year)).replace(
        "{company}", b.company_name
    )
    if disclaimer.strip():
        cell.add_paragraph(disclaimer.strip(), style="Small Print")
    cell.add_paragraph(content.provenance(), style="Small Print")


def _properties(doc: DocxDocument, content: LeaveBehindContent) -> None:
    from datetime import datetime

    props = doc.core_properties
    now = datetime.now().replace(microsecond=0)
    # core properties hold at most 255 characters each
    props.title = content.title[:255]
    props.subject = f"{content.company} leave-behind"[:255]
    props.author = content.rep.name[:255]
    props.last_modified_by = content.rep.name[:255]
    props.category = "Leave-behind"
    props.keywords = ", ".join(dict.fromkeys(i.format_label for i in content.items))[:255]
    props.comments = f"Frontline export {content.export_id}; provenance on the last page."
    props.created = props.modified = now
    props.revision = 1


register_format(
    ExportFormat(
        name="leave-behind",
        help="a branded DOCX (and PDF) for one customer",
        suffix=".docx",
        run=export_leave_behind,
    )
)
