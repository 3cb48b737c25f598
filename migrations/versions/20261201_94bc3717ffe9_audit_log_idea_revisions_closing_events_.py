"""audit log, idea revisions, closing events, staff sessions, retention

For issue 16: `audit_entries` (staff actions, kept AUDIT_RETENTION_DAYS) and `idea_revisions`
(an idea's text before each change); `events.closed_at` (host links stop, phones read only) and
`events.personal_data_purged_at`; `processes.retention_days`; on `users` a session version that
logging out bumps and the count of wrong passwords in a row.

Revision ID: 94bc3717ffe9
Revises: ea5f2956e0e6
Create Date: 2026-12-01 03:17:30.176845

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '94bc3717ffe9'
down_revision = 'ea5f2956e0e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_audit_entries_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_audit_entries_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_process_created', ['process_id', 'created_at'], unique=False)

    op.create_table('idea_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('text_before', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_idea_revisions_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_idea_revisions_table_id_cafe_tables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idea_revisions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_revisions'))
    )
    with op.batch_alter_table('idea_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_revisions_contribution_id'), ['contribution_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('personal_data_purged_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), server_default='365', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_failed_login_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_failed_login_at')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('session_version')

    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_column('retention_days')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('personal_data_purged_at')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('idea_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_revisions_contribution_id'))

    op.drop_table('idea_revisions')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_process_created')

    op.drop_table('audit_entries')
