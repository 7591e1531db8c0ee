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


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8081", "http://localhost:8081/bot", "http://[::1]:8081"]
)
def test_plain_http_to_this_machine_is_allowed_without_the_test_switch(url: str) -> None:
    # A local Bot API server or a stand-in on loopback: the token never leaves the host.
    settings = load_settings(secret_key=SECRET, _env_file=None, telegram_api_base=url)
    assert settings.telegram_api_base == url


def test_http_to_another_host_that_looks_local_is_refused() -> None:
    with pytest.raises(ConfigError):
        load_settings(
            secret_key=SECRET, _env_file=None, whatsapp_api_base="http://127.0.0.1.evil.example/v21"
        )


def test_media_on_a_local_graph_api_base_may_carry_the_token() -> None:
    from integrations.whatsapp import media_hosts

    local = load_settings(
        secret_key=SECRET, _env_file=None, whatsapp_api_base="http://127.0.0.1:9100/v21.0"
    )
    assert media_hosts(local).permits("http://127.0.0.1:9100/media/123")
    assert not media_hosts(local).permits("http://10.0.0.5/media/123")
    meta = load_settings(secret_key=SECRET, _env_file=None)
    assert not media_hosts(meta).permits("http://127.0.0.1:9100/media/123")
    assert media_hosts(meta).permits("https://lookaside.fbsbx.com/whatsapp_business/x")
