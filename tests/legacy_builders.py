"""Build .xls (xlwt) and text-layer .pdf (reportlab, CJK CID font) target documents from
export-shaped data, laid out like the .docx and .xlsx of tests/builders.py."""

from io import BytesIO
from itertools import groupby
from typing import Any

import openpyxl
import xlwt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.builders import INDICATOR_HEADER, build_xlsx, indicator_rows, project_rows

FONT = "STSong-Light"  # built into reportlab: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TEXT = ParagraphStyle("cn", fontName=FONT, fontSize=7, leading=9, wordWrap="CJK")


def xlsx_to_xls(xlsx: bytes) -> bytes:
    """The same workbook saved as a legacy .xls: values, numbers and merged ranges."""
    source = openpyxl.load_workbook(BytesIO(xlsx))
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in source.worksheets:
        out = book.add_sheet(sheet.title)
        merged = set()
        for rng in sheet.merged_cells.ranges:
            value = sheet.cell(rng.min_row, rng.min_col).value
            out.write_merge(
                rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1, value
            )
            merged |= {(r, c) for r, c in _cells(rng)}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and (cell.row, cell.column) not in merged:
                    out.write(cell.row - 1, cell.column - 1, cell.value)
    data = BytesIO()
    book.save(data)
    return data.getvalue()


def _cells(rng) -> list[tuple[int, int]]:
    return [
        (r, c)
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    ]


def build_xls(data: dict[str, Any], one_sheet: bool = False) -> bytes:
    """The sample as a legacy Excel workbook."""
    return xlsx_to_xls(build_xlsx(data, one_sheet=one_sheet))


def _cell(text: Any) -> Paragraph | str:
    return Paragraph(str(text), TEXT) if text not in (None, "") else ""


def grid_table(rows: list[list[Any]], widths: list[float], spans: list) -> Table:
    width = len(widths)
    grid = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in rows]
    table = Table(grid, colWidths=widths)
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(style))
    return table


def _project_table(project: dict[str, Any]) -> Table:
    rows = [[f"{project['unit_code']}{project['unit']}", "", "", "", "", "", "单位：万元"]]
    spans = [((0, 0), (5, 0))]
    for r, row in enumerate(project_rows(project), start=1):
        row = ["" if c is None else c for c in row]
        rows.append(row)
        if len(row) in (2, 4, 5):
            spans.append(((len(row) - 1, r), (6, r)))
    for top in (2, 4):  # labels spanning two rows: budget/purpose and the plan
        rows[top + 1][0] = ""
        spans.append(((0, top), (0, top + 1)))
    return grid_table(rows, [90, 80, 80, 90, 80, 80, 230], spans)


def _indicator_table(project: dict[str, Any]) -> Table:
    rows = [INDICATOR_HEADER, *[list(r) for r in indicator_rows(project)]]
    spans = []
    for column in (0, 1):
        top = 1
        for _, run in groupby(rows[1:], key=lambda r, c=column: tuple(r[: c + 1])):
            length = len(list(run))
            if length > 1:
                for r in range(top + 1, top + length):
                    rows[r][column] = ""
                spans.append(((column, top), (column, top + length - 1)))
            top += length
    return grid_table(rows, [70, 80, 150, 200, 120, 110], spans)


def build_pdf(data: dict[str, Any]) -> bytes:
    """The sample as a PDF with a text layer: titles, then per project a heading and two ruled
    tables (merged cells spanned), wrapped cell text on several lines."""
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=20, rightMargin=20)
    story: list = [
        Paragraph(data["document"]["department"], TEXT),
        Paragraph(data["document"]["title"], TEXT),
    ]
    for number, project in enumerate(data["projects"], start=1):
        story += [Spacer(1, 12), Paragraph(f"{number}.{project['name']}绩效目标表", TEXT)]
        story += [_project_table(project), Spacer(1, 12), _indicator_table(project)]
    doc.build(story)
    return out.getvalue()


def pdf_with_unmapped_glyphs(glyphs: int = 16) -> bytes:
    """A PDF whose only font has no ToUnicode map (as many scans and some exports do): text
    extraction gives `(cid:NNN)` for every glyph."""
    stream = f"BT /F1 12 Tf 20 100 Td <{'01230456' * glyphs}> Tj ET".encode()
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Scan /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Scan /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out.write(trailer.encode())
    return out.getvalue()
