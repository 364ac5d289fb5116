"""HTML via lxml's forgiving parser (Python's html.parser loses text after a bad </script>).

Scripts, styles and other non-content elements are dropped; block elements become lines and
table cells tabs, so the stored text reads like the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from library.extract.encodings import decode_text
from library.extract.registry import FormatExtractor
from library.extract.result import Extraction, Problem
from library.vocab import ExtractionStatus

MAX_HTML_BYTES = 64 << 20
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_SPACE = re.compile(r"\s+")

_DROP = {"script", "style", "template", "noscript", "head", "svg", "iframe", "object", "embed",
         "canvas", "select", "button"}  # fmt: skip
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "li",
          "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
          "blockquote", "pre", "address", "figure", "figcaption", "hr", "form", "fieldset",
          "legend", "caption", "details", "summary", "body", "center"}  # fmt: skip
_CELLS = {"td", "th"}


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def html_to_text(data: bytes) -> tuple[str, str]:
    """(text, <title>) of an HTML document given as bytes of unknown encoding."""
    import lxml.html
    from lxml import etree

    text, _codec = decode_text(data, declared_charset(data))
    text = _XML_DECL_TEXT.sub("", text, count=1)  # lxml refuses str input with a declaration
    if not text.strip():
        return "", ""
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return "", ""
    title_el = doc.find(".//title")
    title = _SPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    out: list[str] = []
    _walk(doc, out, pre=False)
    body = "".join(out)
    if not title:
        h1 = doc.find(".//h1")
        title = _SPACE.sub(" ", h1.text_content()).strip() if h1 is not None else ""
    return body, title


def _walk(el: Any, out: list[str], *, pre: bool) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _DROP:
        _tail(el, out, pre)
        return
    block = tag in _BLOCK
    pre = pre or tag in ("pre", "textarea")
    if block or tag == "br":
        out.append("\n")
    if el.text and tag:
        out.append(el.text if pre else _SPACE.sub(" ", el.text))
    for child in el:
        _walk(child, out, pre=pre)
    if tag in _CELLS:
        out.append("\t")
    if block:
        out.append("\n")
    _tail(el, out, pre)


def _tail(el: Any, out: list[str], pre: bool) -> None:
    if el.tail:
        out.append(el.tail if pre else _SPACE.sub(" ", el.tail))


class HtmlExtractor(FormatExtractor):
    label = "HTML page"
    extensions = frozenset({".html", ".htm", ".xhtml", ".shtml"})

    def sniff(self, head: bytes) -> bool:
        sample = head[:1024]
        if sample[:2] in (b"\xff\xfe", b"\xfe\xff") or sample[:3] == b"\xef\xbb\xbf":
            sample = sample.lstrip(b"\xff\xfe\xef\xbb\xbf")
        return bool(_HTML_START.match(sample.replace(b"\x00", b"")))

    def extract(self, path: Path, password: str | None) -> Extraction:
        media_type = "application/xhtml+xml" if path.suffix.lower() == ".xhtml" else "text/html"
        if path.stat().st_size > MAX_HTML_BYTES:
            raise Problem(
                ExtractionStatus.UNSUPPORTED,
                "Refused: the HTML page is larger than 64 MB; it is catalogued without text.",
                media_type=media_type,
            )
        try:
            text, title = html_to_text(path.read_bytes())
        except Problem as p:
            p.media_type = media_type
            raise
        return Extraction(ExtractionStatus.OK, text=text, title=title, media_type=media_type)
