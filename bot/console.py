"""The console chat: questions from standard input, replies on standard output, until EOF."""

import asyncio
import sys
from typing import TextIO

from bot.assistant import Assistant, unavailable_reply
from bot.console_monitoring import console_reply
from store.messages import say
from store.offloop import StoreUnavailable

WELCOME = say("zh", "console_welcome")


async def run_console(
    assistant: Assistant, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> None:
    """Answer each line as a chat message; commands (/plan, /next ...) work as in Telegram.
    The engine runs in a worker thread, so the reminder scheduler keeps its time. The streams
    are the process's standard ones at the time of the call unless given."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty()
    print(WELCOME, file=stdout, flush=True)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        if not line.strip():
            continue
        question = line.rstrip("\n")
        try:
            answer = await assistant.off_loop(console_reply, assistant, question)
        except StoreUnavailable:
            answer = unavailable_reply(question).text
        print(answer + "\n", file=stdout, flush=True)
