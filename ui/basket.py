"""The pack basket: items a rep collects for a leave-behind or a reseller pack.

Kept in QSettings so it survives a restart. The export feature (leave-behind DOCX, pack zip)
reads `keys()`; until it lands the basket only collects and lists.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, QSettings, Signal

SETTINGS_KEY = "basket/items"


class PackBasket(QObject):
    changed = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._items: list[tuple[str, str]] = []
        raw = settings.value(SETTINGS_KEY, "")
        try:
            data = json.loads(str(raw)) if raw else []
            self._items = [(str(k), str(t)) for k, t in data]
        except (ValueError, TypeError):
            self._items = []  # a damaged setting: start with an empty basket, never crash

    def keys(self) -> list[str]:
        return [k for k, _ in self._items]

    def items(self) -> list[tuple[str, str]]:
        """(key, title) in the order they were added."""
        return list(self._items)

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, key: str, title: str) -> bool:
        if key in self:
            return False
        self._items.append((key, title))
        self._save()
        return True

    def remove(self, key: str) -> None:
        self._items = [(k, t) for k, t in self._items if k != key]
        self._save()

    def clear(self) -> None:
        self._items = []
        self._save()

    def _save(self) -> None:
        self.settings.setValue(SETTINGS_KEY, json.dumps(self._items))
        self.changed.emit()
