"""Snippets: a short, highlighted window of DB text around the best cluster of query terms.

Bodies are not stored in the index; the text comes from library.db (`Asset.text`, pages split
by form feeds) and only for the rows on screen. Analysing a 15,000-word white paper with the
index analyzer costs ~10 ms, so the window is *located* with one compiled regex of term probes
(a stem's prefix, tolerant of accents and Arabic harakat, case-insensitive) running at C speed
over the raw text, and only the chosen ~300-character window is analysed and highlighted with
the real analyzer (so highlights are exact: same stemming, folding and CJK bigrams as search).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import _FOLD_DROP, TextAnalyzer, fold, is_cjk

SNIPPET_CHARS = 280  # length of the shown window
CLUSTER_CHARS = 200  # width in which query terms count as one cluster
MAX_MATCHES = 400  # probe matches looked at per page (bounds the time on huge pages)
_MARKS_CLASS = "[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD_DROP)) + "]*"


def _tables() -> tuple[dict[int, str], dict[str, set[str]]]:
    """A length-preserving fold for locating (accented Latin/Greek/Cyrillic letter -> its
    folded letter) and, for other scripts, the letters that fold to each letter."""
    table: dict[int, str] = {}
    variants: dict[str, set[str]] = {}
    for lo, hi in ((0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x600, 0x6FF), (0x1E00, 0x1EFF)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            f = fold(ch)
            if len(f) == 1 and f != ch.lower():
                table[cp] = f
                variants.setdefault(f, {f}).add(ch)
    return table, variants


_LOCATE_FOLD, _VARIANTS = _tables()
MAX_PROBES = 24


def _probe(term: str) -> str:
    """A regex matching the start of a word whose index term is `term` (approximately: the
    exact test happens when the chosen window is analysed). Matched against text folded with
    `_LOCATE_FOLD`, case-insensitively."""
    if all(is_cjk(c) for c in term):
        return re.escape(term)
    core = term if len(term) <= 3 else term[: max(3, len(term) - 1)]
    if core.isascii():
        return r"\b" + re.escape(core)
    # Other scripts: tolerate combining marks between letters (Arabic harakat are not folded
    # away by the length-preserving table) and letter variants (أ/ا).
    parts: list[str] = []
    for ch in core:
        variants = _VARIANTS.get(ch)
        cls = (
            "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"
            if variants
            else re.escape(ch)
        )
        parts.append(cls + _MARKS_CLASS)
    return r"\b" + "".join(parts)


def _probes(terms: Iterable[str]) -> tuple[str, ...]:
    """Distinct probe strings, dropping those made redundant by a shorter probe (a prefix)."""
    cores = sorted({t if len(t) <= 3 else t[: max(3, len(t) - 1)] for t in terms if t})
    kept: list[str] = []
    for c in cores:
        if not (kept and c.startswith(kept[-1]) and not all(is_cjk(x) for x in c)):
            kept.append(c)
    return tuple(kept[:MAX_PROBES])


@lru_cache(maxsize=256)
def _locator(cores: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        "|".join(f"(?P<t{i}>{_probe(t)})" for i, t in enumerate(cores)), re.IGNORECASE
    )


@dataclass(slots=True)
class Snippet:
    html: str  # escaped text, highlighted terms in <b>…</b>
    file: str = ""
    page: int | None = None
    score: tuple[int, int] = (0, 0)  # (distinct terms, matches) of the chosen window


def _best_window(text: str, pattern: re.Pattern[str]) -> tuple[int, int, int, int] | None:
    """(distinct terms, matches, start, end) of the best cluster of probe matches."""
    hits: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        hits.append((m.start(), m.end(), m.lastgroup or ""))
        if len(hits) >= MAX_MATCHES:
            break
    if not hits:
        return None
    best: tuple[int, int, int, int] | None = None
    lo = 0
    counts: dict[str, int] = {}
    for hi in range(len(hits)):
        counts[hits[hi][2]] = counts.get(hits[hi][2], 0) + 1
        while hits[hi][0] - hits[lo][0] > CLUSTER_CHARS:
            g = hits[lo][2]
            counts[g] -= 1
            if not counts[g]:
                del counts[g]
            lo += 1
        cand = (len(counts), hi - lo + 1, hits[lo][0], hits[hi][1])
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best


def highlight(text: str, terms: set[str], analyzer: TextAnalyzer) -> str:
    """`text` HTML-escaped, with the words whose index term is in `terms` wrapped in <b>."""
    out: list[str] = []
    last = 0
    for tok in analyzer(text, chars=True):
        if tok.text in terms:
            s, e = tok.startchar, tok.endchar
            if s < last:  # overlapping CJK bigrams: extend the previous highlight
                if out and out[-1] == "</b>":
                    out.pop()
                    out.append(html.escape(text[last:e]) + "</b>")
                    last = e
                continue
            out.append(html.escape(text[last:s]))
            out.append("<b>" + html.escape(text[s:e]) + "</b>")
            last = e
    out.append(html.escape(text[last:]))
    return "".join(out).replace("</b><b>", "")


def _window(text: str, start: int, end: int) -> tuple[str, bool, bool]:
    """A window of about SNIPPET_CHARS around [start, end), cut at spaces."""
    span = end - start
    pad = max(40, (SNIPPET_CHARS - span) // 2)
    a = max(0, start - pad)
    b = min(len(text), max(end + pad, a + SNIPPET_CHARS))
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    return text[a:b], a > 0, b < len(text)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def make_snippet(
    assets: Iterable[tuple[str, int | None, str]],
    body_terms: set[str],
    fallback_texts: Iterable[str],
    fallback_terms: set[str],
    analyzer: TextAnalyzer,
) -> Snippet:
    """The best snippet of an item.

    `assets` are (file name, page count or None, text with pages separated by form feeds);
    the page is reported (1-based) for paged files. When no asset matches, the first matching
    fallback text (summary, title) is used, then the start of the first non-empty text."""
    best: Snippet | None = None
    cores = _probes(body_terms)
    if cores:
        pattern = _locator(cores)
        for name, page_count, text in assets:
            if not text:
                continue
            if best is not None and best.score[0] >= len(cores):
                break  # every term already shown together: nothing better to find
            pages = text.split("\f")
            paged = page_count is not None or len(pages) > 1
            for page_no, page in enumerate(pages, start=1):
                if best is not None and best.score[0] >= len(cores):
                    break
                found = _best_window(
                    page if page.isascii() else page.translate(_LOCATE_FOLD), pattern
                )
                if found is None:
                    continue
                distinct, count, s, e = found
                if best is not None and (distinct, count) <= best.score:
                    continue
                chunk, cut_left, cut_right = _window(page, s, e)
                marked = highlight(chunk, body_terms, analyzer)
                if "<b>" not in marked:  # a probe false positive (e.g. a shared prefix)
                    continue
                best = Snippet(
                    _ellipsis(_clean_html(marked), cut_left, cut_right),
                    name,
                    page_no if paged else None,
                    (distinct, count),
                )
    if best is not None:
        return best
    fallback = [t for t in fallback_texts if t]
    for text in fallback:
        marked = highlight(text[:2000], fallback_terms, analyzer) if fallback_terms else ""
        if "<b>" in marked:
            i = marked.find("<b>")
            # show the part around the first highlight
            start = max(0, i - 120)
            part = marked[start : start + SNIPPET_CHARS + 40]
            part = _balance_b(part)
            return Snippet(
                _ellipsis(_clean_html(part), start > 0, start + SNIPPET_CHARS + 40 < len(marked))
            )
    for name, page_count, text in assets:
        if text.strip():
            first = next((p for p in text.split("\f") if p.strip()), "")
            chunk = _clean(first)[:SNIPPET_CHARS]
            return Snippet(html.escape(chunk), name, 1 if page_count is not None else None)
    if fallback:
        return Snippet(html.escape(_clean(fallback[0])[:SNIPPET_CHARS]))
    return Snippet("")


def _balance_b(part: str) -> str:
    # Cutting HTML can split an entity or a tag: trim partial ones at both ends.
    part = re.sub(r"^[^<&]*?;", "", part) if re.match(r"^[^<&\s]*;", part) else part
    part = re.sub(r"<[^>]*$|&[^;\s]*$", "", part)
    if part.count("<b>") > part.count("</b>"):
        part += "</b>"
    if part.find("</b>") != -1 and (part.find("<b>") == -1 or part.find("</b>") < part.find("<b>")):
        part = "<b>" + part
    return part


def _clean_html(marked: str) -> str:
    return re.sub(r"\s+", " ", marked).strip()


def _ellipsis(text: str, left: bool, right: bool) -> str:
    return ("…" if left else "") + text + ("…" if right else "")
