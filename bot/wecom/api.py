"""WeCom's server API over aiohttp: access token (cached, refreshed), message/send, group robots."""

import asyncio
import logging
import re
import time
from typing import Any
from urllib.parse import unquote

import aiohttp
from tenacity import wait_none

from bot.retrying import retrying

log = logging.getLogger(__name__)
TOKEN_EXPIRED = {40014, 42001}
TOO_FREQUENT = 45009
MEDIA_LIMIT = 20 * 1024 * 1024


class WeComError(Exception):
    """An errcode other than 0 from WeCom."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        self.errcode, self.errmsg = errcode, errmsg
        super().__init__(f"errcode {errcode}: {errmsg}")


def _token_refused(error: BaseException) -> bool:
    return isinstance(error, WeComError) and error.errcode in TOKEN_EXPIRED


class WeComAPI:
    """Calls to {WECOM_API_BASE_URL}/cgi-bin/...; the access token is fetched once and cached."""

    def __init__(
        self,
        base_url: str,
        session: aiohttp.ClientSession,
        corp_id: str | None = None,
        secret: str | None = None,
        agent_id: int | str | None = None,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.session = session
        self.corp_id, self.secret = corp_id, secret
        self.agent_id = int(agent_id) if agent_id not in (None, "") else None  # WeCom: an integer
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict:
        url = f"{self.base}/cgi-bin/{path}"
        timeout = aiohttp.ClientTimeout(total=10)
        async with self.session.request(method, url, timeout=timeout, **kwargs) as response:
            if response.status >= 500:
                raise WeComError(-response.status, f"HTTP {response.status}")
            return await response.json(content_type=None)

    async def token(self, refresh: bool = False) -> str:
        """The app's access token, from gettoken when missing, expired or refused."""
        async with self._token_lock:
            if self._token and not refresh and time.monotonic() < self._token[1]:
                return self._token[0]
            data = await self._json(
                "GET", "gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
            )
            if data.get("errcode", 0) != 0:
                raise WeComError(data.get("errcode", -1), data.get("errmsg", ""))
            expires = time.monotonic() + int(data.get("expires_in", 7200)) - 300
            self._token = (data["access_token"], expires)
            return self._token[0]

    async def send_text(self, user: str, content: str) -> None:
        """message/send a text to a user of the app; a refused token is refreshed once."""
        body = {
            "touser": user,
            "msgtype": "text",
            "agentid": self.agent_id,
            "text": {"content": content},
        }
        async for attempt in retrying("WeCom message/send", 2, wait_none(), _token_refused):
            with attempt:
                await self._send(body, refresh=attempt.retry_state.attempt_number > 1)

    async def _send(self, body: dict[str, Any], refresh: bool) -> None:
        """message/send with the cached token, or a new one when the last was refused."""
        token = await self.token(refresh=refresh)
        data = await self._json("POST", "message/send", params={"access_token": token}, json=body)
        code = data.get("errcode", 0)
        if code != 0:
            raise WeComError(code, data.get("errmsg", ""))

    async def _with_token(self, path: str, params: dict, make_body: Any) -> dict:
        """POST a body (made afresh per try) with the access token; a refused one is renewed."""
        for attempt in range(2):
            token = await self.token(refresh=attempt > 0)
            query = {"access_token": token, **params}
            data = await self._json("POST", path, params=query, **make_body())
            code = data.get("errcode", 0)
            if code == 0:
                return data
            if code not in TOKEN_EXPIRED:
                raise WeComError(code, data.get("errmsg", ""))
        raise WeComError(42001, "access token refused twice")

    async def upload_image(self, filename: str, data: bytes) -> str:
        """media/upload an image; its media_id (valid three days)."""

        def form() -> dict:
            body = aiohttp.FormData()
            body.add_field("media", data, filename=filename, content_type="image/png")
            return {"data": body}

        answer = await self._with_token("media/upload", {"type": "image"}, form)
        return str(answer["media_id"])

    async def send_image(self, user: str, media_id: str) -> None:
        """message/send an uploaded image to a user of the app."""
        body: dict[str, Any] = {"touser": user, "msgtype": "image", "agentid": self.agent_id}
        body |= {"image": {"media_id": media_id}}
        await self._with_token("message/send", {}, lambda: {"json": body})

    async def media(self, media_id: str) -> tuple[str | None, bytes]:
        """media/get: a file a user sent (its name from Content-Disposition, and its bytes)."""
        url = f"{self.base}/cgi-bin/media/get"
        timeout = aiohttp.ClientTimeout(total=120)
        for attempt in range(2):
            params = {"access_token": await self.token(refresh=attempt > 0), "media_id": media_id}
            async with self.session.get(url, params=params, timeout=timeout) as response:
                if response.status >= 400:
                    raise WeComError(-response.status, f"HTTP {response.status}")
                if response.content_type in ("application/json", "text/plain"):
                    data = await response.json(content_type=None)
                    if data.get("errcode", -1) in TOKEN_EXPIRED:
                        continue
                    raise WeComError(data.get("errcode", -1), data.get("errmsg", ""))
                body = await response.content.read(MEDIA_LIMIT + 1)
                if len(body) > MEDIA_LIMIT:
                    raise WeComError(-1, f"file larger than {MEDIA_LIMIT // 2**20} MB")
                disposition = response.headers.get("Content-Disposition", "")
                return filename_of(disposition), body
        raise WeComError(42001, "access token refused twice")

    async def robot(self, key: str, payload: dict) -> dict:
        """Post to a group robot's webhook; returns WeCom's answer (errcode, errmsg)."""
        return await self._json("POST", "webhook/send", params={"key": key}, json=payload)


def filename_of(disposition: str) -> str | None:
    """The file name of a Content-Disposition header (`filename="a.docx"` or RFC 5987)."""
    if m := re.search(r"filename\*=(?:UTF-8|utf-8)''([^;]+)", disposition):
        return unquote(m[1].strip('"'))
    if m := re.search(r'filename="?([^";]+)"?', disposition):
        return m[1]
    return None
