"""round undos: what the console can take back for two minutes

"Runde beenden" and "Nächste Runde starten" keep the round they ended (with its time left) and the
seats the started round had, so the moderator can undo an accidental click.

Revision ID: 95957d1b96c2
Revises: 2540a149438e
Create Date: 2026-12-01 13:41:39.683118

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '95957d1b96c2'
down_revision = '2540a149438e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_undos',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_round_undos_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_round_undos'))
    )


def downgrade():
    op.drop_table('round_undos')
