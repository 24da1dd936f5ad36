"""Tables of execution monitoring: dated spending and indicator actuals, never overwritten."""

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Index, SQLModel

from store.claim_columns import ClaimColumns


class SpendingActual(SQLModel, table=True):
    """Cumulative spending (万元) of a project as of a date; rows are added, never edited."""

    __tablename__ = "spending_actual"
    __table_args__ = (Index("ix_spending_actual_project_date", "project_code", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    project_code: str = Field(max_length=64)
    as_of: dt.date
    amount: float
    forecast: float | None = None  # 全年预计执行数 (万元) as known on that date
    budget_at_entry: float | None = None
    source: str = Field(max_length=16)  # chat | file | form | document
    recorded_by: str = Field(max_length=255)
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None
    note: str | None = None


class IndicatorActual(SQLModel, table=True):
    """An indicator's actual to date, forecast, deviation reason and likelihood, as of a date."""

    __tablename__ = "indicator_actual"
    __table_args__ = (
        Index("ix_indicator_actual_target", "project_code", "indicator_name", "as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_code: str = Field(max_length=64)
    indicator_name: str
    as_of: dt.date
    value_text: str
    value_number: float | None = None
    forecast_text: str | None = None
    forecast_number: float | None = None
    reason_category: str | None = Field(default=None, max_length=16)
    reason_text: str | None = None
    likelihood: str | None = Field(default=None, max_length=16)
    source: str = Field(max_length=16)
    recorded_by: str = Field(max_length=255)
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None


class LightWarning(ClaimColumns, table=True):
    """A warning to a chat that a project turned yellow or red at an actual; claimed, then sent."""

    __tablename__ = "light_warning"
    __table_args__ = (
        UniqueConstraint("chat", "project_code", "as_of", "light", name="uq_light_warning"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat: str = Field(max_length=255)
    project_code: str = Field(max_length=64)
    as_of: dt.date
    light: str = Field(max_length=8)


class RecordingGrant(SQLModel, table=True):
    """A chat an admin allowed to record actuals of one project."""

    __tablename__ = "recording_grant"
    __table_args__ = (UniqueConstraint("chat", "project_code", name="uq_recording_grant"),)

    id: int | None = Field(default=None, primary_key=True)
    chat: str = Field(max_length=255)
    project_code: str = Field(max_length=64)
    granted_by: str = Field(max_length=255)
    granted_at: dt.datetime
