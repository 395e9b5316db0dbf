"""The reader app: three panes over one library, and the actions behind every key.

Owns ``ReaderApp`` (layout, responsive folding, the actions of ``commands.COMMANDS``,
writing every change to the library at once, themes and settings) and ``save_screenshot``.

Layout: header (library and filter), then the list pane (left), the article pane (centre,
widest) and the quote pane (right), the filter bar and the footer. Below 100 columns the
quote pane folds away (``\\`` brings it back); below 70 columns one pane shows at a time and
``tab`` moves between them.

Persistence: bookmarks, tags, read state and highlights go to the library as they change;
the reading position is written when the article pane reports it settled
(``PositionChanged``), and at once when another article is shown or the app quits (so a
scroll inside the 0.5 s debounce is not lost). Settings kept in the library: ``sort``,
``theme``, ``last_article`` (the article shown at quit; the app starts on it).

Read state: reaching the end marks an article read only once the user has *opened* it —
the article pane has the focus (enter, tab or a click) or the user scrolled it. A short
article previewed while moving down the list is not marked read; opening it is enough.

Config (``reader.settings.config.load_config``, read at start): ``theme`` (unless a theme was chosen
in the app before), ``sort`` (unless the library remembers one), ``text_width``, the export
defaults and ``[keys]`` (binding ids = the action names of ``commands.COMMANDS`` and the
article pane's bindings, applied with ``App.set_keymap``). Each config problem is one
warning notification at start.

Highlights: ``v`` selects (article pane), ``h`` keeps the selection or the quotation under
the quote-pane cursor (asking for a note), ``N``/``d`` edit the note / delete (quote pane),
``[``/``]`` jump, ``e`` exports through ``reader.highlights.service.write_export``, ``y`` copies.

The header shows the shown article's title (cleaned with ``clean_line``). Textual 8 has no
API for the terminal window title, so the window title is left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.theme import Theme
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, OptionList

from reader.errors import ReaderError
from reader.gc_pause import end_start_pause
from reader.models import Article, Highlight
from reader.sanitize import clean_line, is_web_url
from reader.search.order import SORT_LABELS, start_sort
from reader.settings.config import Config, load_config
from reader.startup.snapshot import write_start_snapshot
from reader.store import Library
from reader.tui.commands import COMMANDS, ReaderCommands, app_bindings
from reader.tui.idle_gc import IdleCollector
from reader.tui.pending_input import after_input
from reader.tui.pending_library import PendingLibrary, SnapshotLibrary, SnapshotView
from reader.tui.screens.main import MainScreen
from reader.tui.themes import DEFAULT_THEME, load_themes
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.filter_bar import FilterBar
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.header import ReaderHeader
from reader.tui.widgets.list_pane import ArticleOption, ListPane
from reader.tui.widgets.quote_pane import QuoteEntry, QuotePane

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem
    from reader.quotes import Quotation
    from reader.tui.dialogs.export import ExportChoice
    from reader.tui.library_view import LibraryView

WIDE = 100  # at least this many columns: all three panes
NARROW = 70  # fewer columns than this: one pane at a time
TITLE_CHARS = 60  # the article's title in the header is cut to this
QUOTATIONS_KEPT = 64  # articles whose quotations are remembered
FIRST_FRAME_FLUSH_SECONDS = 0.03  # the first frame goes out before the library opens
EXPORT_NOTICE_AT = 1000  # exporting more highlights than this says so when it starts


def binding_ids() -> set[str]:
    """Every binding id a ``[keys]`` entry may name."""
    ids = {c.action for c in COMMANDS if c.action not in ("focus_next", "focus_previous")}
    ids |= {b.id for b in ArticleView.BINDINGS if isinstance(b, Binding) and b.id}
    return ids


def unfetched_notice(article: Article) -> str:
    """What the article pane shows for an article saved by its address only."""
    return (
        "This article was saved by its address only; its text has not been fetched yet.\n\n"
        f"{clean_line(article.url) or '(no address)'}\n\n"
        f"Fetch it with `reader fetch {article.id}` (or `reader fetch --all`)."
    )


class ReaderApp(App[None]):
    """Read, bookmark, tag and highlight the articles of one library."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    BINDINGS = [
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
        *app_bindings(),
    ]
    """Every app action, from ``commands.COMMANDS``; tab/shift+tab move between panes."""

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
        sort = start_sort(self.library.get_setting("sort"), self.config.sort)
        if self._pending is not None and self._pending.snapshot.sort == sort:
            self.view: LibraryView = SnapshotView(self._pending.snapshot, self._finish_loading)  # type: ignore[assignment]
        else:
            if self._pending is not None:  # the snapshot is in another order: no use
                self.library = self._pending.open()
                self._pending = None
            from reader.tui.library_view import LibraryView

            self.view = LibraryView(self.library, sort=sort)
        self._shown: Article | None = None
        self._title_timer: Timer | None = None
        self._terminal_title: str | None = None
        self._shown_highlights: list[Highlight] = []
        self._quotations: list[Quotation] = []
        # Quotations found per (article, text): moving back and forth finds them once.
        self._quotations_seen: LRUCache[tuple[str, str], list[Quotation]] = LRUCache(
            QUOTATIONS_KEPT
        )
        self._first_frame_shown = False
        self.idle_collector = IdleCollector(self)
        self._quotes_wanted: bool | None = None  # None: fold by width
        self._current_pane = "list"
        self._loading_theme = False
        self._end_seen: str | None = None  # article whose end showed before it was opened
        self._article_pane: ArticleView | None = None
        self._last_article = self.library.get_setting("last_article")
        # Before the first stylesheet parse: a theme set after mounting parses it again.
        self._theme_problems = self._load_themes()

    # -- building ------------------------------------------------------------------------
    def get_default_screen(self) -> MainScreen:
        """The screen the panes are composed on."""
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        """Header, the three panes, the filter bar and the footer."""
        yield ReaderHeader(icon="≡")
        # The classes ``_apply_layout`` sets, set before the first styling pass (setting
        # them after mounting restyles every pane once more before the first frame).
        width = self.size.width
        classes = self._layout_classes(width)
        with Horizontal(id="panes", classes=" ".join(classes)):
            yield ListPane(id="list", classes="-current" if "-single" in classes else None)
            yield ArticleView(id="article")
            yield QuotePane(id="quotes")
        yield FilterBar(id="filter")
        yield ReaderFooter()

    def on_mount(self) -> None:
        """Config, themes, the list (on the last article shown), and focus on the list."""
        for problem in self.config.problems:
            self.notify(clean_line(problem), severity="warning", timeout=10, markup=False)
        self._apply_keymap()
        for problem in self._theme_problems:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        driver = getattr(self, "_driver", None)
        if driver is not None and not self.is_headless:
            with contextlib.suppress(Exception):
                driver.write("\x1b[22;0t")  # xterm: save the terminal's title
        self._article_pane = self.article_view
        self.idle_collector.start()
        if not self.is_headless:
            self._quit_on_hangup()
        self.article_view.set_measure(self.config.text_width)
        last = self._last_article if isinstance(self._last_article, str) else None
        self._show_rows(keep=last if last and self.view.get(last) else None)
        self._show_first_article()
        self.list_pane.focus()
        self._apply_layout(self.size.width)
        # The first frame comes first; the library (if drawn from its snapshot) and the
        # search index load after it.
        self.call_after_refresh(self._after_first_frame)

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

    def _show_first_article(self) -> None:
        """Show the article under the cursor in the first frame, when the start snapshot
        has the start of its text parsed; else it comes in the frame after (the Markdown
        parser loads then)."""
        current = self.list_pane.current_id
        if self._pending is None or current is None or self._pending.snapshot.cursor != current:
            return
        article = self.view.get(current)
        if article is not None and self._pending.snapshot.head_digest is not None:
            self._show_article(article)

    def _apply_keymap(self) -> None:
        known = binding_ids()
        keymap: dict[str, str] = {}
        for action, keys in self.config.keys.items():
            if action in known:
                keymap[action] = keys
            else:
                self.notify(
                    clean_line(f"config: keys.{action}: no such action; see the help (?)"),
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
        if keymap:
            self.set_keymap(keymap)

    def _after_first_frame(self) -> None:
        self._first_frame_shown = True
        end_start_pause()
        self.list_pane.on_cursor = self._preview
        # The driver's writer thread sends the frame to the terminal; opening the library
        # holds the interpreter for tens of milliseconds at a time (parsing its file), so
        # give the frame a moment to go out first. A key pressed meanwhile opens it at once.
        self.set_timer(FIRST_FRAME_FLUSH_SECONDS, self._open_after_first_frame)

    def _open_after_first_frame(self) -> None:
        if self._pending is not None:
            try:
                self._finish_loading()
            except ReaderError as err:
                self.exit(return_code=1, message=clean_line(f"reader: {err}"))
                return
        self._index_in_background()
        self.quote_pane.warm_up()  # compile the quotation patterns

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
        self._last_article = library.get_setting("last_article")
        if self.is_running and self._article_pane is not None:
            shown = self._shown
            self._show_rows(keep=shown.id if shown is not None else None)
            if shown is not None:
                fresh = self.view.get(shown.id)
                if fresh is None:
                    self._show_article(None)
                else:
                    self._shown = fresh
        return library, self.view

    @property
    def library_loaded(self) -> bool:
        """Whether the library itself is open (not just its start snapshot)."""
        return self._pending is None

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
        if self._terminal_title is not None:
            driver = getattr(self, "_driver", None)
            with contextlib.suppress(Exception):
                if driver is not None:
                    driver.write("\x1b[23;0t")  # xterm: restore the title saved at start
        self.idle_collector.stop()
        self._save_session()

    def _save_session(self) -> None:
        """Save the unsaved reading place and the last article shown."""
        if self._pending is not None:
            return  # quit before the library was opened: nothing was changed
        self._save_unsaved_position()
        if self._shown is not None and self._shown.id != self._last_article:
            self._remember_last_article(self._shown.id)

    def _remember_last_article(self, article_id: str) -> None:
        try:
            self.library.set_setting("last_article", article_id)
            self._last_article = article_id
        except (ReaderError, OSError):
            pass  # a read-only or vanished library: nothing to remember

    def _save_unsaved_position(self) -> None:
        view = self._article_pane
        unsaved = view.take_unsaved_position() if view is not None else None
        if unsaved is None:
            return
        article = self.view.get(unsaved[0])
        if article is None or abs(article.position - unsaved[1]) < 1e-4:
            return
        try:
            changed = self.library.set_position(article.id, float(unsaved[1]))
        except (ReaderError, OSError):
            return
        if self.is_running and self._article_pane is not None:
            self._article_changed(changed)

    def _index_in_background(self) -> None:
        """Build the full-text index off the UI thread, so the first search is quick."""
        self.run_worker(self.view.build_index, thread=True, exclusive=True, group="index")

    @property
    def list_pane(self) -> ListPane:
        """The article list."""
        return self.query_one("#list", ListPane)

    @property
    def article_view(self) -> ArticleView:
        """The article pane."""
        return self.query_one("#article", ArticleView)

    @property
    def quote_pane(self) -> QuotePane:
        """The quote pane."""
        return self.query_one("#quotes", QuotePane)

    @property
    def filter_bar(self) -> FilterBar:
        """The search box."""
        return self.query_one("#filter", FilterBar)

    # -- themes --------------------------------------------------------------------------
    def _load_themes(self) -> list[str]:
        """Register the theme files and set the remembered (or configured) theme; the
        problems found, one line each, to show once the app is up."""
        loaded = load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = list(loaded.problems)
        wanted = self.library.get_setting("theme") or self.config.theme or DEFAULT_THEME
        if wanted == self.config.theme and wanted not in self.available_themes:
            problems.append(
                clean_line(f"config: theme {wanted!r}: no such theme; using the default")
            )
        if wanted not in self.available_themes:
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self._loading_theme = True
        self.theme = wanted
        self._loading_theme = False
        return problems

    def _remember_theme(self, theme: Theme) -> None:
        if self._loading_theme or self.library.get_setting("theme") == theme.name:
            return
        self.library.set_setting("theme", theme.name)

    # -- layout ----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Fold panes to fit the terminal."""
        self._apply_layout(event.size.width)

    def _pane_order(self) -> list[str]:
        panes = ["list", "article"]
        if self._quotes_visible(self.size.width) or self.size.width < NARROW:
            panes.append("quotes")
        return panes

    def _quotes_visible(self, width: int) -> bool:
        if self._quotes_wanted is not None:
            return self._quotes_wanted
        return width >= WIDE

    def _layout_classes(self, width: int) -> list[str]:
        """The classes of ``#panes`` at ``width`` columns."""
        if width < NARROW:
            return ["-single"]
        return [] if self._quotes_visible(width) else ["-no-quotes"]

    def _apply_layout(self, width: int) -> None:
        panes = self.query_one("#panes")
        wanted = self._layout_classes(width)
        panes.set_class("-single" in wanted, "-single")
        panes.set_class("-no-quotes" in wanted, "-no-quotes")
        # ``-current`` matters in one-pane mode only; wider, moving between panes changes
        # no class (a class change restyles the pane and everything in it)
        single = "-single" in wanted
        for pane_id in ("list", "article", "quotes"):
            current = single and pane_id == self._current_pane
            self.query_one(f"#{pane_id}").set_class(current, "-current")

    def _pane_of(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if widget.id in ("list", "article", "quotes"):
                return widget.id
            widget = widget.parent  # type: ignore[assignment]
        return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track which pane is current (the one shown in one-pane mode)."""
        pane = self._pane_of(event.widget)
        if pane is not None and pane != self._current_pane:
            self._current_pane = pane
            self._apply_layout(self.size.width)
        if (
            pane == "article"
            and self._shown is not None
            and self._end_seen == self._shown.id
            and self.article_view.end_visible
        ):
            self._mark_read(self._shown.id)

    def _focus_pane(self, pane: str) -> None:
        self._current_pane = pane
        self._apply_layout(self.size.width)
        self.query_one(f"#{pane}").focus()

    def _cycle_pane(self, step: int) -> None:
        if self.screen is not self.screen_stack[0]:
            (self.screen.focus_next if step > 0 else self.screen.focus_previous)()
            return
        if self.focused is self.filter_bar:
            self._focus_pane("list")
            return
        order = self._pane_order()
        current = self._current_pane if self._current_pane in order else "list"
        self._focus_pane(order[(order.index(current) + step) % len(order)])

    def action_next_pane(self) -> None:
        """Move to the next pane."""
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        """Move to the previous pane."""
        self._cycle_pane(-1)

    def action_toggle_quotes(self) -> None:
        """Show or hide the quote pane (at any width)."""
        self._quotes_wanted = not self._quotes_visible(self.size.width)
        if not self._quotes_wanted and self._current_pane == "quotes":
            self._focus_pane("article")
        self._apply_layout(self.size.width)

    # -- the list ----------------------------------------------------------------------------
    def _update_window_title(self) -> None:
        """The header's title: the article shown (cleaned, cut), then the library."""
        if self._shown is None:
            self.title = f"reader · {self.library_label}"
            return
        name = clean_line(self._shown.title) or "(untitled)"
        if len(name) > TITLE_CHARS:
            name = name[: TITLE_CHARS - 1] + "…"
        self.title = f"{name} · {self.library_label}"
        self._set_terminal_title(f"{name} — reader")

    def _set_terminal_title(self, text: str) -> None:
        """The terminal window's title (OSC 2), where there is a real terminal. Textual
        has no API for it, so the sequence goes through its driver; the text is cleaned
        of every control character first, so an article title cannot end the sequence."""
        driver = getattr(self, "_driver", None)
        if driver is None or self.is_headless:
            return
        safe = clean_line(text)[:120]
        if safe != self._terminal_title:
            self._terminal_title = safe
            with contextlib.suppress(Exception):  # a title is never worth a crash
                driver.write(f"\x1b]2;{safe}\x07")

    def _update_titles(self, *, typing: bool = False) -> None:
        """Header: library, filter, count and sort. While the user types a filter the
        header follows a moment later (a header change lays out the whole screen)."""
        self._update_window_title()
        described = self.view.describe()
        count = f"{len(self.view.rows)} of {self.view.total}"
        sort = f"sort: {SORT_LABELS[self.view.sort]}"
        text = " · ".join(
            part for part in (f"filter: {described}" if described else "", count, sort) if part
        )
        border_title = f"Articles ({len(self.view.rows)})"
        if self.list_pane.border_title != border_title:  # (setting it redraws the pane)
            self.list_pane.border_title = border_title
        if self._title_timer is not None:
            self._title_timer.stop()
            self._title_timer = None
        if typing:
            self._title_timer = self.set_timer(0.3, lambda: setattr(self, "sub_title", text))
        else:
            self.sub_title = text

    def _show_rows(self, keep: str | None = None, *, typing: bool = False) -> None:
        """Refill the list from the view, keeping the cursor on ``keep`` (or where it was).
        While a filter is being typed the article stays shown, even if no row matches."""
        pane = self.list_pane
        keep = keep or pane.current_id or (self._shown.id if self._shown else None)
        pane.show_articles(self.view.rows, keep)
        self._update_titles(typing=typing)
        if not self.view.rows and not typing:
            self._show_article(None)

    def _article_changed(self, article: Article) -> None:
        """Redraw after a change to one article that the library already saved."""
        if self.view.note_changed(article):  # same rows: redraw this one's only
            self.list_pane.update_article(article)
            self._update_titles()
        else:
            self._show_rows(keep=article.id)
        if self._shown is not None and self._shown.id == article.id:
            self._shown = article

    def _preview(self, article: Article) -> None:
        """Show the article under the list cursor (``ListPane.on_cursor``, set once the
        first frame is drawn: the panes have their sizes by then)."""
        if self._shown is None or self._shown.id != article.id:
            self._show_article(self.view.get(article.id) or article)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Preview the article under the list cursor, if ``_preview`` has not yet."""
        # (by type, not ``self.list_pane``: a message may arrive as the app tears down)
        if isinstance(event.option_list, ListPane) and isinstance(event.option, ArticleOption):
            self._preview(event.option.article)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """``enter`` on a row opens the article."""
        if isinstance(event.option_list, ListPane):
            self.action_open_article()

    # -- the article -----------------------------------------------------------------------------
    def _show_article(self, article: Article | None) -> None:
        self._save_unsaved_position()
        if (article is None) != (self._shown is None):
            self.refresh_bindings()  # footer keys that need an article (re-lays out the footer)
        self._shown = article
        self._end_seen = None
        self._update_window_title()
        self.idle_collector.note_activity()
        if article is None:
            self._quotations = []
            self._shown_highlights = []
            self.article_view.clear()
            self.quote_pane.clear()
            return
        markdown = self.library.body(article.id)
        if markdown is None and article.unfetched:
            markdown = unfetched_notice(article)
        highlights = self.library.highlights(article.id)
        self._shown_highlights = highlights
        # The start snapshot may have the start of this text parsed (the first screen).
        head = None
        if self._pending is not None and markdown is not None:
            head = self._pending.snapshot.head_for(article.id, markdown)
        self.article_view.show(article, markdown, highlights, article.position, head=head)
        # The quote pane follows in a later frame (``_fill_quote_pane``): its quotations
        # are found once the text is laid out, unless they were found before.
        self._quotations = self._quotations_seen.get((article.id, article.content_hash), [])
        self.quote_pane.forget()
        article_id = article.id
        after_input(self, lambda: self._fill_quote_pane(article_id))

    def _fill_quote_pane(self, article_id: str) -> None:
        """(A frame after the article.) The shown article's highlights, and its quotations
        when its text is laid out (else they come with ``ArticleView.Ready``)."""
        if self._shown is None or self._shown.id != article_id:
            return  # another article is shown by now
        if self.article_view.ready and not self._quotations:
            self._find_quotations(article_id)
        self.quote_pane.show(self._shown_highlights, self._quotations)

    def on_article_view_ready(self, event: ArticleView.Ready) -> None:
        """The article is laid out: find its quotations for the quote pane, after the
        frame that shows the text and the keys pressed meanwhile (``after_input``)."""
        article_id = event.article_id
        after_input(self, lambda: self._find_quotations(article_id))

    def _find_quotations(self, article_id: str) -> None:
        if self._shown is None or self._shown.id != article_id or self._quotations:
            return  # another article is shown by now, or this one's are found
        key = (article_id, self._shown.content_hash)
        found = self._quotations_seen.get(key)
        if found is None:
            from reader.quotes import find_quotations

            found = find_quotations(self.article_view.paragraphs)
            self._quotations_seen.set(key, found)
        self._quotations = found
        self.quote_pane.show(self._shown_highlights, self._quotations)

    def _refresh_highlights(self, *, keep: int | None = None, select: str | None = None) -> None:
        """Show the shown article's highlights again (article marks and quote pane)."""
        article = self._shown
        if article is None:
            return
        highlights = self.library.highlights(article.id)
        self._shown_highlights = highlights
        self.article_view.set_highlights(highlights)
        self.quote_pane.show(highlights, self._quotations, keep=keep)
        if select is not None:
            self.quote_pane.select_highlight(select)
        fresh = self.view.get(article.id)
        if fresh is not None:
            with contextlib.suppress(ReaderError):
                self._article_changed(self.library.get(article.id))

    def on_article_view_position_changed(self, event: ArticleView.PositionChanged) -> None:
        """Save the reading position (the view posts it once scrolling settles)."""
        article = self.view.get(event.article_id)
        if article is None or abs(article.position - event.progress) < 1e-4:
            return
        self._article_changed(self.library.set_position(article.id, float(event.progress)))

    def _article_opened(self) -> bool:
        """The user is reading the shown article, not just previewing it from the list."""
        view = self.article_view
        return view.has_focus or view.scroll_y > 0

    def on_article_view_reached_end(self, event: ArticleView.ReachedEnd) -> None:
        """Reading to the end of an opened article marks it read (see the module doc)."""
        if self._article_opened():
            self._mark_read(event.article_id)
        else:
            self._end_seen = event.article_id

    def _mark_read(self, article_id: str) -> None:
        self._end_seen = None
        article = self.view.get(article_id)
        if article is not None and not article.read:
            self._article_changed(self.library.set_read(article.id, True))

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        """The footer shows "cancel selection" only while there is one."""
        self.refresh_bindings()

    def on_quote_pane_jump(self, event: QuotePane.Jump) -> None:
        """Scroll the article to the chosen highlight or quotation."""
        self.article_view.scroll_to_paragraph(event.paragraph, event.start)
        if self.size.width < NARROW:
            self._focus_pane("article")

    def _current(self) -> Article | None:
        current_id = self.list_pane.current_id
        return self.view.get(current_id) if current_id else None

    # -- actions ------------------------------------------------------------------------------------
    def action_open_article(self) -> None:
        """Open the article under the cursor: focus the article pane."""
        article = self._current()
        if article is not None:
            self._focus_pane("article")
            if article.id != self._last_article:  # written after the frame
                article_id = article.id
                after_input(self, lambda: self._remember_last_article(article_id))

    async def action_back(self) -> None:
        """Back to the list; on the list, clear the filter."""
        if self._current_pane != "list" or self.focused is self.filter_bar:
            self.filter_bar.close()
            self._focus_pane("list")
        elif self.view.query_text:
            self._set_query("")

    def _move(self, step: int) -> None:
        pane = self.list_pane
        if pane.option_count == 0:
            return
        current = pane.highlighted if pane.highlighted is not None else 0
        pane.highlighted = max(0, min(pane.option_count - 1, current + step))

    def action_next_article(self) -> None:
        """Show the next article in the list."""
        self._move(1)

    def action_previous_article(self) -> None:
        """Show the previous article in the list."""
        self._move(-1)

    def action_toggle_bookmark(self) -> None:
        """Bookmark or un-bookmark the current article."""
        article = self._current()
        if article is not None:
            self._article_changed(self.library.set_bookmarked(article.id, not article.bookmarked))

    def action_toggle_read(self) -> None:
        """Mark the current article read or unread."""
        article = self._current()
        if article is not None:
            self._article_changed(self.library.set_read(article.id, not article.read))

    def action_edit_tags(self) -> None:
        """Open the tag editor for the current article."""
        article = self._current()
        if article is None:
            return

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != article.tags:
                self._article_changed(self.library.set_tags(article.id, tags))

        from reader.tui.dialogs.tags import TagEditor

        self.push_screen(TagEditor(article.title, article.tags, self.library.all_tags()), done)

    def action_tag_filter(self) -> None:
        """Choose tags to filter by."""

        def done(tags: list[str] | None) -> None:
            if tags is not None:
                self._set_query(replace_tag_terms(self.view.query_text, tags))

        counts = self.library.all_tags()
        from reader.tui.dialogs.tag_filter import TagFilter
        from reader.tui.library_view import replace_tag_terms, tag_terms

        self.push_screen(TagFilter(counts, tag_terms(self.view.query_text)), done)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is a priority key (it must move the focus before the keys typed after it
        are handed out); it still types a ``/`` into an input or a dialog."""
        busy = isinstance(self.focused, Input) or len(self.screen_stack) > 1
        return not (action == "filter" and busy)

    def action_filter(self) -> None:
        """Open the filter bar."""
        self.filter_bar.open(self.view.query_text)

    def _set_query(self, text: str, *, typing: bool = False) -> None:
        self.idle_collector.note_activity()
        self.view.set_query(text)
        self._show_rows(typing=typing)

    def on_filter_bar_query_changed(self, event: FilterBar.QueryChanged) -> None:
        """Filter as the user types."""
        self._set_query(event.text, typing=True)

    def on_filter_bar_query_done(self, event: FilterBar.QueryDone) -> None:
        """Keep the filter and go back to the list."""
        self.filter_bar.close()
        self._update_titles()
        if not self.view.rows:
            self._show_article(None)
        self._focus_pane("list")

    def on_filter_bar_query_cancelled(self, event: FilterBar.QueryCancelled) -> None:
        """Clear the filter and go back to the list."""
        self.filter_bar.close()
        self._set_query("")
        self._focus_pane("list")

    def action_cycle_sort(self) -> None:
        """Sort by the next order; remembered in the library's settings."""
        sort = self.view.cycle_sort()
        self.library.set_setting("sort", sort)
        self._show_rows()
        self.notify(f"Sorted by {SORT_LABELS[sort]}", timeout=2)

    def action_open_url(self) -> None:
        """Open the article's web address (http and https only) in the browser."""
        article = self._current()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no web address", severity="warning")
        elif not is_web_url(article.url):
            self.notify("Not a web address: only http and https open", severity="warning")
        else:
            import webbrowser  # loaded on first use: start-up stays quick

            webbrowser.open(article.url.strip())
            self.notify("Opened in the browser", timeout=2)

    # -- highlights ---------------------------------------------------------------------------
    def action_start_selection(self) -> None:
        """Open the article and select the sentence at the top of the view."""
        if self._shown is None:
            return
        if not self.article_view.has_focus:
            self._focus_pane("article")
        self.article_view.start_selection()

    def _quote_entry(self) -> QuoteEntry | None:
        """The quote-pane entry under the cursor when the quote pane has the focus."""
        return self.quote_pane.current if self.focused is self.quote_pane else None

    def action_highlight(self) -> None:
        """Keep the selection (or the quotation under the quote-pane cursor) as a highlight,
        after asking for an optional note."""
        article = self._shown
        if article is None:
            return
        entry = self._quote_entry()
        if entry is not None:
            if entry.kind == "highlight":
                self.notify("That is already a highlight", timeout=3)
                return
            anchor: tuple[int | None, int, int, str] | None = (
                entry.paragraph,
                entry.start,
                entry.end,
                entry.text,
            )
        else:
            anchor = self.article_view.selection
        if anchor is None:
            self.notify(
                "Nothing selected: press v in the article (or drag with the mouse), then h",
                timeout=4,
            )
            return
        paragraph, start, end, text = anchor

        def done(note: str | None) -> None:
            if note is None:
                self.notify("Highlight cancelled", timeout=2)
                return
            try:
                highlight = self.library.add_highlight(
                    article.id,
                    text,
                    note=note or None,
                    paragraph=paragraph,
                    start=start,
                    end=end,
                )
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            if entry is None:
                self.article_view.cancel_selection()
            if self._shown is not None and self._shown.id == article.id:
                self._refresh_highlights(select=highlight.id)
            self.notify("Highlight saved" + (" with a note" if note else ""), timeout=2)

        from reader.tui.dialogs.note_confirm import NoteDialog

        self.push_screen(NoteDialog(text), done)

    def _highlight_entry(self) -> QuoteEntry | None:
        entry = self._quote_entry()
        if entry is None or entry.kind != "highlight" or entry.highlight_id is None:
            self.notify("Put the quote-pane cursor on a highlight first", timeout=3)
            return None
        return entry

    def action_delete_highlight(self) -> None:
        """Delete the highlight under the quote-pane cursor, after asking."""
        entry = self._highlight_entry()
        if entry is None or entry.highlight_id is None:
            return
        hid = entry.highlight_id
        index = self.quote_pane.highlighted

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.library.remove_highlight(hid)
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            self._refresh_highlights(keep=index)
            self.notify("Highlight deleted", timeout=2)

        from reader.tui.dialogs.note_confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog("Delete this highlight?", entry.text, title="Delete highlight"), done
        )

    def action_edit_note(self) -> None:
        """Edit the note of the highlight under the quote-pane cursor."""
        entry = self._highlight_entry()
        if entry is None or entry.highlight_id is None:
            return
        hid = entry.highlight_id

        def done(note: str | None) -> None:
            if note is None:
                return
            try:
                self.library.set_highlight_note(hid, note or None)
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            self._refresh_highlights(select=hid)
            self.notify("Note saved" if note else "Note removed", timeout=2)

        from reader.tui.dialogs.note_confirm import NoteDialog

        self.push_screen(NoteDialog(entry.text, entry.note or "", title="Note"), done)

    def action_next_highlight(self) -> None:
        """Scroll the article to the next highlight."""
        self.article_view.next_highlight()

    def action_prev_highlight(self) -> None:
        """Scroll the article to the previous highlight."""
        self.article_view.prev_highlight()

    def action_export(self) -> None:
        """Ask how to export the highlights, then write the export."""
        from reader.tui.dialogs.export import ExportDialog

        dialog = ExportDialog(
            fmt=self.config.export_format,
            folder=self.config.export_folder,
            has_article=self._shown is not None,
        )
        self.push_screen(dialog, self._export)

    def _export(self, choice: ExportChoice | None) -> None:
        """Gather the highlights here, then write them in a thread: an Obsidian folder of
        10,000 notes takes seconds, and the reader stays usable meanwhile."""
        if choice is None:
            return
        from reader.highlights.service import export_items

        try:
            if choice.scope == "article" and self._shown is not None:
                items = export_items(self.library, article_ids=[self._shown.id])
            elif choice.scope == "bookmarked":
                items = export_items(self.library, bookmarked=True)
            else:
                items = export_items(self.library)
        except (ReaderError, OSError, ValueError) as err:
            self._export_failed(err)
            return
        count = sum(len(highlights) for _, highlights in items)
        if count > EXPORT_NOTICE_AT:
            self.notify(f"Exporting {count} highlight(s)…", timeout=3, markup=False)
        self.run_worker(
            lambda: self._write_export(choice, items, count), thread=True, group="export"
        )

    def _write_export(self, choice: ExportChoice, items: list[ExportItem], count: int) -> None:
        """(A worker thread.) Write the export and say how it went (unless the app has
        quit meanwhile: what was written stays, whole)."""
        from reader.highlights.service import write_export

        try:
            path = write_export(choice.fmt, items, Path(choice.path))
        except (ReaderError, OSError, ValueError) as err:
            with contextlib.suppress(RuntimeError):  # the app is no longer running
                self.call_from_thread(self._export_failed, err)
            return
        message = f"Exported {count} highlight(s) from {len(items)} article(s) to {path}"
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.notify, clean_line(message), timeout=6, markup=False)

    def _export_failed(self, err: Exception) -> None:
        self.notify(clean_line(f"Export failed: {err}"), severity="error", timeout=8, markup=False)

    def action_copy(self) -> None:
        """Copy the quote-pane entry, else the selection, else the article's web address."""
        from reader.tui.dialogs.note_confirm import short_quote

        entry = self._quote_entry()
        selection = self.article_view.selection
        if entry is not None:
            text, what = entry.text, entry.kind if entry.kind == "highlight" else "quotation"
        elif selection is not None:
            text, what = selection[3], "selection"
        elif self._shown is not None and self._shown.url and clean_line(self._shown.url):
            text, what = clean_line(self._shown.url), "web address"
        else:
            self.notify("Nothing to copy", timeout=2)
            return
        self.copy_to_clipboard(text)
        self.notify(f"Copied {what}: “{short_quote(text, 60)}”", timeout=3, markup=False)

    def action_help(self) -> None:
        """Show every key."""
        from reader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(ArticleView.BINDINGS))

    def action_reload(self) -> None:
        """Re-read the library file now."""
        changed = self._reload()
        self.notify(f"Reloaded: {self.view.total} articles" if changed else "Up to date")

    def _reload(self) -> bool:
        if not self.view.refresh():
            return False
        self._index_in_background()
        self._show_rows()
        if self._shown is not None:
            fresh = self.view.get(self._shown.id)
            if fresh is None:
                self._show_article(None)
            else:
                self._shown = fresh
        return True

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Pick up articles added in another terminal."""
        self._reload()


async def save_screenshot(library: Library, path: Path, size: tuple[int, int] = (120, 40)) -> None:
    """Run the app headless on ``library`` and save an SVG screenshot to ``path``."""
    app = ReaderApp(library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        path.write_text(app.export_screenshot(title="reader"), encoding="utf-8")
