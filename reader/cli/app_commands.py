"""Commands that open the TUI: ``tui`` (the default), ``demo`` and ``screenshot``."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import click
from rich.text import Text

from reader.cli.common import library_path, open_library, stderr_console
from reader.settings.paths import bundled_dir
from reader.store import Library
from reader.tui.launcher import run_tui


def _run_app(library: Library, label: str) -> None:
    from reader.tui.app import ReaderApp

    ReaderApp(library, library_label=label).run()


@click.command()
@click.pass_context
def tui(ctx: click.Context) -> None:
    """Open the reader on your library (also what plain `reader` does)."""
    run_tui(library_path(ctx))


def fill_demo_library(folder: Path) -> Library:
    """A new library in ``folder`` holding the bundled sample articles."""
    from reader.ingest.batch import import_paths

    library = Library(folder / "library.json")
    import_paths(library, [bundled_dir("sample_articles")], workers=1)
    return library


@click.command()
@click.option(
    "--keep", is_flag=True, help="Keep the temporary library afterwards (its path is printed)."
)
def demo(keep: bool) -> None:
    """Open the reader on a fresh temporary library of the bundled sample articles."""
    folder = Path(tempfile.mkdtemp(prefix="reader-demo-"))
    try:
        library = fill_demo_library(folder)
        _run_app(library, "demo library")
        library.close()
    finally:
        if keep:
            stderr_console().print(Text(f"demo library kept at {folder / 'library.json'}"))
        else:
            shutil.rmtree(folder, ignore_errors=True)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--size", default="120x40", show_default=True, help="Terminal size COLSxROWS.")
@click.option("--demo", "use_demo", is_flag=True, help="Use the bundled sample articles.")
@click.pass_context
def screenshot(ctx: click.Context, out: str, size: str, use_demo: bool) -> None:
    """Save an SVG screenshot of the reader (used for the README)."""
    from reader.tui.app import save_screenshot

    cols, _, rows = size.partition("x")
    dims = (int(cols), int(rows))
    if use_demo:
        with tempfile.TemporaryDirectory(prefix="reader-shot-") as tmp:
            library = fill_demo_library(Path(tmp))
            asyncio.run(save_screenshot(library, Path(out), dims))
            library.close()
    else:
        asyncio.run(save_screenshot(open_library(ctx), Path(out), dims))
    stderr_console().print(Text(f"saved {out}"))


COMMANDS = [tui, demo, screenshot]
