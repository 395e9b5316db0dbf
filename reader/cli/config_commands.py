"""``reader config path`` and ``reader config show``."""

from __future__ import annotations

import click

from reader.cli.common import print_json
from reader.settings.config import config_path, load_config


@click.group()
def config() -> None:
    """Where the config file is, and what it says."""


@config.command()
def path() -> None:
    """Print the path of config.toml (it need not exist)."""
    click.echo(str(config_path()))


@config.command()
def show() -> None:
    """Print the settings in effect (defaults where the file says nothing), as JSON.

    Problems go to stderr, one line each: the same lines the reader shows when it starts
    (bad values, an unknown theme, a [keys] entry naming no action, a broken theme file).
    """
    from reader.tui.settings_check import settings_problems
    from reader.tui.themes import load_themes

    settings = load_config()
    for problem in settings_problems(settings, load_themes()):
        click.echo(f"reader: {problem}", err=True)
    print_json(settings.to_dict())


COMMANDS = [config]
