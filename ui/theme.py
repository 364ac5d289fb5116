"""Colours, chips and pills derived from the palette, so light and dark themes both read well.

Only the brand accents and the badge tones are fixed hues; their fills are blended into the
palette's base colour and their text is darkened (light theme) or lightened (dark theme), so a
pill stays readable on either. Sizes come from font metrics, never pixels, so 125-200 % scaling
keeps proportions.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette

from library.badges import Badge

BRAND = QColor("#2563eb")  # Frontline blue: selection accent, links, focus

# Badge tone hues (fixed: they carry meaning, like traffic lights).
TONES: dict[str, QColor] = {
    "green": QColor("#16a34a"),
    "blue": QColor("#2563eb"),
    "amber": QColor("#d97706"),
    "red": QColor("#dc2626"),
    "purple": QColor("#7c3aed"),
    "orange": QColor("#ea580c"),
    "slate": QColor("#64748b"),
    "teal": QColor("#0d9488"),
}

BADGE_TONES: dict[Badge, str] = {
    Badge.NEW: "green",
    Badge.UPDATED: "blue",
    Badge.EXPIRES_SOON: "amber",
    Badge.EXPIRED: "red",
    Badge.INTERNAL_ONLY: "purple",
    Badge.UNVERIFIED: "orange",
}

STATUS_TONES: dict[str, str] = {
    "draft": "slate",
    "in-review": "amber",
    "approved": "green",
    "retired": "red",
}

# Format tiles: a short label and the tone of the item's kind.
KIND_TONES: dict[str, str] = {
    "collateral": "blue",
    "case-study": "teal",
    "competitor-insight": "purple",
}
FORMAT_ABBREV: dict[str, str] = {
    "data-sheet": "DS",
    "one-pager": "1P",
    "brochure": "BR",
    "pitch-deck": "PD",
    "white-paper": "WP",
    "executive-brief": "EB",
    "case-study": "CS",
    "customer-reference": "CR",
    "battle-card": "BC",
    "competitive-update": "CU",
    "email-template": "EM",
    "talk-track": "TT",
    "objection-handler": "OH",
    "pricing-sheet": "PR",
    "roi-calculator": "ROI",
    "faq": "FAQ",
    "security-pack": "SEC",
    "demo-video": "VID",
    "partner-kit": "PK",
    "document": "DOC",
}


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved towards `b` by t (0..1)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


@dataclass(frozen=True, slots=True)
class PillColors:
    fill: QColor
    text: QColor
    border: QColor


def pill_colors(tone: str, palette: QPalette | None = None) -> PillColors:
    pal = palette or QGuiApplication.palette()
    hue = TONES.get(tone, TONES["slate"])
    base = pal.color(QPalette.ColorRole.Base)
    if is_dark(pal):
        return PillColors(blend(base, hue, 0.30), blend(hue, QColor("white"), 0.55), hue)
    return PillColors(
        blend(base, hue, 0.13), blend(hue, QColor("black"), 0.35), blend(base, hue, 0.35)
    )


def link_color(palette: QPalette | None = None) -> QColor:
    """The brand blue, lightened on a dark background so links stay readable."""
    return QColor("#60a5fa") if is_dark(palette) else BRAND


def muted_text(palette: QPalette | None = None) -> QColor:
    pal = palette or QGuiApplication.palette()
    return blend(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.42)


def mark_color(palette: QPalette | None = None) -> QColor:
    """Background of highlighted search terms in snippets."""
    pal = palette or QGuiApplication.palette()
    return blend(
        pal.color(QPalette.ColorRole.Base), QColor("#facc15"), 0.45 if is_dark(pal) else 0.55
    )


def small_font(base: QFont, delta: float = -1.0, *, bold: bool = False) -> QFont:
    f = QFont(base)
    size = f.pointSizeF()
    if size > 0:
        f.setPointSizeF(max(6.5, size + delta))
    f.setBold(bold)
    return f


def pill_width(fm: QFontMetrics, text: str) -> int:
    return fm.horizontalAdvance(text) + fm.height()  # half a line of padding each side


def draw_pill(
    painter: QPainter,
    x: float,
    y: float,
    text: str,
    tone: str,
    font: QFont,
    palette: QPalette,
    *,
    outline: bool = False,
) -> float:
    """Draw a rounded pill at (x, y) (top-left); returns its width."""
    fm = QFontMetrics(font)
    w = pill_width(fm, text)
    h = fm.height() + fm.height() * 0.3
    colors = pill_colors(tone, palette)
    rect = QRectF(x, y, w, h)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if outline:
        painter.setPen(colors.border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.fill)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), h / 2, h / 2)
    painter.setFont(font)
    painter.setPen(colors.text)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()
    return w


def pill_height(font: QFont) -> float:
    fm = QFontMetrics(font)
    return fm.height() * 1.3


def pill_stylesheet(tone: str, palette: QPalette | None = None) -> str:
    """Style for a QLabel pill (detail pane)."""
    c = pill_colors(tone, palette)
    return (
        f"QLabel {{ background: {c.fill.name()}; color: {c.text.name()};"
        f" border: 1px solid {c.border.name()}; border-radius: 0.6em; padding: 0.1em 0.6em; }}"
    )


# Display names where the core's generic `label()` ("Roi calculator") reads wrong.
LABEL_OVERRIDES: dict[str, str] = {
    "roi-calculator": "ROI/TCO calculator",
    "faq": "FAQ",
    "security-pack": "Security/compliance pack",
    "demo-video": "Demo video",
    "customer-reference": "Customer reference",
    "in-review": "In review",
    "competitor-insight": "Competitor insight",
}


def label(slug: str) -> str:
    """Display form of a vocabulary slug (format, kind, status)."""
    from library.vocab import label as core_label

    return LABEL_OVERRIDES.get(slug, core_label(slug))
