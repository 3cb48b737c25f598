"""online phase: dates per event, format and origin online

Any event can have an online phase (first and last day), when its questions are open to people
without a table; an event of format "online" is only that. Ideas written there have origin
"online", so the check constraints of events.format and contributions.origin admit the new value.

Revision ID: 1fd702b1e4a5
Revises: 72280857f54b
Create Date: 2026-12-01 15:14:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1fd702b1e4a5'
down_revision = '72280857f54b'
branch_labels = None
depends_on = None

FORMATS = "'world_cafe', 'workshop', 'multiplier_round', 'interview', 'conference'"
ORIGINS = "'participant', 'host', 'interview', 'paper_scan'"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('online_ends_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('ck_events_format'), type_='check')
        batch_op.create_check_constraint(op.f('ck_events_format'), f"format IN ({FORMATS}, 'online')")
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contributions_origin'), type_='check')
        batch_op.create_check_constraint(op.f('ck_contributions_origin'), f"origin IN ({ORIGINS}, 'online')")


def downgrade():
    op.execute("UPDATE contributions SET origin = 'participant' WHERE origin = 'online'")
    op.execute("UPDATE events SET format = 'world_cafe' WHERE format = 'online'")
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contributions_origin'), type_='check')
        batch_op.create_check_constraint(op.f('ck_contributions_origin'), f"origin IN ({ORIGINS})")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_format'), type_='check')
        batch_op.create_check_constraint(op.f('ck_events_format'), f"format IN ({FORMATS})")
        batch_op.drop_column('online_ends_on')
        batch_op.drop_column('online_starts_on')
