"""projector link and one open round per event

Revision ID: db1927d83b34
Revises: 4e36cbf161d3
Create Date: 2026-11-25 16:05:08.011881

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db1927d83b34'
down_revision = '4e36cbf161d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('projector_token', sa.String(length=64), nullable=True))

    # Events made before this revision get their own secret projector link.
    connection = op.get_bind()
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('projector_token', sa.String))
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(events.update().where(events.c.id == event_id)
                           .values(projector_token=secrets.token_urlsafe(32)))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('projector_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_events_projector_token'), ['projector_token'])

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index('uq_rounds_one_open_per_event', ['event_id'], unique=True, sqlite_where=sa.text("state IN ('running', 'paused')"), postgresql_where=sa.text("state IN ('running', 'paused')"))



def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index('uq_rounds_one_open_per_event', sqlite_where=sa.text("state IN ('running', 'paused')"), postgresql_where=sa.text("state IN ('running', 'paused')"))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_projector_token'), type_='unique')
        batch_op.drop_column('projector_token')

