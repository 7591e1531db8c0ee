"""Telegram channel: aiogram-based adapter, sender, webhook and long polling."""

from integrations.telegram.install import install

__all__ = ["install"]
