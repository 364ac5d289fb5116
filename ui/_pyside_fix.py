"""Work around a reference-counting bug of PySide6 6.12 on CPython 3.11.

PySide6 6.12's stable-ABI wheels return `None` from void methods and `True` from
`Signal.emit()` without taking a reference, as if those objects were immortal (they are on
CPython >= 3.12, PEP 683). On 3.11 every such call drops a reference that was never taken:
`sys.getrefcount(None)` falls by one per `setText()`, `sys.getrefcount(True)` by one per
`emit()`, and after some ten thousand calls the interpreter aborts with "Fatal Python error:
none_dealloc / bool_dealloc". A real session reaches that within minutes.

The fix does on 3.11 what 3.12 does by design: give None, True and False a reference count no
program can exhaust. They are static objects that are never freed, so the only effect is that
the count stays positive. Measured by `tests/test_ui_ops.py::test_pyside_calls_do_not_drain_singletons`.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # a trillion stray decrefs: more than any session can make
_applied = False


def apply() -> bool:
    """Make None/True/False effectively immortal on CPython < 3.12. True when applied."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _applied
    for obj in (None, True, False):
        # ob_refcnt is the first field of every PyObject (a Py_ssize_t) in CPython 3.11.
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _applied = True
    return True
