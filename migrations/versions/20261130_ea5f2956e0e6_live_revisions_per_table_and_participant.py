"""live revisions per table and participant

Phones no longer follow the event's one revision, which every idea anywhere moved: they follow
`events.phones_revision` (rounds, the vote, the event's settings), their table's `revision` (its
ideas) and their own `participants.revision` (their seat). `events.revision` still counts every
change, for the console and the projector.

Revision ID: ea5f2956e0e6
Revises: cff276f6ac8f
Create Date: 2026-11-30 19:55:08.614161

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ea5f2956e0e6'
down_revision = 'cff276f6ac8f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phones_revision', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('revision')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('phones_revision')

    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.drop_column('revision')
