"""Typed settings from the environment and ``.env`` (names in CONTRACT.md)."""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(Exception):
    """A missing or contradictory setting; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Everything the service can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="TLIVE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("./data")
    database_url: str = ""
    secret_key: str = ""
    # Earlier secret keys (comma-separated) that still decrypt, while `tlive-bot rekey` runs.
    secret_key_previous: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+")

    telegram_token: str | None = None
    telegram_api_base: str = "https://api.telegram.org"
    # Telegram accepts 1–256 characters of A-Z, a-z, 0-9, _ and -.
    telegram_webhook_secret: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,256}$")
    # Telegram's send limits: ~30 messages/s per bot (more with paid broadcasts) and about one
    # per second per chat; a benchmark against a local stand-in lifts them.
    telegram_send_rate: float = Field(default=30.0, gt=0)
    telegram_chat_interval: float = Field(default=1.0, ge=0)

    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_base: str = "https://graph.facebook.com/v21.0"
    whatsapp_template_language: str = "id"
    whatsapp_template_approved: str = "verifikasi_disetujui"
    whatsapp_template_rejected: str = "verifikasi_ditolak"
    whatsapp_template_agent_reply: str = "balasan_petugas"
    # Hosts media downloads may send the WhatsApp token to (https only); "*." admits subdomains.
    whatsapp_media_hosts: str = "lookaside.fbsbx.com,*.fbsbx.com,*.fbcdn.net"
    # Only for tests' local stand-ins: channel API bases and media links over plain http.
    allow_http_for_tests: bool = False

    rasa_url: str | None = None
    # Below this confidence Rasa's intent is ignored and the built-in matcher decides.
    rasa_confidence: float = Field(default=0.7, ge=0, le=1)
    # Longest wait for Rasa's answer (connect, send, read) before the built-in matcher answers.
    rasa_timeout_ms: int = Field(default=800, ge=50, le=10_000)
    # Failures in a row that stop calls to Rasa, and seconds before one call tries it again.
    rasa_breaker_failures: int = Field(default=5, ge=1)
    rasa_breaker_cooldown_seconds: float = Field(default=30.0, gt=0, le=3600)
    # The action server (`tlive-bot rasa-actions`): where it listens, and the channel whose chat
    # ids Rasa's sender ids are ("rasa": chats of their own; "telegram" when Rasa serves the
    # same Telegram chats, so a sender's own requests and helpdesk replies are found).
    rasa_actions_host: str = "127.0.0.1"
    rasa_actions_port: int = Field(default=5055, ge=1, le=65535)
    rasa_sender_channel: str = Field(default="rasa", pattern=r"^[a-z][a-z0-9_-]{1,15}$")
    # Told by action_start_registration: the bots' handles (without @ / as digits with 62).
    telegram_bot_username: str = Field(default="", pattern=r"^([A-Za-z0-9_]{5,32})?$")
    whatsapp_number: str = Field(default="", pattern=r"^(\+?\d{8,15})?$")
    verification_sla_hours: int = Field(default=24, ge=1)
    # The verifier's desk: a phone number behind this many NIKs is flagged (a family helper
    # registers a few); a decision may be reopened this many hours after it (0: never); the
    # decision rate for the peak alert is measured over this many past hours.
    fraud_phone_niks: int = Field(default=5, ge=2)
    reopen_window_hours: int = Field(default=24, ge=0)
    peak_rate_hours: int = Field(default=3, ge=1, le=48)
    retention_days: int = Field(default=30, ge=0)
    # Days a sent message stays in the outbox (for its delivery status) before it is deleted.
    outbox_retention_days: int = Field(default=7, ge=0)

    helpdesk_hours: str = Field(default="08:00-16:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    helpdesk_days: str = Field(default="1-5", pattern=r"^[1-7]-[1-7]$")
    handoff_idle_minutes: int = Field(default=15, ge=1)
    # Memory (MiB) all photo decodes of one worker may use together; a photo waits its turn.
    decode_memory_mb: int = Field(default=300, ge=64)
    # The face comparison aid (KTP photo vs selfie, biometric data: UU PDP art. 34); off: none.
    face_comparison: bool = True
    # Reading the KTP's NIK, name and birth date after the photo is stored (issue 17):
    # rapidocr (bundled models; Tesseract if it is missing or fails), tesseract, or off.
    ktp_ocr: Literal["rapidocr", "tesseract", "off"] = "rapidocr"
    ktp_ocr_timeout_seconds: float = Field(default=60.0, gt=0)  # the first includes loading
    ktp_ocr_memory_mb: int = Field(default=1500, ge=400)  # the reading process's address space
    # After a KTP photo sent before the name, offer what was read ("Benar?") instead of typing.
    ktp_ocr_offer: bool = True
    # Voice notes: speech made offline by espeak-ng; off when false or espeak-ng is missing.
    voice: bool = True
    voice_name: str = Field(default="id", pattern=r"^[A-Za-z0-9_+-]{1,32}$")
    voice_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Reminders to a citizen who stopped halfway: minutes after her last message (at most two),
    # never inside the quiet hours (WIB, UTC+7); sent at the end of them instead.
    reminder_minutes: str = Field(default="60,1440", pattern=r"^\s*(\d+\s*(,\s*\d+\s*)?)?$")
    quiet_hours: str = Field(default="21:00-07:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    whatsapp_template_reminder: str = "pengingat_pendaftaran"
    # Told after approval (how to get the Tangerang LIVE app) and in "bantuan" (who to call).
    app_download_url: str = (
        "https://play.google.com/store/search?q=Tangerang%20LIVE&c=apps"
    )
    helpdesk_phone: str = ""
    helpdesk_whatsapp: str = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Peers whose X-Forwarded-For / Forwarded headers are believed (comma-separated IPs/CIDRs).
    trusted_proxies: str = "127.0.0.0/8,::1"
    # Redis shared by all workers for the channels' send rate limits; unset: per worker.
    redis_url: str | None = Field(default=None, pattern=r"^((redis|rediss|unix)://\S+)?$")
    # Outbound events to the city's systems (webhooks): attempts before a delivery is dead,
    # seconds an endpoint has to answer, and plain http to other hosts than this machine.
    webhook_max_attempts: int = Field(default=16, ge=1, le=50)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_allow_http: bool = False

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("helpdesk_hours")
    @classmethod
    def _real_times(cls, value: str) -> str:
        opens, closes = (time.fromisoformat(part) for part in value.split("-"))
        if opens >= closes:
            raise ValueError("opening time must be before closing time, e.g. 08:00-16:00")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _clock_times(cls, value: str) -> str:
        for part in value.split("-"):
            time.fromisoformat(part)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _real_networks(cls, value: str) -> str:
        proxy_networks(value)
        return value

    @field_validator("whatsapp_media_hosts")
    @classmethod
    def _host_names(cls, value: str) -> str:
        for host in _host_list(value):
            if not _HOST.fullmatch(host):
                raise ValueError(f"{host!r} is not a host name (e.g. lookaside.fbsbx.com,*.x.net)")
        return value

    @model_validator(mode="after")
    def _derive_and_check(self) -> Self:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'tlive.db'}"
        if self.public_url:
            self.public_url = self.public_url.rstrip("/")
        self.telegram_api_base = self.telegram_api_base.rstrip("/")
        self.whatsapp_api_base = self.whatsapp_api_base.rstrip("/")
        return self

    @property
    def telegram_enabled(self) -> bool:
        """Tell whether the Telegram channel is configured."""
        return bool(self.telegram_token)

    @property
    def whatsapp_enabled(self) -> bool:
        """Tell whether the WhatsApp channel is configured."""
        return bool(self.whatsapp_token)

    @property
    def telegram_webhook_mode(self) -> bool:
        """Tell whether Telegram runs by webhook (public URL set) instead of long polling."""
        return self.telegram_enabled and bool(self.public_url)

    @property
    def previous_secret_keys(self) -> tuple[str, ...]:
        """Return the earlier secret keys that may still decrypt stored data."""
        return tuple(k.strip() for k in self.secret_key_previous.split(",") if k.strip())

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """Return the networks of the reverse proxies whose forwarding headers are believed."""
        return proxy_networks(self.trusted_proxies)

    @property
    def whatsapp_media_host_list(self) -> tuple[str, ...]:
        """Return the hosts WhatsApp media may be downloaded from with the token."""
        return _host_list(self.whatsapp_media_hosts)

    @property
    def reminder_delays_minutes(self) -> tuple[int, ...]:
        """Return the minutes after the last message at which reminders go out (0–2 of them)."""
        return tuple(sorted(int(p) for p in self.reminder_minutes.split(",") if p.strip()))

    @property
    def quiet_window(self) -> tuple[time, time]:
        """Return the start and end (WIB) of the hours no reminder is sent in."""
        start, end = (time.fromisoformat(part) for part in self.quiet_hours.split("-"))
        return start, end

    @property
    def is_sqlite(self) -> bool:
        """Tell whether the database is the embedded SQLite."""
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=8)
def proxy_networks(value: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Parse comma-separated IPs/CIDRs; raise ValueError naming the first bad one."""
    networks = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            networks.append(ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"{part!r} is not an IP address or CIDR network (e.g. 10.0.0.5,10.1.0.0/16,::1)"
            ) from None
    return tuple(networks)


def _host_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


# A host name or IP address, optionally "*." for its subdomains; no scheme, port or path.
_HOST = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
WHATSAPP_VARS = ("token", "phone_number_id", "app_secret", "verify_token")
# The channels' API bases: the token travels with every call (in Telegram's URL path even).
API_BASES = ("telegram_api_base", "whatsapp_api_base")


def load_settings(*, require_secret: bool = True, **overrides: object) -> Settings:
    """Read and check the settings; raise :class:`ConfigError` with one clear line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TLIVE_" + str(error["loc"][0]).upper() if error["loc"] else "TLIVE_*"
        raise ConfigError(f"{name}: {error['msg']}") from None
    _check(settings, require_secret=require_secret)
    return settings


def _check(settings: Settings, *, require_secret: bool) -> None:
    if require_secret and len(settings.secret_key) < 32:
        raise ConfigError(
            "TLIVE_SECRET_KEY: required, at least 32 characters "
            "(make run generates one into the data dir)"
        )
    wa = {name: getattr(settings, f"whatsapp_{name}") for name in WHATSAPP_VARS}
    if any(wa.values()) and not all(wa.values()):
        missing = next(name for name, value in wa.items() if not value)
        raise ConfigError(
            f"TLIVE_WHATSAPP_{missing.upper()}: required when any TLIVE_WHATSAPP_* is set "
            "(token, phone number id, app secret and verify token go together)"
        )
    for name in API_BASES:
        base = getattr(settings, name)
        plain_ok = settings.allow_http_for_tests or is_loopback_url(base)
        if not (base.startswith("https://") or plain_ok):
            raise ConfigError(
                f"TLIVE_{name.upper()}: must start with https:// (the channel's token is sent "
                "with every call; plain http only to this machine)"
            )
    if settings.telegram_webhook_mode and not settings.telegram_webhook_secret:
        raise ConfigError(
            "TLIVE_TELEGRAM_WEBHOOK_SECRET: required when TLIVE_PUBLIC_URL puts Telegram "
            "in webhook mode"
        )
    if not settings.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            "TLIVE_DATABASE_URL: use sqlite+aiosqlite:///PATH or postgresql+asyncpg://HOST/DB"
        )


def is_loopback_url(url: str) -> bool:
    """Tell whether a URL points at this machine (a local Bot API server or a test stand-in)."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
