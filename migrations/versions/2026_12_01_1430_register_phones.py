"""The register indexes phones: an appearance may be known by a phone alone (a dispute party who gave no ID
number), every appearance's phone is indexed, and a repeat says whether the ID number or the phone alone
linked it. Dispute parties with a phone and no ID number stored so far become phone-only appearances
(mediation's secondary disputes look them up in the register now).

Revision ID: 1206_register_phones
Revises: 1205_onewindow
Create Date: 2026-12-01 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1206_register_phones"
down_revision: str | None = "1205_onewindow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DISPUTE_ID = "CAST(d.id AS VARCHAR(64))"


def upgrade() -> None:
    with op.batch_alter_table("people_appearance", schema=None) as batch_op:
        batch_op.alter_column("id_number", existing_type=sa.String(length=18), nullable=True)
        batch_op.add_column(sa.Column("repeat_by", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_people_appearance_phone", ["phone", "at"], unique=False,
                              sqlite_where=sa.text("phone IS NOT NULL"),
                              postgresql_where=sa.text("phone IS NOT NULL"))
    # Phones were stored as typed before the register normalised them: only bare 11-digit numbers move over.
    op.execute(f"""
        INSERT INTO people_appearance (id_number, name, phone, role, module, record_kind, record_id, unit_id,
                                       entered_by_id, link, at)
        SELECT NULL, MIN(p.name), p.phone, 'party', 'mediation', 'dispute', {_DISPUTE_ID},
               COALESCE(d.community_id, d.station_id), d.created_by_id, '/mediation/disputes/' || {_DISPUTE_ID},
               d.received_at
          FROM mediation_party p JOIN mediation_dispute d ON d.id = p.dispute_id
         WHERE p.id_number IS NULL AND p.phone IS NOT NULL AND LENGTH(p.phone) = 11 AND NOT EXISTS (
               SELECT 1 FROM people_appearance a WHERE a.module = 'mediation' AND a.record_kind = 'dispute'
                  AND a.record_id = {_DISPUTE_ID} AND a.id_number IS NULL AND a.phone = p.phone)
         GROUP BY p.phone, d.id, d.community_id, d.station_id, d.created_by_id, d.received_at
    """)


def downgrade() -> None:
    op.execute("DELETE FROM people_appearance WHERE id_number IS NULL")
    with op.batch_alter_table("people_appearance", schema=None) as batch_op:
        batch_op.drop_index("ix_people_appearance_phone")
        batch_op.drop_column("repeat_by")
        batch_op.alter_column("id_number", existing_type=sa.String(length=18), nullable=False)
