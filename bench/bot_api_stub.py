"""A minimal Telegram Bot API for the benchmarks: getMe, getUpdates and sendMessage on 127.0.0.1.

A real aiohttp server in a thread of its own, so the bot under measurement talks real HTTP. With
`enforce_limits` it answers 429 past Telegram's ceilings (30 messages a second overall, 20 a
minute in one group), as the real server would.
"""

import asyncio
import threading
import time
from typing import Any

from aiohttp import web

TOKEN = "123456789:BENCH-not-a-real-token"
ME = {"id": 123456789, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class BotAPIStub:
    """The server, and what it accepted: `sent` holds (monotonic time, chat id) per message."""

    def __init__(self, enforce_limits: bool = False) -> None:
        self.enforce_limits = enforce_limits
        self.sent: list[tuple[float, int]] = []
        self.too_many = 0
        self._updates: list[dict[str, Any]] = []
        self._update_id = 0
        self._changed = threading.Condition()
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> "BotAPIStub":
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def push_text(self, text: str, chat_id: int = 42) -> None:
        """A private message from a user, served to the next getUpdates."""
        with self._changed:
            self._update_id += 1
            chat = {"id": chat_id, "type": "private", "first_name": "Bench"}
            message = {"message_id": self._update_id, "date": int(time.time()), "chat": chat}
            user = {"id": chat_id, "is_bot": False, "first_name": "Bench"}
            self._updates.append(
                {"update_id": self._update_id, "message": {**message, "from": user, "text": text}}
            )

    def wait_sent(self, count: int, timeout: float = 30.0) -> None:
        """Block until `count` messages were accepted."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.sent) >= count, timeout):
                raise TimeoutError(f"{len(self.sent)} messages sent, expected {count}")

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._call)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        self._loop.run_forever()

    async def _call(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.json() if request.content_type == "application/json" else None
        form = form or dict(await request.post())
        if method == "getUpdates":
            return _ok(await self._next_updates(int(str(form.get("offset") or 0))))
        if method == "sendMessage":
            return self._send(int(str(form.get("chat_id"))), str(form.get("text", "")))
        return _ok(ME if method == "getMe" else True)

    async def _next_updates(self, offset: int) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 0.5
        while True:
            with self._changed:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = list(self._updates)
            if pending or time.monotonic() > deadline:
                return pending
            await asyncio.sleep(0.002)

    def _send(self, chat_id: int, text: str) -> web.Response:
        now = time.monotonic()
        with self._changed:
            if self.enforce_limits and self._over_limit(now, chat_id):
                self.too_many += 1
                body = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
                return web.json_response({**body, "parameters": {"retry_after": 1}}, status=429)
            self.sent.append((now, chat_id))
            self._changed.notify_all()
            number = len(self.sent)
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        return _ok({"message_id": number, "date": int(time.time()), "chat": chat, "text": text})

    def _over_limit(self, now: float, chat_id: int) -> bool:
        last_second = sum(1 for t, _ in reversed(self.sent[-40:]) if now - t < 1)
        in_group = chat_id < 0 and sum(1 for t, c in self.sent if c == chat_id and now - t < 60)
        return last_second >= 30 or in_group >= 20


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
