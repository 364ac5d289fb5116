"""Share rules (library.sharing): what may leave the library, for whom, today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from library.core import Library
from library.sharing import share_refusals
from tests.test_export_data import ADMIN, as_user, build_library

TODAY = date(2026, 3, 2)


@pytest.fixture
def keys(lib: Library) -> dict[str, str]:
    return build_library(lib, TODAY)


def _rules(lib: Library, key: str, recipient: str, today: date = TODAY) -> list[str]:
    return [r.rule for r in share_refusals(lib, [key], recipient, today)]


def test_shareable_items_pass_for_customers_and_partners(
    lib: Library, keys: dict[str, str]
) -> None:
    ok = [keys["case"], keys["sheet"], keys["onepager"]]
    assert share_refusals(lib, ok, "customer", TODAY) == []
    assert share_refusals(lib, ok, "partner", TODAY) == []
    assert share_refusals(lib, [keys["customer_only"]], "customer", TODAY) == []


@pytest.mark.parametrize(
    ("nickname", "rule", "words"),
    [
        ("draft", "not-approved", "still a draft"),
        ("expired", "expired", "expired on"),
        ("retired", "retired", "is retired"),
        ("internal", "audience", "internal only"),
        ("battle", "internal-format", "battle card"),
        ("scheduled", "scheduled", "scheduled to be published"),
    ],
)
def test_each_rule_refuses_with_the_item_name(
    lib: Library, keys: dict[str, str], nickname: str, rule: str, words: str
) -> None:
    (refusal,) = share_refusals(lib, [keys[nickname]], "customer", TODAY)
    assert refusal.rule == rule and refusal.item_key == keys[nickname]
    assert f"'{refusal.title}'" in refusal.message and words in refusal.message
    assert refusal.message.endswith(".")


def test_partner_packs_take_partner_shareable_items_only(
    lib: Library, keys: dict[str, str]
) -> None:
    (refusal,) = share_refusals(lib, [keys["customer_only"]], "partner", TODAY)
    assert refusal.rule == "audience"
    assert "not partner-shareable" in refusal.message and "Pricing overview 2026" in refusal.message


def test_internal_recipients_get_internal_items_but_never_stale_ones(
    lib: Library, keys: dict[str, str]
) -> None:
    assert _rules(lib, keys["internal"], "internal") == []
    assert _rules(lib, keys["battle"], "internal") == []
    assert _rules(lib, keys["draft"], "internal") == ["not-approved"]
    assert _rules(lib, keys["expired"], "internal") == ["expired"]


def test_an_item_is_valid_on_its_expiry_day_and_refused_the_day_after(
    lib: Library, keys: dict[str, str]
) -> None:
    expiry = TODAY - timedelta(days=1)  # build_library: expired = today - 1
    assert _rules(lib, keys["expired"], "customer", today=expiry) == []
    assert _rules(lib, keys["expired"], "customer", today=expiry + timedelta(days=1)) == ["expired"]


def test_several_rules_and_unknown_keys_are_all_reported(
    lib: Library, keys: dict[str, str]
) -> None:
    from library.items import edit

    with as_user(lib, ADMIN):  # the library's current user is a rep, who may not edit
        edit(lib, keys["draft"], [("audience", "internal")])
    rules = _rules(lib, keys["draft"], "partner")
    assert rules == ["not-approved", "audience"]
    (missing,) = share_refusals(lib, ["no-such-key"], "customer", TODAY)
    assert missing.rule == "missing" and "no-such-key" in missing.message


def test_works_inside_a_callers_session_and_rejects_unknown_recipients(
    lib: Library, keys: dict[str, str]
) -> None:
    with lib.reader() as s:
        assert [r.rule for r in share_refusals(s, [keys["retired"]], "customer", TODAY)] == [
            "retired"
        ]
    with pytest.raises(ValueError):
        share_refusals(lib, [keys["sheet"]], "everyone", TODAY)
