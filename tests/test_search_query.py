"""Search analysis and query sanitising, without a library."""

from __future__ import annotations

import pytest

from search.analysis import BRITISH_TO_US, TextAnalyzer, facet_key, fold
from search.api import MAX_QUERY_CHARS
from search.query import sanitize


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer()


def terms(analyzer: TextAnalyzer, text: str) -> list[str]:
    return analyzer.terms(text)


def test_stemming_joins_inflections(analyzer: TextAnalyzer) -> None:
    assert len(set(terms(analyzer, "integrate integration integrations integrated"))) == 1
    assert terms(analyzer, "proposals") == terms(analyzer, "proposal")


def test_accent_and_case_folding(analyzer: TextAnalyzer) -> None:
    assert terms(analyzer, "CAFÉ Naïve Résumé") == terms(analyzer, "cafe naive resume")
    assert fold("ＡＢＣ") == "abc"  # full-width forms
    assert terms(analyzer, "ﬁlled") == terms(analyzer, "filled")  # ligature


@pytest.mark.parametrize(
    ("british", "us"),
    [
        ("optimise", "optimize"),
        ("optimisation", "optimization"),
        ("colour", "color"),
        ("analyse", "analyze"),
        ("organisation", "organization"),
        ("behaviour", "behavior"),
        ("centre", "center"),
        ("licence", "license"),
        ("catalogue", "catalog"),
        ("travelled", "traveled"),
    ],
)
def test_british_and_us_spellings_meet(analyzer: TextAnalyzer, british: str, us: str) -> None:
    assert terms(analyzer, british) == terms(analyzer, us)


def test_british_map_leaves_lookalikes_alone() -> None:
    for word in ("enterprise", "promise", "exercise", "expertise", "hour", "four", "your"):
        assert word not in BRITISH_TO_US


def test_cjk_becomes_bigrams_with_positions(analyzer: TextAnalyzer) -> None:
    toks = [(t.text, t.pos) for t in analyzer("透明な人類", positions=True)]
    assert toks == [("透明", 0), ("明な", 1), ("な人", 2), ("人類", 3)]
    assert terms(analyzer, "東京") == ["東京"]
    assert terms(analyzer, "빅포인트") == ["빅포", "포인", "인트"]


def test_arabic_harakat_and_cyrillic(analyzer: TextAnalyzer) -> None:
    assert terms(analyzer, "حَبيبي") == terms(analyzer, "حبيبي") == ["حبيبي"]
    assert terms(analyzer, "Однажды") == ["однажды"]


def test_stop_words_do_not_break_phrase_positions(analyzer: TextAnalyzer) -> None:
    toks = [(t.text, t.pos) for t in analyzer("return on investment", positions=True)]
    assert [p for _, p in toks] == [0, 1]


def test_facet_keys() -> None:
    assert facet_key("Closed won") == facet_key("closed-won") == facet_key(" CLOSED_won ")
    assert facet_key("Café") == "cafe"


@pytest.mark.parametrize(
    "raw",
    [
        '"unbalanced quote',
        "((( nested (",
        ")) closing",
        "AND",
        "OR OR NOT",
        "*",
        "?",
        "~",
        "title:",
        "persona:",
        "foo: bar",
        "a*b?c",
        "-",
        "+",
        "^",
        "\x00\x07\x1b[31m",
        "word~9",
        "NOT",
        "x" * 60_000,
        "🤠😅 emoji",
        '"" () [] {}',
    ],
)
def test_sanitize_never_raises_and_caps(raw: str) -> None:
    s = sanitize(raw)
    assert len(s.text) <= MAX_QUERY_CHARS
    assert s.text.count('"') % 2 == 0
    assert s.text.count("(") == s.text.count(")")
    assert not any(ord(c) < 32 for c in s.text)


def test_sanitize_reports_shortening() -> None:
    assert "shortened" in sanitize("word " * 1000).message
    assert sanitize("short query").message == ""


def test_sanitize_keeps_useful_syntax() -> None:
    assert sanitize("integ*").text == "integ*"
    assert sanitize("i*").text == "i"  # too short a prefix: a plain word
    assert sanitize('stage:"closed won"').text == "stage:closed-won"
    assert sanitize("Title:roi").text == "title:roi"
    assert sanitize("nosuchfield:roi").text == "nosuchfield roi"
    assert sanitize("security~").text == "security~2"
    assert sanitize("birth-weight").text == "birth weight"
    assert sanitize("kind:case-study").text == "kind:case-study"
