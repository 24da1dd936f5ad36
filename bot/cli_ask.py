"""`targetbot ask`: one question, or one per line of standard input with --json."""

import argparse
import json
import sys

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import command_line_now
from bot.settings import Settings
from handlers.routing import answer_question


def cmd_ask(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Print the reply text, or the reply objects as JSON lines."""
    now = command_line_now(settings.targetbot_tz, args.now)
    if now is None:
        return 2
    questions = [args.question] if args.question is not None else None
    with Session(engine) as session:
        if questions is None:
            if not args.json:
                print(
                    "targetbot: give a QUESTION, or --json to read questions from stdin",
                    file=sys.stderr,
                )
                return 2
            for line in sys.stdin:
                reply = answer_question(line.rstrip("\n"), session, now, settings.glossary_file)
                print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
            return 0
        reply = answer_question(args.question, session, now, settings.glossary_file)
    print(json.dumps(reply.to_json(), ensure_ascii=False) if args.json else reply.text)
    return 0
