"""The What's new view: items published or changed since the user last opened the app, with
the change note of each version, newest first.

The list comes from the core: `library.governance.whats_new(lib, since)` (versions and their
change notes, only items this user may see) when governance is installed; otherwise the
search index's approved items whose NEW/UPDATED badge (library.badges) is on, with the
item's current change note. Entries received from a subscribed channel (library.sync) are
added with the channel's name. Clicking a title shows the item in the detail pane.
"""

from __future__ import annotations

import html
import importlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from library import items
from library.badges import Badge, badges
from search.api import SearchRequest
from ui import theme
from ui.ops import Task

LIMIT = 100
FIRST_LAUNCH_DAYS = 14


@dataclass(slots=True)
class NewsRow:
    item_key: str
    title: str
    change: str  # new | updated | retired
    at: datetime
    version: int | None
    change_note: str
    by: str = ""
    channel: str = ""


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            return None
        raise


def load_news(task: Task, since: datetime | None) -> list[NewsRow]:
    """Worker thread: what changed since `since` (None = the last two weeks), newest first."""
    cutoff = since or datetime.now() - timedelta(days=FIRST_LAUNCH_DAYS)
    rows: list[NewsRow] = []
    governance = _optional("library.governance")
    if governance is not None and hasattr(governance, "whats_new"):
        for e in governance.whats_new(task.lib, cutoff, limit=LIMIT):
            rows.append(
                NewsRow(
                    e.item_key, e.title, e.change, e.at, e.version, e.change_note or "", e.by or ""
                )
            )
    elif task.index is not None:
        res = task.index.search(SearchRequest("", sort="updated", limit=LIMIT * 2))
        summaries = items.get_many(task.lib, [h.key for h in res.hits])
        for h in res.hits:
            s = summaries.get(h.key)
            if s is None:
                continue
            marks = badges(s, today=date.today(), last_seen=since)
            if Badge.NEW not in marks and Badge.UPDATED not in marks:
                continue
            d = items.get(task.lib, s.key)
            change = "new" if Badge.NEW in marks else "updated"
            rows.append(NewsRow(s.key, s.title, change, s.updated_at, s.version, d.change_note))
            if len(rows) >= LIMIT:
                break
    sync = _optional("library.sync")
    if sync is not None:
        seen = {(r.item_key, r.version) for r in rows}
        for e in sync.whats_new(task.lib, limit=LIMIT):
            at = e.at if isinstance(e.at, datetime) else None
            if at is None or at < cutoff or (e.item_key, e.version) in seen:
                continue
            rows.append(
                NewsRow(
                    e.item_key,
                    e.title,
                    e.change,
                    at,
                    e.version,
                    e.change_note or "",
                    channel=e.channel or "",
                )
            )
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:LIMIT]


CHANGE_TONES = {"new": "green", "updated": "blue", "retired": "slate"}


class WhatsNewDialog(QDialog):
    item_requested = Signal(str)

    def __init__(
        self, rows: list[NewsRow], since: datetime | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("whatsNew")
        self.setWindowTitle("What's new")
        self.resize(760, 560)
        self.rows = rows
        when = (
            f"since you last opened Frontline ({since:%d %b %Y, %H:%M})"
            if since
            else f"in the last {FIRST_LAUNCH_DAYS} days"
        )
        n = len(rows)
        heading = QLabel(
            f"{n} item{'s' if n != 1 else ''} published or updated {when}"
            if n
            else f"Nothing was published or updated {when}.",
            self,
        )
        heading.setObjectName("whatsNewHeading")
        heading.setWordWrap(True)
        heading.setFont(theme.small_font(self.font(), 2.0, bold=True))
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("whatsNewList")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._clicked)
        self.browser.setHtml(self._html())
        self.browser.setVisible(bool(rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)

    def _html(self) -> str:
        pal = self.palette()
        muted = theme.muted_text(pal).name()
        link = theme.link_color(pal).name()
        out = ["<html><body style='margin:4px'>"]
        for r in self.rows:
            tone = theme.pill_colors(CHANGE_TONES.get(r.change, "slate"), pal)
            pill = (
                f"<span style='background:{tone.fill.name()}; color:{tone.text.name()};"
                f" font-weight:600; font-size:small'>&nbsp;{html.escape(r.change.upper())}&nbsp;</span>"
            )
            meta = [f"{r.at:%d %b %Y %H:%M}"]
            if r.version:
                meta.append(f"version {r.version}")
            if r.by:
                meta.append(f"by {html.escape(r.by)}")
            if r.channel:
                meta.append(f"from {html.escape(r.channel)}")
            note = (
                html.escape(r.change_note)
                if r.change_note
                else f"<i style='color:{muted}'>No change note.</i>"
            )
            out.append(
                "<p style='margin-top:2px; margin-bottom:12px'>"
                f"{pill}&nbsp; <a href='item:{html.escape(r.item_key, quote=True)}' "
                f"style='color:{link}; text-decoration:none; font-weight:600'>{html.escape(r.title)}</a>"
                f"<br/><span style='color:{muted}'>{' · '.join(meta)}</span><br/>{note}</p>"
            )
        out.append("</body></html>")
        return "".join(out)

    def _clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("item:"):
            self.item_requested.emit(text[5:])
