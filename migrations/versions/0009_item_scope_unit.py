"""Each negative-information item's scope unit (its cadre's current unit, else its own), indexed.

Revision ID: 0009_item_scope_unit
Revises: 0008_dashboard_figures
Create Date: 2026-12-01 18:30:49.209594

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_item_scope_unit'
down_revision = '0008_dashboard_figures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('negative_info', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_unit_id', sa.Integer(), nullable=True))
    # The cadre's current unit, else the unit as reported: what the scope tested row by row.
    op.execute(
        "UPDATE negative_info SET scope_unit_id = COALESCE("
        "(SELECT cadre.unit_id FROM cadre WHERE cadre.id = negative_info.cadre_id), unit_id)"
    )
    with op.batch_alter_table('negative_info', schema=None) as batch_op:
        batch_op.alter_column('scope_unit_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_negative_info_scope_received_id', ['scope_unit_id', 'received_on', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_negative_info_scope_unit_id_org_unit'), 'org_unit', ['scope_unit_id'], ['id'])


def downgrade():
    with op.batch_alter_table('negative_info', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_negative_info_scope_unit_id_org_unit'), type_='foreignkey')
        batch_op.drop_index('ix_negative_info_scope_received_id')
        batch_op.drop_column('scope_unit_id')
