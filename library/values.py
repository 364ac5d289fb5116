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
