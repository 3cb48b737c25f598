"""goal tree, indicators, snapshots

Revision ID: f62881e81420
Revises: 29546c3819ce
Create Date: 2026-11-25 17:42:05.795177

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f62881e81420'
down_revision = '29546c3819ce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('snapshots',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_snapshots_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_snapshots_process_id_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_snapshots_uuid'))
    )
    op.create_table('goal_nodes',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('action_field_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('description', sa.JSON(), nullable=False),
    sa.Column('responsible', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('leitziel', 'handlungsfeld', 'ziel', 'teilziel', 'massnahme')", name=op.f('ck_goal_nodes_kind')),
    sa.CheckConstraint("parent_id IS NOT NULL OR kind = 'leitziel'", name=op.f('ck_goal_nodes_root_is_leitziel')),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')", name=op.f('ck_goal_nodes_status')),
    sa.CheckConstraint('starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on', name=op.f('ck_goal_nodes_timeframe')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_goal_nodes_weight_not_negative')),
    sa.ForeignKeyConstraint(['action_field_id'], ['action_fields.id'], name=op.f('fk_goal_nodes_action_field_id_action_fields'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['goal_nodes.id'], name=op.f('fk_goal_nodes_parent_id_goal_nodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_goal_nodes_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_nodes')),
    sa.UniqueConstraint('uuid', name=op.f('uq_goal_nodes_uuid'))
    )
    with op.batch_alter_table('goal_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_nodes_action_field_id'), ['action_field_id'], unique=False)
        batch_op.create_index('ix_goal_nodes_process_parent', ['process_id', 'parent_id'], unique=False)

    op.create_table('indicators',
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.JSON(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('data_source', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['goal_nodes.id'], name=op.f('fk_indicators_node_id_goal_nodes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('uuid', name=op.f('uq_indicators_uuid'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_node_id'), ['node_id'], unique=False)

    op.create_table('goal_node_ideas',
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_goal_node_ideas_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['node_id'], ['goal_nodes.id'], name=op.f('fk_goal_node_ideas_node_id_goal_nodes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_node_ideas')),
    sa.UniqueConstraint('node_id', 'contribution_id', name=op.f('uq_goal_node_ideas_node_id_contribution_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_goal_node_ideas_uuid'))
    )
    with op.batch_alter_table('goal_node_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_node_ideas_contribution_id'), ['contribution_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'measured_on', name=op.f('uq_indicator_values_indicator_id_measured_on')),
    sa.UniqueConstraint('uuid', name=op.f('uq_indicator_values_uuid'))
    )


def downgrade():
    op.drop_table('indicator_values')
    with op.batch_alter_table('goal_node_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_node_ideas_contribution_id'))

    op.drop_table('goal_node_ideas')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_node_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('goal_nodes', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_nodes_process_parent')
        batch_op.drop_index(batch_op.f('ix_goal_nodes_action_field_id'))

    op.drop_table('goal_nodes')
    op.drop_table('snapshots')
