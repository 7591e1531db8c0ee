"""No NIK or phone number ever reaches a log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import PiiFilter, configure, mask_pii


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


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """Yield the root logger and put its handlers and level back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_logs_off_a_terminal_are_one_masked_json_object_per_line(
    root_logger: logging.Logger,
) -> None:
    stream = io.StringIO()
    configure("INFO", stream=stream)
    log = logging.getLogger("tlive.test.json")
    log.info("citizen typed %s\nand more", "3671014501900001")
    try:
        raise ValueError("bad phone 081234567890")
    except ValueError:
        log.exception("send failed for 0812 3456 7890")
    log.debug("not shown at INFO")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "level", "logger", "message"}
    assert first["level"] == "INFO" and first["logger"] == "tlive.test.json"
    assert first["message"] == "citizen typed [disamarkan]\nand more"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "ValueError: bad phone [disamarkan]" in second["exception"]
    assert "Traceback" in second["exception"]
    assert "081234567890" not in stream.getvalue() and "3456 7890" not in stream.getvalue()


def test_logs_on_a_terminal_stay_plain_lines(root_logger: logging.Logger) -> None:
    stream = _Terminal()
    configure("INFO", stream=stream)
    logging.getLogger("tlive.test.tty").warning("nik %s", "3671014501900001")
    line = stream.getvalue().strip()
    assert line.endswith("WARNING tlive.test.tty: nik [disamarkan]")
    assert not line.startswith("{")
