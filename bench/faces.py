"""Benchmark faces: detection on real photos (cascades vs dlib HOG) and the KTP↔selfie comparison.

    .venv/bin/python bench/faces.py

Real photos: the two public-domain portraits of ``tests/photos/real_faces.py`` (NASA's
astronaut Eileen Collins; the U.S. Navy's Grace Hopper at 77) in 14 variants each: tilted up
to 25°, turned by a perspective warp, 250–700 px faces, dimmed, JPEG quality 25. Only two
people: that is all the public-domain faces the packages we can install ship, so the
same/different figures below are a smoke test, not an error rate.

Columns: "cascades" is the check before issue 17 (frontal cascade + confirming cascade);
"HOG" is dlib's detector alone; "check" is ``check_photo`` as it is now (accepted, one face).
Comparison: CPU seconds per pair (decode, detect, align, embed both faces) and the process's
peak resident memory after loading the models.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402

from bot.photos import PhotoKind, check_photo  # noqa: E402
from bot.photos.compare_faces import compare, decode_rgb  # noqa: E402
from bot.photos.faces import confirm_face, detect_faces_hog  # noqa: E402
from bot.photos.quality import shrink  # noqa: E402
from bot.photos.selfie import _faces  # noqa: E402
from tests.photos import factory, real_faces  # noqa: E402


def detection() -> None:
    """Print, per variant, whether each detector finds the one real face."""
    totals = {"cascades": 0, "HOG": 0, "check": 0}
    n = 0
    print(f"{'person':<10} {'variant':<18} {'cascades':>8} {'HOG':>4} {'check':>6}  ms HOG")
    for who, name, data in real_faces.variants():
        gray = cv2.cvtColor(decode_rgb(data), cv2.COLOR_RGB2GRAY)
        work = shrink(gray, 1000)
        min_size = round(0.09 * min(work.shape))
        haar = any(confirm_face(work, f) for f in _faces(work, min_fraction=0.09, search_short=360))
        started = time.perf_counter()
        hog = len(detect_faces_hog(work, min_size=min_size)) == 1
        ms = (time.perf_counter() - started) * 1000
        verdict = check_photo(data, PhotoKind.SELFIE)
        ok = verdict.accepted and verdict.flags["faces"] == 1
        for key, hit in (("cascades", haar), ("HOG", hog), ("check", ok)):
            totals[key] += hit
        n += 1
        marks = ["yes" if v else "NO" for v in (haar, hog, ok)]
        print(f"{who:<10} {name:<18} {marks[0]:>8} {marks[1]:>4} {marks[2]:>6}  {ms:5.0f}")
    print("found: " + ", ".join(f"{k} {v}/{n}" for k, v in totals.items()))


def comparison() -> None:
    """Print same/different similarities and the cost of one comparison."""
    ktp = factory.good_ktp_jpeg()  # the astronaut's face as the pas foto
    pairs = [("astronaut", "same", factory.good_selfie_jpeg())]
    pairs += [
        (who, "same" if who == "astronaut" else "different", real_faces.variant_jpeg(who, name))
        for who in real_faces.portraits()
        for name in ("plain", "tilted 10°", "turned left", "dim", "jpeg q25")
    ]
    compare(ktp, pairs[0][2])  # load the models first
    print("\nKTP (astronaut pas foto) vs selfie   similarity band       CPU-s")
    cpu: list[float] = []
    right = 0
    for who, truth, selfie in pairs:
        started = time.process_time()
        result = compare(ktp, selfie)
        cpu.append(time.process_time() - started)
        got = result.band
        right += (got == "same") == (truth == "same") and got != "unsure"
        print(f"{who:<10} ({truth:<9}) {'':12} {result.similarity!s:>10} {got!s:<10} {cpu[-1]:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"right band: {right}/{len(pairs)}; CPU per pair: median {sorted(cpu)[len(cpu) // 2]:.2f} s"
    )
    print(f"peak RSS of this process (models, pictures, the check above): {peak:.0f} MB")


def _status_mb(field: str) -> float:
    """Return a memory field (VmRSS, VmHWM) of /proc/self/status in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory() -> None:
    """Print what the comparison adds to a process: dlib, the models, one pair (run alone)."""
    from bot.photos import compare_faces

    ktp, selfie = factory.good_ktp_jpeg(), factory.good_selfie_jpeg()
    before = _status_mb("VmRSS")
    compare_faces._load()
    loaded = _status_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    started = time.process_time()
    compare_faces.compare(ktp, selfie)
    cpu = time.process_time() - started
    print(
        f"\nfresh process: models +{loaded - before:.0f} MB resident, one pair +"
        f"{_status_mb('VmHWM') - loaded:.0f} MB at its peak, first pair {cpu:.2f} CPU-s"
    )


if __name__ == "__main__":
    cv2.setNumThreads(1)
    if "--memory" in sys.argv:
        memory()
    else:
        detection()
        comparison()
        subprocess.run([sys.executable, __file__, "--memory"], check=True)
