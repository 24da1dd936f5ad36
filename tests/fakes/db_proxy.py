"""A TCP proxy on 127.0.0.1 in front of the test PostgreSQL, in a thread of its own: tests make
the database unavailable (connections cut, new ones refused) or silent (bytes held, nothing
answered) without touching the shared server."""

import asyncio
import threading
from urllib.parse import urlsplit, urlunsplit

OPEN, DOWN, SILENT = "open", "down", "silent"


class DatabaseProxy:
    """Forwards to host:port while open; `down()` cuts every connection and refuses new ones,
    `silent()` keeps connections but forwards nothing; `open()` restores service."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url, self.target = parts, (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.state = OPEN
        self.changed: asyncio.Event | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0
        self.ready = threading.Event()

    @property
    def proxied_url(self) -> str:
        """The database URL, through the proxy."""
        auth = f"{self.url.username}@" if self.url.username else ""
        return urlunsplit(self.url._replace(netloc=f"{auth}127.0.0.1:{self.port}"))

    def start(self) -> "DatabaseProxy":
        threading.Thread(target=self._serve, daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self) -> None:
        """Cut every connection, end their tasks, then stop the loop (nothing left pending)."""
        if self.loop:
            asyncio.run_coroutine_threadsafe(self._close_all(), self.loop).result(5)
            self.loop.call_soon_threadsafe(self.loop.stop)

    async def _close_all(self) -> None:
        for writer in list(self.writers):
            writer.transport.abort()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def down(self) -> None:
        self._set(DOWN)

    def silent(self) -> None:
        self._set(SILENT)

    def open(self) -> None:
        self._set(OPEN)

    def _set(self, state: str) -> None:
        assert self.loop is not None
        asyncio.run_coroutine_threadsafe(self._change(state), self.loop).result(5)

    async def _change(self, state: str) -> None:
        self.state = state
        if state == DOWN:
            for writer in list(self.writers):
                writer.transport.abort()
            self.writers.clear()
        assert self.changed is not None
        self.changed.set()
        self.changed = asyncio.Event()

    def _serve(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.changed = asyncio.Event()
        server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.state == DOWN:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        for end in (writer, up_writer):
            self.writers.discard(end)
            end.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction until either end closes or resets (a reset is how a connection
        cut by `down()` ends: not an error of the proxy)."""
        try:
            while data := await reader.read(65536):
                while self.state == SILENT:
                    assert self.changed is not None
                    await self.changed.wait()
                if self.state == DOWN or writer.transport.is_closing():
                    return
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        writer.transport.abort()
