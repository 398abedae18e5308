"""Each register's two dictionary filters side by side get one index, in the register's order.

干部 职级+干部类别, 负面信息 核实状态+类别, 预警 状态+层级: a page filtered on both, and its capped
count, are read from one index (the scope unit rides along) instead of walking one filter's
index and checking the other on every row. The single-column indexes each composite (new or
already there) begins with are dropped.

Revision ID: 0010_paired_filter_indexes
Revises: 0009_item_scope_unit
Create Date: 2026-12-01 22:28:59.363938

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_paired_filter_indexes"
down_revision = "0009_item_scope_unit"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cadre", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cadre_rank"))
        batch_op.create_index(
            "ix_cadre_rank_category_order",
            ["rank", "category", "unit_id", "name", "id"],
            unique=False,
        )

    with op.batch_alter_table("negative_info", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_negative_info_category"))
        batch_op.drop_index(batch_op.f("ix_negative_info_status"))
        batch_op.create_index(
            "ix_negative_info_status_category_order",
            ["status", "category", "received_on", "id", "scope_unit_id"],
            unique=False,
        )

    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_state"))
        batch_op.create_index(
            "ix_warning_state_tier_order", ["state", "tier", "id", "scope_unit_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_state_tier_order")
        batch_op.create_index(batch_op.f("ix_warning_state"), ["state"], unique=False)

    with op.batch_alter_table("negative_info", schema=None) as batch_op:
        batch_op.drop_index("ix_negative_info_status_category_order")
        batch_op.create_index(batch_op.f("ix_negative_info_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_negative_info_category"), ["category"], unique=False)

    with op.batch_alter_table("cadre", schema=None) as batch_op:
        batch_op.drop_index("ix_cadre_rank_category_order")
        batch_op.create_index(batch_op.f("ix_cadre_rank"), ["rank"], unique=False)
