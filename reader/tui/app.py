"""The reader app: start-up, themes, the keymap, and saving the session at the end.

Owns ``ReaderApp`` and ``save_screenshot``. The panes and the actions behind the keys are
the main screen's (``reader.tui.screens.main.MainScreen``); the app starts it, opens the
library after the first frame (drawn from the start snapshot, see
``reader.startup.snapshot``), builds the search index in the background, and at the end
saves the reading place, the last article and the start snapshot. Settings kept in the
library: ``sort``, ``theme``, ``last_article`` (the article shown at quit; the app starts
on it).

Config (``reader.settings.config.load_config``, read at start): ``theme`` (unless a theme was chosen
in the app before), ``sort`` (unless the library remembers one), ``text_width``, the export
defaults and ``[keys]`` (binding ids = the action names of ``commands.COMMANDS`` and the
article pane's bindings, applied with ``App.set_keymap``). Each config problem is one
warning notification at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import Reactive
from textual.theme import Theme

from reader.errors import ReaderError
from reader.gc_pause import end_start_pause
from reader.sanitize import clean_line
from reader.search.order import start_sort
from reader.settings.config import Config, load_config
from reader.startup.snapshot import write_start_snapshot
from reader.store import Library
from reader.tui.commands import ReaderCommands
from reader.tui.idle_gc import IdleCollector
from reader.tui.pending_library import PendingLibrary, SnapshotLibrary, SnapshotView
from reader.tui.screens.main import MainScreen
from reader.tui.settings_check import binding_ids, settings_problems
from reader.tui.sync_runner import SyncRunner
from reader.tui.terminal_title import TerminalTitle
from reader.tui.themes import DEFAULT_THEME, ThemeLoad, load_themes

if TYPE_CHECKING:
    from reader.tui.library_view import LibraryView

FIRST_FRAME_FLUSH_SECONDS = 0.03  # the first frame goes out before the library opens


class ReaderApp(App[None]):
    """Read, bookmark, tag and highlight the articles of one library."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    BINDINGS = [
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
    ]
    """tab/shift+tab move between panes (or a dialog's fields); every other key is the
    main screen's (``MainScreen.BINDINGS``, from ``commands.COMMANDS``)."""

    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    """As ``App.title``, but a change does not repaint the whole screen (the header watches
    it and repaints its title: that is all that shows it). The title changes with every
    article shown."""
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)
    """As ``App.sub_title``, without the repaint of the whole screen (see ``title``)."""

    COMMANDS = App.COMMANDS | {ReaderCommands}
    """The palette offers our actions besides Textual's (theme switch, keys, quit)."""

    def __init__(
        self,
        library: Library | PendingLibrary,
        *,
        library_label: str | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        # A PendingLibrary is opened right after the first frame, which is drawn from its
        # start snapshot (see ``reader.startup.snapshot``); until then stand-ins answer.
        self._pending = library if isinstance(library, PendingLibrary) else None
        self.library: Library = (
            SnapshotLibrary(library, self._finish_loading)  # type: ignore[assignment]
            if isinstance(library, PendingLibrary)
            else library
        )
        self.library_label = library_label or library.path.name
        self.config = config if config is not None else load_config()
        self.syncer = SyncRunner(self, library.path, on_done=lambda: self.main_screen.reload())
        sort = start_sort(self.library.get_setting("sort"), self.config.sort)
        if self._pending is not None and self._pending.snapshot.sort == sort:
            self.view: LibraryView = SnapshotView(self._pending.snapshot, self._finish_loading)  # type: ignore[assignment]
        else:
            if self._pending is not None:  # the snapshot is in another order: no use
                self.library = self._pending.open()
                self._pending = None
            from reader.tui.library_view import LibraryView

            self.view = LibraryView(self.library, sort=sort)
        self.terminal_title = TerminalTitle(self)
        self.idle_collector = IdleCollector(self)
        self._loading_theme = False
        self.last_article = self.library.get_setting("last_article")
        """The article shown at the last quit (a setting of the library), if any."""
        self.main_screen = MainScreen(id="_default")
        # Before the first stylesheet parse: a theme set after mounting parses it again.
        self._themes_loaded = self._load_themes()

    # -- building ------------------------------------------------------------------------
    def get_default_screen(self) -> MainScreen:
        """The screen the panes are composed on."""
        return self.main_screen

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app with one line on the terminal, as a command
        does, never a traceback (``READER_DEBUG=1`` shows Textual's). A Pilot test still
        gets the exception raised (``_exception``)."""
        if os.environ.get("READER_DEBUG"):
            super()._handle_exception(error)
            return
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        detail = clean_line(str(error))[:300]
        self._exit_renderables.append(
            Text(f"reader: internal error: {type(error).__name__}: {detail}")
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        """Settings problems (as ``reader config show`` reports them), the keymap, the
        terminal's title, signals."""
        for problem in settings_problems(self.config, self._themes_loaded):
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self._apply_keymap()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.terminal_title.save()
        self.idle_collector.start()
        if not self.is_headless:
            self._quit_on_hangup()

    def _quit_on_hangup(self) -> None:
        """Closing the terminal window (``SIGHUP``) or a polite ``kill`` (``SIGTERM``) ends
        the session as ``q`` does as far as the library goes: the reading place, the last
        article and the start snapshot are saved (by default these signals end the
        process at once, and the next start then had no snapshot)."""
        loop = asyncio.get_running_loop()
        handlers = {"SIGHUP": self._hung_up, "SIGTERM": self.exit}
        for name, handler in handlers.items():
            number = getattr(signal, name, None)
            if number is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(number, handler)

    def _hung_up(self) -> None:
        """The terminal is gone: save the session, then end the process without Textual's
        shutdown, which writes to the terminal (and can wait for ever on a closed one)."""
        with contextlib.suppress(Exception):
            self._save_session()
            if self.library_loaded:
                self.save_start_snapshot()
                self.library.close()
        os._exit(0)

    def _apply_keymap(self) -> None:
        """The ``[keys]`` of config.toml that name an action (the others are reported at
        start by ``settings_problems``)."""
        known = binding_ids()
        keymap = {action: keys for action, keys in self.config.keys.items() if action in known}
        if keymap:
            self.set_keymap(keymap)

    def first_frame_shown(self) -> None:
        """(Called by the main screen after its first frame.) Open the library next."""
        end_start_pause()
        # The driver's writer thread sends the frame to the terminal; opening the library
        # holds the interpreter for tens of milliseconds at a time (parsing its file), so
        # give the frame a moment to go out first. A key pressed meanwhile opens it at once.
        self.set_timer(FIRST_FRAME_FLUSH_SECONDS, self._open_after_first_frame)

    def _open_after_first_frame(self) -> None:
        if not self.is_running:  # quit before the timer fired: the panes are going away
            return
        if self._pending is not None:
            try:
                self._finish_loading()
            except ReaderError as err:
                self.exit(return_code=1, message=clean_line(f"reader: {err}"))
                return
        self.index_in_background()
        self.main_screen.quote_pane.warm_up()  # compile the quotation patterns
        if self.config.sync_auto:
            self.syncer.start(automatic=True)

    def _finish_loading(self) -> tuple[Library, LibraryView]:
        """Open the library the first screen was drawn from a snapshot of, and put the real
        library and list in place of the stand-ins (the screen stays the same)."""
        pending = self._pending
        if pending is None:
            return self.library, self.view
        from reader.tui.library_view import LibraryView  # (not needed for the first frame)

        library = pending.open()
        self._pending = None
        self.library = library
        self.view = LibraryView(library, sort=self.view.sort)
        self.last_article = library.get_setting("last_article")
        if self.is_running:
            self.main_screen.library_replaced()
        return library, self.view

    @property
    def pending(self) -> PendingLibrary | None:
        """The library not opened yet (its start snapshot drew the first screen), if any."""
        return self._pending

    @property
    def library_loaded(self) -> bool:
        """Whether the library itself is open (not just its start snapshot)."""
        return self._pending is None

    def index_in_background(self) -> None:
        """Build the full-text index off the UI thread, so the first search is quick."""
        self.run_worker(self.view.build_index, thread=True, exclusive=True, group="index")

    def action_next_pane(self) -> None:
        """Move to the next pane."""
        self.main_screen.cycle_pane(1)

    def action_previous_pane(self) -> None:
        """Move to the previous pane."""
        self.main_screen.cycle_pane(-1)

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Pick up articles added in another terminal."""
        self.main_screen.reload()

    # -- the end of the session ------------------------------------------------------------
    def save_start_snapshot(self) -> None:
        """Save what the next start draws its first screen from (call after the app has
        quit: the snapshot names the library files as the session's last write left them;
        what another process wrote meanwhile is read first)."""
        if self._pending is not None:
            return  # never opened: nothing changed, the snapshot in place still holds
        with contextlib.suppress(ReaderError, OSError):  # a cache: no snapshot, no harm
            write_start_snapshot(self.library, self.view.sort)

    def on_unmount(self) -> None:
        """Save what must outlive the session: the unsaved position, the last article.
        Give the terminal its own title back."""
        self.terminal_title.restore()
        self.idle_collector.stop()
        self._save_session()

    def _save_session(self) -> None:
        """Save the unsaved reading place and the last article shown."""
        if self._pending is not None:
            return  # quit before the library was opened: nothing was changed
        self.main_screen.save_unsaved_position()
        shown = self.main_screen.shown
        if shown is not None and shown.id != self.last_article:
            self.remember_last_article(shown.id)

    def remember_last_article(self, article_id: str) -> None:
        """Keep ``article_id`` as the one to start on next time."""
        try:
            self.library.set_setting("last_article", article_id)
            self.last_article = article_id
        except (ReaderError, OSError):
            pass  # a read-only or vanished library: nothing to remember

    # -- themes --------------------------------------------------------------------------
    def _load_themes(self) -> ThemeLoad:
        """Register the theme files and set the remembered (or configured) theme; what was
        loaded (its problems are reported once the app is up, by ``settings_problems``)."""
        loaded = load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        wanted = self.library.get_setting("theme") or self.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self._loading_theme = True
        self.theme = wanted
        self._loading_theme = False
        return loaded

    def _remember_theme(self, theme: Theme) -> None:
        if self.is_running and self.main_screen.is_mounted:
            self.main_screen._update_titles()  # the header names the theme
        if self._loading_theme or self.library.get_setting("theme") == theme.name:
            return
        self.library.set_setting("theme", theme.name)


async def save_screenshot(library: Library, path: Path, size: tuple[int, int] = (120, 40)) -> None:
    """Run the app headless on ``library`` and save an SVG screenshot to ``path``."""
    app = ReaderApp(library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        path.write_text(app.export_screenshot(title="reader"), encoding="utf-8")
