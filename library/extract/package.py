"""Hostile-input guards for ZIP packages and XML parts (OOXML, altChunks).

Zip bombs are refused from the central directory *before* anything is inflated, and reading a
member never inflates more than the size its directory entry declares (zipfile stops there and
fails the CRC). XML is parsed with entity resolution, DTD loading and network access off, and
any part that declares entities is refused outright: Office never writes DTDs, so one in a part
is an attack (billion laughs, XXE), not a document.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from library.extract.result import REASON_XML_BOMB, Problem
from library.vocab import ExtractionStatus

MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 512 << 20  # uncompressed, all members together
MAX_MEMBER_BYTES = 256 << 20  # uncompressed, one member
MAX_RATIO = 200  # uncompressed / compressed, checked on members big enough to matter
RATIO_MIN_BYTES = 4 << 20
_DTD_SCAN_BYTES = 64 << 10

REL_NS_SUFFIX = "/relationships"


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


def local(tag: object) -> str:
    """Local name of an lxml tag ("{ns}p" -> "p"); "" for comments and PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: object) -> str:
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def refuse_entities(head: bytes) -> None:
    """Raise Problem when the start of an XML document declares entities (a bomb or XXE)."""
    sample = head[:_DTD_SCAN_BYTES].replace(b"\x00", b"")  # also catches UTF-16 parts
    if b"<!ENTITY" in sample:
        raise Problem(ExtractionStatus.FAILED, REASON_XML_BOMB)


def xml_parser(*, recover: bool = False) -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,  # libxml2's limits on depth and text-node size stay on
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def parse_xml(data: bytes) -> tuple[Any, bool]:
    """(root element, damaged). Damaged XML is re-read in libxml2's recover mode.

    Raises Problem for entity declarations and for XML that cannot be read even when recovering."""
    from lxml import etree

    refuse_entities(data)
    try:
        root = etree.fromstring(data, xml_parser())
        damaged = False
    except etree.XMLSyntaxError:
        try:
            root = etree.fromstring(data, xml_parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        damaged = True
    if root is None:
        raise Problem(ExtractionStatus.FAILED, "Corrupt file: its XML could not be read.")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise Problem(ExtractionStatus.FAILED, REASON_XML_BOMB)
    return root, damaged


@dataclass(frozen=True, slots=True)
class Relationship:
    id: str
    type: str  # last segment of the relationship type URI ("officeDocument", "slide")
    target: str  # part name without leading "/" (resolved), or the raw URI when external
    external: bool


class Package:
    """A ZIP-based package (OOXML) opened behind the bomb checks; parts are read on demand.

    `kind` names the format in user-facing reasons ("DOCX", "ZIP")."""

    def __init__(self, source: Path | IO[bytes], kind: str) -> None:
        self.kind = kind
        self.damaged_parts: list[str] = []
        try:
            self.zip = zipfile.ZipFile(source)
            infos = self.zip.infolist()
        except zipfile.BadZipFile as exc:
            what = "truncated" if "not a zip file" in str(exc) else "damaged"
            raise Problem(
                ExtractionStatus.FAILED, f"Corrupt file: the {kind} archive is {what}."
            ) from None
        except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise Problem(
                ExtractionStatus.FAILED, f"Corrupt file: the {kind} archive is damaged."
            ) from None
        self._check_bomb(infos)
        # Part names are case-insensitive in OPC; the first of duplicate names wins.
        self._parts: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._parts.setdefault(info.filename.lstrip("/").lower(), info)
        self._rels: dict[str, list[Relationship]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None

    def _check_bomb(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > MAX_MEMBERS:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Refused: the archive holds {len(infos):,} files, more than a document ever has.",
            )
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        bomb = any(
            i.file_size >= RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1)
            for i in infos
        )
        too_big = total > MAX_TOTAL_BYTES or any(i.file_size > MAX_MEMBER_BYTES for i in infos)
        if bomb or (too_big and total > 20 * packed):
            raise Problem(
                ExtractionStatus.FAILED,
                f"Refused: the file is a zip bomb ({human_size(packed)} that would inflate "
                f"to {human_size(total)}).",
            )
        if too_big:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Refused: the file would inflate to {human_size(total)}, too large to read.",
            )
        if any(i.flag_bits & 0x1 for i in infos):
            raise Problem(
                ExtractionStatus.ENCRYPTED,
                f"Encrypted: the {self.kind} archive's contents are password-protected.",
            )

    # -- parts -----------------------------------------------------------------------------
    def names(self) -> list[str]:
        """All part names, lower-cased, without leading "/"."""
        return list(self._parts)

    def has(self, part: str) -> bool:
        return part.lstrip("/").lower() in self._parts

    def size(self, part: str) -> int:
        info = self._parts.get(part.lstrip("/").lower())
        return info.file_size if info else 0

    def read(self, part: str) -> bytes | None:
        """The bytes of `part` (None when absent). Never inflates beyond the declared size."""
        info = self._parts.get(part.lstrip("/").lower())
        if info is None:
            return None
        try:
            with self.zip.open(info) as f:
                return f.read(info.file_size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Corrupt file: the {self.kind} archive is damaged ({info.filename}: "
                f"{_short(exc)}).",
            ) from None

    def open(self, part: str) -> IO[bytes] | None:
        """A stream over `part` for incremental parsing (None when absent)."""
        info = self._parts.get(part.lstrip("/").lower())
        return None if info is None else self.zip.open(info)

    def xml(self, part: str) -> Any | None:
        """The parsed root of an XML part, or None when absent."""
        data = self.read(part)
        if data is None:
            return None
        try:
            root, damaged = parse_xml(data)
        except Problem as p:
            if p.reason == REASON_XML_BOMB:
                raise
            raise Problem(
                ExtractionStatus.FAILED,
                f"Corrupt file: the {self.kind} has unreadable XML in {part}.",
            ) from None
        if damaged:
            self.damaged_parts.append(part)
        return root

    # -- relationships ---------------------------------------------------------------------
    def rels(self, part: str) -> list[Relationship]:
        """Relationships of `part` ("" = the package), targets resolved to part names."""
        part = part.lstrip("/")
        if part in self._rels:
            return self._rels[part]
        folder, _, name = part.rpartition("/")
        rels_part = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        found: list[Relationship] = []
        root = self.xml(rels_part) if self.has(rels_part) else None
        if root is not None:
            for el in root:
                if local(el.tag) != "Relationship":
                    continue
                target = el.get("Target") or ""
                external = (el.get("TargetMode") or "").lower() == "external"
                if not external:
                    target = resolve(folder, target)
                rel_type = (el.get("Type") or "").rstrip("/").rpartition("/")[2]
                found.append(Relationship(el.get("Id") or "", rel_type, target, external))
        self._rels[part] = found
        return found

    def related(self, part: str, rel_type: str) -> Iterator[Relationship]:
        for rel in self.rels(part):
            if rel.type == rel_type and not rel.external:
                yield rel

    def rel_by_id(self, part: str) -> dict[str, Relationship]:
        return {r.id: r for r in self.rels(part)}

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(overrides by part name, defaults by extension), all lower-cased."""
        if self._types is not None:
            return self._types
        overrides: dict[str, str] = {}
        defaults: dict[str, str] = {}
        self._types = overrides, defaults
        root = self.xml("[Content_Types].xml")
        if root is None:
            return self._types
        for el in root:
            name = local(el.tag)
            ct = (el.get("ContentType") or "").strip()
            if name == "Override":
                overrides[(el.get("PartName") or "").lstrip("/").lower()] = ct
            elif name == "Default":
                defaults[(el.get("Extension") or "").lower()] = ct
        return self._types

    def content_type(self, part: str) -> str:
        overrides, defaults = self.content_types()
        key = part.lstrip("/").lower()
        return overrides.get(key) or defaults.get(key.rpartition(".")[2], "")


def resolve(folder: str, target: str) -> str:
    """A relationship target resolved against the source part's folder (OPC rules)."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    joined = posixpath.normpath(posixpath.join(folder, target)) if folder else target
    return posixpath.normpath(joined).lstrip("/")


def attr_by_local(el: Any, name: str) -> str:
    """An attribute by local name whatever its namespace (r:id is in different namespaces in
    transitional and Strict OOXML)."""
    for key, value in el.attrib.items():
        if local(key) == name:
            return str(value)
    return ""


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def rel_id(el: Any) -> str:
    """r:id of an element (not a plain `id` attribute), whatever the relationships namespace."""
    for key, value in el.attrib.items():
        if key.startswith("{") and key.endswith("}id") and "relationships" in key:
            return str(value)
    return ""


def iter_xml(package: Package, part: str) -> Iterator[Any]:
    """Stream the elements of a (possibly huge) XML part as they end, with the same hardening
    as `parse_xml`. Callers clear elements they are done with to keep memory flat."""
    from lxml import etree

    head = package.open(part)
    if head is None:
        return
    with head:
        refuse_entities(head.read(_DTD_SCAN_BYTES))
    stream = package.open(part)
    assert stream is not None
    with stream:
        context = etree.iterparse(
            stream,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for _event, el in context:
                yield el
        except etree.XMLSyntaxError:
            package.damaged_parts.append(part)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise Problem(
                ExtractionStatus.FAILED,
                f"Corrupt file: the {package.kind} archive is damaged ({part}: {_short(exc)}).",
            ) from None
