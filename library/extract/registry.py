"""The format registry and in-process extraction (no sandbox: the worker and tests call this).

Adding a format is one `FormatExtractor` subclass appended to `EXTRACTORS`. A file's format is
decided by magic bytes first (a PNG named .pdf is a PNG), then by extension.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

from library.extract.result import (
    REASON_MEMORY,
    REASON_TOO_DEEP,
    Extraction,
    Problem,
    time_budget,
)
from library.extract.text import finalize
from library.vocab import ExtractionStatus

log = logging.getLogger(__name__)

HEAD_BYTES = 8192

# Media types by extension: for files we cannot open (encrypted, corrupt) and for text formats.
MEDIA_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docm": "application/vnd.ms-word.document.macroEnabled.12",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ".dotm": "application/vnd.ms-word.template.macroEnabled.12",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptm": "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
    ".ppsx": "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
    ".ppsm": "application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
    ".potx": "application/vnd.openxmlformats-officedocument.presentationml.template",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".msg": "application/vnd.ms-outlook",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".log": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".json": "application/json",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".avif": "image/avif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".bmp": "image/bmp",
    ".svg": "image/svg+xml",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".mp3": "audio/mpeg",
}
OCTET_STREAM = "application/octet-stream"
# Formats whose text is cells, not prose: no summary paragraph is picked from them.
TABULAR_TYPES = {
    "text/csv",
    "text/tab-separated-values",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    "application/vnd.ms-excel.template.macroEnabled.12",
}


def suffixes(spec: str) -> frozenset[str]:
    """frozenset of file suffixes from a space-separated list (".docx .docm")."""
    return frozenset(spec.split())


def media_type_for(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), OCTET_STREAM)


def kind_label(name: str, default: str) -> str:
    """ "DOCX" for report.docx: how reasons name the format the user thinks the file is."""
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix.upper() if suffix and suffix.isalnum() and len(suffix) <= 5 else default


class FormatExtractor:
    """One file format: how to recognise it and how to read it.

    `extract` returns raw text (the registry normalizes, caps and describes it) and raises
    `Problem` for anything the user should hear about; other exceptions become "corrupt file"."""

    label = "file"  # how reasons name the format ("PDF")
    magic: tuple[bytes, ...] = ()
    extensions: frozenset[str] = frozenset()

    def sniff(self, head: bytes) -> bool:
        """True when the leading bytes say this is the format (extension ignored)."""
        return any(head.startswith(m) for m in self.magic)

    def can_extract(self, name: str, head: bytes) -> bool:
        return self.sniff(head) or Path(name).suffix.lower() in self.extensions

    def extract(self, path: Path, password: str | None) -> Extraction:
        raise NotImplementedError


def _extractors() -> Sequence[FormatExtractor]:
    # Imported here, not at module top, so `library.extract` stays cheap for the app process.
    from library.extract.formats.compound import CompoundFileExtractor
    from library.extract.formats.html import HtmlExtractor
    from library.extract.formats.media import ArchiveExtractor, ImageExtractor, VideoAudioExtractor
    from library.extract.formats.office import OfficeZipExtractor
    from library.extract.formats.pdf import PdfExtractor
    from library.extract.formats.plaintext import PlainTextExtractor, RtfExtractor

    # Order matters only among formats whose checks overlap: plain text is the last resort.
    return (
        PdfExtractor(),
        OfficeZipExtractor(),
        CompoundFileExtractor(),
        ImageExtractor(),
        VideoAudioExtractor(),
        ArchiveExtractor(),
        RtfExtractor(),
        HtmlExtractor(),
        PlainTextExtractor(),
    )


_REGISTRY: Sequence[FormatExtractor] | None = None


def extractors() -> Sequence[FormatExtractor]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _extractors()
    return _REGISTRY


def choose(name: str, head: bytes) -> FormatExtractor | None:
    """The extractor for a file: magic bytes first, then `can_extract` (extension, text sniff)."""
    for extractor in extractors():
        if extractor.sniff(head):
            return extractor
    for extractor in extractors():
        if extractor.can_extract(name, head):
            return extractor
    return None


def extract_unguarded(
    path: Path, password: str | None = None, *, time_limit: float | None = None
) -> Extraction:
    """Extraction without catching MemoryError/RecursionError (the worker handles those).

    Every other failure becomes an `Extraction` with a non-ok status and a reason."""
    path = Path(path)
    try:
        if not path.is_file():
            return Extraction(ExtractionStatus.FAILED, f"Missing file: {path.name} was not found.")
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        return Extraction(
            ExtractionStatus.FAILED,
            f"Could not open the file ({exc.strerror or type(exc).__name__}).",
            media_type=media_type_for(path.name),
        )
    media_type = media_type_for(path.name)
    if size == 0:
        return _empty(path, media_type)
    extractor = choose(path.name, head)
    if extractor is None:
        suffix = path.suffix.lower()
        what = f"{suffix} files" if suffix else "files of this type"
        return Extraction(
            ExtractionStatus.UNSUPPORTED,
            f"Unsupported file type: Frontline does not read {what}; it is catalogued "
            "without text.",
            media_type=media_type,
        )
    try:
        with warnings.catch_warnings(), time_budget(time_limit):
            # Parsers warn about every oddity of hostile files; the status says what matters.
            warnings.simplefilter("ignore")
            ext = extractor.extract(path, password)
    except Problem as p:
        return Extraction(p.status, p.reason, media_type=p.media_type or media_type)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a parser bug or a file broken in a way nobody anticipated
        log.info("extracting %s failed", path.name, exc_info=True)
        return Extraction(
            ExtractionStatus.FAILED,
            f"Corrupt file: the {extractor.label} could not be read ({_short(exc)}).",
            media_type=media_type,
        )
    return finalize(ext, prose=ext.media_type not in TABULAR_TYPES)


def extract_in_process(
    path: Path, password: str | None = None, *, time_limit: float | None = None
) -> Extraction:
    """Extract `path` in this process, without the sandbox. Never raises for bad input.

    Use the sandboxed `extract_file`/`ExtractorPool` for untrusted files in the app: this
    function has no memory or time limit beyond `time_limit`'s soft page/row budget."""
    try:
        return extract_unguarded(path, password, time_limit=time_limit)
    except MemoryError:
        return Extraction(
            ExtractionStatus.FAILED, REASON_MEMORY, media_type=media_type_for(Path(path).name)
        )
    except RecursionError:
        return Extraction(
            ExtractionStatus.FAILED, REASON_TOO_DEEP, media_type=media_type_for(Path(path).name)
        )


def _empty(path: Path, media_type: str) -> Extraction:
    """A zero-byte file: fine for text formats (empty text), corrupt for everything else."""
    from library.extract.formats.plaintext import TEXT_EXTENSIONS

    if path.suffix.lower() in TEXT_EXTENSIONS or media_type.startswith("text/"):
        return Extraction(ExtractionStatus.OK, media_type=media_type, page_count=None)
    return Extraction(
        ExtractionStatus.FAILED, "Corrupt file: the file is empty (0 bytes).", media_type=media_type
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."
