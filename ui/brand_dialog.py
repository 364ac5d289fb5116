"""Brand kit editor (admins): company name, colours, fonts, logo, intro, disclaimer, footer,
validity and paper of every leave-behind and pack.

Reads with `exporters.api.get_brand`, saves what changed with `update_brand` and the logo with
`set_brand_logo`, on the writer. Each value is checked by the core as it is typed
(`clean_brand_value`, a pure function) so a wrong colour is explained next to the field; the
core checks everything again on save (and refuses non-admins with its sentence).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.ops import Task, Workers

LABELS = {
    "company_name": "&Company",
    "primary_color": "&Primary colour",
    "secondary_color": "&Secondary colour",
    "heading_font": "&Heading font",
    "body_font": "&Body font",
    "website": "&Website",
    "intro": "&Intro",
    "disclaimer": "&Disclaimer",
    "footer_text": "&Footer",
    "validity_days": "&Valid for",
    "paper": "Pa&per",
}
LONG_FIELDS = ("intro", "disclaimer", "footer_text")


class BrandKitDialog(QDialog):
    saved = Signal(object)  # BrandKitInfo
    message = Signal(str)

    def __init__(
        self, workers: Workers, settings: QSettings, brand: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("brandKit")
        self.setWindowTitle("Brand kit")
        self.resize(640, 640)
        self.workers = workers
        self.settings = settings
        self.brand = brand
        self.logo_file: Path | None = None
        self.widgets: dict[str, Any] = {}
        self.errors: dict[str, QLabel] = {}
        intro = QLabel(
            "Every leave-behind and reseller pack uses this kit. Intro text may use {customer}, "
            "{company}, {partner}, {rep} and {count}.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.logo = QLabel(self)
        self.logo.setObjectName("logoPreview")
        self.logo.setMinimumHeight(56)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        pick = QPushButton("Choose logo…", self)
        pick.setAutoDefault(False)
        pick.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(pick)
        form.addRow("Logo", logo_row)
        from exporters import api as ex

        for name in ex.BRAND_TEXT_FIELDS:
            value = getattr(brand, name, "")
            w: Any
            if name in LONG_FIELDS:
                w = QPlainTextEdit(str(value or ""), self)
                w.setTabChangesFocus(True)
                w.setMaximumHeight(self.fontMetrics().height() * 5)
                w.textChanged.connect(lambda n=name: self._check(n))
            elif name == "validity_days":
                w = QSpinBox(self)
                w.setRange(1, 3650)
                w.setSuffix(" days")
                w.setValue(int(value or 90))
            elif name == "paper":
                w = QComboBox(self)
                w.addItems(["A4", "Letter"])
                w.setCurrentText(str(value or "A4"))
            else:
                w = QLineEdit(str(value or ""), self)
                if name.endswith("_color"):
                    w.setText(f"#{value}" if value and not str(value).startswith("#") else value)
                w.textEdited.connect(lambda _t, n=name: self._check(n))
            w.setObjectName(f"brand_{name}")
            self.widgets[name] = w
            err = QLabel("", self)
            err.setStyleSheet(f"color: {theme.TONES['red'].name()}")
            err.setWordWrap(True)
            err.hide()
            self.errors[name] = err
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(w)
            box.addWidget(err)
            form.addRow(LABELS.get(name, name.replace("_", " ").title()), box)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self._show_logo(ex.logo_path(workers.lib, brand.logo_sha256))
        for name in ("primary_color", "secondary_color"):
            self._check(name)

    def value(self, name: str) -> str:
        w = self.widgets[name]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QSpinBox):
            return str(w.value())
        if isinstance(w, QComboBox):
            return w.currentText()
        return str(w.text())

    def _check(self, name: str) -> bool:
        from exporters import api as ex
        from library.errors import LibraryError

        err = self.errors[name]
        try:
            ex.clean_brand_value(name, self.value(name))
        except LibraryError as e:
            err.setText(str(e))
            err.show()
            return False
        err.hide()
        if name.endswith("_color"):
            w = self.widgets[name]
            color = QColor(self.value(name).strip() or "#ffffff")
            if color.isValid():
                text = "#000000" if color.lightnessF() > 0.6 else "#ffffff"
                w.setStyleSheet(f"QLineEdit {{ background: {color.name()}; color: {text}; }}")
        return True

    def changes(self) -> dict[str, str]:
        out = {}
        for name in self.widgets:
            old = getattr(self.brand, name, "")
            new = self.value(name)
            if name.endswith("_color"):
                if new.strip().lstrip("#").upper() != str(old or "").lstrip("#").upper():
                    out[name] = new
            elif str(new).strip() != str(old if old is not None else "").strip():
                out[name] = new
        return out

    def _choose_logo(self) -> None:
        start = str(self.settings.value("paths/import", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Logo", start, "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg)"
        )
        if chosen:
            self.logo_file = Path(chosen)
            self._show_logo(self.logo_file)

    def _show_logo(self, path: Path | None) -> None:
        pm = QPixmap(str(path)) if path is not None else QPixmap()
        if pm.isNull():
            self.logo.setText("No logo yet")
            return
        h = self.logo.minimumHeight()
        self.logo.setPixmap(pm.scaledToHeight(h, Qt.TransformationMode.SmoothTransformation))

    def save(self) -> None:
        if not all(self._check(n) for n in self.widgets):
            self.status.setText("Fix the fields marked in red first.")
            return
        changes = self.changes()
        logo = self.logo_file
        if not changes and logo is None:
            self.accept()
            return
        from exporters import api as ex

        def run(t: Task) -> Any:
            brand = ex.update_brand(t.lib, changes) if changes else None
            if logo is not None:
                brand = ex.set_brand_logo(t.lib, logo)
            return brand

        self.save_button.setEnabled(False)
        self.workers.write(run, owner=self, label="brand kit").success(self._saved).failure(
            self._failed
        ).run()

    def _saved(self, brand: Any) -> None:
        self.message.emit("The brand kit is saved: new exports use it.")
        self.saved.emit(brand)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(str(error))
