"""goal nodes keep quotations of ideas from elsewhere

Revision ID: 8137ac88b911
Revises: f62881e81420
Create Date: 2026-11-25 18:26:43.338839

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8137ac88b911'
down_revision = 'f62881e81420'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goal_nodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quotes', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('goal_nodes', schema=None) as batch_op:
        batch_op.drop_column('quotes')
