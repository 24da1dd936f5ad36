"""An aiohttp server on 127.0.0.1 in a thread and event loop of its own, for the fake APIs."""

import asyncio
import threading

from aiohttp import web


class ThreadedServer:
    """Subclasses add their routes; tests talk to it over real HTTP from any thread or loop."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)  # notified when a call is recorded
        self.loop: asyncio.AbstractEventLoop | None = None
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.ready = threading.Event()

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self):
        threading.Thread(target=self._serve, daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def _serve(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        self.add_routes(app)
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = self.runner.addresses[0][1]
        self.ready.set()
        self.loop.run_forever()

    def closing(self) -> None:
        """Called in the server's loop before it stops: end what keeps a request open."""

    def stop(self) -> None:
        if self.loop and self.runner:
            self.loop.call_soon_threadsafe(self.closing)
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
