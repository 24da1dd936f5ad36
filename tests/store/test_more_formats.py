"""PDF with a text layer, legacy .xls, and .doc/.wps through LibreOffice: the same rules, and a
one-line message for what cannot be read."""

import os
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import Engine

from store.documents import parse_bytes
from store.errors import DocumentError
from store.importer import import_document
from tests.builders import build_docx
from tests.conftest import export
from tests.gridbuild import down, xlsx_bytes
from tests.legacy_builders import build_pdf, build_xls, pdf_with_unmapped_glyphs, xlsx_to_xls


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("sample.xls", build_xls),
        ("stacked.xls", lambda t: build_xls(t, one_sheet=True)),
        ("sample.pdf", build_pdf),
    ],
)
def test_the_sample_as_xls_or_pdf_exports_exactly_the_expected_export(
    engine: Engine, truth: dict, name: str, build
) -> None:
    import_document(engine, parse_bytes(build(truth), name))
    assert export(engine) == truth


def test_a_pdf_table_keeps_merged_categories_and_wrapped_cells(truth: dict) -> None:
    document = parse_bytes(build_pdf(truth), "sample.pdf")
    project = document.projects[0]
    assert project.goal == truth["projects"][0]["goal"] and len(project.goal) > 150
    want = [(i["level1"], i["level2"]) for i in truth["projects"][0]["indicators"]]
    assert [(i.level1, i.level2) for i in project.indicators] == want
    assert want[1] == want[0]  # a category merged down over several rows


def test_a_workbook_saved_as_xls_with_merged_labels_and_numbers() -> None:
    grid = [
        ["2023年项目支出绩效目标表", "", "", ""],
        ["金额单位：元", "", "", ""],
        ["项目名称", "畅通工程", "", ""],
        ["项目资金", "年度资金总额", 1590000, ""],
        ["项目资金", "其中：财政拨款", 1590000, ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "道路里程", "≥12公里"],
        ["产出指标", "时效指标", "完工时间", "2023年11月底前"],
    ]
    xls = xlsx_to_xls(xlsx_bytes([("项目", grid, [down(0, 3, 4), down(0, 6, 7)])]))
    [project] = parse_bytes(xls, "roads.xls").projects
    assert (project.budget, project.fiscal_funds) == (159, 159)
    assert [(i.level1, i.value) for i in project.indicators] == [
        ("产出指标", "≥12公里"),
        ("产出指标", "2023年11月底前"),
    ]


def _pdf_without_text() -> bytes:
    out = BytesIO()
    page = canvas.Canvas(out)
    page.rect(50, 50, 400, 300)  # a scan has pictures and lines, no characters
    page.line(50, 200, 450, 200)
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("build", [_pdf_without_text, pdf_with_unmapped_glyphs])
def test_a_scanned_pdf_gets_a_one_line_message_asking_for_text(build) -> None:
    with pytest.raises(DocumentError) as refused:
        parse_bytes(build(), "scan.pdf")
    message = str(refused.value)
    assert message.startswith("scan.pdf: ") and "\n" not in message
    assert ".docx" in message and "text" in message


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def test_a_doc_file_without_libreoffice_says_how_to_read_it(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DocumentError) as refused:
        parse_bytes(OLE_HEADER, "old.doc")
    assert "LibreOffice" in str(refused.value) and ".docx" in str(refused.value)


def test_a_wps_file_is_converted_by_soffice_and_read(
    monkeypatch, tmp_path: Path, truth: dict
) -> None:
    """A stand-in soffice on PATH: called as LibreOffice is, it writes the converted .docx."""
    converted = tmp_path / "converted.docx"
    converted.write_bytes(build_docx(truth))
    script = tmp_path / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        f'cp {converted} "$2/document.docx"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    document = parse_bytes(OLE_HEADER, "old.wps")
    assert document.format == "doc"
    assert [p.code for p in document.projects] == [p["code"] for p in truth["projects"]]
