"""execution monitoring: dated spending and indicator actuals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 12:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def _recorded() -> list[sa.Column[Any]]:
    return [
        sa.Column("source", _STRING(length=16), nullable=False),
        sa.Column("recorded_by", _STRING(length=255), nullable=False),
        sa.Column("recorded_at", _TIME(), nullable=False),
        sa.Column("withdrawn_at", _TIME(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "spending_actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_code", _STRING(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("budget_at_entry", sa.Float(), nullable=True),
        *_recorded(),
        sa.Column("note", _STRING(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("spending_actual", schema=None) as batch_op:
        batch_op.create_index(
            "ix_spending_actual_project_date", ["project_code", "as_of"], unique=False
        )
    op.create_table(
        "indicator_actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_code", _STRING(length=64), nullable=False),
        sa.Column("indicator_name", _STRING(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("value_text", _STRING(), nullable=False),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("forecast_text", _STRING(), nullable=True),
        sa.Column("forecast_number", sa.Float(), nullable=True),
        sa.Column("reason_category", _STRING(length=16), nullable=True),
        sa.Column("reason_text", _STRING(), nullable=True),
        sa.Column("likelihood", _STRING(length=16), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicator_actual", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_actual_target",
            ["project_code", "indicator_name", "as_of"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator_actual", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_actual_target")
    op.drop_table("indicator_actual")
    with op.batch_alter_table("spending_actual", schema=None) as batch_op:
        batch_op.drop_index("ix_spending_actual_project_date")
    op.drop_table("spending_actual")
