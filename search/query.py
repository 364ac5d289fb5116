"""From what a person typed to a Whoosh query: sanitize, parse, expand (bounded).

- Free text is OR-grouped with a coordination bonus (`OrGroup.factory(0.9)`): natural queries
  rarely match every word, and the default AND grouping scored ~0.05 nDCG on SciFact.
- Supported syntax: "phrases", prefix*, fuzzy~ / fuzzy~2, field:value (aliases below), NOT x,
  -x, +x, AND/OR, parentheses, word^2.
- Hostile input never raises: control characters are dropped, quotes and parentheses balanced,
  lone operators and `field:` with nothing removed, wildcards other than a trailing `*` after
  2+ characters removed, and the text capped at `MAX_QUERY_CHARS` (the parser is quadratic on
  pathological input). Anything the parser still rejects falls back to plain words.
- Prefix and fuzzy terms are expanded here, against the unstemmed vocabulary, to at most
  `MAX_EXPANSION` real words (then analysed to index terms). Whoosh's own expansion walks the
  whole stemmed lexicon (measured 0.5-1.2 s p95 at 10k-50k documents) and yields stems.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.qparser import plugins

from search.analysis import TextAnalyzer, facet_key, fold
from search.api import MAX_QUERY_CHARS
from search.schema import COLUMN_FACETS, FACET_FIELDS, TEXT_FIELDS

OR_FACTOR = 0.9  # coordination bonus of the OR grouping (SEARCH-NOTES: 0.9 ~ 0.68 nDCG)
MIN_PREFIX = 2  # shorter prefixes are searched as plain words
MAX_EXPANSION = 16  # index terms a prefix or fuzzy term may expand to (most frequent first)
MAX_PREFIX_SCAN = 2000  # vocabulary entries looked at per prefix
# Expanded (prefix/fuzzy) words are looked up in these fields only: `body` holds all the text,
# and each extra field multiplies the matchers of up to MAX_EXPANSION terms.
EXPANSION_FIELDS = ("body", "title")

# field name typed by people -> index field
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "summary": "meta",
    "meta": "meta",
    "body": "body",
    "text": "body",
    "content": "body",
    "persona": "persona",
    "personas": "persona",
    "stage": "stage",
    "stages": "stage",
    "competitor": "competitor",
    "competitors": "competitor",
    "product": "product",
    "products": "product",
    "industry": "industry",
    "industries": "industry",
    "kind": "kind",
    "type": "kind",
    "format": "format",
    "subtype": "format",
    "tag": "tag",
    "tags": "tag",
    "audience": "audience",
    "region": "region",
    "regions": "region",
    "language": "language",
    "lang": "language",
    "status": "status",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_FIELD = re.compile(r"(?<![\w\"])(\w+):")
_FACET_QUOTED = re.compile(r"(?<![\w\"])(\w+):\"([^\"]*)\"")
_WILD = re.compile(r"[*?]")
_TRAILING_STAR = re.compile(rf"(?<![\w*])(\w{{{MIN_PREFIX},}})\*(?![\w*])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass(slots=True)
class Sanitized:
    text: str
    message: str = ""


def sanitize(raw: str) -> Sanitized:
    """Make `raw` safe for the parser; `message` says what was changed when the user should
    know (shortened query)."""
    message = ""
    text = raw or ""
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_QUERY_CHARS * 0.8 else cut
        message = f"Your query was shortened to {MAX_QUERY_CHARS:,} characters."
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _CONTROL.sub(" ", text).replace("\t", " ").replace("\n", " ").replace("\r", " ")
    text = text.replace("'", " ") if text.count("'") % 2 else text
    # Facet values are whole keys: stage:"closed won" -> stage:closed-won
    text = _FACET_QUOTED.sub(
        lambda m: (
            f"{m.group(1)}:{facet_key(m.group(2)) or '_'}"
            if FIELD_ALIASES.get(m.group(1).lower()) in FACET_FIELDS
            else m.group(0)
        ),
        text,
    )

    # Unknown field names are plain words; known ones lower-cased (Title: -> title:).
    def _field(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        return f"{name}:" if name in FIELD_ALIASES else f"{m.group(1)} "

    text = _FIELD.sub(_field, text)
    # `field:` followed by nothing, a space, an operator or a closing parenthesis
    text = re.sub(r"(?<![\w\"])\w+:(?=\s|$|\)|:)", " ", text)
    text = re.sub(r":{2,}", " ", text)
    # Wildcards: only a trailing * after MIN_PREFIX word characters survives.
    text = _TRAILING_STAR.sub(lambda m: m.group(1) + "\x00", text)
    text = _WILD.sub(" ", text).replace("\x00", "*")
    # Fuzzy: word~ or word~1/word~2 only (~0 means exact; bigger distances are capped). A bare
    # ~ allows 2 edits on words of 6+ letters (a swapped pair of letters is 2 edits), else 1.
    text = re.sub(r"(?<![\w~])(\w{6,})~(?![\d/\w])", r"\1~2", text)
    text = re.sub(
        r"(?<=\w)~(\d)?(?:/\d+)?",
        lambda m: (
            "" if m.group(1) == "0" else "~" + (str(min(int(m.group(1)), 2)) if m.group(1) else "")
        ),
        text,
    )
    text = re.sub(r"(?<!\w)~", " ", text)
    # Quotes: an unbalanced last quote is dropped.
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
    text = _balance_parens(text)
    text = _split_compounds(text)
    text = _drop_dangling_operators(text)
    text = re.sub(r"\s+", " ", text).strip()
    return Sanitized(text, message)


def _split_compounds(text: str) -> str:
    """Outside quotes and field values, "birth-weight" and "TCR/CD3" become separate words.

    Why: a word that analyses into several terms becomes a phrase query (right for CJK, whose
    bigrams must be adjacent), but for hyphenated English it loses the per-word OR ranking:
    SciFact nDCG@10 0.672 with phrases vs 0.685 with separate words."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = " ".join(
            tok if ":" in tok else re.sub(r"(?<=\w)[-/‐–—](?=\w)", " ", tok)
            for tok in parts[i].split(" ")
        )
    return '"'.join(parts)


def _balance_parens(text: str) -> str:
    out: list[str] = []
    depth = 0
    in_quote = False
    for ch in text:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "(":
            depth += 1
        elif not in_quote and ch == ")":
            if depth == 0:
                out.append(" ")
                continue
            depth -= 1
        out.append(ch)
    s = "".join(out)
    while depth:  # drop the last unmatched "(" characters
        i = s.rfind("(")
        s = s[:i] + " " + s[i + 1 :]
        depth -= 1
    s = re.sub(r"\(\s*\)", " ", s)
    return s


def _drop_dangling_operators(text: str) -> str:
    """Remove AND/OR/NOT with nothing to act on, and lone + / - signs."""
    words = text.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        if w in ("+", "-", "^"):
            continue
        if w in _OPERATORS:
            prev = out[-1] if out else ""
            nxt = next((x for x in words[i + 1 :] if x), "")
            if w != "NOT" and (not prev or prev in _OPERATORS or prev.endswith("(")):
                continue
            if not nxt or nxt in _OPERATORS - {"NOT"} or nxt.startswith(")"):
                continue
        out.append(w)
    return " ".join(out)


# -- parsing ------------------------------------------------------------------------------------
def make_parser(schema: Any) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(TEXT_FIELDS),
        schema,
        fieldboosts=TEXT_FIELDS,
        group=qparser.OrGroup.factory(OR_FACTOR),
        plugins=[
            plugins.WhitespacePlugin(),
            plugins.FieldsPlugin(),
            plugins.WildcardPlugin(),
            plugins.PhrasePlugin(),
            plugins.GroupPlugin(),
            plugins.OperatorsPlugin(),
            plugins.BoostPlugin(),
        ],
    )
    parser.add_plugin(plugins.FuzzyTermPlugin())
    # + and - only at the start of a word: "e-mail" and "C++" stay words.
    parser.add_plugin(
        plugins.PlusMinusPlugin(
            plusexpr=r"(?<![^\s(])\+(?=[\w\"(])", minusexpr=r"(?<![^\s(])-(?=[\w\"(])"
        )
    )
    reverse: dict[str, list[str]] = {}
    for alias, name in FIELD_ALIASES.items():
        if alias != name:
            reverse.setdefault(name, []).append(alias)
    parser.add_plugin(plugins.FieldAliasPlugin(reverse))
    return parser


@dataclass(slots=True)
class Expander:
    """Bounded expansion of prefix and fuzzy terms into real vocabulary words."""

    prefix_words: Callable[[str], list[str]]  # folded prefix -> most frequent words
    fuzzy_words: Callable[[str, int], list[str]]  # folded word, maxdist -> close words
    facet_values: Callable[[str, str], list[str]]  # facet field, prefix -> values


@dataclass(slots=True)
class ParsedQuery:
    text: str  # the sanitized text
    query: wq.Query | None  # None: no words (browse everything, facets only)
    message: str = ""
    positive_terms: dict[str, set[str]] = field(default_factory=dict)  # field -> terms


def _canonical_facet_value(fieldname: str, value: str) -> str:
    if fieldname in COLUMN_FACETS and fieldname != "language":
        from library.vocab import Audience, Kind, Status, canonical, canonical_format

        try:
            if fieldname == "format":
                return canonical_format(value)
            enum = {"kind": Kind, "status": Status, "audience": Audience}[fieldname]
            return str(canonical(enum, value).value)
        except ValueError:
            return value
    return value


class QueryBuilder:
    def __init__(self, schema: Any, analyzer: TextAnalyzer) -> None:
        self.schema = schema
        self.analyzer = analyzer
        self.parser = make_parser(schema)

    def parse(self, raw: str, expander: Expander, *, as_you_type: bool = False) -> ParsedQuery:
        s = sanitize(raw)
        text = s.text
        if as_you_type and text and text[-1].isalnum():
            last = text.rsplit(" ", 1)[-1]
            if len(last) >= MIN_PREFIX and ":" not in last and last not in _OPERATORS:
                text = text + "*"
        if not text:
            return ParsedQuery("", None, s.message)
        try:
            q = self.parser.parse(text)
        except Exception:  # the parser rejected what sanitize let through: plain words
            q = self.parser.parse(" ".join(re.findall(r"\w+", text)))
        q = self._rewrite(q, expander).normalize()
        if _is_null(q) and re.search(r"\w", text):
            # e.g. "+1 nucleosomes": the required word is dropped by analysis and takes the
            # whole query with it. Search the words instead of returning nothing.
            q = self._rewrite(self.parser.parse(" ".join(re.findall(r"\w+", text))), expander)
            q = q.normalize()
        if _is_null(q):
            return ParsedQuery(s.text, wq.NullQuery, s.message)
        terms: dict[str, set[str]] = {}
        _collect_positive(q, terms)
        return ParsedQuery(s.text, q, s.message, terms)

    def _stems(self, words: Iterable[str]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for w in words:
            for term, _, _ in self.analyzer.pieces(w):
                if term not in seen:
                    seen.add(term)
                    out.append(term)
        return out

    def _rewrite(self, q: wq.Query, ex: Expander) -> wq.Query:
        """Replace prefix/wildcard/fuzzy nodes by bounded term sets; canonicalise facets."""
        if isinstance(q, wq.Prefix | wq.Wildcard):
            prefix = fold(q.text.rstrip("*?"))
            if q.fieldname in FACET_FIELDS:
                values = ex.facet_values(q.fieldname, facet_key(prefix))
                return _or_terms(q.fieldname, values, q.boost)
            if len(prefix) < MIN_PREFIX or q.fieldname not in EXPANSION_FIELDS:
                return wq.NullQuery
            words = ex.prefix_words(prefix)
            stems = self._stems(words) or self._stems([prefix])
            return _or_terms(q.fieldname, stems, q.boost)
        if isinstance(q, wq.FuzzyTerm):
            word = fold(q.text)
            if q.fieldname in FACET_FIELDS:
                return wq.Term(q.fieldname, facet_key(word), boost=q.boost)
            if q.fieldname not in EXPANSION_FIELDS:
                return wq.NullQuery
            maxdist = max(1, min(int(q.maxdist), 2))
            words = [word, *ex.fuzzy_words(word, maxdist)] if len(word) >= 3 else [word]
            return _or_terms(q.fieldname, self._stems(words), q.boost)
        if isinstance(q, wq.Term) and q.fieldname in FACET_FIELDS:
            value = _canonical_facet_value(q.fieldname, q.text)
            return wq.Term(q.fieldname, value, boost=q.boost)
        if isinstance(q, wq.Or) and any(isinstance(sub, wq.Not) for sub in q.subqueries):
            # "a b NOT c" parses as Or(a, b, Not(c)), which matches every document without c.
            # People mean "a or b, but not c".
            pos = [sub for sub in q.subqueries if not isinstance(sub, wq.Not)]
            neg = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
            if pos:
                kept = q.__class__.__new__(q.__class__)
                kept.__dict__.update(q.__dict__)
                kept.subqueries = pos
                return self._rewrite(wq.AndNot(kept, wq.Or(neg) if len(neg) > 1 else neg[0]), ex)
        if isinstance(q, wq.CompoundQuery):
            subs = [self._rewrite(sub, ex) for sub in q.subqueries]
            clone = q.__class__.__new__(q.__class__)
            clone.__dict__.update(q.__dict__)
            clone.subqueries = subs
            return clone
        if isinstance(q, wq.BinaryQuery):
            clone = q.__class__.__new__(q.__class__)
            clone.__dict__.update(q.__dict__)
            clone.a = self._rewrite(q.a, ex)
            clone.b = self._rewrite(q.b, ex)
            clone.subqueries = (clone.a, clone.b)
            return clone
        if isinstance(q, wq.Not):
            return wq.Not(self._rewrite(q.query, ex), boost=q.boost)
        return q


def _is_null(q: wq.Query) -> bool:
    return q is wq.NullQuery or isinstance(q, type(wq.NullQuery))


def _or_terms(fieldname: str, texts: list[str], boost: float) -> wq.Query:
    if not texts:
        return wq.NullQuery
    if len(texts) == 1:
        return wq.Term(fieldname, texts[0], boost=boost)
    return wq.Or([wq.Term(fieldname, t) for t in texts], boost=boost)


def _collect_positive(q: wq.Query, out: dict[str, set[str]]) -> None:
    """Terms that can make a document match (not those under NOT), by field."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect_positive(q.a, out)
        return
    if isinstance(q, wq.Term):
        out.setdefault(q.fieldname, set()).add(q.text)
        return
    if isinstance(q, wq.Phrase):
        out.setdefault(q.fieldname, set()).update(q.words)
        return
    for sub in q.children():
        _collect_positive(sub, out)


def top_by_frequency(items: Iterable[tuple[str, int]], limit: int) -> list[str]:
    """The `limit` words with the highest document frequency (ties: alphabetical)."""
    best = heapq.nsmallest(limit, items, key=lambda wf: (-wf[1], wf[0]))
    return [w for w, _ in best]
