"""Architecture rules: the core never needs Qt; only search/ imports whoosh; the CLI never loads Qt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = ("library", "search", "exporters")

_BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked in this test")
sys.meta_path.insert(0, BlockQt())
"""


def test_core_packages_import_without_qt() -> None:
    """GIVEN PySide6 made unimportable WHEN every module of library/, search/, exporters/ is
    imported THEN all import fine (the core runs without a display or Qt)."""
    code = (
        _BLOCK_QT
        + """
import pkgutil, importlib
CORE_PACKAGES = __CORE__
for pkg in CORE_PACKAGES:
    m = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(m.__path__, pkg + "."):
        if ".migrations.versions" in info.name or info.name.endswith(".migrations.env"):
            continue  # Alembic scripts run only inside a migration context
        importlib.import_module(info.name)
print("ok")
""".replace("__CORE__", repr(CORE))
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


def test_only_search_imports_whoosh_and_only_ui_imports_qt() -> None:
    pattern_whoosh = re.compile(r"^\s*(from|import)\s+whoosh\b", re.M)
    pattern_qt = re.compile(r"^\s*(from|import)\s+PySide6\b", re.M)
    offenders = []
    for py in REPO.rglob("*.py"):
        rel = py.relative_to(REPO)
        top = rel.parts[0]
        if top in (".venv", "tests", "bench", "build"):
            continue
        text = py.read_text(encoding="utf-8")
        if top != "search" and pattern_whoosh.search(text):
            offenders.append(f"{rel} imports whoosh")
        if top != "ui" and pattern_qt.search(text):
            offenders.append(f"{rel} imports PySide6")
    assert not offenders, offenders


def test_cli_subcommands_never_load_qt(tmp_path: Path) -> None:
    code = f"""
import sys
sys.argv = ["main.py", "--library", {str(tmp_path / "lib")!r}, "init", "--json"]
import main
rc = main.main(sys.argv[1:])
for argv in (["list"], ["check"], ["--help"]):
    try:
        main.main(["--library", {str(tmp_path / "lib")!r}, *argv])
    except SystemExit:
        pass
assert "PySide6" not in sys.modules, "Qt was loaded by a CLI command"
print("ok", rc)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "ok 0" in out.stdout
