"""Known payees (accounts vouched for, skipped by fan-in rules), per-bank decision thresholds (versioned,
restorable, calibrated on a bank's own traffic) and the days a bank's rates drifted out of their band.

Revision ID: 1205_payees_thresholds
Revises: 1205_rental
Create Date: 2026-12-01 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pingan.core.db import UtcDateTime

revision: str = "1205_payees_thresholds"
down_revision: str | None = "1205_rental"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0340_screening_indexes"


def upgrade() -> None:
    op.create_table(
        "antifraud_known_payee",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_no", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(64)),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date()),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("removed_reason", sa.Text()),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False, index=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("auth_user.id")),
    )
    op.create_table(
        "antifraud_bank_thresholds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bank_id", sa.Integer(), sa.ForeignKey("org_bank.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("warn_threshold", sa.Integer(), nullable=False),
        sa.Column("hold_threshold", sa.Integer(), nullable=False),
        sa.Column("target_hold_rate", sa.Float(), nullable=False),
        sa.Column("target_warn_rate", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("calibration", sa.JSON()),
        sa.Column("is_active", sa.Boolean(), nullable=False, index=True),
        sa.Column("note", sa.Text()),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("auth_user.id")),
        sa.UniqueConstraint("bank_id", "version"),
    )
    op.create_table(
        "antifraud_rate_drift",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bank_id", sa.Integer(), sa.ForeignKey("org_bank.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("screenings", sa.Integer(), nullable=False),
        sa.Column("hold_rate", sa.Float(), nullable=False),
        sa.Column("warn_rate", sa.Float(), nullable=False),
        sa.Column("notified_at", UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("bank_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("antifraud_rate_drift")
    op.drop_table("antifraud_bank_thresholds")
    op.drop_table("antifraud_known_payee")
