"""`python main.py search / reindex / check` (index part): exit codes and JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from library.core import Library
from search.testing import add_item


@pytest.fixture
def root(tmp_path: Path) -> str:
    path = tmp_path / "lib"
    with Library.open(path) as lib:
        add_item(
            lib,
            "ROI calculator",
            ["Intro page.", "Payback in six months & <fast> ROI."],
            terms={"persona": ["CFO"], "stage": ["Proposal"]},
            format="roi-calculator",
        )
        add_item(
            lib,
            "Security overview",
            "Encryption at rest.",
            terms={"persona": ["CTO"]},
            format="white-paper",
        )
        add_item(lib, "Draft notes", "ROI draft.", status="draft")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_shape(root: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--library", root, "roi", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"query", "total", "results", "facets", "suggestion"}
    assert data["query"] == "roi" and data["total"] == 1 and data["suggestion"] is None
    (hit,) = data["results"]
    assert set(hit) == {"id", "title", "kind", "format", "score", "snippet", "file", "page"}
    assert hit["title"] == "ROI calculator" and hit["format"] == "roi-calculator"
    assert "<b>ROI</b>" in hit["snippet"] and hit["page"] == 2 and hit["file"].endswith(".pdf")
    assert data["facets"]["persona"] == {"CFO": 1}


def test_search_filters_all_and_text_output(root: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--library", root, "roi", "--all", "--json")
    assert json.loads(out)["total"] == 2
    code, out, _ = run(
        capsys,
        "search",
        "--library",
        root,
        "roi encryption",
        "--persona",
        "CTO",
        "--persona",
        "cfo",
        "--json",
    )
    assert json.loads(out)["total"] == 2
    code, out, _ = run(capsys, "search", "--library", root, "roi", "--kind", "case study")
    assert code == 1 and "0 matches" in out
    code, out, _ = run(capsys, "search", "--library", root, "roi")
    assert code == 0
    assert "**ROI**" in out and "<fast>" in out and "page 2" in out and "persona: CFO 1" in out


def test_search_nothing_matched_and_did_you_mean(
    root: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", "--library", root, "encryptoin")
    assert code == 1
    assert "Did you mean: encryption" in out
    code, out, _ = run(capsys, "search", "--library", root, "encryptoin", "--json")
    assert json.loads(out)["suggestion"] == "encryption"
    # Nothing close either: the rep is shown how to ask marketing for it.
    code, out, _ = run(capsys, "search", "--library", root, "helicopter")
    assert code == 1 and "Did you mean" not in out
    assert 'main.py request "WHAT YOU NEED" --query "helicopter"' in out
    # Only a draft matches: the default view says how many more there are and how to see them.
    code, out, _ = run(capsys, "search", "--library", root, "notes")
    assert code == 1 and "1 more not shown" in out and "--all" in out
    assert "Ask for it" not in out
    # A word only in a draft is not suggested to someone who did not ask for drafts.
    code, out, _ = run(capsys, "search", "--library", root, "draftt", "--json")
    assert json.loads(out)["suggestion"] is None
    code, out, _ = run(capsys, "search", "--library", root, "draftt", "--all", "--json")
    assert json.loads(out)["suggestion"] == "draft"


def test_search_input_errors_exit_2(root: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", "--library", root, "roi", "--format", "no-such-format")
    assert code == 2 and "not a known format" in err and "Traceback" not in err
    code, _, err = run(capsys, "search", "--library", root, "roi", "--limit", "-1")
    assert code == 2


@pytest.mark.parametrize("query", ['"unbalanced', "((", "*", "title:", "\x01", "x" * 20_000])
def test_hostile_queries_do_not_crash_the_cli(
    root: str, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, out, _ = run(capsys, "search", "--library", root, query, "--json")
    assert code in (0, 1)
    json.loads(out)


def test_reindex_and_check(root: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reindex", "--library", root, "--json")
    assert code == 0 and json.loads(out)["items"] == 3
    code, out, _ = run(capsys, "check", "--library", root, "--json")
    data = json.loads(out)
    assert data["stats"]["indexed_items"] == 3
    assert not [p for p in data["problems"] if p["area"] == "index"]
    with Library.open(Path(root)) as lib:
        from search.engine import SearchIndex

        index_dir = SearchIndex(lib).index_dir
        meta = json.loads((index_dir / "index.json").read_text())
    for f in (index_dir / meta["generation"]).iterdir():
        f.write_bytes(b"garbage")
    code, out, _ = run(capsys, "check", "--library", root, "--json")
    problems = [p for p in json.loads(out)["problems"] if p["area"] == "index"]
    assert code == 1 and "damaged" in problems[0]["message"]
    (index_dir / "index.json").unlink()  # never built: rebuilt on next open, not a problem
    code, out, _ = run(capsys, "check", "--library", root, "--json")
    data = json.loads(out)
    assert data["stats"]["index_rebuild_pending"] == 1
    assert not [p for p in data["problems"] if p["area"] == "index"]
