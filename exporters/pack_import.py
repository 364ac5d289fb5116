"""Re-opening a reseller pack: `import_pack()` checks every member against manifest.json, then
adds the items to the library as a read-only collection.

Order of work, so a bad pack changes nothing:
1. member names, types and sizes are checked (zip-slip: no absolute paths, `..`, backslashes,
   drive letters or symlinks; zip bombs: member count, declared and actual sizes and the
   compression ratio are capped);
2. manifest.json is read and validated; every listed file must be present with its size and
   SHA-256, and nothing unlisted may be present;
3. only then are the originals streamed into the content-addressed file store (member names are
   never used as paths) and one transaction adds the items (see `_apply`).

The read-only collection: each item gets a key derived from the sender's library id and item
key (uuid5), so a newer pack from the same sender updates the same items; status approved,
expiry = the pack's valid-until, a tag "pack: <name>", and a `ReceivedPackItem` row linking it
to its `ReceivedPack` (library.branding); `read_only_reason()` is what edit services check.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from exporters.names import safe_filename
from exporters.pack import CHUNK, MANIFEST_JSON, PACK_FORMAT, PACK_FORMAT_VERSION
from library.errors import InvalidInput, LibraryError

if TYPE_CHECKING:
    from exporters.base import Steps
    from library.core import Library
    from library.progress import Cancel, ProgressCallback

log = logging.getLogger(__name__)

# Import limits: a pack holds documents, not a disk image.
MAX_MEMBERS = 5_000
MAX_MEMBER_BYTES = 1 << 30  # 1 GiB per file
MAX_TOTAL_BYTES = 4 << 30  # 4 GiB per pack
MAX_MANIFEST_BYTES = 16 << 20
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB
PACK_NAMESPACE = uuid.UUID("6f1d7c4e-3b0a-4a8e-9a43-5f0c2d9e7b11")


class TamperedPack(LibraryError):
    """The pack does not match its manifest (or is not a Frontline pack); nothing was imported."""


# -- import --------------------------------------------------------------------------------------
@dataclass(slots=True)
class ImportedItem:
    key: str  # the key in this library
    source_key: str  # the key in the sender's library
    title: str
    version: int
    outcome: str  # added | updated | unchanged


@dataclass(slots=True)
class ImportPackReport:
    pack_id: str
    name: str
    sender: str
    valid_until: date | None
    items: list[ImportedItem] = field(default_factory=list)
    files: int = 0
    already_imported: bool = False
    tag: str = ""
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def import_pack(
    lib: Library,
    path: Path,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ImportPackReport:
    """Verify the pack at `path` against its manifest, then add its items to the library as a
    read-only collection. Raises TamperedPack/InvalidInput (nothing changed) on any mismatch and
    ExportCancelled when `cancel` is set before the items are added.
    Importing the same pack again changes nothing; a newer pack from the same sender updates the
    items it carries (matched by the sender's item key)."""
    from exporters.base import Steps

    started = time.monotonic()
    steps = Steps(progress, cancel, 2, "The pack import was cancelled; nothing was imported.")
    path = path.expanduser()
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise TamperedPack(f"{path.name} is not a readable zip file ({e}).") from None
    with zf:
        steps.step(f"Reading {path.name}")
        members = _checked_members(zf, path.name)
        root, manifest, manifest_sha = _read_manifest(zf, members, path.name)
        originals = sum(1 for f in manifest["files"] if f.get("role") == "original")
        steps.total += len(manifest["files"]) + 2 * originals
        files = _verify(zf, members, root, manifest, path.name, steps)
        report = ImportPackReport(
            pack_id=manifest["pack_id"],
            name=manifest["name"],
            sender=manifest["sender"]["company"],
            valid_until=_date(manifest.get("valid_until")),
            files=len(files),
        )
        from library.branding import ReceivedPack

        with lib.reader() as s:
            known = s.query(ReceivedPack).filter_by(pack_id=manifest["pack_id"]).first()
        if known is not None:
            report.already_imported = True
            report.seconds = round(time.monotonic() - started, 3)
            return report
        stored = _store_originals(lib, zf, root, files, steps)
    texts = _extract_texts(lib, stored, report, steps)
    steps.step("Adding the items")
    _apply(lib, manifest, manifest_sha, path.name, stored, texts, report)
    steps.finish(f"Imported {report.name}")
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _checked_members(zf: zipfile.ZipFile, label: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise TamperedPack(
            f"{label} holds {len(infos)} entries; a pack holds at most {MAX_MEMBERS}."
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if not _safe_member_name(name):
            raise TamperedPack(f"{label} contains an unsafe path ({name[:80]!r}); not imported.")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise TamperedPack(f"{label} contains a symbolic link ({name[:80]}); not imported.")
        if name in members:
            raise TamperedPack(f"{label} contains {name[:80]} twice; not imported.")
        if info.file_size > MAX_MEMBER_BYTES:
            raise TamperedPack(f"{label}: {name[:80]} is larger than 1 GiB; not imported.")
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TamperedPack(
                f"{label}: {name[:80]} expands more than {MAX_RATIO}-fold (a zip bomb?); "
                "not imported."
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise TamperedPack(f"{label} expands to more than 4 GiB; not imported.")
        members[name] = info
    return members


def _safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    parts = PurePosixPath(name).parts
    return all(p not in ("", ".", "..") for p in parts)


def _read_manifest(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], label: str
) -> tuple[str, dict[str, Any], str]:
    candidates = [
        n for n in members if PurePosixPath(n).name == MANIFEST_JSON and n.count("/") <= 1
    ]
    if len(candidates) != 1:
        raise TamperedPack(
            f"{label} is not a Frontline pack: it has "
            + ("no manifest.json." if not candidates else "more than one manifest.json.")
        )
    name = candidates[0]
    root = name[: -len(MANIFEST_JSON)]
    data = _read_member(zf, members[name], MAX_MANIFEST_BYTES, label)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TamperedPack(f"{label}: manifest.json is not valid JSON ({e}).") from None
    _validate_manifest(manifest, label)
    return root, manifest, hashlib.sha256(data).hexdigest()


def _validate_manifest(m: Any, label: str) -> None:
    def bad(why: str) -> TamperedPack:
        return TamperedPack(f"{label}: manifest.json {why}; not imported.")

    if not isinstance(m, dict) or m.get("format") != PACK_FORMAT:
        raise bad("is not a Frontline pack manifest")
    version = m.get("format_version")
    if not isinstance(version, int) or version > PACK_FORMAT_VERSION:
        raise TamperedPack(
            f"{label} was written by a newer Frontline (pack format {version}); "
            "update Frontline to open it."
        )
    for key in ("pack_id", "name"):
        if not isinstance(m.get(key), str) or not m[key].strip():
            raise bad(f"has no {key}")
    if not isinstance(m.get("sender"), dict) or not isinstance(m["sender"].get("company"), str):
        raise bad("has no sender")
    if not isinstance(m.get("files"), list) or not isinstance(m.get("items"), list):
        raise bad("has no file or item list")
    for f in m["files"]:
        if not (
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", f["sha256"])
            and isinstance(f.get("size"), int)
        ):
            raise bad("lists a file without path, size and SHA-256")
    keys = [it.get("key") for it in m["items"] if isinstance(it, dict)]
    if len(set(keys)) != len(keys):
        raise bad("lists an item twice")
    for it in m["items"]:
        if not (
            isinstance(it, dict)
            and isinstance(it.get("key"), str)
            and isinstance(it.get("title"), str)
            and isinstance(it.get("version", 1), int)
            and isinstance(it.get("files", []), list)
        ):
            raise bad("lists an item without key and title")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    buf = bytearray()
    for chunk in _member_chunks(zf, info, limit, label):
        buf += chunk
    return bytes(buf)


def _member_chunks(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str
) -> Iterator[bytes]:
    """The member's bytes, refusing more than `limit` or than the size its header declares
    (a forged header must not let a bomb through)."""
    read = 0
    cap = min(limit, info.file_size)
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > cap:
                    raise TamperedPack(
                        f"{label}: {info.filename[:80]} is larger than declared; not imported."
                    )
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as e:
        raise TamperedPack(
            f"{label}: {info.filename[:80]} is damaged ({e}); not imported."
        ) from None


def _verify(
    zf: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    root: str,
    manifest: dict[str, Any],
    label: str,
    steps: Steps,
) -> dict[str, dict[str, Any]]:
    """Check every member against the manifest before anything is applied.

    Returns {path: file entry}. Raises TamperedPack listing the first problems."""
    listed: dict[str, dict[str, Any]] = {}
    for f in manifest["files"]:
        if not _safe_member_name(f["path"]) or f["path"] in listed:
            raise TamperedPack(f"{label}: manifest.json lists an unsafe or repeated path.")
        listed[f["path"]] = f
    problems: list[str] = []
    present = {n[len(root) :]: info for n, info in members.items() if n.startswith(root)}
    strays = [n for n in members if not n.startswith(root)]
    for n in sorted(set(present) - set(listed) - {MANIFEST_JSON}) + strays:
        problems.append(f"{n} is not in the manifest")
    for p in sorted(set(listed) - set(present)):
        problems.append(f"{p} is missing")
    for p, f in listed.items():
        steps.step(f"Checking {PurePosixPath(p).name}")
        info = present.get(p)
        if info is None:
            continue
        if info.file_size != f["size"]:
            problems.append(f"{p} has the wrong size")
            continue
        h = hashlib.sha256()
        for chunk in _member_chunks(zf, info, MAX_MEMBER_BYTES, label):
            h.update(chunk)
        if h.hexdigest() != f["sha256"]:
            problems.append(f"{p} does not match its SHA-256")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise TamperedPack(
            f"{label} was changed after it was made ({shown}). Nothing was imported; "
            "ask the sender for a fresh copy."
        )
    return listed


@dataclass(slots=True)
class _StoredFile:
    path: str
    name: str
    sha256: str
    size: int
    media_type: str
    item_key: str | None


def _store_originals(
    lib: Library,
    zf: zipfile.ZipFile,
    root: str,
    files: dict[str, dict[str, Any]],
    steps: Steps,
) -> dict[str, _StoredFile]:
    """Stream the originals into the file store (blobs before the DB, see library.store)."""
    stored: dict[str, _StoredFile] = {}
    for p, f in files.items():
        if f.get("role") != "original":
            continue
        steps.step(f"Storing {PurePosixPath(p).name}")
        info = zf.getinfo(root + p)
        stream = cast(BinaryIO, _ChunkReader(_member_chunks(zf, info, f["size"], p)))
        digest, size = lib.store.add_stream(stream)
        if digest != f["sha256"]:  # the zip changed on disk between the two passes
            raise TamperedPack(f"{p} changed while it was imported; nothing was imported.")
        stored[p] = _StoredFile(
            p,
            PurePosixPath(p).name,
            digest,
            size,
            str(f.get("media_type") or "application/octet-stream"),
            f.get("item_key"),
        )
    return stored


class _ChunkReader(io.RawIOBase):
    """A read-only stream over an iterator of chunks (for FileStore.add_stream)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buf) < size:
            try:
                self._buf += next(self._chunks)
            except StopIteration:
                break
        if size < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:size], self._buf[size:]
        return out


def _extract_texts(
    lib: Library, stored: dict[str, _StoredFile], report: ImportPackReport, steps: Steps
) -> dict[str, Any]:
    """Extract text for search with the library's sandboxed extractor, when it is available."""
    try:
        from library.extract import ExtractorPool
    except ImportError:
        if stored:
            report.warnings.append(
                "Text extraction is not available in this installation: the items are searchable "
                "by title and summary only."
            )
        return {}
    texts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="frontline-pack-text-") as tmp, ExtractorPool() as pool:
        for p, f in stored.items():
            steps.step(f"Reading the text of {f.name}")
            staged = Path(tmp) / safe_filename(f.name)
            shutil.copyfile(lib.store.path_for(f.sha256), staged)
            try:
                texts[p] = pool.extract(staged)
            except Exception as e:  # extraction is best effort; the import goes on
                log.warning("text extraction of %s failed: %s", f.name, e)
            staged.unlink(missing_ok=True)
    return texts


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _apply(
    lib: Library,
    manifest: dict[str, Any],
    manifest_sha: str,
    file_name: str,
    stored: dict[str, _StoredFile],
    texts: dict[str, Any],
    report: ImportPackReport,
) -> None:
    """One transaction: the received-pack record, its items (added or updated), their files,
    a tag naming the pack, activity and the search outbox."""
    from sqlalchemy import select

    from library import items as item_service
    from library import terms as taxonomy
    from library.branding import ReceivedPack, ReceivedPackItem
    from library.models import Asset, CaseStudy, Item, utcnow
    from library.vocab import FORMATS, Audience, Status, canonical, canonical_format

    sender = manifest["sender"]
    source_library = str(sender.get("library_id") or "")
    tag = f"pack: {manifest['name']}"[:200]
    report.tag = tag
    with lib.transaction() as s:
        pack = ReceivedPack(
            pack_id=manifest["pack_id"],
            name=manifest["name"][:300],
            sender=str(sender.get("company", ""))[:200],
            source_library=source_library[:64],
            partner=str((manifest.get("partner") or {}).get("name", ""))[:200],
            prepared_for=str(manifest.get("prepared_for", ""))[:200],
            created_at=str(manifest.get("created_at", ""))[:40],
            valid_until=_date(manifest.get("valid_until")),
            manifest_sha256=manifest_sha,
            file_name=file_name[:500],
            imported_at=utcnow(),
            imported_by=lib.actor,
        )
        s.add(pack)
        s.flush()
        (tag_term,), _ = taxonomy.resolve(s, "tag", [tag])
        for entry in manifest["items"]:
            source_key = entry["key"]
            version = int(entry.get("version", 1))
            local_key = str(uuid.uuid5(PACK_NAMESPACE, f"{source_library}:{source_key}"))
            item = s.scalar(select(Item).where(Item.key == local_key))
            outcome = "added"
            if item is not None and item.version >= version:
                outcome = "unchanged"
            else:
                if item is None:
                    item = Item(key=local_key, title="", kind="", format="")
                    s.add(item)
                else:
                    outcome = "updated"
                    item.assets.clear()
                try:
                    fmt = canonical_format(str(entry.get("format", "document")))
                except ValueError:
                    fmt = "document"
                try:
                    audience = canonical(Audience, str(entry.get("audience", "partner"))).value
                except ValueError:
                    audience = Audience.PARTNER.value
                item.title = str(entry["title"])[:500] or "Untitled"
                item.summary = str(entry.get("summary") or "")
                item.format, item.kind = fmt, FORMATS[fmt].value
                item.status = Status.APPROVED.value  # the sender approved it; read-only here
                item.audience = audience
                item.version = version
                item.expires_on = _date(entry.get("valid_until"))
                item.published_at = utcnow().date()
                item.change_note = f"Received in the pack '{manifest['name']}'."
                item.updated_at = utcnow()
                cs = entry.get("case_study")
                if isinstance(cs, dict):
                    # update in place: a replacement row would collide on the item_id key
                    if item.case_study is None:
                        item.case_study = CaseStudy()
                    for k in item_service.CASE_STUDY_FIELDS:
                        if k != "results":
                            setattr(item.case_study, k, str(cs.get(k) or ""))
                    results = cs.get("results")
                    item.case_study.results = results if isinstance(results, list) else []
                else:
                    item.case_study = None
                for pos, p in enumerate(x for x in entry.get("files", []) if x in stored):
                    f = stored[p]
                    ext = texts.get(p)
                    asset = Asset(
                        position=pos,
                        original_name=f.name,
                        media_type=f.media_type,
                        size=f.size,
                        sha256=f.sha256,
                        extraction_status="unsupported",
                        extraction_reason="Text extraction is not available.",
                    )
                    if ext is not None:
                        asset.media_type = ext.media_type or f.media_type
                        asset.page_count = ext.page_count
                        asset.extraction_status = ext.status
                        asset.extraction_reason = ext.reason
                        asset.text = ext.text
                        asset.text_chars = ext.text_chars
                        asset.text_truncated = ext.text_truncated
                        asset.flags = list(ext.flags)
                    item.assets.append(asset)
                if tag_term not in item.terms:
                    item.terms.append(tag_term)
                s.flush()
                lib.mark_dirty(s, item.key)
            s.add(
                ReceivedPackItem(
                    pack_row_id=pack.id,
                    item_key=local_key,
                    source_key=source_key[:36],
                    source_version=version,
                )
            )
            lib.record(
                s,
                "pack-imported",
                local_key,
                pack=manifest["name"],
                pack_id=manifest["pack_id"],
                sender=pack.sender,
                source_key=source_key,
                version=version,
                outcome=outcome,
            )
            report.items.append(ImportedItem(local_key, source_key, item.title, version, outcome))
