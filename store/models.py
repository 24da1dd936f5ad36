"""SQLModel tables: documents, projects, plan checkpoints and indicators."""

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Index, SQLModel

from store.claim_columns import ClaimColumns
from store.reminder_timing import DEFAULT_LEAD_DAYS, DEFAULT_TIME, lead_days_text, time_text


class Document(SQLModel, table=True):
    """One imported file, identified by the hash of its content."""

    id: int | None = Field(default=None, primary_key=True)
    source_name: str
    content_hash: str = Field(unique=True, max_length=64)
    format: str = Field(max_length=8)
    department: str | None = None
    title: str | None = None
    year: int | None = None
    imported_at: dt.datetime


class Project(SQLModel, table=True):
    """A budget project with its budget, purpose and goal."""

    __table_args__ = (Index("ix_project_year_department", "year", "department"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    position: int
    code: str = Field(unique=True, max_length=64)
    name: str = Field(index=True)
    department: str | None = None
    unit_code: str | None = None
    unit: str | None = None
    year: int
    money_unit: str = "万元"  # of the stored amounts: always 万元
    source_money_unit: str = Field(  # the document's, as written
        default="万元", max_length=8, sa_column_kwargs={"server_default": "万元"}
    )
    budget: float | None = None
    fiscal_funds: float | None = None
    other_funds: float | None = None
    purpose: str | None = None
    goal: str | None = None
    midterm_goal: str | None = None  # 中期目标, when the document has long-term columns too


class Checkpoint(SQLModel, table=True):
    """A point of the cumulative spending plan, e.g. 6月底."""

    __table_args__ = (Index("ix_checkpoint_project_month", "project_id", "month", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    position: int
    label: str
    month: int
    date: dt.date = Field(index=True)
    amount: float | None = None


class Indicator(SQLModel, table=True):
    """A 三级指标 with its categories, value as written and parsed parts."""

    __table_args__ = (
        Index("ix_indicator_project_position", "project_id", "position"),
        Index("ix_indicator_levels", "level1", "level2"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    position: int
    level1: str
    level2: str
    name: str = Field(index=True)
    description: str | None = None
    value: str
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    kind: str = Field(max_length=16)
    deadline: dt.date | None = Field(default=None, index=True)
    basis: str | None = None
    weight: str | None = None  # 权重 / 分值 as the document writes it


class Subscription(SQLModel, table=True):
    """A chat that wants reminders: all projects or chosen ones, lead days, time of day."""

    id: int | None = Field(default=None, primary_key=True)
    chat: str = Field(unique=True, max_length=255)
    project_codes: str = ""  # comma-separated; empty means every project
    lead_days: str = lead_days_text(DEFAULT_LEAD_DAYS)
    at_time: str = time_text(DEFAULT_TIME)
    language: str = Field(  # of the chat's replies and reminders
        default="zh", max_length=8, sa_column_kwargs={"server_default": "zh"}
    )
    active: bool = Field(default=True, index=True)
    note: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class Delivery(ClaimColumns, table=True):
    """One reminder to one chat, claimed before sending so that it goes out exactly once."""

    __table_args__ = (
        UniqueConstraint("chat", "kind", "target_date", "lead_days", name="uq_delivery_reminder"),
        Index("ix_delivery_status", "status", "claimed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat: str = Field(max_length=255)
    kind: str = Field(max_length=16)  # checkpoint | deadline
    target_date: dt.date
    lead_days: int
    fire_at: dt.datetime


from store.actual_models import (  # noqa: E402, F401
    IndicatorActual,
    LightWarning,
    RecordingGrant,
    SpendingActual,
)
from store.button_keys import ButtonKey  # noqa: E402, F401
from store.seen_messages import SeenMessage  # noqa: E402, F401
