"""Deterministic test photos: synthetic KTP cards, selfies and hostile files.

No real person's document is used. The only real face is NASA's public-domain portrait of
astronaut Eileen Collins shipped with scikit-image (``skimage.data.astronaut()``); it is read
straight from scikit-image's data folder with Pillow because importing ``skimage.data`` is slow.

The app's own tests import this module, e.g.::

    from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

GOOD_NIK = "3671014501900001"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# ISO/IEC 7810 ID-1: 85.60 × 53.98 mm.
CARD_RATIO = 85.6 / 53.98

_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


# --------------------------------------------------------------------------- building blocks


@lru_cache(maxsize=8)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return a DejaVu font of ``size`` pixels (bold or regular)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


@lru_cache(maxsize=1)
def _astronaut_array() -> np.ndarray:
    spec = find_spec("skimage")
    if spec is None or spec.origin is None:  # pragma: no cover - scikit-image is a test dep
        raise RuntimeError("scikit-image is needed for the test photos")
    path = Path(spec.origin).parent / "data" / "astronaut.png"
    with Image.open(path) as im:
        arr = np.asarray(im.convert("RGB")).copy()
    arr.setflags(write=False)
    return arr


def astronaut() -> Image.Image:
    """Return the 512×512 public-domain astronaut portrait (a real, frontal face)."""
    return Image.fromarray(_astronaut_array())


def passport_face(size: tuple[int, int], background: tuple[int, int, int]) -> Image.Image:
    """Return a KTP-style pas foto: the astronaut's head on a plain coloured background."""
    head = astronaut().crop((150, 25, 300, 225))  # face box is about (177, 66, 272, 161)
    photo = Image.new("RGB", head.size, background)
    # Keep the face and hair, blend the edges into the plain background like a studio photo.
    mask = Image.new("L", head.size, 0)
    ImageDraw.Draw(mask).ellipse((8, 0, head.width - 8, head.height + 60), fill=255)
    photo.paste(head, (0, 0), mask.filter(ImageFilter.GaussianBlur(6)))
    return photo.resize(size, Image.Resampling.LANCZOS)


def _noise(im: Image.Image, sigma: float, seed: int) -> Image.Image:
    """Add mild sensor-like noise so blur and exposure measures behave as on real photos."""
    rng = np.random.default_rng(seed)
    arr = np.asarray(im, dtype=np.float32)
    noise = rng.standard_normal((*arr.shape[:2], 1), dtype=np.float32) * sigma
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def _desk(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """Return a brown, wood-like desk surface."""
    w, h = size
    rng = np.random.default_rng(seed)
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    grain = np.sin(y / 9.0 + 2.5 * np.sin(x / 140.0)) * 10 + np.sin(y / 31.0) * 6
    grain = grain.astype(np.float32)
    base = 110 + grain + rng.standard_normal((h, w), dtype=np.float32) * 3
    rgb = np.stack([base, base * 0.78, base * 0.55], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def _rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


def ktp_card(
    nik: str = GOOD_NIK,
    *,
    width: int = 1200,
    name: str = "SITI CONTOH WARGA",
    with_photo: bool = True,
    birth: str = "TANGERANG, 05-01-1990",
) -> Image.Image:
    """Render a synthetic, KTP-el-like card (light blue, Banten / Kota Tangerang) as RGBA."""
    w = width
    h = round(w / CARD_RATIO)
    s = w / 1200  # every size below is designed at 1,200 px wide

    def px(v: float) -> int:
        return round(v * s)

    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :, None]
    top = np.array([196, 224, 242], dtype=np.float32)
    bottom = np.array([168, 206, 234], dtype=np.float32)
    # A faint guilloche wave like the security print on a real card.
    wave = (np.sin(x * 60 + np.sin(y * 9) * 4) * 4).astype(np.float32)
    bg = top * (1 - y) + bottom * y + wave + 0 * x
    card = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(card)
    ink = (20, 20, 30)

    head = font(px(40), bold=True)
    for i, line in enumerate(("PROVINSI BANTEN", "KOTA TANGERANG")):
        draw.text((w / 2, px(28 + i * 50)), line, font=head, fill=ink, anchor="ma")

    nik_font = font(px(50), bold=True)
    draw.text((px(40), px(150)), "NIK", font=nik_font, fill=ink)
    draw.text((px(200), px(150)), f": {nik}", font=nik_font, fill=ink)

    fields = (
        ("Nama", name),
        ("Tempat/Tgl Lahir", birth),
        ("Jenis Kelamin", "PEREMPUAN     Gol. Darah : O"),
        ("Alamat", "JL. CONTOH RAYA NO. 1"),
        ("    RT/RW", "001/002"),
        ("    Kel/Desa", "SUKASARI"),
        ("    Kecamatan", "TANGERANG"),
        ("Agama", "ISLAM"),
        ("Status Perkawinan", "KAWIN"),
        ("Pekerjaan", "KARYAWAN SWASTA"),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    )
    body = font(px(24), bold=True)
    for i, (label, value) in enumerate(fields):
        top_y = px(232 + i * 39)
        draw.text((px(40), top_y), label, font=body, fill=ink)
        draw.text((px(300), top_y), f": {value}", font=body, fill=ink)

    if with_photo:
        photo = passport_face((px(230), px(300)), background=(200, 40, 40))
        card.paste(photo, (px(915), px(215)))
    small = font(px(20), bold=True)
    draw.text((px(1030), px(540)), "KOTA TANGERANG", font=small, fill=ink, anchor="ma")
    draw.text((px(1030), px(566)), "05-06-2020", font=small, fill=ink, anchor="ma")
    # A signature squiggle.
    pts = [(px(940 + t * 4), px(650 + 18 * math.sin(t / 3.0))) for t in range(45)]
    draw.line(pts, fill=ink, width=max(1, px(3)))

    rgba = card.convert("RGBA")
    rgba.putalpha(_rounded_mask((w, h), px(40)))
    return rgba


def ktp_photo(
    nik: str = GOOD_NIK,
    *,
    size: tuple[int, int] = (1400, 1000),
    card_width: int = 1200,
    offset: tuple[int, int] | None = None,
    card: Image.Image | None = None,
    seed: int = 1,
) -> Image.Image:
    """Return a photo of the card lying on a desk, taken from above (RGB)."""
    card = card if card is not None else ktp_card(nik, width=card_width)
    canvas = _desk(size, seed=seed)
    if offset is None:
        offset = ((size[0] - card.width) // 2, (size[1] - card.height) // 2)
    shadow = Image.new("RGBA", card.size, (0, 0, 0, 90))
    shadow.putalpha(card.getchannel("A").point(lambda a: a * 90 // 255))
    canvas.paste(shadow, (offset[0] + 6, offset[1] + 8), shadow.filter(ImageFilter.BoxBlur(6)))
    canvas.paste(card, offset, card)
    return _noise(canvas, 2.0, seed)


def selfie(
    *,
    size: tuple[int, int] = (960, 1280),
    with_card: bool = True,
    people: int = 1,
    nik: str = GOOD_NIK,
    person_scale: float = 1.05,
    face_x: float = 0.5,
    seed: int = 2,
) -> Image.Image:
    """Return a selfie: the astronaut (a real face) holding a synthetic KTP to the side.

    ``person_scale`` is the astronaut picture's width ÷ the selfie's (1.05 gives a face about
    a fifth of the width); ``face_x`` is where the face's centre sits across the picture.
    """
    w, h = size
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    wall = np.array([150, 160, 150], dtype=np.float32) * (1 - 0.2 * y) + np.zeros((1, w, 3))
    canvas = Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8))
    person_w = round(w * (person_scale if people == 1 else 0.62))
    person = astronaut().resize((person_w, person_w), Image.Resampling.LANCZOS)
    face_cx = 224 / 512 * person_w  # centre of the face in the astronaut picture
    if people == 1:
        top = 0 if person_scale >= 1 else round(h * 0.62 - person_w)
        canvas.paste(person, (round(w * face_x - face_cx), max(0, top)))
    else:
        # Two people side by side (the same public-domain face, once mirrored).
        canvas.paste(person, (round(w * 0.27 - face_cx), round(h * 0.05)))
        mirrored = person.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        canvas.paste(mirrored, (round(w * 0.73 - (person_w - face_cx)), round(h * 0.05)))
    if with_card:
        card = ktp_card(nik, width=round(w * 0.5)).rotate(
            4, resample=Image.Resampling.BICUBIC, expand=True
        )
        pos = (round(w * 0.05), round(h * 0.64))  # held to the side, below the chin
        canvas.paste(card, pos, card)
        # Fingers holding the card's left edge.
        draw = ImageDraw.Draw(canvas)
        for i in range(4):
            fy = pos[1] + round(h * 0.04) + i * round(h * 0.035)
            draw.rounded_rectangle(
                (pos[0] - round(w * 0.05), fy, pos[0] + round(w * 0.03), fy + round(h * 0.03)),
                radius=round(h * 0.012),
                fill=(205, 160, 130),
            )
    return _noise(canvas, 2.0, seed)


def text_page(size: tuple[int, int] = (1000, 1400), seed: int = 3) -> Image.Image:
    """Return a photo of an ordinary typed letter (the wrong document)."""
    page = Image.new("RGB", size, (236, 234, 228))
    draw = ImageDraw.Draw(page)
    rng = np.random.default_rng(seed)
    words = (
        "surat", "pemberitahuan", "rapat", "warga", "akan", "dilaksanakan", "pada", "hari",
        "minggu", "pukul", "delapan", "pagi", "di", "balai", "pertemuan", "harap", "hadir",
        "tepat", "waktu", "terima", "kasih", "atas", "perhatian", "dan", "kerja", "sama",
        "bapak", "ibu", "sekalian", "kegiatan", "bakti", "lingkungan",
    )  # fmt: skip
    body = font(26)
    draw.text((80, 70), "PENGUMUMAN", font=font(40, bold=True), fill=(25, 25, 25))
    for line in range(14):
        text = " ".join(rng.choice(words, size=7))
        draw.text((80, 150 + line * 40), text.capitalize(), font=body, fill=(40, 40, 40))
    return _noise(page, 2.0, seed)


def to_jpeg(im: Image.Image, quality: int = 92, **save: object) -> bytes:
    """Encode ``im`` as a baseline JPEG."""
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality, **save)
    return buf.getvalue()


def to_png(im: Image.Image) -> bytes:
    """Encode ``im`` as PNG."""
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def to_webp(im: Image.Image, quality: int = 90) -> bytes:
    """Encode ``im`` as lossy WebP."""
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "WEBP", quality=quality, method=0)
    return buf.getvalue()


# --------------------------------------------------------------------------- good photos


def ktp_card_jpeg(nik: str = GOOD_NIK, *, size: tuple[int, int] = (1400, 1000)) -> bytes:
    """Return a good photo of a synthetic KTP on a desk as JPEG bytes (not cached)."""
    card_width = round(size[0] * 1200 / 1400)
    return to_jpeg(ktp_photo(nik, size=size, card_width=card_width))


def selfie_jpeg(
    *, size: tuple[int, int] = (960, 1280), with_card: bool = True, people: int = 1
) -> bytes:
    """Return a selfie holding a synthetic KTP as JPEG bytes (not cached)."""
    return to_jpeg(selfie(size=size, with_card=with_card, people=people))


@lru_cache(maxsize=16)
def good_ktp_jpeg(nik: str = GOOD_NIK) -> bytes:
    """Return a good, accepted KTP photo (1,400×1,000 JPEG) showing ``nik``."""
    return ktp_card_jpeg(nik)


@lru_cache(maxsize=1)
def good_selfie_jpeg() -> bytes:
    """Return a good, accepted selfie with one face holding a KTP (960×1,280 JPEG)."""
    return selfie_jpeg()


# --------------------------------------------------------------------------- bad variants


def blurred_jpeg(kind: str = "ktp", radius: float = 6.0) -> bytes:
    """Return the good photo of ``kind`` ("ktp"/"selfie") with a Gaussian blur of ``radius``."""
    return to_jpeg(_good_image(kind).filter(ImageFilter.GaussianBlur(radius)))


def motion_blurred_jpeg(kind: str = "ktp", length: int = 25) -> bytes:
    """Return the good photo with horizontal motion blur (a shaking hand)."""
    import cv2

    arr = np.asarray(_good_image(kind))
    kernel = np.full((1, length), 1.0 / length, dtype=np.float32)
    return to_jpeg(Image.fromarray(cv2.filter2D(arr, -1, kernel)))


def exposure_jpeg(kind: str = "ktp", gain: float = 0.2) -> bytes:
    """Return the good photo with its light multiplied by ``gain`` (< 1 dark, > 1 washed out)."""
    arr = np.asarray(_good_image(kind), dtype=np.float32) * gain
    return to_jpeg(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)))


def glare_jpeg(kind: str = "ktp", spot: float = 0.08) -> bytes:
    """Return the good photo with a lamp's reflection; ``spot`` is its radius ÷ width.

    The white core (clipped) is about 1.5 × ``spot`` wide, fading out around it.
    """
    im = _good_image(kind)
    w, h = im.size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    d2 = ((x - w * 0.45) ** 2 + ((y - h * 0.42) * 1.3) ** 2) / (spot * w) ** 2
    boost = (np.exp(-d2) * 380.0)[..., None]
    arr = np.asarray(im, dtype=np.float32) + boost
    return to_jpeg(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)))


def tiny_jpeg(kind: str = "ktp", long_side: int = 480) -> bytes:
    """Return the good photo shrunk to ``long_side`` pixels (a thumbnail)."""
    im = _good_image(kind).copy()
    im.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return to_jpeg(im)


def rotated_jpeg(kind: str = "ktp", orientation: int = 6, **extra_exif: object) -> bytes:
    """Return the good photo stored sideways with EXIF ``orientation`` saying how to turn it.

    Orientation 6 means "turn 90° clockwise to view", so the pixels are stored turned 90°
    counter-clockwise, as a phone held upright writes them.
    """
    undo = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
        2: Image.Transpose.FLIP_LEFT_RIGHT,
    }[orientation]
    stored = _good_image(kind).transpose(undo)
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    for tag, value in extra_exif.items():
        exif[int(tag)] = value
    return to_jpeg(stored, exif=exif.tobytes())


def gps_jpeg(kind: str = "ktp") -> bytes:
    """Return the good photo with camera EXIF: GPS (Kota Tangerang), make, model, comment."""
    exif = Image.Exif()
    exif[0x010F] = "ContohPhone"  # Make
    exif[0x0110] = "CP-1"  # Model
    gps = exif.get_ifd(_GPS_IFD)
    gps[1] = "S"
    gps[2] = (6.0, 10.0, 42.0)
    gps[3] = "E"
    gps[4] = (106.0, 37.0, 48.0)
    return to_jpeg(_good_image(kind), exif=exif.tobytes(), comment=b"secret comment")


def cropped_ktp_jpeg() -> bytes:
    """Return a KTP photo where the right part of the card (photo, NIK end) is out of frame."""
    card = ktp_card(GOOD_NIK, width=1500)
    return to_jpeg(ktp_photo(size=(1400, 1000), card=card, offset=(250, 60)))


def cropped_selfie_jpeg() -> bytes:
    """Return a selfie cut off at the nose: only chin, neck and the held card are visible."""
    im = _good_image("selfie")
    w, h = im.size
    return to_jpeg(im.crop((0, round(h * 0.30), w, h)))


def far_selfie_jpeg() -> bytes:
    """Return a selfie taken from too far away: the face is about a tenth of the width."""
    return to_jpeg(selfie(person_scale=0.55))


def face_at_edge_selfie_jpeg() -> bytes:
    """Return a selfie whose head runs into the left edge of the picture."""
    return to_jpeg(selfie(face_x=0.11))


def small_card_ktp_jpeg() -> bytes:
    """Return a sharp KTP photo taken from afar: the card is only ~600 px wide."""
    return to_jpeg(ktp_photo(size=(1400, 1000), card_width=600))


def no_face_selfie_jpeg() -> bytes:
    """Return a "selfie" that shows only a hand holding the card against a wall."""
    return to_jpeg(_no_face_selfie())


def two_people_selfie_jpeg() -> bytes:
    """Return a selfie with two large faces (someone else in the picture)."""
    return selfie_jpeg(people=2)


def ktp_as_selfie_jpeg() -> bytes:
    """Return a close photo of just the KTP sent at the selfie step (card face only)."""
    return to_jpeg(ktp_card(GOOD_NIK, width=1280).convert("RGB"))


def wrong_document_jpeg() -> bytes:
    """Return a photo of a typed letter instead of a KTP."""
    return to_jpeg(text_page())


@lru_cache(maxsize=4)
def large_jpeg(kind: str = "ktp", size: tuple[int, int] = (4000, 3000)) -> bytes:
    """Return a 12-megapixel phone-sized photo of ``kind`` (cached: it takes seconds)."""
    return to_jpeg(large_image(kind, size), quality=90)


@lru_cache(maxsize=4)
def _large_image(kind: str, size: tuple[int, int]) -> Image.Image:
    if kind == "ktp":
        return ktp_photo(size=size, card_width=round(size[0] * 0.85))
    return selfie(size=size)


def large_image(kind: str = "ktp", size: tuple[int, int] = (4000, 3000)) -> Image.Image:
    """Return a copy of the 12-megapixel picture behind ``large_jpeg``."""
    return _large_image(kind, size).copy()


@lru_cache(maxsize=4)
def _good_image_cached(kind: str) -> Image.Image:
    if kind == "ktp":
        return ktp_photo()
    if kind == "selfie":
        return selfie()
    raise ValueError(kind)


def _good_image(kind: str) -> Image.Image:
    return _good_image_cached(kind).copy()


def _no_face_selfie() -> Image.Image:
    im = selfie(with_card=True)
    w, h = im.size
    # Cover the head with a plain wall, as if the camera pointed down at the card only.
    ImageDraw.Draw(im).rectangle((0, 0, w, round(h * 0.58)), fill=(140, 150, 140))
    return _noise(im, 2.0, 4)


# --------------------------------------------------------------------------- hostile files


def png_bomb(side: int = 100_000) -> bytes:
    """Return a tiny PNG declaring ``side``×``side`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    # One compressed row of zeros repeated: megabytes of pixels from a few hundred bytes.
    idat = zlib.compress(b"\x00" * (side + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def plain_png(
    width: int,
    height: int,
    *,
    color_type: int = 6,
    bit_depth: int = 8,
    palette: bool = False,
    transparency: bool = False,
) -> bytes:
    """Return a valid all-zero PNG of any size and colour type, built row by row.

    Zero rows compress ~1000:1, so a 5000×4990 RGBA picture (100 MB decoded) is ~100 KB, and
    building it never holds the pixels: the shape of the decompression bomb of issue 15.
    """

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    row = b"\x00" * (1 + -(-width * samples * bit_depth // 8))  # filter byte + the samples
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    parts = [chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))]
    if palette:
        parts.append(chunk(b"PLTE", bytes(range(256)) * 3))
    if transparency:
        parts.append(chunk(b"tRNS", b"\x00" * 16 if color_type == 3 else b"\x00\x00"))
    parts += [chunk(b"IDAT", idat), chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(parts)


def rgba_png_bomb(width: int = 5000, height: int = 4990) -> bytes:
    """Return the 5000×4990 RGBA PNG of issue 15: ~100 KB that decode to 100 MB of pixels."""
    return plain_png(width, height, color_type=6)


def progressive_jpeg_bomb(width: int = 8000, height: int = 8000, subsampling: int = 0) -> bytes:
    """Return a tiny progressive JPEG claiming ``width``×``height`` (libjpeg buffers it whole)."""
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (128, 128, 128)).save(
        buf, "JPEG", progressive=True, subsampling=subsampling
    )
    return _with_frame_size(buf.getvalue(), width, height)


def _with_frame_size(jpeg: bytes, width: int, height: int) -> bytes:
    data = bytearray(jpeg)
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def jpeg_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """Return a small JPEG whose frame header claims ``width``×``height`` pixels."""
    return _with_frame_size(good_ktp_jpeg(), width, height)


def truncated_jpeg(keep: float = 0.5) -> bytes:
    """Return the good KTP JPEG cut off after ``keep`` of its bytes (an interrupted upload)."""
    data = good_ktp_jpeg()
    return data[: int(len(data) * keep)]


def pdf_renamed_jpg() -> bytes:
    """Return a minimal PDF (as if renamed ``ktp.jpg``)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def html_renamed_jpg() -> bytes:
    """Return an HTML page (as if renamed ``ktp.jpg``)."""
    return b"<!DOCTYPE html>\n<html><body><script>alert(1)</script><img src=x></body></html>\n"


def svg_image() -> bytes:
    """Return an SVG drawing with a script in it."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">'
        b'<rect width="1200" height="800" fill="#bde"/><script>alert(1)</script></svg>\n'
    )


def animated_gif() -> bytes:
    """Return a two-frame animated GIF."""
    frames = [Image.new("RGB", (800, 600), c) for c in ((200, 0, 0), (0, 0, 200))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buf.getvalue()


def animated_webp() -> bytes:
    """Return a two-frame animated WebP."""
    frames = [Image.new("RGB", (800, 600), c) for c in ((200, 0, 0), (0, 0, 200))]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    return buf.getvalue()


def heic_header() -> bytes:
    """Return the start of an iPhone HEIC file (an ISO-BMFF ``ftyp`` box, brand ``heic``)."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 64


def oversized_file(megabytes: int = 30) -> bytes:
    """Return a valid JPEG padded with zeros to ``megabytes`` MiB (too big to accept)."""
    data = good_ktp_jpeg()
    return data + b"\x00" * (megabytes * 1024 * 1024 - len(data))


def random_bytes(n: int = 4096, seed: int = 5) -> bytes:
    """Return ``n`` random bytes."""
    return np.random.default_rng(seed).integers(0, 256, size=n, dtype=np.uint8).tobytes()
