"""PDF with a text layer, legacy .xls, and .doc/.wps through LibreOffice: the same rules, and a
one-line message for what cannot be read."""

import json
import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import docx
import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import Engine

from store.documents import parse_bytes
from store.errors import DocumentError
from store.importer import import_document
from tests.builders import build_docx
from tests.conftest import ROOT, export
from tests.gridbuild import down, xlsx_bytes
from tests.legacy_builders import build_pdf, build_xls, pdf_with_unmapped_glyphs, xlsx_to_xls

# the readers are the subject; the import on each database is tests/store/test_import.py's
pytestmark = pytest.mark.database("sqlite")


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


STAND_IN = """#!{python}
# A stand-in soffice: checks the command line as LibreOffice reads it, records it, and writes the
# .docx LibreOffice would (named after the input, in --outdir), built with python-docx.
import json, pathlib, sys
sys.path.insert(0, {root!r})
from tests.builders import build_docx
args = sys.argv[1:]
pathlib.Path({log!r}).write_text(json.dumps(args))
if len(args) != 7 or args[1:5] != ["--headless", "--convert-to", "docx", "--outdir"]:
    sys.exit("Error: unknown arguments")
profile, outdir, source = args[0], pathlib.Path(args[5]), pathlib.Path(args[6])
if not profile.startswith("-env:UserInstallation=file://") or not source.is_file():
    sys.exit("Error: source file could not be loaded")
if {fail!r}:
    sys.exit("Error: source file could not be loaded")
(outdir / (source.stem + ".docx")).write_bytes(build_docx(json.loads({truth!r})))
"""


def install_stand_in(tmp_path: Path, monkeypatch, truth: dict, fail: bool = False) -> Path:
    """Put the stand-in soffice first on PATH; returns the file it records its arguments in."""
    log = tmp_path / "soffice-args.json"
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(
        STAND_IN.format(
            python=sys.executable,
            root=str(ROOT),
            log=str(log),
            fail=fail,
            truth=json.dumps(truth, ensure_ascii=False),
        )
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def test_a_wps_file_is_converted_by_soffice_with_its_own_profile_and_read(
    monkeypatch, tmp_path: Path, truth: dict, engine: Engine
) -> None:
    log = install_stand_in(tmp_path, monkeypatch, truth)
    document = parse_bytes(OLE_HEADER, "old.wps")
    profile, *rest, outdir, source = json.loads(log.read_text())
    assert rest == ["--headless", "--convert-to", "docx", "--outdir"]
    assert Path(source).parent == Path(outdir) and Path(source).suffix == ".wps"
    assert profile == f"-env:UserInstallation={(Path(outdir) / 'profile').as_uri()}"
    assert not Path(outdir).exists()  # the conversion's folder is removed afterwards
    assert document.format == "doc"
    import_document(engine, document)
    assert export(engine) == truth


def test_a_conversion_that_fails_is_one_line_naming_the_file(
    monkeypatch, tmp_path: Path, truth: dict
) -> None:
    install_stand_in(tmp_path, monkeypatch, truth, fail=True)
    with pytest.raises(DocumentError) as refused:
        parse_bytes(OLE_HEADER, "broken.doc")
    assert str(refused.value) == (
        "broken.doc: LibreOffice could not convert this .doc file to .docx"
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_doc_saved_by_libreoffice_is_converted_back_and_exports_the_sample(
    tmp_path: Path, truth: dict, engine: Engine
) -> None:
    source = tmp_path / "sample.docx"
    document = docx.Document(BytesIO(build_docx(truth)))
    document.add_paragraph("")  # Word ends a body with a paragraph; LibreOffice drops a last table
    document.save(str(source))
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    subprocess.run(
        [
            "soffice",
            profile,
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    data = (tmp_path / "sample.doc").read_bytes()
    assert data.startswith(OLE_HEADER[:8])  # a real Word 97 file
    import_document(engine, parse_bytes(data, "sample.doc"))
    assert export(engine) == truth
