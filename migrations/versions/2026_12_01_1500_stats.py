"""数据看板: the daily counts per series, day and org unit.

Revision ID: 1210_stats
Revises: 1206_onewindow_points_partners
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1210_stats"
down_revision: str | None = "1206_onewindow_points_partners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stats_daily_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=48), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_stats_daily_count_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_daily_count")),
    )
    op.create_index("ix_stats_daily_count_series_day", "stats_daily_count", ["series", "day"])


def downgrade() -> None:
    op.drop_index("ix_stats_daily_count_series_day", table_name="stats_daily_count")
    op.drop_table("stats_daily_count")
