"""Channel API bases: plain http is refused (the channel's token travels with every call), except
where a test says so explicitly for its local stand-in (issue 15, finding 6)."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

SECRET = "s" * 40


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("whatsapp_api_base", "http://graph.facebook.com/v21.0"),
        ("whatsapp_api_base", "ftp://graph.facebook.com/v21.0"),
        ("telegram_api_base", "http://api.telegram.org"),
    ],
)
def test_an_api_base_without_https_stops_start_up(name: str, url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(secret_key=SECRET, _env_file=None, **{name: url})
    message = str(caught.value)
    assert message.startswith(f"TLIVE_{name.upper()}:") and "https://" in message
    assert "\n" not in message


def test_a_test_may_allow_plain_http_for_its_stand_ins() -> None:
    settings = load_settings(
        secret_key=SECRET, _env_file=None, whatsapp_api_base="http://127.0.0.1:9/v21.0",
        telegram_api_base="http://127.0.0.1:8", allow_http_for_tests=True,
    )  # fmt: skip
    assert settings.whatsapp_api_base.startswith("http://")


def test_media_hosts_default_to_metas_and_must_be_host_names() -> None:
    settings = load_settings(secret_key=SECRET, _env_file=None)
    assert "lookaside.fbsbx.com" in settings.whatsapp_media_host_list
    assert load_settings(
        secret_key=SECRET, _env_file=None, whatsapp_media_hosts="127.0.0.1, *.example.go.id"
    ).whatsapp_media_host_list == ("127.0.0.1", "*.example.go.id")
    with pytest.raises(ConfigError) as caught:
        load_settings(secret_key=SECRET, _env_file=None, whatsapp_media_hosts="https://x/y")
    assert str(caught.value).startswith("TLIVE_WHATSAPP_MEDIA_HOSTS:")
