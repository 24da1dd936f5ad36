"""messages already taken (WeCom MsgId, Telegram update_id), so replicas answer each once

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_message",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_seen_message_seen_at", "seen_message", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_message_seen_at", table_name="seen_message")
    op.drop_table("seen_message")
