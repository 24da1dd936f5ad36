"""The channel protocol reminders are delivered through; bot/ implements it per chat service."""

from typing import Protocol

from jobs.reminder_text import ReminderMessage


class Rejected(Exception):
    """The chat can no longer be reached (bot blocked, kicked, chat gone): stop sending there."""


class Failed(Exception):
    """Sending failed for now (server error, timeout): the reminder is retried later."""


class Channel(Protocol):
    """Sends a reminder to one chat of its service ("telegram:123" -> chat id "123")."""

    prefix: str

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        """Deliver, or raise Rejected / Failed."""
        ...
