"""``tlive-bot faq eval`` measures an FAQ on a question file; ``faq ask`` starts without loading
the web server, the console or the channels."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.core import Core
from bot.faq.evaluation import evaluate, read_questions
from bot.faq.matcher import FaqIndex
from bot.faq.model import FaqEntry, dump_faq
from tests.conftest import SECRET
from tests.support.service import ROOT, Service

QUESTIONS = (
    "# expected<TAB>question\n"
    "cara-daftar\tgimana cara daftar\n"
    "ktp-hilang\tcara daftar akun gimana\n"  # labelled wrong on purpose: a mistake to list
    "-\tresep nasi goreng\n"
)
PASPOR = FaqEntry(
    "daftar-paspor", "pendaftaran", "Bisa daftar pakai paspor?",
    ("daftar pake paspor bisa ga",), "Belum bisa; pakai KTP-el atau resinya.",
)  # fmt: skip
# Modules only the server, the console or a channel needs; a quick command loads none of them.
HEAVY = ("aiohttp", "bot.console", "bot.api", "bot.web", "integrations", "dialogs", "cv2", "PIL")


def _eval_args(file: Path, faq: Path | None = None, mistakes: bool = False) -> argparse.Namespace:
    return argparse.Namespace(file=file, faq=faq, mistakes=mistakes)


async def test_faq_eval_prints_the_bench_figures_and_the_mistakes(
    core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.tsv"
    questions.write_text(QUESTIONS, encoding="utf-8")
    assert await cli._faq_eval(core.settings, _eval_args(questions, mistakes=True)) == 0
    out = capsys.readouterr().out.splitlines()
    # The same figures as the evaluation module computes on the published FAQ (timings aside).
    expected = evaluate(FaqIndex.build(await core.faq_cases.entries()), read_questions(questions))
    figures = [line for line in expected.lines() if not line.startswith("latency")]
    assert [line for line in out[: len(expected.lines())] if not line.startswith("latency")] == (
        figures
    )
    assert out[len(figures)].startswith("latency median")
    listed = out[len(expected.lines()) + 1 :]
    assert out[len(expected.lines())].startswith("mistakes") and len(listed) == len(
        expected.mistakes()
    )
    answered = core.services.faq.ask("cara daftar akun gimana").faq_id or "-"
    assert f"ktp-hilang\t{answered}\tcara daftar akun gimana" in listed


async def test_faq_eval_without_mistakes_prints_only_the_figures(
    core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.tsv"
    questions.write_text(QUESTIONS, encoding="utf-8")
    assert await cli._faq_eval(core.settings, _eval_args(questions)) == 0
    out = capsys.readouterr().out
    assert "in-scope questions        2" in out and "off-topic messages        1" in out
    assert "mistakes" not in out and "\t" not in out


async def test_faq_ask_answers_as_the_running_bot_does(
    core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "ktp sy ilang gmn daftarnya"
    assert await cli._faq_ask(core.settings, argparse.Namespace(text=text, json=True)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == core.services.faq.ask(text).to_dict()


async def test_faq_eval_warns_of_ids_the_faq_does_not_have(
    core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.tsv"
    questions.write_text("cara-dafar\tgimana cara daftar\n", encoding="utf-8")
    assert await cli._faq_eval(core.settings, _eval_args(questions)) == 0
    captured = capsys.readouterr()
    assert "not published in this FAQ: cara-dafar" in captured.err
    assert "answered right        0.0%" in captured.out


def test_every_command_is_parsed_and_listed() -> None:
    for argv in (
        ["faq", "eval", "q.tsv", "--faq", "f.yaml", "--mistakes"], ["faq", "ask", "ktp"],
        ["user", "list"], ["token", "list"], ["report"], ["migrate"],
    ):  # fmt: skip
        args = cli._parser(argv).parse_args(argv)
        assert callable(args.handler), argv
    help_text = cli._parser([]).format_help()
    for command in ("serve", "migrate", "faq", "user", "token", "report"):
        assert command in help_text
    evaluated = cli._parser(["faq"]).parse_args(["faq", "eval", "q.tsv"])
    assert evaluated.needs_secret(evaluated) is True  # it reads the database's FAQ
    evaluated.faq = Path("f.yaml")
    assert evaluated.needs_secret(evaluated) is False


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=env, cwd=cwd, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


async def test_faq_eval_of_a_yaml_file_needs_no_database_and_bad_files_exit_2(
    tmp_path: Path,
) -> None:
    faq = tmp_path / "faq.yaml"
    dump_faq([PASPOR], faq)
    questions = tmp_path / "questions.tsv"
    questions.write_text("daftar-paspor\tdaftar pake paspor bisa ga\n", encoding="utf-8")
    database = tmp_path / "never.db"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "TLIVE_DATA_DIR": str(tmp_path),
           "TLIVE_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}  # no secret key  # fmt: skip

    done = await asyncio.to_thread(_run, "faq", "eval", str(questions), "--faq", str(faq),
                                   env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "answered right      100.0%" in done.stdout and not database.exists()

    bad = tmp_path / "bad.tsv"
    bad.write_text("cara-daftar\tgimana cara daftar\n\nno tab on this line\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  question: [unclosed\n", encoding="utf-8")
    for args, named in (
        ((str(bad), "--faq", str(faq)), "bad.tsv:3"),
        ((str(tmp_path / "missing.tsv"), "--faq", str(faq)), "missing.tsv"),
        ((str(questions), "--faq", str(broken)), "FAQ file"),
    ):
        done = await asyncio.to_thread(_run, "faq", "eval", *args, env=env, cwd=tmp_path)
        assert done.returncode == 2, done.stdout
        assert done.stdout == "" and named in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    probe = (
        "import json, sys, bot.cli; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    loaded = set(json.loads(done.stdout))
    assert not loaded & {"aiohttp", "sqlalchemy", "numpy", "pydantic", "yaml", "asyncio"}


async def test_faq_ask_loads_only_what_it_needs(tmp_path: Path) -> None:
    service = Service({"TLIVE_SECRET_KEY": SECRET}, tmp_path / "data")
    service.data_dir.mkdir(parents=True)
    migrated = await asyncio.to_thread(service.cli, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    probe = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "code = main(['faq', 'ask', 'ktp hilang'])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", probe], env=service.env, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer, report = done.stdout.strip().rsplit("\n", 1)
    code, modules = json.loads(report)
    assert code == 0 and answer.startswith("answer: ktp-hilang")
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []
