"""the process around the cafe: actors, invitations, interviews, comments, decisions

A register of local actors and experts with personal links; workshops bound to an action field;
interviews whose statements are ideas; comments on goal nodes and snapshots from actors and the
steering group; the steering group's decision log.

Revision ID: 3c3593ebc8b6
Revises: 8799a76cc4d6
Create Date: 2026-12-01 17:28:11.691227

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c3593ebc8b6'
down_revision = '8799a76cc4d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('actors',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('contact', sa.String(length=300), server_default='', nullable=False),
    sa.Column('languages', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('field_ids', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('token', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('association', 'institution', 'expert', 'person', 'other')", name=op.f('ck_actors_kind')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_actors_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actors')),
    sa.UniqueConstraint('token', name=op.f('uq_actors_token')),
    sa.UniqueConstraint('uuid', name=op.f('uq_actors_uuid'))
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_process_id'), ['process_id'], unique=False)

    op.create_table('decisions',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('meeting', sa.String(length=200), server_default='', nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_decisions_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_decisions_uuid'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_process_id'), ['process_id'], unique=False)

    op.create_table('comments',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=True),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('agree', 'concern', 'comment', 'answer')", name=op.f('ck_comments_kind')),
    sa.CheckConstraint('node_id IS NOT NULL OR snapshot_id IS NOT NULL', name=op.f('ck_comments_has_subject')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_comments_actor_id_actors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['node_id'], ['goal_nodes.id'], name=op.f('fk_comments_node_id_goal_nodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_comments_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_comments_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_comments_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comments_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_comments_uuid'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('decision_nodes',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_nodes_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['node_id'], ['goal_nodes.id'], name=op.f('fk_decision_nodes_node_id_goal_nodes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'node_id', name=op.f('pk_decision_nodes'))
    )
    op.create_table('event_invitations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_event_invitations_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_invitations_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'actor_id', name=op.f('pk_event_invitations'))
    )
    op.create_table('goal_node_actors',
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_goal_node_actors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['node_id'], ['goal_nodes.id'], name=op.f('fk_goal_node_actors_node_id_goal_nodes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('node_id', 'actor_id', name=op.f('pk_goal_node_actors'))
    )
    op.create_table('interviews',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=200), server_default='', nullable=False),
    sa.Column('organisation', sa.String(length=200), server_default='', nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_interviews_actor_id_actors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_interviews_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('uuid', name=op.f('uq_interviews_uuid'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contributions_interview_id'), ['interview_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contributions_interview_id_interviews'), 'interviews', ['interview_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_field_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_events_action_field_id_action_fields'), 'action_fields', ['action_field_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participants_actor_id_actors'), 'actors', ['actor_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_actor_id_actors'), type_='foreignkey')
        batch_op.drop_column('actor_id')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_action_field_id_action_fields'), type_='foreignkey')
        batch_op.drop_column('action_field_id')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_interview_id_interviews'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contributions_interview_id'))
        batch_op.drop_column('interview_id')

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_event_id'))

    op.drop_table('interviews')
    op.drop_table('goal_node_actors')
    op.drop_table('event_invitations')
    op.drop_table('decision_nodes')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_snapshot_id'))
        batch_op.drop_index(batch_op.f('ix_comments_process_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_node_id'))

    op.drop_table('comments')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_process_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_process_id'))

    op.drop_table('actors')
