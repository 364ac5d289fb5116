"""Paints one search result as a card: format tile, title, badges, meta line, highlighted
snippet and persona/stage chips. Uniform row height (the list can then skip measuring 50,000
rows); every size is a multiple of the font's line height, so it scales with the display."""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from library.badges import BADGE_LABELS, Badge
from ui import theme
from ui.results_model import ROW_ROLE, Row
from ui.theme import label
from ui.thumbnails import Thumbnails

SNIPPET_LINES = 2
MAX_CHIPS = 5
_B = re.compile(r"<(/?)b>")


def friendly_date(d: date, today: date | None = None) -> str:
    today = today or date.today()
    days = (today - d).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"{days} days ago"
    if d.year == today.year:
        return f"{d.day} {d:%b}"
    return f"{d.day} {d:%b %Y}"


class ResultDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None, thumbnails: Thumbnails | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self._docs: OrderedDict[tuple[str, int, str, bool], QTextDocument] = OrderedDict()
        self.today = date.today()

    # -- geometry --------------------------------------------------------------------------------
    @staticmethod
    def metrics(font: QFont) -> tuple[float, float, float]:
        """(line height, padding, small pill height)."""
        lh = QFontMetrics(font).height()
        return lh, lh * 0.6, theme.pill_height(theme.small_font(font, -1.5))

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        lh, pad, ph = self.metrics(option.font)
        title_h = QFontMetrics(theme.small_font(option.font, 1.0, bold=True)).height()
        h = pad + title_h + lh * 0.15 + lh + lh * 0.25 + lh * SNIPPET_LINES + lh * 0.35 + ph + pad
        return QSize(int(lh * 20), int(h))

    # -- painting ---------------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect = QRectF(option.rect)
        pal: QPalette = option.palette
        font: QFont = option.font
        state = option.state
        row: Row | None = index.data(ROW_ROLE)
        lh, pad, ph = self.metrics(font)
        base = pal.color(QPalette.ColorRole.Base)
        text_color = pal.color(QPalette.ColorRole.Text)
        muted = theme.muted_text(pal)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        if selected:
            painter.fillRect(
                rect, theme.blend(base, theme.BRAND, 0.14 if not theme.is_dark(pal) else 0.28)
            )
            painter.fillRect(
                QRectF(rect.left(), rect.top(), max(3.0, lh * 0.18), rect.height()), theme.BRAND
            )
        elif hovered:
            painter.fillRect(rect, theme.blend(base, text_color, 0.04))
        painter.setPen(theme.blend(base, text_color, 0.10))
        painter.drawLine(
            QPointF(rect.left() + pad, rect.bottom()), QPointF(rect.right() - pad, rect.bottom())
        )

        summary = row.summary if row is not None else None
        expired = row is not None and Badge.EXPIRED in row.badges
        if expired:
            painter.setOpacity(0.55)  # Showpad-style: expired content is greyed, not hidden

        # Format tile, or the first page's thumbnail once it has been rendered.
        tile = lh * 2.3
        tile_rect = QRectF(rect.left() + pad, rect.top() + pad, tile, tile)
        thumb = (
            self.thumbnails.pixmap(row.key)
            if self.thumbnails is not None and row is not None
            else None
        )
        if thumb is not None and not thumb.isNull():
            self._draw_thumb(painter, tile_rect, thumb, lh, pal)
        else:
            self._draw_tile(painter, tile_rect, row, summary, lh, font, pal)

        x0 = tile_rect.right() + pad
        width = rect.right() - pad - x0
        y = rect.top() + pad

        # Line 1: title, badges right-aligned.
        title_font = theme.small_font(font, 1.0, bold=True)
        tfm = QFontMetrics(title_font)
        pill_font = theme.small_font(font, -2.0, bold=True)
        pfm = QFontMetrics(pill_font)
        pills: list[tuple[str, str]] = []
        if row is not None:
            pills = [(BADGE_LABELS[b], theme.BADGE_TONES[b]) for b in row.badges]
            if summary is not None and summary.status != "approved":
                pills.insert(
                    0,
                    (
                        label(summary.status).upper(),
                        theme.STATUS_TONES.get(summary.status, "slate"),
                    ),
                )
        pills_w = sum(theme.pill_width(pfm, t) + lh * 0.3 for t, _ in pills)
        title = row.title if row is not None and row.title else "Loading…"
        painter.setFont(title_font)
        painter.setPen(text_color if row is not None and row.title else muted)
        title_w = max(lh * 6, width - pills_w - lh * 0.5)
        painter.drawText(
            QRectF(x0, y, title_w, tfm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            tfm.elidedText(title, Qt.TextElideMode.ElideRight, int(title_w)),
        )
        px = rect.right() - pad - pills_w + lh * 0.3
        py = y + (tfm.height() - theme.pill_height(pill_font)) / 2
        for text, tone_name in pills:
            px += theme.draw_pill(painter, px, py, text, tone_name, pill_font, pal) + lh * 0.3
        y += tfm.height() + lh * 0.15

        # Line 2: format · updated · where the snippet is from.
        meta_parts: list[str] = []
        if summary is not None:
            meta_parts.append(label(summary.format))
            meta_parts.append(f"Updated {friendly_date(summary.updated_at.date(), self.today)}")
            if summary.expires_on is not None:
                verb = "Expired" if expired else "Valid until"
                meta_parts.append(f"{verb} {summary.expires_on:%d %b %Y}")
        elif row is not None and row.format:
            meta_parts.append(label(row.format))
        if row is not None and row.page and row.page > 1 and row.file:
            meta_parts.append(f"match on p. {row.page}")
        painter.setFont(font)
        painter.setPen(muted)
        fm = QFontMetrics(font)
        painter.drawText(
            QRectF(x0, y, width, lh),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fm.elidedText("  ·  ".join(meta_parts), Qt.TextElideMode.ElideRight, int(width)),
        )
        y += lh + lh * 0.25

        # Lines 3-4: snippet with highlighted terms (or a skeleton while it loads).
        snippet_rect = QRectF(x0, y, width, lh * SNIPPET_LINES)
        if row is not None and row.snippet_loaded and row.snippet:
            doc = self._doc(row, int(width), font, pal)
            painter.save()
            painter.translate(snippet_rect.topLeft())
            painter.setClipRect(QRectF(0, 0, width, lh * SNIPPET_LINES + 1))
            doc.drawContents(painter, QRectF(0, 0, width, lh * SNIPPET_LINES + 1))
            painter.restore()
        elif row is None or not row.snippet_loaded:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.blend(base, text_color, 0.07))
            for i, frac in enumerate((0.92, 0.6)):
                bar = QRectF(x0, y + i * lh + lh * 0.25, width * frac, lh * 0.5)
                painter.drawRoundedRect(bar, lh * 0.25, lh * 0.25)
        y += lh * SNIPPET_LINES + lh * 0.35

        # Line 5: personas and stages.
        if summary is not None:
            chip_font = theme.small_font(font, -1.5)
            cx = x0
            chips = [(p, "blue") for p in summary.personas[:MAX_CHIPS]]
            chips += [(s, "slate") for s in summary.stages[: max(0, MAX_CHIPS - len(chips))]]
            extra = len(summary.personas) + len(summary.stages) - len(chips)
            cfm = QFontMetrics(chip_font)
            for text, tone_name in chips:
                w = theme.pill_width(cfm, text)
                if cx + w > rect.right() - pad:
                    extra += 1
                    continue
                cx += (
                    theme.draw_pill(painter, cx, y, text, tone_name, chip_font, pal, outline=True)
                    + lh * 0.3
                )
            if extra > 0:
                painter.setFont(chip_font)
                painter.setPen(muted)
                painter.drawText(
                    QRectF(cx, y, lh * 4, ph), int(Qt.AlignmentFlag.AlignVCenter), f"+{extra}"
                )
        painter.restore()

    @staticmethod
    def _draw_tile(
        painter: QPainter,
        tile_rect: QRectF,
        row: Row | None,
        summary: Any,
        lh: float,
        font: QFont,
        pal: QPalette,
    ) -> None:
        painter.save()
        fmt = (summary.format if summary else row.format if row else "") or "document"
        kind = (summary.kind if summary else row.kind if row else "") or "collateral"
        tone = theme.pill_colors(theme.KIND_TONES.get(kind, "slate"), pal)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tone.fill)
        painter.drawRoundedRect(tile_rect, lh * 0.45, lh * 0.45)
        painter.setPen(tone.text)
        painter.setFont(theme.small_font(font, -1.0, bold=True))
        painter.drawText(
            tile_rect, int(Qt.AlignmentFlag.AlignCenter), theme.FORMAT_ABBREV.get(fmt, "DOC")
        )
        painter.restore()

    @staticmethod
    def _draw_thumb(
        painter: QPainter, tile_rect: QRectF, pm: QPixmap, lh: float, pal: QPalette
    ) -> None:
        """A page: as wide as the tile, up to 1.4 tiles tall, with a hairline border."""
        w = tile_rect.width()
        h = min(w * 1.4, w * pm.height() / max(1, pm.width()))
        if pm.width() < pm.height():
            target = QRectF(tile_rect.left(), tile_rect.top(), w, h)
        else:  # landscape (slides, photos): full width, centred in the square
            target = QRectF(tile_rect.left(), tile_rect.center().y() - h / 2, w, h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, pm, QRectF(pm.rect()))
        painter.setPen(theme.blend(pal.color(QPalette.ColorRole.Base), theme.muted_text(pal), 0.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
        painter.restore()

    def _doc(self, row: Row, width: int, font: QFont, pal: QPalette) -> QTextDocument:
        dark = theme.is_dark(pal)
        cache_key = (row.key, width, row.snippet[:64], dark)
        doc = self._docs.get(cache_key)
        if doc is not None:
            self._docs.move_to_end(cache_key)
            return doc
        mark = theme.mark_color(pal).name()
        color = theme.blend(
            pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.15
        )
        html = _B.sub(
            lambda m: (
                "</span>"
                if m.group(1)
                else f'<span style="background-color:{mark}; font-weight:600;">'
            ),
            row.snippet,
        )
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setTextWidth(width)
        doc.setHtml(f'<div style="color:{QColor(color).name()};">{html}</div>')
        self._docs[cache_key] = doc
        if len(self._docs) > 300:
            self._docs.popitem(last=False)
        return doc

    def clear_cache(self) -> None:
        self._docs.clear()
