"""what the document wrote: its money unit, the project's 中期目标, each indicator's weight

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    """Plain ALTER TABLE, no batch copy: copying `project` on SQLite would drop the old table,
    and with it (ON DELETE CASCADE) every checkpoint and indicator."""
    op.add_column(
        "project",
        sa.Column(
            "source_money_unit",
            _STRING(length=8),
            nullable=False,
            server_default="万元",  # rows stored before were read as 万元 or converted to it
        ),
    )
    op.add_column("project", sa.Column("midterm_goal", _STRING(), nullable=True))
    op.add_column("indicator", sa.Column("weight", _STRING(), nullable=True))


def downgrade() -> None:
    """ALTER TABLE … DROP COLUMN (SQLite 3.35+), for the same reason."""
    op.drop_column("indicator", "weight")
    op.drop_column("project", "midterm_goal")
    op.drop_column("project", "source_money_unit")
