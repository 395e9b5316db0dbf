"""``reader show``: the deck under the title; on a terminal the Markdown rendered at the
terminal's width with links as text, piped the stored Markdown as it is; article text
never reaches the terminal as escapes or markup (a pty read as a terminal reads it)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from reader.cli import cli
from reader.models import ParsedArticle
from reader.store import Library

LONG_LINE = (
    "The ferry to the outer islands now leaves at seven instead of six, and the harbour "
    "office says the later start gives the crew time to load the post, the bread and the "
    "newspapers without running along the quay with their arms full."
)
BODY = f"""Opening words of the story, with a [link to the timetable](https://timetable.example/very/long/address?with=query).

## What changes

{LONG_LINE}

- the first sailing moves to seven
- the last sailing stays at nine

Markup from the page stays text: [bold red]not bold[/bold red] and [link=x]y[/link].
"""
DECK = "The first boat of the day sails an hour later from Monday."


@pytest.fixture
def article(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "lib.json"
    with Library(db) as library:
        parsed = ParsedArticle(
            title="Ferry timetable changes for winter",
            markdown=BODY,
            summary=DECK,
            url="https://harbour.example/ferry",
            site="Harbour Post",
        )
        return db, library.add_parsed(parsed).article.id


def run_in_terminal(args: list[str], columns: int = 80) -> bytes:
    """Run ``reader ARGS`` on a pseudo-terminal ``columns`` wide; everything it wrote."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *args], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks)


def visible_lines(raw: bytes) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8"))
    return text.replace("\r\n", "\n").split("\n")


def test_show_on_a_terminal_renders_the_markdown_at_its_width(
    article: tuple[Path, str],
) -> None:
    db, aid = article
    raw = run_in_terminal(["--db", str(db), "show", aid], columns=80)
    assert b"\x1b]8;" not in raw  # no hyperlink escapes carrying the article's addresses
    lines = visible_lines(raw)
    assert lines[0].strip() == "Ferry timetable changes for winter"
    assert lines[1].strip() == DECK
    text = "\n".join(lines)
    assert "link to the timetable" in text and "timetable.example" not in text
    assert "## What changes" not in text and "What changes" in text
    assert "- the first sailing" not in text and "the first sailing moves to seven" in text
    assert "[bold red]not bold[/bold red]" in text and "[link=x]y[/link]" in text
    assert max(cell_len(line) for line in lines) <= 80
    assert LONG_LINE not in text  # wrapped to the terminal


def test_show_piped_keeps_the_markdown(article: tuple[Path, str]) -> None:
    db, aid = article
    result = CliRunner().invoke(cli, ["--db", str(db), "show", aid])
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[:2] == ["Ferry timetable changes for winter", DECK]
    assert result.stdout.endswith("\n\n" + BODY)  # the stored Markdown, unwrapped
    assert "\x1b" not in result.stdout


def test_show_never_passes_escapes_from_a_body_file(article: tuple[Path, str]) -> None:
    db, aid = article
    body_file = db.with_name("lib.bodies") / f"{aid}.md"
    body_file.write_text(
        BODY + "\nEvil \x1b]0;pwned\x07 title and \x1b[2J a cleared screen.\n", encoding="utf-8"
    )
    raw = run_in_terminal(["--db", str(db), "show", aid])
    assert b"\x1b]0;" not in raw and b"\x1b[2J" not in raw and b"\x07" not in raw
    assert b"pwned" in raw
    piped = CliRunner().invoke(cli, ["--db", str(db), "show", aid]).stdout
    assert "\x1b" not in piped and "\x07" not in piped
