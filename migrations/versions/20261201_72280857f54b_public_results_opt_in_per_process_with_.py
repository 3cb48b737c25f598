"""public results: opt-in per process, with the downloads to publish

Off for every process, including existing ones: a town publishes its results when it decides to.

Revision ID: 72280857f54b
Revises: af0b3f968abf
Create Date: 2026-12-01 15:05:27.105374

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '72280857f54b'
down_revision = 'af0b3f968abf'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('published_downloads', sa.String(length=200), server_default='', nullable=False))

def downgrade():
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_column('published_downloads')
        batch_op.drop_column('results_public')

