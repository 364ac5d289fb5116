"""Shared fixtures. Qt runs offscreen: set before anything can import Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FRONTLINE_USER", "test-user")

from collections.abc import Iterator
from pathlib import Path

import pytest

from library.core import Library

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the repo (CI clones main with shared/ beside it)."""
    env = os.environ.get("FRONTLINE_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    """A new, empty library in a temporary folder."""
    library = Library.open(tmp_path / "lib")
    try:
        yield library
    finally:
        library.close()


@pytest.fixture
def corpus_dir() -> Path:
    d = shared_dir() / "corpus"
    if not (d / "MANIFEST.tsv").is_file():
        pytest.skip(f"shared corpus not found at {d}")
    return d
