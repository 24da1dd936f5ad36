"""delivery leases: the claiming sender and the time its lease runs out

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:40:00.000000
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CLAIM_TIMEOUT = timedelta(minutes=10)
delivery = sa.table(
    "delivery",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("claim_token", sa.String()),
    sa.column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("sender", sa.String()),
    sa.column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    # Claims of the previous version had no lease: they run out where the old timeout did.
    connection = op.get_bind()
    claimed = connection.execute(
        sa.select(delivery.c.id, delivery.c.claim_token, delivery.c.claimed_at).where(
            delivery.c.status == "claimed"
        )
    ).all()
    for row_id, token, claimed_at in claimed:
        connection.execute(
            delivery.update()
            .where(delivery.c.id == row_id)
            .values(
                sender=f"before-leases:{token}"[:64],
                lease_until=claimed_at + OLD_CLAIM_TIMEOUT if claimed_at else None,
            )
        )


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(
        delivery.update().where(delivery.c.status == "released").values(status="failed")
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("sender")
