"""SQLAlchemy 2 typed models of a Frontline library (library.db).

These objects never leave `library/`: services convert them to the plain dataclasses in
`library.values` before returning. Schema changes go through an Alembic migration in
`library/migrations/versions/` (see `library.db`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_key() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    """Key/value facts about the library (its id, creation date, settings)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    """A person using this library; also the rep printed on leave-behinds."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(32), default="rep")  # library.vocab.Role
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


item_terms = Table(
    "item_terms",
    Base.metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_item_terms_term", "term_id"),
)


class Term(Base):
    """A value of one taxonomy (persona, stage, product, industry, region, competitor, tag).

    One table for all taxonomies keeps tagging, facets, rename and merge one code path; personas
    carry their profile in `PersonaProfile`, stages are ordered by `position`.
    """

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("taxonomy", "name_folded", name="uq_terms_taxonomy_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))  # casefolded name: uniqueness, lookup
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    persona: Mapped[PersonaProfile | None] = relationship(
        back_populates="term", cascade="all, delete-orphan", uselist=False
    )


class PersonaProfile(Base):
    """The agreed definition of a buyer persona (PRODUCT.md: persona fields)."""

    __tablename__ = "persona_profiles"
    term_id: Mapped[int] = mapped_column(
        ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True
    )
    titles: Mapped[str] = mapped_column(Text, default="")
    seniority: Mapped[str] = mapped_column(String(100), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    buying_role: Mapped[str] = mapped_column(String(64), default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    pains: Mapped[str] = mapped_column(Text, default="")
    objections: Mapped[str] = mapped_column(Text, default="")
    needs_to_see: Mapped[str] = mapped_column(Text, default="")
    channels: Mapped[str] = mapped_column(Text, default="")
    term: Mapped[Term] = relationship(back_populates="persona")


class Item(Base):
    """A piece of content: collateral, case study or competitor insight, with its files."""

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36), unique=True, default=new_key)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32), index=True)
    format: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    audience: Mapped[str] = mapped_column(String(16), default="internal")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    published_at: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    verify_by: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    change_note: Mapped[str] = mapped_column(Text, default="")
    # When the content (title, summary, files, sections) last changed: the newest version's time.
    # Metadata edits (tags, dates, audience) do not move it; the UPDATED badge uses it.
    content_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    owner: Mapped[User | None] = relationship()
    assets: Mapped[list[Asset]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Asset.position"
    )
    terms: Mapped[list[Term]] = relationship(secondary=item_terms, order_by="Term.position")
    case_study: Mapped[CaseStudy | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )
    battle_card: Mapped[BattleCard | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )


class Asset(Base):
    """A file of an item, stored once in files/ by its SHA-256, with its extracted text."""

    __tablename__ = "assets"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    original_name: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page_count: Mapped[int | None] = mapped_column(Integer)  # pages, slides or sheets
    extraction_status: Mapped[str] = mapped_column(String(16))
    extraction_reason: Mapped[str] = mapped_column(Text, default="")
    # Pages/slides/sheets are separated by form feeds (\f), so a hit's page is derivable.
    text: Mapped[str] = mapped_column(Text, default="")
    text_chars: Mapped[int] = mapped_column(Integer, default=0)  # before capping
    text_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)  # e.g. ["macros"]
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    item: Mapped[Item] = relationship(back_populates="assets")


class CaseStudy(Base):
    """Structured case-study fields; `results` is a list of {"metric", "value"}."""

    __tablename__ = "case_studies"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    customer: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    challenge: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[list[Any]] = mapped_column(JSON, default=list)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_author: Mapped[str] = mapped_column(String(200), default="")
    item: Mapped[Item] = relationship(back_populates="case_study")


class BattleCard(Base):
    """Structured battle-card sections (Crayon/Klue style). Lists of strings, except
    `objections`: a list of {"objection", "answer"}."""

    __tablename__ = "battle_cards"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    why_we_win: Mapped[list[Any]] = mapped_column(JSON, default=list)
    why_we_lose: Mapped[list[Any]] = mapped_column(JSON, default=list)
    objections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    landmines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pricing_notes: Mapped[str] = mapped_column(Text, default="")
    proof_points: Mapped[list[Any]] = mapped_column(JSON, default=list)
    last_verified: Mapped[date | None] = mapped_column(Date)
    item: Mapped[Item] = relationship(back_populates="battle_card")


class Activity(Base):
    """Append-only log: who did what to which item, when. Never updated or deleted
    (triggers in the initial migration refuse it). `item_key` is not a foreign key so the
    history of a deleted item survives."""

    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    item_key: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SearchDirty(Base):
    """Outbox of items whose search-index entry is stale (calibre's dirtied table).

    Written in the same transaction as the change; drained by search/ after commit. One row per
    item (upserted), so a burst of edits is indexed once. `claimed` marks rows a drainer is
    working on; on start-up claimed rows are reset (the drainer died)."""

    __tablename__ = "search_dirty"
    item_key: Mapped[str] = mapped_column(String(36), primary_key=True)
    enqueued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed: Mapped[bool] = mapped_column(Boolean, default=False)


class ItemVersion(Base):
    """One version of an item's content, as it was when the version was made.

    `snapshot` is JSON: title, summary, kind, format, audience, language, owner, terms
    {taxonomy: [names]}, case_study, battle_card and assets [{name, sha256, size, media_type,
    page_count}]. Files stay in the content-addressed store, so an old version can be restored."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version", name="uq_item_versions_item_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    change_note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FileText(Base):
    """What extraction found in a stored file, kept when the file leaves an item (replaced by a
    newer version) so restoring that version needs no re-extraction."""

    __tablename__ = "file_texts"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(200), default="")
    page_count: Mapped[int | None] = mapped_column(Integer)
    extraction_status: Mapped[str] = mapped_column(String(16), default="")
    extraction_reason: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    text_chars: Mapped[int] = mapped_column(Integer, default=0)
    text_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Feedback(Base):
    """A rep's flag on an item (outdated, wrong, missing info, other) or a request for content
    that does not exist, and marketing's answer. `feedback_key` identifies a row across
    libraries (sync sends it once, a re-sent copy is ignored); `origin` is "local" or the id of
    the channel it came from."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_key: Mapped[str] = mapped_column(String(36), unique=True, default=new_key)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # flag | request
    item_key: Mapped[str | None] = mapped_column(String(36), index=True)
    category: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    origin: Mapped[str] = mapped_column(String(36), default="local")


# Brand kit, partner profiles and received packs (library.branding) and publish/subscribe
# (library.sync.models) live in their own modules; importing them here puts
# their tables in Base.metadata (Alembic, create_all). At the end to avoid a circular import.
from library import branding as _branding  # noqa: E402, F401
from library.sync import models as _sync_models  # noqa: E402, F401
