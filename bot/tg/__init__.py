"""The Telegram channel, built on python-telegram-bot."""
