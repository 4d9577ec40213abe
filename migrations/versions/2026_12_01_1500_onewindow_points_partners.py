"""一窗通办: village service points (村级代办点) and the application naming its point; partner bureaus, their
desks (partner accounts) and the bureau an item is routed to.

Revision ID: 1206_onewindow_points_partners
Revises: 1500_grid_handover_offline
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pingan.core.db

revision: str = "1206_onewindow_points_partners"
down_revision: str | None = "1500_grid_handover_offline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "onewindow_bureau",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_bureau")),
        sa.UniqueConstraint("code", name=op.f("uq_onewindow_bureau_code")),
    )
    op.create_table(
        "onewindow_partner_desk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bureau_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bureau_id"], ["onewindow_bureau.id"],
                                name=op.f("fk_onewindow_partner_desk_bureau_id_onewindow_bureau")),
        sa.ForeignKeyConstraint(["user_id"], ["auth_user.id"], ondelete="CASCADE",
                                name=op.f("fk_onewindow_partner_desk_user_id_auth_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_partner_desk")),
        sa.UniqueConstraint("user_id", name=op.f("uq_onewindow_partner_desk_user_id")),
    )
    op.create_index(op.f("ix_onewindow_partner_desk_bureau_id"), "onewindow_partner_desk", ["bureau_id"])
    op.create_table(
        "onewindow_service_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("agent_name", sa.String(length=64), nullable=False),
        sa.Column("agent_phone", sa.String(length=11), nullable=True),
        sa.Column("address_id", sa.Integer(), nullable=True),
        sa.Column("address_text", sa.String(length=200), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("active", "suspended", "closed", name="servicepointstatus", native_enum=False,
                                    length=16), nullable=False),
        sa.Column("created_at", pingan.core.db.UtcDateTime(), nullable=False),
        sa.Column("updated_at", pingan.core.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["address_id"], ["places_address.id"],
                                name=op.f("fk_onewindow_service_point_address_id_places_address")),
        sa.ForeignKeyConstraint(["community_id"], ["org_unit.id"],
                                name=op.f("fk_onewindow_service_point_community_id_org_unit")),
        sa.ForeignKeyConstraint(["station_id"], ["org_unit.id"],
                                name=op.f("fk_onewindow_service_point_station_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_service_point")),
        sa.UniqueConstraint("code", name=op.f("uq_onewindow_service_point_code")),
    )
    op.create_index(op.f("ix_onewindow_service_point_station_id"), "onewindow_service_point", ["station_id"])
    op.create_index(op.f("ix_onewindow_service_point_community_id"), "onewindow_service_point", ["community_id"])
    op.create_index(op.f("ix_onewindow_service_point_status"), "onewindow_service_point", ["status"])
    op.add_column("onewindow_catalogue_item", sa.Column("bureau", sa.String(length=16), nullable=True))
    with op.batch_alter_table("onewindow_application") as batch:
        batch.add_column(sa.Column("service_point_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_onewindow_application_service_point_id_onewindow_service_point"),
                                 "onewindow_service_point", ["service_point_id"], ["id"])
        batch.create_index(op.f("ix_onewindow_application_service_point_id"), ["service_point_id"])
    with op.batch_alter_table("onewindow_application_item") as batch:
        batch.add_column(sa.Column("bureau_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_onewindow_application_item_bureau_id_onewindow_bureau"),
                                 "onewindow_bureau", ["bureau_id"], ["id"])
        batch.create_index(op.f("ix_onewindow_application_item_bureau_id"), ["bureau_id"])


def downgrade() -> None:
    with op.batch_alter_table("onewindow_application_item") as batch:
        batch.drop_index(op.f("ix_onewindow_application_item_bureau_id"))
        batch.drop_constraint(op.f("fk_onewindow_application_item_bureau_id_onewindow_bureau"), type_="foreignkey")
        batch.drop_column("bureau_id")
    with op.batch_alter_table("onewindow_application") as batch:
        batch.drop_index(op.f("ix_onewindow_application_service_point_id"))
        batch.drop_constraint(op.f("fk_onewindow_application_service_point_id_onewindow_service_point"),
                              type_="foreignkey")
        batch.drop_column("service_point_id")
    op.drop_column("onewindow_catalogue_item", "bureau")
    op.drop_table("onewindow_service_point")
    op.drop_table("onewindow_partner_desk")
    op.drop_table("onewindow_bureau")
