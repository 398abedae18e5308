"""A scoped user's count of two filters side by side seeks each unit in scope.

负面信息 核实状态+类别 and 预警 状态+层级: the paired order indexes (0010) keep the scope unit
last, so a district's count walked the whole province's pair to find its own few hundred rows
(at a province's scale 12–16 ms). These lead with the scope unit.

Revision ID: 0011_scoped_filter_count_indexes
Revises: 0010_paired_filter_indexes
Create Date: 2026-12-02 01:59:18.605399

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_scoped_filter_count_indexes"
down_revision = "0010_paired_filter_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("negative_info", schema=None) as batch_op:
        batch_op.create_index(
            "ix_negative_info_scope_status_category",
            ["scope_unit_id", "status", "category"],
            unique=False,
        )

    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.create_index(
            "ix_warning_scope_state_tier", ["scope_unit_id", "state", "tier"], unique=False
        )


def downgrade():
    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_scope_state_tier")

    with op.batch_alter_table("negative_info", schema=None) as batch_op:
        batch_op.drop_index("ix_negative_info_scope_status_category")
