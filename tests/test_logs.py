"""No NIK or phone number ever reaches a log line."""

from __future__ import annotations

import logging

import pytest

from bot.logs import PiiFilter, mask_pii


@pytest.mark.parametrize(
    "text",
    [
        "nik 3671014501900001 ditolak",
        "hp +62 812-3456-7890",
        "hp 081234567890",
        "nik 3671.0145.0190.0001",
    ],
)
def test_personal_numbers_are_masked(text: str) -> None:
    masked = mask_pii(text)
    assert "[disamarkan]" in masked
    assert not any(run in masked for run in ("3671014501900001", "1234567890", "3456-7890"))


@pytest.mark.parametrize(
    "text", ["retry in 30 s", "registration 42 decided", "TL-7KQ4M9", "2026-11-29"]
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_pii(text) == text


def test_filter_masks_arguments_and_exceptions(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tlive.test")
    handler_filter = PiiFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        logger.warning("citizen %s typed %s", "Siti", "3671014501900001")
        try:
            raise ValueError("bad phone 081234567890")
        except ValueError:
            logger.exception("failed")
    finally:
        caplog.handler.removeFilter(handler_filter)
    text = caplog.text
    assert "3671014501900001" not in text and "081234567890" not in text
    assert "[disamarkan]" in text
