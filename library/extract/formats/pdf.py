"""PDF: text from pdfminer.six (layout analysis, every page), metadata and encryption from pypdf.

Why two libraries: pypdf garbles non-Unicode CMaps (Czech) and vertical Japanese, pdfminer reads
them; pypdf is the better judge of passwords and permission flags and gives a page count even
when pdfminer cannot read the page tree. Text that pdfminer can only give as "(cid:NN)" is never
stored: it is mapped to ASCII when the codes plainly are ASCII, otherwise dropped and reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from library.extract.registry import FormatExtractor
from library.extract.result import PAGE_BREAK, Extraction, Problem, out_of_time
from library.vocab import ExtractionStatus

MEDIA_TYPE = "application/pdf"
_CID = re.compile(r"\(cid:(\d+)\)")
NEEDS_PASSWORD = "Encrypted: this PDF needs a password to open."
WRONG_PASSWORD = "Encrypted: the password did not open it."
IMAGE_ONLY = "Image-only PDF: no text layer (needs OCR)."


class PdfExtractor(FormatExtractor):
    label = "PDF"
    extensions = frozenset({".pdf"})

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]  # junk before the header is allowed (and common)

    def extract(self, path: Path, password: str | None) -> Extraction:
        return read_pdf(path, password)


@dataclass(slots=True)
class _PageStats:
    pages: list[str] = field(default_factory=list)
    failed: int = 0  # pages that raised
    cid_dropped: int = 0  # pages whose (cid:NN) text had to be dropped
    lossy: int = 0  # pages where pdfminer reported strings it could not render
    images: int = 0  # pages with at least one image
    stopped_early: bool = False
    tree_damaged: bool = False


def read_pdf(path: Path, password: str | None) -> Extraction:
    flags: list[str] = []
    reader = _pypdf_reader(path)
    unlock = ""
    if reader is not None and _is_encrypted(reader):
        unlock = _unlock(reader, password, flags)
    title = _pypdf_title(reader)
    page_total = _pypdf_page_count(reader)
    try:
        stats, info_title = _pdfminer_pages(path, unlock if reader is not None else password or "")
    except Problem:
        raise
    except MemoryError:  # the sandbox must see it: the worker is replaced
        raise
    except Exception:  # pdfminer could not open it at all: pypdf's text beats none
        if reader is None or page_total is None:
            raise
        stats, info_title = _pypdf_pages(reader), ""
    ext = Extraction(
        ExtractionStatus.OK,
        text=PAGE_BREAK.join(stats.pages),
        media_type=MEDIA_TYPE,
        page_count=page_total if page_total is not None else len(stats.pages),
        title=title or info_title,
        flags=flags,
    )
    _judge(ext, stats)
    return ext


def _judge(ext: Extraction, stats: _PageStats) -> None:
    """Status and reason from what happened to the pages."""
    n = len(stats.pages)
    has_text = any(p.strip() for p in stats.pages)
    if not has_text:
        if stats.stopped_early:
            ext.status, ext.reason = ExtractionStatus.FAILED, "Took too long to read; skipped."
        elif n and stats.failed >= n:
            ext.status = ExtractionStatus.FAILED
            ext.reason = f"Corrupt file: none of the PDF's {n} pages could be read."
        elif stats.cid_dropped:
            ext.status = ExtractionStatus.FAILED
            ext.reason = (
                "Unreadable text: the PDF's fonts have no character map, so its text could not "
                "be decoded."
            )
        elif stats.images:
            ext.status, ext.reason = ExtractionStatus.IMAGE_ONLY, IMAGE_ONLY
        elif n == 0 and stats.tree_damaged:
            ext.status, ext.reason = ExtractionStatus.FAILED, "Corrupt file: the PDF has no pages."
        return
    problems = []
    if stats.stopped_early:
        problems.append(f"stopped after {n} pages because the file took too long")
    if stats.failed:
        problems.append(f"{stats.failed} of {n} pages could not be read")
    if stats.cid_dropped:
        problems.append(
            f"text on {stats.cid_dropped} page(s) uses fonts without a character map and was "
            "left out"
        )
    if stats.lossy:
        problems.append(f"some text on {stats.lossy} page(s) could not be decoded")
    if stats.tree_damaged:
        problems.append("the page list is damaged")
    if problems:
        ext.status = ExtractionStatus.PARTIAL
        ext.reason = "Partly read: " + "; ".join(problems) + "."


# -- pypdf: encryption, permissions, metadata -----------------------------------------------------
def _pypdf_reader(path: Path) -> Any | None:
    from pypdf import PdfReader

    try:
        return PdfReader(str(path), strict=False)
    except MemoryError:  # the sandbox must see it: the worker is replaced
        raise
    except Exception:  # broken xref/trailer: pdfminer may still manage
        return None


def _is_encrypted(reader: Any) -> bool:
    try:
        return bool(reader.is_encrypted)
    except Exception:
        return False


def _unlock(reader: Any, password: str | None, flags: list[str]) -> str:
    """The password that opens the PDF ("" for an empty user password); raises when locked."""
    from pypdf.constants import UserAccessPermissions

    tried = [""] + ([password] if password else [])
    for candidate in tried:
        try:
            opened = reader.decrypt(candidate)
        except NotImplementedError:
            raise Problem(
                ExtractionStatus.ENCRYPTED,
                "Encrypted: this PDF uses an encryption method Frontline cannot open.",
                media_type=MEDIA_TYPE,
            ) from None
        except Exception:
            opened = 0
        if opened:
            try:
                if UserAccessPermissions.EXTRACT not in reader.user_access_permissions:
                    # Our own marketing content: read it anyway, but say the author asked not to.
                    flags.append("no-extract-permission")
            except Exception:
                pass
            return candidate
    raise Problem(
        ExtractionStatus.ENCRYPTED,
        WRONG_PASSWORD if password else NEEDS_PASSWORD,
        media_type=MEDIA_TYPE,
    )


def _pypdf_title(reader: Any | None) -> str:
    if reader is None:
        return ""
    try:
        meta = reader.metadata
        return str(meta.title or "") if meta is not None else ""
    except Exception:
        return ""


def _pypdf_page_count(reader: Any | None) -> int | None:
    if reader is None:
        return None
    try:
        return len(reader.pages)
    except Exception:
        return None


def _pypdf_pages(reader: Any) -> _PageStats:
    """Fallback text when pdfminer cannot open the document (rare)."""
    stats = _PageStats()
    for page in reader.pages:
        if out_of_time():
            stats.stopped_early = True
            break
        try:
            stats.pages.append(page.extract_text() or "")
        except MemoryError:  # the sandbox must see it: the worker is replaced
            raise
        except Exception:
            stats.failed += 1
            stats.pages.append("")
    return stats


# -- pdfminer: the text ---------------------------------------------------------------------------
class _RenderLossCounter(logging.Handler):
    """Counts pdfminer's "Cannot render ... string" warnings: text it had to drop."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Cannot render"):
            self.count += 1


@contextmanager
def _counting_render_losses() -> Iterator[_RenderLossCounter]:
    logger = logging.getLogger("pdfminer.pdfdevice")
    counter = _RenderLossCounter()
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)


def _pdfminer_pages(path: Path, password: str) -> tuple[_PageStats, str]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    stats = _PageStats()
    with path.open("rb") as fh:
        try:
            document = PDFDocument(PDFParser(fh), password=password)
        except PDFPasswordIncorrect:
            raise Problem(
                ExtractionStatus.ENCRYPTED,
                WRONG_PASSWORD if password else NEEDS_PASSWORD,
                media_type=MEDIA_TYPE,
            ) from None
        except PDFEncryptionError:
            raise Problem(
                ExtractionStatus.ENCRYPTED,
                "Encrypted: this PDF uses an encryption method Frontline cannot open.",
                media_type=MEDIA_TYPE,
            ) from None
        info_title = _info_title(document)
        resources = PDFResourceManager(caching=True)
        # detect_vertical: vertical Japanese comes out as lines, not one character per line.
        device = PDFPageAggregator(resources, laparams=LAParams(detect_vertical=True))
        interpreter = PDFPageInterpreter(resources, device)
        pages = PDFPage.create_pages(document)
        with _counting_render_losses() as losses:
            while True:
                if out_of_time():
                    stats.stopped_early = True
                    break
                try:
                    page = next(pages)
                except StopIteration:
                    break
                except MemoryError:  # the sandbox must see it: the worker is replaced
                    raise
                except Exception:  # a broken page tree: keep what was read so far
                    stats.tree_damaged = True
                    break
                before = losses.count
                try:
                    interpreter.process_page(page)
                    layout = device.get_result()
                except MemoryError:  # the sandbox must see it: the worker is replaced
                    raise
                except Exception:
                    stats.failed += 1
                    stats.pages.append("")
                    continue
                boxes: list[str] = []
                if _collect(layout, boxes):
                    stats.images += 1
                stats.pages.append(_page_text(boxes, stats))
                if losses.count > before:
                    stats.lossy += 1
    return stats, info_title


def _info_title(document: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    try:
        for info in document.info:
            raw = resolve1(info.get("Title"))
            if isinstance(raw, bytes):
                return decode_text(raw)
            if isinstance(raw, str):
                return raw
    except Exception:
        pass
    return ""


def _collect(item: Any, boxes: list[str]) -> bool:
    """Text boxes of a layout in reading order into `boxes`; True when it holds an image.

    Characters outside text boxes (in figures/form XObjects) become one box per figure, as
    pdfminer's own text converter emits them."""
    from pdfminer.layout import LTContainer, LTImage, LTText, LTTextBox

    has_image = False
    loose: list[str] = []
    for child in item:
        if isinstance(child, LTTextBox):
            boxes.append(child.get_text())
        elif isinstance(child, LTImage):
            has_image = True
        elif isinstance(child, LTContainer):
            has_image = _collect(child, boxes) or has_image
        elif isinstance(child, LTText):
            loose.append(child.get_text())
    if loose:
        boxes.append("".join(loose))
    return has_image


def _page_text(boxes: list[str], stats: _PageStats) -> str:
    raw = "\n".join(boxes)
    if "(cid:" in raw:
        codes = [int(n) for n in _CID.findall(raw)]
        mapping = cid_codes_are_text(codes)
        boxes = [clean_cids(b, mapping=mapping) for b in boxes]
        dropped = len(codes) - (sum(1 for c in codes if _cid_char(c)) if mapping else 0)
        kept = len(_CID.sub("", raw))
        # A few math symbols per page are expected losses; a page of lost prose is not.
        if dropped > 0.1 * (kept + dropped):
            stats.cid_dropped += 1
    return "\n".join(t for t in (reflow(b) for b in boxes) if t)


def cid_codes_are_text(codes: list[int]) -> bool:
    """True when a page's (cid:NN) codes plainly are character codes (fonts without ToUnicode
    whose codes follow ASCII/WinAnsi, as in many old Distiller files). TeX math fonts and
    Identity-encoded CID fonts give small or huge numbers instead: those are glyph ids."""
    if not codes:
        return False
    chars = [_cid_char(c) for c in codes]
    in_range = sum(1 for ch in chars if ch)
    letters = sum(1 for ch in chars if ch.isalnum())
    return in_range >= 0.8 * len(codes) and letters >= 0.4 * len(codes)


def _cid_char(code: int) -> str:
    if code in (10, 13):
        return "\n"
    if code == 9:
        return " "
    if 32 <= code <= 126:
        return chr(code)
    if 160 <= code <= 255:
        return bytes([code]).decode("cp1252")  # WinAnsi: "§" is 167, "±" is 177
    return ""


def clean_cids(text: str, *, mapping: bool) -> str:
    """(cid:NN) replaced by its character when `mapping`, else removed: never stored as is."""
    if "(cid:" not in text:
        return text
    if not mapping:
        return _CID.sub("", text)
    return _CID.sub(lambda m: _cid_char(int(m.group(1))), text)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or o >= 0x20000


def reflow(box: str) -> str:
    """One text box's lines joined into a paragraph line.

    A hyphen between lower-case letters at a line end is a soft hyphenation and is removed
    ("con-\\ntrolled" -> "controlled"); CJK lines join without a space."""
    lines = [line.strip() for line in box.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        prev, nxt = out[-1], line[0]
        if prev == "-" and len(out) > 1 and out[-2].islower() and nxt.islower():
            out = out[:-1] + line
        elif _is_cjk(prev) and _is_cjk(nxt):
            out += line
        else:
            out += " " + line
    return out
