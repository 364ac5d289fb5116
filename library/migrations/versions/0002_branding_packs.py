"""brand kit, partner profiles, received packs (exports)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brand_kit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("logo_name", sa.String(length=500), nullable=False),
        sa.Column("primary_color", sa.String(length=6), nullable=False),
        sa.Column("secondary_color", sa.String(length=6), nullable=False),
        sa.Column("heading_font", sa.String(length=64), nullable=False),
        sa.Column("body_font", sa.String(length=64), nullable=False),
        sa.Column("disclaimer", sa.Text(), nullable=False),
        sa.Column("footer_text", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("paper", sa.String(length=16), nullable=False),
        sa.Column("reference_sha256", sa.String(length=64), nullable=True),
        sa.Column("reference_name", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "partner_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("logo_name", sa.String(length=500), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=64), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_folded"),
    )
    op.create_table(
        "received_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("source_library", sa.String(length=64), nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("prepared_for", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_id"),
    )
    op.create_table(
        "received_pack_items",
        sa.Column("pack_row_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=36), nullable=False),
        sa.Column("source_key", sa.String(length=36), nullable=False),
        sa.Column("source_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_key"], ["items.key"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pack_row_id"], ["received_packs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pack_row_id", "item_key"),
    )
    op.create_index(
        op.f("ix_received_pack_items_item_key"), "received_pack_items", ["item_key"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_received_pack_items_item_key"), table_name="received_pack_items")
    op.drop_table("received_pack_items")
    op.drop_table("received_packs")
    op.drop_table("partner_profiles")
    op.drop_table("brand_kit")
