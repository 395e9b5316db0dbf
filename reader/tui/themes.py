"""Themes as data: TOML files turned into Textual ``Theme`` objects.

Owns reading theme files. Where themes come from, in order (a later file with the same
name replaces an earlier one):

1. the bundled ``themes/*.toml`` (``reader.settings.paths.bundled_dir("themes")``);
2. the user's ``<config dir>/themes/*.toml`` (``reader.settings.paths.config_dir()``).

A theme file holds ``name``, ``dark`` (bool), the colours ``primary``, ``secondary``,
``accent``, ``background``, ``surface``, ``panel``, ``foreground``, ``warning``, ``error``,
``success`` (only ``name`` and ``primary`` are required) and an optional ``[variables]``
table of Textual CSS variables. A file that cannot be read or is invalid is reported in the
returned problems and skipped, never raised. Unless the file sets ``border-blurred``, an
unfocused pane's border is the foreground at 30% over the background (``quiet_border``):
Textual's default is within a few shades of the background, one colour in 256 colours.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from reader.sanitize import clean_tree
from reader.settings.paths import bundled_dir, config_dir

DEFAULT_THEME = "night"
COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "background",
    "surface",
    "panel",
    "foreground",
    "warning",
    "error",
    "success",
)


QUIET_BORDER_SHARE = 0.3


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message is one line for the user."""


@dataclass(slots=True)
class ThemeLoad:
    """The themes found, and one line per file that was skipped."""

    themes: list[Theme]
    problems: list[str]


def _colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(f"{path.name}: {key} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(f"{path.name}: {key} = {value!r} is not a colour") from None
    return value


def theme_from_data(data: dict[str, object], path: Path) -> Theme:
    """A ``Theme`` from a parsed theme file; ``ThemeFileError`` when it is invalid."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"{path.name}: missing name")
    if "primary" not in data:
        raise ThemeFileError(f"{path.name}: missing primary colour")
    colours = {key: _colour(path, key, data[key]) for key in COLOUR_FIELDS if key in data}
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"{path.name}: dark must be true or false")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError(f"{path.name}: [variables] must map names to strings")
    options: dict[str, Any] = dict(colours)
    variables = dict(variables)
    border = quiet_border(colours)
    if border and "border-blurred" not in variables:
        variables["border-blurred"] = border
    return Theme(name=name.strip(), dark=dark, variables=variables, **options)


def quiet_border(colours: dict[str, str]) -> str | None:
    """The unfocused border: the foreground blended into the background, so that it stays
    a colour of its own when a terminal has only 256; ``None`` without both colours."""
    if "background" not in colours or "foreground" not in colours:
        return None
    background, foreground = Color.parse(colours["background"]), Color.parse(colours["foreground"])
    return background.blend(foreground, QUIET_BORDER_SHARE).hex


def load_theme_file(path: Path) -> Theme:
    """Read one theme file; ``ThemeFileError`` when it cannot be used."""
    try:
        data = clean_tree(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(f"{path.name}: cannot read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"{path.name}: not valid TOML ({exc})") from None
    return theme_from_data(data, path)


def theme_dirs() -> list[Path]:
    """The folders searched for theme files, bundled first then the user's."""
    return [bundled_dir("themes"), config_dir() / "themes"]


def load_themes(dirs: list[Path] | None = None) -> ThemeLoad:
    """Every usable theme in ``dirs`` (default: ``theme_dirs()``), with the problems met."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in theme_dirs() if dirs is None else dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as exc:
                problems.append(f"theme skipped: {exc}")
                continue
            themes[theme.name] = theme
    return ThemeLoad(list(themes.values()), problems)
