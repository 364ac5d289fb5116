"""Small OOXML helpers python-docx lacks: style fonts/colours without theme overrides, paragraph
borders, table-style header rows, fields (PAGE), a header watermark, clearing a template's body and
copying missing built-in styles into a reference document.

Every helper inserts elements in schema order (python-docx's `insert_element_before`), because
Word rejects out-of-order children as a "corrupt" file while LibreOffice silently accepts them.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, cast
from xml.sax.saxutils import quoteattr

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.parts.numbering import NumberingPart
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

RPR_ORDER = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]
PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
TCPR_ORDER = [
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
]
PBDR_ORDER = ["w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"]
STYLE_ORDER = [
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
    "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr",
    "w:tcPr", "w:tblStylePr",
]  # fmt: skip
TBLPR_ORDER = [
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
]  # fmt: skip


def make(tag: str, **attrs: str) -> Any:
    """A new element `tag` ('w:b') with `w:`-prefixed attributes (`val='x'` -> w:val)."""
    return OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attrs.items()})


def put(parent: Any, child: Any, order: list[str]) -> Any:
    """Replace `parent`'s child of the same tag with `child`, keeping the schema `order`."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    prefixed = next(t for t in order if qn(t) == tag)
    successors = {qn(t) for t in order[order.index(prefixed) + 1 :]}
    for existing in parent:
        if existing.tag in successors:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def _rpr(style: BaseStyle) -> Any:
    return style.element.get_or_add_rPr()


def _ppr(style: BaseStyle) -> Any:
    return style.element.get_or_add_pPr()


def style_font(
    style: BaseStyle,
    *,
    font: str | None = None,
    size: float | None = None,
    color: str | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    caps: bool | None = None,
    tracking: float | None = None,
) -> None:
    """Set a style's run properties. Theme fonts/colours are removed where we set a value: in
    Word a theme attribute (asciiTheme, themeColor) wins over the explicit one."""
    rpr = _rpr(style)
    if font is not None:
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = put(rpr, make("w:rFonts"), RPR_ORDER)
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "cs"):
            rfonts.set(qn(f"w:{attr}"), font)
    f = style.font  # type: ignore[attr-defined]
    if size is not None:
        f.size = Pt(size)
        put(rpr, make("w:szCs", val=str(round(size * 2))), RPR_ORDER)
    if color is not None:
        f.color.rgb = RGBColor.from_string(color)
    if bold is not None:
        f.bold = bold
        put(rpr, make("w:bCs", val="1" if bold else "0"), RPR_ORDER)
    if italic is not None:
        f.italic = italic
        put(rpr, make("w:iCs", val="1" if italic else "0"), RPR_ORDER)
    if caps is not None:
        f.all_caps = caps
    if tracking is not None:
        put(rpr, make("w:spacing", val=str(round(tracking * 20))), RPR_ORDER)


def style_border(
    style: BaseStyle, side: str, color: str, *, size: float = 0.75, space: int = 4
) -> None:
    """A paragraph-style border line (`side`: top, left, bottom, right) of `size` points."""
    ppr = _ppr(style)
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = put(ppr, make("w:pBdr"), PPR_ORDER)
    line = make(
        f"w:{side}", val="single", sz=str(max(2, round(size * 8))), space=str(space), color=color
    )
    put(pbdr, line, PBDR_ORDER)


def style_no_border(style: BaseStyle) -> None:
    ppr = _ppr(style)
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


def style_tabs(style: BaseStyle, stops: list[tuple[str, int]]) -> None:
    """Replace a paragraph style's tab stops with (alignment, position in twips)."""
    tabs = make("w:tabs")
    for align, pos in stops:
        tabs.append(make("w:tab", val=align, pos=str(pos)))
    put(_ppr(style), tabs, PPR_ORDER)


def paragraph_style(doc: DocxDocument, name: str, base: str = "Normal") -> Any:
    """The paragraph style `name`, created (based on `base`) when the document lacks it."""
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
        return style


def character_style(doc: DocxDocument, name: str) -> Any:
    """The character style `name`, created when missing."""
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.quick_style = True
        return style


def block_table_style(doc: DocxDocument, name: str) -> Any:
    """A table style with no borders and no cell padding: a layout block whose text lines up
    with the body text (used to keep the closing block together)."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    el = style.element
    tblpr = el.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = put(el, make("w:tblPr"), STYLE_ORDER)
    borders = make("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(make(f"w:{side}", val="nil"))
    margins = make("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(make(f"w:{side}", w="0", type="dxa"))
    put(tblpr, borders, TBLPR_ORDER)
    put(tblpr, margins, TBLPR_ORDER)
    return style


def table_full_width(table: Any, width_twips: int) -> None:
    """The table spans the text width (one column)."""
    put(table._tbl.tblPr, make("w:tblW", w=str(width_twips), type="dxa"), TBLPR_ORDER)
    for col in table._tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(width_twips))
    for cell in table.columns[0].cells:
        cell.width = Twips(width_twips)


def row_cant_split(row: Any) -> None:
    """The row moves to the next page as a whole instead of breaking."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.append(make("w:cantSplit"))


def table_style_header(style: BaseStyle, fill: str, text_color: str, border: str) -> None:
    """Give a table style light borders, roomy cells and a filled, bold header row.

    A conditional `firstRow` format inside the style (not shading on each cell) keeps the table
    editable: a row added in Word or LibreOffice looks like the others."""
    el = style.element
    tblpr = el.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = make("w:tblPr")
        el.append(tblpr)
    for old in tblpr.findall(qn("w:tblBorders")) + tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    borders = make("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(make(f"w:{side}", val="single", sz="4", space="0", color=border))
    margins = make("w:tblCellMar")
    for side, w in (("top", 60), ("left", 115), ("bottom", 60), ("right", 115)):
        margins.append(make(f"w:{side}", w=str(w), type="dxa"))
    # tblPr children order: tblStyle, ..., tblInd, tblBorders, shd, tblLayout, tblCellMar, ...
    ind = tblpr.find(qn("w:tblInd"))
    if ind is not None:
        ind.addnext(borders)
    else:
        tblpr.insert(0, borders)
    borders.addnext(margins)
    for old in el.findall(qn("w:tblStylePr")):
        el.remove(old)
    el.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">'
            "<w:pPr><w:keepNext/></w:pPr>"
            f'<w:rPr><w:b/><w:bCs/><w:color w:val="{text_color}"/></w:rPr>'
            "<w:tblPr/>"
            "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


def table_look_header(table: Any) -> None:
    """Tell Word/LibreOffice to apply the style's first-row format (and not the others)."""
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblLook")):
        tblpr.remove(old)
    tblpr.append(
        make(
            "w:tblLook",
            val="0620",  # firstRow 0x20 | noHBand 0x200 | noVBand 0x400
            firstRow="1",
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="1",
            noVBand="1",
        )
    )


def repeat_header_row(table: Any) -> None:
    """Mark the first row as a header (repeats on a new page) and rows as unsplittable."""
    for n, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(make("w:cantSplit"))
        if n == 0:
            trpr.append(make("w:tblHeader"))


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (e.g. 'PAGE', 'NUMPAGES') whose result Word and LibreOffice compute."""

    def run_with(child: Any) -> None:
        r = paragraph.add_run()
        r._r.append(child)

    run_with(make("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(make("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(make("w:fldChar", fldCharType="end"))


_WATERMARK_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{e}"/>'
        for e in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def add_watermark(
    paragraph: Paragraph, text: str, *, font: str, color: str, width_pt: float, shape_id: int
) -> None:
    """A diagonal text watermark anchored in a header paragraph, in the VML form Word itself
    writes ('PowerPlusWaterMarkObject'), which LibreOffice imports as its own watermark."""
    height = max(24.0, min(width_pt / max(len(text), 1) * 1.8, 120.0))
    style = (
        f"position:absolute;margin-left:0;margin-top:0;width:{width_pt:.0f}pt;"
        f"height:{height:.0f}pt;rotation:315;z-index:-251654144;"
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        "mso-position-vertical:center;mso-position-vertical-relative:margin"
    )
    text_style = quoteattr(f'font-family:"{font}";font-size:1pt')
    xml = (
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:rPr><w:noProof/></w:rPr><w:pict>"
        + _WATERMARK_SHAPETYPE
        + f'<v:shape id="PowerPlusWaterMarkObject{shape_id}" o:spid="_x0000_s{2048 + shape_id}" '
        f'type="#_x0000_t136" style="{style}" o:allowincell="f" fillcolor="#{color}" '
        'stroked="f"><v:fill opacity=".35"/>'
        f"<v:textpath style={text_style} "
        f"string={quoteattr(text)}/></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


def unique_drawing_ids(doc: DocxDocument) -> None:
    """Number every picture's `wp:docPr` id uniquely across body, headers and footers.

    python-docx counts ids per part, so a logo in the header and one on the cover both get id 1;
    Word may then report the file as needing repair."""
    next_id = 1
    for part in doc.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None or not hasattr(element, "xpath"):
            continue
        for docpr in element.xpath(".//wp:docPr"):
            docpr.set("id", str(next_id))
            next_id += 1


def clear_body(doc: DocxDocument) -> None:
    """Remove a template's content, keeping its final section (page setup, headers, footers)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def copy_missing_styles(doc: DocxDocument, names: list[str]) -> None:
    """Copy built-in styles a reference document lacks from python-docx's default template
    (with the numbering definition of list styles), so rendering never fails on a KeyError."""
    import docx

    default: DocxDocument | None = None
    for name in names:
        try:
            doc.styles[name]
            continue
        except KeyError:
            pass
        if default is None:
            default = docx.Document()
        src = deepcopy(default.styles[name].element)
        for link in src.findall(qn("w:link")):
            src.remove(link)
        num_id = src.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            new_id = _copy_numbering(default, doc, int(num_id.get(qn("w:val"))))
            num_id.set(qn("w:val"), str(new_id))
        doc.styles.element.append(src)


def _numbering_element(doc: DocxDocument) -> Any:
    part = doc.part
    try:
        return cast(Any, part.part_related_by(RT.NUMBERING)).element
    except KeyError:
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, part.package
        )
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element


def _copy_numbering(src_doc: DocxDocument, dest_doc: DocxDocument, num_id: int) -> int:
    src = src_doc.part.numbering_part.element
    dest = _numbering_element(dest_doc)
    num = next(n for n in src.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a for a in src.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
    )
    used_abstract = [int(a.get(qn("w:abstractNumId"))) for a in dest.findall(qn("w:abstractNum"))]
    used_num = [int(n.get(qn("w:numId"))) for n in dest.findall(qn("w:num"))]
    new_abstract = max(used_abstract, default=-1) + 1
    new_num = max(used_num, default=0) + 1
    a = deepcopy(abstract)
    a.set(qn("w:abstractNumId"), str(new_abstract))
    for nsid in a.findall(qn("w:nsid")):  # a copied nsid would merge the lists in Word
        a.remove(nsid)
    first_num = dest.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(a)
    else:
        dest.append(a)
    new = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{new_num}"><w:abstractNumId w:val="{new_abstract}"/></w:num>'
    )
    nums = dest.findall(qn("w:num"))
    if nums:
        nums[-1].addnext(new)  # numIdMacAtCleanup, if any, must stay last
    else:
        dest.append(new)
    return new_num
