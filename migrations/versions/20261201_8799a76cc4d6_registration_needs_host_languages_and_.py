"""registration, needs, host languages and interpreters at tables

A person can register before the event (the same participant row, so their personal link is also
their join and return link), with needs kept only under explicit consent; hosts get a name and
languages, interpreters a table per round, so rotation can keep people with their language.

Revision ID: 8799a76cc4d6
Revises: 52e0fffcb3b4
Create Date: 2026-12-01 16:29:35.504446

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8799a76cc4d6'
down_revision = '52e0fffcb3b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interpreter_assignments',
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_interpreter_assignments_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_interpreter_assignments_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_interpreter_assignments_table_id_cafe_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpreter_assignments')),
    sa.UniqueConstraint('membership_id', 'round_id', name=op.f('uq_interpreter_assignments_membership_id_round_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_interpreter_assignments_uuid'))
    )
    with op.batch_alter_table('interpreter_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpreter_assignments_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interpreter_assignments_table_id'), ['table_id'], unique=False)

    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('host_languages', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_open', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('registration_capacity', sa.Integer(), nullable=True))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('registration_state', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('needs_consented_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('interpretation_language', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('childcare_ages', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('step_free', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('other_needs', sa.String(length=500), server_default='', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_participants_registration_state'),
            "registration_state IS NULL OR registration_state IN ('registered', 'waiting', 'cancelled')")



def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participants_registration_state'), type_='check')
        batch_op.drop_column('other_needs')
        batch_op.drop_column('step_free')
        batch_op.drop_column('childcare_ages')
        batch_op.drop_column('interpretation_language')
        batch_op.drop_column('needs_consented_at')
        batch_op.drop_column('email')
        batch_op.drop_column('name')
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('registered_at')
        batch_op.drop_column('registration_state')
        batch_op.drop_column('languages')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('registration_capacity')
        batch_op.drop_column('registration_open')

    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.drop_column('host_languages')
        batch_op.drop_column('host_name')

    with op.batch_alter_table('interpreter_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interpreter_assignments_table_id'))
        batch_op.drop_index(batch_op.f('ix_interpreter_assignments_round_id'))

    op.drop_table('interpreter_assignments')
