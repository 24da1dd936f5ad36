"""CLI commands over the store: import, export, projects, show, db upgrade."""

import argparse
import json
import sys
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from bot.terminal import print_table, progress_bar
from store.db import upgrade
from store.export import export_all, project_json
from store.messages import say
from store.money import BLANK, money_text
from store.queries import all_projects, find_projects, indicator_counts


def cmd_import(args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Import each file in its own transaction; exit 2 when any file or project was refused."""
    from bot.import_report import import_with_report  # the readers load only for an import
    from store.documents import parse_file

    failed = 0
    with progress_bar(len(args.paths), "import") as (advance, stderr):
        for path in args.paths:
            lines, errors = import_with_report(
                engine, path, partial(parse_file, path), args.strict, args.replace, args.dry_run
            )
            advance()
            for line in lines:
                print(line)
            for line in errors:
                stderr.print(f"targetbot: cannot import {line}", soft_wrap=True)
            failed += bool(errors)
        if args.dry_run:
            stderr.print("targetbot: dry run, the store was not changed", soft_wrap=True)
    return 2 if failed else 0


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
    """Print one project in full; exit 1 when none or several match."""
    with Session(engine) as session:
        matches = find_projects(session, args.project)
        if len(matches) != 1:
            names = ", ".join(f"{p.code} {p.name}" for p in matches) or "none"
            print(
                f"targetbot: {len(matches)} projects match '{args.project}': {names}",
                file=sys.stderr,
            )
            return 1
        print(format_project(project_json(session, matches[0])))
    return 0


def format_project(data: dict) -> str:
    """One project as readable text."""
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
    )
    lines = [f"{data['name']}  ({data['code']}, {data['year']})", details]
    lines += [
        f"  {p['checkpoint']} ({p['date']}): {money_text(p['amount'])} {unit}" for p in data["plan"]
    ]
    lines.append(say("zh", "project_indicators"))
    for item in data["indicators"]:
        lines.append(f"  {item['level1']} / {item['level2']} / {item['name']}: {item['value']}")
    return "\n".join(lines)


def cmd_db_upgrade(_args: argparse.Namespace, engine: Engine, _settings: Settings) -> int:
    """Bring the database schema to the newest version."""
    upgrade(engine)
    print("database is at the newest schema version")
    return 0
