"""Backfill the register: every dispute party with an ID number and every screened customer so far become
people with their appearances (what `people.seen` records from now on). Safe to run on a filled register:
rows already there are left alone.

Revision ID: 1202_register_backfill
Revises: 1201_register
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "1202_register_backfill"
down_revision: str | None = "1201_register"
branch_labels: str | Sequence[str] | None = None
# 0300_mediation comes after the screening table (1a26aea91d28): both tables read here exist.
depends_on: str | Sequence[str] | None = "0300_mediation"

_DISPUTE_ID = "CAST(d.id AS VARCHAR(64))"


def _customer_name() -> str:
    """The customer's name inside the stored request (JSON text)."""
    if op.get_bind().dialect.name == "postgresql":
        return "COALESCE(SUBSTR(CAST(s.request AS json) #>> '{customer,name}', 1, 64), '')"
    return "COALESCE(SUBSTR(json_extract(s.request, '$.customer.name'), 1, 64), '')"


def upgrade() -> None:
    name = _customer_name()
    op.execute(f"""
        INSERT INTO people_person (id_number, name, first_seen_at)
        SELECT seen.id_number, MIN(seen.name), MIN(seen.at) FROM (
            SELECT p.id_number AS id_number, p.name AS name, d.received_at AS at
              FROM mediation_party p JOIN mediation_dispute d ON d.id = p.dispute_id WHERE p.id_number IS NOT NULL
            UNION ALL
            SELECT s.customer_id_number, {name}, s.received_at FROM antifraud_screening s
        ) AS seen
        WHERE NOT EXISTS (SELECT 1 FROM people_person x WHERE x.id_number = seen.id_number)
        GROUP BY seen.id_number
    """)
    op.execute(f"""
        INSERT INTO people_appearance (id_number, name, phone, role, module, record_kind, record_id, unit_id,
                                       entered_by_id, link, at)
        SELECT p.id_number, MIN(p.name), MIN(p.phone), 'party', 'mediation', 'dispute', {_DISPUTE_ID},
               COALESCE(d.community_id, d.station_id), d.created_by_id, '/mediation/disputes/' || {_DISPUTE_ID},
               d.received_at
          FROM mediation_party p JOIN mediation_dispute d ON d.id = p.dispute_id
         WHERE p.id_number IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM people_appearance a WHERE a.module = 'mediation' AND a.record_kind = 'dispute'
                  AND a.record_id = {_DISPUTE_ID} AND a.id_number = p.id_number AND a.role = 'party')
         GROUP BY p.id_number, d.id, d.community_id, d.station_id, d.created_by_id, d.received_at
    """)
    op.execute(f"""
        INSERT INTO people_appearance (id_number, name, phone, role, module, record_kind, record_id, unit_id,
                                       entered_by_id, link, at)
        SELECT s.customer_id_number, {name}, NULL, 'customer', 'antifraud', 'screening', s.id, s.station_id,
               s.submitted_by_id, '/antifraud/screenings/' || s.id, s.received_at
          FROM antifraud_screening s
         WHERE NOT EXISTS (
               SELECT 1 FROM people_appearance a WHERE a.module = 'antifraud' AND a.record_kind = 'screening'
                  AND a.record_id = s.id AND a.id_number = s.customer_id_number AND a.role = 'customer')
    """)


def downgrade() -> None:
    # Backfilled appearances cannot be told from recorded ones, and either kind is true: nothing to undo.
    pass
