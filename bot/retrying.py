"""Retries of outgoing calls (tenacity): which failures, how many attempts, how long between."""

import logging
from collections.abc import Callable

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)
from tenacity.wait import WaitBaseT

log = logging.getLogger(__name__)


def backoff(base: float) -> WaitBaseT:
    """`base`, then 2×, 4×, … seconds (RETRY_BASE_WAIT; tests set it near zero)."""
    return wait_exponential(multiplier=base, min=0)


def retrying(
    what: str, attempts: int, wait: WaitBaseT, when: Callable[[BaseException], bool]
) -> AsyncRetrying:
    """Up to `attempts` tries of a call while it fails with an error `when` accepts, waiting
    `wait` between; each retry logged with `what`; the last error raised as it is."""
    return AsyncRetrying(
        retry=retry_if_exception(when),
        stop=stop_after_attempt(attempts),
        wait=wait,
        before_sleep=_log_retry(what),
        reraise=True,
    )


def _log_retry(what: str) -> Callable[[RetryCallState], None]:
    def log_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("%s failed (%s); retrying in %.1fs", what, error, state.upcoming_sleep)

    return log_retry
