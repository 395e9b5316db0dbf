"""Themes as data: bundled theme files, user theme files, bad files, the remembered choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from test_tui_support import make_library
from textual.color import Color

from reader.settings.paths import bundled_dir
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.themes import ThemeFileError, load_theme_file, load_themes


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    (folder / "themes").mkdir(parents=True)
    monkeypatch.setenv("READER_CONFIG_DIR", str(folder))
    return folder


def test_bundled_themes_load() -> None:
    loaded = load_themes([bundled_dir("themes")])
    assert loaded.problems == []
    by_name = {t.name: t for t in loaded.themes}
    assert {"paper", "night", "contrast"} <= set(by_name)
    assert by_name["paper"].dark is False
    assert by_name["night"].dark is True
    assert by_name["contrast"].background == "#000000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'x'\nprimary = 'not-a-colour'\n", "not a colour"),
        ("primary = '#ffffff'\n", "missing name"),
        ("name = 'x'\n", "missing primary"),
        ("name = 'x'\nprimary = '#fff'\ndark = 'yes'\n", "dark must be"),
        ("name = [unclosed\n", "not valid TOML"),
    ],
)
def test_bad_theme_file_is_refused_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeFileError, match=message):
        load_theme_file(path)


async def test_user_theme_registers_and_bad_one_is_skipped_with_a_notice(
    tmp_path: Path, config: Path
) -> None:
    (config / "themes" / "mine.toml").write_text(
        'name = "mine"\ndark = true\nprimary = "#123456"\nbackground = "#000010"\n'
    )
    (config / "themes" / "broken.toml").write_text("name = 'broken'\nprimary = 12\n")
    app = ReaderApp(make_library(tmp_path / "lib.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "mine" in app.available_themes
        assert "broken" not in app.available_themes
        assert any("broken.toml" in str(n.message) for n in app._notifications)
        assert app.is_running


async def test_theme_choice_is_remembered(tmp_path: Path, config: Path) -> None:
    path = tmp_path / "lib.json"
    make_library(path).close()
    app = ReaderApp(Library(path))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "night"  # the default
        app.theme = "paper"
        await pilot.pause()
    assert Library(path).get_setting("theme") == "paper"
    app = ReaderApp(Library(path))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "paper"


async def test_palette_lists_our_commands(tmp_path: Path, config: Path) -> None:
    from textual.command import CommandPalette

    app = ReaderApp(make_library(tmp_path / "lib.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"bookmark")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
    assert any(a.bookmarked for a in Library(tmp_path / "lib.json").articles())


def _eight_bit(colour: Color) -> int | None:
    """The 256-colour palette entry a terminal without true colour shows for ``colour``."""
    return RichColor.parse(colour.hex).downgrade(ColorSystem.EIGHT_BIT).number


@pytest.mark.parametrize("theme", ["night", "paper", "contrast"])
async def test_unfocused_pane_borders_stand_out_in_256_colours(
    tmp_path: Path, config: Path, theme: str
) -> None:
    app = ReaderApp(make_library(tmp_path / "lib.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await pilot.pause()
        quotes = app.query_one("#quotes")
        assert not quotes.has_focus
        _, border = quotes.styles.border_top
        assert _eight_bit(border) != _eight_bit(quotes.styles.background)


def test_a_theme_file_may_set_its_own_unfocused_border(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\nprimary = "#123456"\nbackground = "#000000"\nforeground = "#ffffff"\n'
        '[variables]\n"border-blurred" = "#ff0000"\n'
    )
    assert load_theme_file(path).variables["border-blurred"] == "#ff0000"
    path.write_text('name = "mine"\nprimary = "#123456"\nbackground = "#000000"\n')
    assert "border-blurred" not in load_theme_file(path).variables
