"""The parsing core: paragraphs and table rows from any reader -> a ParsedDocument."""

import re
from dataclasses import dataclass, field
from functools import partial

from store import labels
from store.amounts import parse_amount, read_amount, to_wan
from store.cell_readings import compose_value, derived_code, looks_like_percent, strip_code
from store.errors import DocumentError
from store.formats import Item
from store.indicator_values import month_end, parse_value
from store.parsed_document import (
    ParsedCheckpoint,
    ParsedDocument,
    ParsedIndicator,
    ParsedProject,
    RefusedProject,
)
from store.table_header import IndicatorTable, header_of, read_header
from store.textclean import clean_text
from store.vocab import vocab

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_NUMBERED = re.compile(r"^\s*[\d一二三四五六七八九十]+\s*[.、．)）]\s*")
_UNIT_CODE = re.compile(r"^(\d{3,12})\s*([\u4e00-\u9fff（(].*)$")
_TEXT_FIELDS = ("goal", "midterm_goal", "purpose")  # may stand in the row below a sub-header
_SEGMENTS = re.compile(r"\s{2,}|\u3000+")
_SPENT = ("spent", "spent_forecast")
_MONEY_ROWS = ("budget", "total_budget", "fiscal_funds", "other_funds")
_NUMBER = re.compile(r"^[\d,.\s]+(?:万元|元|%)?$")


@dataclass
class _Draft:
    """A project while its rows are being read."""

    where: str
    heading: str | None = None
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    field_units: dict[str, str] = field(default_factory=dict)
    field_labels: dict[str, str] = field(default_factory=dict)
    fiscal_parts: list[tuple[str, str, str | None]] = field(default_factory=list)  # 中央资金…
    unit_code: str | None = None
    money_unit: str | None = None
    plan: list[tuple[str, int, str, str]] = field(default_factory=list)
    plan_percent: bool = False
    indicators: list[ParsedIndicator] = field(default_factory=list)
    error: DocumentError | None = None

    def name(self) -> str | None:
        return self.fields.get("name", ("", ""))[0] or self.heading

    def is_empty(self) -> bool:
        return not (self.fields or self.indicators or self.plan or self.heading)


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
        self.refused: list[RefusedProject] = []
        self.draft = _Draft(where=items[0].where if items else "")
        self.table: IndicatorTable | None = None
        self.label_header: list[str] | None = None
        self.plan_header: tuple[list[tuple[int, int]], int, str] | None = None
        self.money_header: list[str] | None = None  # 年初预算数 | 1-7月执行数 | 全年预计执行数
        self.carried_label: str | None = None
        self.carried_unpaired = False  # the carried label had a label, not a value, beside it
        self.last_row: list[str] = []

    def fail(self, where: str | None, reason: str) -> DocumentError:
        return DocumentError(self.source, where, reason)

    def run(self) -> list[ParsedProject]:
        index = 0
        while index < len(self.items):
            try:
                index = self.take(index)
            except DocumentError as error:  # the project is refused, the file read on
                self.draft.error = self.draft.error or error
                index += 1
        self.finish_draft()
        return self.projects

    def take(self, index: int) -> int:
        item = self.items[index]
        cells = [clean_text(c) for c in item.cells]
        if item.paragraph or (len(cells) == 1 and not labels.project_field(cells[0])):
            segments = [clean_text(p) for p in _SEGMENTS.split(item.cells[0]) if p.strip()]
            if len(segments) < 2 or not any([self.label_segment(p, item.where) for p in segments]):
                self.paragraph(cells[0], item.where)
            return index + 1
        self.seen_rows = True
        first = next((c for c in cells if c), "")
        if labels.is_sign_off(first):  # signatures and notes after a table
            self.table, self.label_header = None, None
            return index + 1
        if header := header_of(cells, self.last_row):
            self.start_table(header)
            return index + 1
        self.last_row = cells
        if self.table and not self.is_project_row(cells, item.continued):
            return self.indicator_row(index)
        self.table = None
        cells = ["" if i in item.continued else c for i, c in enumerate(cells)]
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

    def label_segment(self, text: str, where: str) -> bool:
        """One `预算单位：某局` or `金额单位：元` of a paragraph holding several."""
        if unit := labels.money_unit(text):
            self.new_draft_if_done(where)
            self.draft.money_unit = unit
            return True
        return self.inline_label(text, where)

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
        """`项目名称：某项目` or `其中：财政资金：6,000.00` in one cell or paragraph."""
        for colon in re.finditer(r"[:：]", text[:24]):
            label, value = text[: colon.start()], text[colon.end() :].strip()
            field_name = labels.project_field(label) if len(label) >= 2 else None
            if field_name and value and field_name not in ("plan", "ignored"):
                self.set_field(field_name, value, where, label)
                return True
        return False

    # project rows ---------------------------------------------------------------

    def is_project_row(self, cells: list[str], continued: frozenset[int]) -> bool:
        """Inside an indicator table: does this row leave it? A row whose indicator and value
        cells are filled stays, whatever label is merged down beside it."""
        assert self.table is not None
        table = self.table
        cells = cells + [""] * (table.width - len(cells))
        if table.project_columns:
            return False
        mapped = table.mapped(cells, "level1", "level2", "name", "value")
        own = [c for i, c in enumerate(cells) if i not in continued]
        if all(table.mapped(cells, "name", "value")) and not any(
            labels.project_field(c) for c in mapped
        ):
            return False
        if any(labels.project_field(c) or labels.money_unit(c) for c in own):
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
        self.money_columns(cells, where)
        if self.label_header and self.take_label_values(cells, where):
            return
        if self.is_label_header(cells):
            self.label_header = cells
            return
        filled = [c for c in cells[1:] if c]
        if cells[0] == "" and self.carried_label and len(filled) == 1:
            cells = [self.carried_label, *cells[1:]]
        elif self.carried_unpaired and cells[0] == "" and filled and not self.is_label(filled[0]):
            assert self.carried_label is not None
            self.label_pairs([self.carried_label, filled[0]], where)  # its value is below it
            return
        self.carried_label = cells[0] if labels.project_field(cells[0]) else None
        text_label = labels.project_field(cells[0]) in _TEXT_FIELDS
        self.carried_unpaired = text_label and len(cells) > 1 and self.is_label(cells[1])
        self.label_pairs(cells, where)

    def money_columns(self, cells: list[str], where: str) -> None:
        """A budget block with columns (年初预算数 | 1-7月执行数 | 全年预计执行数): its header is
        kept, and its 年度资金总额 row gives the executed and forecast amounts."""
        fields = [labels.project_field(c) if c else None for c in cells]
        if any(f in _SPENT for f in fields) and not any(_NUMBER.search(c) for c in cells if c):
            self.money_header = cells
            return
        header, self.money_header = self.money_header, None
        row = next((f for f in fields if f), None)
        if header is None or len(cells) > len(header) or row not in _MONEY_ROWS:
            return
        self.money_header = header
        cells = cells + [""] * (len(header) - len(cells))  # a reader drops trailing blanks
        for label, value in zip(header, cells, strict=True):
            name = labels.project_field(label) if label else None
            if row in _MONEY_ROWS[:2] and name in _SPENT and value and not self.is_label(value):
                self.set_field(name, value, where, label)

    def is_label(self, text: str) -> bool:
        return bool(labels.project_field(text) or labels.money_unit(text))

    def is_label_header(self, cells: list[str]) -> bool:
        """A row of labels only (年初预算数 | 全年预算数 | …), its values in the row below."""
        return len(cells) >= 2 and all(labels.project_field(c) for c in cells)

    def take_label_values(self, cells: list[str], where: str) -> bool:
        header, self.label_header = self.label_header, None
        assert header is not None
        if len(cells) != len(header) or any(labels.project_field(c) for c in cells):
            return False
        for label, value in zip(header, cells, strict=True):
            field_name = labels.project_field(label) if label else None
            if field_name and field_name not in ("plan", "ignored") and value:
                self.set_field(field_name, value, where, label)
        return True

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
                    if field_name != "ignored":
                        self.set_field(field_name, following, where, cell)
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

    def set_field(self, name: str, value: str, where: str, label: str = "") -> None:
        """A project field read beside (or under) its label; the label's unit and words kept."""
        clash = name in ("code", "name") and name in self.draft.fields
        if clash or self.draft.indicators:
            self.finish_draft()
            self.draft = _Draft(where=where)
        if self.draft.is_empty():
            self.draft.where = where
        unit = labels.label_money_unit(label) if label else None
        if name == "fiscal_part":  # one of several: 中央资金, 省级资金, 市级资金 …
            self.draft.fiscal_parts.append((value, where, unit))
            return
        self.draft.fields[name] = (value, where)
        self.draft.field_labels[name] = label
        if unit:
            self.draft.field_units[name] = unit

    def new_draft_if_done(self, where: str) -> None:
        if self.draft.indicators:
            self.finish_draft()
            self.draft = _Draft(where=where)

    # indicator rows -------------------------------------------------------------

    def start_table(self, cells: list[str]) -> None:
        self.table = read_header(cells)
        self.plan_header = self.label_header = self.money_header = None

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
        if self.merge_broken_rows and following >= len(self.items) and len(cells) < table.width:
            raise self.fail(
                where,
                f"the file ends inside the indicator table "
                f"(its last row has {len(cells)} of {table.width} cells)",
            )
        if len(cells) > table.width:
            if any(cells[table.width :]):
                raise self.fail(where, f"row has {len(cells)} cells, the header has {table.width}")
            cells = cells[: table.width]
        cells += [""] * (table.width - len(cells))
        if table.project_columns and not self.list_row(cells, where):
            return following
        cell = {key: cells[i] for key, i in table.columns.items()}
        level2 = labels.clean_category(cell.get("level2", ""))
        table.level2 = level2 or table.level2
        level1 = labels.clean_category(cell.get("level1", ""))
        table.level1 = level1 or labels.level1_of(table.level2) or table.level1
        if cell.get("name") and not labels.is_template_residue(cell["name"] + cell["value"]):
            self.add_indicator(cell, where)
        return following

    def list_row(self, cells: list[str], where: str) -> bool:
        """A row of a list-style sheet carries its project's columns: a new name starts the
        next project; total rows are skipped."""
        assert self.table is not None
        table = self.table
        values = {name: cells[i] for name, i in table.project_columns.items() if cells[i]}
        if any(labels.is_total_row(v) for v in values.values()):
            return False
        name = values.get("name")
        if name and name != self.draft.name():
            self.finish_draft()
            self.table = table
            self.draft = _Draft(where=where)
        for key, value in values.items():
            if key not in self.draft.fields:
                self.set_field(key, value, where, table.headers[table.project_columns[key]])
        return True

    def add_indicator(self, cell: dict[str, str], where: str) -> None:
        assert self.table is not None
        name, table = cell["name"], self.table
        unleveled = vocab()["unleveled"]
        level1 = table.level1 or ("" if "level1" in table.columns else unleveled)
        level2 = table.level2 or ("" if "level2" in table.columns else unleveled)
        if not level1 or not level2:
            raise self.fail(where, f"indicator '{name}' has no 一级/二级指标")
        value = compose_value(cell.get("comparator", ""), cell["value"], cell.get("unit", ""))
        if not value:
            raise self.fail(where, f"indicator '{name}' has no value")
        indicator = ParsedIndicator(
            level1=level1,
            level2=level2,
            name=name,
            description=cell.get("description") or None,
            value=value,
            basis=cell.get("basis") or None,
            parsed=parse_value(value),
            weight=cell.get("weight") or None,
            actual_text=cell.get("actual") or None,
            actual_period=table.header_of("actual") or None,
            forecast_text=cell.get("forecast") or None,
        )
        if self.draft.is_empty():
            self.draft.where = where
        self.draft.indicators.append(indicator)

    # finishing ------------------------------------------------------------------

    def finish_draft(self) -> None:
        draft, self.table = self.draft, None
        if draft.is_empty() or (not draft.indicators and not draft.fields and not draft.plan):
            if draft.error:
                self.refuse(draft, draft.error)
            return
        self.draft = _Draft(where=draft.where)
        if draft.error:
            self.refuse(draft, draft.error)
            return
        try:
            self.projects.append(self.to_project(draft))
        except DocumentError as error:
            self.refuse(draft, error)

    def refuse(self, draft: _Draft, error: DocumentError) -> None:
        self.refused.append(RefusedProject(draft.name(), error.where, error.reason))

    def to_project(self, draft: _Draft) -> ParsedProject:
        name = draft.name() or self.department_wide_name(draft)
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
        if budget is None:
            budget = self.amount(draft, "total_budget")
        fiscal, other = self.amount(draft, "fiscal_funds"), self.amount(draft, "other_funds")
        if fiscal is None:  # a 财政拨款 total already includes its 中央/省级/市级 parts
            fiscal = self.fiscal_parts_sum(draft)
        if budget is None and fiscal is not None:
            budget = round(fiscal + (other or 0), 6)
        return ParsedProject(
            code=code,
            name=name,
            department=department,
            unit_code=draft.unit_code,
            unit=strip_code(text.get("unit", "")) or None,
            year=year,
            money_unit="万元",
            budget=budget,
            fiscal_funds=fiscal,
            other_funds=other,
            purpose=text.get("purpose") or None,
            goal=text.get("goal") or None,
            plan=self.checkpoints(draft, year, budget),
            indicators=draft.indicators,
            source_money_unit=draft.money_unit or "万元",
            midterm_goal=text.get("midterm_goal") or None,
            spent=self.optional_amount(draft, "spent"),
            spent_label=draft.field_labels.get("spent") or None,
            spent_forecast=self.optional_amount(draft, "spent_forecast"),
        )

    def department_wide_name(self, draft: _Draft) -> str | None:
        """`某局部门整体` for a 部门整体绩效目标表, which names no project."""
        titles = [t for t in (self.title, draft.heading) if t]
        if not draft.indicators or not any(labels.is_department_wide(t) for t in titles):
            return None
        department = strip_code(draft.fields.get("department", ("", ""))[0]) or self.department
        return f"{department or ''}部门整体"

    def document_year(self, where: str) -> int:
        if self.year:
            return self.year
        if m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", self.source.rsplit("/", 1)[-1]):
            return int(m[1])
        raise self.fail(where, "no year found (a title such as 2023年项目支出绩效目标申报表)")

    def amount(self, draft: _Draft, name: str) -> float | None:
        value, where = draft.fields.get(name, ("", draft.where))
        unit = draft.field_units.get(name) or draft.money_unit
        return parse_amount(value, unit, lambda: self.fail(where, f"'{value}' is not an amount"))

    def optional_amount(self, draft: _Draft, name: str) -> float | None:
        """An amount the project is kept without when it is not one (`—`, `/`)."""
        try:
            return self.amount(draft, name)
        except DocumentError:
            return None

    def fiscal_parts_sum(self, draft: _Draft) -> float | None:
        """The 中央/省级/市级资金 rows of a budget block added up (None when none is filled)."""
        filled = []
        for value, where, unit in draft.fiscal_parts:
            error = self.fail(where, f"'{value}' is not an amount")
            amount = parse_amount(value, unit or draft.money_unit, partial(_same, error))
            if amount is not None:
                filled.append(amount)
        return round(sum(filled), 6) if filled else None

    def checkpoints(self, draft: _Draft, year: int, budget: float | None) -> list[ParsedCheckpoint]:
        written = [self.plan_amount(raw, where) for _, _, raw, where in draft.plan]
        numbers = [None if w is None else w[0] for w in written]
        if draft.plan_percent and looks_like_percent(
            numbers, budget / to_wan(draft.money_unit) if budget else None
        ):
            assert budget is not None
            amounts = [None if n is None else round(budget * n / 100, 6) for n in numbers]
        else:
            amounts = [
                None if w is None else round(w[0] * to_wan(w[1] or draft.money_unit), 6)
                for w in written
            ]
        plan = [
            ParsedCheckpoint(label=label, month=month, date=month_end(year, month), amount=amount)
            for (label, month, _, _), amount in zip(draft.plan, amounts, strict=True)
        ]
        return sorted(plan, key=lambda point: point.month)

    def plan_amount(self, raw: str, where: str) -> tuple[float, str | None] | None:
        try:
            return read_amount(raw)
        except ValueError:
            raise self.fail(where, f"plan amount '{raw}' is not a number") from None


def _same(error: DocumentError) -> DocumentError:
    return error


def build_document(
    source: str, fmt: str, content_hash: str, items: list[Item], merge_broken_rows: bool = False
) -> ParsedDocument:
    """Build a ParsedDocument from a reader's items; raise DocumentError when unreadable."""
    if not items:
        raise DocumentError(source, None, "the file is empty")
    builder = _Builder(source, items, merge_broken_rows)
    projects = builder.run()
    if not projects and not builder.refused:
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
        refused=builder.refused,
    )
