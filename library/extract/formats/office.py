"""ZIP-based files: Office Open XML (Word, PowerPoint, Excel, incl. Strict, macro and template
variants) read part by part with a hardened XML parser; other ZIPs are catalogued unread.

Parsing the parts directly, rather than through python-docx/python-pptx/openpyxl, is deliberate:
those libraries refuse .docm/.dotx/.ppsx content types, ignore text boxes, footnotes and altChunks,
and openpyxl returns zero sheets for Strict OOXML without an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from library.extract.package import Package
from library.extract.registry import FormatExtractor, kind_label, media_type_for, suffixes
from library.extract.result import Extraction, Problem
from library.vocab import ExtractionStatus

OFFICE_EXTENSIONS = suffixes(
    ".docx .docm .dotx .dotm .pptx .pptm .ppsx .ppsm .potx .potm .xlsx .xlsm .xltx .xltm"
)
DC_NS = "http://purl.org/dc/elements/1.1/"

# Other ZIP-based formats, named by their "mimetype" member: honest "unsupported" statuses.
_ZIP_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (.odp)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (.ods)",
    "application/epub+zip": "EPUB e-book",
}


@dataclass(slots=True)
class MainPart:
    name: str  # part name, e.g. "word/document.xml"
    content_type: str  # e.g. "...wordprocessingml.document.main+xml"


class PackageReader(Protocol):
    """One OOXML family (Word, PowerPoint, Excel) inside a ZIP package."""

    def can_read(self, main: MainPart) -> bool: ...

    def read(self, package: Package, main: MainPart) -> Extraction: ...


def _readers() -> tuple[PackageReader, ...]:
    from library.extract.formats.sheets import WorkbookReader
    from library.extract.formats.slides import PresentationReader
    from library.extract.formats.word import WordReader

    return (WordReader(), PresentationReader(), WorkbookReader())


def find_main_part(package: Package) -> MainPart | None:
    """The officeDocument part named by the package relationships (or a well-known name)."""
    candidates = [r.target for r in package.related("", "officeDocument")]
    candidates += ["word/document.xml", "ppt/presentation.xml", "xl/workbook.xml"]
    for name in candidates:
        if package.has(name):
            return MainPart(name, package.content_type(name))
    return None


def file_media_type(main_content_type: str, fallback: str) -> str:
    """The file's media type from its main part's content type ("...document.main+xml" ->
    "...document"; macro-enabled variants end in ".12")."""
    ct = main_content_type.strip().lower()
    if not ct.endswith(".main+xml"):
        return fallback
    base = main_content_type.strip()[: -len(".main+xml")]
    if "macroenabled" in ct:
        return base.replace("macroEnabledTemplate", "macroEnabled") + ".12"
    return base


def core_title(package: Package) -> str:
    """dc:title from the core properties part ("" when absent)."""
    part = next((r.target for r in package.related("", "core-properties")), "docProps/core.xml")
    root = package.xml(part) if package.has(part) else None
    if root is None:
        return ""
    el = root.find(f"{{{DC_NS}}}title")
    return (el.text or "").strip() if el is not None else ""


def extract_package(source: Path | IO[bytes], name: str) -> Extraction:
    """Text of an OOXML package (a path or a decrypted in-memory file named `name`)."""
    office = Path(name).suffix.lower() in OFFICE_EXTENSIONS
    kind = kind_label(name, "ZIP") if office else "ZIP archive"
    package = Package(source, kind)
    main = find_main_part(package)
    if main is None:
        mimetype = (package.read("mimetype") or b"")[:100].decode("ascii", "replace").strip()
        if mimetype in _ZIP_MIMETYPES:
            raise Problem(
                ExtractionStatus.UNSUPPORTED,
                f"{_ZIP_MIMETYPES[mimetype]} files are not read yet; it is catalogued without "
                "text.",
                media_type=mimetype,
            )
        if office:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Corrupt file: the {kind} has no main document part.",
                media_type=media_type_for(name),
            )
        raise Problem(
            ExtractionStatus.UNSUPPORTED,
            "ZIP archive: catalogued without reading the files inside; unpack it and import "
            "the documents instead.",
            media_type="application/zip",
        )
    for reader in _readers():
        if reader.can_read(main):
            ext = reader.read(package, main)
            break
    else:
        raise Problem(
            ExtractionStatus.UNSUPPORTED,
            f"Unsupported Office package (main part {main.name}); it is catalogued without text.",
            media_type=media_type_for(name),
        )
    ext.media_type = file_media_type(main.content_type, media_type_for(name))
    if not ext.title:
        ext.title = core_title(package)
    if any(n.endswith("vbaproject.bin") for n in package.names()):
        ext.flags.append("macros")  # recorded, never run
    if package.damaged_parts and ext.status == ExtractionStatus.OK:
        if ext.text.strip():
            ext.status = ExtractionStatus.PARTIAL
            ext.reason = (
                "Partly read: some of the file's XML is damaged and was read as far as possible."
            )
        else:
            ext.status = ExtractionStatus.FAILED
            ext.reason = f"Corrupt file: the {kind}'s XML is damaged or nested too deeply."
    return ext


def is_family(main: MainPart, markers: tuple[str, ...], folder: str) -> bool:
    ct = main.content_type.lower()
    return any(m in ct for m in markers) or (not ct and main.name.lower().startswith(folder))


class OfficeZipExtractor(FormatExtractor):
    label = "Office document"
    magic = (b"PK\x03\x04", b"PK\x05\x06")
    extensions = OFFICE_EXTENSIONS | {".zip"}

    def extract(self, path: Path, password: str | None) -> Extraction:
        with path.open("rb") as f:
            return extract_package(f, path.name)
