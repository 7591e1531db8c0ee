"""Benchmark the KTP reading: per-field accuracy, time and peak memory per photo, both engines.

    .venv/bin/python bench/ktp_ocr.py [--cards 12] [--engines rapidocr,tesseract]

Synthetic KTPs (``tests/photos/ktp_samples.py``: varied names, NIKs, places and birth dates)
photographed clean, blurred (Gaussian σ 1.6 px), rotated 7°, saved at JPEG quality 40, and with
a glare spot. Each engine runs in its own fresh process (one thread, ``OMP_THREAD_LIMIT=1``)
so its peak resident memory is its own; time is wall-clock per photo after the first (the
first loads the models and is reported apart); CPU includes the Tesseract processes. Engine
"check" is the photo check's own Tesseract pass (``check_photo``), which is what the chat offers
the citizen. "confident" counts photos whose reading would be offered to the citizen, and
"wrong offered" those of them with any field wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.photos.ktp_samples import DAMAGE, sample  # noqa: E402


def _child(engine: str, cards: int) -> None:
    """Read every sample with ``engine`` and print one JSON line of results."""
    from bot.photos.checks import check_photo
    from bot.photos.ktp_fields import KtpFields
    from bot.photos.read_ktp import read_ktp
    from bot.photos.verdict import PhotoKind

    def read(jpeg: bytes) -> tuple[KtpFields, bool]:
        """Return the fields read by ``engine`` and whether they would be offered."""
        if engine != "check":
            fields = read_ktp(jpeg, engine).fields
            return fields, fields.confident
        # The photo check's own Tesseract pass: what the chat offers the citizen.
        flags = check_photo(jpeg, PhotoKind.KTP).flags
        born = flags.get("ocr_birth_date")
        fields = KtpFields(
            nik=flags.get("ocr_nik"), full_name=flags.get("ocr_name"),
            birth_date=date.fromisoformat(born) if born else None,
        )  # fmt: skip
        return fields, bool(flags.get("ocr_fields_confident"))

    def cpu() -> float:
        """Return CPU seconds of this process and its finished children (Tesseract runs)."""
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = []
    first_ms = None
    for seed in range(cards):
        for damage in DAMAGE:
            s = sample(seed, damage)
            started, cpu_started = time.perf_counter(), cpu()
            f, confident = read(s.jpeg)
            ms = (time.perf_counter() - started) * 1000
            cpu_ms: float | None = (cpu() - cpu_started) * 1000
            if first_ms is None:
                first_ms = ms
                ms = cpu_ms = None  # model loading: reported apart
            rows.append({
                "damage": damage, "ms": ms, "cpu_ms": cpu_ms,
                "nik": f.nik == s.nik, "name": f.full_name == s.name,
                "birth": f.birth_date == s.born, "place": f.birth_place == s.place,
                "confident": confident,
            })  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"engine": engine, "rows": rows, "first_ms": first_ms,
                      "peak_mb": peak, "base_mb": base, "child_peak_mb": kids}))  # fmt: skip


def _report(result: dict) -> None:
    rows = result["rows"]
    print(f"\n## {result['engine']}  (peak RSS {result['peak_mb']:.0f} MB without Tesseract's "
          f"own process, "
          f"before loading {result['base_mb']:.0f} MB; first photo incl. model load "
          f"{result['first_ms']:.0f} ms)")  # fmt: skip
    print("| photo | n | NIK | name | birth date | place | all three | confident | wrong offered "
          "| median wall ms | median CPU ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for damage in [*DAMAGE, "all"]:
        sel = [r for r in rows if damage in ("all", r["damage"])]
        n = len(sel)
        times = [r["ms"] for r in sel if r["ms"] is not None]
        cpu = [r["cpu_ms"] for r in sel if r["cpu_ms"] is not None]
        allthree = sum(r["nik"] and r["name"] and r["birth"] for r in sel)
        conf = [r for r in sel if r["confident"]]
        wrong = sum(not (r["nik"] and r["name"] and r["birth"]) for r in conf)
        print(f"| {damage} | {n} | {sum(r['nik'] for r in sel)} | {sum(r['name'] for r in sel)} "
              f"| {sum(r['birth'] for r in sel)} | {sum(r['place'] for r in sel)} | {allthree} "
              f"| {len(conf)} | {wrong} | {statistics.median(times) if times else 0:.0f} "
              f"| {statistics.median(cpu) if cpu else 0:.0f} |")  # fmt: skip


def main() -> None:
    """Run each engine in a fresh process and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=12)
    parser.add_argument("--engines", default="rapidocr,tesseract,check")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.cards)
        return
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"}
    for engine in args.engines.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--cards", str(args.cards)],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        _report(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
