"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('data_element', sa.String(length=64), nullable=True),
    sa.Column('org_unit', sa.String(length=64), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_entity'), ['entity'], unique=False)

    op.create_table('data_element',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value_type', sa.String(length=8), nullable=False),
    sa.Column('aggregation', sa.String(length=8), nullable=False),
    sa.Column('recorded_at', sa.String(length=8), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('minimum', sa.Float(), nullable=True),
    sa.Column('maximum', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_data_element'))
    )
    op.create_table('indicator',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('plan_code', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.Column('polarity', sa.String(length=16), nullable=False),
    sa.Column('display', sa.String(length=8), nullable=False),
    sa.Column('numerator', sa.Text(), nullable=False),
    sa.Column('denominator', sa.Text(), nullable=True),
    sa.Column('factor', sa.Float(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicator'))
    )
    op.create_table('org_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('urban_rural', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_org_unit_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_org_unit_code'))
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_unit_parent_id'), ['parent_id'], unique=False)

    op.create_table('plan',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('org_unit', sa.String(length=64), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_plan'))
    )
    op.create_table('data_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_element', sa.String(length=64), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('disaggregation', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['data_element'], ['data_element.code'], name=op.f('fk_data_value_data_element_data_element')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_data_value_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_value')),
    sa.UniqueConstraint('data_element', 'org_unit_id', 'period', 'disaggregation', name=op.f('uq_data_value_data_element'))
    )
    with op.batch_alter_table('data_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_value_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index('ix_data_value_period', ['period'], unique=False)

    op.create_table('facility_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('specialty', sa.String(length=32), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=True),
    sa.Column('ownership', sa.String(length=8), nullable=False),
    sa.Column('host', sa.String(length=16), nullable=True),
    sa.Column('urban_rural', sa.String(length=8), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('central', sa.Boolean(), nullable=False),
    sa.Column('groups', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['org_unit.id'], name=op.f('fk_facility_version_facility_id_org_unit')),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_facility_version_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_version')),
    sa.UniqueConstraint('facility_id', 'valid_from', name=op.f('uq_facility_version_facility_id'))
    )
    with op.batch_alter_table('facility_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_version_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facility_version_parent_id'), ['parent_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_code', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('org_unit', sa.String(length=64), nullable=True),
    sa.Column('op', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_high', sa.Float(), nullable=True),
    sa.Column('tolerance', sa.Float(), nullable=True),
    sa.Column('tolerance_relative', sa.Boolean(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('nature', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('judgement', sa.String(length=16), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_code'], ['plan.code'], name=op.f('fk_target_plan_code_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target'))
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_plan_code'), ['plan_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_plan_code'))

    op.drop_table('target')
    with op.batch_alter_table('facility_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_version_parent_id'))
        batch_op.drop_index(batch_op.f('ix_facility_version_facility_id'))

    op.drop_table('facility_version')
    with op.batch_alter_table('data_value', schema=None) as batch_op:
        batch_op.drop_index('ix_data_value_period')
        batch_op.drop_index(batch_op.f('ix_data_value_org_unit_id'))

    op.drop_table('data_value')
    op.drop_table('plan')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_org_unit_level'))

    op.drop_table('org_unit')
    op.drop_table('indicator')
    op.drop_table('data_element')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity'))

    op.drop_table('audit_log')
