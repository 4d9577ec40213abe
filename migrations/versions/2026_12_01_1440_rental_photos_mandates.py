"""租安心: the optional photo of the ID card a tenant attaches to their declaration (a blob in a row of its own,
deleted after the retention), and the mandate of a manager or agent (its last day, its withdrawal, who
appointed them).

Revision ID: 1207_rental_photos_mandates
Revises: 1206_register_phones
Create Date: 2026-12-01 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pingan.core.db

revision: str = "1207_rental_photos_mandates"
down_revision: str | None = "1206_register_phones"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rental_id_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("purge_after", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenancy_id"], ["rental_tenancy.id"],
                                name=op.f("fk_rental_id_photo_tenancy_id_rental_tenancy"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rental_id_photo")),
        sa.UniqueConstraint("tenancy_id", name=op.f("uq_rental_id_photo_tenancy_id")),
    )
    with op.batch_alter_table("rental_id_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rental_id_photo_purge_after"), ["purge_after"], unique=False)
    with op.batch_alter_table("rental_keeper", schema=None) as batch_op:
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("appointed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_rental_keeper_appointed_by_id_auth_user"), "auth_user",
                                    ["appointed_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("rental_keeper", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rental_keeper_appointed_by_id_auth_user"), type_="foreignkey")
        batch_op.drop_column("appointed_by_id")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("until")
    with op.batch_alter_table("rental_id_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rental_id_photo_purge_after"))
    op.drop_table("rental_id_photo")
