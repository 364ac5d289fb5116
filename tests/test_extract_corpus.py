"""Every file of the shared hostile corpus through the sandboxed extractor (MANIFEST.tsv).

A file with an expected phrase must yield it, or be honestly flagged (image-only: needs OCR;
encrypted: and then the published password must unlock the phrase). A file without one must get
a non-ok status with a reason (or, for the two legitimately empty files, ok with empty text).
"""

from __future__ import annotations

import csv
import os
import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from library.extract import Extraction, ExtractorPool

CORPUS = Path(
    os.environ.get("FRONTLINE_SHARED_CORPUS")
    or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
)
MANIFEST = CORPUS / "MANIFEST.tsv"
TIME_LIMIT_S = 30.0  # per file
# The largest file (117-page PDF) takes ~8 s alone but over 24 s (the soft budget, 80 % of the
# limit) when the machine runs several suites at once: then it comes back "partial" and the
# page-count test fails for a reason that is not a bug. Its own limit leaves room for load.
SLOW_FILES_S = {"GeoTopo-komprimiert.pdf": 120.0}

# No text layer: the phrase is only reachable by OCR, which we do not offer.
IMAGE_ONLY = {"testOCR.pdf", "loremipsum-flat.pdf", "testOCR.png"}
# Valid files with nothing to read.
EMPTY_OK = {"empty.txt", "no-slides.pptx"}
# Where the manifest allows one honest outcome only, it is pinned here.
EXPECTED_STATUS = {
    "encryption_openpassword.pdf": "encrypted",
    "password_protected.xlsx": "encrypted",
    "poc-xmlbomb.xlsx": "failed",
    "testWORD_truncated.docx": "failed",
    "droste.zip": "unsupported",
    "testHEIF.heic": "image-only",
    "testOCR.png": "image-only",
    "testOCR.pdf": "image-only",
    "loremipsum-flat.pdf": "image-only",
}


def _rows() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = _rows()
pytestmark = pytest.mark.skipif(not ROWS, reason=f"shared corpus not found at {CORPUS}")


def _collapse(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split()).casefold()


def contains(text: str, phrase: str, *, ignore_all_space: bool = False) -> bool:
    """Phrase in text after NFKC, case- and whitespace-insensitive (optionally spaces removed,
    for vertical Japanese where line breaks fall between any two characters)."""
    if ignore_all_space:
        strip = re.compile(r"\s+")
        return strip.sub("", _collapse(phrase)) in strip.sub("", _collapse(text))
    return _collapse(phrase) in _collapse(text)


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractorPool]:
    with ExtractorPool() as p:
        yield p


_CACHE: dict[tuple[str, str | None], Extraction] = {}


def _extract(pool: ExtractorPool, name: str, password: str | None = None) -> Extraction:
    """Sandboxed extraction of a corpus file, checked for the invariants every file must keep.

    Cached per (file, password): several tests look at the same file from different angles."""
    if (name, password) in _CACHE:
        return _CACHE[(name, password)]
    limit = SLOW_FILES_S.get(name, TIME_LIMIT_S)
    started = time.monotonic()
    ext = pool.extract(CORPUS / name, password=password, timeout=limit)
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"{name} took {elapsed:.1f} s"
    assert "(cid:" not in ext.text, f"{name}: (cid:NN) garbage stored as text"
    assert "\x00" not in ext.text
    if ext.status != "ok":
        assert ext.reason.strip(), f"{name}: status {ext.status} without a reason"
    _CACHE[(name, password)] = ext
    return ext


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_file_is_read_or_honestly_flagged(pool: ExtractorPool, row: dict[str, str]) -> None:
    name, phrase, password = row["file"], row["expected_phrase"], row["password"]
    no_spaces = row.get("verify_method", "").endswith("-nows")
    ext = _extract(pool, name)
    if name in EXPECTED_STATUS:
        assert ext.status == EXPECTED_STATUS[name], (name, ext.status, ext.reason)

    if not phrase:
        if name in EMPTY_OK:
            assert (ext.status, ext.text) == ("ok", ""), (name, ext)
        else:
            assert ext.status != "ok", f"{name}: no text expected, yet status ok"
        return

    if ext.status in ("ok", "partial"):
        assert contains(ext.text, phrase, ignore_all_space=no_spaces), (
            f"{name}: {phrase!r} not in {ext.text[:300]!r}"
        )
    elif ext.status == "image-only":
        assert name in IMAGE_ONLY, f"{name} has a text layer but was flagged image-only"
        assert "OCR" in ext.reason
    elif ext.status == "encrypted":
        assert password, f"{name}: flagged encrypted but no password is published"
        unlocked = _extract(pool, name, password=password)
        assert unlocked.status == "ok", (name, unlocked.reason)
        assert contains(unlocked.text, phrase), f"{name}: {phrase!r} not found with the password"
    else:
        pytest.fail(f"{name}: {ext.status} ({ext.reason}) and {phrase!r} not found")


def test_wrong_password_says_so(pool: ExtractorPool) -> None:
    for name in ("libreoffice-writer-password.pdf", "testWORD_protected_passtika.docx"):
        ext = _extract(pool, name, password="not-the-password")
        assert ext.status == "encrypted"
        assert "password did not open it" in ext.reason


def test_bad_script_tag_does_not_leak_the_script(pool: ExtractorPool) -> None:
    """GIVEN an HTML page whose </script> carries an attribute WHEN it is read THEN the body text
    is kept and the script body is not (stdlib html.parser loses both; regexes keep both)."""
    ext = _extract(pool, "testHTMLBadScript.html")
    assert "This is a test." in ext.text
    assert "cool script" not in ext.text


def test_phonetic_readings_are_dropped(pool: ExtractorPool) -> None:
    sheet = _extract(pool, "testEXCEL_phonetic.xlsx")
    assert "豊田車会社" in sheet.text
    assert "トヨタクルマカイシャ" not in sheet.text
    ruby = _extract(pool, "testWORD_phonetic.docx")
    assert "東京" in ruby.text
    assert "とうきょう" not in ruby.text  # the furigana reading (w:rt)


def test_text_box_is_read_once(pool: ExtractorPool) -> None:
    """GIVEN a text box stored twice (DrawingML Choice + VML Fallback) THEN its text appears
    once."""
    ext = _extract(pool, "testWORD_text_box.docx")
    assert ext.text.count("This text is inside of a text box in the body of the document") == 1
    assert "text box in the header" in ext.text


def test_strict_workbook_has_all_its_sheets(pool: ExtractorPool) -> None:
    ext = _extract(pool, "testEXCEL.strict.xlsx")
    assert ext.page_count == 3
    assert ext.text.count("\f") == 2


def test_flags_for_macros_and_extract_permission(pool: ExtractorPool) -> None:
    assert "macros" in _extract(pool, "testWORD_macros.docm").flags
    assert "macros" in _extract(pool, "testPPT_macros.pptm").flags
    assert "macros" not in _extract(pool, "testPPT.ppsx").flags
    locked = _extract(pool, "testPDF_no_extract_no_accessibility_owner_empty.pdf")
    assert locked.status == "ok" and "no-extract-permission" in locked.flags


def test_ligatures_are_folded_and_pages_counted(pool: ExtractorPool) -> None:
    ext = _extract(pool, "GeoTopo-komprimiert.pdf")
    assert ext.page_count == 117 and ext.text.count("\f") == 116
    assert "Auflage" in ext.text and "\ufb02" not in ext.text
    assert ext.title == "Geometrie und Topologie"
    assert ext.language == "de"


def test_cid_codes_are_mapped_to_ascii(pool: ExtractorPool) -> None:
    """GIVEN an old Distiller PDF whose fonts lack ToUnicode (pdfminer gives "(cid:68)...")
    THEN the codes are read as ASCII and the page is searchable, with nothing stored raw."""
    ext = _extract(pool, "testPDF_bad_page_303226.pdf")
    assert ext.status in ("ok", "partial")
    # The running head exists only as (cid:NN) codes; the phrase also occurs in plain text.
    assert "Drug Enforcement Administration, Justice" in ext.text


def test_media_types_are_detected(pool: ExtractorPool) -> None:
    assert _extract(pool, "testHEIF.heic").media_type == "image/heic"
    assert _extract(pool, "testOCR.png").media_type == "image/png"
    assert _extract(pool, "testPPT.ppsx").media_type.endswith("presentationml.slideshow")
    assert _extract(pool, "testWORD_macros.docm").media_type.endswith("macroEnabled.12")
