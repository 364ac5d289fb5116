"""publish/subscribe channels, subscriptions, usage events, inbox (sync)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_inbox_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("item_key", sa.String(length=36), nullable=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("results", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(op.f("ix_sync_inbox_events_at"), "sync_inbox_events", ["at"], unique=False)
    op.create_index(
        op.f("ix_sync_inbox_events_channel_id"), "sync_inbox_events", ["channel_id"], unique=False
    )
    op.create_index(
        op.f("ix_sync_inbox_events_item_key"), "sync_inbox_events", ["item_key"], unique=False
    )
    op.create_index(
        "ix_sync_inbox_events_type_kind", "sync_inbox_events", ["type", "kind"], unique=False
    )
    op.create_table(
        "sync_inbox_files",
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("rel_path", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", "rel_path"),
    )
    op.create_table(
        "sync_published_channels",
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_published_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("channel_id"),
    )
    op.create_table(
        "sync_subscriptions",
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("applied_seq", sa.Integer(), nullable=False),
        sa.Column("applied_sha256", sa.String(length=64), nullable=False),
        sa.Column("subscribed_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("outbox_cursors", sa.JSON(), nullable=False),
        sa.Column("inbox_file_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id"),
    )
    op.create_table(
        "usage_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(length=36), nullable=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("results", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(op.f("ix_usage_events_item_key"), "usage_events", ["item_key"], unique=False)
    op.create_index("ix_usage_events_kind_at", "usage_events", ["kind", "at"], unique=False)
    op.create_table(
        "sync_published_entries",
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("entry_key", sa.String(length=300), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["sync_published_channels.channel_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("channel_id", "kind", "entry_key"),
    )
    op.create_table(
        "sync_term_origins",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["term_id"], ["terms.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("term_id"),
    )
    op.create_index(
        op.f("ix_sync_term_origins_channel_id"), "sync_term_origins", ["channel_id"], unique=False
    )
    op.create_table(
        "sync_item_origins",
        sa.Column("item_key", sa.String(length=36), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_key"], ["items.key"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_key"),
    )
    op.create_index(
        op.f("ix_sync_item_origins_channel_id"), "sync_item_origins", ["channel_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_item_origins_channel_id"), table_name="sync_item_origins")
    op.drop_table("sync_item_origins")
    op.drop_index(op.f("ix_sync_term_origins_channel_id"), table_name="sync_term_origins")
    op.drop_table("sync_term_origins")
    op.drop_table("sync_published_entries")
    op.drop_index("ix_usage_events_kind_at", table_name="usage_events")
    op.drop_index(op.f("ix_usage_events_item_key"), table_name="usage_events")
    op.drop_table("usage_events")
    op.drop_table("sync_subscriptions")
    op.drop_table("sync_published_channels")
    op.drop_table("sync_inbox_files")
    op.drop_index("ix_sync_inbox_events_type_kind", table_name="sync_inbox_events")
    op.drop_index(op.f("ix_sync_inbox_events_item_key"), table_name="sync_inbox_events")
    op.drop_index(op.f("ix_sync_inbox_events_channel_id"), table_name="sync_inbox_events")
    op.drop_index(op.f("ix_sync_inbox_events_at"), table_name="sync_inbox_events")
    op.drop_table("sync_inbox_events")
