"""The two Textual internals the reader relies on, each used in one module only.

``App._driver`` (the terminal window's title, ``reader.tui.terminal_title``) and
``ScrollView._scroll_update`` (a scroll range without a layout, ``reader.tui.scroll_range``)
are private to Textual: these tests fail loudly when an upgrade renames or drops either, or
when another module starts using them.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from textual.app import App
from textual.driver import Driver
from textual.scroll_view import ScrollView

import reader

OWNERS = {
    "_driver": Path("tui/terminal_title.py"),
    "_scroll_update": Path("tui/scroll_range.py"),
}


def test_scroll_view_still_has_scroll_update_with_the_size_parameter() -> None:
    method = getattr(ScrollView, "_scroll_update", None)
    assert callable(method), "Textual dropped ScrollView._scroll_update: see tui/scroll_range.py"
    assert list(inspect.signature(method).parameters) == ["self", "virtual_size"]


async def test_a_running_app_still_has_a_driver_that_writes() -> None:
    app: App[None] = App()
    async with app.run_test():
        driver = getattr(app, "_driver", None)
        assert isinstance(driver, Driver), "Textual dropped App._driver: see tui/terminal_title.py"
        assert list(inspect.signature(driver.write).parameters) == ["data"]


def test_each_internal_is_touched_by_its_one_module_only() -> None:
    root = Path(reader.__file__).parent
    for name, owner in OWNERS.items():
        users = sorted(
            p.relative_to(root) for p in root.rglob("*.py") if name in p.read_text("utf-8")
        )
        assert users == [owner], f"{name} used outside {owner}: {users}"
