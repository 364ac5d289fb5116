"""Plain values that cross layers (CLI, UI, search, exporters). Never ORM objects.

`to_json()` gives the documented, stable JSON shape of the CLI (see README "JSON output").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


def to_json(value: Any) -> Any:
    """Dataclasses/dates -> JSON-ready builtins (dates as ISO 8601 strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(slots=True)
class AssetInfo:
    id: int
    name: str
    media_type: str
    size: int
    sha256: str
    page_count: int | None
    extraction_status: str
    extraction_reason: str
    text_chars: int
    text_truncated: bool
    flags: list[str]


@dataclass(slots=True)
class ItemSummary:
    key: str
    title: str
    kind: str
    format: str
    status: str
    audience: str
    owner: str
    language: str
    version: int
    updated_at: datetime
    published_at: date | None
    expires_on: date | None
    verify_by: date | None
    personas: list[str]
    stages: list[str]
    file_count: int
    content_changed_at: datetime | None = None  # newest version's time (UPDATED badge)


@dataclass(slots=True)
class ItemDetail:
    key: str
    title: str
    summary: str
    kind: str
    format: str
    status: str
    audience: str
    owner: str
    language: str
    version: int
    change_note: str
    created_at: datetime
    updated_at: datetime
    published_at: date | None
    expires_on: date | None
    verify_by: date | None
    terms: dict[str, list[str]]  # taxonomy -> names, e.g. {"persona": ["CFO"], "stage": [...]}
    assets: list[AssetInfo]
    case_study: dict[str, Any] | None = None
    battle_card: dict[str, Any] | None = None
    content_changed_at: datetime | None = None  # newest version's time (UPDATED badge)
    # `items.read_only_reason` sentence when the item came from a subscribed channel or a received
    # pack (every editing service refuses it); "" when this library may edit it.
    read_only: str = ""


@dataclass(slots=True)
class ItemFilter:
    """What `list_items` returns: AND across fields, OR within a field's values."""

    kinds: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    terms: dict[str, list[str]] = field(default_factory=dict)  # taxonomy -> names
    title_contains: str = ""
    limit: int | None = None
    # Reps see approved, current items unless they ask for more (statuses or include_all);
    # partners never see more than approved, current, partner-shareable items.
    include_all: bool = False


@dataclass(slots=True)
class TermInfo:
    taxonomy: str
    name: str
    position: int
    item_count: int


@dataclass(slots=True)
class ImportOptions:
    """Metadata applied to every imported file (a manifest row overrides it per file)."""

    kind: str | None = None
    format: str | None = None
    status: str | None = None
    audience: str | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
    password: str | None = None
    owner: str | None = None


@dataclass(slots=True)
class ImportResult:
    """One file of an import: `outcome` is imported | unchanged | skipped | failed."""

    path: str
    outcome: str
    extraction_status: str = ""
    reason: str = ""
    item_key: str | None = None
    title: str = ""
    size: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class ImportReport:
    results: list[ImportResult] = field(default_factory=list)
    created_terms: dict[str, list[str]] = field(default_factory=dict)
    cancelled: bool = False
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)


@dataclass(slots=True)
class CheckProblem:
    area: str  # database | files | index
    message: str
    item_key: str | None = None


@dataclass(slots=True)
class CheckReport:
    problems: list[CheckProblem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- governance ----------------------------------------------------------------------------------
@dataclass(slots=True)
class UserInfo:
    name: str
    title: str
    email: str
    phone: str
    region: str
    role: str  # library.vocab.Role
    created_at: datetime


@dataclass(slots=True)
class VersionInfo:
    item_key: str
    version: int
    created_at: datetime
    created_by: str
    change_note: str
    title: str
    files: list[str]
    current: bool


@dataclass(slots=True)
class VersionDetail:
    info: VersionInfo
    # title, summary, kind, format, audience, language, owner, terms, case_study, battle_card,
    # assets [{name, sha256, size, media_type, page_count}]
    snapshot: dict[str, Any]


@dataclass(slots=True)
class NewsEntry:
    """An item published or updated since a time (What's new)."""

    item_key: str
    title: str
    change: str  # new | updated
    version: int
    change_note: str
    at: datetime
    by: str


@dataclass(slots=True)
class ReviewEntry:
    item_key: str
    title: str
    status: str
    format: str
    owner: str
    expires_on: date | None
    verify_by: date | None
    due: date  # the earliest of the dates that fall in the window
    reasons: list[str]  # sentences: "expires on 2027-01-10 (in 5 days)", ...


@dataclass(slots=True)
class ReviewGroup:
    owner: str  # "" = items without an owner
    items: list[ReviewEntry]


@dataclass(slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    item_key: str | None
    title: str
    detail: dict[str, Any]


@dataclass(slots=True)
class FeedbackInfo:
    id: int
    feedback_key: str
    kind: str  # flag | request
    item_key: str | None
    item_title: str
    category: str  # flags: outdated | wrong | missing-info | other; requests: ""
    text: str
    query: str
    created_by: str
    created_at: datetime
    status: str  # open | answered | closed
    answer: str
    answered_by: str
    answered_at: datetime | None
    origin: str  # "local" or a channel id
