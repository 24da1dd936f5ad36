"""Telegram's flood limits (AIORateLimiter), plus retries with backoff for 5xx and timeouts."""

from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

from bot.retrying import backoff, retrying

# calls that put something in front of a user: sent twice, the user sees it twice
SENDS = frozenset({"sendMessage", "editMessageText", "sendPhoto", "sendDocument"})
NOT_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout)  # the request never left


def server_fault(error: BaseException) -> bool:
    """5xx answers and timeouts (NetworkError), not a request the server refused (BadRequest)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def maybe_delivered(error: BaseException | None) -> bool:
    """A timeout after the request went out: Telegram may have delivered it."""
    return isinstance(error, TimedOut) and not isinstance(error.__cause__, NOT_SENT)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (honours 429 retry_after) that also retries server errors and timeouts;
    with `resend_after_timeout` False, a send that timed out after it went out is not resent."""

    def __init__(
        self,
        server_retries: int = 4,
        base_wait: float = 0.5,
        resend_after_timeout: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(max_retries=kwargs.pop("max_retries", 5), **kwargs)
        self.server_retries = server_retries
        self.base_wait = base_wait
        self.resend_after_timeout = resend_after_timeout

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        """Retry a failed request on 5xx or timeouts; never getUpdates (the updater retries)."""
        request = super().process_request
        if endpoint == "getUpdates":
            return await request(callback, args, kwargs, endpoint, data, rate_limit_args)
        when = server_fault
        if endpoint in SENDS and not self.resend_after_timeout:

            def when(error: BaseException) -> bool:
                return server_fault(error) and not maybe_delivered(error)

        attempts = retrying(
            f"Bot API {endpoint}", self.server_retries + 1, backoff(self.base_wait), when
        )
        return await attempts(request, callback, args, kwargs, endpoint, data, rate_limit_args)


def steady_limiter(
    base_wait: float = 0.5,
    per_second: float = 28.0,
    group_interval: float = 3.05,
    resend_after_timeout: bool = True,
) -> RetryingRateLimiter:
    """`per_second` messages overall (28, under Telegram's ceiling of 30) and one per
    `group_interval` seconds per group (20 a minute), evenly spaced (no bursts); failed calls
    retried after `base_wait`, 2×, 4×…; chat answers pass `resend_after_timeout=False` (a reply
    seen twice is worse than a lost one the user can ask again), reminders keep it (see README:
    a reminder may arrive twice). Tests pace a fake server faster."""
    return RetryingRateLimiter(
        base_wait=base_wait,
        resend_after_timeout=resend_after_timeout,
        overall_max_rate=1,
        overall_time_period=1 / per_second,
        group_max_rate=1,
        group_time_period=group_interval,
    )
