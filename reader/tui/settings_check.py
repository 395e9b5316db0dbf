"""The problems with the user's settings that the reader reports when it starts, one line
each: those of config.toml itself (``Config.problems``), theme files that were skipped, a
``theme`` that names no theme, and ``[keys]`` entries that name no action.

One function, ``settings_problems``, for both the app at start and ``reader config show``,
so the two always report the same lines. ``binding_ids`` is what a ``[keys]`` entry may name.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.theme import BUILTIN_THEMES

from reader.sanitize import clean_line
from reader.settings.config import Config
from reader.tui.commands import COMMANDS
from reader.tui.themes import ThemeLoad
from reader.tui.widgets.article.view import ArticleView


def binding_ids() -> set[str]:
    """Every binding id a ``[keys]`` entry may name."""
    ids = {c.action for c in COMMANDS if c.action not in ("focus_next", "focus_previous")}
    ids |= {b.id for b in ArticleView.BINDINGS if isinstance(b, Binding) and b.id}
    return ids


def settings_problems(config: Config, themes: ThemeLoad) -> list[str]:
    """Every problem with ``config`` and the theme files ``themes`` came from, one clean
    line each, in the order the app shows them."""
    problems = [clean_line(p) for p in config.problems]
    known = binding_ids()
    problems += [
        clean_line(f"config: keys.{action}: no such action; see the help (?)")
        for action in config.keys
        if action not in known
    ]
    problems += [clean_line(p) for p in themes.problems]
    names = set(BUILTIN_THEMES) | {theme.name for theme in themes.themes}
    if config.theme and config.theme not in names:
        problems.append(
            clean_line(f"config: theme {config.theme!r}: no such theme; using the default")
        )
    return problems
