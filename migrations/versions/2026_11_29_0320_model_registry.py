"""Model registry: trained score models, the active one and the shadow challenger.

Revision ID: 0320_model_registry
Revises: 1a26aea91d28
Create Date: 2026-11-29 02:08:07.018317
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pingan.core.db


revision: str = '0320_model_registry'
down_revision: str | None = '1a26aea91d28'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('antifraud_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('model_sha256', sa.String(length=64), nullable=False),
    sa.Column('feature_set_version', sa.String(length=32), nullable=False),
    sa.Column('data_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_shadow', sa.Boolean(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('activated_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['auth_user.id'], name=op.f('fk_antifraud_model_created_by_id_auth_user')),
    sa.ForeignKeyConstraint(['previous_id'], ['antifraud_model.id'], name=op.f('fk_antifraud_model_previous_id_antifraud_model')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_antifraud_model')),
    sa.UniqueConstraint('model_id', name=op.f('uq_antifraud_model_model_id'))
    )
    with op.batch_alter_table('antifraud_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_antifraud_model_is_active'), ['is_active'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('antifraud_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_antifraud_model_is_active'))

    op.drop_table('antifraud_model')
