"""Text analysis for the index and for queries (the same code on both sides, so they agree).

One pass per text, written as a single Whoosh tokenizer instead of a chain of filters because
the chain's per-token generator hops dominated indexing time. Each distinct raw word is analysed
once and memoised, so a 15,000-word white paper costs a regex scan plus dictionary look-ups.

What a word goes through (`TextAnalyzer`, the stemmed fields):
1. Split on `\\w` runs, keeping combining marks inside words (Python's `\\w` excludes them, which
   would cut Arabic with harakat or Hindi vowel signs into pieces) and dotted runs ("3.5", "node.js").
2. Fold (`fold()`): NFKC compatibility forms, Latin/Greek/Cyrillic accents, Hebrew points and
   Arabic harakat/tatweel removed, Arabic letter variants unified, case-folded.
3. CJK runs (no spaces between words) become overlapping character bigrams, like Lucene's CJK
   analyzer; a lone CJK character stays a unigram. A query for 東京 is then one bigram, and
   透明な人類 becomes a phrase of bigrams (fields use `multitoken_query="phrase"`).
4. Stop words (Lucene's English list, the BM25 baselines' list) and 1-character words dropped;
   positions stay contiguous so "return on investment" still matches as a phrase.
5. British spellings mapped to US ones (`BRITISH_TO_US`), then English Porter2 (Snowball) stemming for
   ASCII words only (the stemmer's rules are English; other scripts keep their folded form).

While indexing, `TextAnalyzer.capture` collects the raw words seen: the vocabulary behind "did
you mean", type-ahead and prefix expansion (search.vocabulary), so those offer real words.
`FacetAnalyzer` turns a list of taxonomy values into exact, folded keys ("Closed won" ->
"closed-won").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter2 import stem as porter_stem

# Lucene's classic English stop set (used by the Anserini/BEIR BM25 baselines).
STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
MAX_WORD_CHARS = 60  # longer "words" are base64, hashes or glued garbage: not searchable

# Combining marks (categories Mn, Mc, Me) of the Basic Multilingual Plane, so the tokenizer keeps
# them inside words. Computed once at import (~10 ms).
_MARKS = "".join(
    chr(cp) for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp)).startswith("M")
)


def _char_class(chars: str) -> str:
    """A regex character class body for `chars`, compressed into ranges."""
    parts: list[str] = []
    cps = sorted(ord(c) for c in set(chars))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(
            re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        )
        i = j + 1
    return "".join(parts)


_WORD_CHARS = rf"[\w{_char_class(_MARKS)}]"
WORD_RE = re.compile(rf"{_WORD_CHARS}+(?:\.{_WORD_CHARS}+)*")

# Marks removed by folding: Latin/Greek/Cyrillic combining diacritics, Hebrew points, Arabic
# harakat, Quranic marks, superscript alef, and the Arabic tatweel (a stretching character).
_FOLD_DROP = {
    cp: None
    for lo, hi in (
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05C7),
        (0x0610, 0x061A),
        (0x064B, 0x065F),
        (0x0670, 0x0670),
        (0x06D6, 0x06ED),
        (0x0640, 0x0640),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20FF),
        (0xFE20, 0xFE2F),
    )
    for cp in range(lo, hi + 1)
}
# Arabic letter variants that writers use interchangeably (Lucene's ArabicNormalizationFilter).
_ARABIC_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def fold(text: str) -> str:
    """Case-, accent- and compatibility-folded form of `text` (same length class, not offsets)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).translate(_FOLD_DROP)
    # NFC recomposes what NFKD split but must stay together (Hangul syllables, kana voicing).
    return unicodedata.normalize("NFC", text).casefold().translate(_ARABIC_NORM)


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3040 <= cp <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= cp <= 0x4DBF  # CJK Extension A
        or 0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0xAC00 <= cp <= 0xD7A3  # Hangul syllables
        or 0x1100 <= cp <= 0x11FF  # Hangul Jamo
        or 0x3130 <= cp <= 0x318F  # Hangul compatibility Jamo
        or 0xF900 <= cp <= 0xFAFF  # CJK compatibility ideographs
        or 0x31F0 <= cp <= 0x31FF  # Katakana phonetic extensions
        or 0xFF66 <= cp <= 0xFF9D  # half-width Katakana
        or 0x20000 <= cp <= 0x2FA1F  # CJK Extensions B-F, compatibility supplement
    )


def _has_cjk(text: str) -> bool:
    return not text.isascii() and any(is_cjk(c) for c in text)


# -- British -> US spelling ---------------------------------------------------------------------
def _british_map() -> dict[str, str]:
    """Word -> US spelling, generated from families of British spellings common in business text.

    A curated list, not suffix rules: "-ise" -> "-ize" would wreck "enterprise", "promise",
    "exercise", "expertise"; "-our" -> "-or" would wreck "hour", "four", "your"."""
    m: dict[str, str] = {}
    # -ise/-isation -> -ize/-ization (root before "is")
    ize_roots = [
        "optim",
        "organ",
        "real",
        "special",
        "standard",
        "custom",
        "priorit",
        "util",
        "minim",
        "maxim",
        "summar",
        "categor",
        "author",
        "capital",
        "central",
        "character",
        "commercial",
        "digit",
        "emphas",
        "final",
        "global",
        "individual",
        "industrial",
        "initial",
        "legal",
        "local",
        "modern",
        "monet",
        "normal",
        "personal",
        "recogn",
        "apolog",
        "critic",
        "memor",
        "mobil",
        "operational",
        "visual",
        "synchron",
        "stabil",
        "rational",
        "energ",
        "incentiv",
        "item",
        "harmon",
        "hospital",
        "immun",
        "legitim",
        "neutral",
        "penal",
        "revolution",
        "sanit",
        "scrutin",
        "sensit",
        "subsid",
        "symbol",
        "sympath",
        "token",
        "trivial",
        "vapor",
        "virtual",
        "western",
        "familiar",
        "general",
        "special",
        "commercial",
        "decentral",
        "formal",
        "internal",
        "external",
        "material",
        "merchand",
        "modular",
        "privat",
        "professional",
        "regular",
        "revital",
        "satir",
        "secular",
        "serial",
        "social",
        "spiritual",
        "strateg",
        "terror",
        "theor",
        "tranquil",
        "urban",
        "vandal",
        "vocal",
        "american",
        "europe",
        "human",
        "jeopard",
        "motor",
        "patron",
        "polar",
        "pressur",
        "random",
        "scandal",
        "stigmat",
        "cannibal",
        "capsul",
        "colon",
        "computer",
        "contextual",
        "conceptual",
        "democrat",
        "econom",
        "fertil",
        "fossil",
        "galvan",
        "hybrid",
        "ideal",
        "idol",
        "journal",
        "liberal",
        "magnet",
        "mechan",
        "metabol",
        "miniatur",
        "moral",
        "neutral",
        "optimal",
        "parameter",
        "plagiar",
        "popular",
        "proselyt",
        "public",
        "rational",
        "recogn",
        "reorgan",
        "sensational",
        "standard",
        "summar",
        "tantal",
        "unitar",
        "util",
    ]
    for root in set(ize_roots):
        for br, us in (
            ("ise", "ize"),
            ("ised", "ized"),
            ("ises", "izes"),
            ("ising", "izing"),
            ("isation", "ization"),
            ("isations", "izations"),
            ("iser", "izer"),
            ("isers", "izers"),
            ("isable", "izable"),
        ):
            m[root + br] = root + us
    for root in ("analy", "paraly", "cataly", "dialy"):
        for br, us in (("se", "ze"), ("sed", "zed"), ("ses", "zes"), ("sing", "zing")):
            m[root + br] = root + us
    our_roots = [
        "colo",
        "behavio",
        "favo",
        "hono",
        "labo",
        "neighbo",
        "flavo",
        "humo",
        "rumo",
        "harbo",
        "vapo",
        "endeavo",
        "savo",
        "armo",
        "odo",
        "valo",
        "vigo",
        "rigo",
        "tumo",
        "savio",
        "parlo",
        "clamo",
        "glamo",
    ]
    for root in our_roots:
        for br, us in (
            ("ur", "r"),
            ("urs", "rs"),
            ("ured", "red"),
            ("uring", "ring"),
            ("urful", "rful"),
            ("ural", "ral"),
            ("urable", "rable"),
            ("urite", "rite"),
            ("urites", "rites"),
            ("urhood", "rhood"),
            ("ured", "red"),
        ):
            m[root + br] = root + us
    for root in ("cent", "met", "lit", "fib", "theat", "calib", "somb", "spect", "lust", "meag"):
        for br, us in (("re", "er"), ("res", "ers"), ("red", "ered")):
            m[root + br] = root + us
    for root in ("licen", "defen", "offen", "preten"):
        m[root + "ce"] = root + "se"
        m[root + "ces"] = root + "ses"
    for root in ("catalog", "dialog", "analog", "prolog", "epilog", "monolog"):
        m[root + "ue"] = root
        m[root + "ues"] = root + "s"
        m[root + "ued"] = root + "ed"
    m.update(
        {
            "programme": "program",
            "programmes": "programs",
            "enrolment": "enrollment",
            "enrolments": "enrollments",
            "fulfil": "fulfill",
            "fulfils": "fulfills",
            "fulfilment": "fulfillment",
            "instalment": "installment",
            "instalments": "installments",
            "skilful": "skillful",
            "wilful": "willful",
            "ageing": "aging",
            "grey": "gray",
            "judgement": "judgment",
            "judgements": "judgments",
            "acknowledgement": "acknowledgment",
            "acknowledgements": "acknowledgments",
            "tyre": "tire",
            "tyres": "tires",
            "mould": "mold",
            "sceptical": "skeptical",
            "aluminium": "aluminum",
            "manoeuvre": "maneuver",
            "paediatric": "pediatric",
            "orthopaedic": "orthopedic",
            "anaemia": "anemia",
            "oestrogen": "estrogen",
            "foetus": "fetus",
            "encyclopaedia": "encyclopedia",
            "practise": "practice",
            "practised": "practiced",
            "practising": "practicing",
            "cheque": "check",
            "cheques": "checks",
            "whilst": "while",
            "amongst": "among",
            "storey": "story",
            "plough": "plow",
            "draught": "draft",
        }
    )
    for verb in (
        "travel",
        "cancel",
        "model",
        "label",
        "signal",
        "level",
        "fuel",
        "counsel",
        "channel",
    ):
        for br, us in (("led", "ed"), ("ling", "ing"), ("ler", "er"), ("lers", "ers")):
            m[verb + br] = verb + us
    return m


BRITISH_TO_US: dict[str, str] = _british_map()

# -- word analysis ------------------------------------------------------------------------------
# A memo of raw word -> analysed pieces. Bounded: cleared when it grows past the limit (a few
# tens of MB at most), which costs a re-analysis of common words, nothing else.
_MEMO_LIMIT = 300_000
Piece = tuple[str, int, int]  # (term, start offset in the raw word, end offset)


def _cjk_pieces(text: str, base: int) -> list[Piece]:
    """Bigrams of a run of CJK characters; a single character stays a unigram."""
    if len(text) == 1:
        return [(text, base, base + 1)]
    return [(text[i : i + 2], base + i, base + i + 2) for i in range(len(text) - 1)]


def _stem_word(word: str) -> str | None:
    """The index term of one folded, non-CJK word (None when it is not indexed)."""
    if len(word) < 2 or len(word) > MAX_WORD_CHARS or word in STOP_WORDS:
        return None
    word = BRITISH_TO_US.get(word, word)
    if word.isascii() and word.isalpha():
        return porter_stem(word)
    return word


def _split_cjk(raw: str, folded: str) -> list[tuple[str, bool, int]]:
    """Split a folded word into (run, is_cjk, offset) runs. Offsets index `raw` when folding
    kept the length (the usual case) and are clamped otherwise (highlight boundaries only)."""
    runs: list[tuple[str, bool, int]] = []
    start = 0
    for i in range(1, len(folded) + 1):
        if i == len(folded) or is_cjk(folded[i]) != is_cjk(folded[start]):
            runs.append((folded[start:i], is_cjk(folded[start]), min(start, len(raw))))
            start = i
    return runs


def analyse_word(raw: str, *, stem: bool = True) -> list[Piece]:
    """Index terms of one raw word (as matched by WORD_RE), with offsets inside it."""
    folded = fold(raw)
    if not _has_cjk(folded):
        if stem:
            term = _stem_word(folded)
        else:
            term = folded if 2 <= len(folded) <= MAX_WORD_CHARS else None
        return [(term, 0, len(raw))] if term else []
    pieces: list[Piece] = []
    for run, cjk, off in _split_cjk(raw, folded):
        if cjk:
            pieces.extend(_cjk_pieces(run, off))
        elif stem:
            term = _stem_word(run.strip("."))
            if term:
                pieces.append((term, off, min(off + len(run), len(raw))))
    return pieces


class TextAnalyzer(Tokenizer):
    """Tokenizer + folding + CJK bigrams + stop words + British/US + stemming, in one pass."""

    is_morph = True

    def __init__(self) -> None:
        self._memo: dict[str, list[Piece]] = {}
        # While indexing, the raw words seen (the vocabulary for suggestions); None otherwise
        # so query words (typos included) never become vocabulary.
        self.capture: set[str] | None = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __getstate__(self) -> dict[str, Any]:
        return {}  # the schema is pickled into the index: never the memo

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._memo = {}
        self.capture = None

    def pieces(self, raw: str) -> list[Piece]:
        memo = self._memo
        got = memo.get(raw)
        if got is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            got = memo[raw] = analyse_word(raw)
        return got

    def positions(self, text: str) -> dict[str, list[int]]:
        """term -> positions in `text`: the indexing fast path (no Token objects)."""
        out: dict[str, list[int]] = {}
        pos = 0
        memo = self._memo
        pieces = self.pieces
        capture = self.capture
        for raw in WORD_RE.findall(text):
            got = memo.get(raw)
            if got is None:
                got = pieces(raw)
            if capture is not None:
                capture.add(raw)
            for piece in got:
                term = piece[0]
                lst = out.get(term)
                if lst is None:
                    out[term] = [pos]
                else:
                    lst.append(pos)
                pos += 1
        return out

    def terms(self, text: str) -> list[str]:
        """All index terms of `text`, in order (duplicates kept)."""
        out: list[str] = []
        pieces = self.pieces
        for raw in WORD_RE.findall(text):
            out.extend(p[0] for p in pieces(raw))
        return out

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            # Unanalysed query text (e.g. a wildcard pattern): fold only.
            t.text = fold(value)
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        pieces = self.pieces
        for m in WORD_RE.finditer(value):
            got = pieces(m.group())
            if not got:
                continue
            base = m.start()
            for term, s, e in got:
                t.text = term
                if keeporiginal:
                    t.original = m.group()  # type: ignore[attr-defined]
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + base + s
                    t.endchar = start_char + base + e
                yield t


FACET_SEPARATOR = "\x1f"  # joins an item's values of one facet into one field value


@lru_cache(maxsize=4096)
def facet_key(value: str) -> str:
    """Exact-match key of a facet value: folded, separators collapsed ("Closed won" ->
    "closed-won", "case_study" -> "case-study")."""
    return re.sub(r"[\s_\-]+", "-", fold(value).strip()).strip("-")


class FacetAnalyzer(Tokenizer):
    """Each `FACET_SEPARATOR`-separated value becomes one exact, folded token."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        for i, v in enumerate(value.split(FACET_SEPARATOR)):
            key = facet_key(v)
            if not key:
                continue
            t.text = key
            if positions:
                t.pos = i
            if chars:
                t.startchar, t.endchar = 0, len(v)
            yield t
