"""The typed reply of the engine: answers (data first) and the text a chat user reads."""

from dataclasses import asdict, dataclass
from typing import Any, Literal

from store.messages import Language
from store.monitoring_status import StatusFigures


@dataclass(frozen=True, slots=True)
class IndicatorAnswer:
    """An indicator's target with its project and categories."""

    project_code: str
    project_name: str
    level1: str
    level2: str
    name: str
    target: str
    description: str | None = None
    basis: str | None = None
    kind: Literal["indicator"] = "indicator"


@dataclass(frozen=True, slots=True)
class MilestoneAnswer:
    """A project's cumulative planned spending at a checkpoint."""

    project_code: str
    project_name: str
    checkpoint: str
    date: str
    amount: float | None
    unit: str
    share: float | None = None
    step: float | None = None
    previous: str | None = None
    kind: Literal["milestone"] = "milestone"


@dataclass(frozen=True, slots=True)
class BudgetAnswer:
    """A project's budget and its split into 财政资金 / 其他资金."""

    project_code: str
    project_name: str
    amount: float | None
    unit: str
    fiscal_funds: float | None = None
    other_funds: float | None = None
    kind: Literal["budget"] = "budget"


@dataclass(frozen=True)
class _NamedProject:
    """The code and name that lead a project's answer (a base, so that they come first)."""

    project_code: str
    project_name: str


@dataclass(frozen=True)
class ProgressAnswer(StatusFigures, _NamedProject):
    """A project's actual spending against its plan and 序时进度 (amounts 万元, rates %): the
    status figures of store/monitoring_status.py, after the project's code and name."""

    unit: str = "万元"
    kind: str = "progress"


@dataclass(frozen=True, slots=True)
class IndicatorProgressAnswer:
    """An indicator's actual to date against its target."""

    project_code: str
    project_name: str
    name: str
    target: str
    as_of: str | None
    actual: str | None
    share_complete: float | None
    met: bool | None
    forecast: str | None = None
    reason_category: str | None = None
    likelihood: str | None = None
    kind: str = "indicator_progress"


@dataclass(frozen=True, slots=True)
class TotalAnswer:
    """The sum of budgets, or of the cumulative plan at a checkpoint, over projects in scope."""

    measure: str  # budget | milestone
    amount: float
    unit: str
    count: int
    project_codes: tuple[str, ...]
    checkpoint: str | None = None
    kind: str = "total"


@dataclass(frozen=True, slots=True)
class RankingAnswer:
    """A project's place when projects are ordered by budget or by plan at a checkpoint."""

    rank: int
    project_code: str
    project_name: str
    measure: str  # budget | milestone
    amount: float | None
    unit: str
    checkpoint: str | None = None
    kind: str = "ranking"


Answer = (
    IndicatorAnswer
    | MilestoneAnswer
    | BudgetAnswer
    | TotalAnswer
    | RankingAnswer
    | ProgressAnswer
    | IndicatorProgressAnswer
)


Intent = Literal[
    "indicator",
    "category",
    "indicators",
    "milestone",
    "plan",
    "budget",
    "overview",
    "next",
    "projects",
    "help",
    "unknown",
    "empty_store",
    "empty",
    "too_long",
    "subscribe",
    "unsubscribe",
    "reminders",
    "lookup",
    "total",
    "ranking",
    "progress",
    "indicator_progress",
    "actual_recorded",
    "indicator_recorded",
    "refused",
    "usage",
    "undo",
    "grant",
    "chart",
]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the engine says: `answers` best first; `title` (a heading, bold where the channel can,
    or "") and `lines` for people; `suggestions` when stuck. Built once, never changed."""

    query: str
    answers: tuple[Answer, ...] = ()
    title: str = ""
    lines: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    intent: Intent = "unknown"
    language: Language = "zh"

    @property
    def text(self) -> str:
        """The reply as a chat user reads it: the title, then the lines."""
        return "\n".join([self.title, *self.lines] if self.title else self.lines)

    def projects(self) -> list[tuple[str, str]]:
        """The distinct (code, name) of the projects the answers come from, in order."""
        seen: dict[str, str] = {}
        for answer in self.answers:
            if not isinstance(answer, TotalAnswer):
                seen.setdefault(answer.project_code, answer.project_name)
        return list(seen.items())

    def to_json(self) -> dict[str, Any]:
        """The reply object of CONTRACT.md (`ask --json`)."""
        return {
            "query": self.query,
            "answers": [_answer_json(a) for a in self.answers],
            "text": self.text,
            "suggestions": list(self.suggestions),
            "intent": self.intent,
        }


def _answer_json(answer: Answer) -> dict[str, Any]:
    data = asdict(answer)
    if isinstance(answer, TotalAnswer):
        data["project_codes"] = list(answer.project_codes)
    return {"kind": data.pop("kind"), **data}
