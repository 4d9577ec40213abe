"""A dispute's standard address: the address picked at intake (the typed place stays beside it).

Revision ID: 1204_dispute_address
Revises: 1203_vocabulary
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1204_dispute_address"
down_revision: str | None = "1203_vocabulary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mediation_dispute") as batch:
        batch.add_column(sa.Column("address_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_mediation_dispute_address_id_places_address", "places_address",
                                 ["address_id"], ["id"])
        batch.create_index("ix_mediation_dispute_address_id", ["address_id"])


def downgrade() -> None:
    with op.batch_alter_table("mediation_dispute") as batch:
        batch.drop_index("ix_mediation_dispute_address_id")
        batch.drop_constraint("fk_mediation_dispute_address_id_places_address", type_="foreignkey")
        batch.drop_column("address_id")
