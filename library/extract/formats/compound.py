"""OLE2 compound files: password-protected OOXML (an "EncryptedPackage" stream) and the legacy
binary Office formats, which are recognised but not read.

With a password, msoffcrypto-tool decrypts the package into memory and the normal OOXML path
reads it; nothing decrypted touches the disk.
"""

from __future__ import annotations

import io
from pathlib import Path

from library.extract.registry import FormatExtractor, kind_label, media_type_for
from library.extract.result import Extraction, Problem
from library.vocab import ExtractionStatus

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ENCRYPTED_BYTES = 512 << 20

_LEGACY = (
    ("WordDocument", "Word 97-2003 document (.doc)", "application/msword", ".docx"),
    ("Workbook", "Excel 97-2003 workbook (.xls)", "application/vnd.ms-excel", ".xlsx"),
    ("Book", "Excel 5 workbook (.xls)", "application/vnd.ms-excel", ".xlsx"),
    ("PowerPoint Document", "PowerPoint 97-2003 presentation (.ppt)",
     "application/vnd.ms-powerpoint", ".pptx"),
)  # fmt: skip


class CompoundFileExtractor(FormatExtractor):
    label = "Office document"
    magic = (OLE2_MAGIC,)
    extensions = frozenset({".doc", ".xls", ".ppt", ".msg", ".dot", ".xlt", ".pot"})

    def extract(self, path: Path, password: str | None) -> Extraction:
        import olefile

        media_type = media_type_for(path.name)
        try:
            ole = olefile.OleFileIO(str(path))
        except MemoryError:
            raise
        except Exception:  # olefile raises OSError and its own errors for broken headers
            raise Problem(
                ExtractionStatus.FAILED,
                "Corrupt file: the Office file's container is damaged.",
                media_type=media_type,
            ) from None
        try:
            if ole.exists("EncryptedPackage"):
                return _decrypt_and_read(path, password, media_type)
            for stream, what, legacy_type, modern in _LEGACY:
                if ole.exists(stream):
                    raise Problem(
                        ExtractionStatus.UNSUPPORTED,
                        f"{what} files are not read; save it as {modern} to make its text "
                        "searchable.",
                        media_type=legacy_type,
                    )
            if any(entry[0].startswith("__substg1.0_") for entry in ole.listdir()):
                raise Problem(
                    ExtractionStatus.UNSUPPORTED,
                    "Outlook messages (.msg) are not read; it is catalogued without text.",
                    media_type="application/vnd.ms-outlook",
                )
            raise Problem(
                ExtractionStatus.UNSUPPORTED,
                "Unsupported file type: an OLE2 compound file Frontline does not read.",
                media_type=media_type,
            )
        finally:
            ole.close()


def _decrypt_and_read(path: Path, password: str | None, media_type: str) -> Extraction:
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, InvalidKeyError

    from library.extract.formats.office import extract_package

    kind = kind_label(path.name, "Office document")
    if not password:
        raise Problem(
            ExtractionStatus.ENCRYPTED,
            f"Encrypted: this {kind} needs a password to open.",
            media_type=media_type,
        )
    if path.stat().st_size > MAX_ENCRYPTED_BYTES:
        raise Problem(
            ExtractionStatus.UNSUPPORTED,
            "Refused: the encrypted file is too large to decrypt in memory.",
            media_type=media_type,
        )
    plain = io.BytesIO()
    with path.open("rb") as f:
        try:
            office = msoffcrypto.OfficeFile(f)
            office.load_key(password=password, verify_password=True)
            office.decrypt(plain)
        except InvalidKeyError:
            raise Problem(
                ExtractionStatus.ENCRYPTED,
                f"Encrypted: the password did not open it (this {kind} needs the right password).",
                media_type=media_type,
            ) from None
        except (DecryptionError, ValueError, OSError, KeyError, AssertionError) as exc:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Corrupt file: the encrypted {kind} could not be decrypted ({exc}).",
                media_type=media_type,
            ) from None
    plain.seek(0)
    ext = extract_package(plain, path.name)
    ext.flags.append("password-protected")
    return ext
