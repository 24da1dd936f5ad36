"""short keys for chat buttons (callback_data fits 64 bytes whatever the project code)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "button_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _STRING(length=16), nullable=False),
        sa.Column("action", _STRING(length=8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("button_key")
