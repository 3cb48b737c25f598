"""hosts, photos, votes, merges, moderation

Revision ID: d16f556d6d57
Revises: db1927d83b34
Create Date: 2026-11-25 16:23:22.783385

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd16f556d6d57'
down_revision = 'db1927d83b34'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_summaries',
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_summaries_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_round_summaries_table_id_cafe_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_summaries')),
    sa.UniqueConstraint('table_id', 'round_id', name=op.f('uq_round_summaries_table_id_round_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_round_summaries_uuid'))
    )
    op.create_table('table_photos',
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name=op.f('ck_table_photos_content_type')),
    sa.CheckConstraint('byte_size > 0', name=op.f('ck_table_photos_byte_size_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_table_photos_round_id_rounds'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_table_photos_table_id_cafe_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_table_photos')),
    sa.UniqueConstraint('uuid', name=op.f('uq_table_photos_uuid'))
    )
    with op.batch_alter_table('table_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_table_photos_table_id'), ['table_id'], unique=False)

    op.create_table('merges',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('source_status', sa.String(length=14), nullable=False),
    sa.Column('returned_votes', sa.JSON(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_merges_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['contributions.id'], name=op.f('fk_merges_source_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_merges_table_id_cafe_tables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_id'], ['contributions.id'], name=op.f('fk_merges_target_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_merges_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges')),
    sa.UniqueConstraint('uuid', name=op.f('uq_merges_uuid'))
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merges_event_id'), ['event_id'], unique=False)

    op.create_table('votes',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('original_contribution_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_votes_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_contribution_id'], ['contributions.id'], name=op.f('fk_votes_original_contribution_id_contributions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_votes_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('uuid', name=op.f('uq_votes_uuid'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index('ix_votes_participant_contribution', ['participant_id', 'contribution_id'], unique=False)

    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_seen_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contributions_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contributions_merged_into_id_contributions'), 'contributions', ['merged_into_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rotation_enabled', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('vote_state', sa.String(length=10), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('vote_dots', sa.Integer(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('vote_max_per_idea', sa.Integer(), nullable=False, server_default='3'))
        batch_op.create_check_constraint(op.f('ck_events_vote_state'), "vote_state IN ('none', 'open', 'closed')")
        batch_op.create_check_constraint(
            op.f('ck_events_vote_limits'), "vote_dots BETWEEN 1 AND 50 AND vote_max_per_idea BETWEEN 1 AND vote_dots")



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_vote_limits'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_vote_state'), type_='check')
        batch_op.drop_column('vote_max_per_idea')
        batch_op.drop_column('vote_dots')
        batch_op.drop_column('vote_state')
        batch_op.drop_column('rotation_enabled')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_merged_into_id_contributions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contributions_merged_into_id'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.drop_column('host_seen_at')

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_participant_contribution')
        batch_op.drop_index(batch_op.f('ix_votes_contribution_id'))

    op.drop_table('votes')
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merges_event_id'))

    op.drop_table('merges')
    with op.batch_alter_table('table_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_table_photos_table_id'))

    op.drop_table('table_photos')
    op.drop_table('round_summaries')
