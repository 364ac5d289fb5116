"""Images, video/audio and archives: recognised by their bytes and catalogued without text.

Images get status image-only (their text would need OCR); nothing here decodes pixels, so a
decompression-bomb image costs nothing. HEIC/AVIF are told apart from MP4 by the ftyp brand.
"""

from __future__ import annotations

from pathlib import Path

from library.extract.registry import FormatExtractor, media_type_for, suffixes
from library.extract.result import Extraction
from library.vocab import ExtractionStatus

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"8BPS", "image/vnd.adobe.photoshop"),
)
_FTYP_IMAGES = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic-sequence",
    b"hevx": "image/heic-sequence",
    b"mif1": "image/heif",
    b"msf1": "image/heif-sequence",
    b"avif": "image/avif",
    b"avis": "image/avif",
}
_FTYP_AV = {
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3g2a": "video/3gpp2",
}
IMAGE_REASON = "Image: catalogued without text (no OCR)."


def _ftyp_brands(head: bytes) -> list[bytes]:
    """Major and compatible brands of an ISO-BMFF file (HEIF, AVIF, MP4, MOV), else []."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return []
    size = int.from_bytes(head[0:4], "big")
    end = min(max(size, 16), len(head), 256)
    return [head[8:12]] + [head[i : i + 4] for i in range(16, end - 3, 4)]


def image_type(head: bytes) -> str | None:
    for magic, media_type in _IMAGE_MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) > 26 and head[6:10] == b"\x00\x00\x00\x00":
        return "image/bmp"  # "BM" alone is too weak: the reserved bytes must be zero
    brands = _ftyp_brands(head)
    if brands and brands[0] in _FTYP_IMAGES:
        return _FTYP_IMAGES[brands[0]]
    for brand in brands[1:]:
        if brand in _FTYP_IMAGES and brands[0] not in _FTYP_AV:
            return _FTYP_IMAGES[brand]
    return None


def av_type(head: bytes) -> str | None:
    brands = _ftyp_brands(head)
    if brands:
        return _FTYP_AV.get(brands[0], "video/mp4") if image_type(head) is None else None
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:3] == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3"):
        return "audio/mpeg"
    if head[:4] == b"OggS":
        return "audio/ogg"
    return None


class ImageExtractor(FormatExtractor):
    label = "image"
    extensions = suffixes(
        ".png .jpg .jpeg .gif .tif .tiff .bmp .webp .heic .heif .avif .ico .svg .psd"
    )

    def sniff(self, head: bytes) -> bool:
        return image_type(head) is not None

    def extract(self, path: Path, password: str | None) -> Extraction:
        with path.open("rb") as f:
            head = f.read(512)
        media_type = image_type(head) or media_type_for(path.name)
        return Extraction(ExtractionStatus.IMAGE_ONLY, IMAGE_REASON, media_type=media_type)


class VideoAudioExtractor(FormatExtractor):
    label = "video"
    extensions = suffixes(".mp4 .m4v .mov .webm .avi .mkv .mp3 .m4a .wav .ogg")

    def sniff(self, head: bytes) -> bool:
        return av_type(head) is not None

    def extract(self, path: Path, password: str | None) -> Extraction:
        with path.open("rb") as f:
            head = f.read(512)
        media_type = av_type(head) or media_type_for(path.name)
        what = "Audio" if media_type.startswith("audio/") else "Video"
        return Extraction(
            ExtractionStatus.UNSUPPORTED,
            f"{what}: catalogued without text (no transcription).",
            media_type=media_type,
        )


_ARCHIVE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"\x28\xb5\x2f\xfd", "application/zstd"),
)


class ArchiveExtractor(FormatExtractor):
    """Compressed archives other than ZIP (ZIP is handled with the Office formats)."""

    label = "archive"
    extensions = suffixes(".7z .rar .gz .tgz .bz2 .xz .zst .tar")

    def sniff(self, head: bytes) -> bool:
        return any(head.startswith(m) for m, _ in _ARCHIVE_MAGIC) or head[257:262] == b"ustar"

    def extract(self, path: Path, password: str | None) -> Extraction:
        with path.open("rb") as f:
            head = f.read(512)
        media_type = next((t for m, t in _ARCHIVE_MAGIC if head.startswith(m)), "")
        if not media_type:
            media_type = "application/x-tar" if head[257:262] == b"ustar" else "application/zip"
        return Extraction(
            ExtractionStatus.UNSUPPORTED,
            "Archive: catalogued without reading the files inside; unpack it and import "
            "the documents instead.",
            media_type=media_type,
        )
