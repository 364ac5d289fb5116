"""A cheap language guess from scripts and stop words: good enough to pick a stemmer or a filter.

Not a classifier: it answers only for the languages the library filters on and returns "" when the
evidence is thin, because a wrong guess is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter

_SAMPLE_CHARS = 20_000
_WORD = re.compile(r"[^\W\d_]+")


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is that for it with as on are this be by from or not have you "
        "which an was at we your our can will"
    ),
    "de": _words(
        "der die und das ist nicht mit ein eine den dem des sich auf für von zu im auch "
        "wir sie werden wird oder sind bei nach einer"
    ),
    "fr": _words(
        "le la les et des est une un du que pour dans pas qui sur au avec sont nous "
        "vous ce cette ou par plus aux"
    ),
    "es": _words(
        "el la los las y de que en un una es por para con no se del al su sus como más "
        "está son pero este esta"
    ),
}


def guess_language(text: str) -> str:
    """The language code ("en", "de", "fr", "es", "ru", "ar", "ja", "ko", "zh"), "" if unsure."""
    sample = text[:_SAMPLE_CHARS]
    scripts: Counter[str] = Counter()
    for ch in sample:
        o = ord(ch)
        if o < 0x80:
            if ch.isalpha():
                scripts["latin"] += 1
        elif 0x3040 <= o <= 0x30FF:
            scripts["kana"] += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            scripts["hangul"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            scripts["han"] += 1
        elif 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            scripts["arabic"] += 1
        elif 0x0400 <= o <= 0x04FF:
            scripts["cyrillic"] += 1
        elif ch.isalpha():
            scripts["latin"] += 1  # accented Latin letters
    letters = sum(scripts.values())
    if letters < 2:
        return ""
    cjk = scripts["kana"] + scripts["han"]
    # Japanese mixes kana with kanji; Chinese has no kana. Judge CJK by share of all letters.
    if scripts["kana"] >= max(2, 0.1 * cjk) and cjk >= 0.3 * letters:
        return "ja"
    if scripts["hangul"] >= 0.3 * letters:
        return "ko"
    if scripts["han"] >= 0.3 * letters:
        return "zh"
    if scripts["arabic"] >= 0.3 * letters:
        return "ar"
    if scripts["cyrillic"] >= 0.3 * letters:
        return "ru"
    if scripts["latin"] < 0.5 * letters:
        return ""
    words = Counter(w.casefold() for w in _WORD.findall(sample))
    hits = {lang: sum(words[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    runner_up = max(v for lang, v in hits.items() if lang != best)
    if hits[best] >= 2 and hits[best] > 1.3 * runner_up:
        return best
    return ""
