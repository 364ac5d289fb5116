"""Importing files, folders and manifests (extraction runs for real, in its sandbox)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from library import items
from library.core import Library
from library.errors import InvalidInput
from library.importer import import_paths, read_manifest, title_from_filename
from library.models import Activity, Asset, Item, SearchDirty
from library.progress import Cancel, Progress
from library.values import ImportOptions


def _docx(path: Path, heading: str, body: str) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    d.add_heading(heading, level=1)
    d.add_paragraph(body)
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "Uptime"
    t.rows[0].cells[1].text = "99.95 percent guaranteed"
    d.save(str(path))
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "drive"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "notes.txt").write_text(
        "Pricing notes for the renewal conversation with procurement teams.\n", encoding="utf-8"
    )
    (root / "sub" / "faq.md").write_text(
        "# Product FAQ\n\nHow does the connector handle offline laptops and conflict resolution?\n",
        encoding="utf-8",
    )
    (root / "sub" / "deeper" / "ds.docx").parent.mkdir(exist_ok=True)
    _docx(
        root / "sub" / "deeper" / "ds.docx",
        "Pipeline Analytics data sheet",
        "Forecast accuracy improves when reps see the whole pipeline in one place.",
    )
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("hidden", encoding="utf-8")
    (root / "~$lock.docx").write_bytes(b"lock")
    return root


def test_folder_import_is_recursive_and_catalogues_every_file(lib: Library, folder: Path) -> None:
    seen: list[Progress] = []
    report = import_paths(lib, [folder], ImportOptions(), progress=seen.append)
    names = sorted(Path(r.path).name for r in report.results)
    assert names == ["ds.docx", "faq.md", "notes.txt"]  # hidden folders and lock files skipped
    assert all(r.outcome == "imported" and r.extraction_status == "ok" for r in report.results), (
        report.results
    )
    assert seen and seen[-1].done == 3
    by_name = {Path(r.path).name: items.get(lib, r.item_key or "") for r in report.results}
    assert by_name["ds.docx"].title == "Pipeline Analytics data sheet"  # first heading
    assert by_name["faq.md"].title == "Product FAQ"
    assert "conflict resolution" in by_name["faq.md"].summary
    assert by_name["ds.docx"].status == "draft" and by_name["ds.docx"].audience == "internal"
    with lib.reader() as s:
        text = s.scalar(select(Asset.text).where(Asset.original_name == "ds.docx"))
        assert text is not None and "99.95 percent guaranteed" in text  # table text too
        assert s.scalar(select(func.count()).select_from(SearchDirty)) == 3
        assert (
            s.scalar(select(func.count()).select_from(Activity).where(Activity.action == "import"))
            == 3
        )


def test_reimporting_an_unchanged_file_is_a_no_op(lib: Library, folder: Path) -> None:
    import_paths(lib, [folder])
    again = import_paths(lib, [folder])
    assert [r.outcome for r in again.results] == ["unchanged"] * 3
    assert all("Already in the library" in r.reason for r in again.results)
    with lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 3


def test_a_file_that_ran_out_of_time_is_read_again_on_the_next_import(
    lib: Library, tmp_path: Path
) -> None:
    """GIVEN a file whose extraction hit its time limit (busy machine, short --timeout) WHEN it
    is imported again THEN it is read again (not "unchanged" forever), in the same item."""
    doc = tmp_path / "brief.txt"
    doc.write_text("Forecast accuracy brief for finance teams.", encoding="utf-8")
    first = import_paths(lib, [doc], timeout=1e-6).results[0]
    assert first.extraction_status == "failed" and "Took longer" in first.reason
    again = import_paths(lib, [doc]).results[0]
    assert (again.outcome, again.extraction_status, again.item_key) == (
        "updated",
        "ok",
        first.item_key,
    )
    assert import_paths(lib, [doc]).results[0].outcome == "unchanged"


def test_identical_files_under_two_names_are_stored_once(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same bytes in two places", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same bytes in two places", encoding="utf-8")
    report = import_paths(lib, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [r.outcome for r in report.results] == ["imported", "unchanged"]
    assert len(list(lib.store.all_digests())) == 1


def test_cli_metadata_is_applied_and_new_taxonomy_values_are_reported(
    lib: Library, folder: Path
) -> None:
    opts = ImportOptions(
        kind="case-study",
        format="case-study",
        status="approved",
        audience="customer",
        terms={"persona": ["CFO", "cfo"], "stage": ["discovery"], "product": ["Pulse"]},
    )
    report = import_paths(lib, [folder / "notes.txt"], opts)
    d = items.get(lib, report.results[0].item_key or "")
    assert (d.kind, d.format, d.status, d.audience) == (
        "case-study",
        "case-study",
        "approved",
        "customer",
    )
    assert d.terms["persona"] == ["CFO"]  # case-insensitive: one value
    assert d.terms["stage"] == ["Discovery"]  # existing default stage reused
    assert d.published_at is not None  # approved on import => published today
    assert report.created_terms == {"persona": ["CFO"], "product": ["Pulse"]}


def test_csv_manifest_maps_files_to_metadata(lib: Library, folder: Path) -> None:
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "file,title,kind,format,personas,stages,products,audience,expires_on,status\n"
        "notes.txt,Renewal pricing notes,Collateral,Pricing sheet,CFO;Procurement,Negotiation,Pulse|Beacon,customer,2027-03-31,Approved\n"
        "sub/faq.md,Connector FAQ,,faq,,,,partner,,in review\n",
        encoding="utf-8",
    )
    report = import_paths(lib, [], manifest=manifest)
    assert [r.outcome for r in report.results] == ["imported", "imported"]
    d = items.get(lib, report.results[0].item_key or "")
    assert d.title == "Renewal pricing notes"
    assert d.format == "pricing-sheet" and d.kind == "collateral"
    assert d.terms["persona"] == ["CFO", "Procurement"] and d.terms["product"] == [
        "Pulse",
        "Beacon",
    ]
    assert str(d.expires_on) == "2027-03-31" and d.status == "approved"
    faq = items.get(lib, report.results[1].item_key or "")
    assert (faq.title, faq.format, faq.audience, faq.status) == (
        "Connector FAQ",
        "faq",
        "partner",
        "in-review",
    )


def test_yaml_manifest_with_structured_case_study(lib: Library, folder: Path) -> None:
    manifest = folder / "m.yaml"
    manifest.write_text(
        """
items:
  - file: notes.txt
    title: ACME cuts forecast time
    format: case study
    industry: [Manufacturing]
    case_study:
      customer: ACME
      results: [{metric: Forecast time, value: "-60%"}]
      quote: We finally trust the numbers.
""",
        encoding="utf-8",
    )
    report = import_paths(lib, [], manifest=manifest)
    d = items.get(lib, report.results[0].item_key or "")
    assert d.kind == "case-study"
    assert d.terms["industry"] == ["Manufacturing"]
    assert d.case_study is not None and d.case_study["customer"] == "ACME"
    assert d.case_study["results"] == [{"metric": "Forecast time", "value": "-60%"}]


def test_a_bad_manifest_row_fails_before_anything_is_imported(lib: Library, folder: Path) -> None:
    manifest = folder / "bad.csv"
    manifest.write_text(
        "file,kind\nnotes.txt,collateral\nsub/faq.md,brochureware\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match=r"row 3: 'brochureware' is not a known kind"):
        import_paths(lib, [], manifest=manifest)
    with lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 0


def test_manifest_errors_name_the_problem(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("title\nX\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no 'file' column"):
        read_manifest(tmp_path / "m.csv")
    (tmp_path / "m2.csv").write_text("file,colour\na.txt,red\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown column 'colour'"):
        read_manifest(tmp_path / "m2.csv")
    (tmp_path / "m.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"use a \.csv"):
        read_manifest(tmp_path / "m.json")


def test_manifests_as_spreadsheets_save_them_are_read(tmp_path: Path) -> None:
    """GIVEN manifests saved by Excel in Europe (semicolons) and as "Unicode text" (UTF-16
    with a BOM, tabs) WHEN read THEN their rows and values come through."""
    (tmp_path / "eu.csv").write_text("file;title;personas\na.txt;Prix;CFO|CTO\n", encoding="cp1252")
    (entry,) = read_manifest(tmp_path / "eu.csv")
    assert entry.fields["title"] == "Prix" and entry.terms["persona"] == ["CFO", "CTO"]
    (tmp_path / "u.csv").write_bytes("file\ttitle\na.txt\tÜbersicht\n".encode("utf-16"))
    (entry,) = read_manifest(tmp_path / "u.csv")
    assert entry.fields["title"] == "Übersicht" and entry.path.name == "a.txt"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bin.csv", bytes(range(256)) * 8, "is not a text file"),
        ("nul.csv", b"file,title\na.txt,x\x00y\n", "is not a text file"),
        (
            "py.yaml",
            b"- file: a.txt\n  title: !!python/object/apply:os.system [echo hi]\n",
            r"is not valid YAML: line 2: could not determine a constructor",
        ),
        ("map.yaml", b"- file: a.txt\n  personas: {a: b}\n", "'personas' must be a single"),
        ("cs.yaml", b"- file: a.txt\n  case_study: ACME\n", "'case_study' must be a mapping"),
        (
            "laughs.yaml",
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + b"".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n".encode()
                for p, c in zip("abcdef", "bcdefg", strict=True)
            )
            + b"items:\n- file: a.txt\n  case_study: {results: *g}\n",
            "aliases expand to more than",
        ),
    ],
)
def test_hostile_manifests_get_one_sentence(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    """GIVEN a manifest that is binary, runs code, nests where names belong or is a YAML alias
    bomb WHEN read THEN one InvalidInput sentence, quickly, and nothing else."""
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InvalidInput, match=message) as got:
        read_manifest(tmp_path / name)
    assert "\n" not in str(got.value)


def test_one_bad_file_never_aborts_the_batch_or_leaves_partial_rows(
    lib: Library, tmp_path: Path
) -> None:
    """GIVEN a folder with a truncated DOCX, a missing path and a good file WHEN imported
    THEN the good file is imported, the broken one is catalogued with a reason, the missing one
    is reported, and every DB item has exactly one complete asset."""
    (tmp_path / "good.txt").write_text(
        "Battle-tested onboarding checklist for new customers.", encoding="utf-8"
    )
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    report = import_paths(
        lib, [tmp_path / "good.txt", tmp_path / "broken.docx", tmp_path / "missing.pdf"]
    )
    outcome = {Path(r.path).name: r for r in report.results}
    assert outcome["good.txt"].outcome == "imported"
    assert (
        outcome["broken.docx"].outcome == "imported"
        and outcome["broken.docx"].extraction_status == "failed"
    )
    assert outcome["broken.docx"].reason
    assert (
        outcome["missing.pdf"].outcome == "failed"
        and outcome["missing.pdf"].reason == "No such file."
    )
    with lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 2
        assert s.scalar(select(func.count()).select_from(Asset)) == 2


def test_an_exception_inside_the_transaction_rolls_back_that_file_only(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from library import importer

    (tmp_path / "a.txt").write_text("first file body text", encoding="utf-8")
    (tmp_path / "b.txt").write_text("second file body text", encoding="utf-8")
    original = importer._fill_asset
    calls = {"n": 0}

    def flaky(asset, ext):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("simulated crash while writing rows")
        original(asset, ext)

    monkeypatch.setattr(importer, "_fill_asset", flaky)
    report = import_paths(lib, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [r.outcome for r in report.results] == ["failed", "imported"]
    assert "simulated crash" in report.results[0].reason
    with lib.reader() as s:
        assert s.scalars(select(Asset.original_name)).all() == ["b.txt"]
        assert s.scalar(select(func.count()).select_from(Item)) == 1
        assert s.scalar(select(func.count()).select_from(SearchDirty)) == 1


def test_cancel_stops_between_files_and_keeps_what_was_committed(
    lib: Library, tmp_path: Path
) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(f"document number {i} about renewals", encoding="utf-8")
    cancel = Cancel()

    def progress(p: Progress) -> None:
        if p.done == 2:
            cancel.set()

    report = import_paths(lib, [tmp_path], progress=progress, cancel=cancel)
    assert report.cancelled
    assert len(report.results) == 2
    with lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 2


def test_title_from_filename() -> None:
    assert title_from_filename(Path("acme_case-study_v2.pdf")) == "Acme case study v2"
    assert title_from_filename(Path("x.pdf")) == "X"


def test_json_report_is_serializable(lib: Library, folder: Path) -> None:
    from library.values import to_json

    report = import_paths(lib, [folder])
    data = to_json(report)
    assert json.loads(json.dumps(data))["results"][0]["outcome"] == "imported"
