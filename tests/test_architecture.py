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
    assert "reader.importers.html_page" in CORE_MODULES


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
