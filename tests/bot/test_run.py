"""`targetbot run` end to end: as a Telegram bot against the fake Bot API, and as a console."""

import os
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from store.db import open_database
from store.documents import parse_file
from store.importer import import_document
from tests.bot.cli_runner import Cli
from tests.bot.test_wecom import AES_KEY, CRYPTO, incoming, passive_text
from tests.bot.test_wecom import TOKEN as WECOM_TOKEN
from tests.conftest import SAMPLE, empty_postgres_at_newest_schema
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message
from tests.fakes.wecom_api import CORP_ID, SECRET, FakeWeCom

TARGETBOT = str(Path(sys.executable).parent / "targetbot")


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WECOM_", "DATABASE_URL"))
    }
    return {**env, **extra}


def test_run_serves_telegram_against_the_bot_api_server(tmp_path: Path, db: str) -> None:
    fake = FakeBotAPI().start()
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url, DATABASE_URL=db)
    process = subprocess.Popen(
        [TARGETBOT, "run"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        fake.wait_for("getUpdates#attempts", 1, timeout=90)  # a process start on a busy machine
        fake.push(message("人才住房预算多少"))
        (sent,) = fake.wait_for("sendMessage", 1, timeout=30)
        assert "14424.00" in sent["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        fake.stop()
    assert process.returncode == 0, err
    assert "Traceback" not in err and TOKEN not in err + out
    assert "Telegram channel running as @targetbot_test" in err


def test_run_without_a_token_is_a_console_chat_that_reads_piped_lines(tmp_path: Path) -> None:
    done = subprocess.run(
        [TARGETBOT, "run", "--db", f"sqlite:///{tmp_path / 'console.db'}"],
        input="贷款笔数目标是多少\n/plan 人才住房\n今天天气怎么样\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "已载入示例文件 qingdao-2022.txt" in out
    assert "发放贷款笔数：≥20000笔" in out
    assert "人才住房购置及后期管理 资金支出计划" in out and "14172.00 万元" in out
    assert "抱歉，我不知道“今天天气怎么样”" in out
    assert out.index("≥20000笔") < out.index("资金支出计划") < out.index("今天天气")


class Replica:
    """A `targetbot run` process whose stderr lines are collected as they come."""

    def __init__(self, env: dict[str, str], cwd: Path, changed: threading.Condition) -> None:
        self.process = subprocess.Popen(
            [TARGETBOT, "run"], cwd=cwd, env=env, text=True, stderr=subprocess.PIPE
        )
        self.lines: list[str] = []
        self.changed = changed  # shared by the replicas: notified at every line of any
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for_line(self, text: str, timeout: float = 60) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: any(text in x for x in self.lines), timeout):
                raise AssertionError(f"no {text!r} in:\n{''.join(self.lines)}")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return "".join(self.lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replica_env(bot_api: FakeBotAPI, wecom: FakeWeCom, db: str) -> tuple[dict[str, str], dict]:
    """Settings of one replica: Telegram by webhook and the WeCom app, on their own ports."""
    ports = {"telegram": free_port(), "wecom": free_port()}
    env = clean_env(
        DATABASE_URL=db,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=bot_api.base_url,
        TELEGRAM_WEBHOOK_URL=f"https://bot.example/{ports['telegram']}",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(ports["telegram"]),
        WECOM_API_BASE_URL=wecom.base_url,
        WECOM_CORP_ID=CORP_ID,
        WECOM_AGENT_ID="1000002",
        WECOM_SECRET=SECRET,
        WECOM_TOKEN=WECOM_TOKEN,
        WECOM_AES_KEY=AES_KEY,
        WECOM_CALLBACK_HOST="127.0.0.1",
        WECOM_CALLBACK_PORT=str(ports["wecom"]),
    )
    return env, ports


def post_to_all(urls: list[str], **request: Any) -> list[tuple[int, str]]:
    """The same request to every replica at once; their answers."""

    def one(url: str) -> tuple[int, str]:
        with httpx.Client(timeout=30) as client:
            response = client.post(url, **request)
            return response.status_code, response.text

    with ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(one, urls))


@pytest.mark.slow
@pytest.mark.skipif("TEST_DATABASE_URL" not in os.environ, reason="needs PostgreSQL")
def test_two_replicas_on_one_postgresql_answer_a_redelivered_message_once(
    tmp_path: Path, postgres_url: str
) -> None:
    empty_postgres_at_newest_schema(postgres_url)
    engine = open_database(postgres_url)
    import_document(engine, parse_file(SAMPLE))  # as `targetbot import` does, in this process
    engine.dispose()
    bot_api, wecom = FakeBotAPI().start(), FakeWeCom().start()
    configured = [replica_env(bot_api, wecom, postgres_url) for _ in range(2)]
    changed = threading.Condition()
    replicas = [Replica(env, tmp_path, changed) for env, _ in configured]
    logs: list[str] = []
    try:
        for replica in replicas:
            replica.wait_for_line("WeCom callback listening", timeout=90)
        update = {"update_id": 7001, **message("人才住房预算多少")}
        hooks = [f"http://127.0.0.1:{ports['telegram']}/telegram" for _, ports in configured]
        assert [s for s, _ in post_to_all(hooks, json=update)] == [200, 200]
        params, body = incoming("贷款笔数目标是多少", msg_id="880001", crypto=CRYPTO)
        callbacks = [f"http://127.0.0.1:{ports['wecom']}/wecom/callback" for _, ports in configured]
        answers = post_to_all(callbacks, params=params, content=body)
        taken = [
            taken_elsewhere(replicas, f"{what} was already taken")
            for what in ("Telegram update 7001", "WeCom MsgId 880001")
        ]
        bot_api.wait_for("sendMessage", 1)
        passive = [passive_text(text) for status, text in answers if status == 200 and text]
        if not passive:  # a slow answer follows by message/send
            wecom.wait_for_app_messages(1, timeout=30)
        assert len(passive) + len(wecom.app_messages) == 1
        assert len(bot_api.recorded("sendMessage")) == 1
        assert "14424.00" in bot_api.recorded("sendMessage")[0]["text"]
        assert taken == [True, True]
    finally:
        logs = [replica.stop() for replica in replicas]
        bot_api.stop()
        wecom.stop()
    assert all("Traceback" not in log for log in logs), logs


def taken_elsewhere(replicas: list[Replica], text: str, timeout: float = 30) -> bool:
    """Whether a replica logged `text` (the other answered) within `timeout` seconds."""
    logged = lambda: any(text in line for r in replicas for line in r.lines)  # noqa: E731
    with replicas[0].changed:
        return replicas[0].changed.wait_for(logged, timeout)


def test_run_with_a_refused_token_exits_at_once_with_one_line(tmp_path: Path, cli: Cli) -> None:
    fake = FakeBotAPI().start()
    env = {"TELEGRAM_BOT_TOKEN": "1:refused", "TELEGRAM_API_BASE_URL": fake.base_url}
    try:  # in this process: what is shown is run's own refusal, not a process's start
        done = cli("run", "--db", f"sqlite:///{tmp_path / 't.db'}", env=env)
    finally:
        fake.stop()
    assert done.code == 2 and "Traceback" not in done.err
    lines = [line for line in done.err.splitlines() if "targetbot:" in line]
    assert lines == [
        "targetbot: the Bot API refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
        "copy the bot's token from @BotFather"
    ]
    assert "1:refused" not in done.err and "retrying" not in done.err


def test_run_retries_an_unreachable_bot_api_with_one_log_line_per_attempt(
    tmp_path: Path,
) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
        RETRY_BASE_WAIT="0.01",
    )
    replica = Replica(
        {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}, tmp_path, threading.Condition()
    )
    replica.wait_for_line("the Bot API is unreachable")
    with replica.changed:
        replica.changed.wait_for(lambda: sum("unreachable" in x for x in replica.lines) >= 2, 60)
    log = replica.stop()
    assert replica.process.returncode == 0 and "Traceback" not in log
    attempts = [line for line in log.splitlines() if "getMe" in line or "unreachable" in line]
    assert len(attempts) >= 2 and all(" WARNING " in line for line in attempts)
    assert all(line[:4].isdigit() for line in log.splitlines())  # every line a log line
