"""One per process: the database engine, the clock and the answering engine, for every channel."""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import local_now
from bot.settings import Settings
from handlers.catalog import catalog_for
from handlers.engine import answer
from handlers.intents import examples, narrowed
from handlers.reply import Reply


class Assistant:
    """Answers questions from the store; channels share one instance."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def now(self) -> datetime:
        return local_now(self.settings.targetbot_tz)

    def ask(self, question: str, now: datetime | None = None) -> Reply:
        """The reply to a question or command."""
        with Session(self.engine) as session:
            return answer(question, session, now or self.now(), self.settings.glossary_file)

    def ask_about(self, question: str, project_code: str) -> Reply:
        """The reply to a question, narrowed to the answers of one project."""
        return narrowed(self.ask(question), project_code)

    def examples(self) -> list[str]:
        """Example questions this store can answer."""
        with Session(self.engine) as session:
            return examples(catalog_for(session), "zh")

    def project_names(self) -> list[tuple[str, str]]:
        """(code, name) of every project."""
        with Session(self.engine) as session:
            return [(p.code, p.name) for p in catalog_for(session).projects]

    def overview(self, project_code: str) -> Reply:
        """A project's overview, by code."""
        with Session(self.engine) as session:
            names = {p.code: p.name for p in catalog_for(session).projects}
        return self.ask(names.get(project_code, project_code))
