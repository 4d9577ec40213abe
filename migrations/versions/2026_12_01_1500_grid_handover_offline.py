"""grid: a report handed to the police is a call at the station (cases_call.grid_report_id, its outcome goes back
to the report); idempotency keys on collections, patrols and publicity, sent from the phone's offline queue

Revision ID: 1500_grid_handover_offline
Revises: 1207_rental_photos_mandates
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1500_grid_handover_offline"
down_revision: str | None = "1207_rental_photos_mandates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the column of the user who sent it, the constraint's name)
_KEYED = (("grid_collection_version", "by_id", "uq_grid_collection_idempotency"),
          ("grid_patrol", "created_by_id", "uq_grid_patrol_idempotency"),
          ("grid_publicity", "held_by_id", "uq_grid_publicity_idempotency"))


def upgrade() -> None:
    with op.batch_alter_table("cases_call") as batch:
        batch.add_column(sa.Column("grid_report_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_cases_call_grid_report_id", ["grid_report_id"])
    for table, by, name in _KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
            batch.create_unique_constraint(name, [by, "idempotency_key"])


def downgrade() -> None:
    for table, _by, name in reversed(_KEYED):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="unique")
            batch.drop_column("idempotency_key")
    with op.batch_alter_table("cases_call") as batch:
        batch.drop_constraint("uq_cases_call_grid_report_id", type_="unique")
        batch.drop_column("grid_report_id")
