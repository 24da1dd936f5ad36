"""A fake Telegram Bot API: a real aiohttp server on 127.0.0.1, in a thread of its own.

Tests push updates, read the calls the bot made, and plan failures (429 with retry_after, 500,
403, slow answers) for the next calls of a method. It is strict as Telegram is: a request
Telegram refuses (invalid HTML, text over 4,096 characters, callback_data over 64 bytes, more
than 100 buttons, more than 50 inline results) gets 400 and is listed in `rejected`.
"""

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict
from typing import Any

from aiohttp import web

from tests.fakes.telegram_rules import request_problem
from tests.fakes.threaded_server import ThreadedServer

TOKEN = "123456789:TESTTOKEN-not-a-real-one"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Target",
    "username": "targetbot_test",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
JSON_FIELDS = (
    "reply_markup",
    "results",
    "commands",
    "reply_parameters",
    "entities",
    "link_preview_options",
    "allowed_updates",
)


class FakeBotAPI(ThreadedServer):
    """The Bot API methods the bot uses, recorded; updates served to getUpdates."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, list[dict]] = defaultdict(list)
        self.failures: dict[str, list[tuple[int, dict, float]]] = defaultdict(list)
        self.updates: list[dict] = []
        self.message_ids = itertools.count(1000)
        self.update_ids = itertools.count(1)
        self.blocked_chats: set[int] = set()
        self.enforce_limits = False
        self.too_many = 0
        self.hold_after: int | None = None
        self.held = 0
        self.settled = 0  # held requests answered after the release
        self.released = threading.Event()
        self.sent_times: list[tuple[float, int]] = []
        self.send_delay = 0.0  # seconds each sendMessage takes (a slow server)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.downloads: list[str] = []
        self.rejected: list[tuple[str, str, dict]] = []  # (method, description, params): 400s
        self.pollers: list[asyncio.Future[None]] = []  # getUpdates calls waiting for an update
        self.stopping = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)

    def add_file(self, content: bytes, name: str) -> dict:
        """A file a user uploaded: its `document` object for a message update."""
        with self.lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = (f"documents/{file_id}{name[name.rfind('.') :]}", content)
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "file_size": len(content),
        }

    # -- what tests do ------------------------------------------------------------------

    def push(self, update: dict) -> dict:
        with self.lock:
            update = {"update_id": next(self.update_ids), **update}
            self.updates.append(update)
        if self.loop:
            self.loop.call_soon_threadsafe(self._wake_pollers)
        return update

    def fail_next(
        self,
        method: str,
        status: int,
        description: str = "error",
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self.lock:
            self.failures[method] += [(status, body, delay)] * times

    def recorded(self, method: str) -> list[dict]:
        with self.lock:
            return list(self.calls[method])

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[dict]:
        """The calls of `method` once there are `count` of them (woken as each is recorded)."""
        with self.changed:
            if self.changed.wait_for(lambda: len(self.calls[method]) >= count, timeout):
                return list(self.calls[method])
        raise AssertionError(f"{method}: {len(self.recorded(method))} calls, wanted {count}")

    async def await_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[dict]:
        return await asyncio.to_thread(self.wait_for, method, count, timeout)

    # -- the server ---------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                upload = {"filename": value.filename, "content_type": value.content_type}
                params[key] = upload | {"data": value.file.read()}
                continue
            text = value if isinstance(value, str) else ""
            params[key] = json.loads(text) if key in JSON_FIELDS and text else text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        with self.lock:
            planned = self.failures[method].pop(0) if self.failures[method] else None
            self.calls[f"{method}#attempts"].append(params)
            self.changed.notify_all()
        if planned:
            status, body, delay = planned
            await asyncio.sleep(delay)
            return web.json_response(body, status=status)
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._updates(params)})
        if problem := request_problem(method, params):
            return self._bad_request(method, problem, params)
        if method == "sendMessage" and (refusal := self._refuse(params)):
            return refusal
        if method == "sendMessage" and await self._held(request):
            return web.json_response({"ok": False, "error_code": 500}, status=500)
        if method == "sendMessage" and self.send_delay:
            await asyncio.sleep(self.send_delay)
        result = self._result(method, params)
        with self.lock:
            params["_result"] = result  # the attempt, in `<method>#attempts`, gets it too
            self.calls[method].append(params)
            self.changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _bad_request(self, method: str, problem: str, params: dict) -> web.Response:
        """400 as Telegram answers a request it refuses; remembered for `rejected`."""
        with self.lock:
            params["_rejected"] = problem
            self.rejected.append((method, problem, params))
        body = {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"}
        return web.json_response(body, status=400)

    async def _download(self, request: web.Request) -> web.Response:
        """GET /file/bot<token>/<file_path>, as api.telegram.org serves a file after getFile."""
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401)
        path = request.match_info["path"]
        with self.lock:
            found = [content for p, content in self.files.values() if p == path]
            self.downloads.append(path)
        if not found:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type="application/octet-stream")

    def _refuse(self, params: dict) -> web.Response | None:
        """403 for blocked chats; 429 beyond 30 a second or 20 a minute per group if enforced."""
        chat = int(params.get("chat_id") or 0)
        if chat in self.blocked_chats:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        if not self.enforce_limits:
            return None
        now = time.monotonic()
        with self.lock:
            recent = [(t, c) for t, c in self.sent_times if now - t < 60]
            last_second = sum(1 for t, _ in recent if now - t < 1)
            in_group = sum(1 for _, c in recent if c == chat) if chat < 0 else 0
            if last_second >= 30 or in_group >= 20:
                self.too_many += 1
                return web.json_response(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests",
                        "parameters": {"retry_after": 1},
                    },
                    status=429,
                )
            self.sent_times = [*recent, (now, chat)]
        return None

    async def _held(self, request: web.Request) -> bool:
        """After `hold_after` messages, hold sends until released; a sender that died meanwhile
        never had its message delivered (True: answer with an error, record nothing)."""
        with self.lock:
            holding = (
                self.hold_after is not None and len(self.calls["sendMessage"]) >= self.hold_after
            )
            if holding:
                self.held += 1
        if not holding:
            return False
        await asyncio.to_thread(self.released.wait, 60)
        transport = request.transport
        gone = transport is None or transport.is_closing()
        with self.lock:
            self.settled += 1
        return gone

    async def _updates(self, params: dict) -> list[dict]:
        """A long poll: the updates from `offset` on, as soon as there are any, else none after
        the poll's timeout (at most 0.5 s) or when the server stops."""
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
        while True:
            with self.lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                pending = list(self.updates)
            left = deadline - time.monotonic()
            if pending or left <= 0 or self.stopping:
                return pending
            poller = asyncio.get_running_loop().create_future()
            self.pollers.append(poller)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(poller, left)

    def _wake_pollers(self) -> None:
        """In the server's loop: the waiting getUpdates calls look again."""
        for poller in self.pollers:
            if not poller.done():
                poller.set_result(None)
        self.pollers.clear()

    def closing(self) -> None:
        self.stopping = True
        self._wake_pollers()

    def _result(self, method: str, params: dict) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id") or 0)
            return {
                "message_id": int(params.get("message_id") or next(self.message_ids)),
                "date": int(time.time()),
                "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "text": params.get("text", ""),
            }
        if method in ("sendPhoto", "sendDocument"):
            return self._file_message(method, params)
        if method == "getMyCommands":
            return []
        if method == "getFile":
            file_id = params.get("file_id", "")
            path, content = self.files[file_id]
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(content),
                "file_path": path,
            }
        return True

    def _file_message(self, method: str, params: dict) -> dict:
        """The Message a photo or document upload returns."""
        chat_id = int(params.get("chat_id") or 0)
        upload = params.get("photo" if method == "sendPhoto" else "document") or {}
        size = len(upload.get("data", b"")) if isinstance(upload, dict) else 0
        file = {
            "file_id": f"file-{next(self.message_ids)}",
            "file_unique_id": "u",
            "file_size": size,
        }
        message = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "caption": params.get("caption", ""),
        }
        if method == "sendPhoto":
            return message | {"photo": [file | {"width": 1000, "height": 600}]}
        return message | {"document": file | {"file_name": upload.get("filename", "")}}


# -- updates as Telegram sends them --------------------------------------------------------

USER = {"id": 42, "is_bot": False, "first_name": "Li", "language_code": "zh-hans"}
_message_ids = itertools.count(1)


def message(
    text: str | None = None, chat_id: int = 42, chat_type: str = "private", **extra: Any
) -> dict:
    """A message update (private by default)."""
    chat = (
        {"id": chat_id, "type": chat_type, "title": "预算组"}
        if chat_type != "private"
        else {"id": chat_id, "type": "private", "first_name": "Li"}
    )
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": USER,
        **extra,
    }
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"message": body}


def mention(text: str, chat_id: int = -100) -> dict:
    """A group message that mentions the bot."""
    tag = f"@{BOT_USER['username']}"
    update = message(f"{tag} {text}", chat_id=chat_id, chat_type="supergroup")
    update["message"]["entities"] = [{"type": "mention", "offset": 0, "length": len(tag)}]
    return update


def callback(data: str, bot_message: dict, question: dict | None = None) -> dict:
    """A button tap under a message the bot sent (that replied to `question`)."""
    shown = dict(bot_message)
    if question is not None:
        shown["reply_to_message"] = question
    return {
        "callback_query": {
            "id": str(next(_message_ids)),
            "from": USER,
            "chat_instance": "ci",
            "data": data,
            "message": shown,
        }
    }


def inline(query: str) -> dict:
    return {
        "inline_query": {"id": str(next(_message_ids)), "from": USER, "query": query, "offset": ""}
    }
