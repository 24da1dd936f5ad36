"""A message key is taken once, by one process, and expires after a day."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from store.seen_messages import first_sight, forget


def test_a_key_is_taken_once_and_expires_after_a_day(engine: Engine) -> None:
    noon = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    assert first_sight(engine, "wecom:7", noon)
    assert not first_sight(engine, "wecom:7", noon + dt.timedelta(hours=23))
    assert first_sight(engine, "wecom:7", noon + dt.timedelta(days=1, minutes=1))


def test_a_forgotten_key_can_be_taken_again(engine: Engine) -> None:
    assert first_sight(engine, "telegram:1:5")
    forget(engine, "telegram:1:5")
    assert first_sight(engine, "telegram:1:5")


def test_threads_racing_for_one_key_take_it_once(engine: Engine) -> None:
    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda _: first_sight(engine, "wecom:race"), range(8)))
    assert taken.count(True) == 1
