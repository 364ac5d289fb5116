"""The library's fixed vocabulary: kinds, formats, statuses, audiences, extraction statuses.

Names typed by people ("Case Study", "case_study", "case-study") are normalized with `canonical()`
so the CLI, manifests and the UI accept all of them. Stored values are the canonical slugs below;
`label()` gives the display form.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class Kind(StrEnum):
    COLLATERAL = "collateral"
    CASE_STUDY = "case-study"
    COMPETITOR_INSIGHT = "competitor-insight"


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    RETIRED = "retired"


class Audience(StrEnum):
    INTERNAL = "internal"
    CUSTOMER = "customer"
    PARTNER = "partner"


class Role(StrEnum):
    """What a person may do in a library (library.users.PERMISSIONS)."""

    ADMIN = "admin"
    MARKETER = "marketer"
    REVIEWER = "reviewer"
    REP = "rep"
    PARTNER = "partner"


class ExtractionStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    ENCRYPTED = "encrypted"
    IMAGE_ONLY = "image-only"
    UNSUPPORTED = "unsupported"
    FAILED = "failed"


# Formats/subtypes from PRODUCT.md, with the kind each one implies when no kind is given.
FORMATS: dict[str, Kind] = {
    "data-sheet": Kind.COLLATERAL,
    "one-pager": Kind.COLLATERAL,
    "brochure": Kind.COLLATERAL,
    "pitch-deck": Kind.COLLATERAL,
    "white-paper": Kind.COLLATERAL,
    "executive-brief": Kind.COLLATERAL,
    "case-study": Kind.CASE_STUDY,
    "customer-reference": Kind.CASE_STUDY,
    "battle-card": Kind.COMPETITOR_INSIGHT,
    "competitive-update": Kind.COMPETITOR_INSIGHT,
    "email-template": Kind.COLLATERAL,
    "talk-track": Kind.COLLATERAL,
    "objection-handler": Kind.COMPETITOR_INSIGHT,
    "pricing-sheet": Kind.COLLATERAL,
    "roi-calculator": Kind.COLLATERAL,
    "faq": Kind.COLLATERAL,
    "security-pack": Kind.COLLATERAL,
    "demo-video": Kind.COLLATERAL,
    "partner-kit": Kind.COLLATERAL,
    "document": Kind.COLLATERAL,  # an imported file nobody has classified yet
}

# How long an approved item stays verified before its owner must re-verify it (verify-by is set
# to today + this on approval and on each verification). Battle cards go stale fastest
# (competitors change something material every ~11 days; cards are refreshed every 60-90 days).
REVIEW_DAYS_BY_FORMAT: dict[str, int] = {"battle-card": 60, "competitive-update": 60}
REVIEW_DAYS_BY_KIND: dict[str, int] = {
    "competitor-insight": 90,
    "case-study": 365,
    "collateral": 182,
}


def review_days(kind: str, fmt: str) -> int:
    """The default review interval of an item of this kind and format, in days."""
    return REVIEW_DAYS_BY_FORMAT.get(fmt) or REVIEW_DAYS_BY_KIND.get(kind, 182)


# Accepted spellings that are not just the slug with other separators.
_ALIASES: dict[str, str] = {
    "casestudy": "case-study",
    "battlecard": "battle-card",
    "competitor": "competitor-insight",
    "competitive-insight": "competitor-insight",
    "insight": "competitor-insight",
    "datasheet": "data-sheet",
    "onepager": "one-pager",
    "deck": "pitch-deck",
    "whitepaper": "white-paper",
    "customer-quote": "customer-reference",
    "reference": "customer-reference",
    "call-script": "talk-track",
    "roi-tco-calculator": "roi-calculator",
    "tco-calculator": "roi-calculator",
    "security-compliance-pack": "security-pack",
    "compliance-pack": "security-pack",
    "customer-quote-reference": "customer-reference",
    "call-script-talk-track": "talk-track",
    "roi-calculator-tco-calculator": "roi-calculator",
    "demo-video-link": "demo-video",
    "video": "demo-video",
    "review": "in-review",
    "inreview": "in-review",
    "published": "approved",
    "internal-only": "internal",
    "customer-shareable": "customer",
    "partner-shareable": "partner",
    "image": "image-only",
    "administrator": "admin",
    "marketing": "marketer",
    "approver": "reviewer",
    "sales-rep": "rep",
    "reseller": "partner",
}

# Default stages in funnel order (PRODUCT.md); editable per library.
DEFAULT_STAGES: tuple[str, ...] = (
    "Prospecting",
    "Discovery",
    "Evaluation",
    "Proposal",
    "Negotiation",
    "Closed won",
    "Closed lost",
    "Onboarding",
    "Expansion/Renewal",
)

# Taxonomies an item can be tagged with (many-to-many). Order = display order of facets.
TAXONOMIES: tuple[str, ...] = (
    "persona",
    "stage",
    "product",
    "industry",
    "region",
    "competitor",
    "tag",
)


def slug(text: str) -> str:
    """'Case Study', 'case_study', ' Case-Study ' -> 'case-study'.

    Slashes and brackets separate words too, so PRODUCT.md's own names ("security/compliance
    pack", "ROI/TCO calculator", "demo video (link)") are accepted as typed.
    """
    return re.sub(r"[\s_\-/()\[\]]+", "-", text.strip().lower()).strip("-")


def canonical(enum: type[E], text: str) -> E:
    """Parse a user-typed name into `enum`; raises ValueError with the accepted names."""
    s = slug(text)
    s = _ALIASES.get(s, _ALIASES.get(s.replace("-", ""), s))
    try:
        return enum(s)
    except ValueError:
        accepted = ", ".join(label(m) for m in enum)
        raise ValueError(
            f"'{text}' is not a known {_enum_noun(enum)} (use one of: {accepted})."
        ) from None


def canonical_format(text: str) -> str:
    """Parse a user-typed format/subtype name; raises ValueError listing the accepted names."""
    s = slug(text)
    s = _ALIASES.get(s, _ALIASES.get(s.replace("-", ""), s))
    if s in FORMATS:
        return s
    accepted = ", ".join(label(f) for f in FORMATS)
    raise ValueError(f"'{text}' is not a known format (use one of: {accepted}).")


# Words shown in capitals wherever they appear in a label ("ROI calculator", "FAQ").
_ACRONYMS: frozenset[str] = frozenset(
    {
        "roi",
        "tco",
        "faq",
        "rfp",
        "rfi",
        "rfq",
        "sla",
        "soc",
        "gdpr",
        "api",
        "pdf",
        "crm",
        "erp",
        "kpi",
    }
)
# Labels that are more than a slug with spaces.
_LABELS: dict[str, str] = {"one-pager": "One-pager"}


def label(value: str) -> str:
    """'case-study' -> 'Case study', 'roi-calculator' -> 'ROI calculator' (display form of a slug)."""
    value = str(value)
    if value in _LABELS:
        return _LABELS[value]
    words = [w.upper() if w in _ACRONYMS else w for w in value.replace("-", " ").split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _enum_noun(enum: type[StrEnum]) -> str:
    return {
        "Kind": "kind",
        "Status": "status",
        "Audience": "audience",
        "ExtractionStatus": "extraction status",
        "Role": "role",
    }.get(enum.__name__, enum.__name__.lower())
