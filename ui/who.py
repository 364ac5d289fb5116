"""Who is using this copy of the app: the first-run choice of the local user.

Identity is local (Frontline has no server): the library's people and their roles live in the
library (`library.users`), and this computer remembers who it is in QSettings, per library.
Order: $FRONTLINE_USER wins (scripts, tests); else the name remembered for this library; else,
on the first launch over a library that already has people (the demo, a shared library), a
dialog asks who you are; a new name is registered by the core with the least-privileged role.
"""

from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from library import users
from library.core import Library
from library.values import UserInfo
from ui import theme
from ui.theme import label


def settings_key(lib: Library) -> str:
    digest = hashlib.sha1(str(lib.root.resolve()).encode()).hexdigest()[:12]
    return f"users/{digest}"


def remembered_user(lib: Library, settings: QSettings) -> str:
    return str(settings.value(settings_key(lib), "") or "")


def remember_user(lib: Library, settings: QSettings, name: str) -> None:
    settings.setValue(settings_key(lib), name)


def needs_choice(lib: Library, settings: QSettings, people: list[UserInfo]) -> bool:
    """Ask on the first launch when the library has other people than the one we guessed."""
    if os.environ.get("FRONTLINE_USER") or remembered_user(lib, settings):
        return False
    return any(p.name.casefold() != lib.actor.casefold() for p in people)


def apply_identity(lib: Library, settings: QSettings) -> None:
    """Use the remembered name for this library (unless $FRONTLINE_USER says otherwise)."""
    if os.environ.get("FRONTLINE_USER"):
        return
    name = remembered_user(lib, settings)
    if name:
        lib.actor = name


class WhoAreYouDialog(QDialog):
    """Pick yourself among the library's people, or type your name (registered as a rep)."""

    def __init__(self, people: list[UserInfo], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whoAreYou")
        self.setWindowTitle("Who are you?")
        self.resize(480, 460)
        heading = QLabel("Welcome to Frontline", self)
        heading.setFont(theme.small_font(self.font(), 3.0, bold=True))
        intro = QLabel(
            "This library is shared by the people below. Choose yourself: your role decides "
            "what you can change (reps find and share content; marketers and reviewers also "
            "publish it). Frontline remembers your choice on this computer.",
            self,
        )
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        box = QWidget(self)
        box_lay = QVBoxLayout(box)
        self.buttons: dict[str, QRadioButton] = {}
        for p in sorted(people, key=lambda p: (p.role != "rep", p.name.casefold())):
            extra = f" — {p.title}" if p.title else ""
            b = QRadioButton(f"{p.name}  ({label(p.role)}{extra})", box)
            b.setObjectName(f"user_{p.name}")
            self.group.addButton(b)
            self.buttons[p.name] = b
            box_lay.addWidget(b)
            if p.name.casefold() == current.casefold():
                b.setChecked(True)
        self.other = QRadioButton("Someone else:", box)
        self.other.setObjectName("user_other")
        self.group.addButton(self.other)
        self.other_name = QLineEdit(box)
        self.other_name.setObjectName("otherName")
        self.other_name.setPlaceholderText("Your name (you start as a rep)")
        self.other_name.textEdited.connect(lambda _t: self.other.setChecked(True))
        box_lay.addWidget(self.other)
        box_lay.addWidget(self.other_name)
        box_lay.addStretch(1)
        if self.group.checkedButton() is None and people:
            self.other.setChecked(True)
            self.other_name.setText(current)
        scroll = QScrollArea(self)
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continue")
        buttons.accepted.connect(self._accept)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(intro)
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)

    def chosen(self) -> str:
        if self.other.isChecked():
            return " ".join(self.other_name.text().split())
        for name, b in self.buttons.items():
            if b.isChecked():
                return name
        return ""

    def _accept(self) -> None:
        if not self.chosen():
            self.other_name.setFocus()
            return
        self.accept()


def choose_user(lib: Library, settings: QSettings, parent: QWidget | None = None) -> None:
    """First launch over a library with people: ask, remember, and use the answer."""
    people = users.list_users(lib)
    if not needs_choice(lib, settings, people):
        return
    dialog = WhoAreYouDialog(people, lib.actor, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
        lib.actor = dialog.chosen()
        remember_user(lib, settings, lib.actor)
        users.current_user(lib)  # registers a new name (as a rep) in the library
