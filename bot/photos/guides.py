"""The guide shown before each photo step and the picture shown after a refused photo.

- A guide: the good example above, the common mistakes below, each marked ✗ with its name in
  large letters — an older citizen reads a picture faster than a paragraph.
- A fix picture for each reason a photo is refused: the mistake beside the good photo, sent
  with the one-line reason, so what to change is on the screen at the same time.

Words come from the message catalog. Every picture is generated once and kept in
``bot/web/static/examples/``; regenerate after changing this file or ``examples.py`` with::

    .venv/bin/python -m bot.photos.guides
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from bot.i18n import Catalog
from bot.photos.examples import (
    EXAMPLES_DIR,
    KTP_FILE,
    MAX_BYTES,
    SELFIE_FILE,
    SKIN,
    SKIN_DARK,
    font,
    render_ktp_example,
    render_selfie_example,
    to_jpeg,
)

# The fix pictures are sent after every refused photo: smaller still.
FIX_MAX_BYTES = 50_000
STATIC_PREFIX = "/static/examples/"
GUIDE_FILES = {"ktp": "panduan-foto-ktp.jpg", "selfie": "panduan-selfie-ktp.jpg"}


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
                (w * 0.08, h * 0.2, w * 0.62, h * 0.38), radius=h * 0.08, fill=SKIN,
                outline=SKIN_DARK, width=max(2, round(w * 0.006)),
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
    face = font(font_px, bold=True)
    lines = _wrap(text, face, im.width - 8)
    line_h = round(font_px * 1.2)
    out = Image.new("RGB", (im.width, im.height + line_h * len(lines) + font_px // 2), "white")
    out.paste(im, (0, 0))
    draw = ImageDraw.Draw(out)
    for n, line in enumerate(lines):
        y = im.height + font_px // 4 + n * line_h
        draw.text((im.width / 2, y), line, font=face, fill=_GREEN if good else _RED, anchor="ma")
    return out


def _wrap(text: str, face: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` px in ``face``."""
    lines: list[str] = []
    for word in text.split():
        if lines and face.getlength(f"{lines[-1]} {word}") <= width:
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
    title_font = font(34, bold=True)
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
        *((_fix_file(mistake), render_fix(mistake, catalog), FIX_MAX_BYTES) for mistake in Mistake),
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
