"""Searching a library that has nothing in it yet (the first run) answers, never crashes."""

from __future__ import annotations

import pytest

from library.core import Library
from search import SearchRequest, open_index


@pytest.mark.parametrize("query", ["hello", 'hel* "a b" x~ -y title:z persona:cfo', ""])
def test_an_empty_library_answers_every_query_with_nothing(lib: Library, query: str) -> None:
    idx = open_index(lib, rebuild="sync")
    try:
        res = idx.search(SearchRequest(query))
        assert res.total == 0 and res.hits == []
    finally:
        idx.close()
