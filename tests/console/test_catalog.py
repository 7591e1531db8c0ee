"""Every console string exists in ``locales/id/console.ftl`` (no inline text, no missing ids)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.console.views.queue import FLAG_KEYS
from bot.i18n import Catalog
from bot.services.accounts import Role
from bot.services.registration import RejectReason

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "bot" / "console").rglob("*.py")),
    *sorted((ROOT / "bot" / "console" / "templates").glob("*.html")),
    ROOT / "bot" / "services" / "reports.py",
]
_KEY = re.compile(r"""["'](console-[a-z0-9_.-]*[a-z0-9_])["']""")
_FTL_ID = re.compile(r"^([^\s#][^=\n]*?) =", re.MULTILINE)


def test_every_literal_console_key_is_defined() -> None:
    catalog = Catalog()
    missing = {
        f"{path.name}: {key}"
        for path in SOURCES
        for key in _KEY.findall(path.read_text(encoding="utf-8"))
        if key != "console-strings" and not catalog.has(key)
    }
    assert not missing, sorted(missing)


def test_every_family_of_built_keys_is_complete() -> None:
    catalog = Catalog()
    families = {
        "console-role-": [r.value for r in Role],
        "console-status-": ["draft", "submitted", "approved", "rejected", "all"],
        "console-reason-": [r.value for r in RejectReason],
        "console-flag-": list(FLAG_KEYS),
        "console-flag-short-": [*FLAG_KEYS, "photo"],
        "console-channel-": ["web", "telegram", "whatsapp"],
        "console-doc-": ["ktp", "selfie"],
        "console-doc-alt-": ["ktp", "selfie"],
        "console-doctype-": ["ktp", "resi"],
        "console-photo-": ["ktp", "selfie"],
        "console-decision-done-": ["approved", "rejected"],
        "console-decision-error-": [
            "choice", "invalid_reason", "note_required", "already_decided", "not_submitted",
            "not_found", "claimed",
        ],
        "console-account-error-": [
            "mismatch", "password_short", "password_long", "password_wrong", "username_invalid",
            "username_taken", "role_invalid", "user_not_found", "self_deactivate",
            "token_name_invalid", "token_not_found",
        ],
        "console-action-": [
            "console.login", "console.login_failed", "console.login_blocked", "console.logout",
            "api.auth_blocked",
            "registration.viewed", "registration.approved", "registration.rejected",
            "document.viewed", "report.exported", "user.created", "user.activated",
            "user.deactivated", "user.password_changed", "token.created", "token.revoked",
        ],
    }  # fmt: skip
    missing = [
        p + k.replace(".", "-")
        for p, keys in families.items()
        for k in keys
        if not catalog.has(p + k.replace(".", "-"))
    ]
    assert missing == []


def test_console_catalog_uses_only_console_ids() -> None:
    text = (ROOT / "locales" / "id" / "console.ftl").read_text(encoding="utf-8")
    ids = _FTL_ID.findall(text)
    assert ids and all(re.fullmatch(r"console-[a-z0-9_-]+", i) for i in ids), ids
    assert len(ids) == len(set(ids))


def test_console_catalog_parses_without_junk() -> None:
    from fluent.syntax import FluentParser, ast

    text = (ROOT / "locales" / "id" / "console.ftl").read_text(encoding="utf-8")
    junk = [e.content for e in FluentParser().parse(text).body if isinstance(e, ast.Junk)]
    assert junk == []
