"""Monitoring in the console chat: the operator records actuals; charts and tables go to files."""

from pathlib import Path

from bot.assistant import Assistant
from handlers.chat_commands import parse_command
from handlers.subscription_replies import SUBSCRIPTION_COMMANDS
from store.messages import say


def console_reply(assistant: Assistant, text: str, folder: Path | None = None) -> str:
    """The console's answer: /chart and /monitor save a file and print its path; /actual,
    /progress and 人才住房6月底支出12000万 record (the console user is the operator);
    /subscribe and the like say how to subscribe a chat (the console gets no reminders)."""
    folder = folder or Path.cwd()
    command = parse_command(text)
    if command and command[0] == "chart":
        png, reply = assistant.chart(command[1])
        if png is None:
            return reply.text
        path = folder / f"chart-{command[1] or 'overview'}.png"
        path.write_bytes(png)
        return reply.text + "\n" + say("zh", "chart_saved", path=path.resolve())
    if command and command[0] == "monitor":
        data, filename, caption = assistant.monitor(command[1])
        path = folder / filename
        path.write_bytes(data)
        return caption + "\n" + say("zh", "monitor_saved", path=path.resolve())
    if command and command[0] in SUBSCRIPTION_COMMANDS:
        return say("zh", "console_no_reminders")
    outcome = assistant.record("console", True, text)
    return outcome.reply.text if outcome else assistant.ask(text).text
