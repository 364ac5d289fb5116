"""The desktop app (the only package that imports PySide6)."""

from ui import _pyside_fix

# Before any Qt call: PySide6 6.12 on CPython 3.11 drains the reference counts of None/True.
_pyside_fix.apply()
