"""shared views: answers made once per change for every worker

A table's live fragment is rendered by the first worker that needs it after a change and read by
every other worker and machine from `shared_views`, under the URL that names its revisions.

Revision ID: 2540a149438e
Revises: 94bc3717ffe9
Create Date: 2026-12-01 10:52:19.855737

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2540a149438e'
down_revision = '94bc3717ffe9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shared_views',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('made_at', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_shared_views'))
    )
    with op.batch_alter_table('shared_views', schema=None) as batch_op:
        batch_op.create_index('ix_shared_views_made_at', ['made_at'], unique=False)



def downgrade():
    with op.batch_alter_table('shared_views', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_views_made_at')

    op.drop_table('shared_views')
