"""Import one document with the no-data-loss rules: the report lines and one line per refusal,
the same for the command line and for a file sent in a chat."""

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session

from store.errors import DocumentError
from store.importer import import_document, import_into
from store.parsed_document import ParsedDocument


def import_with_report(
    engine: Engine,
    name: str,
    read: Callable[[], ParsedDocument],
    strict: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    session: Session | None = None,
) -> tuple[list[str], list[str]]:
    """Read (parse) the document, import it, and return (report lines, refusal lines).

    With `session` (a dry run's, see store.importer.dry_run_session) the import goes into its
    transaction, after the files imported into it before."""
    try:
        document = read()
    except DocumentError as error:
        return [], [str(error)]
    if strict and document.refused:
        return [], [
            f"{name}: {refused.describe()} (--strict: nothing imported)"
            for refused in document.refused
        ]
    if session is not None:
        report = import_into(session, document, replace)
    else:
        report = import_document(engine, document, replace=replace, dry_run=dry_run)
    errors = [f"{name}: {change.subject()}: {change.reason}" for change in report.refused]
    return report.lines(), errors
