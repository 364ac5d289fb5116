"""The library's vocabulary: real (folded, unstemmed) words, for "did you mean", type-ahead and
prefix/fuzzy expansion.

Why not an unstemmed Whoosh field: indexing every word twice halved the build rate (44 vs 119
items/s at ~2,000 words per item). The words are captured while indexing instead (the index
analyzer sees every raw word anyway) and kept in `vocab.txt` beside the segments: written whole
by a rebuild, appended to by each drain. Words are never removed (a vanished word only costs a
useless candidate until the next rebuild). A word's frequency is its stem's document frequency
in the index, looked up only for the few candidates being ranked.
"""

from __future__ import annotations

import bisect
import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.spelling import ListCorrector

from search.analysis import MAX_WORD_CHARS, fold, is_cjk

FILE_NAME = "vocab.txt"


def vocabulary_word(raw: str) -> str | None:
    """The vocabulary form of a raw word, or None (numbers, CJK, too short or long)."""
    w = fold(raw)
    if not (2 <= len(w) <= MAX_WORD_CHARS) or not w.isalpha():
        return None
    if not w.isascii() and any(is_cjk(c) for c in w):
        return None
    return w


def words_of(raw_words: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for raw in raw_words:
        w = vocabulary_word(raw)
        if w:
            out.add(w)
    return out


class Vocabulary:
    """Sorted words plus a small sorted list of words added since (merged when it grows)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.known: set[str] = set(words)
        self.sorted = sorted(self.known)
        self.extra: list[str] = []
        self.lock = threading.Lock()

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        try:
            text = (folder / FILE_NAME).read_text(encoding="utf-8")
        except OSError:
            return cls()
        return cls(w for w in text.split("\n") if w)

    @staticmethod
    def write(folder: Path, words: set[str]) -> None:
        (folder / FILE_NAME).write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")

    def add(self, words: set[str], folder: Path | None = None) -> None:
        """Add new words (in memory, and appended to the file of `folder`)."""
        with self.lock:
            new = sorted(w for w in words if w not in self.known)
            if not new:
                return
            self.known.update(new)
            for w in new:
                bisect.insort(self.extra, w)
            if len(self.extra) > 5000:
                self.sorted = sorted(self.known)
                self.extra = []
        if folder is not None:
            with contextlib.suppress(OSError), open(folder / FILE_NAME, "a", encoding="utf-8") as f:
                f.write("\n".join(new) + "\n")

    def __contains__(self, word: str) -> bool:
        return word in self.known

    def __len__(self) -> int:
        return len(self.known)

    def with_prefix(self, prefix: str, scan: int) -> list[str]:
        """Up to `scan` words starting with `prefix` (alphabetical)."""
        out: list[str] = []
        with self.lock:
            for lst in (self.sorted, self.extra):
                i = bisect.bisect_left(lst, prefix)
                while i < len(lst) and len(out) < scan * 2 and lst[i].startswith(prefix):
                    out.append(lst[i])
                    i += 1
        out.sort()
        return out[:scan]

    def close(self, word: str, maxdist: int) -> list[tuple[int, str]]:
        """(edit distance, word) of words within `maxdist` edits sharing the first letter."""
        found: dict[str, int] = {}
        with self.lock:
            lists = [self.sorted, self.extra] if self.extra else [self.sorted]
            for dist in range(1, maxdist + 1):
                for lst in lists:
                    for w in ListCorrector(lst).suggest(word, limit=100, maxdist=dist, prefix=1):
                        found.setdefault(w, dist)
        return sorted((d, w) for w, d in found.items() if w != word)


def rank(words: Iterable[str], frequency: Callable[[str], int], limit: int) -> list[str]:
    """The `limit` most frequent words (ties alphabetical)."""
    scored = sorted((-frequency(w), w) for w in words)
    return [w for _, w in scored[:limit]]
