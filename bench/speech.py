"""Benchmark voice notes: synthesis time per catalog prompt, cold and cached, and audio bytes.

    .venv/bin/python bench/speech.py              # every citizen-facing catalog message
    .venv/bin/python bench/speech.py --limit 40   # a sample (every n-th message)

"Cold" is espeak-ng + opusenc for a text never made before (a fresh cache folder), wall time
and the CPU time of the two programs (the difference is waiting for a busy CPU); "cached"
is the same text asked again (the memory tier), "disk" a fresh service reading the encrypted
note another worker made. One synthesis at a time, as one worker's time bound sees it.
Messages with placeables are filled with typical values (a NIK, a reference, a name).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.i18n import LOCALES_DIR, Catalog  # noqa: E402
from bot.speech import build_speech  # noqa: E402
from bot.speech.synth import Programs  # noqa: E402

# Staff read these files and prefixes; citizens never hear them.
STAFF_FILES = {"console.ftl", "faq_console.ftl"}
SKIP_PREFIXES = ("console-", "keywords-", "webchat-error-")
# Typical values for the placeables citizens hear.
SAMPLE_ARGS = {
    "reference": "TL-7KQ4M9", "nik": "3671014101800001", "name": "SITI AMINAH",
    "phone": "+6281298765432", "number": "0812 9000 1234", "seconds": "30",
    "since": "Jumat, 5 Desember 2026 pukul 10.00", "deadline": "Sabtu, 6 Desember 2026",
    "when": "Jumat, 5 Desember 2026", "day": "Senin", "time": "08.00",
}  # fmt: skip
_KEY = re.compile(r"^([a-z][a-z0-9_-]*)\s*=", re.MULTILINE)


def citizen_texts(catalog: Catalog) -> list[tuple[str, str]]:
    """Return (key, text) for every message a citizen may read in the catalog."""
    found: list[tuple[str, str]] = []
    for path in sorted((LOCALES_DIR / catalog.locale).glob("*.ftl")):
        if path.name in STAFF_FILES:
            continue
        for key in _KEY.findall(path.read_text(encoding="utf-8")):
            if key.startswith(SKIP_PREFIXES):
                continue
            text = _formatted(catalog, key)
            if text and text.strip():
                found.append((key, text))
    return found


def _formatted(catalog: Catalog, key: str) -> str | None:
    args: dict[str, object] = {}
    for _ in range(12):
        try:
            return catalog.text(key, **args)
        except ValueError as exc:  # "Unknown variable: $name": fill it in
            name = str(exc).rsplit("$", 1)[-1].rstrip("'\" )")
            args[name] = SAMPLE_ARGS.get(name, "contoh")
        except Exception:
            return None
    return None


def _children_cpu() -> float:
    """Return the CPU seconds used by finished child processes (espeak-ng, opusenc)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seconds(audio: bytes) -> float:
    try:
        import soundfile
    except ImportError:
        return float("nan")
    with soundfile.SoundFile(io.BytesIO(audio)) as sound:
        return sound.frames / sound.samplerate


def _ms(values: list[float], digits: int = 1) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return " ".join(f"{v:8.{digits}f}" for v in (statistics.median(ordered), p95, ordered[-1]))


async def run(limit: int | None) -> None:
    """Synthesize each prompt cold, then cached, and print the table."""
    if not Programs.find().available:
        sys.exit("espeak-ng or opusenc (opus-tools) not installed")
    texts = citizen_texts(Catalog())
    if limit and limit < len(texts):
        step = len(texts) / limit
        texts = [texts[int(i * step)] for i in range(limit)]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key="bench-" + "x" * 40)
        speech = build_speech(settings)
        cold, cpu, cached, disk, sizes, lengths, failed = [], [], [], [], [], [], 0
        rows: list[tuple[str, float, int, float]] = []
        for key, text in texts:
            started, children = time.perf_counter(), _children_cpu()
            audio = await speech.voice_note(text)
            took = (time.perf_counter() - started) * 1000
            cpu.append((_children_cpu() - children) * 1000)
            if audio is None:
                failed += 1
                continue
            started = time.perf_counter()
            assert await speech.voice_note(text) == audio
            cached.append((time.perf_counter() - started) * 1000)
            cold.append(took)
            sizes.append(len(audio))
            lengths.append(_seconds(audio))
            rows.append((key, took, len(audio), lengths[-1]))
        fresh = build_speech(settings)  # another worker: the disk tier only
        for _key, text in texts[: min(len(texts), 50)]:
            started = time.perf_counter()
            await fresh.voice_note(text)
            disk.append((time.perf_counter() - started) * 1000)
        assert fresh.synthesized == 0, "the disk tier missed"
    print(f"voice notes of {len(rows)} catalog messages (failed: {failed}), "
          f"espeak-ng voice '{settings.voice_name}', OGG/Opus 24 kbit/s mono")  # fmt: skip
    print(f"{'':24} {'median':>8} {'p95':>8} {'max':>8}")
    print(f"{'cold synthesis (ms)':24} {_ms(cold)}")
    print(f"{'  of it CPU (ms)':24} {_ms(cpu)}")
    print(f"{'disk cache hit (ms)':24} {_ms(disk, 3)}")
    print(f"{'memory cache hit (ms)':24} {_ms(cached, 3)}")
    print(f"{'audio (kB)':24} {_ms([s / 1024 for s in sizes])}")
    print(f"{'audio (seconds)':24} {_ms(lengths)}")
    print(f"total: {sum(sizes) / 1024:.0f} kB for {sum(lengths) / 60:.1f} minutes of speech, "
          f"{sum(cold) / 1000:.1f} s to make them all once")  # fmt: skip
    print("\nslowest five:")
    for key, took, size, length in sorted(rows, key=lambda r: -r[1])[:5]:
        print(f"  {key:36} {took:7.1f} ms {size / 1024:6.1f} kB {length:5.1f} s")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="benchmark a sample of n")
    asyncio.run(run(parser.parse_args().limit))


if __name__ == "__main__":
    main()
