"""A new process loads the catalog built for the store's version instead of rebuilding it."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from handlers import catalog as catalog_module
from handlers import catalog_cache
from handlers.catalog import Catalog, catalog_for
from store.documents import parse_bytes, parse_file
from store.importer import import_document
from tests.conftest import SAMPLE
from tests.handlers.test_indicator_search import city_document


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL's catalog file goes under this test's own XDG cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TARGETBOT_CATALOG_CACHE", raising=False)


def new_process_catalog(engine: Engine) -> tuple[Catalog, list[str]]:
    """The catalog as a fresh process gets it (nothing in memory), and the SQL it sent."""
    catalog_module._CACHE.clear()
    sent: list[str] = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as session:
            return catalog_for(session), sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def summary(catalog: Catalog) -> list[tuple[str, list[str]]]:
    return [(p.code, [i.name for i in p.indicators]) for p in catalog.projects]


def test_a_new_process_loads_the_catalog_instead_of_reading_every_row(loaded: Engine) -> None:
    built, first = new_process_catalog(loaded)
    path = catalog_cache.cache_file(loaded)
    assert path is not None and path.exists()
    again, second = new_process_catalog(loaded)
    assert again is not built and summary(again) == summary(built)
    assert not any("FROM indicator" in statement for statement in second)
    assert any("FROM indicator" in statement for statement in first)
    assert again.match_index.signature_of.tolist() == built.match_index.signature_of.tolist()


def test_an_import_makes_a_new_catalog(loaded: Engine) -> None:
    before, _ = new_process_catalog(loaded)
    import_document(loaded, parse_bytes(city_document(3, seed=4), "more.txt"))
    after, sent = new_process_catalog(loaded)
    assert len(after.projects) == len(before.projects) + 3
    assert any("FROM indicator" in statement for statement in sent)


def test_restoring_a_project_from_a_file_imported_before_makes_a_new_catalog(
    loaded: Engine,
) -> None:
    """The original file's document row is kept (it still holds the other projects) and a later
    file keeps the newest document id and project id: only the import time tells the change."""
    text = SAMPLE.read_text(encoding="utf-8")
    edited = text.replace("≥20000笔", "≥25000笔")
    import_document(loaded, parse_bytes(edited.encode(), "edited.txt"))
    import_document(loaded, parse_bytes(city_document(2, seed=6), "later.txt"))
    new_process_catalog(loaded)
    import_document(loaded, parse_file(SAMPLE))
    restored, _ = new_process_catalog(loaded)
    values = [i.value for p in restored.projects for i in p.indicators]
    assert "≥20000笔" in values and "≥25000笔" not in values


def test_a_damaged_or_foreign_file_is_rebuilt(loaded: Engine) -> None:
    built, _ = new_process_catalog(loaded)
    path = catalog_cache.cache_file(loaded)
    assert path is not None
    path.write_bytes(b"not a catalog")
    again, sent = new_process_catalog(loaded)
    assert summary(again) == summary(built)
    assert any("FROM indicator" in statement for statement in sent)
    assert catalog_cache.load(path, ("another", "version")) is None


def test_the_file_can_be_turned_off(loaded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TARGETBOT_CATALOG_CACHE", "off")
    assert catalog_cache.cache_file(loaded) is None
    catalog, _ = new_process_catalog(loaded)
    assert catalog.projects
