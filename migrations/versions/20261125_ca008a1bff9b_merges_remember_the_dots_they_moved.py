"""merges remember the dots they moved

Revision ID: ca008a1bff9b
Revises: d16f556d6d57
Create Date: 2026-11-25 16:26:02.755603

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ca008a1bff9b'
down_revision = 'd16f556d6d57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_votes', sa.JSON(), nullable=False, server_default='[]'))



def downgrade():
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_column('moved_votes')

