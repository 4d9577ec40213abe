"""screening risk: the score before rounding, kept beside the integer score so the riskiest rank strictly

Revision ID: 1900_screening_risk
Revises: 1210_stats
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1900_screening_risk"
down_revision: str | None = "1210_stats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("antifraud_screening") as batch:
        batch.add_column(sa.Column("risk", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("antifraud_screening") as batch:
        batch.drop_column("risk")
