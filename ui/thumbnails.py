"""Thumbnails of items' first files, rendered in the background and cached in the library.

The cache lives in `<library>/thumbnails/` as one small PNG per file content (named by the
file's SHA-256, so an unchanged file is never rendered twice and a replaced file gets a new
one). Like the search index it is derived: deleting the folder only costs re-rendering.
A file that has no thumbnail (a DOCX without an embedded preview, a broken PDF) gets an empty
`.none` marker so it is not retried on every scroll.

Sources: PDF first page (QtPdf, when the PySide6-Pdf wheel is installed), images (any format
Qt reads), and the preview picture that Office/LibreOffice embed in OOXML/ODF files
(`docProps/thumbnail.*`, `Thumbnails/thumbnail.png`). Rendering happens on the workers'
one-thread background pool; the GUI thread only turns finished QImages into pixmaps.
"""

from __future__ import annotations

import logging
import os
import zipfile
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPixmap
from sqlalchemy import select

from library.core import Library
from library.models import Asset, Item
from ui.ops import Task, Workers

log = logging.getLogger(__name__)

try:  # optional wheel: see ui/preview.py
    from PySide6.QtPdf import QPdfDocument

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installed wheels
    HAVE_QTPDF = False

THUMB_PX = 160  # longest side on disk; painted smaller (crisp at 200 % scaling)
CACHE_VERSION = "v1"  # bump to re-render every thumbnail after a rendering change
MEMORY_LIMIT = 600  # pixmaps kept in memory
MAX_EMBEDDED_BYTES = 4 * 1024 * 1024  # an embedded preview bigger than this is not a preview
OOXML_THUMBS = ("docProps/thumbnail.jpeg", "docProps/thumbnail.jpg", "docProps/thumbnail.png")
ODF_THUMBS = ("Thumbnails/thumbnail.png",)


def cache_dir(lib: Library) -> Path:
    return lib.root / "thumbnails"


def cache_path(lib: Library, sha256: str) -> Path:
    return cache_dir(lib) / sha256[:2] / f"{sha256}-{CACHE_VERSION}.png"


def first_files(lib: Library, keys: list[str]) -> dict[str, tuple[str, str]]:
    """item key -> (sha256, media type) of its first file (items without files are absent)."""
    if not keys:
        return {}
    out: dict[str, tuple[str, str]] = {}
    with lib.reader() as s:
        rows = s.execute(
            select(Item.key, Asset.sha256, Asset.media_type)
            .join(Asset, Asset.item_id == Item.id)
            .where(Item.key.in_(keys))
            .order_by(Asset.id)
        )
        for key, sha, media_type in rows:
            out.setdefault(key, (sha, media_type or ""))
    return out


def render(source: Path, media_type: str, size: int = THUMB_PX) -> QImage | None:
    """A thumbnail of `source` (any thread), or None when the format has none."""
    try:
        if media_type == "application/pdf":
            return _render_pdf(source, size) if HAVE_QTPDF else None
        if media_type.startswith("image/"):
            reader = QImageReader(str(source))
            reader.setAutoTransform(True)
            return _scaled(reader, size)
        if source.suffix.lower() in (".docx", ".pptx", ".xlsx", ".odt", ".odp", ".ods") or (
            "openxmlformats" in media_type or "opendocument" in media_type
        ):
            return _embedded_preview(source, size)
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        log.info("no thumbnail for %s: %s", source.name, e)
    return None


def _scaled(reader: QImageReader, size: int) -> QImage | None:
    src = reader.size()
    if src.isValid() and (src.width() > size or src.height() > size):
        reader.setScaledSize(src.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    img = reader.read()
    return None if img.isNull() else img


def _render_pdf(source: Path, size: int) -> QImage | None:
    doc = QPdfDocument()
    try:
        if doc.load(str(source)) != QPdfDocument.Error.None_ or doc.pageCount() < 1:
            return None
        page = doc.pagePointSize(0)
        if page.width() <= 0 or page.height() <= 0:
            return None
        scale = size / max(page.width(), page.height())
        target = QSize(max(1, round(page.width() * scale)), max(1, round(page.height() * scale)))
        img = doc.render(0, target)
        if img.isNull():
            return None
        # Pages render with a transparent background: put them on paper.
        paper = QImage(img.size(), QImage.Format.Format_RGB32)
        paper.fill(Qt.GlobalColor.white)
        p = QPainter(paper)
        p.drawImage(0, 0, img)
        p.end()
        return paper
    finally:
        doc.close()


def _embedded_preview(source: Path, size: int) -> QImage | None:
    with zipfile.ZipFile(source) as z:
        names = set(z.namelist())
        for name in (*OOXML_THUMBS, *ODF_THUMBS):
            if name in names and z.getinfo(name).file_size <= MAX_EMBEDDED_BYTES:
                data = QByteArray(z.read(name))
                buf = QBuffer(data)
                buf.open(QIODevice.OpenModeFlag.ReadOnly)
                img = _scaled(QImageReader(buf), size)
                # python-docx and some generators embed the same blank page in every file.
                return None if img is None or _blank(img) else img
    return None


def _blank(img: QImage) -> bool:
    """True for an (almost) single-colour picture: it would show an empty box."""
    small = img.scaled(24, 24).convertToFormat(QImage.Format.Format_Grayscale8)
    values = [small.pixelColor(x, y).value() for x in range(24) for y in range(24)]
    return max(values) - min(values) < 12


def load_or_render(lib: Library, sha256: str, media_type: str) -> QImage | None:
    """Worker thread: the cached thumbnail, rendering and caching it first when needed."""
    path = cache_path(lib, sha256)
    marker = path.with_suffix(".none")
    if path.is_file():
        cached = QImage(str(path))
        if not cached.isNull():
            return cached
    if marker.exists():
        return None
    source = lib.store.path_for(sha256)
    if not source.is_file():
        return None
    img = render(source, media_type)
    path.parent.mkdir(parents=True, exist_ok=True)
    if img is None:
        marker.touch()
        return None
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    if img.save(str(tmp), "PNG"):  # type: ignore[call-overload]  # (PySide stubs say bytes; it wants str)
        os.replace(tmp, path)  # atomic: a half-written PNG is never read
    return img


class Thumbnails(QObject):
    """GUI-side cache: `pixmap(key)` answers at once (or None) and queues what is missing;
    `ready` names the items whose thumbnail arrived (the list repaints them)."""

    ready = Signal(list)  # item keys

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self._pixmaps: OrderedDict[str, QPixmap | None] = OrderedDict()  # key -> pixmap/None
        self._queued: list[str] = []
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)  # batch the rows of one paint
        self._timer.timeout.connect(self._request)

    def pixmap(self, key: str) -> QPixmap | None:
        if key in self._pixmaps:
            self._pixmaps.move_to_end(key)
            return self._pixmaps[key]
        if key not in self._pending:
            self._pending.add(key)
            self._queued.append(key)
            if not self._timer.isActive():
                self._timer.start()
        return None

    @property
    def idle(self) -> bool:
        """Nothing queued or rendering (screenshots wait for it)."""
        return not self._pending and not self._queued

    def known(self, key: str) -> bool:
        return key in self._pixmaps

    def forget(self, keys: list[str] | None = None) -> None:
        """Files changed: drop cached pixmaps (all, or of these items)."""
        if keys is None:
            self._pixmaps.clear()
        else:
            for k in keys:
                self._pixmaps.pop(k, None)

    def _request(self) -> None:
        keys, self._queued = self._queued[-80:], []  # the newest rows are the ones on screen
        for k in set(self._pending) - set(keys):
            self._pending.discard(k)  # scrolled past: asked again if it comes back

        def run(task: Task) -> dict[str, QImage | None]:
            out: dict[str, QImage | None] = {}
            for key, (sha, media_type) in first_files(task.lib, keys).items():
                if task.cancel.requested:
                    break
                out[key] = load_or_render(task.lib, sha, media_type)
            for key in keys:
                out.setdefault(key, None)
            return out

        self.workers.background(run, owner=self, label="thumbnails").success(self._loaded).failure(
            lambda _e: self._pending.difference_update(keys)
        ).run()

    def _loaded(self, images: dict[str, QImage | None]) -> None:
        for key, img in images.items():
            self._pending.discard(key)
            self._pixmaps[key] = QPixmap.fromImage(img) if img is not None else None
        while len(self._pixmaps) > MEMORY_LIMIT:
            self._pixmaps.popitem(last=False)
        self.ready.emit(list(images))
