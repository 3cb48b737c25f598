"""accepted batches: accept all suggestions, undone as one step

The board's "accept all above X %" keeps which ideas it sent to which field, one batch per
process, so that "undo" sends exactly those back to unsorted.

Revision ID: af0b3f968abf
Revises: 34d171fc0a9f
Create Date: 2026-12-01 14:49:05.082031

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'af0b3f968abf'
down_revision = '34d171fc0a9f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accepted_batches',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('ideas', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_accepted_batches_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('process_id', name=op.f('pk_accepted_batches'))
    )


def downgrade():
    op.drop_table('accepted_batches')
