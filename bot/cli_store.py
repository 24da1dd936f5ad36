"""CLI commands over the store: import, export, projects, show, db upgrade."""

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from bot.terminal import print_table, progress_bar
from store.db import current_revision, upgrade
from store.export import export_all, project_json
from store.importer import dry_run_session
from store.messages import say
from store.money import BLANK, money_text
from store.queries import all_projects, indicator_counts

if TYPE_CHECKING:
    from store.parsed_document import ParsedDocument


def cmd_import(args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Import each file in its own transaction; exit 2 when any file or project was refused.
    A dry run imports them all into one transaction rolled back at the end, so it reports what
    the real import of the same files in the same order prints."""
    from bot.import_report import import_with_report  # the readers load only for an import
    from store.documents import parse_file
    from store.monitoring_dates import parse_as_of

    if args.as_of and parse_as_of(args.as_of, 2000) is None:
        print(
            f"targetbot: --as-of '{args.as_of}' is not a date (2022-07-31, 7月底)", file=sys.stderr
        )
        return 2
    with ExitStack() as stack:
        session = stack.enter_context(dry_run_session(engine)) if args.dry_run else None
        advance, stderr = stack.enter_context(progress_bar(len(args.paths), "import"))
        failed = 0
        for path in args.paths:
            lines, errors, refused = import_with_report(
                engine,
                path,
                partial(_read, parse_file, path, args.as_of),
                args.strict,
                args.replace,
                session=session,
            )
            advance()
            for line in lines:
                print(line)
            for line in errors:
                stderr.print(f"targetbot: cannot import {line}", soft_wrap=True)
            failed += refused
        if args.dry_run:
            stderr.print("targetbot: dry run, the store was not changed", soft_wrap=True)
    return 2 if failed else 0


def _read(
    parse: Callable[[str], "ParsedDocument"], path: str, as_of: str | None
) -> "ParsedDocument":
    """The parsed file, its undated actuals (执行数) dated `as_of` when given."""
    from store.document_actuals import date_undated

    document = parse(path)
    return date_undated(document, as_of) if as_of else document


def cmd_export(args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Print every project as JSON (CONTRACT.md's shape)."""
    with Session(engine) as session:
        data = export_all(session, parsed=args.parsed)
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def cmd_projects(_args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Print a table of the projects."""
    with Session(engine) as session:
        counts = indicator_counts(session)
        rows = [
            [
                p.code,
                p.name,
                str(p.year),
                money_text(p.budget),
                str(counts.get(p.id, 0) if p.id is not None else 0),
            ]
            for p in all_projects(session)
        ]
    if not rows:
        print("No projects yet: targetbot import FILE")
        return 0
    print_table(["code", "name", "year", "budget (万元)", "indicators"], rows, {2, 3, 4})
    return 0


def cmd_show(args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Print one project in full (the closest name, as `ask` reads one); exit 1 when none or
    several match."""
    from handlers.actual_targets import projects_named

    with Session(engine) as session:
        matches = projects_named(session, args.project, datetime.now())
        if not matches:
            print(
                f"targetbot: no project matches '{args.project}' (by code or name); "
                "`targetbot projects` lists them all",
                file=sys.stderr,
            )
            return 1
        if len(matches) > 1:
            names = ", ".join(f"{p.code} {p.name}" for p in matches)
            print(
                f"targetbot: {len(matches)} projects match '{args.project}': {names}",
                file=sys.stderr,
            )
            return 1
        print(format_project(project_json(session, matches[0])))
    return 0


def format_project(data: dict) -> str:
    """One project as readable text, with what only some documents write (unit, 中期目标,
    weights) when they do."""
    unit = data["money_unit"]
    details = say(
        "zh",
        "project_details",
        department=data["department"] or BLANK,
        unit=data["unit"] or BLANK,
        budget=money_text(data["budget"]),
        money_unit=unit,
        fiscal=money_text(data["fiscal_funds"]),
        other=money_text(data["other_funds"]),
        purpose=data["purpose"] or BLANK,
        goal=data["goal"] or BLANK,
    ).split("\n")
    written = []
    if "source_money_unit" in data:
        written.append(say("zh", "project_source_unit", unit=data["source_money_unit"]))
    if "midterm_goal" in data:
        written.append(say("zh", "project_midterm_goal", goal=data["midterm_goal"]))
    lines = [f"{data['name']}  ({data['code']}, {data['year']})", *details[:-1], *written]
    lines.append(details[-1])
    lines += [
        f"  {p['checkpoint']} ({p['date']}): {money_text(p['amount'])} {unit}" for p in data["plan"]
    ]
    lines.append(say("zh", "project_indicators"))
    lines += [indicator_line(item) for item in data["indicators"]]
    return "\n".join(lines)


def indicator_line(item: dict) -> str:
    """`  产出指标 / 数量指标 / 名称: 值`, and its weight when the document gives one."""
    line = f"  {item['level1']} / {item['level2']} / {item['name']}: {item['value']}"
    return (
        f"{line} {say('zh', 'indicator_weight', weight=item['weight'])}"
        if "weight" in item
        else line
    )


def cmd_db_upgrade(_args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Bring the database schema to the newest version, and say what was done."""
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before is None:
        print(f"schema created at version {after} (a new database)")
    elif before != after:
        print(f"schema upgraded from version {before} to {after}, the newest")
    else:
        print(f"database is at the newest schema version ({after}); nothing to do")
    return 0
