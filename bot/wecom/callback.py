"""The self-built app's callback, /wecom/callback on aiohttp: verify, decrypt, answer, encrypt."""

import asyncio
import codecs
import contextlib
import logging
import re
import secrets
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Coroutine
from typing import Any

from aiohttp import web
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from bot.assistant import Assistant, unavailable_reply
from bot.document_upload import import_upload, refusal_for
from bot.message_split import split_text, utf8_size
from bot.settings import is_admin
from bot.wecom.api import WeComAPI, WeComError
from bot.wecom.crypto import CryptoError, WeComCrypto
from bot.wecom.images import send_app_image
from handlers.chat_commands import parse_command
from handlers.monitoring_chat import Button
from handlers.reply import Reply
from handlers.reply_words import pressed_by_word, with_reply_words
from store.messages import say
from store.offloop import StoreUnavailable
from store.seen_messages import first_sight, forget

log = logging.getLogger(__name__)
PASSIVE_LIMIT = 2048
PASSIVE_WAIT = 4.0  # WeCom drops a passive reply after 5 s: slower answers go by message/send
NON_TEXT_HINT = say("zh", "non_text", example=say("zh", "example_question"))
PATH = "/wecom/callback"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


ENCRYPT = re.compile(r"<Encrypt>\s*(?:<!\[CDATA\[)?([A-Za-z0-9+/=]+)(?:\]\]>)?\s*</Encrypt>")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def encrypted_field(body: bytes) -> str | None:
    """The Encrypt text of a body, found without parsing it (the signature is checked first)."""
    encoding = next((name for bom, name in BOMS if body.startswith(bom)), "utf-8")
    match = ENCRYPT.search(body.decode(encoding, errors="replace"))
    return match[1] if match else None


def parse_xml(body: bytes | str) -> ET.Element:
    """Parse XML with defusedxml: entities and DTDs (XML bombs) refused in any encoding."""
    try:
        return defused_fromstring(body, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ValueError(f"refused XML: {type(error).__name__}") from None


class Callback:
    """Answers WeCom's GET (URL verification) and POST (messages) for one app."""

    def __init__(
        self,
        crypto: WeComCrypto,
        assistant: Assistant,
        api: WeComAPI,
        passive_wait: float = PASSIVE_WAIT,
    ) -> None:
        self.crypto, self.assistant, self.api = crypto, assistant, api
        self.passive_wait = passive_wait
        self.answered: OrderedDict[str, asyncio.Future] = OrderedDict()
        self.background: set[asyncio.Task] = set()
        self.offers: OrderedDict[str, list[Button]] = OrderedDict()  # per user, last record only

    def application(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_get(PATH, self.verify_url)
        app.router.add_post(PATH, self.receive)
        return app

    async def verify_url(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            echostr = query["echostr"]
            self.crypto.verify(query["msg_signature"], query["timestamp"], query["nonce"], echostr)
            return web.Response(text=self.crypto.decrypt(echostr))
        except KeyError:
            return web.Response(status=400, text="missing parameters")
        except CryptoError as error:
            log.warning("WeCom URL verification refused: %s", error)
            return web.Response(status=403, text="forbidden")

    async def receive(self, request: web.Request) -> web.Response:
        try:
            message = await self.verified_message(request)
        except (KeyError, ValueError, ET.ParseError):
            return web.Response(status=400, text="bad request")
        except CryptoError as error:
            log.warning("WeCom callback refused: %s", error)
            return web.Response(status=403, text="forbidden")
        return await self.once(message)

    async def verified_message(self, request: web.Request) -> ET.Element:
        """The decrypted message: the signature is checked before any XML is parsed, then the
        body and the message are parsed with defusedxml (the parsed Encrypt must be the signed
        one)."""
        query = request.query
        signature, timestamp, nonce = query["msg_signature"], query["timestamp"], query["nonce"]
        body = await request.read()
        encrypted = encrypted_field(body)
        if encrypted is None:
            raise CryptoError("no Encrypt field to check the signature of")
        self.crypto.verify(signature, timestamp, nonce, encrypted)
        if (parse_xml(body).findtext("Encrypt") or "").strip() != encrypted:
            raise CryptoError("the parsed Encrypt is not the signed one")
        return parse_xml(self.crypto.decrypt(encrypted))

    async def once(self, message: ET.Element) -> web.Response:
        """WeCom retries a message it thinks unanswered: the same MsgId is answered once."""
        msg_id = message.findtext("MsgId") or ""
        if msg_id and msg_id in self.answered:
            body = await asyncio.shield(self.answered[msg_id])
            return web.Response(text=body, content_type="text/xml")
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        if msg_id:
            self.answered[msg_id] = future
            while len(self.answered) > 2000:
                self.answered.popitem(last=False)
        key = f"wecom:{self.crypto.receive_id}:{msg_id}"
        try:
            body = await self.answer(message) if await self.first_sight(msg_id, key) else ""
        except BaseException:
            self.answered.pop(msg_id, None)
            future.cancel()
            await self.forget(msg_id, key)
            raise
        future.set_result(body)
        return web.Response(text=body, content_type="text/xml")

    async def first_sight(self, msg_id: str, key: str) -> bool:
        """Whether this process takes the MsgId (the store decides among replicas); a message
        without one, or a store out of reach, is answered (twice at worst, never not at all)."""
        if not msg_id:
            return True
        try:
            first = await self.assistant.off_loop(first_sight, self.assistant.engine, key)
        except StoreUnavailable as error:
            log.warning("could not record WeCom MsgId %s as seen: %s", msg_id, error)
            return True
        if not first:
            log.info("WeCom MsgId %s was already taken; not answered again", msg_id)
        return bool(first)

    async def forget(self, msg_id: str, key: str) -> None:
        """Give the MsgId back when answering failed, so WeCom's retry is answered."""
        if msg_id:
            with contextlib.suppress(Exception):
                await self.assistant.off_loop(forget, self.assistant.engine, key)

    async def answer(self, message: ET.Element) -> str:
        """The encrypted passive reply, or "" when the answer goes out by message/send (too
        long, or not ready within `passive_wait`). The engine runs in a worker thread."""
        user = message.findtext("FromUserName") or ""
        if message.findtext("MsgType") == "file":
            return self.receive_file(user, message)
        if (message.findtext("MsgType") or "") != "text":
            if message.findtext("MsgType") == "event":
                return ""
            return self.passive(user, NON_TEXT_HINT)
        text = message.findtext("Content") or ""
        if (command := parse_command(text)) and command[0] == "chart":
            self.in_background(self.send_chart(user, command[1]))
            return ""
        work = asyncio.ensure_future(self.reply_to(user, text))
        try:
            reply = await asyncio.wait_for(asyncio.shield(work), self.passive_wait)
        except TimeoutError:
            self.in_background(self.send_when_done(user, work))
            return ""
        if len(reply.text.encode()) <= PASSIVE_LIMIT:
            return self.passive(user, reply.text)
        self.in_background(self.send_long(user, reply.text))
        return ""

    async def reply_to(self, user: str, text: str) -> Reply:
        """The engine's reply, computed off the event loop; the polite one if the store is out.
        A reply word (确认, 撤销) presses a button of the user's last record, and only that."""
        offered = self.offers.pop(user, [])
        pressed = pressed_by_word(text, offered) if offered else None
        try:
            reply, buttons = await self.assistant.off_loop(self.respond, user, text, pressed)
        except StoreUnavailable as error:
            log.warning("store unavailable while answering a WeCom message: %s", error)
            return unavailable_reply(text)
        if buttons:
            self.offers[user] = buttons
            while len(self.offers) > 2000:
                self.offers.popitem(last=False)
        return reply

    def respond(self, user: str, text: str, pressed: Button | None) -> tuple[Reply, list[Button]]:
        """An actual recorded (admins; /actual, /progress, 人才住房6月底支出12000万) or a pressed
        reply word, with the words it offers in turn; else the engine's answer."""
        chat, admin = f"wecomapp:{user}", is_admin(self.assistant.settings, user)
        if pressed is not None:
            outcome = self.assistant.press(chat, admin, pressed.data, chat)
        else:
            outcome = self.assistant.record(chat, admin, text, chat)
        if outcome is None:
            return self.assistant.command(chat, text), []
        return with_reply_words(outcome), outcome.buttons

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def send_when_done(self, user: str, work: asyncio.Future) -> None:
        try:
            reply = await work
        except Exception:
            log.exception("answering a WeCom message failed")
            return
        await self.send_long(user, reply.text)

    async def send_chart(self, user: str, args: str) -> None:
        """/chart [项目]: the PNG uploaded (media/upload) and sent as an image, or the refusal."""
        try:
            png, reply = await self.assistant.off_loop(self.assistant.chart, args)
        except StoreUnavailable as error:
            log.warning("store unavailable while drawing a chart for WeCom: %s", error)
            png, reply = None, unavailable_reply(args)
        try:
            if png is None:
                await self.api.send_text(user, reply.text)
            else:
                await send_app_image(self.api, user, png)
        except (WeComError, OSError) as error:
            log.warning("sending a chart to a WeCom user failed: %s", error)

    def receive_file(self, user: str, message: ET.Element) -> str:
        """An admin's file is fetched (media/get) and imported; the report follows by
        message/send. Anyone else is told, in the passive reply, that only admins load files."""
        name = message.findtext("FileName") or message.findtext("Title") or "document"
        if not is_admin(self.assistant.settings, user):
            return self.passive(user, say("zh", "upload_admins_only"))
        task = asyncio.get_running_loop().create_task(
            self.import_file(user, message.findtext("MediaId") or "", name)
        )
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return ""

    async def import_file(self, user: str, media_id: str, name: str) -> None:
        try:
            sent_name, data = await self.api.media(media_id)
        except (WeComError, OSError) as error:
            log.warning("media/get of a sent file failed: %s", error)
            await self.send_long(user, say("zh", "upload_download_failed", name=name))
            return
        name = sent_name or name
        if refusal := refusal_for(self.assistant.settings, user, name, len(data)):
            await self.send_long(user, refusal)
            return
        text = await asyncio.to_thread(import_upload, self.assistant.engine, name, data)
        await self.send_long(user, text)

    async def send_long(self, user: str, text: str) -> None:
        for piece in split_text(text, PASSIVE_LIMIT, utf8_size):
            try:
                await self.api.send_text(user, piece)
            except (WeComError, OSError) as error:
                log.warning("message/send to a WeCom user failed: %s", error)
                return

    def passive(self, user: str, content: str) -> str:
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
        inner = (
            f"<xml><ToUserName>{cdata(user)}</ToUserName>"
            f"<FromUserName>{cdata(self.crypto.receive_id)}</FromUserName>"
            f"<CreateTime>{timestamp}</CreateTime><MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(content)}</Content></xml>"
        )
        encrypted = self.crypto.encrypt(inner)
        signature = self.crypto.sign(timestamp, nonce, encrypted)
        return (
            f"<xml><Encrypt>{cdata(encrypted)}</Encrypt>"
            f"<MsgSignature>{cdata(signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>"
        )


async def start_callback(callback: Callback, host: str, port: int) -> web.AppRunner:
    """Serve the callback in the running loop; the caller cleans the runner up."""
    runner = web.AppRunner(callback.application(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("WeCom callback listening on %s:%s%s", host, port, PATH)
    return runner
