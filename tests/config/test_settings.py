"""Settings: defaults, and one clear line naming the variable for anything wrong."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

SECRET = "s" * 40


def test_defaults_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TLIVE_DATABASE_URL", "TLIVE_DATA_DIR", "TLIVE_PORT", "TLIVE_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(secret_key=SECRET, _env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///data/tlive.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.whatsapp_api_base == "https://graph.facebook.com/v21.0"
    assert (settings.verification_sla_hours, settings.retention_days) == (24, 30)
    assert not settings.telegram_webhook_mode


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"secret_key": "short"}, "TLIVE_SECRET_KEY"),
        ({"whatsapp_token": "t"}, "TLIVE_WHATSAPP_PHONE_NUMBER_ID"),
        ({"public_url": "https://x.id", "telegram_token": "1:a"}, "TLIVE_TELEGRAM_WEBHOOK_SECRET"),
        ({"telegram_webhook_secret": "has spaces"}, "TLIVE_TELEGRAM_WEBHOOK_SECRET"),
        ({"port": "abc"}, "TLIVE_PORT"),
        ({"port": 70000}, "TLIVE_PORT"),
        ({"database_url": "mysql://x/y"}, "TLIVE_DATABASE_URL"),
        ({"public_url": "notaurl"}, "TLIVE_PUBLIC_URL"),
        ({"helpdesk_hours": "garbage"}, "TLIVE_HELPDESK_HOURS"),
        ({"helpdesk_hours": "17:00-08:00"}, "TLIVE_HELPDESK_HOURS"),
        ({"helpdesk_days": "1-9"}, "TLIVE_HELPDESK_DAYS"),
        ({"log_level": "loud"}, "TLIVE_LOG_LEVEL"),
        ({"verification_sla_hours": 0}, "TLIVE_VERIFICATION_SLA_HOURS"),
        ({"trusted_proxies": "10.0.0.1, proxy.local"}, "TLIVE_TRUSTED_PROXIES"),
        ({"trusted_proxies": "10.0.0.0/33"}, "TLIVE_TRUSTED_PROXIES"),
    ],
)
def test_bad_setting_is_refused_with_one_line_naming_it(
    overrides: dict[str, object], variable: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(**{"secret_key": SECRET, **overrides})
    message = str(caught.value)
    assert message.startswith(variable) and "\n" not in message


def test_trusted_proxies_are_loopback_unless_set() -> None:
    assert [str(n) for n in load_settings(secret_key=SECRET).trusted_proxy_networks] == [
        "127.0.0.0/8", "::1/128",
    ]  # fmt: skip
    settings = load_settings(secret_key=SECRET, trusted_proxies=" 10.0.0.5 , 2001:db8::/48,")
    assert [str(n) for n in settings.trusted_proxy_networks] == ["10.0.0.5/32", "2001:db8::/48"]


def test_telegram_runs_by_webhook_only_with_a_public_url() -> None:
    settings = load_settings(
        secret_key=SECRET, telegram_token="1:a", public_url="https://x.id/",
        telegram_webhook_secret="abc_DEF-123",
    )  # fmt: skip
    assert settings.telegram_webhook_mode and settings.public_url == "https://x.id"
