"""Draw the example pictures shown to citizens with the photo prompts.

The pictures are illustrations, not photos: a cartoon person and an obviously fake card
stamped "CONTOH", so no real face or document is ever published. Three sorts are drawn:

- the good examples (a whole KTP on a table; a selfie holding it);
- a guide for each photo step: the good example above, the common mistakes below, each
  marked ✗ with its name in large letters — shown before the step, because an older citizen
  reads a picture faster than a paragraph;
- a "fix" picture for each reason a photo is refused: the mistake beside the good photo,
  shown with the one-line reason, so what to change is on the screen at the same time.

Words come from the message catalog. They are generated once and kept in
``bot/web/static/examples/``; regenerate after changing this file with::

    .venv/bin/python -m bot.photos.examples
"""

from __future__ import annotations

import io
import math
from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from bot.i18n import Catalog

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "web" / "static" / "examples"
KTP_FILE = "contoh-foto-ktp.jpg"
SELFIE_FILE = "contoh-selfie-ktp.jpg"
MAX_BYTES = 150_000  # they are sent on slow connections
# The fix pictures are sent after every refused photo: smaller still.
FIX_MAX_BYTES = 70_000
STATIC_PREFIX = "/static/examples/"
GUIDE_FILES = {"ktp": "panduan-foto-ktp.jpg", "selfie": "panduan-selfie-ktp.jpg"}

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_CARD_RATIO = 85.6 / 53.98
_INK = (25, 25, 35)
_SKIN = (224, 172, 132)
_SKIN_DARK = (196, 140, 104)


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
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
        draw.ellipse((x0 + 0.03 * w, y0 + 0.2 * h, x1 - 0.03 * w, y1), fill=_SKIN)
    else:
        draw.ellipse((x0 - 0.05 * w, y0 - 0.08 * h, x1 + 0.05 * w, y0 + 0.6 * h), fill=(40, 32, 30))
        draw.ellipse((x0 - 0.08 * w, y0 + 0.38 * h, x0 + 0.1 * w, y0 + 0.62 * h), fill=_SKIN_DARK)
        draw.ellipse((x1 - 0.1 * w, y0 + 0.38 * h, x1 + 0.08 * w, y0 + 0.62 * h), fill=_SKIN_DARK)
        draw.ellipse((x0, y0 + 0.08 * h, x1, y1), fill=_SKIN)
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
        fill=_SKIN_DARK,
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
    head = _font(round(px(34)), bold=True)
    draw.text((w / 2, px(24)), "PROVINSI BANTEN", font=head, fill=_INK, anchor="ma")
    draw.text((w / 2, px(66)), "KOTA TANGERANG", font=head, fill=_INK, anchor="ma")
    nik = _font(round(px(40)), bold=True)
    draw.text((px(34), px(122)), "NIK   : 1234567890123456", font=nik, fill=_INK)
    body = _font(round(px(21)), bold=True)
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
        (im.width / 2, im.height / 2), text, font=_font(size, bold=True), fill=(210, 30, 30, 110),
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
        (bh * 1.3, cy), text, font=_font(round(bh * 0.42), bold=True), fill="white", anchor="lm"
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
    draw.rectangle((cx - 0.07 * width, 0.5 * h, cx + 0.07 * width, 0.64 * h), fill=_SKIN_DARK)
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
                fill=_SKIN,
            )  # fmt: skip
    if banner:
        _banner(im, Catalog().text("photo-example-banner-selfie"))
    return im


def to_jpeg(im: Image.Image, max_bytes: int = MAX_BYTES) -> bytes:
    """Encode ``im`` as a JPEG no bigger than ``max_bytes`` (lowering quality if needed)."""
    for quality in (85, 80, 70, 60):
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
        if buf.tell() <= max_bytes:
            break
    return buf.getvalue()


class Mistake(StrEnum):
    """A common mistake in a citizen's photo, drawn from the good example."""

    KTP_BLURRY = "ktp-buram"
    KTP_DARK = "ktp-gelap"
    KTP_BRIGHT = "ktp-silau"
    KTP_CUT = "ktp-terpotong"
    KTP_SMALL = "ktp-kecil"
    KTP_COVERED = "ktp-tertutup"
    SELFIE_NO_FACE = "selfie-wajah-tertutup"
    SELFIE_BLURRY = "selfie-buram"
    SELFIE_DARK = "selfie-gelap"
    SELFIE_BRIGHT = "selfie-silau"
    SELFIE_CUT = "selfie-terpotong"
    SELFIE_SMALL = "selfie-kecil"

    @property
    def kind(self) -> str:
        """Return the photo step this mistake belongs to ("ktp" or "selfie")."""
        return self.value.split("-", 1)[0]


# The mistakes a guide shows under the good example: the ones that refuse most photos.
GUIDE_MISTAKES = {
    "ktp": (Mistake.KTP_BLURRY, Mistake.KTP_DARK, Mistake.KTP_CUT),
    "selfie": (Mistake.SELFIE_NO_FACE, Mistake.SELFIE_DARK, Mistake.SELFIE_BLURRY),
}
# Which mistake a photo problem (bot.photos check keys) shows when the photo is refused.
PROBLEM_MISTAKES: dict[str, Mistake] = {
    "ktp-blurry": Mistake.KTP_BLURRY,
    "ktp-slightly-blurry": Mistake.KTP_BLURRY,
    "ktp-too-dark": Mistake.KTP_DARK,
    "ktp-dark": Mistake.KTP_DARK,
    "ktp-too-bright": Mistake.KTP_BRIGHT,
    "ktp-glare": Mistake.KTP_BRIGHT,
    "ktp-card-cut": Mistake.KTP_CUT,
    "ktp-low-resolution": Mistake.KTP_SMALL,
    "ktp-nik-unreadable": Mistake.KTP_COVERED,
    "selfie-no-face": Mistake.SELFIE_NO_FACE,
    "selfie-blurry": Mistake.SELFIE_BLURRY,
    "selfie-slightly-blurry": Mistake.SELFIE_BLURRY,
    "selfie-too-dark": Mistake.SELFIE_DARK,
    "selfie-dark": Mistake.SELFIE_DARK,
    "selfie-too-bright": Mistake.SELFIE_BRIGHT,
    "selfie-glare": Mistake.SELFIE_BRIGHT,
    "selfie-face-cut": Mistake.SELFIE_CUT,
    "selfie-face-small": Mistake.SELFIE_SMALL,
}
_SMALL = {"ktp": Mistake.KTP_SMALL, "selfie": Mistake.SELFIE_SMALL}
_RED = (190, 30, 30)
_GREEN = (27, 122, 62)


def guide_url(kind: str) -> str:
    """Return the link of the guide shown before the photo step ``kind``."""
    return STATIC_PREFIX + GUIDE_FILES["selfie" if kind == "selfie" else "ktp"]


def fix_url(problem: str, kind: str) -> str:
    """Return the picture that shows how to fix ``problem`` in a ``kind`` photo.

    A problem without a picture of its own (a file that is not a photo, say) gets the guide.
    """
    mistake = PROBLEM_MISTAKES.get(problem)
    if mistake is None and problem == "photo-too-small":
        mistake = _SMALL.get(kind)
    if mistake is None or mistake.kind != ("selfie" if kind == "selfie" else "ktp"):
        return guide_url(kind)
    return STATIC_PREFIX + _fix_file(mistake)


def _fix_file(mistake: Mistake) -> str:
    return f"perbaiki-{mistake.value}.jpg"


def render_mistake(mistake: Mistake, width: int = 800) -> Image.Image:
    """Return the good example with ``mistake`` made in it, without the "good" banner."""
    if mistake.kind == "ktp":
        im = render_ktp_example(width, banner=False)
        background = (92, 64, 44)
    else:
        im = render_selfie_example(round(width * 0.75), banner=False)
        background = (226, 222, 210)
    w, h = im.size
    match mistake:
        case Mistake.KTP_BLURRY | Mistake.SELFIE_BLURRY:
            return im.filter(ImageFilter.GaussianBlur(w * 0.012))
        case Mistake.KTP_DARK | Mistake.SELFIE_DARK:
            return ImageEnhance.Brightness(im).enhance(0.2)
        case Mistake.KTP_BRIGHT | Mistake.SELFIE_BRIGHT:
            washed = ImageEnhance.Contrast(ImageEnhance.Brightness(im).enhance(2.1)).enhance(0.5)
            glow = Image.new("L", im.size, 0)
            ImageDraw.Draw(glow).ellipse((w * 0.25, h * 0.1, w * 0.85, h * 0.7), fill=255)
            glow = glow.filter(ImageFilter.GaussianBlur(w * 0.08))
            return Image.composite(Image.new("RGB", im.size, "white"), washed, glow)
        case Mistake.KTP_CUT | Mistake.SELFIE_CUT:
            shifted = Image.new("RGB", im.size, background)
            shifted.paste(im, (round(w * 0.42), round(h * 0.05)))
            return shifted
        case Mistake.KTP_SMALL | Mistake.SELFIE_SMALL:
            small = im.resize((round(w * 0.3), round(h * 0.3)), Image.Resampling.LANCZOS)
            far = Image.new("RGB", im.size, background)
            far.paste(small, ((w - small.width) // 2, (h - small.height) // 2))
            return far
        case Mistake.KTP_COVERED:
            draw = ImageDraw.Draw(im)
            # A thumb over the NIK line, the commonest way a card's number goes unread.
            draw.rounded_rectangle(
                (w * 0.08, h * 0.2, w * 0.62, h * 0.38), radius=h * 0.08, fill=_SKIN,
                outline=_SKIN_DARK, width=max(2, round(w * 0.006)),
            )  # fmt: skip
            return im
        case Mistake.SELFIE_NO_FACE:
            return render_selfie_example(w, banner=False, card_over_face=True)
    raise ValueError(mistake)  # pragma: no cover - every member is drawn above


def _mark(im: Image.Image, good: bool) -> None:
    """Put a round ✓ (green) or ✗ (red) badge in the top-left corner of ``im`` (in place)."""
    draw = ImageDraw.Draw(im)
    r = max(14, round(min(im.size) * 0.11))
    cx = cy = round(r * 1.25)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_GREEN if good else _RED, outline="white",
                 width=max(2, r // 8))  # fmt: skip
    stroke = max(3, round(r * 0.22))
    if good:
        draw.line((cx - r * 0.5, cy, cx - r * 0.1, cy + r * 0.45, cx + r * 0.55, cy - r * 0.45),
                  fill="white", width=stroke, joint="curve")  # fmt: skip
    else:
        for sign in (-1, 1):
            draw.line((cx - r * 0.45, cy - sign * r * 0.45, cx + r * 0.45, cy + sign * r * 0.45),
                      fill="white", width=stroke)  # fmt: skip


def _captioned(im: Image.Image, text: str, *, good: bool, font_px: int) -> Image.Image:
    """Return ``im`` marked ✓/✗ with ``text`` in large letters underneath (wrapped if long)."""
    im = im.convert("RGB")
    _mark(im, good)
    font = _font(font_px, bold=True)
    lines = _wrap(text, font, im.width - 8)
    line_h = round(font_px * 1.2)
    out = Image.new("RGB", (im.width, im.height + line_h * len(lines) + font_px // 2), "white")
    out.paste(im, (0, 0))
    draw = ImageDraw.Draw(out)
    for n, line in enumerate(lines):
        y = im.height + font_px // 4 + n * line_h
        draw.text((im.width / 2, y), line, font=font, fill=_GREEN if good else _RED, anchor="ma")
    return out


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` px in ``font``."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def render_guide(kind: str, catalog: Catalog | None = None) -> Image.Image:
    """Return the picture shown before the photo step: the good example over the mistakes."""
    catalog = catalog or Catalog()
    good = render_ktp_example(800) if kind == "ktp" else render_selfie_example(600)
    gap, font_px = 12, 30 if kind == "ktp" else 26
    mistakes = GUIDE_MISTAKES[kind]
    thumb_w = (good.width - gap * (len(mistakes) + 1)) // len(mistakes)
    thumbs = [
        _captioned(
            render_mistake(m).resize(
                (thumb_w, round(thumb_w * (0.72 if kind == "ktp" else 4 / 3))),
                Image.Resampling.LANCZOS,
            ),
            catalog.text(f"photo-mistake-{m.value}"),
            good=False,
            font_px=font_px,
        )
        for m in mistakes
    ]
    title_font = _font(34, bold=True)
    title_h = 56
    height = good.height + title_h + max(t.height for t in thumbs) + gap
    out = Image.new("RGB", (good.width, height), "white")
    out.paste(good, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.text(
        (good.width / 2, good.height + title_h / 2), catalog.text("photo-guide-avoid"),
        font=title_font, fill=_RED, anchor="mm",
    )  # fmt: skip
    for n, thumb in enumerate(thumbs):
        out.paste(thumb, (gap + n * (thumb_w + gap), good.height + title_h))
    return out


def render_fix(mistake: Mistake, catalog: Catalog | None = None) -> Image.Image:
    """Return the mistake (✗) beside the good photo (✓), each named in large letters."""
    catalog = catalog or Catalog()
    panel_w = 390 if mistake.kind == "ktp" else 300
    ratio = 0.72 if mistake.kind == "ktp" else 4 / 3
    size = (panel_w, round(panel_w * ratio))
    good = (
        render_ktp_example(800, banner=False)
        if mistake.kind == "ktp"
        else render_selfie_example(600, banner=False)
    )
    panels = [
        _captioned(
            render_mistake(mistake).resize(size, Image.Resampling.LANCZOS),
            catalog.text(f"photo-mistake-{mistake.value}"), good=False, font_px=34,
        ),
        _captioned(
            good.resize(size, Image.Resampling.LANCZOS), catalog.text("photo-guide-good"),
            good=True, font_px=34,
        ),
    ]  # fmt: skip
    gap = 14
    height = max(p.height for p in panels) + gap
    out = Image.new("RGB", (panel_w * 2 + gap * 3, height), "white")
    for n, panel in enumerate(panels):
        out.paste(panel, (gap + n * (panel_w + gap), gap // 2))
    return out

def write_examples(folder: Path = EXAMPLES_DIR) -> list[Path]:
    """Render every example, guide and fix picture into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = Catalog()
    pictures: list[tuple[str, Image.Image, int]] = [
        (KTP_FILE, render_ktp_example(), MAX_BYTES),
        (SELFIE_FILE, render_selfie_example(), MAX_BYTES),
        *((GUIDE_FILES[kind], render_guide(kind, catalog), MAX_BYTES) for kind in GUIDE_FILES),
        *(
            (_fix_file(mistake), render_fix(mistake, catalog), FIX_MAX_BYTES)
            for mistake in Mistake
        ),
    ]
    written = []
    for name, im, limit in pictures:
        path = folder / name
        path.write_bytes(to_jpeg(im, limit))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_examples():
        print(f"{written_path} ({written_path.stat().st_size // 1024} KB)")
