"""New projects go in with one INSERT per table, stored ones are compared and replaced one by
one: the store ends as importing project by project would leave it (SQLite and PostgreSQL)."""

from sqlalchemy import Engine

from store.documents import parse_bytes
from store.importer import import_document
from tests.conftest import export
from tests.textdocs import document, project_rows


def test_a_document_mixing_new_and_stored_projects(loaded: Engine) -> None:
    stored = export(loaded)["projects"][0]["code"]
    text = document(
        [
            project_rows(code="NEW-1", name="新项目一"),
            project_rows(
                code=stored, name="改名的项目", budget="999.00", plan=("1", "2", "3", "999")
            ),
            project_rows(code="NEW-2", name="新项目二"),
        ]
    )
    report = import_document(loaded, parse_bytes(text.encode(), "mixed.txt"))
    statuses = [(p.code, p.status) for p in report.projects]
    assert statuses == [
        ("NEW-1", "added"),
        (stored, "replaced"),
        ("NEW-2", "added"),
    ]
    projects = {p["code"]: p for p in export(loaded)["projects"]}
    assert len(projects) == 3 + 2
    assert projects[stored]["name"] == "改名的项目" and projects[stored]["budget"] == 999
    for code in ("NEW-1", "NEW-2"):
        assert [i["name"] for i in projects[code]["indicators"]] == [
            "培训人次",
            "验收合格率",
            "群众满意度",
        ]
        assert [p["checkpoint"] for p in projects[code]["plan"]] == [
            "3月底",
            "6月底",
            "10月底",
            "12月底",
        ]
