"""一窗通办: the service catalogue, queue tickets, applications and their items, materials on file, one-time
notices, ratings and rectifications.

Revision ID: 1205_onewindow
Revises: 1205_payees_thresholds
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pingan.core.db

revision: str = "1205_onewindow"
down_revision: str | None = "1205_payees_thresholds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "onewindow_catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "department",
            sa.Enum(
                "household",
                "id_card",
                "exit_entry",
                "traffic",
                "public_order",
                name="department",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("fee_fen", sa.Integer(), nullable=False),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column(
            "limit_kind", sa.Enum("calendar", "working", name="limitkind", native_enum=False, length=16), nullable=False
        ),
        sa.Column("on_the_spot", sa.Boolean(), nullable=False),
        sa.Column("spot_stations", sa.JSON(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("ticket_prefix", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_catalogue_item")),
        sa.UniqueConstraint("code", name=op.f("uq_onewindow_catalogue_item_code")),
    )
    op.create_table(
        "onewindow_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("service_code", sa.String(length=48), nullable=False),
        sa.Column(
            "status",
            sa.Enum("waiting", "called", "done", "no_show", name="ticketstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("taken_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("called_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("window", sa.String(length=32), nullable=True),
        sa.Column("finished_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["clerk_id"], ["auth_user.id"], name=op.f("fk_onewindow_ticket_clerk_id_auth_user")),
        sa.ForeignKeyConstraint(["station_id"], ["org_unit.id"], name=op.f("fk_onewindow_ticket_station_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_ticket")),
    )
    with op.batch_alter_table("onewindow_ticket", schema=None) as batch_op:
        batch_op.create_index("ix_onewindow_ticket_station_taken", ["station_id", "taken_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_onewindow_ticket_status"), ["status"], unique=False)

    op.create_table(
        "onewindow_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum("window", "online", "partner", "village_agent", name="channel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("applicant_name", sa.String(length=64), nullable=False),
        sa.Column("applicant_id_number", sa.String(length=18), nullable=False),
        sa.Column("applicant_phone", sa.String(length=11), nullable=True),
        sa.Column("submitted_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("visit_days", sa.JSON(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("verification_ref", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["org_unit.id"], name=op.f("fk_onewindow_application_community_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["auth_user.id"], name=op.f("fk_onewindow_application_created_by_id_auth_user")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["org_unit.id"], name=op.f("fk_onewindow_application_station_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["onewindow_ticket.id"], name=op.f("fk_onewindow_application_ticket_id_onewindow_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_application")),
    )
    with op.batch_alter_table("onewindow_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_onewindow_application_applicant_id_number"), ["applicant_id_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_onewindow_application_community_id"), ["community_id"], unique=False)
        batch_op.create_index(
            "ix_onewindow_application_station_submitted", ["station_id", "submitted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_onewindow_application_submitted_at"), ["submitted_at"], unique=False)

    op.create_table(
        "onewindow_application_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=48), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_materials",
                "accepted",
                "in_progress",
                "ready",
                "handed_over",
                "issued_on_spot",
                "rejected",
                name="itemstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("accepted_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("due_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ready_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("within_limit", sa.Boolean(), nullable=True),
        sa.Column(
            "handover", sa.Enum("collected", "posted", name="handover", native_enum=False, length=16), nullable=True
        ),
        sa.Column("tracking_no", sa.String(length=40), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("reused", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["onewindow_application.id"],
            name=op.f("fk_onewindow_application_item_application_id_onewindow_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["org_unit.id"], name=op.f("fk_onewindow_application_item_station_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_application_item")),
    )
    with op.batch_alter_table("onewindow_application_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_onewindow_application_item_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_onewindow_application_item_item_code"), ["item_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_onewindow_application_item_station_id"), ["station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_onewindow_application_item_status"), ["status"], unique=False)

    op.create_table(
        "onewindow_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("reused", sa.JSON(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["onewindow_application.id"],
            name=op.f("fk_onewindow_notice_application_id_onewindow_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["auth_user.id"], name=op.f("fk_onewindow_notice_issued_by_id_auth_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_notice")),
    )
    with op.batch_alter_table("onewindow_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onewindow_notice_application_id"), ["application_id"], unique=False)

    op.create_table(
        "onewindow_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("received_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["onewindow_application_item.id"],
            name=op.f("fk_onewindow_material_item_id_onewindow_application_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_material")),
    )
    with op.batch_alter_table("onewindow_material", schema=None) as batch_op:
        batch_op.create_index("ix_onewindow_material_person_code", ["id_number", "code"], unique=True)

    op.create_table(
        "onewindow_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("window", sa.String(length=32), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["onewindow_application_item.id"],
            name=op.f("fk_onewindow_rating_item_id_onewindow_application_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["station_id"], ["org_unit.id"], name=op.f("fk_onewindow_rating_station_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_rating")),
        sa.UniqueConstraint("item_id", name=op.f("uq_onewindow_rating_item_id")),
    )
    with op.batch_alter_table("onewindow_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onewindow_rating_rated_at"), ["rated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_onewindow_rating_station_id"), ["station_id"], unique=False)

    op.create_table(
        "onewindow_rectification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "called_back",
                "closed",
                "appealed",
                "annulled",
                name="rectificationstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("opened_at", pingan.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("call_back_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("call_back_note", sa.Text(), nullable=True),
        sa.Column("closed_at", pingan.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("appeal_reason", sa.Text(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["onewindow_rating.id"],
            name=op.f("fk_onewindow_rectification_rating_id_onewindow_rating"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_onewindow_rectification_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onewindow_rectification")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_onewindow_rectification_rating_id")),
    )
    with op.batch_alter_table("onewindow_rectification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onewindow_rectification_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_onewindow_rectification_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("onewindow_rectification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_rectification_unit_id"))
        batch_op.drop_index(batch_op.f("ix_onewindow_rectification_status"))

    op.drop_table("onewindow_rectification")
    with op.batch_alter_table("onewindow_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_rating_station_id"))
        batch_op.drop_index(batch_op.f("ix_onewindow_rating_rated_at"))

    op.drop_table("onewindow_rating")
    with op.batch_alter_table("onewindow_material", schema=None) as batch_op:
        batch_op.drop_index("ix_onewindow_material_person_code")

    op.drop_table("onewindow_material")
    with op.batch_alter_table("onewindow_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_notice_application_id"))

    op.drop_table("onewindow_notice")
    with op.batch_alter_table("onewindow_application_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_application_item_status"))
        batch_op.drop_index(batch_op.f("ix_onewindow_application_item_station_id"))
        batch_op.drop_index(batch_op.f("ix_onewindow_application_item_item_code"))
        batch_op.drop_index(batch_op.f("ix_onewindow_application_item_application_id"))

    op.drop_table("onewindow_application_item")
    with op.batch_alter_table("onewindow_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_application_submitted_at"))
        batch_op.drop_index("ix_onewindow_application_station_submitted")
        batch_op.drop_index(batch_op.f("ix_onewindow_application_community_id"))
        batch_op.drop_index(batch_op.f("ix_onewindow_application_applicant_id_number"))

    op.drop_table("onewindow_application")
    with op.batch_alter_table("onewindow_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onewindow_ticket_status"))
        batch_op.drop_index("ix_onewindow_ticket_station_taken")

    op.drop_table("onewindow_ticket")
    op.drop_table("onewindow_catalogue_item")
