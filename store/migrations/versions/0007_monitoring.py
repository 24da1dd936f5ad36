"""monitoring: leases on light-warning claims; the full-year spending forecast of an actual

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:30:00
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CLAIM_TIMEOUT = timedelta(minutes=10)
light_warning = sa.table(
    "light_warning",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("claim_token", sa.String()),
    sa.column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("sender", sa.String()),
    sa.column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("light_warning", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("spending_actual", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast", sa.Float(), nullable=True))
    # Claims of the previous version had no lease: they run out where the old timeout did.
    connection = op.get_bind()
    claimed = connection.execute(
        sa.select(
            light_warning.c.id, light_warning.c.claim_token, light_warning.c.claimed_at
        ).where(light_warning.c.status == "claimed")
    ).all()
    for row_id, token, claimed_at in claimed:
        connection.execute(
            light_warning.update()
            .where(light_warning.c.id == row_id)
            .values(
                sender=f"before-leases:{token}"[:64],
                lease_until=claimed_at + OLD_CLAIM_TIMEOUT if claimed_at else None,
            )
        )


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(
        light_warning.update().where(light_warning.c.status == "released").values(status="failed")
    )
    with op.batch_alter_table("spending_actual", schema=None) as batch_op:
        batch_op.drop_column("forecast")
    with op.batch_alter_table("light_warning", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("sender")
