"""Change-set entries: built from the publisher's rows, checked before a subscriber applies them.

An entry is plain JSON. Its hash (SHA-256 of `canonical_json(entry)`) is what the publisher
remembers per channel to publish only what changed, and it can be recomputed from a change-set
read back from the channel (crash recovery).

Item entry (`items[]`)::

    {"key", "title", "summary", "kind", "format", "audience", "language",
     "owner": {"name", "title", "email"} | null,
     "created_at", "updated_at", "content_changed_at" (ISO datetimes or null),
     "published_at", "expires_on", "verify_by"
     (ISO dates or null), "version", "change_note",
     "terms": {"persona": ["CFO", ...], "stage": [...], ...},
     "case_study": {customer, industry, challenge, solution, results, quote, quote_author} | null,
     "battle_card": {why_we_win, why_we_lose, objections, landmines, pricing_notes,
                     proof_points, last_verified} | null,
     "assets": [{"name", "sha256", "size", "media_type", "page_count", "extraction_status",
                 "extraction_reason", "flags", "text", "text_chars", "text_truncated"}]}

Term entry (`terms[]`): {"taxonomy", "name", "position", "description", "persona": {...} | null}.
Retirement (`retired[]`): {"key", "title", "reason"} with reason retired | expired | unpublished
| deleted. Term removal (`terms_removed[]`): {"taxonomy", "name"}.
Brand kit (`brand`): the brand kit fields plus "logo"/"reference": {"sha256", "size", "name"} | null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from library.branding import BRAND_TEXT_FIELDS
from library.items import BATTLE_CARD_FIELDS, CASE_STUDY_FIELDS
from library.models import Item, Term
from library.sync.channel import ChannelRejected, canonical_json, is_sha256, sha256_hex
from library.vocab import FORMATS, TAXONOMIES, Audience, ExtractionStatus, Kind

PERSONA_FIELDS = (
    "titles",
    "seniority",
    "department",
    "buying_role",
    "goals",
    "pains",
    "objections",
    "needs_to_see",
    "channels",
)
# Brand kit fields copied as they are (the logo and reference document travel as blobs): the
# ones an admin sets with `brand set`, so a new field travels without a second list to update.
BRAND_FIELDS = BRAND_TEXT_FIELDS
RETIRE_REASONS = ("retired", "expired", "unpublished", "deleted")


def entry_hash(entry: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(entry))


def term_key(taxonomy: str, name: str) -> str:
    return f"{taxonomy}:{name.casefold()}"


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


# -- building (publisher) ------------------------------------------------------------------------
def item_entry(item: Item) -> dict[str, Any]:
    """The entry for a loaded item (terms, assets, owner and sections loaded)."""
    terms: dict[str, list[str]] = {}
    for t in item.terms:
        terms.setdefault(t.taxonomy, []).append(t.name)
    cs, bc = item.case_study, item.battle_card
    owner = item.owner
    return {
        "key": item.key,
        "title": item.title,
        "summary": item.summary,
        "kind": item.kind,
        "format": item.format,
        "audience": item.audience,
        "language": item.language,
        "owner": {"name": owner.name, "title": owner.title, "email": owner.email}
        if owner
        else None,
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        # When the content last changed (governance's UPDATED badge); None without governance.
        "content_changed_at": _iso(getattr(item, "content_changed_at", None)),
        "published_at": _iso(item.published_at),
        "expires_on": _iso(item.expires_on),
        "verify_by": _iso(item.verify_by),
        "version": item.version,
        "change_note": item.change_note,
        "terms": terms,
        "case_study": {f: getattr(cs, f) for f in CASE_STUDY_FIELDS} if cs else None,
        "battle_card": {
            f: (_iso(getattr(bc, f)) if f == "last_verified" else getattr(bc, f))
            for f in BATTLE_CARD_FIELDS
        }
        if bc
        else None,
        "assets": [
            {
                "name": a.original_name,
                "sha256": a.sha256,
                "size": a.size,
                "media_type": a.media_type,
                "page_count": a.page_count,
                "extraction_status": a.extraction_status,
                "extraction_reason": a.extraction_reason,
                "flags": list(a.flags or []),
                "text": a.text,
                "text_chars": a.text_chars,
                "text_truncated": bool(a.text_truncated),
            }
            for a in item.assets
        ],
    }


def term_entry(term: Term) -> dict[str, Any]:
    profile = term.persona
    return {
        "taxonomy": term.taxonomy,
        "name": term.name,
        "position": term.position,
        "description": term.description,
        "persona": {f: getattr(profile, f) for f in PERSONA_FIELDS} if profile else None,
    }


def entry_blobs(entry: dict[str, Any]) -> list[tuple[str, int]]:
    """(sha256, size) of every file an item or brand entry refers to."""
    if "assets" in entry:
        return [(a["sha256"], int(a["size"])) for a in entry["assets"]]
    return [(b["sha256"], int(b["size"])) for b in (entry.get("logo"), entry.get("reference")) if b]


def entry_size(entry: dict[str, Any]) -> int:
    """A cheap upper-bound guess of an entry's JSON size (to cap change-sets by size)."""
    text = sum(len(a.get("text") or "") for a in entry.get("assets", ()))
    return 2048 + 2 * text


# -- checking (subscriber) -----------------------------------------------------------------------
class EntryError(ChannelRejected):
    pass


def _need(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise EntryError(f"{where}: {problem}")


def _str(entry: dict[str, Any], name: str, where: str, limit: int = 1_000_000) -> str:
    value = entry.get(name, "")
    if value is None:
        value = ""
    _need(isinstance(value, str) and len(value) <= limit, where, f"'{name}' is not valid text")
    return str(value)


def _date(value: Any, where: str, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EntryError(f"{where}: '{name}' is not a date") from None


def _datetime(value: Any, where: str, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise EntryError(f"{where}: '{name}' is not a date and time") from None
    return parsed.replace(tzinfo=None)


def _int(value: Any, where: str, name: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    _need(
        isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        where,
        f"'{name}' is not a number",
    )
    return int(value)


def check_item(entry: Any, where: str) -> dict[str, Any]:
    """Validate one item entry and return it with dates parsed (raises EntryError).

    Vocabulary this app does not know (a newer publisher) is refused, never stored half-known."""
    _need(isinstance(entry, dict), where, "an item entry is not an object")
    key = entry.get("key")
    _need(isinstance(key, str) and 0 < len(key) <= 36, where, "an item has no valid key")
    where = f"{where}, item {key}"
    out: dict[str, Any] = {"key": key}
    for name, limit in (("title", 500), ("summary", 1_000_000), ("language", 16)):
        out[name] = _str(entry, name, where, limit)
    out["change_note"] = _str(entry, "change_note", where)
    _need(bool(out["title"].strip()), where, "the item has no title")
    kind, fmt, audience = entry.get("kind"), entry.get("format"), entry.get("audience")
    _need(kind in {k.value for k in Kind}, where, f"kind '{kind}' is unknown (update Frontline)")
    _need(fmt in FORMATS, where, f"format '{fmt}' is unknown (update Frontline)")
    _need(
        audience in {a.value for a in Audience},
        where,
        f"audience '{audience}' is unknown (update Frontline)",
    )
    out.update(kind=kind, format=fmt, audience=audience)
    owner = entry.get("owner")
    _need(owner is None or isinstance(owner, dict), where, "'owner' is not an object")
    out["owner"] = (
        {
            "name": _str(owner, "name", where, 200),
            "title": _str(owner, "title", where, 200),
            "email": _str(owner, "email", where, 200),
        }
        if owner
        else None
    )
    for name in ("created_at", "updated_at", "content_changed_at"):
        out[name] = _datetime(entry.get(name), where, name)
    for name in ("published_at", "expires_on", "verify_by"):
        out[name] = _date(entry.get(name), where, name)
    out["version"] = _int(entry.get("version"), where, "version")
    terms = entry.get("terms") or {}
    _need(isinstance(terms, dict), where, "'terms' is not an object")
    for tax, names in terms.items():
        _need(tax in TAXONOMIES, where, f"taxonomy '{tax}' is unknown (update Frontline)")
        _need(
            isinstance(names, list)
            and all(isinstance(n, str) and 0 < len(n.strip()) <= 200 for n in names),
            where,
            f"the {tax} values are not a list of names",
        )
    out["terms"] = terms
    for section, fields in (("case_study", CASE_STUDY_FIELDS), ("battle_card", BATTLE_CARD_FIELDS)):
        value = entry.get(section)
        _need(value is None or isinstance(value, dict), where, f"'{section}' is not an object")
        if value is not None:
            unknown = set(value) - set(fields)
            _need(not unknown, where, f"'{section}' has unknown fields {sorted(unknown)}")
            value = dict(value)
            if "last_verified" in value:
                value["last_verified"] = _date(value["last_verified"], where, "last_verified")
        out[section] = value
    assets = entry.get("assets")
    _need(isinstance(assets, list), where, "'assets' is not a list")
    statuses = {s.value for s in ExtractionStatus}
    checked = []
    for a in assets:
        _need(isinstance(a, dict), where, "an asset is not an object")
        _need(is_sha256(a.get("sha256")), where, "an asset has no valid SHA-256")
        _need(a.get("extraction_status") in statuses, where, "an extraction status is unknown")
        flags = a.get("flags") or []
        _need(
            isinstance(flags, list) and all(isinstance(f, str) for f in flags),
            where,
            "asset flags are not a list of words",
        )
        checked.append(
            {
                "name": _str(a, "name", where, 500) or a["sha256"][:12],
                "sha256": a["sha256"],
                "size": _int(a.get("size"), where, "size"),
                "media_type": _str(a, "media_type", where, 200) or "application/octet-stream",
                "page_count": _int(a.get("page_count"), where, "page_count", optional=True),
                "extraction_status": a["extraction_status"],
                "extraction_reason": _str(a, "extraction_reason", where),
                "flags": list(flags),
                "text": _str(a, "text", where, 10_000_000),
                "text_chars": _int(a.get("text_chars", 0), where, "text_chars"),
                "text_truncated": bool(a.get("text_truncated", False)),
            }
        )
    out["assets"] = checked
    return out


def check_term(entry: Any, where: str) -> dict[str, Any]:
    _need(isinstance(entry, dict), where, "a taxonomy entry is not an object")
    tax = entry.get("taxonomy")
    _need(tax in TAXONOMIES, where, f"taxonomy '{tax}' is unknown (update Frontline)")
    name = " ".join(_str(entry, "name", where, 200).split())
    _need(bool(name), where, f"a {tax} has no name")
    persona = entry.get("persona")
    _need(persona is None or isinstance(persona, dict), where, "'persona' is not an object")
    return {
        "taxonomy": tax,
        "name": name,
        "position": _int(entry.get("position", 0), where, "position"),
        "description": _str(entry, "description", where),
        "persona": {f: _str(persona, f, where) for f in PERSONA_FIELDS} if persona else None,
    }


def check_retired(entry: Any, where: str) -> dict[str, Any]:
    _need(isinstance(entry, dict), where, "a retirement is not an object")
    key = entry.get("key")
    _need(isinstance(key, str) and 0 < len(key) <= 36, where, "a retirement has no valid key")
    reason = entry.get("reason", "retired")
    _need(reason in RETIRE_REASONS, where, f"retirement reason '{reason}' is unknown")
    return {"key": key, "reason": reason, "title": _str(entry, "title", where, 500)}


def check_term_removed(entry: Any, where: str) -> dict[str, Any]:
    _need(isinstance(entry, dict), where, "a taxonomy removal is not an object")
    tax = entry.get("taxonomy")
    _need(tax in TAXONOMIES, where, f"taxonomy '{tax}' is unknown")
    return {"taxonomy": tax, "name": _str(entry, "name", where, 200)}


def check_brand(entry: Any, where: str) -> dict[str, Any] | None:
    if entry is None:
        return None
    _need(isinstance(entry, dict), where, "the brand kit is not an object")
    out: dict[str, Any] = {}
    for f in BRAND_FIELDS:
        if f == "validity_days":
            out[f] = _int(entry.get(f, 90), where, f)
        else:
            out[f] = _str(entry, f, where)
    for blob in ("logo", "reference"):
        b = entry.get(blob)
        _need(b is None or isinstance(b, dict), where, f"the brand {blob} is not an object")
        if b is not None:
            _need(is_sha256(b.get("sha256")), where, f"the brand {blob} has no valid SHA-256")
            b = {
                "sha256": b["sha256"],
                "size": _int(b.get("size"), where, "size"),
                "name": _str(b, "name", where, 500),
            }
        out[blob] = b
    return out
