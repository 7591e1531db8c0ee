"""Open the chat page as a small phone would show it, and measure what a citizen would see.

Text size: Android's font-scale setting (Settings → Display → Font size, 130 %) reaches a page
as a larger default font. Chrome gives it to pages that opt in with
``<meta name="text-scale" content="scale">`` (chat.html does) as the size of ``medium``, so
every ``rem`` grows with it; older Chrome scales the computed font sizes the same way. The tests
emulate it through the DevTools protocol: ``Page.setFontSizes`` sets the browser's default font
size (16 px → 21 px for 130 %, the nearest whole pixel to 20.8), which is exactly what the
page's ``html { font-size: calc(125% * var(--zoom)) }`` multiplies. Media queries in ``em``
follow the same default, as on the phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Chrome's default sizes (standard, monospace) at 100 %.
DEFAULT_FONT_PX = 16
DEFAULT_FIXED_PX = 13

# Everything a citizen could miss on a small screen, measured in the page. Returns a list of
# problems (empty when the page reads well).
PROBE = """() => {
  const problems = [];
  const vw = window.innerWidth;
  const doc = document.documentElement, main = document.getElementById("main");
  if (doc.scrollWidth > vw) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${vw}`);
  if (main.scrollWidth > main.clientWidth) {
    problems.push(`chat scrolls sideways: ${main.scrollWidth}`);
  }
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  // Visually hidden text for screen readers (1 px, clipped) is not shown to anybody.
  const hiddenText = (e) => {
    for (let n = e; n && n !== document.body; n = n.parentElement) {
      if (getComputedStyle(n).clip !== "auto" && n.getBoundingClientRect().width <= 1) return true;
    }
    return false;
  };
  // The header: one line, the title whole.
  const header = document.querySelector("header");
  const items = [...header.querySelectorAll("h1, button")].filter(shown);
  const mids = items.map((e) => {
    const r = e.getBoundingClientRect();
    return (r.top + r.bottom) / 2;
  });
  if (Math.max(...mids) - Math.min(...mids) > 2) {
    problems.push(`header items on several lines: ${mids}`);
  }
  const title = [...header.querySelectorAll("h1 span")].find((e) => shown(e) && !hiddenText(e));
  if (!title) problems.push("no visible title");
  else {
    const range = document.createRange(); range.selectNodeContents(title);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size !== 1) problems.push(`title on ${lines.size} lines`);
    const h1 = header.querySelector("h1");
    if (h1.scrollWidth > h1.clientWidth + 1) {
      problems.push(`title cut: ${h1.scrollWidth} > ${h1.clientWidth}`);
    }
  }
  // Every button a finger can reach: at least 44 px tall, inside the screen.
  for (const b of document.querySelectorAll("button")) {
    if (!shown(b)) continue;
    const r = b.getBoundingClientRect();
    const name = (b.getAttribute("aria-label") || b.textContent).trim().slice(0, 30);
    if (r.height < 44 - 0.5) problems.push(`button "${name}" is ${r.height.toFixed(1)} px tall`);
    if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`button "${name}" leaves the screen`);
  }
  // Nothing drawn outside the screen or cut inside its box.
  for (const e of document.querySelectorAll("header *, #log *, footer *")) {
    if (!shown(e) || hiddenText(e) || e.closest("svg")) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 1 && (r.left < -0.5 || r.right > vw + 0.5)) {
      problems.push(`${e.tagName}.${e.className} leaves the screen: ${r.left}..${r.right}`);
    }
    const style = getComputedStyle(e);
    const box = e.tagName !== "INPUT" && e.tagName !== "IMG";
    if (box && e.scrollWidth > e.clientWidth + 1 && style.overflowX !== "visible") {
      problems.push(`${e.tagName}.${e.className} cut: ${e.scrollWidth} > ${e.clientWidth}`);
    }
  }
  // A placeholder that does not fit its box is cut off in the middle of a word.
  const canvas = document.createElement("canvas").getContext("2d");
  for (const input of document.querySelectorAll("input[placeholder]")) {
    if (!shown(input)) continue;
    const ph = getComputedStyle(input, "::placeholder"), box = getComputedStyle(input);
    canvas.font = `${ph.fontWeight} ${ph.fontSize} ${ph.fontFamily}`;
    const room = input.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
    const need = canvas.measureText(input.placeholder).width;
    if (need > room + 0.5) {
      problems.push(`placeholder "${input.placeholder}" needs ${need.toFixed(0)} px of ${room}`);
    }
  }
  // A registration reference is never split over two lines.
  for (const ref of document.querySelectorAll("#log .ref")) {
    const lines = new Set([...ref.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size !== 1) problems.push(`reference ${ref.textContent} on ${lines.size} lines`);
  }
  return problems;
}"""


async def open_phone(
    browser: Any, url: str, *, width: int, height: int = 640, text_percent: int = 100
) -> tuple[Any, Any]:
    """Open ``url`` in a fresh phone-sized context at ``text_percent`` system text size.

    Returns the page and its context.
    """
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    page.set_default_timeout(10_000)
    if text_percent != 100:
        cdp = await context.new_cdp_session(page)
        await cdp.send("Page.enable")
        sizes = {
            "standard": round(DEFAULT_FONT_PX * text_percent / 100),
            "fixed": round(DEFAULT_FIXED_PX * text_percent / 100),
        }
        await cdp.send("Page.setFontSizes", {"fontSizes": sizes})
    await page.goto(url)
    return page, context


async def problems(page: Any) -> list[str]:
    """Return what does not fit on the page as it is now (empty when all is well)."""
    found: list[str] = await page.evaluate(PROBE)
    return found


def shots_dir(default: Path) -> Path:
    """Return where screenshots go: $TLIVE_SCREENSHOTS if set, else ``default``."""
    import os

    folder = Path(os.environ.get("TLIVE_SCREENSHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
