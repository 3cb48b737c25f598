"""projector scenes and personal numbers

The console chooses what the projector shows (question, live wall, vote, rotation plan, pause);
every participant gets a short number within the event, shown on the phone, so the projector's
rotation plan can name people who gave no nickname. Existing participants are numbered in the
order they joined.

Revision ID: 34d171fc0a9f
Revises: 95957d1b96c2
Create Date: 2026-12-01 13:49:23.937403

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '34d171fc0a9f'
down_revision = '95957d1b96c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('projector_scene', sa.String(length=10), server_default='question', nullable=False))
        batch_op.add_column(sa.Column('participants_joined', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_events_projector_scene'), "projector_scene IN ('question', 'wall', 'vote', 'rotation', 'pause')")

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))

    participants = sa.table('participants', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
                            sa.column('number', sa.Integer))
    numbered = sa.select(participants.c.id, sa.func.row_number().over(
        partition_by=participants.c.event_id, order_by=participants.c.id).label('n')).subquery()
    op.execute(participants.update().values(number=sa.select(numbered.c.n).where(numbered.c.id == participants.c.id)
                                            .scalar_subquery()))
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('participants_joined', sa.Integer))
    op.execute(events.update().values(participants_joined=sa.select(sa.func.coalesce(sa.func.max(participants.c.number), 0))
                                      .where(participants.c.event_id == events.c.id).scalar_subquery()))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_participants_event_id_number'), ['event_id', 'number'])



def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_participants_event_id_number'), type_='unique')
        batch_op.drop_column('number')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_projector_scene'), type_='check')
        batch_op.drop_column('participants_joined')
        batch_op.drop_column('projector_scene')

