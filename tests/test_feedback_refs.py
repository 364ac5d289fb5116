"""Flags and requests are found by their number or by a prefix of their key, even when that
prefix happens to be all digits (UUIDs often start that way)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from library import feedback
from library.core import Library
from library.errors import NotFound
from library.models import Feedback


def test_an_all_digit_key_prefix_finds_its_row(lib: Library) -> None:
    req = feedback.request_content(lib, "ROI calculator for retail")
    with lib.transaction() as s:  # a key that starts with digits, as 1 in ~40 random keys do
        s.execute(
            update(Feedback)
            .where(Feedback.id == req.id)
            .values(feedback_key="01874286-aaaa-4bbb-8ccc-dddddddddddd")
        )
    assert feedback.answer(lib, "01874286", "On the Q3 plan").id == req.id
    closed = feedback.close(lib, str(req.id), "Planned for Q3")  # its number still works
    assert closed.id == req.id and closed.status == "closed"
    with pytest.raises(NotFound):
        feedback.close(lib, "99999999", "nothing")
