"""Benchmark the photo pre-checks: time and memory per 12-megapixel photo, one core.

    .venv/bin/python bench/photo_checks.py              # timing table
    .venv/bin/python bench/photo_checks.py --runs 10
    .venv/bin/python bench/photo_checks.py --calibrate  # the blur/face threshold tables

Each configuration runs in a fresh child process. "peak RSS +MB" is the first call's peak
resident memory above the process's resident memory just before it (Linux: VmHWM is reset via
/proc/self/clear_refs), so it covers the cascades' loading but not building the pictures.
``tracemalloc`` sees Python and NumPy buffers but not Pillow's or OpenCV's own allocations;
the RSS column is the honest one. CPU time includes the Tesseract child process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

# One core: no OpenMP fan-out in Tesseract (must be set before it starts) nor in OpenCV.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _status_mb(field: str) -> float:
    """Return a memory field (VmRSS, VmHWM) of /proc/self/status in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    return float("nan")


def _reset_peak_rss() -> None:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS (Linux ≥ 4.0)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(path: str, kind: str, ocr: bool, runs: int) -> dict[str, object]:
    """Time ``runs`` checks of the photo at ``path`` in this process; return the numbers."""
    import cv2

    from bot.photos import PhotoKind, check_photo

    cv2.setNumThreads(1)
    data = Path(path).read_bytes()
    _reset_peak_rss()
    rss_before = _status_mb("VmRSS")
    tracemalloc.start()
    t0, c0 = time.perf_counter(), _cpu_s()
    verdict = check_photo(data, PhotoKind(kind), ocr=ocr, typed_nik="3671014501900001")
    cold = time.perf_counter() - t0
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = _status_mb("VmHWM")
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _cpu_s()
        check_photo(data, PhotoKind(kind), ocr=ocr, typed_nik="3671014501900001")
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu_s() - c0)
    return {
        "kind": kind,
        "ocr": ocr,
        "bytes": len(data),
        "accepted": verdict.accepted,
        "keys": list(verdict.keys),
        "ocr_status": verdict.flags.get("ocr"),
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(walls) * 1000,
        "min_ms": min(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        "traced_peak_mb": traced_peak / 2**20,
        "rss_peak_mb": rss_peak - rss_before,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The largest child's peak: Tesseract runs as its own process.
        "child_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _photos(folder: Path, size: tuple[int, int]) -> dict[str, Path]:
    from tests.photos.factory import large_jpeg

    w, h = size
    paths = {}
    for kind, dims in (("ktp", (w, h)), ("selfie", (h, w))):  # a selfie is portrait
        path = folder / f"{kind}-{dims[0]}x{dims[1]}.jpg"
        path.write_bytes(large_jpeg(kind, dims))
        paths[kind] = path
    return paths


def bench(runs: int, sizes: list[tuple[int, int]]) -> None:
    """Print the timing table."""
    print(f"photo checks, 1 thread, median of {runs} warm runs (cold = first call in process)")
    header = (
        f"{'photo':<18}{'OCR':<5}{'cold ms':>9}{'median ms':>11}{'min ms':>8}{'CPU ms':>8}"
        f"{'traced MB':>11}{'peak RSS +MB':>14}  result"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for kind, path in _photos(Path(tmp), size).items():
                for ocr in (False, True) if kind == "ktp" else (False,):
                    cmd = [sys.executable, __file__, "--worker", str(path), kind, str(ocr)]
                    out = subprocess.run(
                        [*cmd, str(runs)], capture_output=True, text=True, check=True
                    ).stdout
                    r = json.loads(out.strip().splitlines()[-1])
                    mp = size[0] * size[1] / 1e6
                    label = f"{kind} {mp:.1f} MP"
                    result = "accepted" if r["accepted"] else "refused"
                    if r["keys"]:
                        result += " " + ",".join(r["keys"])
                    if ocr:
                        result += (
                            f" (ocr: {r['ocr_status']}, tesseract {r['child_maxrss_mb']:.0f} MB)"
                        )
                    print(
                        f"{label:<18}{'yes' if ocr else 'no':<5}{r['cold_ms']:>9.0f}"
                        f"{r['median_ms']:>11.0f}{r['min_ms']:>8.0f}{r['cpu_ms']:>8.0f}"
                        f"{r['traced_peak_mb']:>11.1f}{r['rss_peak_mb']:>14.1f}  {result}"
                    )


# --------------------------------------------------------------------------- calibration


def calibrate() -> None:
    """Print blur scores against blur strength, with OCR legibility, to set the thresholds."""
    import cv2
    import numpy as np
    from PIL import Image, ImageFilter

    from bot.photos import DEFAULT_LIMITS, PhotoKind, check_photo
    from bot.photos.ocr import tesseract_language
    from tests.photos import factory

    lang = tesseract_language()
    fields = ("3671014501900001", "05-01-1990", "KARYAWANSWASTA", "SUKASARI", "001/002")

    def legible(im: Image.Image) -> str:
        if lang is None:
            return "-"
        import pytesseract

        gray = cv2.cvtColor(np.asarray(im), cv2.COLOR_RGB2GRAY)
        text = pytesseract.image_to_string(gray, lang=lang, config="--psm 11", timeout=30)
        text = text.replace(" ", "")
        return f"{sum(f in text for f in fields)}/{len(fields)}"

    def motion(im: Image.Image, length: int) -> Image.Image:
        kernel = np.full((1, max(1, length)), 1.0 / max(1, length), np.float32)
        return Image.fromarray(cv2.filter2D(np.asarray(im), -1, kernel))

    limits = DEFAULT_LIMITS
    print("KTP: blur score of the card rescaled to 1,000 px wide; sigma / motion length are")
    print(f"in those card pixels. hard < {limits.ktp_blur_hard}, soft < {limits.ktp_blur_soft}")
    print(f"OCR column: printed fields read back of {len(fields)} (NIK, date, job, kelurahan, RT)")
    cards = {"1400x1000": factory.ktp_photo(), "4000x3000": None}
    for name in cards:
        if name == "4000x3000":
            im0 = factory.ktp_photo(size=(4000, 3000), card_width=3400)
            per = 3.4
        else:
            im0 = cards[name]
            per = 1.2
        assert im0 is not None
        print(f"  photo {name}")
        for label, im in (
            [("sharp", im0)]
            + [
                (f"gauss {s}", im0.filter(ImageFilter.GaussianBlur(s * per)))
                for s in (0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
            ]
            + [(f"motion {n}", motion(im0, round(n * per))) for n in (3, 5, 7, 9, 12, 16)]
        ):
            v = check_photo(factory.to_jpeg(im), PhotoKind.KTP, ocr=False)
            verdict = "ok" if not v.problems else ",".join(v.keys)
            print(f"    {label:<11} score {v.flags['blur']:>7}  {verdict:<22} OCR {legible(im)}")

    print()
    print("Selfie: blur score of the face rescaled to 128 px; sigma / motion length in % of")
    print(f"the face width. hard < {limits.face_blur_hard}, soft < {limits.face_blur_soft}")
    for size in ((960, 1280), (3000, 4000)):
        im0 = factory.selfie(size=size)
        face_w = 0.2 * size[0]
        print(f"  selfie {size[0]}x{size[1]}")
        for label, im in (
            [("sharp", im0)]
            + [
                (f"gauss {p}%", im0.filter(ImageFilter.GaussianBlur(p / 100 * face_w)))
                for p in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
            ]
            + [(f"motion {p}%", motion(im0, round(p / 100 * face_w))) for p in (4, 6, 10, 15)]
        ):
            v = check_photo(factory.to_jpeg(im), PhotoKind.SELFIE, ocr=False)
            verdict = "ok" if not v.problems else ",".join(v.keys)
            print(
                f"    {label:<11} score {v.flags['blur']:>7}  faces {v.flags['faces']}  {verdict}"
            )


def main() -> None:
    """Parse arguments and run the benchmark, the calibration or one worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--small", action="store_true", help="also time 1,280 px photos")
    parser.add_argument("--worker", nargs=4, metavar=("PATH", "KIND", "OCR", "RUNS"))
    args = parser.parse_args()
    if args.worker:
        path, kind, ocr, runs = args.worker
        print(json.dumps(worker(path, kind, ocr == "True", int(runs))))
    elif args.calibrate:
        calibrate()
    else:
        sizes = [(4000, 3000)] + ([(1280, 960)] if args.small else [])
        bench(args.runs, sizes)


if __name__ == "__main__":
    main()
