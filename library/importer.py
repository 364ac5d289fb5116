"""Import files, folders and manifests into a library.

Each file is one unit of work: hash -> (skip if already stored) -> extract in the sandboxed worker
-> store the blob -> one DB transaction (item, asset, taxonomy links, activity, search outbox).
A bad file gets a result with a reason and never aborts the batch; an exception inside the
transaction rolls back that file only, so no partial rows exist. Cancelling stops between files.
"""

from __future__ import annotations

import csv
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from library import governance, users
from library import items as item_service
from library.core import Library
from library.errors import InvalidInput, NotFound
from library.extract import DEFAULT_TIMEOUT_S, Extraction, ExtractorPool
from library.models import Asset, Item, ItemVersion, utcnow
from library.progress import Cancel, Progress, ProgressCallback, no_progress
from library.store import sha256_file
from library.terms import resolve as taxonomy_resolve
from library.values import ImportOptions, ImportReport, ImportResult
from library.vocab import (
    FORMATS,
    Audience,
    ExtractionStatus,
    Kind,
    Status,
    canonical,
    canonical_format,
    review_days,
)

log = logging.getLogger(__name__)

# Files nobody means to import: OS litter and editors' lock/temp files.
_IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_MULTI_SEP = re.compile(r"\s*[;|]\s*")
MANIFEST_TAXONOMY_COLUMNS = {
    "persona": "persona",
    "personas": "persona",
    "stage": "stage",
    "stages": "stage",
    "product": "product",
    "products": "product",
    "industry": "industry",
    "industries": "industry",
    "region": "region",
    "regions": "region",
    "competitor": "competitor",
    "competitors": "competitor",
    "tag": "tag",
    "tags": "tag",
}
MANIFEST_FIELD_COLUMNS = {
    "title",
    "summary",
    "kind",
    "format",
    "status",
    "audience",
    "owner",
    "language",
    "published_at",
    "expires_on",
    "verify_by",
    "change_note",
}


@dataclass(slots=True)
class ManifestEntry:
    """Metadata for one file, from a CSV or YAML manifest."""

    path: Path
    fields: dict[str, Any] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)
    password: str | None = None
    case_study: dict[str, Any] | None = None
    battle_card: dict[str, Any] | None = None


# -- manifests ---------------------------------------------------------------------------------
MANIFEST_MAX_BYTES = 20 * 1024 * 1024  # a manifest is a table of files, not the files
_MANIFEST_MAX_NODES = 1_000_000  # YAML values after aliases: stops "billion laughs" manifests


def read_manifest(path: Path) -> list[ManifestEntry]:
    """Parse a CSV or YAML manifest; file paths are relative to the manifest's folder.

    Raises InvalidInput naming the row and the problem."""
    if not path.is_file():
        raise InvalidInput(f"Manifest {path} does not exist.")
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv", ".tsv"):
        raise InvalidInput(f"Manifest {path.name}: use a .csv, .tsv or .yaml file.")
    if path.stat().st_size > MANIFEST_MAX_BYTES:
        raise InvalidInput(
            f"Manifest {path.name} is larger than {MANIFEST_MAX_BYTES // (1024 * 1024)} MB; "
            "is it really a manifest?"
        )
    text = _manifest_text(path)
    rows: list[Any]
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise InvalidInput(
                f"Manifest {path.name} is not valid YAML: {_yaml_problem(e)}."
            ) from None
        if isinstance(data, dict):
            data = data.get("items", data.get("files"))
        if not isinstance(data, list):
            raise InvalidInput(f"Manifest {path.name}: expected a list of files (or 'items:').")
        if _too_big(data):
            raise InvalidInput(
                f"Manifest {path.name}: its aliases expand to more than "
                f"{_MANIFEST_MAX_NODES:,} values; refused."
            )
        rows = data
    else:
        lines = text.splitlines()
        try:
            rows = list(csv.DictReader(lines, delimiter=_csv_delimiter(lines, suffix)))
        except csv.Error as e:
            raise InvalidInput(f"Manifest {path.name} is not a readable CSV file: {e}.") from None
    entries = []
    for n, row in enumerate(rows, start=2 if suffix not in (".yaml", ".yml") else 1):
        if not isinstance(row, dict):
            raise InvalidInput(f"Manifest {path.name}, entry {n}: expected a mapping.")
        entries.append(_manifest_entry(path, n, row))
    return entries


def _manifest_text(path: Path) -> str:
    """The manifest's text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode
    text"), else a detected legacy code page; InvalidInput for a file that is not text."""
    from library.extract.encodings import decode_text
    from library.extract.result import Problem

    data = path.read_bytes()
    try:
        text, _codec = decode_text(data)
    except Problem:
        text = "\x00"
    if "\x00" in text:
        raise InvalidInput(f"Manifest {path.name} is not a text file.")
    return text.lstrip("\ufeff")


def _csv_delimiter(lines: list[str], suffix: str) -> str:
    """Comma, or what the header row uses: a tab (TSV, Excel's "Unicode text") or a semicolon
    (Excel's CSV where the decimal separator is a comma, as in most of Europe)."""
    header = next((line for line in lines if line.strip()), "")
    if suffix == ".tsv" or ("\t" in header and "," not in header):
        return "\t"
    if ";" in header and "," not in header:
        return ";"
    return ","


def _yaml_problem(e: Exception) -> str:
    """One line for a YAML error: where, and what (PyYAML's own message spans several lines)."""
    problem = getattr(e, "problem", None) or getattr(e, "context", None) or str(e)
    mark = getattr(e, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    return where + " ".join(str(problem).split())


def _too_big(data: Any) -> bool:
    """Whether walking `data` visits more than _MANIFEST_MAX_NODES values (bounded work)."""
    seen = 0
    stack = [data]
    while stack:
        value = stack.pop()
        seen += 1
        if seen > _MANIFEST_MAX_NODES:
            return True
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


_SCALARS = (str, int, float, date)


def _manifest_entry(manifest: Path, n: int, row: dict[str, Any]) -> ManifestEntry:
    norm = {str(k).strip().lower().replace(" ", "_"): v for k, v in row.items() if k}
    name = norm.pop("file", None) or norm.pop("path", None) or norm.pop("filename", None)
    if not name:
        raise InvalidInput(f"Manifest {manifest.name}, row {n}: no 'file' column.")
    entry = ManifestEntry(path=(manifest.parent / str(name)).resolve())
    for key, value in norm.items():
        if value is None or value == "":
            continue
        if isinstance(value, list) and key in MANIFEST_TAXONOMY_COLUMNS:
            if not all(isinstance(v, _SCALARS) for v in value):
                raise InvalidInput(
                    f"Manifest {manifest.name}, row {n}: '{key}' must be a list of names."
                )
        elif key not in ("case_study", "battle_card") and not isinstance(value, _SCALARS):
            raise InvalidInput(
                f"Manifest {manifest.name}, row {n}: '{key}' must be a single value"
                + (" or a list of names." if key in MANIFEST_TAXONOMY_COLUMNS else ".")
            )
        if key in MANIFEST_TAXONOMY_COLUMNS:
            values = value if isinstance(value, list) else _MULTI_SEP.split(str(value))
            entry.terms.setdefault(MANIFEST_TAXONOMY_COLUMNS[key], []).extend(
                str(v).strip() for v in values if str(v).strip()
            )
        elif key in MANIFEST_FIELD_COLUMNS:
            entry.fields[key] = value
        elif key == "password":
            entry.password = str(value)
        elif key in ("case_study", "battle_card"):
            if not isinstance(value, dict):
                raise InvalidInput(
                    f"Manifest {manifest.name}, row {n}: '{key}' must be a mapping of its fields."
                )
            setattr(entry, key, value)
        else:
            raise InvalidInput(f"Manifest {manifest.name}, row {n}: unknown column '{key}'.")
    try:  # validate early so a typo fails the whole manifest before anything is imported
        for key, enum in (("kind", Kind), ("status", Status), ("audience", Audience)):
            if key in entry.fields:
                entry.fields[key] = canonical(enum, str(entry.fields[key])).value
        if "format" in entry.fields:
            entry.fields["format"] = canonical_format(str(entry.fields["format"]))
        for key in ("published_at", "expires_on", "verify_by"):
            if key in entry.fields:
                entry.fields[key] = item_service.parse_date(entry.fields[key], key)
    except (ValueError, InvalidInput) as e:
        raise InvalidInput(f"Manifest {manifest.name}, row {n}: {e}") from None
    return entry


def _ran_out_of_time(status: str, reason: str) -> bool:
    """Whether a stored extraction stopped at its time limit (see library.extract formats)."""
    if status not in (ExtractionStatus.FAILED, ExtractionStatus.PARTIAL):
        return False
    text = reason.casefold()
    return "took longer than" in text or "took too long" in text


# -- walking -----------------------------------------------------------------------------------
def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under `paths` (folders recursively, sorted), skipping hidden and temp files."""
    for p in paths:
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and _wanted(child):
                    yield child
        else:
            yield p


def _wanted(p: Path) -> bool:
    n = p.name.lower()
    return not (n in _IGNORED_NAMES or n.startswith("~$") or n.endswith((".tmp", ".part")))


def title_from_filename(path: Path) -> str:
    stem = re.sub(r"[_\-.]+", " ", path.stem).strip()
    stem = re.sub(r"\s+", " ", stem)
    return (stem[:1].upper() + stem[1:]) if stem else path.name


# -- importing ---------------------------------------------------------------------------------
def import_paths(
    lib: Library,
    paths: list[Path],
    options: ImportOptions | None = None,
    *,
    manifest: Path | None = None,
    progress: ProgressCallback = no_progress,
    cancel: Cancel | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ImportReport:
    """Import files and folders (and/or the files a manifest lists). See module docstring."""
    options = options or ImportOptions()
    started = time.monotonic()
    users.require(lib, users.EDIT, "import files")
    entries: dict[Path, ManifestEntry] = {}
    if manifest is not None:
        for e in read_manifest(manifest):
            entries[e.path] = e
    _check_roles(lib, options, list(entries.values()))
    files = list(expand(paths))
    known = {f.resolve() for f in files}
    files += [e.path for e in entries.values() if e.path not in known]
    report = ImportReport()
    total = len(files)
    with ExtractorPool() as pool:
        for n, path in enumerate(files):
            progress(Progress(n, total, f"Importing {path.name}"))
            if cancel is not None and cancel.requested:
                report.cancelled = True
                break
            t0 = time.monotonic()
            entry = entries.get(path.resolve())
            try:
                result = _import_one(lib, pool, path, options, entry, report, timeout)
            except users.PermissionDenied as e:
                result = ImportResult(str(path), "failed", reason=str(e))
            except Exception as e:  # a bug or an I/O error: this file fails, the batch goes on
                log.exception("import of %s failed", path)
                result = ImportResult(str(path), "failed", reason=f"Could not import: {e}")
            result.seconds = round(time.monotonic() - t0, 3)
            report.results.append(result)
    progress(Progress(len(report.results), total, "Import finished"))
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _check_roles(lib: Library, options: ImportOptions, entries: list[ManifestEntry]) -> None:
    """Refuse the whole import up front when the user may not give an item its status, or
    would create personas or stages (admins only)."""
    statuses = {options.status} | {str(e.fields.get("status")) for e in entries}
    if Status.APPROVED in statuses:
        users.require(lib, users.APPROVE, "import items as approved")
    if Status.RETIRED in statuses:
        users.require(lib, users.RETIRE, "import items as retired")
    if users.can(lib, users.TAXONOMY):
        return
    with lib.reader() as s:
        for tax in ("persona", "stage"):
            names = list(options.terms.get(tax, []))
            for e in entries:
                names += e.terms.get(tax, [])
            for name in names:
                try:
                    taxonomy_resolve(s, tax, [name], create=False)
                except NotFound:
                    item_service.check_new_terms(lib, s, tax, [name])


def _import_one(
    lib: Library,
    pool: ExtractorPool,
    path: Path,
    options: ImportOptions,
    entry: ManifestEntry | None,
    report: ImportReport,
    timeout: float,
) -> ImportResult:
    if not path.exists():
        return ImportResult(str(path), "failed", reason="No such file.")
    if not path.is_file():
        return ImportResult(str(path), "skipped", reason="Not a regular file.")
    try:
        size = path.stat().st_size
        digest = sha256_file(path)
    except OSError as e:
        return ImportResult(str(path), "failed", reason=f"Cannot read the file: {e.strerror}.")
    password = (entry.password if entry else None) or options.password

    with lib.reader() as s:
        existing = s.execute(
            select(Asset.id, Asset.extraction_status, Asset.extraction_reason, Item.key, Item.title)
            .join(Item, Item.id == Asset.item_id)
            .where(Asset.sha256 == digest)
            .limit(1)
        ).first()
    if existing is not None:
        asset_id, status, reason, key, title = existing
        locked = status in (ExtractionStatus.ENCRYPTED, ExtractionStatus.FAILED)
        # A file that ran out of time (a busy machine, a short --timeout) is read again when it
        # is imported again: otherwise it would stay unreadable for good.
        if not (password and locked) and not _ran_out_of_time(status, reason or ""):
            return ImportResult(
                str(path),
                "unchanged",
                status,
                f"Already in the library as '{title}'.",
                key,
                title,
                size,
            )
        # The user now supplies a password for a file that was catalogued as encrypted, or
        # the file ran out of time last time.
        ext = pool.extract(path, password=password, timeout=timeout)
        with lib.transaction() as s:
            asset = s.get(Asset, asset_id)
            assert asset is not None
            _fill_asset(asset, ext)
            item = asset.item
            if ext.status == ExtractionStatus.OK and item.title == title_from_filename(path):
                item.title = ext.title or item.title
                item.summary = item.summary or ext.summary
            item.updated_at = utcnow()
            # Not a new version (same file, now readable): the current version's record must
            # say what the item now holds (its title may come from the unlocked document).
            s.flush()
            current = s.scalar(
                select(ItemVersion).where(
                    ItemVersion.item_id == item.id, ItemVersion.version == item.version
                )
            )
            if current is not None:
                current.snapshot = governance.snapshot(item)
            lib.record(s, "re-extract", item.key, status=ext.status, file=path.name)
            lib.mark_dirty(s, item.key)
        return ImportResult(str(path), "updated", ext.status, ext.reason, key, item.title, size)

    ext = pool.extract(path, password=password, timeout=timeout)
    stored_digest, stored_size = lib.store.add_file(path)
    if stored_digest != digest:  # the file changed while we read it: don't catalog a mismatch
        return ImportResult(str(path), "failed", reason="The file changed while it was imported.")

    fields: dict[str, Any] = {
        "title": ext.title or title_from_filename(path),
        "summary": ext.summary,
        "language": ext.language,
    }
    fmt = options.format or "document"
    fields["format"] = fmt
    fields["kind"] = options.kind or FORMATS[canonical_format(fmt)].value
    fields["status"] = options.status or Status.DRAFT.value
    fields["audience"] = options.audience or Audience.INTERNAL.value
    if entry:
        fields.update(entry.fields)
        if "format" in entry.fields and "kind" not in entry.fields and not options.kind:
            fields["kind"] = FORMATS[canonical_format(str(entry.fields["format"]))].value
    fields.setdefault("owner", options.owner)
    if fields.get("status") == Status.APPROVED and not fields.get("verify_by"):
        kind, fmt = str(fields["kind"]), canonical_format(str(fields["format"]))
        fields["verify_by"] = utcnow().date() + timedelta(days=review_days(kind, fmt))
    terms: dict[str, list[str]] = {k: list(v) for k, v in options.terms.items()}
    if entry:
        for tax, names in entry.terms.items():
            terms.setdefault(tax, []).extend(names)
    sections = {"case_study": entry.case_study, "battle_card": entry.battle_card} if entry else {}
    with lib.transaction() as s:
        item, created = create_item(
            lib, s, fields, terms, sections, [StoredFile(path.name, digest, stored_size, ext)]
        )
        for tax, names in created.items():
            bucket = report.created_terms.setdefault(tax, [])
            bucket.extend(n for n in names if n not in bucket)
        key, title = item.key, item.title
    return ImportResult(str(path), "imported", ext.status, ext.reason, key, title, size)


@dataclass(slots=True)
class StoredFile:
    """A file already in the file store, with what extraction found in it."""

    name: str
    sha256: str
    size: int
    extraction: Extraction


def create_item(
    lib: Library,
    session: Session,
    fields: dict[str, Any],
    terms: dict[str, list[str]],
    sections: dict[str, dict[str, Any] | None],
    files: list[StoredFile],
    *,
    actor: str | None = None,
) -> tuple[Item, dict[str, list[str]]]:
    """Create one item with its files, taxonomy links and structured sections, in `session`.

    `fields` are user-level values validated by `items.apply_fields` (plus `owner`). Records
    the activity and enqueues the search index. Returns (item, taxonomy values created)."""
    fields = dict(fields)
    owner = fields.pop("owner", None)
    version = fields.pop("version", None)
    # Every item starts internal unless told otherwise (battle cards above all: internal
    # sales guidance; library.sharing refuses to send them out whatever their audience).
    fields.setdefault("audience", Audience.INTERNAL.value)
    item = Item(title=str(fields.get("title") or "Untitled"), kind="", format="")
    session.add(item)
    item_service.apply_fields(session, item, fields)
    if version:
        item.version = int(version)
    created: dict[str, list[str]] = {}
    if owner:
        known = users.find_user(session, str(owner)) is not None
        item.owner = item_service.user_by_name(session, str(owner))
        if not known and item.owner is not None:  # reported like new taxonomy values
            created["person"] = [item.owner.name]
    if item.status == Status.APPROVED and item.published_at is None:
        item.published_at = utcnow().date()
    for tax, names in terms.items():
        _, new = item_service.set_terms(session, item, tax, names, "add")
        if new:
            created.setdefault(tax, []).extend(new)
    for section, values in sections.items():
        for k, v in (values or {}).items():
            item_service.set_section(session, item, section, k, v)
    for position, f in enumerate(files):
        asset = Asset(original_name=f.name, size=f.size, sha256=f.sha256, position=position)
        _fill_asset(asset, f.extraction)
        item.assets.append(asset)
    session.flush()
    first_note = item.change_note or (
        f"First version, imported from {files[0].name}." if files else "First version."
    )
    governance.record_version(lib, session, item, first_note, actor=actor, new=False)
    for f in files:
        lib.record(
            session,
            "import",
            item.key,
            actor,
            file=f.name,
            sha256=f.sha256,
            extraction=f.extraction.status,
            size=f.size,
        )
    lib.mark_dirty(session, item.key)
    return item, created


def fill_asset(asset: Asset, ext: Extraction) -> None:
    """Copy what extraction found into an asset row."""
    _fill_asset(asset, ext)


def _fill_asset(asset: Asset, ext: Extraction) -> None:
    asset.media_type = ext.media_type
    asset.page_count = ext.page_count
    asset.extraction_status = ext.status
    asset.extraction_reason = ext.reason
    asset.text = ext.text
    asset.text_chars = ext.text_chars
    asset.text_truncated = ext.text_truncated
    asset.flags = list(ext.flags)
