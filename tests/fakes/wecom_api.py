"""A fake WeCom server API: gettoken, message/send and group-robot webhooks, as a real aiohttp
server on 127.0.0.1 in a thread of its own, with WeCom's limits and error codes."""

import asyncio
import base64
import hashlib
import itertools
import threading
import time
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from aiohttp import web

from tests.fakes.threaded_server import ThreadedServer

CORP_ID = "ww1436e0e65a779aee"
SECRET = "app-secret-for-tests"


class FakeWeCom(ThreadedServer):
    """Records what was sent; plans errcodes; enforces 20 messages a minute per robot."""

    def __init__(self) -> None:
        super().__init__()
        self.robot_posts: dict[str, list[dict]] = defaultdict(list)
        self.app_messages: list[dict] = []
        self.uploads: dict[str, dict] = {}
        self.token_calls = 0
        self.valid_tokens: set[str] = set()
        self.tokens = itertools.count(1)
        self.planned: dict[str, list[dict]] = defaultdict(list)
        self.robot_times: dict[str, list[float]] = defaultdict(list)
        self.too_frequent = 0
        self.too_long = 0
        self.hold_after: int | None = None
        self.held = 0
        self.settled = 0  # held requests answered after the release
        self.released = threading.Event()
        self.media: dict[str, tuple[str, bytes]] = {}  # media_id -> (file name, content)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/message/send", self._message_send)
        app.router.add_post("/cgi-bin/webhook/send", self._webhook)
        app.router.add_post("/cgi-bin/media/upload", self._media_upload)
        app.router.add_get("/cgi-bin/media/get", self._media_get)

    def add_media(self, content: bytes, name: str) -> str:
        """A file a user sent to the app: its MediaId for the file message."""
        with self.lock:
            media_id = f"media-{len(self.media) + 1}"
            self.media[media_id] = (name, content)
        return media_id

    # -- what tests do ------------------------------------------------------------------

    def plan(self, endpoint: str, errcode: int, errmsg: str = "planned", times: int = 1) -> None:
        with self.lock:
            self.planned[endpoint] += [{"errcode": errcode, "errmsg": errmsg}] * times

    def expire_tokens(self) -> None:
        with self.lock:
            self.valid_tokens.clear()

    def posts(self, key: str | None = None) -> list[dict]:
        with self.lock:
            if key is not None:
                return list(self.robot_posts[key])
            return [post for posts in self.robot_posts.values() for post in posts]

    def wait_for_app_messages(self, count: int, timeout: float = 15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.app_messages) >= count:
                    return list(self.app_messages)
            time.sleep(0.01)
        raise AssertionError(f"{len(self.app_messages)} app messages, wanted {count}")

    # -- the server ---------------------------------------------------------------------

    def _planned(self, endpoint: str) -> dict | None:
        with self.lock:
            return self.planned[endpoint].pop(0) if self.planned[endpoint] else None

    async def _gettoken(self, request: web.Request) -> web.Response:
        if request.query.get("corpid") != CORP_ID or request.query.get("corpsecret") != SECRET:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        with self.lock:
            self.token_calls += 1
            token = f"token-{next(self.tokens)}"
            self.valid_tokens.add(token)
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        )

    async def _message_send(self, request: web.Request) -> web.Response:
        if planned := self._planned("message/send"):
            return web.json_response(planned)
        with self.lock:
            valid = request.query.get("access_token") in self.valid_tokens
        if not valid:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        body: dict[str, Any] = await request.json()
        if type(body.get("agentid")) is not int:  # WeCom documents agentid as an integer
            return web.json_response({"errcode": 40056, "errmsg": "invalid agentid"})
        if len(body.get("text", {}).get("content", "").encode()) > 2048:
            return web.json_response({"errcode": 44004, "errmsg": "content too long"})
        with self.lock:
            self.app_messages.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _media_upload(self, request: web.Request) -> web.Response:
        """media/upload: a multipart "media" file of a known type, with a valid token."""
        with self.lock:
            valid = request.query.get("access_token") in self.valid_tokens
        if not valid:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if request.query.get("type") not in ("image", "voice", "video", "file"):
            return web.json_response({"errcode": 40004, "errmsg": "invalid media type"})
        form = await request.post()
        media = form.get("media")
        if not isinstance(media, web.FileField):
            return web.json_response({"errcode": 41009, "errmsg": "missing media"})
        data = media.file.read()
        with self.lock:
            media_id = f"media-{len(self.uploads) + 1}"
            self.uploads[media_id] = {"filename": media.filename, "data": data}
        return web.json_response({"errcode": 0, "type": "image", "media_id": media_id})

    @staticmethod
    def _bad_image(body: dict) -> dict | None:
        """A robot image must be base64 of at most 2 MB whose md5 matches."""
        image = body.get("image", {})
        try:
            data = base64.b64decode(image.get("base64", ""), validate=True)
        except ValueError:
            return {"errcode": 40009, "errmsg": "invalid image base64"}
        if len(data) > 2 * 1024 * 1024:
            return {"errcode": 40009, "errmsg": "image too large"}
        if hashlib.md5(data).hexdigest() != image.get("md5"):
            return {"errcode": 40009, "errmsg": "image md5 mismatch"}
        return None

    async def _media_get(self, request: web.Request) -> web.Response:
        """The file's bytes with its name in Content-Disposition, or a JSON errcode."""
        with self.lock:
            valid = request.query.get("access_token") in self.valid_tokens
            found = self.media.get(request.query.get("media_id", ""))
        if not valid:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if found is None:
            return web.json_response({"errcode": 40007, "errmsg": "invalid media_id"})
        name, content = found
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=content,
            content_type="application/octet-stream",
            headers={"Content-Disposition": disposition},
        )

    async def _webhook(self, request: web.Request) -> web.Response:
        key = request.query.get("key", "")
        if planned := self._planned("webhook/send"):
            return web.json_response(planned)
        body: dict[str, Any] = await request.json()
        if body.get("msgtype") == "image" and (refusal := self._bad_image(body)):
            return web.json_response(refusal)
        content = body.get(body.get("msgtype", ""), {}).get("content", "")
        if len(content.encode()) > 4096:
            with self.lock:
                self.too_long += 1
            return web.json_response({"errcode": 40058, "errmsg": "content exceed max length"})
        now = time.monotonic()
        with self.lock:
            recent = [t for t in self.robot_times[key] if now - t < 60]
            if len(recent) >= 20:
                self.too_frequent += 1
                return web.json_response({"errcode": 45009, "errmsg": "api freq out of limit"})
            holding = self.hold_after is not None and len(self.posts_unlocked()) >= self.hold_after
            if holding:
                self.held += 1
        if holding:
            await asyncio.to_thread(self.released.wait, 60)
            transport = request.transport
            gone = transport is None or transport.is_closing()
            with self.lock:
                self.settled += 1
            if gone:
                return web.json_response({"errcode": -1, "errmsg": "client gone"})
        with self.lock:
            self.robot_times[key] = [*recent, now]
            self.robot_posts[key].append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def posts_unlocked(self) -> list[dict]:
        return [post for posts in self.robot_posts.values() for post in posts]
