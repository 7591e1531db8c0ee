"""Decoding a photo stays small in memory, whoever sends it and however many at once (issue 15).

A 106 KB 5000×4990 RGBA PNG grew the worker by ~480 MB; a progressive JPEG claiming a big frame
made libjpeg buffer every coefficient at full size. Growth is measured on the resident set
(tests/support/memory.py), since Pillow's buffers are invisible to tracemalloc.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PIL import Image

from bot.config import ConfigError, Settings
from bot.core import build_core
from bot.helpdesk.media import clean_photo
from bot.photos import PhotoKind, check_photo
from bot.photos.budget import DECODE_BUDGET, MemoryBudget
from bot.photos.cost import decode_cost, jpeg_keeps_whole_frame
from bot.photos.decode import PhotoRefusedError, decode
from bot.photos.limits import DEFAULT_LIMITS, PhotoLimits
from tests.photos import factory
from tests.photos.test_hostile_files import assert_refused
from tests.support.memory import MB, peak_growth

LIMITS = DEFAULT_LIMITS
# What one decode may grow the worker by: a 12-MP phone photo takes ~50 MB.
GROWTH_LIMIT = 100 * MB


def _decode(data: bytes, budget: MemoryBudget | None = None, wait: float = 20.0) -> object:
    return decode(
        data, max_pixels=LIMITS.max_pixels, max_side=LIMITS.store_side,
        max_pixels_full_decode=LIMITS.max_pixels_full_decode, budget=budget, wait=wait,
    )  # fmt: skip


@pytest.fixture
def decode_budget_limit() -> Iterator[Callable[[int], None]]:
    """Let a test shrink the process-wide decode budget; restore it afterwards."""
    before = DECODE_BUDGET.limit
    yield DECODE_BUDGET.set_limit
    DECODE_BUDGET.set_limit(before)


# --------------------------------------------------------------------------- bombs


def test_rgba_png_bomb_is_refused_from_its_header_fast_and_without_memory() -> None:
    bomb = factory.rgba_png_bomb()
    assert len(bomb) < 120_000
    with peak_growth() as growth:
        started = time.perf_counter()
        verdict = check_photo(bomb, PhotoKind.KTP, ocr=False)
        elapsed = time.perf_counter() - started
    assert_refused(verdict, "photo-too-many-pixels")
    assert elapsed < 0.5
    assert growth.mb < 20, growth.mb


def test_rgba_png_bomb_for_an_agent_is_refused_without_memory() -> None:
    bomb = factory.rgba_png_bomb()
    with peak_growth() as growth:
        photo = clean_photo(bomb)
    assert not photo.accepted and [p.key for p in photo.problems] == ["photo-too-many-pixels"]
    assert growth.mb < 20, growth.mb


@pytest.mark.parametrize("subsampling", [0, 2], ids=["4:4:4", "4:2:0"])
def test_progressive_jpeg_claiming_a_big_frame_is_refused_without_memory(
    subsampling: int,
) -> None:
    # 64 MP: below the 80-MP limit of a JPEG, but libjpeg would buffer 192–384 MB for it.
    bomb = factory.progressive_jpeg_bomb(8000, 8000, subsampling)
    with peak_growth() as growth:
        verdict = check_photo(bomb, PhotoKind.SELFIE, ocr=False)
    assert_refused(verdict, "photo-too-many-pixels")
    assert growth.mb < 20, growth.mb


@pytest.mark.parametrize("size", [(60_000, 60_000), (65_000, 1_300), (9_500, 9_000)])
def test_jpeg_with_huge_dimensions_is_refused_from_its_header(size: tuple[int, int]) -> None:
    bomb = factory.jpeg_bomb(*size)
    with peak_growth() as growth:
        started = time.perf_counter()
        verdict = check_photo(bomb, PhotoKind.KTP, ocr=False)
        elapsed = time.perf_counter() - started
    assert_refused(verdict, "photo-too-many-pixels")
    assert elapsed < 0.5
    assert growth.mb < 20, growth.mb


def test_webp_claiming_a_big_canvas_is_refused_before_libwebp_sets_it_up() -> None:
    small = _webp("RGB", (64, 64))
    body = bytearray(small)
    assert body[12:16] == b"VP8L"
    # VP8L header: 14 bits width − 1, 14 bits height − 1, then alpha and version bits.
    old = int.from_bytes(body[21:25], "little")
    bits = (4_500 - 1) | ((4_500 - 1) << 14) | (old & ~0xFFFFFFF)  # 4500×4500: 20 MP
    body[21:25] = bits.to_bytes(4, "little")
    with peak_growth() as growth:
        verdict = check_photo(bytes(body), PhotoKind.KTP, ocr=False)
    assert_refused(verdict, "photo-too-many-pixels")
    assert growth.mb < 20, growth.mb


def test_png_just_over_a_phone_photo_is_refused() -> None:
    assert_refused(check_photo(factory.plain_png(4001, 4000, color_type=2), "ktp"),
                   "photo-too-many-pixels")  # fmt: skip


# --------------------------------------------------------------------------- real photos


def test_phone_photo_4000x3000_jpeg_is_accepted_within_the_growth_limit() -> None:
    photo = factory.large_jpeg("ktp")  # built (and cached) before measuring
    with peak_growth() as growth:
        verdict = check_photo(photo, PhotoKind.KTP, ocr=False)
    assert verdict.accepted, verdict.keys
    assert (verdict.width, verdict.height) == (2000, 1500)
    assert growth.mb < GROWTH_LIMIT / MB, growth.mb


def test_50_megapixel_baseline_jpeg_is_decoded_at_reduced_scale() -> None:
    # Some phones' 50-MP mode: libjpeg decodes it at 1/4 scale, so it costs a 3-MP picture.
    photo = factory.jpeg_bomb(8160, 6120)
    assert not jpeg_keeps_whole_frame(photo)
    with peak_growth() as growth:
        decoded = _decode(photo)
    assert decoded.rgb.shape == (1500, 2000, 3)  # type: ignore[attr-defined]
    assert growth.mb < 50, growth.mb


def test_phone_sized_rgba_png_is_accepted_and_flattened_on_white() -> None:
    photo = factory.plain_png(4000, 3000, color_type=6)
    with peak_growth() as growth:
        decoded = _decode(photo)
    assert decoded.rgb.shape == (1500, 2000, 3)  # type: ignore[attr-defined]
    assert decoded.rgb.min() == 255  # type: ignore[attr-defined]  # fully transparent → white
    # 12 MP of RGBA are 48 MB themselves, and their copy on white as much again.
    assert growth.mb < 120, growth.mb


# --------------------------------------------------------------------------- the estimate


def _jpeg(mode: str, *, progressive: bool = False, subsampling: int = 0) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (64, 64)).save(buf, "JPEG", progressive=progressive, subsampling=subsampling)
    return buf.getvalue()


def _webp(mode: str, size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "WEBP", lossless=True, quality=0, method=0)
    return buf.getvalue()


# Every mode a citizen's PNG, WebP or JPEG can decode to, at ~12 MP (8000×6000 for JPEG).
COST_CASES: dict[str, Callable[[], bytes]] = {
    "png-L": lambda: factory.plain_png(4000, 3000, color_type=0),
    "png-1bit": lambda: factory.plain_png(4000, 3000, color_type=0, bit_depth=1),
    "png-16bit": lambda: factory.plain_png(4000, 3000, color_type=0, bit_depth=16),
    "png-RGB": lambda: factory.plain_png(4000, 3000, color_type=2),
    "png-RGBA": lambda: factory.plain_png(4000, 3000, color_type=6),
    "png-LA": lambda: factory.plain_png(4000, 3000, color_type=4),
    "png-P": lambda: factory.plain_png(4000, 3000, color_type=3, palette=True),
    "png-P-transparent": lambda: factory.plain_png(
        4000, 3000, color_type=3, palette=True, transparency=True
    ),
    "webp-RGB": lambda: _webp("RGB", (4000, 3000)),
    "webp-RGBA": lambda: _webp("RGBA", (4000, 3000)),
    "jpeg-RGB": lambda: factory._with_frame_size(_jpeg("RGB"), 8000, 6000),
    "jpeg-L": lambda: factory._with_frame_size(_jpeg("L"), 8000, 6000),
    "jpeg-CMYK": lambda: factory._with_frame_size(_jpeg("CMYK"), 8000, 6000),
    "jpeg-progressive-444": lambda: factory._with_frame_size(
        _jpeg("RGB", progressive=True), 4000, 3000
    ),
    "jpeg-progressive-420": lambda: factory._with_frame_size(
        _jpeg("RGB", progressive=True, subsampling=2), 4000, 3000
    ),
}


def _estimate(data: bytes) -> int:
    fmt = {b"\x89P": "PNG", b"RI": "WEBP"}.get(data[:2], "JPEG")
    with Image.open(io.BytesIO(data), formats=[fmt]) as im:
        width, height = im.size
        whole = fmt == "JPEG" and jpeg_keeps_whole_frame(data)
        if fmt == "JPEG":
            scale = LIMITS.store_side / max(width, height)
            im.draft("RGB", (int(width * scale), int(height * scale)))
        return decode_cost(im, width, height, whole_frame=whole, max_side=LIMITS.store_side)


@pytest.mark.parametrize("name", list(COST_CASES))
def test_decode_cost_covers_what_decoding_really_takes(name: str) -> None:
    data = COST_CASES[name]()
    estimate = _estimate(data)
    with peak_growth() as growth:
        _decode(data, budget=MemoryBudget(10**12))
    assert growth.bytes <= estimate, (growth.mb, estimate / MB)
    # …and is not so generous that the budget is wasted on air.
    assert estimate <= 2 * growth.bytes + 48 * MB, (growth.mb, estimate / MB)


# --------------------------------------------------------------------------- the budget


def test_four_concurrent_decodes_stay_within_the_memory_budget() -> None:
    # Four 15-MP RGBA PNGs at once (~170 MB each while decoding): allowed one at a time.
    photos = [factory.plain_png(5000, 3000, color_type=6) for _ in range(4)]
    budget = MemoryBudget(200 * MB)
    results: list[object] = []

    def run(data: bytes) -> None:
        results.append(_decode(data, budget=budget))

    with peak_growth() as growth:
        threads = [threading.Thread(target=run, args=(p,)) for p in photos]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 4
    assert budget.peak <= budget.limit and budget.in_use == 0
    # The four small results (7 MB each) are kept after their decode gave its share back.
    assert growth.bytes < budget.limit + 40 * MB, growth.mb


def test_photo_that_cannot_get_memory_in_time_is_refused_with_send_again() -> None:
    photo = factory.large_jpeg("selfie")
    with DECODE_BUDGET.reserve(DECODE_BUDGET.limit, wait=1):  # every byte taken by others
        started = time.perf_counter()
        verdict = check_photo(photo, "selfie", ocr=False, limits=PhotoLimits(decode_wait=0.2))
        assert time.perf_counter() - started < 2
    assert_refused(verdict, "photo-check-failed")


def test_photo_bigger_than_the_whole_budget_is_refused_as_too_big(
    decode_budget_limit: Callable[[int], None],
) -> None:
    decode_budget_limit(20 * MB)
    assert_refused(check_photo(factory.large_jpeg("ktp"), "ktp", ocr=False),
                   "photo-too-many-pixels")  # fmt: skip


def test_the_setting_sizes_the_process_wide_budget(
    settings_factory: Callable[..., Settings], decode_budget_limit: Callable[[int], None]
) -> None:
    build_core(settings_factory(decode_memory_mb=123), ocr=False)
    assert DECODE_BUDGET.limit == 123 * MB
    with pytest.raises(ConfigError, match="TLIVE_DECODE_MEMORY_MB"):
        settings_factory(decode_memory_mb=10)


def test_decode_gives_its_share_back_when_the_file_is_corrupt() -> None:
    budget = MemoryBudget(200 * MB)
    with pytest.raises(PhotoRefusedError):
        _decode(factory.truncated_jpeg(0.3)[:2000] + b"\x00" * 50, budget=budget)
    assert budget.in_use == 0
