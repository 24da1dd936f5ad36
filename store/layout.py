"""The parsing core: paragraphs and table rows from any reader -> a ParsedDocument."""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from store import labels
from store.errors import DocumentError
from store.formats import Item
from store.indicator_values import month_end, parse_value
from store.parsed_document import ParsedCheckpoint, ParsedDocument, ParsedIndicator, ParsedProject
from store.textclean import clean_text

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_NUMBERED = re.compile(r"^\s*[\d一二三四五六七八九十]+\s*[.、．)）]\s*")
_UNIT_CODE = re.compile(r"^(\d{3,12})\s*([\u4e00-\u9fff（(].*)$")
_AMOUNT = re.compile(r"[-+]?\d+(?:\.\d+)?")


@dataclass
class _Draft:
    """A project while its rows are being read."""

    where: str
    heading: str | None = None
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    unit_code: str | None = None
    money_unit: str | None = None
    plan: list[tuple[str, int, str, str]] = field(default_factory=list)
    plan_percent: bool = False
    indicators: list[ParsedIndicator] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.fields or self.indicators or self.plan or self.heading)


@dataclass
class _Table:
    """The indicator table being read: header columns and the carried categories."""

    columns: dict[str, int]
    width: int
    level1: str = ""
    level2: str = ""


class _Builder:
    """Walks the items once, keeping the state of the project being read."""

    def __init__(self, source: str, items: list[Item], merge_broken_rows: bool) -> None:
        self.source = source
        self.items = items
        self.merge_broken_rows = merge_broken_rows
        self.title: str | None = None
        self.year: int | None = None
        self.department: str | None = None
        self.seen_rows = False
        self.projects: list[ParsedProject] = []
        self.draft = _Draft(where=items[0].where if items else "")
        self.table: _Table | None = None
        self.plan_header: tuple[list[tuple[int, int]], int, str] | None = None
        self.carried_label: str | None = None
        self.last_row: list[str] = []

    def fail(self, where: str | None, reason: str) -> DocumentError:
        return DocumentError(self.source, where, reason)

    def run(self) -> list[ParsedProject]:
        index = 0
        while index < len(self.items):
            index = self.take(index)
        self.finish_draft()
        return self.projects

    def take(self, index: int) -> int:
        item = self.items[index]
        cells = [clean_text(c) for c in item.cells]
        if item.paragraph or (len(cells) == 1 and not labels.project_field(cells[0])):
            self.paragraph(cells[0], item.where)
            return index + 1
        self.seen_rows = True
        if header := self.header_of(cells, self.last_row):
            self.start_table(header)
            return index + 1
        self.last_row = cells
        if self.table and not self.is_project_row(cells):
            return self.indicator_row(index)
        self.table = None
        self.project_row(cells, item.where)
        return index + 1

    # paragraphs -----------------------------------------------------------------

    def paragraph(self, text: str, where: str) -> None:
        if not text:
            return
        if unit := labels.money_unit(text):
            self.new_draft_if_done(where)
            self.draft.money_unit = unit
        elif self.inline_label(text, where):
            pass
        elif (year := _YEAR.search(text)) and not _NUMBERED.match(text) and not self.title:
            self.title, self.year = text, int(year[1])
        elif self.is_heading(text):
            self.start_heading(text, where)
        elif not self.seen_rows and not self.title and self.department is None:
            self.department = text if re.search(r"[\u4e00-\u9fff]", text) else None

    def is_heading(self, text: str) -> bool:
        flat = labels.label_key(text)
        return bool(_NUMBERED.match(text)) or flat.endswith(("绩效目标表", "目标表", "申报表"))

    def start_heading(self, text: str, where: str) -> None:
        self.finish_draft()
        self.draft = _Draft(where=where)
        name = _NUMBERED.sub("", text)
        name = re.sub(r"(项目)?(支出)?(绩效目标(申报)?表|目标表|申报表)$", "", name).strip()
        if year := _YEAR.search(name):
            self.year = self.year or int(year[1])
            name = ""
        self.draft.heading = name or None

    def inline_label(self, text: str, where: str) -> bool:
        m = re.match(r"^([^:：]{2,16})[:：](.+)$", text)
        field_name = labels.project_field(m[1]) if m else None
        if not m or not field_name or field_name == "plan":
            return False
        self.set_field(field_name, m[2].strip(), where)
        return True

    # project rows ---------------------------------------------------------------

    def is_project_row(self, cells: list[str]) -> bool:
        if any(labels.project_field(c) or labels.money_unit(c) for c in cells):
            return True
        return self.checkpoint_cells(cells) != []

    def project_row(self, cells: list[str], where: str) -> None:
        if self.plan_header and self.take_plan_values(cells, where):
            return
        self.plan_header = None
        if months := self.checkpoint_cells(cells):
            self.new_draft_if_done(where)
            percent = any("%" in c or "％" in c for c in cells)
            self.draft.plan_percent = percent
            self.plan_header = (months, len(cells), where)
            return
        if cells[0] == "" and self.carried_label:
            cells = [self.carried_label, *cells[1:]]
        self.carried_label = cells[0] if labels.project_field(cells[0]) else None
        self.label_pairs(cells, where)

    def checkpoint_cells(self, cells: list[str]) -> list[tuple[int, int]]:
        months = [(i, labels.checkpoint_month(c)) for i, c in enumerate(cells)]
        found = [(i, m) for i, m in months if m]
        return found if len(found) >= 2 else []

    def take_plan_values(self, cells: list[str], where: str) -> bool:
        assert self.plan_header is not None
        months, width, _ = self.plan_header
        if any(labels.project_field(c) for c in cells[1:]):
            return False
        if len(cells) == width:
            values = [cells[i] for i, _ in months]
        elif len(cells) >= len(months):
            values = cells[len(cells) - len(months) :]
        else:
            raise self.fail(
                where,
                f"the spending plan has {len(months)} checkpoints "
                f"but this row has {len(cells)} cells",
            )
        seen = [m for _, m in months]
        if len(set(seen)) != len(seen):
            raise self.fail(where, "the spending plan names a checkpoint twice")
        self.draft.plan = [
            (f"{m}月底", m, v, where) for (_, m), v in zip(months, values, strict=True)
        ]
        self.plan_header = None
        return True

    def label_pairs(self, cells: list[str], where: str) -> None:
        index = 0
        while index < len(cells):
            cell = cells[index]
            field_name = labels.project_field(cell)
            following = cells[index + 1] if index + 1 < len(cells) else None
            if field_name and field_name != "plan" and following is not None:
                if not labels.project_field(following) and not labels.money_unit(following):
                    self.set_field(field_name, following, where)
                    index += 2
                    continue
            elif unit := labels.money_unit(cell):
                self.new_draft_if_done(where)
                self.draft.money_unit = unit
            elif m := _UNIT_CODE.match(cell):
                self.new_draft_if_done(where)
                self.draft.unit_code = m[1]
                self.draft.fields.setdefault("unit", (m[2].strip(), where))
            elif not field_name:
                self.inline_label(cell, where)
            index += 1

    def set_field(self, name: str, value: str, where: str) -> None:
        clash = name in ("code", "name") and name in self.draft.fields
        if clash or self.draft.indicators:
            self.finish_draft()
            self.draft = _Draft(where=where)
        if self.draft.is_empty():
            self.draft.where = where
        self.draft.fields[name] = (value, where)

    def new_draft_if_done(self, where: str) -> None:
        if self.draft.indicators:
            self.finish_draft()
            self.draft = _Draft(where=where)

    # indicator rows -------------------------------------------------------------

    def is_indicator_header(self, cells: list[str]) -> bool:
        found = {labels.indicator_column(c) for c in cells}
        return "name" in found and "value" in found

    def header_of(self, cells: list[str], above: list[str]) -> list[str] | None:
        """The indicator header a row is: itself, or with the row above when the header spans two
        rows (绩效指标 | 指标值 over 一级 | 二级 | 三级 | _ | _, merged cells exported empty)."""
        if self.is_indicator_header(cells):
            return cells
        found = {labels.indicator_column(c) for c in cells}
        if "name" not in found or not above:
            return None
        empty_tail = len(cells) - len(list(_rstrip_empty(cells)))
        combined = cells[: len(cells) - empty_tail] + above[len(above) - empty_tail :]
        return combined if empty_tail and self.is_indicator_header(combined) else None

    def start_table(self, cells: list[str]) -> None:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            column = labels.indicator_column(cell)
            if column and column not in columns:
                columns[column] = index
        self.table = _Table(columns=columns, width=len(cells))
        self.plan_header = None

    def gather_row(self, index: int) -> tuple[list[str], int]:
        assert self.table is not None
        cells, following = list(self.items[index].cells), index + 1
        while self.merge_broken_rows and len(cells) < self.table.width:
            if following >= len(self.items) or self.items[following].paragraph:
                break
            more = self.items[following].cells
            if len(more) >= self.table.width or len(cells) + len(more) > self.table.width:
                break
            cells, following = cells + list(more), following + 1
        return [clean_text(c) for c in cells], following

    def indicator_row(self, index: int) -> int:
        assert self.table is not None
        table, where = self.table, self.items[index].where
        cells, following = self.gather_row(index)
        if len(cells) > table.width:
            if any(cells[table.width :]):
                raise self.fail(where, f"row has {len(cells)} cells, the header has {table.width}")
            cells = cells[: table.width]
        cells += [""] * (table.width - len(cells))
        cell = {key: cells[i] for key, i in table.columns.items()}
        table.level2 = cell.get("level2") or table.level2
        table.level1 = cell.get("level1") or labels.level1_of(table.level2) or table.level1
        if cell.get("name"):
            self.add_indicator(cell, where)
        return following

    def add_indicator(self, cell: dict[str, str], where: str) -> None:
        assert self.table is not None
        name, table = cell["name"], self.table
        if not table.level1 or not table.level2:
            raise self.fail(where, f"indicator '{name}' has no 一级/二级指标")
        value = compose_value(cell.get("comparator", ""), cell["value"], cell.get("unit", ""))
        if not value:
            raise self.fail(where, f"indicator '{name}' has no value")
        indicator = ParsedIndicator(
            level1=table.level1,
            level2=table.level2,
            name=name,
            description=cell.get("description") or None,
            value=value,
            basis=cell.get("basis") or None,
            parsed=parse_value(value),
        )
        if self.draft.is_empty():
            self.draft.where = where
        self.draft.indicators.append(indicator)

    # finishing ------------------------------------------------------------------

    def finish_draft(self) -> None:
        draft, self.table = self.draft, None
        if draft.is_empty() or (not draft.indicators and not draft.fields and not draft.plan):
            return
        self.projects.append(self.to_project(draft))
        self.draft = _Draft(where=draft.where)

    def to_project(self, draft: _Draft) -> ParsedProject:
        name = draft.fields.get("name", ("", ""))[0] or draft.heading
        if not name:
            raise self.fail(draft.where, "a project without a name (项目名称)")
        if not draft.indicators:
            raise self.fail(
                draft.where, f"project '{name}' has no indicator table (三级指标, 指标值)"
            )
        year = self.document_year(draft.where)
        text = {key: value for key, (value, _) in draft.fields.items()}
        department = strip_code(text.get("department", "")) or self.department
        code = text.get("code") or derived_code(department, year, name)
        budget = self.amount(draft, "budget")
        fiscal, other = self.amount(draft, "fiscal_funds"), self.amount(draft, "other_funds")
        if budget is None and fiscal is not None:
            budget = round(fiscal + (other or 0), 2)
        return ParsedProject(
            code=code,
            name=name,
            department=department,
            unit_code=draft.unit_code,
            unit=strip_code(text.get("unit", "")) or None,
            year=year,
            money_unit=draft.money_unit or "万元",
            budget=budget,
            fiscal_funds=fiscal,
            other_funds=other,
            purpose=text.get("purpose") or None,
            goal=text.get("goal") or None,
            plan=self.checkpoints(draft, year, budget),
            indicators=draft.indicators,
        )

    def document_year(self, where: str) -> int:
        if self.year:
            return self.year
        if m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", self.source.rsplit("/", 1)[-1]):
            return int(m[1])
        raise self.fail(where, "no year found (a title such as 2023年项目支出绩效目标申报表)")

    def amount(self, draft: _Draft, name: str) -> float | None:
        value, where = draft.fields.get(name, ("", draft.where))
        return parse_amount(value, partial(self.fail, where, f"'{value}' is not an amount"))

    def checkpoints(self, draft: _Draft, year: int, budget: float | None) -> list[ParsedCheckpoint]:
        amounts = [
            parse_amount(raw, partial(self.fail, where, f"plan amount '{raw}' is not a number"))
            for _, _, raw, where in draft.plan
        ]
        if draft.plan_percent and looks_like_percent(amounts, budget):
            assert budget is not None
            amounts = [None if a is None else round(budget * a / 100, 2) for a in amounts]
        plan = [
            ParsedCheckpoint(label=label, month=month, date=month_end(year, month), amount=amount)
            for (label, month, _, _), amount in zip(draft.plan, amounts, strict=True)
        ]
        return sorted(plan, key=lambda point: point.month)


def strip_code(name: str) -> str:
    """`[101]某某局` or `101-某某局` -> `某某局`: the code some forms print before a name."""
    return re.sub(
        r"^\s*[\[【(（]?\d{2,12}[\]】)）]?\s*[-—_:：]?\s*(?=[\u4e00-\u9fff])", "", name
    ).strip()


def _rstrip_empty(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def compose_value(comparator: str, value: str, unit: str) -> str:
    """Join a value with comparator and unit columns, unless the value already has them."""
    if comparator and labels.label_key(comparator) not in value and _is_comparator(comparator):
        value = comparator + value
    if unit and value and not value.endswith(unit) and value[-1].isdigit():
        value = value + unit
    return value


def _is_comparator(text: str) -> bool:
    return parse_value(text + "1").comparator not in (None, "=") or text.strip() in ("=", "＝")


def parse_amount(text: str, error: Callable[[], Exception]) -> float | None:
    """`1,221.10` or `1221.10万元` -> 1221.1; blank -> None; anything else raises error()."""
    flat = "".join(text.split()).replace(",", "").replace("，", "")
    flat = re.sub(r"(万元|元)$", "", flat)
    if flat in ("", "-", "—", "/", "无"):
        return None
    if not _AMOUNT.fullmatch(flat):
        raise error()
    return float(flat)


def looks_like_percent(amounts: list[float | None], budget: float | None) -> bool:
    """A plan under a `（%）` header holds shares when they end at 100 and the budget differs."""
    known = [a for a in amounts if a is not None]
    if not known or budget is None or max(known) > 100:
        return False
    return abs(known[-1] - 100) < 0.5 and abs(known[-1] - budget) > 0.01 * max(budget, 1)


def derived_code(department: str | None, year: int, name: str) -> str:
    """A stable project code for documents that print none."""
    digest = hashlib.sha1(f"{department or ''}|{year}|{name}".encode()).hexdigest()
    return f"X{year}{digest[:12].upper()}"


def build_document(
    source: str, fmt: str, content_hash: str, items: list[Item], merge_broken_rows: bool = False
) -> ParsedDocument:
    """Build a ParsedDocument from a reader's items; raise DocumentError when unreadable."""
    if not items:
        raise DocumentError(source, None, "the file is empty")
    builder = _Builder(source, items, merge_broken_rows)
    projects = builder.run()
    if not projects:
        raise DocumentError(source, None, "no performance-target table (三级指标 / 指标值) found")
    codes = [p.code for p in projects]
    if len(set(codes)) != len(codes):
        duplicate = next(c for c in codes if codes.count(c) > 1)
        raise DocumentError(source, None, f"project code {duplicate} appears twice")
    return ParsedDocument(
        source_name=source,
        format=fmt,
        content_hash=content_hash,
        department=builder.department,
        title=builder.title,
        year=builder.year,
        projects=projects,
    )
