"""Settings from the environment and `.env` (every one listed in .env.example)."""

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from store.reminder_timing import (
    DEFAULT_LEAD_DAYS,
    DEFAULT_TIME,
    ReminderTiming,
    checked_lead_days,
    parse_time,
    time_text,
)

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    """Everything the process can be configured with; names as in CONTRACT.md."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    database_url: str = "sqlite:///targetbot.db"
    targetbot_tz: str = "Asia/Shanghai"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: SecretStr | None = None
    telegram_read_timeout: float = 5.0  # seconds a Bot API call may take to answer
    allowed_chat_ids: IdList = []
    admin_user_ids: Annotated[list[str], NoDecode] = []  # Telegram ids or WeCom userids
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com"
    wecom_corp_id: str | None = None
    wecom_agent_id: str | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_callback_host: str = "0.0.0.0"
    wecom_callback_port: int = 8080
    reminder_lead_days: IdList = list(DEFAULT_LEAD_DAYS)
    reminder_time: str = time_text(DEFAULT_TIME)
    reminder_lease_seconds: float = 30.0
    reminder_shutdown_grace: float = 20.0
    reminder_concurrency: int = 64
    reminder_db_retry_seconds: float = 300.0
    reminder_db_backoff: float = 0.5
    database_connect_timeout: float = 5.0
    database_statement_timeout: float = 30.0
    retry_base_wait: float = 0.5
    telegram_messages_per_second: float = Field(default=28.0, gt=0)
    telegram_group_messages_per_minute: float = Field(default=20.0, gt=0)
    glossary_file: str | None = None
    monitor_time_method: str = "months"
    monitor_yellow_below: float = 0.0
    monitor_red_below: float = -10.0
    monitoring_due: str | None = None

    @field_validator("reminder_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        moment = parse_time(value)
        return f"{moment.hour:02d}:{moment.minute:02d}"

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _names(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, list):
            return [str(part) for part in value]
        return value

    @field_validator("reminder_lead_days")
    @classmethod
    def _lead_days(cls, value: list[int]) -> list[int]:
        return list(checked_lead_days(value))

    @property
    def reminder_timing(self) -> ReminderTiming:
        """REMINDER_LEAD_DAYS and REMINDER_TIME: what new subscriptions get."""
        return ReminderTiming(tuple(self.reminder_lead_days), parse_time(self.reminder_time))

    @field_validator("allowed_chat_ids", "reminder_lead_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        return value


def is_admin(settings: Settings, user_id: object) -> bool:
    """Whether a chat user (a Telegram id or a WeCom userid) is in ADMIN_USER_IDS."""
    return str(user_id) in settings.admin_user_ids


def load_settings(database_url: str | None = None) -> Settings:
    """Settings from the environment and .env; `--db`, when given, over DATABASE_URL."""
    return Settings(database_url=database_url) if database_url else Settings()
