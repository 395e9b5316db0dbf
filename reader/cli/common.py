"""What every command shares: opening the library, printing, and error handling.

``ReaderGroup`` turns a ``ReaderError`` (and any unexpected exception) into one line on
stderr and exit status 1 (2 for an internal error), never a traceback; set
``READER_DEBUG=1`` to see the traceback of an internal error.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import orjson
from rich.console import Console
from rich.text import Text

from reader.cli.new_library import NewLibrary
from reader.cli.plain_output import PIPE_WIDTH
from reader.errors import NoLibrary, ReaderError, describe_os_error
from reader.sanitize import clean_line, clean_tree, escape_unsafe_json
from reader.settings.config import resolve_db_path
from reader.startup.snapshot import refresh_start_snapshot
from reader.store import Library

if TYPE_CHECKING:
    from reader.ingest.batch import ImportOutcome


class ReaderGroup(click.Group):
    """A click group whose commands load on first use and fail with one clear line.

    ``command_modules`` maps a command name to the module of ``reader.cli`` defining it.
    """

    def __init__(
        self, *args: Any, command_modules: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.command_modules = dict(command_modules or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.command_modules})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.command_modules:
            import importlib

            module = importlib.import_module(f"reader.cli.{self.command_modules[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            _usage_error(ctx, err)
            raise  # (not reached)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:  # a subcommand's arguments
            _usage_error(ctx, err)
        except ReaderError as err:
            click.echo(f"reader: {clean_line(str(err))}", err=True)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("reader: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except OSError as err:  # the machine: disk full, read-only, a folder in the way
            if os.environ.get("READER_DEBUG"):
                traceback.print_exc()
            click.echo(f"reader: {clean_line(describe_os_error(err))}", err=True)
            ctx.exit(1)
        except Exception as err:  # a bug: still one line, unless debugging
            if os.environ.get("READER_DEBUG"):
                traceback.print_exc()
            detail = clean_line(str(err))[:300]
            click.echo(f"reader: internal error: {type(err).__name__}: {detail}", err=True)
            ctx.exit(2)


def _usage_error(ctx: click.Context, err: click.UsageError) -> None:
    """A bad argument or option: one line on stderr, exit status 2."""
    where = err.ctx.command_path if err.ctx is not None else "reader"
    click.echo(f"reader: {clean_line(err.format_message())} (see `{where} --help`)", err=True)
    ctx.exit(2)


def db_option_callback(
    ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = Path(value).expanduser() if value else None
    return value


def library_path(ctx: click.Context) -> Path:
    """The library file: ``--db``, else ``READER_DB``, else ``db`` in config.toml, else the default."""
    root = ctx.find_root()
    return resolve_db_path((root.obj or {}).get("db_path"))


def open_library(ctx: click.Context, *, create: bool = False) -> Library:
    """Open the library chosen by ``--db`` / ``READER_DB`` / the default; closed at exit,
    after bringing the TUI's start snapshot up to date when the command changed it.

    A library that does not exist is made only by a command that adds (``create``), which
    says so on stderr; any other command fails with one line and leaves nothing behind (no
    file, lock or folder), so a mistyped ``--db`` never makes a library.
    """
    path = library_path(ctx)
    made: NewLibrary | None = None
    if not path.exists() and not _link_loop(path):  # (a loop: Library says so)
        if not create:
            raise NoLibrary(path)
        made = NewLibrary.note(path)
    try:
        library = Library(path)
    except BaseException:
        if made is not None:
            made.discard()
        raise
    opened_at = library.generation

    def close() -> None:
        message = made.settle(library) if made is not None else None
        try:
            if library.generation != opened_at and (made is None or message):
                from reader.search.order import start_sort
                from reader.settings.config import load_config

                # the order the app will start in, as it decides it
                refresh_start_snapshot(
                    library, start_sort(library.get_setting("sort"), load_config().sort)
                )
        except (ReaderError, OSError):
            pass  # a cache: the next start opens the library first instead
        finally:
            library.close()
            for notice in library.take_notices():
                click.echo(f"reader: {clean_line(notice)}", err=True)
            if made is not None and message is None:
                made.discard()
            elif message:
                stderr_console().print(Text(message))

    ctx.call_on_close(close)
    return library


def _link_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that leads round in a loop."""
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True)
    except RuntimeError:  # (Python 3.11) a loop
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def stdout_console() -> Console:
    """A console that never interprets markup or highlights data from articles."""
    width = None if sys.stdout.isatty() else PIPE_WIDTH
    return Console(markup=False, highlight=False, emoji=False, soft_wrap=False, width=width)


def stderr_console() -> Console:
    """Messages and progress on stderr: never markup, and a message is never wrapped, so
    each error stays the one line that names the file and the reason."""
    return Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Write ``data`` as JSON, every unsafe character escaped (see ``escape_unsafe_json``).
    A string that cannot be written as UTF-8 (a file name's undecodable byte) is cleaned
    first (``clean_tree``: such a byte becomes U+FFFD)."""
    try:
        raw = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except TypeError:
        raw = orjson.dumps(clean_tree(data), option=orjson.OPT_INDENT_2)
    text = raw.decode("utf-8")
    sys.stdout.write(escape_unsafe_json(text) + "\n")
    sys.stdout.flush()


def fail(message: str) -> None:
    raise ReaderError(message)


def outcome_reporter(as_json: bool) -> Callable[[ImportOutcome], None]:
    """Print one line per imported file, page or entry (nothing when printing JSON):
    ``ID  added  TITLE``, ``ID  duplicate  TITLE  (PATH)``, or ``reader: PATH: REASON``."""

    def report(outcome: ImportOutcome) -> None:
        if as_json:
            return
        if outcome.status == "error":
            click.echo(f"reader: {clean_line(outcome.error)}", err=True)
        elif outcome.status == "duplicate":
            click.echo(
                f"{outcome.id}  duplicate  {clean_line(outcome.title)}  ({clean_line(outcome.path)})"
            )
        else:
            click.echo(f"{outcome.id}  {outcome.status}  {clean_line(outcome.title)}")

    return report
