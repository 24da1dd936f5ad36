"""Import one document with the no-data-loss rules: the report lines and one line per refusal,
the same for the command line and for a file sent in a chat."""

from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Engine
from sqlmodel import Session

from store.errors import DocumentError
from store.importer import import_document, import_into
from store.parsed_document import ParsedDocument


class ImportOutcome(NamedTuple):
    """The report's lines, one line per refusal (also a file not read, --strict), and whether
    anything was refused."""

    lines: list[str]
    errors: list[str]
    refused: bool


def import_with_report(
    engine: Engine,
    name: str,
    read: Callable[[], ParsedDocument],
    strict: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    session: Session | None = None,
) -> ImportOutcome:
    """Read (parse) the document, import it, and return its report and its refusals: the
    report (standard output) lists every project, refused ones too; each refusal is also one
    line of its own for standard error, where scripts look.

    With `session` (a dry run's, see store.importer.dry_run_session) the import goes into its
    transaction, after the files imported into it before."""
    try:
        document = read()
    except DocumentError as error:
        return ImportOutcome([], [str(error)], True)
    if strict and document.refused:
        lines = [f"{name}: {r.describe()} (--strict: nothing imported)" for r in document.refused]
        return ImportOutcome([], lines, True)
    if session is not None:
        report = import_into(session, document, replace)
    else:
        report = import_document(engine, document, replace=replace, dry_run=dry_run)
    errors = [f"{name}: {change.subject()}: {change.reason}" for change in report.refused]
    return ImportOutcome(report.lines(), errors, bool(errors))
