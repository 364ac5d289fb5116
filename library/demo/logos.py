"""Logos for the demo's brand kit and partner profile, drawn in code (Pillow) at demo time.

- `lumenfield_logo()`: the demo company's mark (a sun rising over three field rows on a teal
  tile: "lumen" + "field") and its wordmark, in the palette of the demo documents
  (`render.BRAND`, `render.ACCENT`).
- `northgate_logo()`: the reseller's own identity (a green gate arch beside a tracked
  "NORTHGATE / SOLUTIONS" wordmark), deliberately unlike ours so co-branded covers read as two
  companies.

Both return transparent PNG bytes about 1200 px wide (the brand kit's size limit), drawn at
twice that size and scaled down for clean edges. The lettering uses the FreeType font Pillow ships
(Aileron, Pillow >= 10.1), so the logos look the same on every machine and need no font
installed; without it the wordmark is left out and the mark stands alone. Takes ~0.05 s each.
"""

from __future__ import annotations

import io
from typing import Any

from library.demo.content import BRAND_KIT
from library.demo.render import ACCENT, BRAND, RGB

__all__ = ["lumenfield_logo", "northgate_logo"]

SCALE = 2  # drawn at 2x, scaled down with a Lanczos filter: anti-aliased edges
WIDTH = 1200  # final width in pixels (branding.MAX_LOGO_PIXELS)

NORTHGATE_GREEN: RGB = (31, 111, 80)
NORTHGATE_SLATE: RGB = (46, 58, 70)
NORTHGATE_LEAF: RGB = (134, 188, 66)


def _font(size: int) -> Any | None:
    """Pillow's bundled scalable font at `size` px, or None (old Pillow or no FreeType)."""
    from PIL import ImageFont

    try:
        font = ImageFont.load_default(size)
    except TypeError:  # Pillow < 10.1: no size, bitmap font only
        return None
    return font if isinstance(font, ImageFont.FreeTypeFont) else None


def _png(im: Any) -> bytes:
    from PIL import Image

    small = im.resize(
        (im.width // SCALE, im.height // SCALE), Image.Resampling.LANCZOS, reducing_gap=2.0
    )
    out = io.BytesIO()
    small.save(out, format="PNG")  # branding.prepare_logo re-encodes it
    return out.getvalue()


def _text(
    draw: Any,
    xy: tuple[float, float],
    text: str,
    font: Any,
    fill: RGB,
    *,
    weight: int = 0,
    tracking: float = 0.0,
) -> float:
    """Draw `text` from the left baseline-ish point `xy` (top of the ascender), letter-spaced by
    `tracking` px and thickened by `weight` px of same-colour stroke; returns the end x."""
    x, y = xy
    if not tracking:
        draw.text((x, y), text, font=font, fill=fill, stroke_width=weight, stroke_fill=fill)
        return x + draw.textlength(text, font=font) + 2 * weight
    for ch in text:
        draw.text((x, y), ch, font=font, fill=fill, stroke_width=weight, stroke_fill=fill)
        x += draw.textlength(ch, font=font) + tracking + weight
    return x - tracking


def lumenfield_logo() -> bytes:
    """The Lumenfield Software logo: mark + "Lumenfield" wordmark + "SOFTWARE" tag line."""
    from PIL import Image, ImageDraw

    s = SCALE
    h = 280 * s
    im = Image.new("RGBA", (WIDTH * s, h), (255, 255, 255, 0))
    d = ImageDraw.Draw(im)

    # The mark: a teal tile; an amber sun rising behind three rows of a field.
    tile = 280 * s
    d.rounded_rectangle((0, 0, tile - 1, tile - 1), radius=62 * s, fill=(*BRAND, 255))
    cx, horizon, r = tile // 2, 168 * s, 74 * s
    d.pieslice((cx - r, horizon - r, cx + r, horizon + r), 180, 360, fill=(*ACCENT, 255))
    for n, (inset, thick) in enumerate(((52, 15), (74, 13), (96, 11))):
        top = horizon + (14 + n * 30) * s
        d.rounded_rectangle(
            (inset * s, top, tile - inset * s, top + thick * s),
            radius=thick * s // 2,
            fill=(255, 255, 255, 255 if n == 0 else 215 - n * 40),
        )

    word = _font(150 * s)
    tag = _font(50 * s)
    if word is not None and tag is not None:
        left = tile + 54 * s
        end = _text(d, (left, 22 * s), "Lumenfield", word, BRAND, weight=4 * s)
        # the tag line spans the wordmark, in the brand kit's text-safe amber (secondary)
        letters = "SOFTWARE"
        plain = sum(d.textlength(c, font=tag) for c in letters)
        tracking = max(0.0, (end - left - plain - 8 * s) / (len(letters) - 1))
        amber = _rgb(BRAND_KIT["secondary_color"])
        _text(d, (left + 4 * s, 194 * s), letters, tag, amber, weight=2 * s, tracking=tracking)
    else:
        im = im.crop((0, 0, tile, tile))
    return _png(im)


def northgate_logo() -> bytes:
    """Northgate Solutions, the demo's reseller: a gate arch and a tracked two-line wordmark."""
    from PIL import Image, ImageDraw

    s = SCALE
    h = 280 * s
    im = Image.new("RGBA", (WIDTH * s, h), (255, 255, 255, 0))
    d = ImageDraw.Draw(im)

    # The mark: an arch (a gate) on two pillars, a leaf-green north pointer above the keystone.
    w, thick = 230 * s, 44 * s
    top = 70 * s
    d.pieslice((0, top, w, top + w), 180, 360, fill=(*NORTHGATE_GREEN, 255))
    inner = (thick, top + thick, w - thick, top + w - thick)
    d.pieslice(inner, 180, 360, fill=(255, 255, 255, 0))
    d.rectangle((0, top + w // 2 - 1, thick, h - 1), fill=(*NORTHGATE_GREEN, 255))
    d.rectangle((w - thick, top + w // 2 - 1, w, h - 1), fill=(*NORTHGATE_GREEN, 255))
    d.polygon(
        [(w // 2, 0), (w // 2 + 30 * s, 56 * s), (w // 2, 44 * s), (w // 2 - 30 * s, 56 * s)],
        fill=(*NORTHGATE_LEAF, 255),
    )

    word = _font(112 * s)
    tag = _font(54 * s)
    if word is not None and tag is not None:
        left = w + 56 * s
        end = _text(
            d, (left, 44 * s), "NORTHGATE", word, NORTHGATE_SLATE, weight=5 * s, tracking=10 * s
        )
        letters = "SOLUTIONS"
        plain = sum(d.textlength(c, font=tag) for c in letters)
        tracking = max(0.0, (end - left - plain - 4 * s) / (len(letters) - 1))
        _text(
            d,
            (left + 2 * s, 184 * s),
            letters,
            tag,
            NORTHGATE_GREEN,
            weight=2 * s,
            tracking=tracking,
        )
    else:
        im = im.crop((0, 0, w, h))
    return _png(im)


def _rgb(hex_color: str) -> RGB:
    h = hex_color.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
