"""The filter bar: edits made while the app is busy are filtered once, with the latest text."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.tui.widgets.filter_bar import FilterBar


class BarApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter")

    def on_filter_bar_query_changed(self, event: FilterBar.QueryChanged) -> None:
        self.texts.append(event.text)


async def test_a_burst_of_edits_is_filtered_with_the_latest_text() -> None:
    app = BarApp()
    async with app.run_test(size=(60, 10)) as pilot:
        bar = app.query_one(FilterBar)
        bar.open("")
        await pilot.pause()
        for text in ("c", "cl", "cli", "clim"):  # four edits before the app runs again
            bar.value = text
        await pilot.pause()
        assert app.texts[0] == "clim"  # the first message already carries the latest text
        assert set(app.texts) == {"clim"} and len(app.texts) < 4


async def test_each_keystroke_typed_while_idle_is_filtered() -> None:
    app = BarApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.query_one(FilterBar).open("")
        for key in "tag:x":
            await pilot.press(key)
            await pilot.pause()
        assert app.texts == ["t", "ta", "tag", "tag:", "tag:x"]
