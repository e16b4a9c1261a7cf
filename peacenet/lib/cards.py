"""Pictures drawn by PeaceNet itself with Pillow: the Open Graph card of a page that has no
picture of its own (a name on PeaceNet's colour), and the simple marks the demo data uses
as logos. Each app caches what it draws (``caching.cached_for_generation``)."""

import io

from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)  # what Open Graph readers show best
BRAND = (29, 78, 137)
BRAND_DARK = (18, 52, 89)
PAPER = (255, 255, 255)
MARGIN = 80
MAX_TITLE_LINES = 4


def _wrap(draw, text, font, width):
    """``text`` in lines no wider than ``width`` (a word longer than a line is cut)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > MAX_TITLE_LINES:
        lines = lines[:MAX_TITLE_LINES]
        lines[-1] += " …"
    return lines


def name_card(title, *, kicker="", footer="PeaceNet The Hague"):
    """A 1200 by 630 PNG: ``kicker`` (what it is), ``title`` in large type, ``footer``."""
    image = Image.new("RGB", CARD_SIZE, BRAND)
    draw = ImageDraw.Draw(image)
    width = CARD_SIZE[0] - 2 * MARGIN
    title_font = ImageFont.load_default(size=72)
    small_font = ImageFont.load_default(size=36)
    y = MARGIN
    if kicker:
        draw.text((MARGIN, y), kicker, font=small_font, fill=PAPER)
        y += 70
    for line in _wrap(draw, title, title_font, width):
        draw.text((MARGIN, y), line, font=title_font, fill=PAPER)
        y += 88
    draw.rectangle((0, CARD_SIZE[1] - 110, CARD_SIZE[0], CARD_SIZE[1]), fill=BRAND_DARK)
    draw.text((MARGIN, CARD_SIZE[1] - 80), footer, font=small_font, fill=PAPER)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def mark(initials, colour, *, size=256):
    """A simple generated logo: ``initials`` in white on a disc of ``colour`` (an RGB
    tuple), as PNG bytes. The demo data uses these; no real organisation's logo is copied."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
    draw.ellipse(
        (size // 10, size // 10, size - size // 10, size - size // 10),
        outline=PAPER,
        width=size // 40,
    )
    font = ImageFont.load_default(size=size * 2 // 5)
    draw.text((size / 2, size / 2), initials[:3], font=font, fill=PAPER, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
