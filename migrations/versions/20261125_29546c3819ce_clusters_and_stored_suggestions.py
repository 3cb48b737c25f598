"""clusters and stored suggestions

Revision ID: 29546c3819ce
Revises: ca008a1bff9b
Create Date: 2026-11-25 16:55:56.162485

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '29546c3819ce'
down_revision = 'ca008a1bff9b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cluster_candidates',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('contribution_ids', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_cluster_candidates_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_candidates')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cluster_candidates_uuid'))
    )
    with op.batch_alter_table('cluster_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_candidates_process_id'), ['process_id'], unique=False)

    op.create_table('clusters',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('action_field_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_field_id'], ['action_fields.id'], name=op.f('fk_clusters_action_field_id_action_fields'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_clusters_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters')),
    sa.UniqueConstraint('uuid', name=op.f('uq_clusters_uuid'))
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clusters_action_field_id'), ['action_field_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clusters_process_id'), ['process_id'], unique=False)

    op.create_table('suggestions',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('action_field_id', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('runner_up_id', sa.Integer(), nullable=True),
    sa.Column('runner_up_confidence', sa.Float(), nullable=True),
    sa.Column('rejected_field_ids', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_suggestions_confidence_range')),
    sa.ForeignKeyConstraint(['action_field_id'], ['action_fields.id'], name=op.f('fk_suggestions_action_field_id_action_fields'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_suggestions_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_up_id'], ['action_fields.id'], name=op.f('fk_suggestions_runner_up_id_action_fields'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions')),
    sa.UniqueConstraint('contribution_id', name=op.f('uq_suggestions_contribution_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_suggestions_uuid'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cluster_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contributions_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contributions_cluster_id_clusters'), 'clusters', ['cluster_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suggestions_stale_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suggestions_computing_since', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suggestions_computed_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_column('suggestions_computed_at')
        batch_op.drop_column('suggestions_computing_since')
        batch_op.drop_column('suggestions_stale_at')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_cluster_id_clusters'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contributions_cluster_id'))
        batch_op.drop_column('cluster_id')

    op.drop_table('suggestions')
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clusters_process_id'))
        batch_op.drop_index(batch_op.f('ix_clusters_action_field_id'))

    op.drop_table('clusters')
    with op.batch_alter_table('cluster_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_candidates_process_id'))

    op.drop_table('cluster_candidates')
