"""pre-moderated online phase: ideas awaiting release

An event's online phase may show ideas to others only after a moderator released them; such an
idea waits hidden, marked as awaiting release, and the moderators' "show again" releases it.

Revision ID: 52e0fffcb3b4
Revises: 1fd702b1e4a5
Create Date: 2026-12-01 15:17:03.573794

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '52e0fffcb3b4'
down_revision = '1fd702b1e4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_release', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_premoderated', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('online_premoderated')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_column('awaiting_release')

