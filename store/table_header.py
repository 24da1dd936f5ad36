"""The header of an indicator table: which column holds what, annual columns first."""

from dataclasses import dataclass, field

from store import labels

_PERIOD_RANK = {"annual": 2, None: 1, "midterm": 0}


@dataclass
class IndicatorTable:
    """The indicator table being read: its columns and the categories carried down."""

    columns: dict[str, int]
    width: int
    headers: list[str]
    project_columns: dict[str, int] = field(default_factory=dict)
    level1: str = ""
    level2: str = ""

    def header_of(self, column: str) -> str:
        """The header text of a mapped column (`1-7月执行情况`)."""
        return self.headers[self.columns[column]] if column in self.columns else ""

    def mapped(self, cells: list[str], *names: str) -> list[str]:
        """The cells of the named columns that this table has."""
        return [cells[self.columns[n]] for n in names if n in self.columns]


def is_indicator_header(cells: list[str]) -> bool:
    """A header names at least the indicator and its value."""
    found = {labels.indicator_column(c) for c in cells}
    return "name" in found and "value" in found


def header_of(cells: list[str], above: list[str]) -> list[str] | None:
    """The indicator header a row is: itself, or with the row above when the header spans two
    rows (绩效指标 | 指标值 over 一级 | 二级 | 三级 | _ | _, merged cells exported empty)."""
    if is_indicator_header(cells):
        return cells
    found = {labels.indicator_column(c) for c in cells}
    if "name" not in found or not above:
        return None
    empty_tail = len(cells) - len(_rstrip_empty(cells))
    combined = cells[: len(cells) - empty_tail] + above[len(above) - empty_tail :]
    if empty_tail and is_indicator_header(combined):
        return combined
    merged = [low or high for low, high in zip(cells, above, strict=False)]
    return merged if len(above) == len(cells) and is_indicator_header(merged) else None


def read_header(cells: list[str]) -> IndicatorTable:
    """Map the header's columns; with 中期 and 年度 columns side by side the annual one wins."""
    columns: dict[str, int] = {}
    rank: dict[str, int] = {}
    project_columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column, period = labels.indicator_header(cell)
        if column is None:
            project = labels.project_field(cell)
            if project and project not in ("ignored", "plan"):
                project_columns.setdefault(project, index)
            continue
        score = _PERIOD_RANK[period] if column != "actual" else 0  # actuals: the first one
        if column not in columns or score > rank[column]:
            columns[column], rank[column] = index, score
    return IndicatorTable(columns, len(cells), list(cells), project_columns)


def _rstrip_empty(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
