"""Errors whose message is a sentence meant for the user (CLI prints it, UI shows it)."""

from __future__ import annotations


class LibraryError(Exception):
    """A problem the user can act on; `str(err)` is a complete sentence."""


class NotFound(LibraryError):
    """No item (or taxonomy value) matches what the user named."""


class InvalidInput(LibraryError):
    """A value the user gave is not acceptable (bad field, bad date, unknown kind...)."""
