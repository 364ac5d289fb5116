"""Qt-free progress and cancellation for long operations (import, reindex, export).

Long operations accept a `Cancel` token and a `report(Progress)` callback. The CLI prints the
progress to the terminal; the UI's worker adapter turns it into Qt signals. Cancelling is
cooperative: the operation checks the token between units of work (one file, one batch), so what
was committed stays committed and nothing is left half-written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Progress:
    done: int
    total: int | None
    message: str = ""


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    return None


class Cancel:
    """A cancel flag that can be set from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()
