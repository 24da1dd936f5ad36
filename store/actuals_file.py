"""Read 执行数 exports (.xlsx, .xls, .csv): columns by synonyms, amounts in 元 or 万元."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from store.monitoring_dates import parse_as_of
from store.monitoring_vocab import column_synonyms, money_factor, vocabulary

HEADER_SEARCH_ROWS = 15
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_PERIOD = re.compile(r"^1?\d?-?(\d{1,2})月")


class ActualsFileError(Exception):
    """A file that cannot be read as an export of 执行数; `key` names the message."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(f"{key}: {values}")


@dataclass
class FileLine:
    """One budget line of the export, amount already in 万元."""

    row: int
    code: str | None
    name: str | None
    when: object
    amount: float


def read_rows(path: Path) -> list[list[object]]:
    """Every row of the first sheet (or of the CSV) as a list of cell values."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return _xlsx_rows(path)
        if suffix == ".xls":
            return _xls_rows(path)
        if suffix == ".csv":
            return _csv_rows(path)
    except (OSError, ValueError, KeyError) as error:
        raise ActualsFileError("import_unreadable", reason=str(error)[:200]) from error
    raise ActualsFileError(
        "import_unreadable", reason=f"{suffix or path.name}: not .xlsx/.xls/.csv"
    )


def _xlsx_rows(path: Path) -> list[list[object]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile) as error:
        raise ValueError(str(error)) from error
    sheet = book.worksheets[0]
    rows: list[list[object]] = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _xls_rows(path: Path) -> list[list[object]]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path))
    except xlrd.XLRDError as error:
        raise ValueError(str(error)) from error
    sheet = book.sheet_by_index(0)
    rows = []
    for r in range(sheet.nrows):
        cells: list[object] = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            else:
                cells.append(cell.value)
        rows.append(cells)
    return rows


def _csv_rows(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("neither UTF-8 nor GB18030 text")
    return [list(row) for row in csv.reader(text.splitlines())]


def _clean(cell: object) -> str:
    text = unicodedata.normalize("NFKC", "" if cell is None else str(cell))
    return "".join(text.split())


def header_role(cell: object) -> tuple[str | None, int | None]:
    """(code|name|date|executed|budget, month of a 1-X月 prefix) for a header cell."""
    text = _BRACKETS.sub("", _clean(cell))
    month = None
    if period := _PERIOD.match(text):
        month, text = int(period[1]), text[period.end() :]
    for role, spellings in column_synonyms().items():
        if text in (_clean(s) for s in spellings):
            return role, month
    return None, None


@dataclass
class Header:
    """Where the header row is, which column holds what, and the unit the amounts are in."""

    row: int
    columns: dict[str, int]
    month: int | None
    unit: str | None


def find_header(rows: list[list[object]]) -> Header:
    """The first row naming an amount column and a code or name column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        month = None
        for col, cell in enumerate(row):
            role, period = header_role(cell)
            if role and role not in columns:
                columns[role] = col
                month = period if role == "executed" and period else month
        if "executed" in columns and ({"code", "name"} & set(columns)):
            unit = _unit_hint([rows[i] for i in range(index + 1)], columns["executed"], row)
            return Header(index, columns, month, unit)
    missing = (
        "执行数"
        if not any(header_role(c)[0] == "executed" for r in rows for c in r)
        else "项目编码/项目名称"
    )
    raise ActualsFileError("import_no_column", role=missing, spellings=_spellings())


def _spellings() -> str:
    synonyms = column_synonyms()
    return "、".join(synonyms["code"] + synonyms["name"] + synonyms["executed"])


def _unit_hint(top: list[list[object]], executed_col: int, header: list[object]) -> str | None:
    """元 / 万元 / 亿元 when the amount header or a line above the table says so."""
    hints: dict[str, list[str]] = vocabulary()["unit_hints"]
    own = _clean(header[executed_col])
    texts = [own] + [_clean(c) for row in top for c in row if c is not None]
    for text in texts:
        for unit, words in sorted(hints.items(), key=lambda kv: -len(kv[0])):
            if any(_clean(word) in text for word in words):
                return unit
    return None


def amount_of(cell: object) -> float | None:
    """A number as exports write it: 1000, "1,000.00", "1 000"; None when blank or text."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = _clean(cell).replace(",", "")
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _cells(row: list[object], columns: dict[str, int]) -> dict[str, object]:
    """A row's cells by role."""
    return {role: row[col] if col < len(row) else None for role, col in columns.items()}


def file_lines(rows: list[list[object]], header: Header, factor: float) -> list[FileLine]:
    """The budget lines below the header, skipping blank and 合计 rows."""
    totals = {_clean(word) for word in vocabulary()["total_rows"]}
    lines = []
    for number, row in enumerate(rows[header.row + 1 :], start=header.row + 2):
        cells = _cells(row, header.columns)
        code, name = _clean(cells.get("code")) or None, _clean(cells.get("name")) or None
        if (not code and not name) or (name in totals or code in totals):
            continue
        value = amount_of(cells.get("executed"))
        if value is None:
            if _clean(cells.get("executed")):
                raise ActualsFileError(
                    "import_bad_cell", row=number, reason=f"“{cells.get('executed')}”"
                )
            continue
        lines.append(FileLine(number, code, name, cells.get("date"), round(value * factor, 6)))
    return lines


def line_date(when: object, year: int, header: Header, given: date | None) -> date | None:
    """A line's date: its own cell, the 1-X月 of the header, or --as-of."""
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    if isinstance(when, int | float) and 1 <= when <= 12:
        return parse_as_of(f"{int(when)}月", year)
    if when not in (None, ""):
        return parse_as_of(str(when), year)
    if given:
        return given
    return parse_as_of(f"{header.month}月", year) if header.month else None


def unit_factor(unit: str) -> float:
    """万元 per one unit of the file."""
    factor = money_factor(unit)
    if factor is None:
        raise ActualsFileError("import_unreadable", reason=f"unknown unit {unit}")
    return factor
