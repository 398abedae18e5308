"""Records about a cadre keep the unit they count under (the cadre's current one), indexed.

Talks, inquiries, warnings and negative-information items get `scope_unit_id`: the data scope
and the unit filter become one indexed IN over the record's own column instead of "its cadre is
in the subtree" (and, for an item, "or no cadre and its own unit is"). Also: the open
obligations a role owes with nobody named, for 我的待办.

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

# table → the columns behind scope_unit_id in its index (the list's order).
ORDERS = {
    'negative_info': ('received_on', 'id'),
    'talk': ('started_at', 'id'),
    'inquiry': ('issued_on', 'id'),
    'warning': ('id',),
}
INDEX_NAMES = {
    'negative_info': 'ix_negative_info_scope_received_id',
    'talk': 'ix_talk_scope_started_id',
    'inquiry': 'ix_inquiry_scope_issued_id',
    'warning': 'ix_warning_scope_id',
}


# The order indexes that take the scope unit as a last column (index-only scoped pages).
ORDER_INDEXES = {
    'negative_info': ('ix_negative_info_received_id', 'ix_negative_info_received_id_scope'),
    'talk': ('ix_talk_started_id', 'ix_talk_started_id_scope'),
    'warning': (None, 'ix_warning_id_scope'),
}


def upgrade():
    for table, order in ORDERS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('scope_unit_id', sa.Integer(), nullable=True))
        # The cadre's current unit (an unlinked item: its own), as the scope tested it per row.
        fallback = 'unit_id' if table == 'negative_info' else 'NULL'
        op.execute(
            f"UPDATE {table} SET scope_unit_id = COALESCE("
            f"(SELECT cadre.unit_id FROM cadre WHERE cadre.id = {table}.cadre_id), {fallback})"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('scope_unit_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(INDEX_NAMES[table], ['scope_unit_id', *order], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_scope_unit_id_org_unit'), 'org_unit', ['scope_unit_id'], ['id']
            )
            old, new = ORDER_INDEXES.get(table, (None, None))
            if old:
                batch_op.drop_index(old)
            if new:
                batch_op.create_index(new, [*ORDERS[table], 'scope_unit_id'], unique=False)


    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.create_index(
            'ix_obligation_open_role', ['step_role'], unique=False,
            sqlite_where=sa.text('closed_at IS NULL AND responsible_user_id IS NULL'),
            postgresql_where=sa.text('closed_at IS NULL AND responsible_user_id IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.drop_index(
            'ix_obligation_open_role',
            sqlite_where=sa.text('closed_at IS NULL AND responsible_user_id IS NULL'),
            postgresql_where=sa.text('closed_at IS NULL AND responsible_user_id IS NULL'),
        )
    for table in ORDERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            old, new = ORDER_INDEXES.get(table, (None, None))
            if new:
                batch_op.drop_index(new)
            if old:
                batch_op.create_index(old, list(ORDERS[table]), unique=False)
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_scope_unit_id_org_unit'), type_='foreignkey')
            batch_op.drop_index(INDEX_NAMES[table])
            batch_op.drop_column('scope_unit_id')
