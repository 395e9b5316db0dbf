"""The core never imports Textual: only reader.tui does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import reader

CORE_MODULES = sorted(
    "reader." + ".".join(p.relative_to(Path(reader.__file__).parent).with_suffix("").parts)
    for p in Path(reader.__file__).parent.rglob("*.py")
    if "tui" not in p.relative_to(Path(reader.__file__).parent).parts and p.name != "__main__.py"
)


def test_core_module_list_is_not_empty() -> None:
    assert "reader.store.library" in CORE_MODULES
    assert "reader.ingest.importers.html_page" in CORE_MODULES


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"mods = {[m.removesuffix('.__init__') for m in CORE_MODULES]!r}\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k == 'textual' or k.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "", f"core imported textual: {result.stdout.strip()}"


def test_no_core_source_mentions_textual_import() -> None:
    root = Path(reader.__file__).parent
    offenders = [
        str(p)
        for p in root.rglob("*.py")
        if "tui" not in p.relative_to(root).parts
        and any(
            line.lstrip().startswith(("import textual", "from textual"))
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_import_contracts_hold() -> None:
    """The layers of pyproject.toml's ``[tool.importlinter]``: the core never imports the CLI,
    the TUI, Textual or Rich; the store imports nothing built on it."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(reader.__file__).parent.parent,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert "BROKEN" not in result.stdout


def test_no_core_module_imports_rich() -> None:
    root = Path(reader.__file__).parent
    offenders = [
        str(p)
        for p in root.rglob("*.py")
        if not {"tui", "cli"} & set(p.relative_to(root).parts)
        and any(
            line.lstrip().startswith(("import rich", "from rich"))
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
