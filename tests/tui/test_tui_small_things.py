"""Pilot tests of the app's smaller promises: config at start, key overrides, the header
title, saving the position and the last article, marking read only once opened, and
hostile article content kept away from the terminal (headless and in a real pty)."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
from test_tui_support import ARTICLES, ids_by_title, recording

import reader.tui.widgets.article.position as article_view_module
from reader.models import ParsedArticle
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.widgets.article.view import ArticleView

SIZE = (120, 40)
TRAM = ARTICLES[0][0]  # the longest, last in the list


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("READER_CONFIG_DIR", str(folder))
    return folder


# -- config ---------------------------------------------------------------------------------
async def test_config_theme_sort_and_width_are_applied(lib_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'theme = "textual-light"\nsort = "title"\ntext_width = 48\n', encoding="utf-8"
    )
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert app.view.sort == "title"
        assert app.query_one(ArticleView).measure == 48
        titles = [a.title for a in app.view.rows]
        assert titles != [a[0] for a in reversed(ARTICLES)]  # not the default (newest first)
        assert titles.index("Aardvark lighthouse relit after forty years") < titles.index(
            "Central bank holds rates steady"
        )


async def test_a_theme_chosen_in_the_app_beats_the_config(lib_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('theme = "textual-light"\n', encoding="utf-8")
    Library(lib_path).set_setting("theme", "nord")
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_a_bad_config_is_a_notification_not_a_crash(lib_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'theme = "no-such-theme"\ntext_width = "wide"\n[keys]\nfly_away = "z"\n',
        encoding="utf-8",
    )
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter", "j")
        assert app.is_running
        assert app.query_one(ArticleView).measure == 80
    assert any("text_width" in m for m in messages)
    assert any("no-such-theme" in m for m in messages)
    assert any("fly_away" in m for m in messages)
    assert all("\n" not in m for m in messages)


async def test_unreadable_toml_is_one_notification(lib_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text("theme = [unclosed\n", encoding="utf-8")
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert app.is_running
    assert any("not valid TOML" in m for m in messages)


async def test_keymap_from_config_rebinds_bookmark(lib_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('[keys]\ntoggle_bookmark = "B"\n', encoding="utf-8")
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        newest = ids_by_title(Library(lib_path))[ARTICLES[3][0]]
        assert not Library(lib_path).get(newest).bookmarked  # b is no longer the key
        await pilot.press("B")
        assert Library(lib_path).get(newest).bookmarked


# -- title, position, last article, read --------------------------------------------------
async def test_header_title_is_the_article_cleaned(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib.json")
    library.add_parsed(
        ParsedArticle(title="Evil\x1b]0;pwned\x07 title [b]x[/b]", markdown="Some text.")
    )
    app = ReaderApp(Library(library.path), library_label="mine")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Evil" in app.title and "mine" in app.sub_title
        assert "[b]x[/b]" in app.title
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in app.title)


async def test_position_is_saved_on_switch_and_quit_before_the_debounce(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_view_module, "POSITION_DEBOUNCE_SECONDS", 3600)
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j", "enter", "space", "space")
        scrolled = app.query_one(ArticleView).progress
        assert scrolled > 0
        await pilot.press("p")  # another article: the tram position is saved now
        tram = ids_by_title(Library(lib_path))[TRAM]
        assert Library(lib_path).get(tram).position == pytest.approx(scrolled, abs=0.01)
        await pilot.press("space")  # scroll this one, then quit at once
        other = app.query_one(ArticleView).article
        assert other is not None
        other_progress = app.query_one(ArticleView).progress
        assert other_progress > 0
    assert Library(lib_path).get(other.id).position == pytest.approx(other_progress, abs=0.01)


async def test_the_last_article_shown_is_where_the_next_start_begins(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")
    expected = ARTICLES[1][0]
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        article = app.query_one(ArticleView).article
        assert article is not None and article.title == expected


async def test_a_short_article_is_marked_read_when_opened_not_when_previewed(
    lib_path: Path,
) -> None:
    library = Library(lib_path)
    short = library.add_parsed(ParsedArticle(title="Short note", markdown="Fits on a screen."))
    library.update(short.article.id, added="2026-02-01T00:00:00Z")
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.id == short.article.id
        assert view.end_visible
        await pilot.pause()
        assert not Library(lib_path).get(short.article.id).read  # only previewed
        await pilot.press("enter")
        await pilot.pause()
        assert Library(lib_path).get(short.article.id).read


# -- hostile content ---------------------------------------------------------------------------
PAYLOADS = (
    "\x1b[31mREDTEXT",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;aGk=\x07",
    "\x9b2J",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/link]",
)


def hostile_library(path: Path) -> Library:
    library = Library(path)
    body = "Start. " + " ".join(f"Bad {p} here." for p in PAYLOADS) + "\n\nSecond paragraph."
    title = "Hostile " + " ".join(PAYLOADS)
    result = library.add_parsed(ParsedArticle(title=title, markdown=body, url="https://x.test/"))
    library.update(result.article.id, added="2030-01-01T00:00:00Z")
    return library


async def test_hostile_content_shows_literally_and_the_app_keeps_running(tmp_path: Path) -> None:
    library = hostile_library(tmp_path / "lib.json")
    app = ReaderApp(Library(library.path))
    app.copy_to_clipboard = lambda text: None  # type: ignore[method-assign]
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("enter", "j", "v", "j", "y", "escape", "tab", "down", "enter")
        await pilot.press("tab", "tab", "e", "escape", "question_mark", "escape")
        await pilot.pause()
        assert app.is_running
        view = app.query_one(ArticleView)
        rows = "".join(view.render_line(y).text for y in range(view.size.height))
        svg = app.export_screenshot()
    assert "[@click=app.quit]x[/]" in rows
    assert "[link=file:///etc/passwd]x[/link]" in rows
    assert "[@click=app.quit]x[/]" in svg
    assert "[link=file:///etc/passwd]x[/link]" in svg
    for text in (rows, svg):
        assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in text)


def _read_available(fd: int, seconds: float) -> bytes:
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_no_escape_from_content_reaches_a_real_terminal(tmp_path: Path) -> None:
    import fcntl
    import termios

    lib = tmp_path / "lib.json"
    hostile_library(lib).close()
    reader_bin = Path(sys.executable).parent / "reader"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "COLUMNS": "160",
        "LINES": "50",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: a 160x50 terminal running the reader
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        os.execve(str(reader_bin), [str(reader_bin), "--db", str(lib)], env)
    try:
        out = _read_available(fd, 3.0)
        for key in (b"\r", b"j", b"\t", b"j", b"y"):  # open, move, quote pane, copy
            os.write(fd, key)
            out += _read_available(fd, 0.3)
        os.write(fd, b"q")
        out += _read_available(fd, 3.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    text = out.decode("utf-8", errors="replace")
    assert "Hostile" in text  # the article was drawn
    assert "]0;pwned" in text  # its words show, as plain text ...
    assert "\x1b]0;pwned" not in text  # ... never as a sequence
    assert "\x1b]52;c;aGk=" not in text
    assert "\x1b[31mREDTEXT" not in text
    assert "\x9b" not in text  # no C1 control character at all
    # the window title names the article, cleaned: its payload holds no control character
    titles = [part.split("\x07", 1)[0] for part in text.split("\x1b]2;")[1:]]
    assert titles and any("Hostile" in title for title in titles)
    assert not any(ch < " " for title in titles for ch in title)
    assert "\x1b]8;" not in text or "file:///etc/passwd" not in text.split("\x1b]8;", 1)[1][:80]


def _start_in_a_pty(lib: Path, config_dir: Path) -> tuple[int, int]:
    """``reader --db lib`` on a new 120x40 pseudo-terminal: (its pid, the terminal's fd)."""
    import fcntl
    import termios

    reader_bin = Path(sys.executable).parent / "reader"
    env = {**os.environ, "TERM": "xterm-256color", "READER_CONFIG_DIR": str(config_dir)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader on its own terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(str(reader_bin), [str(reader_bin), "--db", str(lib)], env)
    return pid, fd


def _exit_status_within(pid: int, seconds: float) -> int | None:
    """The process's exit status once it ends, or None if still running after ``seconds``
    (then it is killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("how", ["window closed", "SIGTERM"])
@pytest.mark.slow
def test_a_session_ended_by_its_terminal_or_a_kill_saves_what_q_saves(
    lib_path: Path, config_dir: Path, how: str
) -> None:
    """Closing the terminal window (the kernel sends SIGHUP) or ``kill`` (SIGTERM) saves
    the last article and the start snapshot as quitting does; by default both signals
    ended the process on the spot, and the next start had no snapshot to draw from."""
    from reader.startup.snapshot import read_start_snapshot

    pid, fd = _start_in_a_pty(lib_path, config_dir)
    try:
        screen = _read_available(fd, 3.0)
        assert ARTICLES[3][0].encode() in screen  # drawn: the newest article is shown
        os.write(fd, b"jj")  # the third row: the article added second
        screen += _read_available(fd, 1.0)
        if how == "window closed":
            os.close(fd)
            fd = -1
        else:
            os.kill(pid, signal.SIGTERM)
            screen += _read_available(fd, 2.0)
        status = _exit_status_within(pid, 10.0)
    finally:
        if fd >= 0:
            os.close(fd)
    assert status is not None, "still running: the session did not end"
    with Library(lib_path) as lib:
        second = ids_by_title(lib)[ARTICLES[1][0]]
        assert lib.get_setting("last_article") == second
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None and snapshot.cursor == second  # the next start is quick
    if how == "SIGTERM":
        assert os.waitstatus_to_exitcode(status) == 0
        assert b"\x1b[?1049l" in screen  # the terminal got its own screen back


async def test_keymap_and_palette_reach_the_apps_and_the_screens_actions(
    lib_path: Path, config_dir: Path
) -> None:
    """``quit`` runs on the app, ``toggle_quotes`` on the main screen: a ``[keys]`` entry
    rebinds the first, the palette runs the second."""
    (config_dir / "config.toml").write_text('[keys]\nquit = "Q"\n', encoding="utf-8")
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        panes = app.main_screen.query_one("#panes")
        assert not panes.has_class("-no-quotes")
        await pilot.press("ctrl+p")
        await pilot.press(*"Quotes (")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert panes.has_class("-no-quotes")
        await pilot.press("q")
        assert app.is_running  # q is no longer the key
        await pilot.press("Q")
        await pilot.pause()
        assert not app.is_running
