"""WeCom admins record actuals in the app chat as Telegram admins do; reply words for buttons."""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from store.actual_models import IndicatorActual, SpendingActual
from tests.bot.test_wecom import app_callback, incoming, passive_text, post
from tests.fakes.wecom_api import FakeWeCom


class Chat:
    """LiSi writing to the app: each message a new MsgId, the passive reply decrypted."""

    def __init__(self, url: str) -> None:
        self.url, self.count = url, 0

    async def say(self, text: str) -> str:
        self.count += 1
        status, body = await post(self.url, *incoming(text, msg_id=f"{5000 + self.count}"))
        assert status == 200
        return passive_text(body)


def spending(engine: Engine) -> list[tuple[str, float, bool]]:
    with Session(engine) as session:
        rows = session.exec(select(SpendingActual).order_by(col(SpendingActual.id)))
        return [(r.as_of.isoformat(), r.amount, r.withdrawn_at is None) for r in rows]


async def test_an_admin_records_an_amount_and_undoes_it_with_a_reply_word(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    async for url in app_callback(wecom_api, sample_engine, admins="LiSi"):
        chat = Chat(url)
        said = await chat.say("人才住房6月底支出12000万")
        assert "已记录：人才住房购置及后期管理 截至 2022-06-30 累计支出 12000 万元" in said
        assert "执行率" in said and said.endswith("回复“撤销”：撤销")
        assert spending(sample_engine) == [("2022-06-30", 12000, True)]
        assert "已撤销" in await chat.say("撤销")
        assert spending(sample_engine) == [("2022-06-30", 12000, False)]


async def test_a_lower_amount_waits_for_the_confirm_word_and_only_for_the_last_record(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    async for url in app_callback(wecom_api, sample_engine, admins="LiSi"):
        chat = Chat(url)
        await chat.say("/actual 人才住房 12000 6月底")
        said = await chat.say("/actual 人才住房 11000 7月底")
        assert "低于 2022-06-30 已记录的 12000 万元" in said
        assert said.endswith("回复“确认”：确认记录")
        assert len(spending(sample_engine)) == 1
        said = await chat.say("确认")
        assert "已记录：人才住房购置及后期管理 截至 2022-07-31 累计支出 11000 万元" in said
        assert spending(sample_engine)[-1] == ("2022-07-31", 11000, True)
        await chat.say("/actual 人才住房 10000 8月底")
        await chat.say("贷款笔数目标是多少")  # anything else in between: the offer lapses
        await chat.say("确认")
        assert len(spending(sample_engine)) == 2


async def test_an_indicator_actual_from_the_app(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    async for url in app_callback(wecom_api, sample_engine, admins="LiSi"):
        said = await Chat(url).say("/progress 贷款笔数 12000笔 6月底")
        assert "发放贷款笔数" in said and "12000笔" in said
        with Session(sample_engine) as session:
            [row] = session.exec(select(IndicatorActual))
        assert (row.value_text, row.recorded_by) == ("12000笔", "wecomapp:LiSi")


async def test_a_non_admin_is_refused_and_nothing_is_stored(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    async for url in app_callback(wecom_api, sample_engine, admins="ZhangSan"):
        chat = Chat(url)
        for text in ["人才住房6月底支出12000万", "/actual 人才住房 12000"]:
            assert await chat.say(text) == "抱歉，只有管理员可以记录执行数和指标完成情况。"
        assert spending(sample_engine) == []
