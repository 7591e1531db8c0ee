"""Draw the good example pictures: a whole KTP on a table, and a selfie holding it.

The pictures are illustrations, not photos: a cartoon person and an obviously fake card
stamped "CONTOH", so no real face or document is ever published. ``bot.photos.guides`` builds
the guides and fix pictures from them and writes every picture into ``bot/web/static/examples/``.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.i18n import Catalog

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "web" / "static" / "examples"
KTP_FILE = "contoh-foto-ktp.jpg"
SELFIE_FILE = "contoh-selfie-ktp.jpg"
MAX_BYTES = 60_000  # they are sent on slow connections (3G at 400 kbit/s: ~1 s)

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_CARD_RATIO = 85.6 / 53.98
_INK = (25, 25, 35)
SKIN = (224, 172, 132)
SKIN_DARK = (196, 140, 104)


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return DejaVu Sans at ``size`` px, or Pillow's built-in font where DejaVu is missing."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(_FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _cartoon_head(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], *, hijab: bool
) -> None:
    """Draw a friendly cartoon face filling ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    if hijab:
        draw.ellipse(
            (x0 - 0.12 * w, y0 - 0.1 * h, x1 + 0.12 * w, y1 + 0.25 * h), fill=(46, 125, 110)
        )
        # The face shows through a rounded opening of the hijab.
        draw.ellipse((x0 + 0.03 * w, y0 + 0.2 * h, x1 - 0.03 * w, y1), fill=SKIN)
    else:
        draw.ellipse((x0 - 0.05 * w, y0 - 0.08 * h, x1 + 0.05 * w, y0 + 0.6 * h), fill=(40, 32, 30))
        draw.ellipse((x0 - 0.08 * w, y0 + 0.38 * h, x0 + 0.1 * w, y0 + 0.62 * h), fill=SKIN_DARK)
        draw.ellipse((x1 - 0.1 * w, y0 + 0.38 * h, x1 + 0.08 * w, y0 + 0.62 * h), fill=SKIN_DARK)
        draw.ellipse((x0, y0 + 0.08 * h, x1, y1), fill=SKIN)
        draw.chord((x0, y0 + 0.02 * h, x1, y0 + 0.55 * h), 180, 360, fill=(40, 32, 30))  # fringe
    eye_y = y0 + 0.52 * h
    for ex in (cx - 0.2 * w, cx + 0.2 * w):
        draw.ellipse(
            (ex - 0.09 * w, eye_y - 0.05 * h, ex + 0.09 * w, eye_y + 0.05 * h), fill="white"
        )
        draw.ellipse(
            (ex - 0.045 * w, eye_y - 0.04 * h, ex + 0.045 * w, eye_y + 0.04 * h), fill=_INK
        )
        draw.line(
            (ex - 0.1 * w, eye_y - 0.1 * h, ex + 0.1 * w, eye_y - 0.11 * h),
            fill=(40, 32, 30),
            width=max(2, round(0.025 * w)),
        )
    draw.line(
        (cx, eye_y + 0.04 * h, cx - 0.04 * w, eye_y + 0.16 * h, cx + 0.02 * w, eye_y + 0.17 * h),
        fill=SKIN_DARK,
        width=max(2, round(0.02 * w)),
    )
    draw.arc(
        (cx - 0.2 * w, eye_y + 0.1 * h, cx + 0.2 * w, eye_y + 0.32 * h),
        20,
        160,
        fill=(150, 50, 50),
        width=max(2, round(0.03 * w)),
    )


def draw_card(width: int) -> Image.Image:
    """Return an obviously fake, KTP-like card ``width`` px wide (RGBA, rounded corners)."""
    w, h = width, round(width / _CARD_RATIO)
    s = w / 1000

    def px(v: float) -> float:
        return v * s

    card = Image.new("RGB", (w, h), (188, 219, 240))
    draw = ImageDraw.Draw(card)
    for i in range(0, w, max(4, round(px(18)))):  # faint security-print waves
        draw.arc((i - px(60), px(-40), i + px(60), h + px(40)), 250, 290, fill=(176, 208, 232))
    head = font(round(px(34)), bold=True)
    draw.text((w / 2, px(24)), "PROVINSI BANTEN", font=head, fill=_INK, anchor="ma")
    draw.text((w / 2, px(66)), "KOTA TANGERANG", font=head, fill=_INK, anchor="ma")
    nik = font(round(px(40)), bold=True)
    draw.text((px(34), px(122)), "NIK   : 1234567890123456", font=nik, fill=_INK)
    body = font(round(px(21)), bold=True)
    rows = (
        ("Nama", "NAMA CONTOH"),
        ("Tempat/Tgl Lahir", "TANGERANG, 01-01-1970"),
        ("Jenis Kelamin", "LAKI-LAKI"),
        ("Alamat", "JL. CONTOH NO. 1"),
        ("    RT/RW", "001/001"),
        ("    Kel/Desa", "CONTOH"),
        ("    Kecamatan", "TANGERANG"),
        ("Agama", "-"),
        ("Pekerjaan", "-"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    )
    for i, (label, value) in enumerate(rows):
        y = px(190 + i * 33)
        draw.text((px(34), y), label, font=body, fill=_INK)
        draw.text((px(250), y), f": {value}", font=body, fill=_INK)
    photo = (px(770), px(180), px(950), px(420))
    draw.rectangle(photo, fill=(200, 45, 45))
    pw = photo[2] - photo[0]
    draw.rounded_rectangle(
        (photo[0] + 0.1 * pw, px(360), photo[2] - 0.1 * pw, photo[3]),
        radius=px(30),
        fill=(40, 60, 110),
    )
    _cartoon_head(draw, (photo[0] + 0.2 * pw, px(215), photo[2] - 0.2 * pw, px(370)), hijab=False)
    pts = [(px(790 + t * 4), px(520 + 14 * math.sin(t / 3.0))) for t in range(36)]
    draw.line(pts, fill=_INK, width=max(1, round(px(3))))
    _stamp(card, "CONTOH", round(px(150)))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=round(px(36)), fill=255)
    rgba = card.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


def _stamp(im: Image.Image, text: str, size: int) -> None:
    """Print ``text`` diagonally in translucent red across ``im`` (in place)."""
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.text(
        (im.width / 2, im.height / 2), text, font=font(size, bold=True), fill=(210, 30, 30, 110),
        anchor="mm",
    )  # fmt: skip
    layer = layer.rotate(18, resample=Image.Resampling.BICUBIC)
    im.paste(layer, (0, 0), layer)


def _banner(im: Image.Image, text: str) -> None:
    """Add a green "good example" strip with a tick at the bottom of ``im`` (in place)."""
    draw = ImageDraw.Draw(im)
    bh = round(im.height * 0.09)
    top = im.height - bh
    draw.rectangle((0, top, im.width, im.height), fill=(27, 122, 62))
    cx, cy, r = bh * 0.7, top + bh / 2, bh * 0.3
    draw.line(
        (cx - r, cy, cx - r * 0.3, cy + r * 0.7, cx + r, cy - r * 0.8),
        fill="white",
        width=max(3, round(bh * 0.1)),
        joint="curve",
    )
    draw.text(
        (bh * 1.3, cy), text, font=font(round(bh * 0.42), bold=True), fill="white", anchor="lm"
    )


def render_ktp_example(width: int = 800, *, banner: bool = True) -> Image.Image:
    """Return the example KTP photo: the whole card, flat on a dark table, lit evenly."""
    h = round(width * 0.72)
    im = Image.new("RGB", (width, h), (92, 64, 44))
    draw = ImageDraw.Draw(im)
    for y in range(0, h, 6):  # wood grain
        shade = 86 + round(8 * math.sin(y / 11.0))
        draw.line(
            (0, y, width, y + 3), fill=(shade, round(shade * 0.72), round(shade * 0.5)), width=3
        )
    card = draw_card(round(width * 0.84))
    x, y = (width - card.width) // 2, round((h * 0.91 - card.height) / 2)
    shadow = Image.new("RGBA", card.size, (0, 0, 0, 80))
    shadow.putalpha(card.getchannel("A").point(lambda a: a * 80 // 255))
    im.paste(shadow, (x + 6, y + 8), shadow)
    im.paste(card, (x, y), card)
    if banner:
        _banner(im, Catalog().text("photo-example-banner-ktp"))
    return im


def render_selfie_example(
    width: int = 600, *, banner: bool = True, card_over_face: bool = False
) -> Image.Image:
    """Return the example selfie: a cartoon person facing the camera, card held under the chin.

    ``card_over_face`` draws the commonest refused selfie instead: the card hides the face.
    """
    h = round(width * 4 / 3)
    im = Image.new("RGB", (width, h), (226, 222, 210))
    draw = ImageDraw.Draw(im)
    cx = width / 2
    # Body: shoulders in a batik-coloured shirt.
    draw.rounded_rectangle(
        (cx - 0.42 * width, 0.62 * h, cx + 0.42 * width, 1.1 * h), radius=0.15 * width,
        fill=(150, 70, 40),
    )  # fmt: skip
    for i in range(6):
        y = 0.66 * h + i * 0.045 * h
        draw.arc(
            (cx - 0.35 * width, y, cx + 0.35 * width, y + 0.06 * h),
            200,
            340,
            fill=(200, 140, 60),
            width=3,
        )
    draw.rectangle((cx - 0.07 * width, 0.5 * h, cx + 0.07 * width, 0.64 * h), fill=SKIN_DARK)
    _cartoon_head(draw, (cx - 0.2 * width, 0.18 * h, cx + 0.2 * width, 0.56 * h), hijab=True)
    # The card, held up below the chin with both hands.
    card_width = round(width * (0.66 if card_over_face else 0.58))
    card = draw_card(card_width).rotate(-3, resample=Image.Resampling.BICUBIC, expand=True)
    card_x, card_y = round(cx - card.width / 2), round((0.2 if card_over_face else 0.63) * h)
    im.paste(card, (card_x, card_y), card)
    # Fingers only on the card's edges: the example must not cover any of the print.
    for side in (-1, 1):
        hx = cx + side * (card.width / 2 + 0.03 * width)
        for i in range(3):
            fy = card_y + 0.03 * h + i * 0.04 * h
            draw.rounded_rectangle(
                (hx - 0.045 * width, fy, hx + 0.045 * width, fy + 0.033 * h), radius=0.015 * h,
                fill=SKIN,
            )  # fmt: skip
    if banner:
        _banner(im, Catalog().text("photo-example-banner-selfie"))
    return im


def to_jpeg(im: Image.Image, max_bytes: int = MAX_BYTES) -> bytes:
    """Encode ``im`` as a JPEG no bigger than ``max_bytes`` (lowering quality if needed)."""
    for quality in (80, 75, 70, 65, 60, 55, 50, 45):
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
        if buf.tell() <= max_bytes:
            break
    return buf.getvalue()
