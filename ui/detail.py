"""The detail pane (right): what a rep needs to trust and use one item.

Header (title, format, badges), actions (open, save a copy, add to pack, copy a share-ready
summary, edit), then tabs: Overview (summary, metadata, personas/stages as links that filter,
structured case-study / battle-card sections, version), Preview (ui.preview) and Files (each file
with its extraction status and reason). Loading is a read op; a newer selection wins.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library import items
from library.badges import BADGE_LABELS, Badge, badges, is_shareable_now
from library.values import AssetInfo, ItemDetail
from ui import theme
from ui.basket import PackBasket
from ui.facets import FACET_TITLES, display_value
from ui.file_actions import FileButtons
from ui.governance_ui import (
    FlagDialog,
    HistoryTab,
    LifecycleBar,
    optional_module,
    run_feedback,
)
from ui.library_gaps import asset_text
from ui.ops import Workers
from ui.preview import PreviewPane, preview_kind
from ui.theme import label

log = logging.getLogger(__name__)

TAXONOMY_ROWS = ("persona", "stage", "product", "industry", "region", "competitor", "tag")
EXTRACTION_LABELS = {
    "ok": "Text extracted",
    "partial": "Partly extracted",
    "encrypted": "Password-protected",
    "image-only": "Scanned (no text layer)",
    "unsupported": "Not searchable",
    "failed": "Could not be read",
}


EDIT_TIP = "Edit the metadata (Ctrl+E)"


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def share_summary(d: ItemDetail, today: date) -> str:
    """Plain text a rep can paste into an email: what it is, who it is for, until when valid."""
    lines = [d.title, f"{label(d.format)} · version {d.version} · updated {d.updated_at:%d %b %Y}"]
    if d.summary:
        lines += ["", d.summary.strip()]
    who = d.terms.get("persona", [])
    stages = d.terms.get("stage", [])
    if who:
        lines.append(f"For: {', '.join(who)}")
    if stages:
        lines.append(f"Best at: {', '.join(stages)}")
    cs = d.case_study
    if cs and (cs.get("customer") or cs.get("results")):
        lines += ["", f"Customer: {cs.get('customer') or '—'}"]
        for r in cs.get("results") or []:
            if isinstance(r, dict):
                lines.append(f"  • {r.get('metric', '')}: {r.get('value', '')}")
            else:
                lines.append(f"  • {r}")
        if cs.get("quote"):
            author = f" — {cs['quote_author']}" if cs.get("quote_author") else ""
            lines.append(f"  “{cs['quote']}”{author}")
    lines.append("")
    if d.expires_on:
        lines.append(f"Valid until {d.expires_on:%d %b %Y}.")
    if d.audience == "internal":
        lines.append("INTERNAL ONLY — do not forward outside the company.")
    elif d.audience == "partner":
        lines.append("Approved for customers and partners.")
    else:
        lines.append("Approved for sharing with customers.")
    files = ", ".join(a.name for a in d.assets)
    if files:
        lines.append(f"Files: {files}")
    return "\n".join(lines).strip() + "\n"


class DetailPane(QWidget):
    edit_requested = Signal(str)  # item key
    facet_requested = Signal(str, str)  # (facet, value): a chip was clicked
    message = Signal(str)  # a sentence for the status bar
    item_changed = Signal()  # a lifecycle action, restore or replace wrote to the library
    used = Signal(str, object)  # (usage kind: open | preview | share, item key) for analytics

    def __init__(
        self,
        workers: Workers,
        basket: PackBasket,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.basket = basket
        self.settings = settings
        self.detail: ItemDetail | None = None
        self.last_seen: datetime | None = None
        self._want: str | None = None
        self._hint: tuple[str, int | None] | None = None
        self.loaded_key: str | None = None

        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.placeholder = QLabel("Select a result to see its details, preview and files.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setMargin(24)
        pal = self.placeholder.palette()
        pal.setColor(self.placeholder.foregroundRole(), theme.muted_text(pal))
        self.placeholder.setPalette(pal)
        self.stack.addWidget(self.placeholder)

        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(14, 12, 14, 8)
        lay.setSpacing(6)
        self.title = QLabel(page)
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setFont(theme.small_font(self.font(), 4.0, bold=True))
        lay.addWidget(self.title)
        self.subtitle = QLabel(page)
        sp = self.subtitle.palette()
        sp.setColor(self.subtitle.foregroundRole(), theme.muted_text(sp))
        self.subtitle.setPalette(sp)
        lay.addWidget(self.subtitle)
        self.badge_row = QHBoxLayout()
        self.badge_row.setSpacing(6)
        lay.addLayout(self.badge_row)

        actions = QHBoxLayout()
        actions.setSpacing(6)
        self.open_button = self._button(
            "Open", "Open the file in its usual app (Ctrl+O)", self.open_file
        )
        self.open_button.setDefault(True)
        self.save_button = self._button("Save a copy…", "Copy the file to a folder", self.save_copy)
        self.pack_button = self._button(
            "Add to pack",
            "Collect it for a leave-behind or reseller pack (Ctrl+B)",
            self.add_to_pack,
        )
        self.copy_button = self._button(
            "Copy summary",
            "Copy a share-ready summary to the clipboard (Ctrl+Shift+C)",
            self.copy_summary,
        )
        self.edit_button = self._button("Edit…", EDIT_TIP, self._edit)
        self.flag_button = self._button(
            "Flag…", "Tell marketing it is outdated, wrong or missing something", self.flag
        )
        self.flag_button.setObjectName("flagButton")
        for b in (self.open_button, self.save_button, self.pack_button, self.copy_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.flag_button)
        actions.addWidget(self.edit_button)
        lay.addSpacing(4)
        lay.addLayout(actions)
        self.lifecycle = LifecycleBar(self.workers, page)
        self.lifecycle.changed.connect(lambda _d: self.item_changed.emit())
        self.lifecycle.message.connect(self.message)
        lay.addWidget(self.lifecycle)
        self.banner = QLabel(page)
        self.banner.setObjectName("statusBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        lay.addWidget(self.banner)

        self.tabs = QTabWidget(page)
        self.tabs.setDocumentMode(True)
        self.overview = QTextBrowser(self.tabs)
        self.overview.setObjectName("overview")
        self.overview.setOpenLinks(False)
        self.overview.anchorClicked.connect(self._link)
        self.overview.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.tabs.addTab(self.overview, "Overview")
        self.preview = PreviewPane(self.tabs)
        self.tabs.addTab(self.preview, "Preview")
        self.files = QTreeWidget(self.tabs)
        self.files.setObjectName("files")
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels(["File", "Size", "Text"])
        self.files.header().setStretchLastSection(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.files.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.files.itemActivated.connect(lambda *_: self.open_file())
        self.files.currentItemChanged.connect(lambda *_: self._preview_selected_file())
        files_page = QWidget(self.tabs)
        files_lay = QVBoxLayout(files_page)
        files_lay.setContentsMargins(0, 0, 0, 4)
        files_lay.addWidget(self.files, 1)
        # Marketers: add / remove a file (each a new version with a change note).
        self.file_buttons = FileButtons(
            self.workers, self.settings, self._current_asset, files_page
        )
        self.file_buttons.changed.connect(lambda _d: self.item_changed.emit())
        self.file_buttons.message.connect(self.message)
        self.files.currentItemChanged.connect(lambda *_: self.file_buttons.update_buttons())
        files_lay.addWidget(self.file_buttons)
        self.tabs.addTab(files_page, "Files")
        self.history = HistoryTab(self.workers, self.settings, self.tabs)
        self.history.changed.connect(lambda _d: self.item_changed.emit())
        self.history.message.connect(self.message)
        self.tabs.addTab(self.history, "History")
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        self.stack.addWidget(page)
        self.page = page
        basket.changed.connect(self._update_pack_button)
        self._preview_loaded_for: tuple[str, int] | None = None
        self.perms: frozenset[str] = frozenset()
        self.set_permissions(frozenset())

    def _button(self, text: str, tip: str, slot: Any) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        return b

    # -- loading ------------------------------------------------------------------------------------
    def show_item(self, key: str | None, hint: tuple[str, int | None] | None = None) -> None:
        """Show `key` (None clears). `hint` = (file name, page) of the search hit."""
        self._want = key
        self._hint = hint
        if key is None:
            self.detail = None
            self.loaded_key = None
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.workers.read(lambda t: items.get(t.lib, key), owner=self, label="item").success(
            lambda d: self._loaded(key, d)
        ).failure(lambda e: self._failed(key, e)).run()

    def reload(self) -> None:
        if self._want:
            self.show_item(self._want, self._hint)

    def _failed(self, key: str, error: BaseException) -> None:
        if key == self._want:
            self.detail = None
            self.placeholder.setText(str(error))
            self.stack.setCurrentWidget(self.placeholder)

    def _loaded(self, key: str, d: ItemDetail) -> None:
        if key != self._want:
            return  # the user moved on
        self.detail = d
        self.loaded_key = key
        self.stack.setCurrentWidget(self.page)
        self.title.setText(d.title)
        parts = [label(d.format)]
        if label(d.kind) != parts[0]:
            parts.append(label(d.kind))
        parts.append(f"version {d.version}")
        if d.owner:
            parts.append(f"owner {d.owner}")
        self.subtitle.setText(" · ".join(parts))
        self._fill_badges(d)
        self._fill_banner(d)
        # Channel / received-pack items: the core refuses every edit, so say why up front.
        self.edit_button.setEnabled(not d.read_only)
        self.edit_button.setToolTip(d.read_only or EDIT_TIP)
        self.lifecycle.set_item(d)
        self.history.set_item(d)
        if self.tabs.currentWidget() is self.history:
            self.history.load()
        self.overview.setHtml(self._overview_html(d))
        self._fill_files(d)
        self.file_buttons.set_item(d)
        self._update_pack_button()
        shareable = is_shareable_now(d, date.today())
        self.copy_button.setEnabled(shareable)
        self.copy_button.setToolTip(
            "Copy a share-ready summary to the clipboard (Ctrl+Shift+C)"
            if shareable
            else "Expired items cannot be shared"
        )
        has_files = bool(d.assets)
        self.open_button.setEnabled(has_files)
        self.save_button.setEnabled(has_files)
        self._preview_loaded_for = None
        self.tabs.setTabText(2, f"Files ({len(d.assets)})")
        if self.tabs.currentWidget() is self.preview:
            self._load_preview()

    def _fill_badges(self, d: ItemDetail) -> None:
        while self.badge_row.count():
            taken = self.badge_row.takeAt(0)
            w = taken.widget() if taken is not None else None
            if w is not None:
                w.deleteLater()
        pills: list[tuple[str, str, str]] = []
        pills.append(
            (label(d.status).upper(), theme.STATUS_TONES.get(d.status, "slate"), "Lifecycle status")
        )
        tips = {
            Badge.NEW: "Published since you last looked",
            Badge.UPDATED: "Changed since you last looked",
            Badge.EXPIRES_SOON: "Expires within 30 days",
            Badge.EXPIRED: "Expired: do not share",
            Badge.INTERNAL_ONLY: "Not for customers or partners",
            Badge.UNVERIFIED: "Its verify-by date has passed: the owner should re-check it",
        }
        for b in badges(d, today=date.today(), last_seen=self.last_seen):
            pills.append((BADGE_LABELS[b], theme.BADGE_TONES[b], tips[b]))
        small = theme.small_font(self.font(), -1.5, bold=True)
        for text, tone, tip in pills:
            pill = QLabel(text)
            pill.setFont(small)
            pill.setStyleSheet(theme.pill_stylesheet(tone, self.palette()))
            pill.setToolTip(tip)
            self.badge_row.addWidget(pill)
        self.badge_row.addStretch(1)

    def _fill_files(self, d: ItemDetail) -> None:
        self.files.clear()
        for a in d.assets:
            status = EXTRACTION_LABELS.get(a.extraction_status, a.extraction_status)
            pages = f" · {a.page_count} p." if a.page_count else ""
            it = QTreeWidgetItem([a.name, human_size(a.size) + pages, status])
            tip = a.extraction_reason or status
            if a.flags:
                tip += f" (flags: {', '.join(a.flags)})"
            it.setToolTip(0, a.name)
            it.setToolTip(2, tip)
            if a.extraction_status not in ("ok", "partial"):
                it.setForeground(2, theme.TONES["amber"])
            it.setData(0, Qt.ItemDataRole.UserRole, a.id)
            self.files.addTopLevelItem(it)
        if d.assets:
            first = self.files.topLevelItem(self._hint_asset_index(d))
            if first is not None:
                self.files.setCurrentItem(first)

    def _hint_asset_index(self, d: ItemDetail) -> int:
        if self._hint:
            for n, a in enumerate(d.assets):
                if a.name == self._hint[0]:
                    return n
        return 0

    # -- overview HTML -------------------------------------------------------------------------------
    def _overview_html(self, d: ItemDetail) -> str:
        pal = self.palette()
        muted = theme.muted_text(pal).name()
        link = theme.link_color(pal).name()
        e = html.escape
        out: list[str] = [
            "<html><body style='margin:0'>",
        ]
        if d.summary:
            out.append(f"<p style='margin-top:2px'>{e(d.summary)}</p>")
        rows: list[tuple[str, str]] = []
        for tax in TAXONOMY_ROWS:
            names = d.terms.get(tax, [])
            if names:
                chips = " &nbsp; ".join(
                    f"<a href='facet:{tax}:{e(n, quote=True)}' style='color:{link}; text-decoration:none'>{e(n)}</a>"
                    for n in names
                )
                rows.append((FACET_TITLES.get(tax, tax.title()), chips))
        rows.append(("Audience", e(display_value("audience", d.audience))))
        if d.language:
            rows.append(("Language", e(display_value("language", d.language))))
        rows.append(("Updated", f"{d.updated_at:%d %b %Y}"))
        if d.published_at:
            rows.append(("Published", f"{d.published_at:%d %b %Y}"))
        if d.expires_on:
            rows.append(("Valid until", f"{d.expires_on:%d %b %Y}"))
        if d.verify_by:
            rows.append(("Verify by", f"{d.verify_by:%d %b %Y}"))
        if d.owner:
            rows.append(("Owner", e(d.owner)))
        out.append(_table(rows, muted))
        cs = d.case_study
        if cs and any(cs.values()):
            out.append(_h("Case study"))
            meta = [
                ("Customer", e(cs.get("customer") or "")),
                ("Industry", e(cs.get("industry") or "")),
            ]
            out.append(_table([r for r in meta if r[1]], muted))
            for name in ("challenge", "solution"):
                if cs.get(name):
                    out.append(f"<p><b>{name.title()}.</b> {e(str(cs[name]))}</p>")
            results = cs.get("results") or []
            if results:
                out.append("<p><b>Results</b></p>")
                out.append(_bullets(_result_line(r) for r in results))
            if cs.get("quote"):
                author = (
                    f"<br/><span style='color:{muted}'>— {e(cs.get('quote_author') or '')}</span>"
                    if cs.get("quote_author")
                    else ""
                )
                out.append(f"<blockquote><i>“{e(str(cs['quote']))}”</i>{author}</blockquote>")
        bc = d.battle_card
        if bc and any(bc.values()):
            out.append(_h("Battle card"))
            for name, title in (
                ("why_we_win", "Why we win"),
                ("why_we_lose", "Why we lose"),
                ("landmines", "Landmines to set"),
                ("proof_points", "Proof points"),
            ):
                values = bc.get(name) or []
                if values:
                    out.append(f"<p><b>{title}</b></p>")
                    out.append(_bullets(str(v) for v in values))
            objections = bc.get("objections") or []
            if objections:
                out.append("<p><b>Objections</b></p>")
                parts = []
                for o in objections:
                    if isinstance(o, dict):
                        parts.append(
                            f"<p style='margin-left:8px'><i>“{e(str(o.get('objection', '')))}”</i><br/>"
                            f"{e(str(o.get('answer', '')))}</p>"
                        )
                    else:
                        parts.append(f"<p style='margin-left:8px'>{e(str(o))}</p>")
                out.append("".join(parts))
            if bc.get("pricing_notes"):
                out.append(f"<p><b>Pricing notes.</b> {e(str(bc['pricing_notes']))}</p>")
            if bc.get("last_verified"):
                out.append(
                    f"<p style='color:{muted}'>Last verified {e(str(bc['last_verified']))}</p>"
                )
        out.append(_h("Version"))
        note = e(d.change_note) if d.change_note else "<i>No change note.</i>"
        out.append(
            f"<p>Version {d.version} — {note}<br/><span style='color:{muted}'>Created {d.created_at:%d %b %Y}, last changed {d.updated_at:%d %b %Y %H:%M}.</span></p>"
        )
        out.append("</body></html>")
        return "".join(out)

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("facet:"):
            _, facet, value = text.split(":", 2)
            self.facet_requested.emit(facet, QUrl.fromPercentEncoding(value.encode()))

    # -- preview ------------------------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history:
            self.history.load()
        if self.tabs.widget(index) is self.preview:
            self._load_preview()

    def _current_asset(self) -> AssetInfo | None:
        d = self.detail
        if d is None or not d.assets:
            return None
        item = self.files.currentItem()
        if item is not None:
            asset_id = item.data(0, Qt.ItemDataRole.UserRole)
            for a in d.assets:
                if a.id == asset_id:
                    return a
        return d.assets[0]

    def _preview_selected_file(self) -> None:
        if self.tabs.currentWidget() is self.preview:
            self._load_preview()

    def _load_preview(self) -> None:
        d = self.detail
        asset = self._current_asset()
        if d is None or asset is None:
            self.preview.show_message("This item has no files.")
            return
        if self._preview_loaded_for == (d.key, asset.id):
            return
        self._preview_loaded_for = (d.key, asset.id)
        self.used.emit("preview", d.key)
        page = self._hint[1] if self._hint and self._hint[0] == asset.name else None
        path = self.workers.lib.store.path_for(asset.sha256)
        kind = preview_kind(asset)
        if kind == "pdf" and path.is_file() and self.preview.show_pdf(path, asset, page):
            return
        if kind == "image" and path.is_file() and self.preview.show_image(path, asset):
            return
        if kind == "none":
            reason = asset.extraction_reason or EXTRACTION_LABELS.get(asset.extraction_status, "")
            self.preview.show_message(
                f"No preview for {asset.name}.\n{reason}\nUse Open to view it in its app."
            )
            return
        self.preview.show_message("Loading the text…")
        key = d.key
        self.workers.read(
            lambda t: asset_text(t.lib, asset.id), owner=self, label="preview"
        ).success(lambda text: self._text_loaded(key, asset, text, page)).run()

    def _text_loaded(self, key: str, asset: AssetInfo, text: str, page: int | None) -> None:
        if self.detail is not None and self.detail.key == key:
            self.preview.show_text(text, asset, page)

    # -- actions ------------------------------------------------------------------------------------
    def open_file(self) -> None:
        asset = self._current_asset()
        if asset is None:
            return
        # The store names files by hash; the system viewer needs the real name and extension.
        dest = (
            Path(tempfile.gettempdir())
            / "frontline-open"
            / asset.sha256[:12]
            / _safe_name(asset.name)
        )
        store = self.workers.lib.store

        def copy(_t: Any) -> Path:
            if not dest.is_file():
                store.export_to(asset.sha256, dest)
            return dest

        self.workers.read(copy, owner=self, label="open file").success(self._open_path).failure(
            lambda e: self.message.emit(f"Could not open {asset.name}: {e}")
        ).run()

    def _open_path(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.emit(f"No app is set up to open {path.name}.")
        else:
            self.message.emit(f"Opened {path.name}.")
            if self.detail is not None:
                self.used.emit("open", self.detail.key)

    def save_copy(self) -> None:
        asset = self._current_asset()
        if asset is None:
            return
        start = str(self.settings.value("paths/save_copy", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Save a copy to…", start)
        if not folder:
            return
        self.settings.setValue("paths/save_copy", folder)
        self.save_copy_to(Path(folder), asset)

    def save_copy_to(self, folder: Path, asset: AssetInfo) -> None:
        store = self.workers.lib.store

        def copy(_t: Any) -> Path:
            dest = _unique(folder / _safe_name(asset.name))
            store.export_to(asset.sha256, dest)
            return dest

        self.workers.read(copy, owner=self, label="save copy").success(
            lambda p: self.message.emit(f"Saved {p.name} to {p.parent}.")
        ).failure(lambda e: self.message.emit(f"Could not save {asset.name}: {e}")).run()

    def add_to_pack(self) -> None:
        d = self.detail
        if d is None:
            return
        if not is_shareable_now(d, date.today()):
            self.message.emit(f"'{d.title}' has expired and cannot go into a pack.")
            return
        if self.basket.add(d.key, d.title):
            self.message.emit(f"Added '{d.title}' to the pack ({len(self.basket)} items).")
        else:
            self.message.emit(f"'{d.title}' is already in the pack.")

    def copy_summary(self) -> None:
        d = self.detail
        if d is None:
            return
        if not is_shareable_now(d, date.today()):
            self.message.emit(f"'{d.title}' has expired: it cannot be shared.")
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(share_summary(d, date.today()))
        self.message.emit("Summary copied: paste it into your email.")
        self.used.emit("share", d.key)

    def _edit(self) -> None:
        if self.detail is not None:
            self.edit_requested.emit(self.detail.key)

    # -- roles -------------------------------------------------------------------------------------
    def set_permissions(self, perms: frozenset[str]) -> None:
        """What the current user may do (library.users.PERMISSIONS[role]): reps see no editing
        or lifecycle buttons; the core refuses anyway."""
        self.perms = perms
        self.lifecycle.perms = perms
        self.history.perms = perms
        self.edit_button.setVisible("edit" in perms)
        self.file_buttons.setVisible("edit" in perms)
        self.flag_button.setVisible(
            "feedback" in perms and optional_module("library.feedback") is not None
        )
        if self.detail is not None:
            self.lifecycle.set_item(self.detail)
            self.history.set_item(self.detail)

    def _fill_banner(self, d: ItemDetail) -> None:
        """Why an item is not (or no longer) for customers, in one sentence; first, why this
        library cannot edit it when it came from a channel or a received pack."""
        today = date.today()
        text, tone = "", "amber"
        if d.status == "retired":
            text, tone = "Retired: kept for the record; it is not shown to reps or shared.", "slate"
        elif d.expires_on is not None and d.expires_on < today:
            text, tone = (
                f"Expired on {d.expires_on:%d %b %Y}: it cannot be shared or exported.",
                "red",
            )
        elif d.status == "draft":
            text = "Draft: reps do not see it until it is approved."
        elif d.status == "in-review":
            text = "In review: waiting for approval; reps do not see it yet."
        elif d.published_at is not None and d.published_at > today:
            text = f"Scheduled: reps see it from {d.published_at:%d %b %Y}."
        if d.read_only:  # from a channel or a received pack: first, it decides what you can do
            text, tone = (f"{d.read_only}\n{text}", tone) if text else (d.read_only, "slate")
        self.banner.setText(text)
        self.banner.setStyleSheet(
            theme.pill_stylesheet(tone, self.palette()).replace(
                "border-radius: 0.6em", "border-radius: 4px"
            )
        )
        self.banner.setVisible(bool(text))

    def flag(self) -> None:
        d = self.detail
        feedback = optional_module("library.feedback")
        if d is None or feedback is None:
            return
        dialog = FlagDialog(d.title, tuple(feedback.FLAG_CATEGORIES), self)
        self.flag_dialog = dialog
        if dialog.exec() != FlagDialog.DialogCode.Accepted:
            return
        self.send_flag(str(dialog.category.currentData()), dialog.text.toPlainText().strip())

    def send_flag(self, category: str, text: str) -> None:
        d = self.detail
        feedback = optional_module("library.feedback")
        if d is None or feedback is None:
            return
        key = d.key
        run_feedback(
            self.workers,
            self,
            lambda t: feedback.flag(t.lib, key, category, text),
            self.message.emit,
            f"Thanks: marketing will look at '{d.title}'.",
        )

    def _update_pack_button(self) -> None:
        d = self.detail
        inside = d is not None and d.key in self.basket
        self.pack_button.setText("In pack ✓" if inside else "Add to pack")


def _h(text: str) -> str:
    return f"<h3 style='margin-top:14px; margin-bottom:4px'>{html.escape(text)}</h3>"


def _table(rows: list[tuple[str, str]], muted: str) -> str:
    if not rows:
        return ""
    cells = "".join(
        f"<tr><td style='color:{muted}; padding:2px 14px 2px 0; white-space:nowrap'>{html.escape(k)}</td>"
        f"<td style='padding:2px 0'>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table cellspacing='0' cellpadding='0' style='margin-top:6px'>{cells}</table>"


def _bullets(values: Iterable[str]) -> str:
    lis = "".join(f"<li>{html.escape(v)}</li>" for v in values if v)
    return f"<ul style='margin-top:0; margin-left:-18px'>{lis}</ul>"


def _result_line(r: Any) -> str:
    if isinstance(r, dict):
        metric, value = r.get("metric", ""), r.get("value", "")
        return f"{metric}: {value}" if value and metric else str(metric or value)
    return str(r)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned or "file"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 1000):
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
    return path
