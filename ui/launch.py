"""Starting the desktop app: check that Qt can start *before* Qt aborts the process.

Qt's xcb plugin calls abort() (no exception, no useful message for a user) when there is no
display or a system library such as libxcb-cursor0 is missing. We check the common causes first
and print one sentence saying what to install or set.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import sys


def qt_start_problem() -> str | None:
    """A sentence explaining why Qt cannot start here, or None when it should start."""
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return "PySide6 is not installed: run 'make run' (it installs everything into .venv)."
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform.startswith("linux") and platform in ("", "xcb", "wayland"):
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            return (
                "No display found: start Frontline from a desktop session, or set "
                "QT_QPA_PLATFORM=offscreen to render without a window (e.g. with --screenshot)."
            )
        if platform in ("", "xcb") and not os.environ.get("WAYLAND_DISPLAY"):
            missing = [
                lib for lib in ("xcb-cursor", "xkbcommon-x11") if not ctypes.util.find_library(lib)
            ]
            if missing:
                pkgs = " ".join(
                    {"xcb-cursor": "libxcb-cursor0", "xkbcommon-x11": "libxkbcommon-x11-0"}[m]
                    for m in missing
                )
                return (
                    f"Qt needs system libraries that are missing: install them with "
                    f"'sudo apt-get install {pkgs}' (or run 'make run', which does it)."
                )
    return None


def launch(args: argparse.Namespace) -> int:
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        # A screenshot never needs a visible window.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = qt_start_problem()
    if problem:
        print(f"frontline: {problem}", file=sys.stderr)
        return 2
    from ui.app import run_app

    return run_app(args)
