"""grid (警网融合): the grid force and coverage, reports with photos, handed 110 calls, timelines, information
collection with versions, joint patrols with check-in points, publicity events, yearly targets, video calls

Revision ID: 1210_grid
Revises: 1301_cases
Create Date: 2026-12-01 12:20:10.456249
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pingan.core.db


revision: str = '1210_grid'
down_revision: str | None = "1301_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('grid_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=8), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_event'))
    )
    with op.batch_alter_table('grid_event', schema=None) as batch_op:
        batch_op.create_index('ix_grid_event_owner', ['owner', 'owner_id'], unique=False)

    op.create_table('grid_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['places_address.id'], name=op.f('fk_grid_checkpoint_address_id_places_address')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_checkpoint_grid_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_checkpoint')),
    sa.UniqueConstraint('token', name=op.f('uq_grid_checkpoint_token'))
    )
    with op.batch_alter_table('grid_checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_checkpoint_grid_id'), ['grid_id'], unique=False)

    op.create_table('grid_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_no', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=True),
    sa.Column('address_text', sa.String(length=200), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('received', 'accepted', 'handled', 'fed_back', 'closed', 'called_back', 'returned', name='callstatus', native_enum=False, length=16), nullable=False),
    sa.Column('is_complex', sa.Boolean(), nullable=False),
    sa.Column('received_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('handed_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('handled_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('fed_back_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('feedback_on_time', sa.Boolean(), nullable=True),
    sa.Column('closed_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('called_back_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('call_back_note', sa.Text(), nullable=True),
    sa.Column('returned_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('repeat_of_id', sa.Integer(), nullable=True),
    sa.Column('is_repeat', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['places_address.id'], name=op.f('fk_grid_call_address_id_places_address')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_call_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['handed_by_id'], ['auth_user.id'], name=op.f('fk_grid_call_handed_by_id_auth_user')),
    sa.ForeignKeyConstraint(['repeat_of_id'], ['grid_call.id'], name=op.f('fk_grid_call_repeat_of_id_grid_call')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_grid_call_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_call')),
    sa.UniqueConstraint('call_no', name='uq_grid_call_call_no')
    )
    with op.batch_alter_table('grid_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_call_address_id'), ['address_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_repeat_of_id'), ['repeat_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_call_status'), ['status'], unique=False)

    op.create_table('grid_collection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('floating_population', 'rental_house', 'shop', 'hazard', name='collectionkind', native_enum=False, length=24), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('collected_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('collected_by_id', sa.Integer(), nullable=True),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('verified_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['address_id'], ['places_address.id'], name=op.f('fk_grid_collection_address_id_places_address')),
    sa.ForeignKeyConstraint(['collected_by_id'], ['auth_user.id'], name=op.f('fk_grid_collection_collected_by_id_auth_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_collection_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['auth_user.id'], name=op.f('fk_grid_collection_verified_by_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_collection')),
    sa.UniqueConstraint('address_id', 'kind', 'subject', name='uq_grid_collection_subject')
    )
    with op.batch_alter_table('grid_collection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_collection_collected_at'), ['collected_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_collection_collected_by_id'), ['collected_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_collection_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_collection_verified_at'), ['verified_at'], unique=False)

    op.create_table('grid_coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('since', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_coverage_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['officer_id'], ['auth_user.id'], name=op.f('fk_grid_coverage_officer_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_coverage')),
    sa.UniqueConstraint('grid_id', name='uq_grid_coverage_grid')
    )
    with op.batch_alter_table('grid_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_coverage_officer_id'), ['officer_id'], unique=False)

    op.create_table('grid_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('grid_worker', 'guard', 'building_head', 'volunteer', 'other', name='memberkind', native_enum=False, length=16), nullable=False),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('status', sa.Enum('active', 'on_leave', 'left', name='memberstatus', native_enum=False, length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_member_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['auth_user.id'], name=op.f('fk_grid_member_user_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_member')),
    sa.UniqueConstraint('user_id', name=op.f('uq_grid_member_user_id'))
    )
    with op.batch_alter_table('grid_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_member_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_member_phone'), ['phone'], unique=False)

    op.create_table('grid_patrol',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('planned', 'under_way', 'ended', name='patrolstatus', native_enum=False, length=16), nullable=False),
    sa.Column('planned_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('started_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['auth_user.id'], name=op.f('fk_grid_patrol_created_by_id_auth_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_patrol_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['auth_user.id'], name=op.f('fk_grid_patrol_verified_by_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_patrol'))
    )
    with op.batch_alter_table('grid_patrol', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_patrol_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_patrol_planned_at'), ['planned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_patrol_verified_at'), ['verified_at'], unique=False)

    op.create_table('grid_publicity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Enum('anti_fraud', 'fire', 'road_safety', 'drugs', 'other', name='publicitytopic', native_enum=False, length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=True),
    sa.Column('held_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('audience', sa.Integer(), nullable=False),
    sa.Column('materials', sa.Integer(), nullable=False),
    sa.Column('held_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['address_id'], ['places_address.id'], name=op.f('fk_grid_publicity_address_id_places_address')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_publicity_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['held_by_id'], ['auth_user.id'], name=op.f('fk_grid_publicity_held_by_id_auth_user')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['auth_user.id'], name=op.f('fk_grid_publicity_verified_by_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_publicity'))
    )
    with op.batch_alter_table('grid_publicity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_publicity_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_publicity_held_at'), ['held_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_publicity_held_by_id'), ['held_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_publicity_verified_at'), ['verified_at'], unique=False)

    op.create_table('grid_checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patrol_id', sa.Integer(), nullable=False),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['auth_user.id'], name=op.f('fk_grid_checkin_by_id_auth_user')),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['grid_checkpoint.id'], name=op.f('fk_grid_checkin_checkpoint_id_grid_checkpoint')),
    sa.ForeignKeyConstraint(['patrol_id'], ['grid_patrol.id'], name=op.f('fk_grid_checkin_patrol_id_grid_patrol'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_checkin')),
    sa.UniqueConstraint('patrol_id', 'checkpoint_id', name='uq_grid_checkin_point')
    )
    with op.batch_alter_table('grid_checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_checkin_patrol_id'), ['patrol_id'], unique=False)

    op.create_table('grid_collection_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['auth_user.id'], name=op.f('fk_grid_collection_version_by_id_auth_user')),
    sa.ForeignKeyConstraint(['collection_id'], ['grid_collection.id'], name=op.f('fk_grid_collection_version_collection_id_grid_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_collection_version')),
    sa.UniqueConstraint('collection_id', 'version', name='uq_grid_collection_version')
    )
    op.create_table('grid_patrol_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patrol_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['grid_member.id'], name=op.f('fk_grid_patrol_member_member_id_grid_member')),
    sa.ForeignKeyConstraint(['patrol_id'], ['grid_patrol.id'], name=op.f('fk_grid_patrol_member_patrol_id_grid_patrol'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['auth_user.id'], name=op.f('fk_grid_patrol_member_user_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_patrol_member'))
    )
    with op.batch_alter_table('grid_patrol_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_patrol_member_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_patrol_member_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_patrol_member_user_id'), ['user_id'], unique=False)

    op.create_table('grid_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('safety_hazard', 'dispute', 'suspicious_person', 'wildlife', 'fire_risk', 'rental_house', 'fraud_lead', 'other', name='reportcategory', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'accepted', 'handled', 'handed_over', 'fed_back', 'closed', 'linked', name='reportstatus', native_enum=False, length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=True),
    sa.Column('address_text', sa.String(length=200), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('occurred_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('is_complex', sa.Boolean(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('accepted_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('handover_to', sa.Enum('mediation', 'cases', 'department', name='handovertarget', native_enum=False, length=16), nullable=True),
    sa.Column('handover_ref', sa.String(length=200), nullable=True),
    sa.Column('fed_back_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('closed_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('patrol_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['auth_user.id'], name=op.f('fk_grid_report_accepted_by_id_auth_user')),
    sa.ForeignKeyConstraint(['address_id'], ['places_address.id'], name=op.f('fk_grid_report_address_id_places_address')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['grid_report.id'], name=op.f('fk_grid_report_duplicate_of_id_grid_report')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_report_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['patrol_id'], ['grid_patrol.id'], name=op.f('fk_grid_report_patrol_id_grid_patrol')),
    sa.ForeignKeyConstraint(['reporter_id'], ['auth_user.id'], name=op.f('fk_grid_report_reporter_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_report')),
    sa.UniqueConstraint('reporter_id', 'idempotency_key', name='uq_grid_report_idempotency')
    )
    with op.batch_alter_table('grid_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_report_address_id'), ['address_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_grid_report_grid_submitted', ['grid_id', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_report_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('grid_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('collection', 'patrol', 'publicity', name='targetkind', native_enum=False, length=16), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_target_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['member_id'], ['grid_member.id'], name=op.f('fk_grid_target_member_id_grid_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_target')),
    sa.UniqueConstraint('year', 'grid_id', 'member_id', 'kind', name='uq_grid_target')
    )
    with op.batch_alter_table('grid_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_target_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_target_member_id'), ['member_id'], unique=False)

    op.create_table('grid_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('publicity_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=16), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['auth_user.id'], name=op.f('fk_grid_photo_added_by_id_auth_user')),
    sa.ForeignKeyConstraint(['publicity_id'], ['grid_publicity.id'], name=op.f('fk_grid_photo_publicity_id_grid_publicity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['grid_report.id'], name=op.f('fk_grid_photo_report_id_grid_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_photo')),
    sa.UniqueConstraint('publicity_id', 'sha256', name='uq_grid_photo_publicity_content'),
    sa.UniqueConstraint('report_id', 'sha256', name='uq_grid_photo_content')
    )
    with op.batch_alter_table('grid_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_photo_publicity_id'), ['publicity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_photo_report_id'), ['report_id'], unique=False)

    op.create_table('grid_video_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('caller_id', sa.Integer(), nullable=False),
    sa.Column('callee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('ringing', 'connected', 'ended', 'declined', name='videostatus', native_enum=False, length=16), nullable=False),
    sa.Column('rang_at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', pingan.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['callee_id'], ['auth_user.id'], name=op.f('fk_grid_video_call_callee_id_auth_user')),
    sa.ForeignKeyConstraint(['caller_id'], ['auth_user.id'], name=op.f('fk_grid_video_call_caller_id_auth_user')),
    sa.ForeignKeyConstraint(['report_id'], ['grid_report.id'], name=op.f('fk_grid_video_call_report_id_grid_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['grid_photo.id'], name=op.f('fk_grid_video_call_snapshot_id_grid_photo'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_video_call'))
    )
    with op.batch_alter_table('grid_video_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_video_call_callee_id'), ['callee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_video_call_report_id'), ['report_id'], unique=False)

    op.create_table('grid_video_signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('at', pingan.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['grid_video_call.id'], name=op.f('fk_grid_video_signal_call_id_grid_video_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['auth_user.id'], name=op.f('fk_grid_video_signal_recipient_id_auth_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_video_signal'))
    )
    with op.batch_alter_table('grid_video_signal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_video_signal_call_id'), ['call_id'], unique=False)
        batch_op.create_index('ix_grid_video_signal_recipient', ['recipient_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('grid_video_signal', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_video_signal_recipient')
        batch_op.drop_index(batch_op.f('ix_grid_video_signal_call_id'))

    op.drop_table('grid_video_signal')
    with op.batch_alter_table('grid_video_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_video_call_report_id'))
        batch_op.drop_index(batch_op.f('ix_grid_video_call_callee_id'))

    op.drop_table('grid_video_call')
    with op.batch_alter_table('grid_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_photo_report_id'))
        batch_op.drop_index(batch_op.f('ix_grid_photo_publicity_id'))

    op.drop_table('grid_photo')
    with op.batch_alter_table('grid_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_target_member_id'))
        batch_op.drop_index(batch_op.f('ix_grid_target_grid_id'))

    op.drop_table('grid_target')
    with op.batch_alter_table('grid_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_report_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_grid_report_status'))
        batch_op.drop_index(batch_op.f('ix_grid_report_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_grid_report_patrol_id'))
        batch_op.drop_index('ix_grid_report_grid_submitted')
        batch_op.drop_index(batch_op.f('ix_grid_report_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_grid_report_category'))
        batch_op.drop_index(batch_op.f('ix_grid_report_address_id'))

    op.drop_table('grid_report')
    with op.batch_alter_table('grid_patrol_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_patrol_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_grid_patrol_member_patrol_id'))
        batch_op.drop_index(batch_op.f('ix_grid_patrol_member_member_id'))

    op.drop_table('grid_patrol_member')
    op.drop_table('grid_collection_version')
    with op.batch_alter_table('grid_checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_checkin_patrol_id'))

    op.drop_table('grid_checkin')
    with op.batch_alter_table('grid_publicity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_publicity_verified_at'))
        batch_op.drop_index(batch_op.f('ix_grid_publicity_held_by_id'))
        batch_op.drop_index(batch_op.f('ix_grid_publicity_held_at'))
        batch_op.drop_index(batch_op.f('ix_grid_publicity_grid_id'))

    op.drop_table('grid_publicity')
    with op.batch_alter_table('grid_patrol', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_patrol_verified_at'))
        batch_op.drop_index(batch_op.f('ix_grid_patrol_planned_at'))
        batch_op.drop_index(batch_op.f('ix_grid_patrol_grid_id'))

    op.drop_table('grid_patrol')
    with op.batch_alter_table('grid_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_member_phone'))
        batch_op.drop_index(batch_op.f('ix_grid_member_grid_id'))

    op.drop_table('grid_member')
    with op.batch_alter_table('grid_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_coverage_officer_id'))

    op.drop_table('grid_coverage')
    with op.batch_alter_table('grid_collection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_collection_verified_at'))
        batch_op.drop_index(batch_op.f('ix_grid_collection_grid_id'))
        batch_op.drop_index(batch_op.f('ix_grid_collection_collected_by_id'))
        batch_op.drop_index(batch_op.f('ix_grid_collection_collected_at'))

    op.drop_table('grid_collection')
    with op.batch_alter_table('grid_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_call_status'))
        batch_op.drop_index(batch_op.f('ix_grid_call_station_id'))
        batch_op.drop_index(batch_op.f('ix_grid_call_repeat_of_id'))
        batch_op.drop_index(batch_op.f('ix_grid_call_received_at'))
        batch_op.drop_index(batch_op.f('ix_grid_call_phone'))
        batch_op.drop_index(batch_op.f('ix_grid_call_grid_id'))
        batch_op.drop_index(batch_op.f('ix_grid_call_address_id'))

    op.drop_table('grid_call')
    with op.batch_alter_table('grid_checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_checkpoint_grid_id'))

    op.drop_table('grid_checkpoint')
    with op.batch_alter_table('grid_event', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_event_owner')

    op.drop_table('grid_event')
