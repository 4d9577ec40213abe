"""Drop the screening indexes no query reads: each one cost every insert on the hottest table.

Revision ID: 0340_screening_indexes
Revises: 0330_shadow_scores
Create Date: 2026-11-29 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0340_screening_indexes"
down_revision: str | None = "0330_shadow_scores"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNREAD = ("occurred_at", "customer_id_number", "payee_account", "decision")


def upgrade() -> None:
    for column in _UNREAD:
        op.drop_index(f"ix_antifraud_screening_{column}", table_name="antifraud_screening")


def downgrade() -> None:
    for column in _UNREAD:
        op.create_index(f"ix_antifraud_screening_{column}", "antifraud_screening", [column])
