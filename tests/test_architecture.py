"""The structure the architecture decision promises, measured from the source on every run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def structure() -> ModuleType:
    """Load ``bench/structure.py``, the one definition of the figures."""
    spec = importlib.util.spec_from_file_location("structure", ROOT / "bench" / "structure.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["structure"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(structure: ModuleType) -> Any:
    """Measure the checkout once for every test here."""
    return structure.measure(ROOT)


def test_no_module_imports_itself_through_others(figures: Any) -> None:
    assert figures.cycles == []


def test_http_handlers_leave_transactions_to_use_cases(
    structure: ModuleType, figures: Any
) -> None:
    limit = structure.LIMITS["handler_units_of_work"]
    assert len(figures.handler_uows) <= limit, figures.handler_uows


def test_only_storage_touches_the_database_session(figures: Any) -> None:
    assert figures.sessions == []


def test_chat_mode_is_named_only_through_its_enum(figures: Any) -> None:
    assert figures.mode_literals == []


def test_no_hand_written_module_is_too_long(figures: Any) -> None:
    assert figures.big_modules == []


def test_router_picks_flows_without_elif_chains(figures: Any) -> None:
    assert figures.router_elifs == []


def test_cycle_finder_sees_a_lazy_import_loop(structure: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "dialogs").mkdir()
    (tmp_path / "integrations").mkdir()
    (tmp_path / "bot" / "__init__.py").write_text("")
    (tmp_path / "bot" / "a.py").write_text("from bot.b import thing\n")
    (tmp_path / "bot" / "b.py").write_text("def thing():\n    from bot import a\n")
    assert structure.import_cycles(tmp_path) == [["bot.a", "bot.b"]]
