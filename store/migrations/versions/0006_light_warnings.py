"""warnings when a project turns yellow or red (once per chat and change); recording grants

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 13:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "light_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat", _STRING(length=255), nullable=False),
        sa.Column("project_code", _STRING(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("light", _STRING(length=8), nullable=False),
        sa.Column("status", _STRING(length=16), nullable=False),
        sa.Column("claim_token", _STRING(length=64), nullable=True),
        sa.Column("claimed_at", _TIME(), nullable=True),
        sa.Column("sent_at", _TIME(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", _STRING(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat", "project_code", "as_of", "light", name="uq_light_warning"),
    )
    op.create_table(
        "recording_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat", _STRING(length=255), nullable=False),
        sa.Column("project_code", _STRING(length=64), nullable=False),
        sa.Column("granted_by", _STRING(length=255), nullable=False),
        sa.Column("granted_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat", "project_code", name="uq_recording_grant"),
    )


def downgrade() -> None:
    op.drop_table("recording_grant")
    op.drop_table("light_warning")
