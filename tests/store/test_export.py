"""The sample document, in every format, exports exactly as expected on every database."""

import pytest
from sqlalchemy import Engine

from store.documents import parse_bytes
from store.importer import import_document
from tests.builders import build_docx, build_xlsx
from tests.conftest import export


def test_sample_text_export_equals_the_expected_export(loaded: Engine, truth: dict) -> None:
    data = export(loaded)
    assert data["document"] == truth["document"]
    for got, want in zip(data["projects"], truth["projects"], strict=True):
        for key, value in want.items():
            assert got[key] == value, f"{want['code']} {key}"
    assert data == truth


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("sample.docx", build_docx),
        ("sample.xlsx", build_xlsx),
        ("stacked.xlsx", lambda t: build_xlsx(t, one_sheet=True)),
        ("bare.xlsx", lambda t: build_xlsx(t, one_sheet=True, headings=False)),
    ],
)
def test_the_same_document_as_docx_or_xlsx_exports_the_same(
    engine: Engine, truth: dict, name: str, build
) -> None:
    import_document(engine, parse_bytes(build(truth), name))
    assert export(engine) == truth


def test_an_empty_store_exports_no_projects(engine: Engine) -> None:
    assert export(engine) == {"projects": []}
