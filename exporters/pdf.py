"""PDF renditions through LibreOffice headless (`soffice --convert-to pdf`).

Hazards handled here:
- soffice exits 0 even when a conversion failed: success is "the PDF exists and is not empty";
- a second soffice sharing the user's profile attaches to the running instance (or the desktop
  app) and returns at once without converting: every call gets a private profile
  (`-env:UserInstallation=file:///tmp/...`);
- a hung conversion is killed with its whole process group after `timeout` seconds;
- output names follow the input's stem, so inputs are copied under simple names first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from library.errors import LibraryError

if TYPE_CHECKING:
    from library.progress import Cancel

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 120.0
# Formats a Writer-only LibreOffice (libreoffice-writer-nogui) turns into PDF.
WRITER_SUFFIXES = frozenset(
    {".docx", ".doc", ".docm", ".dotx", ".odt", ".rtf", ".txt", ".md", ".html", ".htm"}
)
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class PdfUnavailable(LibraryError):
    """LibreOffice is not installed (or not found): no PDF can be made on this computer."""


class PdfFailed(LibraryError):
    """LibreOffice ran but produced no PDF (or timed out)."""


def find_soffice() -> str | None:
    """The soffice executable: $FRONTLINE_SOFFICE, then PATH, then the usual install places."""
    env = os.environ.get("FRONTLINE_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def unavailable_message() -> str:
    return (
        "PDF needs LibreOffice, which is not installed on this computer "
        "(on Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui); the DOCX was written."
    )


def convert_many(
    sources: list[Path],
    outdir: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    cancel: Cancel | None = None,
) -> dict[Path, Path | None]:
    """Convert `sources` to PDF in one soffice run (its start-up is most of the cost).

    Returns {source: pdf in `outdir`, or None when that file could not be converted}; the PDF is
    named like its source with .pdf. Raises PdfUnavailable when LibreOffice is missing,
    PdfFailed when soffice timed out and ExportCancelled when `cancel` was set meanwhile.

    Each run gets a private LibreOffice profile (a shared one makes a second soffice hand its
    work to the first and return without converting). $FRONTLINE_SOFFICE_PROFILE names a folder
    to reuse instead, which saves the profile's first-start cost; only one conversion at a time
    may use it (the tests set one per test process)."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(unavailable_message())
    results: dict[Path, Path | None] = {}
    if not sources:
        return results
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontline-soffice-") as tmp:
        work = Path(tmp)
        inbox, outbox = work / "in", work / "out"
        inbox.mkdir()
        staged: list[tuple[Path, Path]] = []
        for n, src in enumerate(sources):
            staged_path = inbox / f"f{n:04d}{src.suffix.lower()}"
            shutil.copyfile(src, staged_path)
            staged.append((src, staged_path))
        profile = Path(os.environ.get("FRONTLINE_SOFFICE_PROFILE") or work / "profile")
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outbox),
            *[str(p) for _, p in staged],
        ]
        _run(cmd, timeout, cwd=work, cancel=cancel)
        for src, staged_path in staged:
            produced = outbox / f"{staged_path.stem}.pdf"
            if produced.is_file() and produced.stat().st_size > 0:
                dest = outdir / f"{src.stem}.pdf"
                shutil.move(str(produced), dest)
                results[src] = dest
            else:
                log.info("LibreOffice produced no PDF for %s", src.name)
                results[src] = None
    return results


def docx_to_pdf(
    docx: Path,
    dest: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    cancel: Cancel | None = None,
) -> None:
    """Write the PDF rendition of `docx` to `dest` (replaced atomically). Raises PdfUnavailable
    or PdfFailed with a sentence."""
    with tempfile.TemporaryDirectory(prefix="frontline-pdf-") as tmp:
        staged = Path(tmp) / "leave-behind.docx"
        shutil.copyfile(docx, staged)
        produced = convert_many([staged], Path(tmp) / "pdf", timeout=timeout, cancel=cancel)[staged]
        if produced is None:
            raise PdfFailed(
                "LibreOffice could not turn the document into a PDF; the DOCX was written."
            )
        part = dest.with_name(f".{dest.name}.part")
        shutil.copyfile(produced, part)
        os.replace(part, dest)


def _run(cmd: list[str], timeout: float, cwd: Path, cancel: Cancel | None = None) -> None:
    from exporters.base import ExportCancelled

    posix = os.name == "posix"
    env = dict(os.environ)
    env.setdefault("HOME", str(cwd))  # soffice needs a writable home for its temp files
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=posix,  # own process group: a timeout kills oosplash + soffice.bin
        )
    except OSError as e:
        raise PdfFailed(
            f"LibreOffice ({cmd[0]}) could not be started: {e.strerror or e}."
        ) from None
    deadline = time.monotonic() + timeout
    while True:
        try:
            out, err = proc.communicate(timeout=0.25)
            break
        except subprocess.TimeoutExpired:
            cancelled = cancel is not None and cancel.requested
            if not cancelled and time.monotonic() < deadline:
                continue
            if posix:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            proc.kill()
            proc.communicate()
            if cancelled:
                raise ExportCancelled() from None
            raise PdfFailed(
                f"LibreOffice did not finish the PDF within {timeout:.0f} s; the DOCX was written."
            ) from None
    if proc.returncode != 0:
        log.warning("soffice exited with %s: %s", proc.returncode, err.decode(errors="replace"))
    log.debug("soffice: %s %s", out.decode(errors="replace"), err.decode(errors="replace"))
