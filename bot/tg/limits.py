"""Telegram's flood limits (AIORateLimiter), plus retries with backoff for 5xx and timeouts."""

import asyncio
import logging
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (honours 429 retry_after) that also retries server errors and timeouts."""

    def __init__(self, server_retries: int = 4, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(max_retries=kwargs.pop("max_retries", 5), **kwargs)
        self.server_retries = server_retries
        self.backoff = backoff

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        """Retry a failed request on 5xx or timeouts; never getUpdates (the updater retries)."""
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as error:
                if endpoint == "getUpdates" or attempt >= self.server_retries:
                    raise
                delay = self.backoff * 2**attempt
                log.warning("Bot API %s failed (%s); retrying in %.1fs", endpoint, error, delay)
                attempt += 1
                await asyncio.sleep(delay)


def steady_limiter() -> RetryingRateLimiter:
    """28 messages a second overall and 20 a minute per group, evenly spaced (no bursts),
    under Telegram's ceiling of 30 a second."""
    return RetryingRateLimiter(
        overall_max_rate=1, overall_time_period=1 / 28, group_max_rate=1, group_time_period=3.05
    )
