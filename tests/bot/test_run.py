"""`targetbot run` end to end: as a Telegram bot against the fake Bot API, and as a console."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message

TARGETBOT = str(Path(sys.executable).parent / "targetbot")


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WECOM_", "DATABASE_URL"))
    }
    return {**env, **extra}


def test_run_serves_telegram_against_the_bot_api_server(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'run.db'}"
    subprocess.run([TARGETBOT, "import", "--db", db, str(SAMPLE)], check=True, capture_output=True)
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
