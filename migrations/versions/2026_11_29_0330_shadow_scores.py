"""Screenings keep what the shadow challenger would have said.

Revision ID: 0330_shadow_scores
Revises: 0320_model_registry
Create Date: 2026-11-29 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0330_shadow_scores"
down_revision: str | None = "0320_model_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("antifraud_screening") as batch:
        batch.add_column(sa.Column("shadow", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("antifraud_screening") as batch:
        batch.drop_column("shadow")
