"""The main window: search at the top, filters left, results centre, detail right.

Services are injected (the `Workers` with the library and index, QSettings, the pack basket);
the window wires widgets together and owns no library logic. Every library call goes through
`self.workers` (read pool / the one writer), so the GUI thread only paints and dispatches.
"""

from __future__ import annotations

import html
import itertools
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from library import items, users
from library.progress import Progress
from library.values import ItemDetail, TermInfo, UserInfo
from library.vocab import TAXONOMIES
from search.api import SearchResults
from ui import theme
from ui.basket import PackBasket
from ui.brand_dialog import BrandKitDialog
from ui.bulk_edit import BulkEditDialog
from ui.channels import ChannelActions
from ui.detail import DetailPane
from ui.editor import ItemEditor
from ui.export_dialog import ExportDialog
from ui.facets import DEAL_FACETS, DealContextBar, FacetPanel
from ui.governance_ui import RequestDialog, optional_module, run_feedback
from ui.import_dialog import ImportDialog
from ui.library_gaps import all_terms, item_count
from ui.ops import Task, Workers
from ui.result_delegate import ResultDelegate
from ui.review import FeedbackQueueDialog, ReviewDueDialog
from ui.search_controller import POPULARITY_DAYS, SearchController
from ui.taxonomy_dialog import TaxonomyDialog
from ui.theme import label
from ui.thumbnails import Thumbnails
from ui.whats_new import NewsRow, WhatsNewDialog, load_news
from ui.who import WhoAreYouDialog, remember_user
from ui.widgets import EmptyState, TaskIndicator

log = logging.getLogger(__name__)

SORT_CHOICES = (
    ("relevance", "Best match"),
    ("updated", "Recently updated"),
    ("title", "Title A–Z"),
    ("popularity", "Most used"),
)
SORT_TIPS = {
    "relevance": "Best matches for the search words first",
    "updated": "Most recently changed first",
    "title": "Alphabetical by title",
    "popularity": (
        f"Most used in the last {POPULARITY_DAYS} days first: opens, previews, shared summaries"
        " and exports here, plus reps' use received through your channels (publishers)."
        " Ties: best match."
    ),
}
INDEX_POLL_MS = 300
USAGE_SETTLE_MS = 2000


def _did_you_mean(suggestion: str) -> str:
    """Rich text with the suggestion as a link (escaped: it comes from documents' words)."""
    e = html.escape(suggestion, quote=True)
    return f"Did you mean <a href='{e}'>{e}</a>?"


def default_splitter_sizes(em: int) -> list[int]:
    """Filters | results | detail, in multiples of the font's em (scales with the display)."""
    return [em * 19, em * 46, em * 42]


def _open_index(task: Task, rebuild: str, workers: Workers) -> Any:
    """Writer thread: open (or start rebuilding) the search index. Publishing it on `workers`
    here, not in the success callback, means a write queued right behind this one already
    drains into the index."""
    from search import open_index

    index = open_index(task.lib, rebuild=rebuild, progress=task.report)
    workers.index = index
    return index


class MainWindow(QMainWindow):
    settled = Signal()  # no search, fetch or detail load is pending (screenshots, tests)

    def __init__(
        self,
        workers: Workers,
        settings: QSettings,
        *,
        basket: PackBasket | None = None,
        last_seen: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.workers = workers
        self.settings = settings
        self.basket = basket or PackBasket(settings, self)
        self.last_seen = last_seen
        self.terms: dict[str, list[TermInfo]] = {}
        self.user: UserInfo | None = None
        self._selection_query = ""
        self.perms: frozenset[str] = frozenset()
        self.library_size: int | None = None
        self.index_ready = False
        self._import_dialogs: list[ImportDialog] = []
        self._closing = False
        self.setWindowTitle(f"Frontline — {workers.lib.root.name}")
        self.setAcceptDrops(True)

        self.controller = SearchController(workers, self)
        self.model = self.controller.model
        self.model.set_last_seen(last_seen)
        self._build()
        self._build_menus()
        self._restore()

        self.controller.results_ready.connect(self._on_results)
        self.controller.suggestion_ready.connect(self._on_suggestion)
        self.controller.completions_ready.connect(self._on_completions)
        self.workers.busy_changed.connect(self._busy_changed)
        self.workers.unhandled_error.connect(self._unhandled_error)
        # A search is recorded for marketing (library.sync usage events: what reps look for and
        # do not find) once the user has stopped typing for a moment, not on every keystroke.
        self._usage_timer = QTimer(self)
        self._usage_timer.setSingleShot(True)
        self._usage_timer.setInterval(USAGE_SETTLE_MS)
        self._usage_timer.timeout.connect(self._record_search)
        self._recorded_query = ""
        self.detail.used.connect(self.record_usage)
        self._index_timer = QTimer(self)
        self._index_timer.setInterval(INDEX_POLL_MS)
        self._index_timer.timeout.connect(self._poll_index)

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # Top bar: brand, search, pack, import.
        top = QFrame(central)
        top.setObjectName("topBar")
        top_lay = QHBoxLayout(top)
        top_lay.setContentsMargins(12, 10, 12, 6)
        top_lay.setSpacing(10)
        brand = QLabel("Frontline", top)
        brand.setFont(theme.small_font(self.font(), 3.0, bold=True))
        bpal = brand.palette()
        bpal.setColor(brand.foregroundRole(), theme.BRAND)
        brand.setPalette(bpal)
        self.search_edit = QLineEdit(top)
        self.search_edit.setObjectName("searchBox")
        self.search_edit.setPlaceholderText(
            "Search approved content — e.g. “CFO ROI” or “security”   (Ctrl+K)"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search")
        self.search_edit.setToolTip(
            "Type to search titles, summaries, tags and the text of every file"
        )
        self.search_edit.setMinimumHeight(int(self.fontMetrics().height() * 2.1))
        self.search_edit.setFont(theme.small_font(self.font(), 1.5))
        self.search_edit.textEdited.connect(self.controller.set_text)
        self.search_edit.returnPressed.connect(self._search_entered)
        self.search_edit.installEventFilter(self)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search_edit.setCompleter(completer)
        self.pack_button = QToolButton(top)
        self.pack_button.setObjectName("packButton")
        self.pack_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.pack_button.setToolTip("Items collected for a leave-behind or reseller pack")
        self.pack_button.clicked.connect(self.show_basket)
        self.import_button = QPushButton("Import…", top)
        self.import_button.setObjectName("importButton")
        self.import_button.setToolTip("Add files or a folder (or drop them onto the window)")
        self.import_button.clicked.connect(self.import_files)
        top_lay.addWidget(brand)
        top_lay.addSpacing(6)
        top_lay.addWidget(self.search_edit, 1)
        top_lay.addWidget(self.pack_button)
        top_lay.addWidget(self.import_button)
        outer.addWidget(top)

        self.deal = DealContextBar(self.settings, central)
        self.deal.changed.connect(self._filters_changed)
        outer.addWidget(self.deal)
        line = QFrame(central)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.facets = FacetPanel(self.splitter)
        self.facets.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 12)
        self.facets.changed.connect(self._filters_changed)

        # Centre: header (count, did-you-mean, sort) + results or an empty state.
        centre = QWidget(self.splitter)
        c_lay = QVBoxLayout(centre)
        c_lay.setContentsMargins(0, 0, 0, 0)
        c_lay.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 10, 6)
        self.count_label = QLabel("", centre)
        self.count_label.setObjectName("resultCount")
        self.count_label.setFont(theme.small_font(self.font(), 0.0, bold=True))
        self.suggest_label = QLabel("", centre)
        self.suggest_label.setObjectName("didYouMean")
        self.suggest_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggest_label.linkActivated.connect(self._apply_suggestion)
        self.suggest_label.hide()
        self.sort_box = QComboBox(centre)
        self.sort_box.setObjectName("sortBox")
        self.sort_box.setToolTip("Order of the results")
        for value, text in SORT_CHOICES:
            self.sort_box.addItem(text, value)
        for n, (value, _text) in enumerate(SORT_CHOICES):
            self.sort_box.setItemData(n, SORT_TIPS[value], Qt.ItemDataRole.ToolTipRole)
        self.sort_box.currentIndexChanged.connect(self._sort_changed)
        sort_label = QLabel("Sort:", centre)
        sort_label.setBuddy(self.sort_box)
        self.sort_label = sort_label
        # The count may be long ("… for “a long query” · all statuses"): it is clipped rather
        # than widening the centre pane and squeezing the filters.
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(self.count_label, 1)
        header.addSpacing(8)
        header.addWidget(self.suggest_label)
        header.addSpacing(12)
        header.addWidget(sort_label)
        header.addWidget(self.sort_box)
        c_lay.addLayout(header)
        self.results_stack = QStackedWidget(centre)
        # A one-column table, not a QListView: after every new search QListView lays out all
        # rows, calling the (Python) model's rowCount() twice per row: 100,000 calls and a
        # ~150 ms freeze at 50,000 results. QTableView with fixed row heights never does.
        self.results = QTableView(self.results_stack)
        self.results.setObjectName("results")
        self.results.setAccessibleName("Results")
        self.results.setModel(self.model)
        self.thumbnails = Thumbnails(self.workers, self)
        self.thumbnails.ready.connect(self._thumbnails_ready)
        self.delegate = ResultDelegate(self.results, self.thumbnails)
        self.results.setItemDelegate(self.delegate)
        rows = self.results.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure 50,000 rows
        opt = QStyleOptionViewItem()
        opt.font = self.results.font()
        rows.setDefaultSectionSize(self.delegate.sizeHint(opt, QModelIndex()).height())
        cols = self.results.horizontalHeader()
        cols.hide()
        cols.setStretchLastSection(True)
        self.results.setShowGrid(False)
        self.results.setWordWrap(False)
        self.results.setTabKeyNavigation(False)  # Tab leaves the list (one column)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setMouseTracking(True)
        self.results.setFrameShape(QFrame.Shape.NoFrame)
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results.customContextMenuRequested.connect(self._results_menu)
        self.results.activated.connect(self._open_current)
        sel = self.results.selectionModel()
        sel.currentChanged.connect(self._current_changed)
        self.results.verticalScrollBar().setSingleStep(self.fontMetrics().height() * 2)
        self.empty = EmptyState(self.results_stack)
        self.results_stack.addWidget(self.results)
        self.results_stack.addWidget(self.empty)
        c_lay.addWidget(self.results_stack, 1)

        self.detail = DetailPane(self.workers, self.basket, self.settings, self.splitter)
        self.detail.last_seen = self.last_seen
        self.detail.edit_requested.connect(self.edit_item)
        self.detail.facet_requested.connect(self._facet_requested)
        self.detail.message.connect(self.flash)
        self.detail.item_changed.connect(self._library_changed)

        self.splitter.addWidget(self.facets)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        # Status bar: messages left; library size, index state, background work right.
        bar = self.statusBar()
        self.task = TaskIndicator(bar)
        self.size_label = QLabel("", bar)
        self.size_label.setObjectName("librarySize")
        self.index_label = QLabel("Opening the library…", bar)
        self.index_label.setObjectName("indexState")
        for w in (self.size_label, self.index_label):
            w.setContentsMargins(10, 0, 10, 0)
        bar.addPermanentWidget(self.task)
        bar.addPermanentWidget(self.size_label)
        bar.addPermanentWidget(self.index_label)

        self.basket.changed.connect(self._update_pack_button)
        self._update_pack_button()
        self.user_label = QLabel("", bar)
        self.user_label.setObjectName("currentUser")
        self.user_label.setContentsMargins(10, 0, 10, 0)
        bar.addPermanentWidget(self.user_label)
        self.channels = ChannelActions(
            self, self.workers, self.settings, self.task, self.flash, self._library_changed
        )
        # Tab order: search -> deal context -> filters -> results -> detail actions.
        chain: list[QWidget] = [
            self.search_edit,
            *self.deal.combos.values(),
            self.facets.tree,
            self.sort_box,
            self.results,
            self.detail.open_button,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        self.import_actions = [
            self._action(file_menu, "&Import files…", self.import_files, QKeySequence("Ctrl+I")),
            self._action(file_menu, "Import a &folder…", self.import_folder),
            self._action(file_menu, "Import with a &manifest…", self.import_manifest),
        ]
        file_menu.addSeparator()
        self._action(file_menu, "Open a received &pack…", self.import_pack).setToolTip(
            "Add a reseller pack you received as a read-only collection"
        )
        self.demo_action = self._action(file_menu, "Load the &demo library", self.load_demo)
        self._action(file_menu, "S&witch user…", self.switch_user).setToolTip(
            "Choose who you are in this library (your role decides what you can change)"
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence(QKeySequence.StandardKey.Quit))

        edit_menu = mb.addMenu("&Edit")
        self.edit_action = self._action(
            edit_menu,
            "&Edit item…",
            lambda: self.edit_item(self._current_key()),
            QKeySequence("Ctrl+E"),
        )
        self.bulk_action = self._action(
            edit_menu, "&Bulk edit selected…", self.bulk_edit, QKeySequence("Ctrl+Shift+E")
        )
        self.taxonomy_action = self._action(edit_menu, "&Taxonomies…", self.edit_taxonomies)
        self.brand_action = self._action(edit_menu, "Brand &kit…", self.edit_brand)
        self.brand_action.setToolTip("Logo, colours and texts of every leave-behind and pack")
        edit_menu.addSeparator()
        self._action(
            edit_menu,
            "&Copy share-ready summary",
            lambda: self.detail.copy_summary(),
            QKeySequence("Ctrl+Shift+C"),
        )
        self._action(
            edit_menu, "Add to &pack", lambda: self.detail.add_to_pack(), QKeySequence("Ctrl+B")
        )
        self._action(
            edit_menu, "&Open file", lambda: self.detail.open_file(), QKeySequence("Ctrl+O")
        )

        view = mb.addMenu("&View")
        find = self._action(view, "&Search", self.focus_search, QKeySequence("Ctrl+K"))
        find.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
        self._action(view, "&What's new", self.show_whats_new, QKeySequence("Ctrl+Shift+N"))
        self._action(view, "&Clear filters", self.clear_filters, QKeySequence("Ctrl+Shift+L"))
        self.include_all_action = self._action(
            view, "Show &drafts, retired and expired", self._toggle_all
        )
        self.include_all_action.setCheckable(True)
        self.include_all_action.setToolTip("The marketer's view: every item, with status filters")
        view.addSeparator()
        self.review_action = self._action(view, "&Review due…", self.show_review_due)
        self.review_action.setToolTip("Items whose expiry or verify-by date falls soon")
        self.queue_action = self._action(view, "&Feedback queue…", self.show_feedback_queue)
        self.queue_action.setToolTip("Flags and content requests from reps")
        self.mine_action = self._action(view, "My &flags and requests…", self.show_my_feedback)
        self.request_action = self._action(
            view, "Request &content…", lambda: self.request_content(self.search_edit.text())
        )

        sync = mb.addMenu("&Sync")
        self._action(sync, "&Sync now", self.channels.sync_now, QKeySequence("F5")).setToolTip(
            "Fetch new and changed content from the channels you subscribe to"
        )
        self._action(sync, "S&ubscribe to a channel…", self.channels.subscribe)
        self.publish_action = self._action(
            sync, "&Publish to a channel…", self.channels.publish, QKeySequence("Ctrl+Shift+P")
        )
        sync.addSeparator()
        self._action(sync, "&Channels…", self.channels.show_channels)

        help_menu = mb.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts)

    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], Any], shortcut: QKeySequence | None = None
    ) -> QAction:
        act = menu.addAction(text)
        act.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            act.setShortcut(shortcut)
        return act

    # -- settings -----------------------------------------------------------------------------------
    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            self.resize(1400, 900)
        state = self.settings.value("window/splitter")
        if not (isinstance(state, QByteArray) and self.splitter.restoreState(state)):
            fm = self.fontMetrics().horizontalAdvance("M")
            self.splitter.setSizes(default_splitter_sizes(fm))
        sort = str(self.settings.value("search/sort", "relevance"))
        i = self.sort_box.findData(sort)
        self.sort_box.blockSignals(True)
        self.sort_box.setCurrentIndex(max(0, i))
        self.sort_box.blockSignals(False)
        self.controller.query.sort = str(self.sort_box.currentData())
        self.sort_box.setToolTip(
            f"Order of the results: {SORT_TIPS.get(self.controller.query.sort, '')}"
        )
        include_all = str(self.settings.value("search/include_all", "false")) == "true"
        self.include_all_action.setChecked(include_all)
        self.controller.query.include_all = include_all
        self.facets.set_show_status(include_all)
        self._apply_filters(run=False)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("search/sort", self.controller.query.sort)
        self.settings.setValue(
            "search/include_all", "true" if self.controller.query.include_all else "false"
        )
        self.settings.sync()

    # -- start-up -------------------------------------------------------------------------------------
    def start(self, *, rebuild: str = "background") -> None:
        """Open the search index on the writer, then search. `rebuild="sync"` waits for a
        rebuild instead of serving metadata results meanwhile (screenshots)."""
        self.index_label.setText("Opening the search index…")
        workers = self.workers
        self.workers.write(
            lambda t: _open_index(t, rebuild, workers), owner=self, label="open index"
        ).progress(self._index_progress).success(self._index_opened).failure(
            self._index_failed
        ).run()
        self.reload_terms()
        self.refresh_size()
        self.load_user()

    # -- the current user ----------------------------------------------------------------------
    def load_user(self) -> None:
        """Who is using the app and what their role allows (library.users)."""

        def work(t: Task) -> tuple[UserInfo, frozenset[str]]:
            me = users.current_user(t.lib)
            return me, frozenset(users.PERMISSIONS.get(me.role, frozenset()))

        self.workers.read(work, owner=self, label="user").success(lambda r: self.set_user(*r)).run()

    def set_user(self, user: UserInfo, perms: frozenset[str]) -> None:
        self.user = user
        self.perms = perms
        self.user_label.setText(f"{user.name} · {label(user.role)}")
        self.user_label.setToolTip(
            "Your role decides what you can change; an admin sets roles (frontline user set-role)"
        )
        can_edit = "edit" in perms
        for act in self.import_actions:
            act.setVisible(can_edit)
        self.import_button.setVisible(can_edit)
        self.demo_action.setVisible(can_edit)
        self.edit_action.setVisible(can_edit)
        self.bulk_action.setVisible(can_edit)
        self.taxonomy_action.setVisible("taxonomy" in perms)
        self.brand_action.setVisible(user.role == "admin")
        self.publish_action.setVisible(can_edit)
        self.review_action.setVisible(bool({"approve", "verify"} & perms))
        self.queue_action.setVisible("queue" in perms and self._feedback() is not None)
        self.mine_action.setVisible("feedback" in perms and self._feedback() is not None)
        self.request_action.setVisible("feedback" in perms and self._feedback() is not None)
        self.include_all_action.setVisible(user.role != "partner")
        self.detail.set_permissions(perms)
        self.setAcceptDrops(can_edit)
        if self.controller.last_results is not None:
            self._show_empty_state(self.controller.last_results)

    def switch_user(self) -> None:
        def work(t: Task) -> list[UserInfo]:
            return users.list_users(t.lib)

        self.workers.read(work, owner=self, label="people").success(self._pick_user).run()

    def _pick_user(self, people: list[UserInfo]) -> None:
        dialog = WhoAreYouDialog(people, self.workers.lib.actor, self)
        self.who_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return
        self.become(dialog.chosen())

    def become(self, name: str) -> None:
        """Act as `name` from now on (remembered for this library on this computer)."""
        lib = self.workers.lib
        lib.actor = name
        remember_user(lib, self.settings, name)
        self.workers.write(lambda t: users.current_user(t.lib), owner=self, label="user").success(
            self._became
        ).failure(lambda e: self.flash(str(e))).run()

    def _became(self, user: UserInfo) -> None:
        self.flash(f"You are now {user.name} ({label(user.role).lower()}).")
        self.load_user()
        self.controller.items_changed()  # what you may see depends on your role

    @staticmethod
    def _feedback() -> Any:
        return optional_module("library.feedback")

    def _index_progress(self, p: Progress) -> None:
        if p.total:
            self.index_label.setText(f"Indexing… {100 * p.done // max(1, p.total)} %")

    def _index_opened(self, index: Any) -> None:
        self.index_ready = index.state == "ready"
        self._update_index_label()
        if not self.index_ready:
            self._index_timer.start()
        self.controller.index_opened()

    def _index_failed(self, error: BaseException) -> None:
        self.index_label.setText("Search unavailable")
        self.flash(f"The search index could not be opened: {error}")

    def _poll_index(self) -> None:
        index = self.workers.index
        if index is None:
            return
        self._update_index_label()
        if index.state == "ready":
            self._index_timer.stop()
            self.index_ready = True
            self.controller.refresh()  # full-text results now

    def _update_index_label(self) -> None:
        index = self.workers.index
        if index is None:
            return
        if index.state == "ready":
            self.index_label.setText("Search ready")
            self.index_label.setToolTip("Full-text search over every file")
        else:
            p = index.progress
            pct = f" {100 * p.done // p.total} %" if p.total else ""
            self.index_label.setText(f"Indexing…{pct}")
            self.index_label.setToolTip(
                index.error or "Searching titles and tags until the full-text index is built"
            )

    def reload_terms(self) -> None:
        self.workers.read(
            lambda t: all_terms(t.lib, TAXONOMIES), owner=self, label="terms"
        ).success(self._terms_loaded).run()

    def _terms_loaded(self, terms: dict[str, list[TermInfo]]) -> None:
        self.terms = terms
        for facet in DEAL_FACETS:
            self.deal.set_choices(facet, [t.name for t in terms.get(facet, [])])
        self.facets.set_order("stage", [t.name for t in terms.get("stage", [])])
        if self.controller.last_results is not None:
            self.facets.update_counts(self.controller.last_results.facets)

    def refresh_size(self) -> None:
        self.workers.read(lambda t: item_count(t.lib), owner=self, label="count").success(
            self._size_loaded
        ).run()

    def _size_loaded(self, n: int) -> None:
        self.library_size = n
        self.size_label.setText(f"{n:,} item{'s' if n != 1 else ''} in the library")
        if self.controller.last_results is not None:
            self._show_empty_state(self.controller.last_results)

    # -- search ----------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def set_query(self, text: str) -> None:
        self.search_edit.setText(text)
        self.controller.set_text(text, immediate=True)

    def _search_entered(self) -> None:
        self.controller.set_text(self.search_edit.text(), immediate=True)
        if self.model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus()
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0))
                return True
            if key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                self.controller.set_text("", immediate=True)
                return True
        return super().eventFilter(watched, event)

    def _filters_changed(self) -> None:
        self._apply_filters(run=True)

    def _apply_filters(self, *, run: bool) -> None:
        deal = self.deal.values()
        self.facets.set_pinned(deal)
        merged: dict[str, list[str]] = {}
        for source in (deal, self.facets.selected()):
            for facet, values in source.items():
                bucket = merged.setdefault(facet, [])
                bucket.extend(v for v in values if v not in bucket)
        if run:
            self.controller.set_filters(merged)
        else:
            self.controller.query.filters = merged

    def clear_filters(self) -> None:
        self.facets.clear()

    def _sort_changed(self) -> None:
        sort = str(self.sort_box.currentData())
        self.sort_box.setToolTip(f"Order of the results: {SORT_TIPS.get(sort, sort)}")
        self.controller.set_sort(sort)

    def _toggle_all(self) -> None:
        on = self.include_all_action.isChecked()
        self.facets.set_show_status(on)
        self._apply_filters(run=False)
        self.controller.set_include_all(on)

    def _on_results(self, res: SearchResults) -> None:
        if self.controller.query.text.strip():
            self._usage_timer.start()
        self.facets.update_counts(res.facets)
        text = self.controller.query.text.strip()
        noun = "result" if res.total == 1 else "results"
        label = f"{res.total:,} {noun}"
        if text:
            label += f" for “{text if len(text) < 40 else text[:38] + '…'}”"
        if self.controller.query.include_all:
            label += " · all statuses"
        self.count_label.setText(label)
        tip = res.message or (
            "Searching titles and tags while the full-text index is built." if res.degraded else ""
        )
        self.count_label.setToolTip(tip)
        if res.message:
            self.flash(res.message)
        self._show_empty_state(res)
        self._keep_selection()

    def _record_search(self) -> None:
        text = self.controller.query.text.strip()
        res = self.controller.last_results
        if not text or res is None or text == self._recorded_query:
            return
        self._recorded_query = text
        self.record_usage("search", None, text, res.total)

    def record_usage(
        self, kind: str, key: str | None, query: str | None = None, results: int | None = None
    ) -> None:
        """One usage event (open, preview, share, search) for marketing; never bothers the user."""
        sync = optional_module("library.sync")
        if sync is None:
            return
        self.workers.write(
            lambda t: sync.record_usage(t.lib, kind, key, query, results),
            owner=self,
            label="usage",
        ).failure(lambda e: log.info("usage not recorded: %s", e)).run()

    def _keep_selection(self) -> None:
        """Same words (a filter, sort or edit changed): keep the selected item when it is still
        in the first page. New words: select the top hit, which is what the user is after."""
        text = self.controller.query.text.strip()
        same_words = text == self._selection_query
        self._selection_query = text
        key = self.detail._want if same_words else None
        row = self.model.row_of(key) if key else -1
        sel = self.results.selectionModel()
        if self.model.rowCount() == 0:
            self.detail.show_item(None)
            return
        target = self.model.index(max(0, row))
        sel.setCurrentIndex(target, sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
        if row < 0:
            self.results.scrollToTop()

    def _show_empty_state(self, res: SearchResults) -> None:
        empty_library = self.library_size == 0
        for w in (self.count_label, self.sort_label, self.sort_box):
            w.setVisible(not empty_library)
        if res.total:
            self.results_stack.setCurrentWidget(self.results)
            return
        self.suggest_label.hide()  # the empty state says it, with more room
        filters = bool(self.controller.query.filters)
        text = self.controller.query.text.strip()
        if self.library_size == 0 and "edit" not in self.perms and self.user is not None:
            self.empty.show_state(
                "Your library is empty",
                "Nothing has been published to you yet. If your marketing team shares a channel, "
                "subscribe to it with Sync → Subscribe to a channel…",
                [("Subscribe to a channel…", self.channels.subscribe)],
            )
        elif self.library_size == 0:
            self.empty.show_state(
                "Welcome to Frontline",
                "Your library is empty. Import your sales content (drop files or a folder onto "
                "this window), or load the demo library — a software company's 49 real "
                "documents — to look around first.",
                [("Load the demo library", self.load_demo), ("Import files…", self.import_files)],
            )
        elif not text and not filters and not self.controller.query.include_all:
            self.empty.show_state(
                "Nothing is published yet",
                "The library has items, but none is approved and current. Marketers: show drafts "
                "with View → Show drafts, retired and expired.",
                [("Show everything", self._show_everything)],
            )
        else:
            parts = []
            sugg = getattr(self, "_suggestion", None)
            if sugg:
                parts.append(_did_you_mean(sugg))
            if filters:
                parts.append("Some filters are on: removing them may find more.")
            if not self.controller.query.include_all:
                parts.append("Drafts, retired and expired items are not searched.")
            actions: list[tuple[str, Callable[[], None]]] = []
            if self.facets.has_selection():
                actions.append(("Clear filters", self.clear_filters))
            if self.deal.values():
                actions.append(("Clear deal context", self.deal.clear))
            if text and "feedback" in self.perms and self._feedback() is not None:
                actions.append(("Request this content…", lambda: self.request_content(text)))
            heading = f"No results for “{text}”" if text else "No results with these filters"
            self.empty.show_state(
                heading, "<br/>".join(parts), actions, link=self._apply_suggestion
            )
        self.results_stack.setCurrentWidget(self.empty)

    def _show_everything(self) -> None:
        self.include_all_action.setChecked(True)
        self._toggle_all()

    def _on_suggestion(self, text: str, suggestion: object) -> None:
        self._suggestion = (
            suggestion if isinstance(suggestion, str) and suggestion != text else None
        )
        if self._suggestion:
            self.suggest_label.setText(_did_you_mean(self._suggestion))
            self.suggest_label.setVisible(
                bool(self.controller.last_results and self.controller.last_results.total)
            )
        else:
            self.suggest_label.hide()
        if self.controller.last_results is not None and not self.controller.last_results.total:
            self._show_empty_state(self.controller.last_results)

    def _apply_suggestion(self, text: str) -> None:
        self.set_query(text)

    def _on_completions(self, words: list[str]) -> None:
        self._completions.setStringList(words)

    def _current_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            return
        key = self.model.key_at(current.row())
        if key is None:
            return
        row = self.model.row_at(current.row())
        hint = (row.file, row.page) if row is not None and row.file else None
        if key != self.detail._want or hint != self.detail._hint:
            self.detail.show_item(key, hint)

    def _open_current(self, _index: Any) -> None:
        self.detail.open_file()

    def _current_key(self) -> str | None:
        idx = self.results.currentIndex()
        return self.model.key_at(idx.row()) if idx.isValid() else None

    def selected_keys(self) -> list[str]:
        rows = sorted(i.row() for i in self.results.selectionModel().selectedRows())
        return [k for k in (self.model.key_at(r) for r in rows) if k]

    def _facet_requested(self, facet: str, value: str) -> None:
        if facet in ("persona", "stage", "product", "industry", "competitor", "region", "tag"):
            self.facets.select(facet, value, True)

    def _results_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction("Open file", self.detail.open_file)
        menu.addAction("Add to pack", self.detail.add_to_pack)
        menu.addAction("Copy share-ready summary", self.detail.copy_summary)
        if "edit" in self.perms:
            menu.addSeparator()
            menu.addAction("Edit…", lambda: self.edit_item(self._current_key()))
            n = len(self.selected_keys())
            bulk = menu.addAction(f"Bulk edit {n} items…", self.bulk_edit)
            bulk.setEnabled(n > 1)
        menu.exec(self.results.viewport().mapToGlobal(pos))

    # -- marketer: import -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.start_import(paths)

    def import_files(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", start)
        if files:
            self.settings.setValue("paths/import", str(Path(files[0]).parent))
            self.start_import([Path(f) for f in files])

    def import_folder(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", start)
        if folder:
            self.settings.setValue("paths/import", folder)
            self.start_import([Path(folder)])

    def import_manifest(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        manifest, _ = QFileDialog.getOpenFileName(
            self, "Import with a manifest", start, "Manifests (*.csv *.tsv *.yaml *.yml)"
        )
        if manifest:
            self.start_import([], manifest=Path(manifest))

    def start_import(self, paths: list[Path], *, manifest: Path | None = None) -> ImportDialog:
        dialog = ImportDialog(self.workers, self)
        dialog.finished_import.connect(lambda _r: self._library_changed())
        dialog.item_changed.connect(self._library_changed)
        self._import_dialogs = [d for d in self._import_dialogs if d.isVisible() or d.running]
        self._import_dialogs.append(dialog)
        dialog.show()
        dialog.start(paths, manifest=manifest)
        return dialog

    def _library_changed(self) -> None:
        """After any write: re-search (same query), re-count, reload taxonomies and the detail."""
        self.controller.items_changed()
        self.thumbnails.forget()
        self.refresh_size()
        self.reload_terms()
        self.detail.reload()

    # -- marketer: editing -------------------------------------------------------------------------------
    def edit_item(self, key: str | None) -> None:
        if not key:
            return

        def load(t: Task) -> tuple[ItemDetail, dict[str, list[TermInfo]]]:
            return items.get(t.lib, key), all_terms(t.lib, TAXONOMIES)

        self.workers.read(load, owner=self, label="edit").success(self._open_editor).run()

    def _open_editor(self, loaded: tuple[ItemDetail, dict[str, list[TermInfo]]]) -> None:
        detail, terms = loaded
        if detail.read_only:  # Ctrl+E on a channel / received-pack item: the core would refuse
            self.flash(detail.read_only)
            return
        editor = ItemEditor(self.workers, detail, terms, self, self.settings)
        editor.saved.connect(lambda _d: self._library_changed())
        editor.files_changed.connect(lambda _d: self._library_changed())
        editor.open()
        self.editor: ItemEditor | None = editor

    def bulk_edit(self) -> None:
        keys = self.selected_keys()
        if len(keys) < 2:
            self.flash("Select two or more results (Shift- or Ctrl-click) to edit them together.")
            return
        dialog = BulkEditDialog(self.workers, keys, self.terms, self)
        dialog.finished_edit.connect(lambda _r: self._library_changed())
        dialog.open()
        self.bulk_dialog = dialog

    def edit_taxonomies(self) -> None:
        dialog = TaxonomyDialog(self.workers, self)
        dialog.changed.connect(self._library_changed)
        dialog.open()
        self.taxonomy_dialog = dialog

    def load_demo(self) -> None:
        try:
            from library.demo.loader import load_demo
        except ImportError:
            QMessageBox.information(
                self,
                "Demo library",
                "The demo library is not available in this version of Frontline.",
            )
            return

        def run(t: Task) -> Any:
            return load_demo(t.lib, progress=t.report, cancel=t.cancel)

        op = self.workers.write(run, owner=self, label="demo")
        self.task.begin("Loading the demo library…", op.cancel.set)
        op.progress(self.task.update_progress).success(self._demo_loaded).failure(
            lambda e: self.flash(str(e))
        ).done(self.task.end).run()

    def _demo_loaded(self, report: Any) -> None:
        n = report.get("items", 0) if isinstance(report, dict) else 0
        self.flash(
            f"The demo library is loaded: {n} items." if n else "The demo library was not loaded."
        )
        self._library_changed()

    # -- views --------------------------------------------------------------------------------------------
    def show_basket(self) -> None:
        """The pack basket with its export (leave-behind / reseller pack), non-modal."""
        dialog = getattr(self, "export_dialog", None)
        if dialog is None or not shiboken6.isValid(dialog):
            dialog = ExportDialog(self.workers, self.basket, self.settings, self)
            dialog.item_requested.connect(lambda key: self.detail.show_item(key))
            dialog.message.connect(self.flash)
            self.export_dialog = dialog
        else:
            dialog.refresh()
        dialog.show()
        dialog.raise_()

    def edit_brand(self) -> None:
        from exporters import api as ex

        self.workers.read(lambda t: ex.get_brand(t.lib), owner=self, label="brand kit").success(
            self._open_brand
        ).failure(lambda e: self.flash(str(e))).run()

    def _open_brand(self, brand: Any) -> None:
        dialog = BrandKitDialog(self.workers, self.settings, brand, self)
        dialog.message.connect(self.flash)
        dialog.open()
        self.brand_dialog = dialog

    def import_pack(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a received pack", start, "Frontline packs (*.zip)"
        )
        if chosen:
            self.import_pack_from(Path(chosen))

    def import_pack_from(self, path: Path) -> None:
        from exporters import api as ex

        def run(t: Task) -> Any:
            return ex.import_pack(t.lib, path, progress=t.report, cancel=t.cancel)

        op = self.workers.write(run, owner=self, label="import pack")
        self.task.begin(f"Opening {path.name}…", op.cancel.set)
        op.progress(self.task.update_progress).success(self._pack_imported).failure(
            self._pack_failed
        ).done(self.task.end).run()

    def _pack_failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Open a pack", str(error))

    def _pack_imported(self, rep: Any) -> None:
        n = len(rep.items)
        valid = f", valid until {rep.valid_until:%d %b %Y}" if rep.valid_until else ""
        self.flash(
            f"Opened the pack “{rep.name}” from {rep.sender}: {n} item{'s' if n != 1 else ''}"
            f"{valid}. Filter by the tag “{rep.tag}” to see them."
            + (" " + " ".join(rep.warnings) if rep.warnings else "")
        )
        self._library_changed()

    def show_whats_new(self) -> None:
        """Items published or changed since the user last opened the app, newest first."""
        since = self.last_seen
        self.workers.read(lambda t: load_news(t, since), owner=self, label="what's new").success(
            self._whats_new_loaded
        ).run()

    def _whats_new_loaded(self, rows: list[NewsRow]) -> None:
        dialog = WhatsNewDialog(rows, self.last_seen, self)
        dialog.item_requested.connect(lambda key: self.detail.show_item(key))
        dialog.open()
        self.whats_new_dialog = dialog

    def show_review_due(self) -> None:
        dialog = ReviewDueDialog(self.workers, self)
        dialog.item_requested.connect(lambda key: self.detail.show_item(key))
        dialog.open()
        dialog.load()
        self.review_dialog = dialog

    def show_feedback_queue(self) -> None:
        self._feedback_dialog(manage=True)

    def show_my_feedback(self) -> None:
        self._feedback_dialog(manage=False)

    def _feedback_dialog(self, *, manage: bool) -> None:
        dialog = FeedbackQueueDialog(self.workers, manage, self)
        dialog.item_requested.connect(lambda key: self.detail.show_item(key))
        dialog.message.connect(self.flash)
        dialog.open()
        dialog.load()
        self.feedback_dialog = dialog

    def request_content(self, query: str = "") -> None:
        """Ask marketing for what the library lacks (pre-filled from the search)."""
        feedback = self._feedback()
        if feedback is None:
            return
        dialog = RequestDialog(query.strip(), self)
        self.request_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.send_request(dialog.text.toPlainText().strip(), dialog.query.text().strip())

    def send_request(self, text: str, query: str) -> None:
        feedback = self._feedback()
        if feedback is None:
            return
        run_feedback(
            self.workers,
            self,
            lambda t: feedback.request_content(t.lib, text, query),
            self.flash,
            "Request sent: marketing sees it in their feedback queue.",
        )

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "Ctrl+K / Ctrl+F  search\n↓ or Enter  go to the results\nEsc  clear the search\n"
            "Ctrl+O  open the file\nCtrl+B  add to pack\nCtrl+Shift+C  copy a share-ready summary\n"
            "Ctrl+E  edit the item\nCtrl+Shift+E  bulk edit the selection\nCtrl+I  import files\n"
            "Ctrl+Shift+N  what's new\nCtrl+Shift+L  clear filters\nF5  sync now\n"
            "Ctrl+Shift+P  publish to a channel",
        )

    # -- status -------------------------------------------------------------------------------------------
    def flash(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_pack_button(self) -> None:
        n = len(self.basket)
        self.pack_button.setText(f"Pack ({n})" if n else "Pack")

    def _unhandled_error(self, label: str, error: object) -> None:
        self.flash(f"{label.capitalize()} failed: {error}")

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            # Let queued paints and the model's fetch timer run first: they may start more work.
            QTimer.singleShot(0, self._check_settled)

    def _thumbnails_ready(self, _keys: list[str]) -> None:
        self.results.viewport().update()
        QTimer.singleShot(0, self._check_settled)

    def is_settled(self) -> bool:
        """Nothing pending: the index is open, the search answered, the rows on screen are
        filled (with their thumbnails) and the selected item's detail is shown."""
        if self.workers.index is None or self.workers.busy or self.controller.pending:
            return False
        if not self.thumbnails.idle:
            return False
        if self.controller.last_results is None:
            return False
        if self.model.rowCount():
            first = self.results.indexAt(self.results.viewport().rect().topLeft()).row()
            last = self.results.indexAt(self.results.viewport().rect().bottomLeft()).row()
            last = self.model.rowCount() - 1 if last < 0 else last
            if not self.model.fully_loaded(max(0, first), last):
                return False
            key = self._current_key()
            if key is not None and self.detail.loaded_key != key:
                return False
        return True

    def _check_settled(self) -> None:
        if self.is_settled():
            self.settled.emit()
        elif not self.workers.busy and not self.controller.pending and self.isVisible():
            # Rows may be waiting for a paint to ask for them: paint now (synchronously).
            self.results.viewport().repaint()

    # -- closing -------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            self.save_settings()
            self.settings.setValue(
                "session/last_seen", datetime.now().isoformat(timespec="seconds")
            )
            self._index_timer.stop()
            self.channels.stop()
            # Cancel and wait: imports stop between files, so nothing committed is lost.
            if self.workers.pending_writes():
                self.statusBar().showMessage("Finishing the current step before closing…")
            self.workers.shutdown()
            index = self.workers.index
            if index is not None:
                index.close()
                self.workers.index = None
        super().closeEvent(event)
