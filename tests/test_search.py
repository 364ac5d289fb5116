"""Search behaviour on a small library: ranking, language handling, syntax, facets, visibility,
snippets, suggestions, type-ahead, related items, hostile queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from library.core import Library
from search import SearchIndex, SearchRequest, open_index
from search.testing import add_item

TODAY = date.today()
FILLER = "Our platform helps teams work together. " * 20


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Library, SearchIndex, dict[str, str]]]:
    lib = Library.open(tmp_path_factory.mktemp("search") / "lib")
    k: dict[str, str] = {}
    k["title_roi"] = add_item(
        lib,
        "ROI calculator for finance teams",
        FILLER,
        terms={"persona": ["CFO"], "stage": ["Proposal"]},
        format="roi-calculator",
    )
    k["body_roi"] = add_item(
        lib,
        "Quarterly product update",
        FILLER + " It mentions ROI once.",
        terms={"persona": ["CTO"], "stage": ["Discovery"]},
    )
    k["integration"] = add_item(
        lib,
        "Connector overview",
        [
            "Page one is about pricing.",
            "Page two explains how to integrate with SAP and Salesforce.",
            "Page three: support.",
        ],
        terms={"persona": ["CTO"], "stage": ["Evaluation"], "product": ["Northwind Cloud"]},
        format="white-paper",
    )
    k["colour"] = add_item(
        lib,
        "Brand colour guide",
        "How we optimise the colour of every organisation chart.",
        terms={"tag": ["brand"]},
    )
    k["phrase"] = add_item(
        lib,
        "TCO study",
        "The total cost of ownership fell by a third.",
        terms={"persona": ["CFO"], "stage": ["Negotiation"]},
        kind="case-study",
        format="case-study",
    )
    k["scattered"] = add_item(
        lib,
        "Cost notes",
        "Ownership matters. The total is low. Cost is fine.",
        terms={"persona": ["CFO"], "stage": ["Proposal"]},
    )
    k["accent"] = add_item(lib, "Café résumé", "Le café de la société.", language="fr")
    k["draft"] = add_item(
        lib,
        "Draft battle card against Acme",
        "Acme weaknesses and landmines.",
        status="draft",
        kind="competitor-insight",
        format="battle-card",
        terms={"competitor": ["Acme"]},
    )
    k["expired"] = add_item(
        lib,
        "Expired Acme comparison",
        "Acme comparison sheet.",
        expires_on=TODAY - timedelta(days=1),
        terms={"competitor": ["Acme"]},
    )
    k["future"] = add_item(
        lib,
        "Upcoming Acme launch kit",
        "Acme launch.",
        published_at=TODAY + timedelta(days=5),
        terms={"competitor": ["Acme"]},
    )
    k["current"] = add_item(
        lib,
        "Acme battle card",
        "How to win against Acme.",
        expires_on=TODAY + timedelta(days=30),
        kind="competitor-insight",
        format="battle-card",
        terms={"competitor": ["Acme"], "persona": ["CFO"]},
    )
    k["tokyo"] = add_item(lib, "Japan deck", "東京の透明な人類の巨大な足跡")
    k["korean"] = add_item(lib, "Korea leaflet", "신용카드 빅포인트 적립 안내")
    k["arabic"] = add_item(lib, "Arabic quote", "قال حَبيبي مرحبا habibi")
    k["russian"] = add_item(lib, "Russian story", "Однажды, в студеную зимнюю пору")
    k["security1"] = add_item(
        lib,
        "Security overview",
        "Encryption, audit logging and single sign-on for regulated industries.",
        terms={"tag": ["security"]},
    )
    k["security2"] = add_item(
        lib,
        "Security whitepaper",
        "Encryption keys, audit trails and single sign-on in depth.",
        terms={"tag": ["security"]},
    )
    k["unrelated"] = add_item(lib, "Holiday schedule", "Office closed on public holidays.")
    idx = open_index(lib)
    yield lib, idx, k
    idx.close()
    lib.close()


def keys(idx: SearchIndex, text: str, **kw: object) -> list[str]:
    return [h.key for h in idx.search(SearchRequest(text, limit=50, **kw)).hits]  # type: ignore[arg-type]


# -- ranking -------------------------------------------------------------------------------------
def test_title_match_beats_body_match(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    found = keys(idx, "roi")
    assert found.index(k["title_roi"]) < found.index(k["body_roi"])


def test_approved_recently_verified_item_gets_a_small_boost(tmp_path: Path) -> None:
    """GIVEN two items identical except that one was verified and is not due for review
    WHEN searching THEN the verified one ranks first, by the documented 5 % factor."""
    with Library.open(tmp_path / "lib") as lib:
        plain = add_item(lib, "Pricing guide", "Pricing for partners.")
        verified = add_item(
            lib, "Pricing guide", "Pricing for partners.", verify_by=TODAY + timedelta(days=10)
        )
        battle = add_item(
            lib, "Pricing guide", "Pricing for partners.", last_verified=TODAY - timedelta(days=5)
        )
        with open_index(lib) as idx:
            hits = idx.search(SearchRequest("pricing")).hits
            by_key = {h.key: h.score for h in hits}
            assert hits[-1].key == plain
            assert by_key[verified] == pytest.approx(by_key[plain] * 1.05 / 1.0, rel=1e-3)
            assert by_key[battle] == pytest.approx(by_key[verified], rel=1e-3)


def test_or_grouping_finds_partial_matches_ranking_full_ones_first(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    _, idx, k = world
    found = keys(idx, "encryption audit holidays")
    assert k["unrelated"] in found  # matches one word only: still found (OR)
    assert found.index(k["security1"]) < found.index(k["unrelated"])


# -- language ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "item"),
    [
        ("integration", "integration"),
        ("integrating", "integration"),
        ("optimize color organization", "colour"),
        ("CAFE", "accent"),
        ("societe", "accent"),
        ("東京", "tokyo"),
        ("透明な人類", "tokyo"),
        ("빅포인트", "korean"),
        ("حبيبي", "arabic"),
        ("habibi", "arabic"),
        ("однажды", "russian"),
        ("Однажды", "russian"),
    ],
)
def test_findable(
    world: tuple[Library, SearchIndex, dict[str, str]], query: str, item: str
) -> None:
    _, idx, k = world
    assert keys(idx, query)[:1] == [k[item]]


def test_cjk_word_must_be_contiguous(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    assert k["tokyo"] not in keys(idx, "京東")


# -- syntax --------------------------------------------------------------------------------------
def test_phrase_requires_adjacent_words(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    assert keys(idx, '"total cost of ownership"') == [k["phrase"]]
    assert set(keys(idx, "total cost ownership")) >= {k["phrase"], k["scattered"]}


def test_prefix_fuzzy_and_field_queries(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    assert k["integration"] in keys(idx, "integ*")
    assert k["security1"] in keys(idx, "encrpytion~")
    assert k["security1"] in keys(idx, "encryptoin~2")
    assert keys(idx, "title:connector") == [k["integration"]]
    assert set(keys(idx, "persona:CFO")) == {
        k["title_roi"],
        k["phrase"],
        k["scattered"],
        k["current"],
    }
    assert set(keys(idx, 'stage:"closed won" OR stage:negotiation')) == {k["phrase"]}
    assert keys(idx, "kind:case-study") == [k["phrase"]]
    assert keys(idx, "format:whitepaper") == [k["integration"]]
    assert keys(idx, "product:northwind-cloud") == [k["integration"]]
    assert keys(idx, "tag:brand") == [k["colour"]]


def test_not_and_minus_exclude(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    assert set(keys(idx, "encryption")) == {k["security1"], k["security2"]}
    assert keys(idx, "encryption NOT regulated") == [k["security2"]]
    assert keys(idx, "encryption -regulated") == [k["security2"]]


def test_as_you_type_treats_the_last_word_as_a_prefix(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    _, idx, k = world
    assert keys(idx, "encryp") == []
    assert set(keys(idx, "encryp", as_you_type=True)) == {k["security1"], k["security2"]}


# -- facets and filters --------------------------------------------------------------------------
def test_facet_counts_for_the_query(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, _k = world
    res = idx.search(SearchRequest("cost ownership roi"))
    assert res.total == len(keys(idx, "cost ownership roi"))
    assert res.facets["persona"]["CFO"] == 3  # title_roi, phrase, scattered
    assert res.facets["persona"]["CTO"] == 1  # body_roi
    assert res.facets["stage"] == {"Proposal": 2, "Discovery": 1, "Negotiation": 1}
    assert set(res.facets) >= {
        "persona",
        "stage",
        "kind",
        "format",
        "product",
        "industry",
        "competitor",
        "audience",
        "language",
        "status",
    }


def test_filters_or_within_and_across_facets(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    """GIVEN items tagged with personas and stages
    WHEN filtering on two stages and one persona
    THEN an item passes with either stage (OR) and only with that persona (AND), and each
    facet's counts ignore its own filter (so the UI can offer the other values)."""
    _, idx, k = world
    res = idx.search(
        SearchRequest(
            "cost ownership roi", filters={"stage": ["Proposal", "Negotiation"], "persona": ["CFO"]}
        )
    )
    assert {h.key for h in res.hits} == {k["title_roi"], k["phrase"], k["scattered"]}
    assert res.total == 3
    assert res.facets["stage"] == {"Proposal": 2, "Negotiation": 1}  # persona=CFO applied
    assert res.facets["persona"] == {"CFO": 3}  # stage filter applied; CTO item is in Discovery
    res = idx.search(
        SearchRequest("cost ownership roi", filters={"stage": ["Discovery"], "persona": ["CFO"]})
    )
    assert res.total == 0 and res.facets["persona"] == {"CTO": 1}
    assert idx.search(SearchRequest("", filters={"kind": ["case study"]})).total == 1


# -- visibility ----------------------------------------------------------------------------------
def test_default_visibility_hides_drafts_expired_and_unpublished(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    _, idx, k = world
    assert set(keys(idx, "acme")) == {k["current"]}
    assert set(keys(idx, "acme", include_all=True)) == {
        k["draft"],
        k["expired"],
        k["future"],
        k["current"],
    }
    res = idx.search(SearchRequest("acme", include_all=True))
    assert res.facets["status"] == {"approved": 3, "draft": 1}


def test_expiry_is_evaluated_at_query_time(
    world: tuple[Library, SearchIndex, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN an item expiring in 30 days WHEN the clock passes that day THEN it disappears
    from default results without any edit or reindex; the unpublished one appears."""
    import search.engine

    _, idx, k = world
    monkeypatch.setattr(search.engine, "today", lambda: TODAY + timedelta(days=31))
    assert set(keys(idx, "acme")) == {k["future"]}


# -- results ---------------------------------------------------------------------------------------
def test_snippets_come_from_the_matching_page(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    _, idx, k = world
    res = idx.search(SearchRequest("integrate sap"))
    assert res.hits[0].snippet == ""  # phase 1 has no snippets
    snip = idx.snippets(res.query_id, [k["integration"]])[k["integration"]]
    assert "<b>integrate</b>" in snip.snippet and "<b>SAP</b>" in snip.snippet
    assert snip.page == 2 and snip.file == "Connector overview.pdf"
    assert snip.title == "Connector overview" and snip.score == res.hits[0].score
    assert idx.snippets(999_999, [k["integration"]]) == {}


def test_snippets_inline_escape_html_and_fall_back_to_summary(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        key = add_item(lib, "Margins", "Gross <margin> & net margin.", summary="About profit.")
        other = add_item(
            lib, "Profit deck", "Nothing relevant here.", summary="Profit and loss basics."
        )
        with open_index(lib) as idx:
            hit = idx.search(SearchRequest("margin", with_snippets=True)).hits[0]
            assert hit.key == key
            assert "&lt;<b>margin</b>&gt; &amp;" in hit.snippet
            assert hit.page is None
            hits = {h.key: h for h in idx.search(SearchRequest("profit", with_snippets=True)).hits}
            assert "<b>Profit</b>" in hits[other].snippet and hits[other].file == ""


def test_did_you_mean_offers_real_words(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, _k = world
    assert idx.suggest("encrpytion audit") == "encryption audit"
    assert idx.suggest("intgrate") == "integrate"  # a word, not the stem "integr"
    assert idx.suggest("encryption audit") is None


def test_type_ahead_completes_the_last_word(
    world: tuple[Library, SearchIndex, dict[str, str]],
) -> None:
    _, idx, _k = world
    assert "encryption" in idx.complete("audit encr")
    assert idx.complete("e") == []  # too short to expand
    assert len(idx.complete("s", limit=3)) <= 3


def test_more_like_this(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, k = world
    related = [h.key for h in idx.more_like_this(k["security1"])]
    assert related[0] == k["security2"]
    assert k["security1"] not in related


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "(((",
        "AND",
        "NOT",
        "*",
        "title:",
        "persona:",
        "?",
        "~",
        "\x00\x1b[2J",
        "x" * 50_000,
        "a" * 1000 + "*",
        '""',
        "-",
        "encryption~9",
        "🤠",
    ],
)
def test_hostile_queries_never_raise(
    world: tuple[Library, SearchIndex, dict[str, str]], text: str
) -> None:
    _, idx, _k = world
    res = idx.search(SearchRequest(text, as_you_type=True, with_snippets=True))
    assert res.total >= 0
    idx.suggest(text)
    idx.complete(text)
    if len(text) > 1000:
        assert "shortened" in res.message


def test_paging_and_sorting(world: tuple[Library, SearchIndex, dict[str, str]]) -> None:
    _, idx, _k = world
    everything = idx.search(SearchRequest("", limit=100))
    page2 = idx.search(SearchRequest("", limit=3, offset=3))
    assert [h.key for h in page2.hits] == [h.key for h in everything.hits[3:6]]
    titles = [h.title for h in idx.search(SearchRequest("", limit=100, sort="title")).hits]
    assert titles == sorted(titles, key=str.casefold)


def test_suggestions_and_completions_only_offer_words_the_viewer_can_see(tmp_path: Path) -> None:
    """GIVEN a partner-shareable kit, an internal battle card naming a competitor and a draft
    WHEN a partner mistypes or starts typing the competitor's name THEN neither "did you mean"
    nor type-ahead reveals it; a marketer (who may see everything) still gets it, and a rep's
    default search suggests only words that lead to items they see."""
    from library import users

    with Library.open(tmp_path / "lib") as lib:
        users.add_user(lib, "Pat Partner", "partner")
        users.add_user(lib, "Rae Rep", "rep")
        add_item(
            lib, "Partner kit", "How resellers register deals and quote prices.", audience="partner"
        )
        add_item(
            lib,
            "Battle card: Quotabase",
            "Quotabase landmines and objections.",
            audience="internal",
            kind="competitor-insight",
            format="battle-card",
        )
        add_item(
            lib, "Zeppelin launch plan", "Zeppelin details.", status="draft", audience="partner"
        )
        with open_index(lib) as idx:
            assert idx.suggest("quotbase") == "quotabase"  # the creator is admin
            assert "quotabase" in idx.complete("quota")
            assert idx.suggest("zepelin", include_all=True) == "zeppelin"
            lib.actor = "Pat Partner"
            assert idx.suggest("quotbase") != "quotabase"
            assert idx.suggest("quotbase", include_all=True) != "quotabase"
            assert "quotabase" not in idx.complete("quota")
            assert "quotabase" not in idx.complete("quota", include_all=True)
            assert idx.suggest("zepelin", include_all=True) is None
            # Typing the hidden word itself is answered as for any unknown word: no tell.
            assert idx.suggest("quotabase") == idx.suggest("quotabaze")
            assert idx.suggest("resellrs") == "resellers"  # a word of the kit is still offered
            assert "resellers" in idx.complete("resel")
            lib.actor = "Rae Rep"
            # Asked for the default view (as `search` does without --all): only words that lead
            # to items that view shows.
            assert idx.suggest("zepelin", include_all=False) is None
            assert idx.suggest("zepelin", include_all=True) == "zeppelin"  # reps may ask for more


def test_a_partners_prefix_search_expands_to_words_they_can_see(tmp_path: Path) -> None:
    """GIVEN internal items holding many frequent words that start like a word of the partner
    kit WHEN a partner searches the prefix THEN the expansion (capped at the most frequent
    words) still reaches the kit's word instead of being used up by hidden ones."""
    from library import users

    hidden = " ".join(f"qua{chr(97 + i)}{chr(97 + j)}" for i in range(5) for j in range(5))
    with Library.open(tmp_path / "lib") as lib:
        users.add_user(lib, "Pat Partner", "partner")
        kit = add_item(lib, "Partner kit", "How to quote prices.", audience="partner")
        for n in range(3):
            add_item(lib, f"Internal notes {n}", hidden, audience="internal")
        with open_index(lib) as idx:
            lib.actor = "Pat Partner"
            assert [h.key for h in idx.search(SearchRequest("qu*")).hits] == [kit]
