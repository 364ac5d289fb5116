"""Reseller packs: one zip a partner can trust, forward, and re-open in Frontline.

Layout of `<Pack name>.zip` (everything under one folder, so unzipping never litters):

    <Pack name>/README.txt            what this is, from whom, valid until, contacts, how to check
    <Pack name>/Leave-behind - <customer>.docx (+ .pdf)   the co-branded overview
    <Pack name>/files/<original names>                   the approved originals
    <Pack name>/pdf/<name>.pdf                           PDF renditions (with --pdf)
    <Pack name>/manifest.csv          one row per file: key, title, kind, version, audience,
                                      valid until, SHA-256
    <Pack name>/manifest.json         the same plus the items' content and the pack's identity

`exporters.pack_import.import_pack()` re-opens a pack (checked against manifest.json first) as
a read-only collection.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exporters.base import (
    ExportFailed,
    ExportFormat,
    ExportReport,
    ExportRequest,
    Steps,
    check_destination,
    check_request,
    check_shareable,
    publish,
    register_format,
    temp_outputs,
    temp_path_beside,
    write_errors,
)
from exporters.content import ExportItem, LeaveBehindContent, load_content, long_date
from exporters.names import UniqueNames, safe_filename
from library.errors import InvalidInput
from library.progress import Cancel, ProgressCallback

if TYPE_CHECKING:
    from library.core import Library

log = logging.getLogger(__name__)

PACK_FORMAT = "frontline-pack"
PACK_FORMAT_VERSION = 1
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
README = "README.txt"
CSV_COLUMNS = (
    "path",
    "role",
    "key",
    "title",
    "kind",
    "format",
    "version",
    "audience",
    "valid_until",
    "sha256",
    "size",
)
# Already-compressed formats are stored, not deflated again (faster, same size).
_STORED_SUFFIXES = frozenset(
    {".docx", ".pptx", ".xlsx", ".docm", ".pptm", ".xlsm", ".zip", ".png", ".jpg", ".jpeg",
     ".gif", ".webp", ".mp4", ".mov", ".m4a", ".mp3", ".gz", ".7z"}
)  # fmt: skip
CHUNK = 1 << 20


# -- export --------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Entry:
    path: str  # inside the pack folder, '/'-separated
    role: str  # leave-behind | original | rendition | readme | manifest
    source: Path | None = None
    data: bytes | None = None
    item: ExportItem | None = None
    expected_sha256: str | None = None
    media_type: str = ""
    sha256: str = ""
    size: int = 0


def export_pack(
    lib: Library,
    req: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ExportReport:
    """Check the share rules (partner rules when `req.partner`), then write the zip atomically
    and record the export. Raises ExportRefused, InvalidInput, ExportFailed or ExportCancelled
    (nothing written in every case). `progress` gets one `Progress` per step and file."""
    from exporters import pdf
    from exporters.leave_behind import exported_items, render

    started = time.monotonic()
    steps = Steps(progress, cancel, 3, "The pack export was cancelled; nothing was written.")
    today = req.today or date.today()
    out = check_destination(req.out, ".zip")
    if not (req.partner or req.customer.strip()):
        raise InvalidInput("Say who the pack is for: --partner NAME and/or --customer NAME.")
    check_request(req)
    steps.step("Checking the share rules")
    check_shareable(lib, req.keys, req.recipient, today)
    if req.customer.strip():
        customer = req.customer.strip()
    else:  # the profile's own spelling, whatever case the user typed
        from library.branding import get_partner

        customer = get_partner(lib, str(req.partner)).name
    content = load_content(
        lib,
        req.keys,
        customer=customer,
        partner=req.partner,
        watermark=req.watermark,
        intro=req.intro,
        today=today,
    )
    pack_name = " ".join(req.name.split()) or _default_name(content)
    folder = safe_filename(pack_name, max_bytes=60, fallback="Pack")
    warnings: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="frontline-pack-") as tmp,
        temp_outputs() as temps,
        write_errors(out),
    ):
        work = Path(tmp)
        root_names = UniqueNames()
        for reserved in (README, MANIFEST_CSV, MANIFEST_JSON, "files", "pdf"):
            root_names.reserve(reserved)
        lb_name = root_names.take(f"Leave-behind - {content.customer}.docx")
        lb_path = work / "leave-behind.docx"
        steps.step("Writing the leave-behind")
        render(content, lb_path)
        entries = [_Entry(lb_name, "leave-behind", source=lb_path, media_type=_DOCX)]
        file_names = UniqueNames()
        by_sha: dict[str, _Entry] = {}
        item_files: dict[str, list[str]] = {}
        for item in content.items:
            for f in item.files:
                if f.sha256 not in by_sha:
                    entry = _Entry(
                        f"files/{file_names.take(f.name)}",
                        "original",
                        source=f.source,
                        item=item,
                        expected_sha256=f.sha256,
                        media_type=f.media_type,
                    )
                    by_sha[f.sha256] = entry
                    entries.append(entry)
                item_files.setdefault(item.key, []).append(by_sha[f.sha256].path)
        renditions: dict[str, list[str]] = {}
        steps.total += len(entries) + (1 if req.pdf else 0) + 1
        if req.pdf:
            steps.step("Making PDF renditions with LibreOffice")
            entries += _renditions(work, entries, lb_name, renditions, warnings, pdf, cancel)
            steps.total += sum(1 for e in entries if e.role == "rendition")
        readme = _readme(content, pack_name, folder, entries, item_files, req.pdf)
        entries.insert(0, _Entry(README, "readme", data=readme.encode("utf-8"), media_type=_TXT))

        tmp_zip = temp_path_beside(out)
        temps.append(tmp_zip)
        pack_id = str(uuid.uuid4())
        created_at = datetime.now(UTC).replace(microsecond=0)
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for entry in entries:
                steps.step(f"Adding {Path(entry.path).name}")
                _write_entry(zf, folder, entry, created_at)
            csv_entry = _Entry(
                MANIFEST_CSV,
                "manifest",
                data=_manifest_csv(entries, content),
                media_type="text/csv",
            )
            _write_entry(zf, folder, csv_entry, created_at)
            entries.append(csv_entry)
            manifest = _manifest(
                content, pack_id, pack_name, folder, created_at, entries, item_files, renditions
            )
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            _write_entry(
                zf, folder, _Entry(MANIFEST_JSON, "manifest", data=data), created_at, hashed=False
            )
        items = exported_items(content)
        steps.step("Saving")  # the last point where Cancel still leaves nothing behind
        publish(
            lib,
            [(tmp_zip, out)],
            items,
            {
                "format": "pack",
                "files": [out.name],
                "recipient": req.recipient,
                "customer": content.customer,
                "partner": content.partner.name if content.partner else None,
                "valid_until": content.valid_until,
                "export_id": content.export_id,
                "pack_id": pack_id,
                "pack_name": pack_name,
                "pdf": req.pdf,
            },
        )
    steps.finish(f"Wrote {out.name}")
    return ExportReport(
        format="pack",
        out=str(out),
        recipient=req.recipient,
        customer=content.customer,
        partner=content.partner.name if content.partner else None,
        valid_until=content.valid_until,
        export_id=content.export_id,
        items=items,
        files=[str(out)] + [f"{folder}/{e.path}" for e in entries] + [f"{folder}/{MANIFEST_JSON}"],
        pdf=None,
        warnings=warnings,
        seconds=round(time.monotonic() - started, 3),
    )


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TXT = "text/plain"


def _default_name(content: LeaveBehindContent) -> str:
    recipient = content.partner.name if content.partner else content.customer
    return f"{content.company} pack for {recipient} {content.prepared_on.isoformat()}"


def _renditions(
    work: Path,
    entries: list[_Entry],
    lb_name: str,
    renditions: dict[str, list[str]],
    warnings: list[str],
    pdf: Any,
    cancel: Cancel | None,
) -> list[_Entry]:
    """PDF versions of the leave-behind and of originals LibreOffice can open, in one run."""
    sources = [
        e
        for e in entries
        if e.source is not None
        and (e.role == "leave-behind" or Path(e.path).suffix.lower() in pdf.WRITER_SUFFIXES)
    ]
    for e in entries:
        suffix = Path(e.path).suffix.lower()
        if e.role == "original" and e not in sources and suffix != ".pdf":
            warnings.append(
                f"No PDF rendition of {Path(e.path).name}: only Word and text documents are "
                "converted; the original is in the pack."
            )
    if not sources:
        return []
    staged: dict[Path, _Entry] = {}
    stage_dir = work / "staged"
    stage_dir.mkdir()
    for n, e in enumerate(sources):
        assert e.source is not None
        p = stage_dir / f"s{n:04d}{Path(e.path).suffix.lower()}"
        shutil.copyfile(e.source, p)
        staged[p] = e
    try:
        produced = pdf.convert_many(list(staged), work / "pdf", cancel=cancel)
    except (pdf.PdfUnavailable, pdf.PdfFailed) as err:
        warnings.append(f"No PDF renditions: {err}")
        return []
    names = UniqueNames()
    out: list[_Entry] = []
    for staged_path, e in staged.items():
        result = produced.get(staged_path)
        name = Path(e.path).name
        if result is None:
            warnings.append(f"No PDF rendition of {name}: LibreOffice could not convert it.")
            continue
        if e.role == "leave-behind":
            path = str(Path(lb_name).with_suffix(".pdf"))
        else:
            path = f"pdf/{names.take(Path(name).stem + '.pdf')}"
        out.append(
            _Entry(path, "rendition", source=result, item=e.item, media_type="application/pdf")
        )
        if e.item is not None:
            renditions.setdefault(e.item.key, []).append(path)
    return out


def _write_entry(
    zf: zipfile.ZipFile, folder: str, entry: _Entry, when: datetime, *, hashed: bool = True
) -> None:
    info = zipfile.ZipInfo(f"{folder}/{entry.path}", date_time=when.timetuple()[:6])
    info.external_attr = 0o644 << 16
    info.compress_type = (
        zipfile.ZIP_STORED
        if Path(entry.path).suffix.lower() in _STORED_SUFFIXES
        else zipfile.ZIP_DEFLATED
    )
    h = hashlib.sha256()
    size = 0
    with zf.open(info, "w", force_zip64=True) as dst:
        for chunk in _chunks(entry):
            h.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    entry.sha256, entry.size = h.hexdigest(), size
    if hashed and entry.expected_sha256 and entry.sha256 != entry.expected_sha256:
        raise ExportFailed(
            f"The library's copy of {Path(entry.path).name} is damaged (its content no longer "
            "matches); run 'check' and re-import the file before exporting."
        )


def _chunks(entry: _Entry) -> Iterator[bytes]:
    if entry.data is not None:
        yield entry.data
        return
    assert entry.source is not None
    try:
        with entry.source.open("rb") as f:
            yield from iter(lambda: f.read(CHUNK), b"")
    except FileNotFoundError:
        raise ExportFailed(
            f"{Path(entry.path).name} is missing from the library's files; run 'check'."
        ) from None


def _valid_until(item: ExportItem | None, content: LeaveBehindContent) -> date:
    if item is not None and item.expires_on is not None and item.expires_on < content.valid_until:
        return item.expires_on
    return content.valid_until


def _manifest_csv(entries: list[_Entry], content: LeaveBehindContent) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        it = e.item
        w.writerow(
            [
                e.path,
                e.role,
                it.key if it else "",
                it.title if it else "",
                it.kind if it else "",
                it.format if it else "",
                it.version if it else "",
                it.audience if it else "",
                _valid_until(it, content).isoformat(),
                e.sha256,
                e.size,
            ]
        )
    # A BOM so Excel opens the UTF-8 titles correctly; every other tool ignores it.
    return buf.getvalue().encode("utf-8-sig")


def _manifest(
    content: LeaveBehindContent,
    pack_id: str,
    name: str,
    folder: str,
    created_at: datetime,
    entries: list[_Entry],
    item_files: dict[str, list[str]],
    renditions: dict[str, list[str]],
) -> dict[str, Any]:
    partner = content.partner
    return {
        "format": PACK_FORMAT,
        "format_version": PACK_FORMAT_VERSION,
        "pack_id": pack_id,
        "name": name,
        "folder": folder,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "created_by": content.rep.name,
        "export_id": content.export_id,
        "sender": {
            "company": content.company,
            "website": content.brand.website,
            "library_id": content.library_id,
            "contact": {
                "name": content.rep.name,
                "title": content.rep.title,
                "email": content.rep.email,
                "phone": content.rep.phone,
            },
        },
        "partner": (
            {
                "name": partner.name,
                "contact_name": partner.contact_name,
                "contact_email": partner.contact_email,
                "contact_phone": partner.contact_phone,
            }
            if partner
            else None
        ),
        "prepared_for": content.customer,
        "valid_until": content.valid_until.isoformat(),
        "items": [
            {
                "key": it.key,
                "title": it.title,
                "summary": it.summary,
                "kind": it.kind,
                "format": it.format,
                "version": it.version,
                "audience": it.audience,
                "expires_on": it.expires_on.isoformat() if it.expires_on else None,
                "valid_until": _valid_until(it, content).isoformat(),
                "industries": it.industries,
                "key_points": it.key_points,
                "case_study": (
                    {
                        "customer": it.case_study.customer,
                        "industry": it.case_study.industry,
                        "challenge": it.case_study.challenge,
                        "solution": it.case_study.solution,
                        "results": [{"metric": m, "value": v} for m, v in it.case_study.results],
                        "quote": it.case_study.quote,
                        "quote_author": it.case_study.quote_author,
                    }
                    if it.case_study
                    else None
                ),
                "files": item_files.get(it.key, []),
                "renditions": renditions.get(it.key, []),
            }
            for it in content.items
        ],
        "files": [
            {
                "path": e.path,
                "role": e.role,
                "item_key": e.item.key if e.item else None,
                "media_type": e.media_type,
                "size": e.size,
                "sha256": e.sha256,
            }
            for e in entries
        ],
    }


def _readme(
    content: LeaveBehindContent,
    pack_name: str,
    folder: str,
    entries: list[_Entry],
    item_files: dict[str, list[str]],
    with_pdf: bool,
) -> str:
    b, rep, partner = content.brand, content.rep, content.partner
    valid = long_date(content.valid_until)
    lines = [pack_name, "=" * min(len(pack_name), 78), ""]
    who = f"for {partner.name}" if partner else f"for {content.customer}"
    if partner and content.customer != partner.name:
        who += f", to share with {content.customer}"
    lines += [
        f"Prepared by {b.company_name} on {long_date(content.prepared_on)} {who}.",
        "",
        f"VALID UNTIL {valid}.",
        "After that date, please do not forward these documents: ask us for an updated pack.",
        "",
        "What is inside",
        "--------------",
    ]
    lb = next(e for e in entries if e.role == "leave-behind")
    lines.append(f"  {lb.path}")
    lines.append("      an overview of everything below, ready to send or print")
    lines.append("  files/           the approved original documents")
    if with_pdf and any(e.role == "rendition" for e in entries):
        lines.append("  pdf/             PDF versions of the Word and text documents")
    lines.append("  manifest.csv     every file with its item, version, validity and SHA-256")
    lines.append("  manifest.json    the same, for software (Frontline re-opens packs with it)")
    lines += ["", "Items", "-----"]
    for n, it in enumerate(content.items, start=1):
        lines.append(
            f"  {n}. {it.title} ({it.format_label}, version {it.version}; "
            f"valid until {long_date(_valid_until(it, content))})"
        )
        for path in item_files.get(it.key, []):
            lines.append(f"       {path}")
    lines += ["", "Your contacts", "-------------"]
    if partner and partner.contact_name:
        lines.append(
            "  "
            + ", ".join(
                x
                for x in (
                    partner.contact_name,
                    partner.name,
                    partner.contact_email,
                    partner.contact_phone,
                )
                if x
            )
        )
    lines.append(
        "  "
        + ", ".join(x for x in (rep.name, rep.title, b.company_name, rep.email, rep.phone) if x)
    )
    if b.website:
        lines.append(f"  {b.website}")
    lines += [
        "",
        "Checking the files",
        "------------------",
        "  manifest.csv lists the SHA-256 checksum of every file. To check one:",
        "    Windows:  certutil -hashfile FILE SHA256",
        "    macOS:    shasum -a 256 FILE",
        "    Linux:    sha256sum FILE",
        "  Frontline users: choose Import pack (or run: python main.py import-pack THIS.zip); it",
        "  checks every file and adds the items to your library as a read-only collection.",
    ]
    disclaimer = b.disclaimer.replace("{year}", str(content.prepared_on.year)).replace(
        "{company}", b.company_name
    )
    if disclaimer.strip():
        lines += ["", "Terms", "-----", *_wrap(disclaimer.strip(), 76, "  ")]
    lines += ["", content.provenance()]
    # CRLF: Notepad on older Windows shows one long line otherwise.
    return "\r\n".join(lines) + "\r\n"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent)


register_format(
    ExportFormat(
        name="pack",
        help="a zip for a reseller: leave-behind, originals, manifest, README",
        suffix=".zip",
        run=export_pack,
    )
)
