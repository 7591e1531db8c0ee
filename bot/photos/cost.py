"""What decoding a picture will cost, read from its header before any pixel is decoded."""

from __future__ import annotations

from PIL import Image

_FIXED = 8 * 1024 * 1024  # decoder state, row buffers, the Python objects around them
# Bytes per decoded pixel at the worst moment of turning the full-size picture into the small
# one (see decode._small_rgb). Pillow keeps RGB, RGBA, LA, CMYK, I and F in 4 bytes a pixel,
# L, P and 1-bit in 1, 16-bit grey in 2. The worst moment is either the conversion (the picture
# and its flattened copy) or the resize (the picture and its half-resized copy, up to its size
# again). Measured for every mode by tests/photos/test_decode_memory.py, which fails if an
# estimate falls short.
_PEAK_BYTES = {
    "1": 2,  # → L, then resized
    "L": 2,
    "P": 8,  # → RGB, then resized
    "RGB": 8,
    "RGBA": 9,  # → RGB over white (through the alpha band), then resized
    "LA": 7,  # → L over white, through its L and A bands
    "I;16": 4,
    "I;16B": 4,
    "I;16L": 4,
    "I": 8,
    "F": 8,
    "CMYK": 8,  # resized, then → RGB
}
_UNKNOWN_MODE = 12
# libwebp decodes into a canvas of its own, Pillow copies it out as bytes and then into the
# picture: three full copies before the conversion even starts (measured: 16.4 bytes a pixel).
_WEBP_PEAK_BYTES = 18
# SOF markers of progressive JPEGs (Huffman and arithmetic coding).
_SOF_PROGRESSIVE = frozenset({0xC2, 0xC6, 0xCA, 0xCE})
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def decode_cost(
    im: Image.Image, width: int, height: int, *, whole_frame: bool, max_side: int
) -> int:
    """Estimate the most memory (bytes) that turning ``im`` into a small RGB array takes.

    ``im`` is opened but not loaded (a JPEG already drafted to its reduced size);
    ``width``×``height`` are the sides its header declares; ``whole_frame`` says that libjpeg
    buffers every DCT coefficient of the frame (``jpeg_keeps_whole_frame``).
    """
    pixels = im.size[0] * im.size[1]
    per_pixel = _PEAK_BYTES.get(im.mode, _UNKNOWN_MODE)
    if im.mode == "P" and "transparency" in im.info:
        per_pixel = 9  # P (1) → RGBA (4) → RGB over white (4)
    if im.format == "WEBP":
        per_pixel = _WEBP_PEAK_BYTES
    cost = pixels * per_pixel
    if whole_frame and im.format in ("JPEG", "MPO"):
        cost += coefficient_bytes(im, width, height)
    # The small copies: resized, converted, turned upright, the array (≤ 4 × RGB).
    scale = min(1.0, max_side / max(im.size))
    small = int(pixels * scale * scale) + 1
    return cost + small * 3 * 4 + _FIXED


def coefficient_bytes(im: Image.Image, width: int, height: int) -> int:
    """Return the size of libjpeg's whole-frame coefficient buffer (2 bytes a coefficient)."""
    # Pillow's JPEG plugin lists the frame's components as (id, h, v, quantisation table).
    layers = getattr(im, "layer", None) or [("", 1, 1, 0)] * 3
    h_max = max(layer[1] for layer in layers) or 1
    v_max = max(layer[2] for layer in layers) or 1
    mcus = -(-width // (8 * h_max)) * -(-height // (8 * v_max))
    blocks = mcus * sum(layer[1] * layer[2] for layer in layers)
    return blocks * 64 * 2


def jpeg_keeps_whole_frame(data: bytes) -> bool:
    """Tell whether libjpeg must buffer every DCT coefficient: progressive, or several scans.

    A baseline JPEG whose first scan carries every component is decoded row by row, at the
    reduced scale ``Image.draft`` asks for; otherwise libjpeg keeps the whole frame's
    coefficients, at full size, whatever the scale. Walks the marker segments up to the first
    scan; anything unreadable counts as the worse case.
    """
    i, components = 2, 0
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return True
        marker = data[i + 1]
        if marker == 0xFF:  # a fill byte before the marker
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker in _SOF_PROGRESSIVE:
            return True
        if marker in _SOF and i + 9 < len(data):
            components = data[i + 9]
        elif marker == 0xDA:  # the first scan: does it carry every component?
            return i + 4 >= len(data) or data[i + 4] < components
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return True


def webp_size(data: bytes) -> tuple[int, int] | None:
    """Return the canvas size a WebP file declares, or None when its header is unreadable.

    Read before ``Image.open``: opening a WebP already sets up libwebp's full-size canvas.
    """
    chunk, body = data[12:16], data[20:30]
    if len(body) < 10:
        return None
    if chunk == b"VP8X":  # extended: 24-bit canvas width − 1 and height − 1
        return int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1
    if chunk == b"VP8L" and body[0] == 0x2F:  # lossless: 14-bit width − 1 and height − 1
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and body[3:6] == b"\x9d\x01\x2a":  # lossy: 14-bit width and height
        return (
            int.from_bytes(body[6:8], "little") & 0x3FFF,
            int.from_bytes(body[8:10], "little") & 0x3FFF,
        )
    return None
