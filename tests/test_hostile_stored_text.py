"""Stored text is cleaned when it is read back (issue 19, class 1).

A library file written by another program (a sync, an editor, an attacker) holds
arbitrary code points in every text field, raw or as JSON escapes. Every command's
output, every export and the reader's first screen must carry none of the unsafe
characters (``reader.sanitize``): no ESC, no C1 control, no bidi or zero-width mark.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import cli
from reader.sanitize import (
    UNSAFE_CATEGORIES,
    UNSAFE_RANGES,
    bytes_may_be_unsafe,
    clean_text,
    clean_tree,
    escape_unsafe_json,
    text_is_clean,
)

UNSAFE_POINTS = [p for a, b in UNSAFE_RANGES for p in range(a, b + 1)]
# Escape sequences a terminal would act on: titles, clipboard, screen clear, links, CSI.
SEQUENCES = [
    "\x1b]2;PWNTITLE\x1b\\",
    "\x1b]0;PWNTITLE\x07",
    "\x1b]52;c;UFdOQ0xJUA==\x07",
    "\x1b[2J\x1b[H",
    "\x1b]8;;http://evil.test/\x1b\\PWNLINK\x1b]8;;\x1b\\",
    "\x9b31mPWNC1",
    "\u202ePWNBIDI\u202c",
    "\x1bP+q\x1b\\",
]
ARTICLE_ID = "abcd1234"
HIGHLIGHT_ID = "feed0001"
# Outputs allowed to hold tab, newline and carriage return (CSV line ends), nothing else.
_ALLOWED = {"\t", "\n", "\r"}
_UNSAFE_OUT = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in UNSAFE_RANGES) + "]"
)


def injected(data: bytes) -> list[str]:
    """The unsafe characters in output bytes (empty: none was injected)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [f"not UTF-8: {err}"]
    return [
        f"U+{ord(m.group()):04X}" for m in _UNSAFE_OUT.finditer(text) if m.group() not in _ALLOWED
    ]


def write_foreign_library(folder: Path, text: str, *, ascii_escapes: bool) -> Path:
    """A library file as another program might write it: ``text`` in every text field."""
    db = folder / "lib.json"
    article = {
        "title": f"T {text}",
        "author": text,
        "site": text,
        "url": f"https://example.org/{text}",
        "source_path": text,
        "published": text,
        "added": "2024-01-01T00:00:00Z",
        "summary": text,
        "word_count": 3,
        "reading_minutes": 1,
        "tags": [text, f"t{text}"],
        "bookmarked": False,
        "read": False,
        "position": 0.0,
        "content_hash": text,
        "highlight_count": 1,
        "unfetched": False,
    }
    highlight = {
        "article_id": ARTICLE_ID,
        "text": f"Body {text}",
        "note": f"note {text}",
        "color": text,
        "created": text,
        "paragraph": 0,
        "start": 0,
        "end": 4,
    }
    data = {
        "_meta": {"schema": {"version": 1}},
        "articles": {ARTICLE_ID: article},
        "highlights": {HIGHLIGHT_ID: highlight},
        "settings": {"last_article": {"value": ARTICLE_ID}, "theme": {"value": text}},
        "feeds": {"f1": {"url": text, "title": text}},
    }
    db.write_bytes(json.dumps(data, ensure_ascii=ascii_escapes).encode("utf-8"))
    bodies = folder / "lib.bodies"
    bodies.mkdir(exist_ok=True)
    (bodies / f"{ARTICLE_ID}.md").write_text(f"Body {text}\n\nMore {text}.\n", encoding="utf-8")
    return db


COMMANDS: list[tuple[str, ...]] = [
    ("list",),
    ("list", "--json"),
    ("show", ARTICLE_ID),
    ("show", ARTICLE_ID, "--json"),
    ("highlights",),
    ("highlights", "--json"),
    ("export", "--format", "json"),
    ("export", "--format", "csv"),
    ("export", "--format", "markdown"),
    ("feeds",),
    ("feeds", "--json"),
]


def check_every_output(db: Path, vault: Path) -> int:
    """Run every command over ``db`` and check its bytes; returns how many were checked."""
    runner = CliRunner()
    checked = 0
    for args in COMMANDS:
        result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stderr)
        for stream in (result.stdout_bytes, result.stderr_bytes):
            assert not injected(stream), (args, injected(stream), stream[:400])
        if args[-1] == "--json" or args[-1] == "json":
            json.loads(result.stdout_bytes)  # still valid JSON, the escapes included
        checked += 1
    result = runner.invoke(
        cli, ["--db", str(db), "export", "--format", "obsidian", "--out", str(vault)]
    )
    assert result.exit_code == 0, result.stderr
    for note in vault.iterdir():
        assert not injected(note.read_bytes()), note
        assert not injected(note.name.encode()), note
    return checked + 1


def every_unsafe_point_text() -> str:
    return "".join(f"a{chr(p)}" for p in UNSAFE_POINTS if chr(p) not in "\t\n")


@pytest.mark.parametrize("ascii_escapes", [False, True], ids=["raw", "escaped"])
def test_every_unsafe_code_point_in_every_field_reaches_no_output(
    tmp_path: Path, ascii_escapes: bool, record_property
) -> None:  # type: ignore[no-untyped-def]
    """Each of the unsafe code points, written raw or as JSON escapes into every text
    field of an article, a highlight, a setting, a feed and a body: 0 reach any output."""
    text = every_unsafe_point_text() + "".join(SEQUENCES)
    db = write_foreign_library(tmp_path, text, ascii_escapes=ascii_escapes)
    outputs = check_every_output(db, tmp_path / "vault")
    figure = f"{len(UNSAFE_POINTS)} unsafe code points x {outputs} outputs, 0 injected"
    print(figure)
    record_property("stored_text_figure", figure)


# What a foreign library file may hold in a text field: escape sequences, unsafe code
# points and any other character, mixed.
STORED_TEXT = st.lists(
    st.one_of(
        st.sampled_from(SEQUENCES),
        st.sampled_from([chr(p) for p in UNSAFE_POINTS]),
        st.characters(exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=STORED_TEXT,
    ascii_escapes=st.booleans(),
)
def test_arbitrary_stored_text_reaches_no_output(
    tmp_path_factory: pytest.TempPathFactory, text: str, ascii_escapes: bool
) -> None:
    """Property: whatever code points a foreign library file holds in its text fields,
    no command output and no export carries an unsafe character."""
    folder = tmp_path_factory.mktemp("prop")
    db = write_foreign_library(folder, text, ascii_escapes=ascii_escapes)
    check_every_output(db, folder / "vault")


def test_the_unsafe_set_is_every_control_format_and_separator_character() -> None:
    import sys

    computed = [
        p for p in range(sys.maxunicode + 1) if unicodedata.category(chr(p)) in UNSAFE_CATEGORIES
    ]
    assert computed == UNSAFE_POINTS


def test_the_byte_check_never_misses_an_unsafe_character() -> None:
    """``bytes_may_be_unsafe`` gates the cleaning of stored data: it must see every unsafe
    character, raw or escaped, and not flag plain text."""
    for point in UNSAFE_POINTS:
        if chr(point) in "\t\n":  # kept in text (a one-line field's check drops them)
            continue
        for ascii_escapes in (False, True):
            raw = json.dumps({"t": f"x{chr(point)}y"}, ensure_ascii=ascii_escapes).encode()
            assert bytes_may_be_unsafe(raw), hex(point)
        assert not text_is_clean(f"a{chr(point)}b"), hex(point)
    for text in ("plain", "tab\tand\nnewline", "caf\u00e9 \u201cq\u201d \u2014 \U0001f600"):
        assert not bytes_may_be_unsafe(json.dumps({"t": text}, ensure_ascii=False).encode())
    assert not bytes_may_be_unsafe('x = "caf\u00e9"\n'.encode())  # TOML


def test_cleaners_make_text_safe_and_writable() -> None:
    assert clean_text("a\x1b]52;c;x\x07b\u00adc\U000e0041d") == "a]52;c;xbcd"
    assert clean_text("caf\udce9") == "caf\ufffd"  # a file name's undecodable byte
    tree = clean_tree({"k\x1b": ["v\x9b", {"n": "\u202ex"}], "n": 5})
    assert tree == {"k": ["v", {"n": "x"}], "n": 5}
    escaped = escape_unsafe_json(json.dumps({"t": "a\x9b\u202e\U000e0041"}, ensure_ascii=False))
    assert json.loads(escaped) == {"t": "a\x9b\u202e\U000e0041"}
    assert not injected(escaped.encode())


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=STORED_TEXT,
    ascii_escapes=st.booleans(),
)
def test_arbitrary_stored_text_reaches_no_screen(
    tmp_path_factory: pytest.TempPathFactory, text: str, ascii_escapes: bool
) -> None:
    """Property: the reader's first screen, and the article opened with its highlight,
    hold no unsafe character, whatever the library file holds (what the terminal is sent
    is checked in a pty by test_promises.test_stored_text_is_cleaned_when_read_back)."""
    import asyncio
    import os

    from reader.store import Library
    from reader.tui.app import ReaderApp

    folder = tmp_path_factory.mktemp("screen")
    db = write_foreign_library(folder, text, ascii_escapes=ascii_escapes)
    os.environ["READER_CONFIG_DIR"] = str(folder / "config")

    async def screens() -> list[str]:
        app = ReaderApp(Library(db))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            first = app.export_screenshot()
            await pilot.press("enter", "tab")
            await pilot.pause()
            return [first, app.export_screenshot()]

    try:
        for svg in asyncio.run(screens()):
            assert not injected(svg.encode()), injected(svg.encode())
    finally:
        del os.environ["READER_CONFIG_DIR"]
