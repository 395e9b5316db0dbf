"""What reader promises about your data and about untrusted article content.

Read this file as a list of promises; each test's docstring states one. They run the
real ``reader`` command in subprocesses (``python -m reader``) over files in a temporary
folder, the way a user would.

1. Crash safety: ``kill -9`` at any moment of an import, of a burst of writes or of an
   export never damages the library, and every change reported done is there afterwards.
   Rolling backups exist and ``reader restore`` brings one back.
2. Several processes at once never lose each other's writes.
3. A damaged or foreign library file is refused with one clear line and left untouched.
4. Article content is data: no escape sequence, control character, bidi override or
   markup from an article ever reaches the terminal, a file name or a spreadsheet formula.
5. Hostile files and a hostile machine: stored text is cleaned when read back, crafted
   text makes nothing hang, the size limits bound the work, a killed import leaves no
   worker, names that are not UTF-8 and special files are handled, bad record values are
   repaired, the journal tells a torn write from damage, and the machine's faults (disk
   full, read-only, a folder in the way) are one line naming the file and the cause.

Kill counts are printed (run with ``-s``) and recorded as test properties. ``--soak``
runs hundreds of kills instead of about twenty.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
import pytest

from reader.errors import ReaderError, StoreError
from reader.highlights.export.obsidian import SECTION_END, parse_front_matter
from reader.models import ParsedArticle
from reader.sanitize import is_web_url
from reader.store import SCHEMA_VERSION, Library
from reader.store.backups import backup_folder, list_backups
from tests.promise_helpers import (
    COMMAND_TIMEOUT,
    assert_terminal_safe,
    child_env,
    fill_library,
    injected_sequences,
    one_line_error,
    random_delays,
    read_until_eof,
    reader_cmd,
    run_and_kill,
    run_reader,
    run_tui_in_pty,
    session_members,
    unsafe_characters,
    write_notes,
    write_pages,
)

SEED = int(os.environ.get("READER_PROMISE_SEED", "20240607"))

# ------------------------------------------------------------------------------------
# 1. Crash safety
# ------------------------------------------------------------------------------------

_BURST_SCRIPT = """
import sys
from reader.store import Library

db, ids = sys.argv[1], sys.argv[2].split(",")
library = Library(db)
for i in range(1_000_000):
    aid = ids[(i // 4) % len(ids)]
    kind = i % 4
    if kind == 0:
        library.set_bookmarked(aid, True)
        print(f"done {i} bookmark {aid}", flush=True)
    elif kind == 1:
        library.add_tags(aid, [f"burst-{i}"])
        print(f"done {i} tag {aid} burst-{i}", flush=True)
    elif kind == 2:
        hl = library.add_highlight(aid, f"highlight number {i}")
        print(f"done {i} highlight {aid} {hl.id}", flush=True)
    else:
        library.set_setting(f"burst-{i}", i)
        print(f"done {i} setting burst-{i}", flush=True)
"""


def _check_library_opens(db: Path) -> Library:
    """The library opens without error after a kill (raises with the reason otherwise)."""
    try:
        return Library(db)
    except StoreError as err:  # pragma: no cover - this is the failure being tested
        pytest.fail(f"library damaged after kill -9: {err}")


def _import_rounds(tmp_path: Path, rounds: int, rng: random.Random) -> tuple[int, int]:
    """Kill ``reader add DIR`` (300 notes each) at random moments; check reported articles."""
    db = tmp_path / "import" / "lib.json"
    # Time one whole import, so the kills land during the work on a slow machine too.
    write_notes(tmp_path / "import" / "first", 300, "first")
    started = time.monotonic()
    full = run_reader(db, "add", str(tmp_path / "import" / "first"))
    duration = time.monotonic() - started
    assert full.returncode == 0, full.stderr.decode()
    kills = checked = 0
    high = min(duration, 1.5)  # bounded on a slow machine; --soak covers the rest

    def one_round(round_no: int, delay: float) -> tuple[bool, int]:
        """Kill an import of 300 notes after ``delay``: (killed, articles it reported)."""
        nonlocal db
        if round_no and round_no % 20 == 0:  # a soak run: keep the library a few MB
            db = tmp_path / "import" / f"lib-{round_no}.json"
        folder = tmp_path / "import" / f"notes-{round_no}"
        write_notes(folder, 300, f"r{round_no}")
        report = run_and_kill(reader_cmd(db, "add", str(folder)), delay)
        assert b"Traceback" not in report.stderr, report.stderr.decode()
        reported = [line.split()[0] for line in report.lines if "  added  " in line]
        if report.finished_before_kill:
            assert len(reported) == 300, report.stderr.decode()
        with _check_library_opens(db) as library:
            stored = library.article_map()
            missing = [aid for aid in reported if aid not in stored]
            assert not missing, f"round {round_no} (kill at {delay:.2f}s) lost {missing[:5]}"
            assert all(library.body(aid) is not None for aid in reported)
        return not report.finished_before_kill, len(reported)

    for round_no, delay in enumerate(random_delays(rng, rounds, 0.2 * high, high)):
        killed, reported = one_round(round_no, delay)
        kills += killed
        checked += reported
    # On a machine slowed down after the timing run, every kill may have come before the
    # first report: kill later, until some articles were reported before a kill.
    for extra in range(4):
        if checked:
            break
        killed, reported = one_round(rounds + extra, high * (1.5 + extra))
        kills += killed
        checked += reported if killed else 0
    return kills, checked


def _burst_rounds(tmp_path: Path, rounds: int, rng: random.Random) -> tuple[int, int]:
    """Kill a process doing bookmark/tag/highlight/setting writes; check every reported one."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    script = tmp_path / "burst.py"
    script.write_text(_BURST_SCRIPT, encoding="utf-8")
    kills = checked = 0
    for round_no, delay in enumerate(random_delays(rng, rounds, 0.25, 1.5)):
        db = tmp_path / f"burst-{round_no}" / "lib.json"
        ids = fill_library(db, 30, f"b{round_no}")
        argv = [sys.executable, str(script), str(db), ",".join(ids)]
        report = run_and_kill(argv, delay)
        assert not report.finished_before_kill, report.stderr.decode()
        kills += 1
        with _check_library_opens(db) as library:
            articles = library.article_map()
            highlight_ids = {h.id for h in library.highlights()}
            for line in report.lines:
                _, _, kind, *rest = line.split()
                if kind == "bookmark":
                    assert articles[rest[0]].bookmarked, line
                elif kind == "tag":
                    assert rest[1] in articles[rest[0]].tags, line
                elif kind == "highlight":
                    assert rest[1] in highlight_ids, line
                else:
                    assert library.get_setting(rest[0]) is not None, line
            # The highlight count and the highlights themselves are written together.
            for article in articles.values():
                assert article.highlight_count == len(library.highlights(article.id))
            checked += len(report.lines)
    return kills, checked


EXPORT_ARTICLES = 60


def _export_library(tmp_path: Path) -> Path:
    db = tmp_path / "export" / "lib.json"
    ids = fill_library(db, EXPORT_ARTICLES, "x")
    with Library(db) as library, library.batch():
        for i, aid in enumerate(ids):
            library.add_highlight(aid, "Seed article", note=f'note {i}: a colon, a "quote"')
    return db


def _check_vault(vault: Path, expected: int, finished: bool) -> int:
    """Every visible note in ``vault`` is complete; all of them are there when finished."""
    notes = [p for p in vault.glob("*.md") if not p.name.startswith(".")] if vault.exists() else []
    for note in notes:
        text = note.read_text(encoding="utf-8")
        assert text.startswith("---\n"), note
        front = text.split("\n---\n", 1)[0].splitlines()[1:]
        assert parse_front_matter(front)["id"], note
        assert SECTION_END in text, f"{note.name} is cut short"
    if finished:
        assert len(notes) == expected
    return len(notes)


def _export_rounds(tmp_path: Path, rounds: int, rng: random.Random) -> tuple[int, int]:
    """Kill ``reader export`` (obsidian folder, JSON file); library and outputs stay whole."""
    db = _export_library(tmp_path)
    before = db.read_bytes()
    # Time one whole export, so the kills land during the work on a slow machine too.
    started = time.monotonic()
    full = run_reader(db, "export", "--format", "obsidian", "--out", str(tmp_path / "full"))
    duration = time.monotonic() - started
    assert full.returncode == 0, full.stderr.decode()
    checked = _check_vault(tmp_path / "full", EXPORT_ARTICLES, True)
    kills = 0
    for round_no, delay in enumerate(random_delays(rng, rounds, 0.1 * duration, 0.8 * duration)):
        if round_no % 2 == 0:
            out = tmp_path / "export" / f"vault-{round_no}"
            args = ("export", "--format", "obsidian", "--out", str(out))
        else:
            out = tmp_path / "export" / f"out-{round_no}.json"
            args = ("export", "--format", "json", "--out", str(out))
        report = run_and_kill(reader_cmd(db, *args), delay)
        kills += not report.finished_before_kill
        if report.finished_before_kill:
            assert f"exported {EXPORT_ARTICLES} highlight(s)".encode() in report.stderr, (
                report.stderr.decode()
            )
        with _check_library_opens(db) as library:
            assert len(library) == EXPORT_ARTICLES
        assert db.read_bytes() == before, "an export changed the library file"
        if out.suffix == ".json":
            if out.exists():  # written whole or not at all
                assert (
                    len(json.loads(out.read_text(encoding="utf-8"))["articles"]) == EXPORT_ARTICLES
                )
                checked += 1
        else:
            checked += _check_vault(out, EXPORT_ARTICLES, report.finished_before_kill)
            # A killed export can simply be run again, and completes the folder.
            if not report.finished_before_kill:
                done = run_reader(db, *args)
                assert done.returncode == 0, done.stderr.decode()
                _check_vault(out, EXPORT_ARTICLES, True)
    return kills, checked


def _report_kills(record_property, name: str, kills: int, checked: int) -> None:  # type: ignore[no-untyped-def]
    record_property(f"{name}_kills_survived", kills)
    record_property(f"{name}_reported_changes_checked", checked)
    print(f"\n[promises] {name}: survived {kills} kill -9, checked {checked} reported changes")


@pytest.mark.slow
def test_killed_import_keeps_every_article_it_reported(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    """Promise: `kill -9` during `reader add DIR` never damages the library, and every
    article the command printed as added is stored, with its text."""
    kills, checked = _import_rounds(tmp_path, 6, random.Random(SEED))
    _report_kills(record_property, "import", kills, checked)
    assert kills > 0 and checked > 0


@pytest.mark.slow
def test_killed_write_burst_keeps_every_change_it_reported(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    """Promise: `kill -9` during a burst of bookmark, tag, highlight and setting writes
    never damages the library, and every write that returned before the kill is there."""
    kills, checked = _burst_rounds(tmp_path, 8, random.Random(SEED + 1))
    _report_kills(record_property, "burst", kills, checked)
    assert kills == 8 and checked > 0


@pytest.mark.slow
def test_killed_export_leaves_library_and_outputs_whole(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    """Promise: `kill -9` during `reader export` (Obsidian folder or JSON file) leaves the
    library untouched, every note written whole, and the JSON file whole or absent."""
    kills, checked = _export_rounds(tmp_path, 6, random.Random(SEED + 2))
    _report_kills(record_property, "export", kills, checked)
    assert kills > 0 and checked > 0


@pytest.mark.soak
def test_soak_hundreds_of_kills(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    """Promise (soak, `--soak` only): the three kill tests above hold over hundreds of kills."""
    rng = random.Random(SEED + 3)
    phases = {"import": (_import_rounds, 120), "burst": (_burst_rounds, 120)}
    phases["export"] = (_export_rounds, 80)
    total = 0
    for name, (run_rounds, rounds) in phases.items():
        kills, checked = run_rounds(tmp_path / name, rounds, rng)
        _report_kills(record_property, f"soak_{name}", kills, checked)
        total += kills
    assert total > 200


def test_leftovers_of_killed_writes_are_cleaned_up(tmp_path: Path) -> None:
    """Promise: temporary files a killed writer left beside the library (which can be as
    big as the library) are removed when it is next opened, once they are an hour old;
    a fresh one (a write in progress elsewhere) and every other file are left alone."""
    db = tmp_path / "lib.json"
    fill_library(db, 1)
    old = [tmp_path / ".lib.json.abc123.tmp", backup_folder(db) / ".lib-x.json.def.tmp"]
    fresh = tmp_path / ".lib.json.now456.tmp"
    other = [tmp_path / ".other.json.abc.tmp", tmp_path / "notes.tmp"]
    for path in [*old, fresh, *other]:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"{")
    for path in [*old, *other]:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    Library(db).close()
    assert not any(p.exists() for p in old)
    assert fresh.exists() and all(p.exists() for p in other)


def _age_backups(db: Path, days: float) -> None:
    for backup in list_backups(db):
        stamp = backup.stat().st_mtime - days * 86400
        os.utime(backup, (stamp, stamp))


def test_backups_exist_and_restore_brings_back_the_newest_valid(tmp_path: Path) -> None:
    """Promise: writes leave rolling backups in `<stem>.backups/`; `reader restore` puts the
    newest valid one back, skipping damaged backups, and keeps the damaged current file
    as `<name>.before-restore` (a later restore never overwrites it)."""
    db = tmp_path / "lib.json"
    ids = fill_library(db, 3)
    with Library(db) as library:
        library.set_bookmarked(ids[0], True)
    assert list_backups(db), "no backup after writes"
    assert backup_folder(db) == tmp_path / "lib.backups"
    _age_backups(db, 2)  # a day later, the next write takes a fresh backup (with articles)
    with Library(db) as library:
        library.add_tags(ids[1], ["later"])
    newest = list_backups(db)[0]
    assert len(orjson.loads(newest.read_bytes())["articles"]) == 3
    damaged_backup = backup_folder(db) / "lib-99991231T000000000000-daily.json"
    damaged_backup.write_bytes(b'{"articles": {')  # newest by name, but not valid

    garbage = b"\x00\x17garbage after a disk failure"
    db.write_bytes(garbage)
    result = run_reader(db, "restore")
    assert result.returncode == 0, result.stderr.decode()
    assert newest.name in result.stdout.decode()
    assert db.with_name("lib.json.before-restore").read_bytes() == garbage
    with Library(db) as library:
        assert sorted(library.article_map()) == sorted(ids)
        assert library.get(ids[0]).bookmarked
    # Restoring again never overwrites the file an earlier restore kept.
    again = run_reader(db, "restore", str(list_backups(db)[-1]))
    assert again.returncode == 0, again.stderr.decode()
    assert db.with_name("lib.json.before-restore").read_bytes() == garbage
    assert db.with_name("lib.json.before-restore-2").exists()


# ------------------------------------------------------------------------------------
# 2. Several processes
# ------------------------------------------------------------------------------------


def test_two_imports_at_once_keep_all_articles(tmp_path: Path) -> None:
    """Promise: two `reader add` running at the same time on different files both land:
    every article either reported is in the library afterwards."""
    db = tmp_path / "lib.json"
    fill_library(db, 1)
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        write_notes(folder, 120, folder.name)
    procs = [
        subprocess.Popen(
            reader_cmd(db, "add", str(folder)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
        )
        for folder in folders
    ]
    reported: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=COMMAND_TIMEOUT)
        assert proc.returncode == 0, err.decode()
        reported += [line.split()[0] for line in out.decode().splitlines() if "  added  " in line]
    assert len(reported) == 240
    with Library(db) as library:
        assert set(reported) <= set(library.article_map())
        assert len(library) == 241


def test_cli_tagging_while_another_process_bookmarks_loses_nothing(tmp_path: Path) -> None:
    """Promise: `reader tag` in a terminal while the reader (a Library in another process)
    bookmarks articles in a loop: every tag and every bookmark is kept."""
    db = tmp_path / "lib.json"
    ids = fill_library(db, 40)
    tagged: list[tuple[str, str]] = [(ids[i % len(ids)], f"cli-{i}") for i in range(12)]
    errors: list[str] = []

    def tag_from_cli(jobs: list[tuple[str, str]]) -> None:
        for aid, tag in jobs:
            result = run_reader(db, "tag", aid, tag)
            if result.returncode != 0:
                errors.append(result.stderr.decode())

    threads = [threading.Thread(target=tag_from_cli, args=(tagged[k::2],)) for k in range(2)]
    for thread in threads:
        thread.start()
    bookmarked: list[str] = []
    with Library(db) as library:
        i = 0
        while any(t.is_alive() for t in threads) or i < len(ids):
            aid = ids[i % len(ids)]
            library.set_bookmarked(aid, True)
            library.set_position(aid, (i % 100) / 100)
            bookmarked.append(aid)
            i += 1
            time.sleep(0.01)  # a person, not a busy loop: others get the lock too
    for thread in threads:
        thread.join()
    assert not errors, errors
    with Library(db) as fresh:
        articles = fresh.article_map()
        assert all(articles[aid].bookmarked for aid in bookmarked)
        for aid, tag in tagged:
            assert tag in articles[aid].tags, (aid, tag)


def test_a_library_with_cached_data_never_writes_back_a_stale_copy(tmp_path: Path) -> None:
    """Promise: a Library that has data cached re-reads the file when another instance
    changed it, so its next write keeps the other's changes (open A, open B, B adds and
    tags, A bookmarks: B's changes are still there). Repeated quickly many times."""
    db = tmp_path / "lib.json"
    ids = fill_library(db, 5)
    with Library(db) as a, Library(db) as b:
        assert len(a.articles()) == 5  # A has everything cached
        added = b.add_parsed(ParsedArticle(title="From B", markdown="Written by B.")).article
        b.add_tags(ids[0], ["from-b"])
        a.set_bookmarked(ids[1], True)
        for i in range(60):  # fast alternation: same-size files, reused inode numbers
            b.set_tags(ids[2], [f"b{i:04d}"])
            a.set_tags(ids[3], [f"a{i:04d}"])
            a.set_read(ids[4], i % 2 == 0)
            assert b.get(ids[3]).tags == [f"a{i:04d}"]
            assert a.get(ids[2]).tags == [f"b{i:04d}"]
    with Library(db) as fresh:
        assert added.id in fresh.article_map()
        assert "from-b" in fresh.get(ids[0]).tags
        assert fresh.get(ids[1]).bookmarked
        assert fresh.get(ids[2]).tags == ["b0059"]
        assert fresh.get(ids[3]).tags == ["a0059"]


def test_no_stale_write_even_when_file_versions_look_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: even on a file system where two versions of the library file look the
    same (reused inode number, same size, coarse modification time), a write re-reads
    what another instance wrote instead of overwriting it with a stale copy."""
    import reader.store.storage as storage

    db = tmp_path / "lib.json"
    ids = fill_library(db, 2)
    monkeypatch.setattr(storage, "file_signature", lambda p: (1, 1, 1) if p.exists() else None)
    with Library(db) as a, Library(db) as b:
        a.articles()
        b.add_tags(ids[0], ["from-b"])
        a.set_bookmarked(ids[1], True)
        b.set_read(ids[1], True)
        a.add_tags(ids[0], ["from-a"])
    monkeypatch.undo()
    with Library(db) as fresh:
        assert fresh.get(ids[0]).tags == ["from-a", "from-b"]
        assert fresh.get(ids[1]).bookmarked and fresh.get(ids[1]).read


# ------------------------------------------------------------------------------------
# 3. Damaged or foreign library files
# ------------------------------------------------------------------------------------


def _valid_library_bytes(tmp_path: Path) -> bytes:
    db = tmp_path / "source" / "lib.json"
    fill_library(db, 20)
    return db.read_bytes()


DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "garbage": lambda good: bytes(random.Random(7).randrange(256) for _ in range(400)),
    "json-array": lambda good: b'[{"articles": {}}]',
    "newer-schema": lambda good: b'{"_meta": {"schema": {"version": 99}}}',
    "unreadable-schema": lambda good: b'{"_meta": {"schema": {"version": "two"}}}',
    "table-not-an-object": lambda good: b'{"_meta": {"schema": {"version": 1}}, "articles": [1]}',
    "record-not-an-object": lambda good: b'{"articles": {"abcd1234": "title"}}',
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_or_foreign_library_is_refused_and_left_untouched(
    tmp_path: Path, damage: str
) -> None:
    """Promise: a truncated, empty, garbage, non-object, wrongly shaped or newer-schema
    library file makes `reader list` exit non-zero with ONE line naming the file and
    saying what to do (restore a backup), no traceback, and the file's bytes unchanged."""
    data = DAMAGE[damage](_valid_library_bytes(tmp_path))
    db = tmp_path / "lib.json"
    db.write_bytes(data)
    result = run_reader(db, "list")
    assert result.returncode != 0
    line = one_line_error(result)
    assert str(db) in line
    assert "reader restore" in line
    assert db.read_bytes() == data
    assert result.stdout == b""


def test_older_schema_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    """Promise: a library from before schema versions (no `_meta`) is upgraded in place,
    after a backup of the original bytes is taken, and its articles are kept."""
    db = tmp_path / "lib.json"
    old = {
        "articles": {
            "0badcafe": {
                "title": "An old article",
                "tags": ["kept"],
                "added": "2020-01-01T00:00:00Z",
            }
        },
        "highlights": {},
    }
    original = orjson.dumps(old)
    db.write_bytes(original)
    result = run_reader(db, "list", "--json")
    assert result.returncode == 0, result.stderr.decode()
    listed = json.loads(result.stdout)
    assert [(a["id"], a["title"], a["tags"]) for a in listed] == [
        ("0badcafe", "An old article", ["kept"])
    ]
    backups = [b for b in list_backups(db) if "before-migration-v0" in b.name]
    assert backups and backups[0].read_bytes() == original
    assert orjson.loads(db.read_bytes())["_meta"]["schema"]["version"] == SCHEMA_VERSION


def test_hand_edited_record_with_wrong_types_still_opens(tmp_path: Path) -> None:
    """Promise: a hand-edited library whose article fields have the wrong types (a number
    for a title, a string for tags) still lists and shows, without an internal error."""
    db = tmp_path / "lib.json"
    record = {"title": 5, "tags": "solo", "published": 2020, "bookmarked": "yes", "position": "x"}
    db.write_bytes(
        orjson.dumps({"_meta": {"schema": {"version": 1}}, "articles": {"0abc1234": record}})
    )
    listed = run_reader(db, "list", "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    (article,) = json.loads(listed.stdout)
    assert (article["title"], article["tags"], article["bookmarked"]) == ("5", ["solo"], False)
    shown = run_reader(db, "show", "0abc1234")
    assert shown.returncode in (0, 1) and b"Traceback" not in shown.stderr
    assert b"internal error" not in shown.stderr


def test_missing_body_file_is_a_clear_notice(tmp_path: Path) -> None:
    """Promise: when an article's body file is gone, `reader show` says so plainly and
    `reader quotes` fails with one line; neither prints a traceback."""
    db = tmp_path / "lib.json"
    (aid,) = fill_library(db, 1)
    with Library(db) as library:
        library.bodies.path_for(aid).unlink()
    shown = run_reader(db, "show", aid)
    assert shown.returncode in (0, 1)
    assert b"Traceback" not in shown.stderr
    assert "missing" in (shown.stdout + shown.stderr).decode()
    quoted = run_reader(db, "quotes", aid)
    assert quoted.returncode == 1
    assert "missing" in one_line_error(quoted)


# ------------------------------------------------------------------------------------
# 4. Hostile content
# ------------------------------------------------------------------------------------

ESCAPES = (
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared \x1b]0;pwned\x07 \x1b]2;title\x1b\\ "
    "\x1b]8;;http://evil.example/\x1b\\osc8 link\x1b]8;;\x1b\\ \x1b]52;c;aGk=\x07 bell\x07 "
    "csi\x9b31m c1 " + "".join(chr(c) for c in range(0x80, 0xA0)) + " "
    "c0 " + "".join(chr(c) for c in range(0x01, 0x20) if c not in (9, 10, 13)) + " \x7f"
)
MARKUP = "[bold]bold markup[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]pw[/link]"
BIDI = "\u202eevil reversed\u202c zero\u200bwidth\u200d join\u2066iso\u2069 \ufeffbom"
SPEECH = '"This quotation is long enough to be found," said Ada Lovelace.'


def _hostile_text(title: str) -> tuple[str, str]:
    """A title line and a body mixing every hostile payload (the title makes it unique)."""
    head = f"{title} {MARKUP} \x1b]0;pwned\x07\u202e{ESCAPES[:40]}"
    body = (
        f"First paragraph of {title} {ESCAPES} with plenty of ordinary words around it.\n\n"
        f"Second paragraph {MARKUP} more words {BIDI} and \x00 a NUL byte.\n\n"
        f"{SPEECH} {ESCAPES[:30]}\n\n"
        "[javascript link](javascript:alert(1)) and [file link](file:///etc/passwd).\n"
    )
    return head, body


def _html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f'{paragraphs}<p><a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">f</a>'
        "</p></article></body></html>"
    )


def _hostile_files(folder: Path) -> dict[str, Path]:
    """One file per (payload, format). Names are the keys used in the tests."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for fmt in ("txt", "md", "html"):
        title, body = _hostile_text(f"Hostile {fmt}")
        if fmt == "txt":
            files[f"mixed.{fmt}"] = f"{title}\n\n{body}".encode()
        elif fmt == "md":
            files[f"mixed.{fmt}"] = f"# {title}\n\n{body}".encode()
        else:
            files[f"mixed.{fmt}"] = _html(title, body).encode()
        words = " ".join(f"w{fmt}{i}" for i in range(150_000))[:1_000_000]
        line = f"{words} {SPEECH} {ESCAPES}"
        if fmt == "html":
            files[f"longline.{fmt}"] = (
                f"<html><title>Long</title><body><p>{line}</p></body></html>".encode()
            )
        else:
            files[f"longline.{fmt}"] = f"Long line {fmt}\n\n{line}".encode()
    files["nested.html"] = (
        "<html><title>Nested</title><body>"
        + "<div><span>" * 5000
        + "deep words here " * 30
        + "</span></div>" * 5000
        + "</body></html>"
    ).encode()
    files["nested.md"] = (
        "# Nested\n\n" + "> " * 10_000 + "deep\n\n" + "- " * 5000 + "x\n"
    ).encode()
    files["nul.md"] = b"# NUL title \x00 here\n\nText with a NUL \x00 in the middle of it.\n"
    files["nul.html"] = (
        b"<html><title>NUL\x00 page</title><body><p>NUL \x00 inside a paragraph of words.</p>"
        b"</body></html>"
    )
    paths = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A library holding every hostile file that imports (name -> article id)."""
    root = tmp_path_factory.mktemp("hostile")
    db = root / "lib.json"
    paths = _hostile_files(root / "files")
    result = run_reader(db, "add", "--json", *map(str, paths.values()))
    assert_terminal_safe(result, "add hostile files")
    ids: dict[str, str] = {}
    for name, outcome in zip(paths, json.loads(result.stdout), strict=True):
        if outcome["status"] == "error":  # refused (e.g. NUL bytes read as binary): one line
            assert outcome["error"] and "\n" not in outcome["error"], outcome
        else:
            assert outcome["status"] == "added", outcome
            ids[name] = outcome["id"]
    assert {"mixed.txt", "mixed.md", "mixed.html", "longline.txt", "nested.html"} <= set(ids)
    with Library(db) as library:
        for aid in set(ids.values()):  # something to export for every article
            text = library.body(aid).split()[0]  # type: ignore[union-attr]
            library.add_highlight(aid, text, note=f"{MARKUP} {ESCAPES[:20]}")
    return db, ids


def _run_all(
    db: Path, commands: list[tuple[str, ...]]
) -> list[tuple[tuple[str, ...], subprocess.CompletedProcess[bytes]]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda args: run_reader(db, *args), commands))
    return list(zip(commands, results, strict=True))


@pytest.mark.parametrize("command", ["show", "show --json", "quotes"])
def test_hostile_articles_never_reach_the_terminal(
    hostile_library: tuple[Path, dict[str, str]], command: str
) -> None:
    """Promise: whatever an article contains (escape sequences, OSC titles/links/clipboard,
    C0/C1 controls, BEL, NUL, bidi overrides, zero-width characters, Rich markup, 1 MB
    lines, deep nesting), `reader show` / `show --json` / `quotes` write no ESC, BEL, C1
    or bidi control, finish in bounded time, and print no traceback."""
    db, ids = hostile_library
    args = tuple(command.split())
    for (cmd, result), name in zip(
        _run_all(db, [(args[0], aid, *args[1:]) for aid in ids.values()]), ids, strict=True
    ):
        assert result.returncode == 0, (name, cmd, result.stderr.decode())
        assert_terminal_safe(result, f"{command} {name}")


def test_hostile_files_are_parsed_and_named_safely(tmp_path: Path) -> None:
    """Promise: `reader parse FILE` (which stores nothing) and the plain `reader add`
    report are safe too, even when the file *name* carries escape sequences."""
    paths = _hostile_files(tmp_path / "files")
    parsed = _run_all(
        tmp_path / "unused.json",
        [("parse", str(paths[n])) for n in ("mixed.txt", "mixed.md", "mixed.html")],
    )
    for cmd, result in parsed:
        assert result.returncode == 0, (cmd, result.stderr.decode())
        assert_terminal_safe(result, " ".join(cmd))
    evil = tmp_path / "names"
    evil.mkdir()
    (evil / "\x1b]0;pwned\x07\u202eevil\x1b[2J.txt").write_text("Title\n\nSome text here.\n")
    (evil / "\x1b[31mempty.md").write_text("")
    missing = str(tmp_path / "\x1b]52;c;aGk=\x07missing.txt")
    result = run_reader(tmp_path / "lib.json", "add", str(evil), missing)
    assert result.returncode == 1  # the empty and the missing file fail, one line each
    assert_terminal_safe(result, "add with hostile file names")
    assert result.stderr.decode().count("reader: ") == 2


def test_hostile_titles_in_list_and_markup_shown_literally(
    hostile_library: tuple[Path, dict[str, str]],
) -> None:
    """Promise: `reader list` shows hostile titles safely, and Rich markup in an article
    is shown as the literal characters (`[bold]` stays `[bold]`), never interpreted."""
    db, ids = hostile_library
    listed = run_reader(db, "list")
    assert listed.returncode == 0
    assert_terminal_safe(listed, "list")
    assert "[bold]" in listed.stdout.decode()
    highlights = run_reader(db, "highlights")
    assert highlights.returncode == 0
    assert_terminal_safe(highlights, "highlights")
    assert "[bold]" in highlights.stdout.decode()
    shown = run_reader(db, "show", ids["mixed.md"])
    text = shown.stdout.decode()
    for literal in (
        "[bold]bold markup[/]",
        "[@click=app.quit]quit[/]",
        "[link=file:///etc/passwd]",
    ):
        assert literal in text


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_hostile_articles_export_safely(
    hostile_library: tuple[Path, dict[str, str]], fmt: str
) -> None:
    """Promise: exports of hostile articles (to standard output, with quotations) contain
    no escape sequences or controls and finish without a traceback."""
    db, _ = hostile_library
    result = run_reader(db, "export", "--format", fmt, "--with-quotes")
    assert result.returncode == 0, result.stderr.decode()
    assert_terminal_safe(result, f"export {fmt}")


def test_hostile_articles_export_to_obsidian_safely(
    hostile_library: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """Promise: the Obsidian export of hostile articles writes notes free of controls."""
    db, ids = hostile_library
    vault = tmp_path / "vault"
    result = run_reader(db, "export", "--format", "obsidian", "--with-quotes", "--out", str(vault))
    assert_terminal_safe(result, "export obsidian")
    notes = list(vault.iterdir())
    assert len(notes) == len(set(ids.values()))
    for note in notes:
        problems = unsafe_characters(note.read_bytes())
        assert not problems, (note, problems)


def test_library_file_edited_elsewhere_cannot_smuggle_escapes(tmp_path: Path) -> None:
    """Promise: even a library file written by another tool (or edited by hand) with
    escape sequences, C1 controls or bidi overrides in titles, authors and tags shows
    them cleaned in `reader list` and `reader show`."""
    db = tmp_path / "lib.json"
    record = {
        "title": "evil \x1b]0;pwned\x07 \u202e reversed \x9b31m",
        "author": "\x1b[2Jauthor",
        "tags": ["\x1b[31mred", "\u200bzero"],
        "added": "2024-01-01T00:00:00Z",
    }
    db.write_bytes(
        orjson.dumps({"_meta": {"schema": {"version": 1}}, "articles": {"abcd1234": record}})
    )
    for args in (
        ("list",),
        ("list", "--json"),
        ("show", "abcd1234"),
        ("show", "abcd1234", "--json"),
    ):
        result = run_reader(db, *args)
        assert result.returncode == 0, result.stderr.decode()
        assert_terminal_safe(result, " ".join(args))
    assert "pwned" in run_reader(db, "list").stdout.decode()


def test_huge_page_is_refused_quickly_and_cleanly(tmp_path: Path) -> None:
    """Promise: a 50 MB page is refused with one clear size error (bounded time)."""
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:
        handle.write(b"<html><body>")
        chunk = b"<p>" + b"word " * 1000 + b"</p>"
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
        handle.write(b"</body></html>")
    result = run_reader(tmp_path / "lib.json", "add", str(page), timeout=30)
    assert result.returncode == 1
    assert "too large" in one_line_error(result)


def test_is_web_url_accepts_only_plain_http() -> None:
    """Promise: only http(s) URLs without control characters count as openable links;
    `javascript:`, `file:`, `data:` and URLs carrying controls are refused."""
    assert is_web_url("https://example.org/a?b=c")
    assert is_web_url("http://example.org")
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/\x1b]0;pwned\x07",
        "https://example.org/\x9b31m",
        "https://exa\nmple.org",
        " javascript:alert(1)",
        "",
        None,
    ):
        assert not is_web_url(bad), bad


# -- exports cannot escape their destination or be misread ---------------------------

NASTY_TITLES = [
    "../../etc/passwd",
    "/etc/shadow",
    "..",
    "CON",
    'Title with "quotes", colons: and a #hash',
    "title: injected\nid: 00000000",
    "---",
    '=HYPERLINK("http://evil")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\\\\server\\share\\file",
]


@pytest.fixture
def nasty_library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.json"
    with Library(db) as library:
        for i, title in enumerate(NASTY_TITLES):
            article = library.add_parsed(
                ParsedArticle(
                    title=title,
                    markdown=f"Body {i}. =cmd|' /C calc'!A0 and more.",
                    author=title,
                    url=f"https://example.org/{i}",
                    tags=[f"tag:{i}", '"quoted"'],
                )
            ).article
            library.add_highlight(article.id, f"=cmd|' /C calc'!A{i}", note=f"-{title}")
    return db


def test_obsidian_export_writes_only_inside_its_folder(nasty_library: Path, tmp_path: Path) -> None:
    """Promise: whatever the titles (`../../etc/passwd`, absolute paths, `..`, device
    names), the Obsidian export writes files only directly inside the destination, and
    each note's YAML front matter stays valid and gives back the exact title."""
    before = {p for p in tmp_path.rglob("*")}
    vault = tmp_path / "deep" / "vault"
    result = run_reader(nasty_library, "export", "--format", "obsidian", "--out", str(vault))
    assert result.returncode == 0, result.stderr.decode()
    created = {p for p in tmp_path.rglob("*")} - before
    outside = [p for p in created if p.parent != vault and p not in (vault, vault.parent)]
    assert not outside, outside
    titles = set()
    with Library(nasty_library) as library:
        expected = {a.title for a in library.articles()}
    for note in vault.iterdir():
        text = note.read_text(encoding="utf-8")
        front_lines = text.split("\n---\n", 1)[0].splitlines()[1:]
        front = parse_front_matter(front_lines)  # strict: raises on invalid YAML subset
        raw_title = next(line for line in front_lines if line.startswith("title: "))
        assert json.loads(raw_title[len("title: ") :]) == front["title"]  # a plain YAML/JSON string
        titles.add(front["title"])
    assert titles == expected


def test_csv_export_defuses_formulas(nasty_library: Path) -> None:
    """Promise: no CSV cell starts with `=`, `+`, `-` or `@` (a spreadsheet would run it);
    such cells get a leading `'` and otherwise keep their text."""
    result = run_reader(nasty_library, "export", "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.reader(io.StringIO(result.stdout.decode())))
    assert len(rows) == len(NASTY_TITLES) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert any(row[0].startswith("'=cmd|") for row in rows[1:])
    assert {row[1] for row in rows[1:]} >= {'\'=HYPERLINK("http://evil")', "'+1+1", "'@SUM(A1)"}


def test_yaml_front_matter_survives_quotes_colons_newlines(tmp_path: Path) -> None:
    """Promise: titles, authors and tags with quotes, colons, backslashes and (in stored
    data from older versions) newlines keep the Obsidian front matter valid."""
    from reader.highlights.export import export_obsidian
    from reader.models import Article, Highlight

    tricky = "a \"b\": c\n- d\\e # f 'g' \u2028 h"
    article = Article(id="abcd1234", title=tricky, author=tricky, tags=[tricky, "ok"])
    highlight = Highlight(id="h1", article_id="abcd1234", text="x", created="2024-01-01")
    export_obsidian([(article, [highlight])], tmp_path)
    (note,) = tmp_path.iterdir()
    front_lines = note.read_text(encoding="utf-8").split("\n---\n", 1)[0].splitlines()[1:]
    front = parse_front_matter(front_lines)
    assert front["title"] == tricky
    assert front["author"] == tricky
    assert front["tags"] == [tricky, "ok"]
    assert re.fullmatch(r"[^\n]+", front_lines[1])  # the title stayed on one line


def test_json_export_imports_back_into_a_fresh_library(tmp_path: Path) -> None:
    """Promise: `reader export --format json` is a backup of your highlights: imported into
    a library holding the same articles, every highlight comes back. (A highlight whose
    text is empty once cleaned is refused when made, so it cannot spoil the export.)"""
    db = tmp_path / "lib.json"
    ids = fill_library(db, 3)
    with Library(db) as library:
        with pytest.raises(ReaderError):
            library.add_highlight(ids[0], " \x1b\u200b\n ")
        for aid in ids:
            library.add_highlight(aid, "Seed article", note="a [bold] note\x1b[31m")
        expected = {(h.article_id, h.text, h.note) for h in library.highlights()}
    exported = run_reader(db, "export", "--format", "json", "--out", str(tmp_path / "hl.json"))
    assert exported.returncode == 0, exported.stderr.decode()
    fresh = tmp_path / "fresh" / "lib.json"
    with Library(db) as library, Library(fresh) as target, target.batch():
        for article in library.articles():
            target.add_parsed(
                ParsedArticle(title=article.title, markdown=library.body(article.id) or "")
            )
    restored = run_reader(fresh, "import-highlights", str(tmp_path / "hl.json"))
    assert restored.returncode == 0, restored.stderr.decode()
    with Library(fresh) as target:
        assert {(h.article_id, h.text, h.note) for h in target.highlights()} == expected


# ------------------------------------------------------------------------------------
# 5. Hostile files and a hostile machine (issue 19)
# ------------------------------------------------------------------------------------

_STORED_PAYLOAD = (
    "\x1b]2;PWN title\x1b\\ \x1b]52;c;UFdO\x07 \x1b[2JPWN clear \x9b31mPWN c1 "
    "\u202ePWN bidi\u202c \u200bPWN\u2060 zero \x7f"
)


def test_stored_text_is_cleaned_when_read_back(tmp_path: Path) -> None:
    """Promise: text in a library file edited by another program (titles, highlights,
    notes, settings, bodies; raw or as JSON escapes) is cleaned when read back: the
    reader's first screen writes no escape sequence from it (no title set, no clipboard
    written, no screen cleared), and `show`, `list --json`, `highlights --json` carry no
    control, C1, bidi or zero-width character."""
    db = tmp_path / "lib.json"
    record = {
        "title": f"Edited {_STORED_PAYLOAD}",
        "added": "2024-01-01T00:00:00Z",
        "tags": [_STORED_PAYLOAD],
        "highlight_count": 1,
    }
    highlight = {
        "article_id": "abcd1234",
        "text": f"Body {_STORED_PAYLOAD}",
        "note": _STORED_PAYLOAD,
    }
    data = {
        "_meta": {"schema": {"version": 1}},
        "articles": {"abcd1234": record},
        "highlights": {"feed0001": highlight},
        "settings": {"last_article": {"value": "abcd1234"}},
    }
    db.write_text(json.dumps(data, ensure_ascii=True))  # escapes, as Python's json writes
    bodies = tmp_path / "lib.bodies"
    bodies.mkdir()
    (bodies / "abcd1234.md").write_text(f"Body {_STORED_PAYLOAD}\n", encoding="utf-8")
    screen = run_tui_in_pty(db, tmp_path / "config")
    assert b"PWN" in screen  # the text is shown ...
    assert not injected_sequences(screen, _STORED_PAYLOAD)  # ... never as a sequence
    assert b"\x1b]52" not in screen and b"\x1b[2J" not in screen
    titles = re.findall(rb"\x1b\]2;([^\x07\x1b]*)", screen)  # the app names the article
    assert titles and not any(unsafe_characters(t) for t in titles)
    for args in (("show", "abcd1234"), ("list", "--json"), ("highlights", "--json")):
        result = run_reader(db, *args)
        assert result.returncode == 0, result.stderr.decode()
        assert_terminal_safe(result, " ".join(args))
        assert "\u200b" not in result.stdout.decode() and "\u202e" not in result.stdout.decode()


def test_crafted_lines_make_no_command_hang(tmp_path: Path) -> None:
    """Promise: no crafted text makes `reader add` or `reader show` hang: repeated HTML
    comments before the text, 64 KB lines of `[`, a 64 KB heading line, a 64 KB paragraph
    of short sentences each finish well within the command timeout."""
    size = 64 * 1024
    files = {
        "comments.txt": "<!---->" * 40 + "Some text after comments.\n",
        "brackets.txt": "[" * size + "\n",
        "heading.md": "# a" + " " * size + "b\n\nBody text here.\n",
        "links.md": "[a](" * (size // 4) + "\n",
        "sentences.md": "# Sentences\n\n" + "Ab cd. " * (size // 7) + "\n",
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    db = tmp_path / "lib.json"
    added = run_reader(db, "add", "--json", *paths)
    assert_terminal_safe(added, "add crafted lines")
    outcomes = json.loads(added.stdout)
    assert len(outcomes) == len(files)
    for outcome in outcomes:
        if outcome["status"] == "added":
            shown = run_reader(db, "show", outcome["id"])
            assert shown.returncode == 0, shown.stderr.decode()


def test_size_limits_bound_the_work_of_every_import(tmp_path: Path) -> None:
    """Promise: the same limits hold for every import (bytes, tags before parsing,
    paragraphs after): a 4 MB page of a million tiny paragraphs and a Markdown file of
    60,000 paragraphs are each refused with one line, quickly, storing nothing."""
    page = tmp_path / "tiny.html"
    page.write_bytes(b"<html><body>" + b"<p>x</p>" * 500_000 + b"</body></html>")
    many = tmp_path / "many.md"
    many.write_text("\n\n".join(f"p{i}" for i in range(60_000)), encoding="utf-8")
    db = tmp_path / "lib.json"
    for path, reason in ((page, "tags, limit"), (many, "too many paragraphs")):
        result = run_reader(db, "add", str(path))
        assert result.returncode == 1
        assert reason in one_line_error(result)
    with Library(db) as library:
        assert len(library) == 0


WORKER_KILL_ROUNDS = int(os.environ.get("READER_WORKER_KILL_ROUNDS", "6"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_add_leaves_no_worker_behind(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    """Promise: `kill -9` of `reader add` (48 pages, so it parses in workers) at random moments:
    every worker ends by itself and standard output reaches end-of-file."""
    pages = tmp_path / "pages"
    write_pages(pages, 48)
    rng = random.Random(19)
    orphans = 0
    with_workers = 0
    for round_number in range(WORKER_KILL_ROUNDS):
        db = tmp_path / f"lib{round_number}.json"
        proc = subprocess.Popen(
            reader_cmd(db, "add", str(pages)),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=child_env(),
            start_new_session=True,
        )
        assert proc.stdout is not None
        time.sleep(rng.uniform(0.8, 2.5))
        members = session_members(proc.pid)
        with_workers += len(members) > 1
        proc.kill()  # the storing process alone
        proc.wait()
        closed = read_until_eof(proc.stdout.fileno(), 30.0)
        deadline = time.monotonic() + 30.0
        while session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = session_members(proc.pid)
        orphans += len(left)
        for pid in left:  # clean up before failing
            os.kill(pid, signal.SIGKILL)
        proc.stdout.close()
        assert closed, f"round {round_number}: standard output still held open"
    figure = f"{WORKER_KILL_ROUNDS} kills of reader add ({with_workers} with workers running), {orphans} orphans"
    print(figure)
    record_property("worker_kills", figure)
    assert with_workers > 0  # the test did kill imports that had workers
    assert orphans == 0, figure


def test_names_and_arguments_that_are_not_utf8(tmp_path: Path) -> None:
    """Promise: a file whose name is not UTF-8 (`caf\\xe9.md`) in a folder is imported like
    any other, and the rest of the folder too; a tag, note or file argument with such
    bytes is taken (shown with U+FFFD) or refused with one line; a bad option is one
    line, never a usage screen or a traceback."""
    folder = tmp_path / "notes"
    write_notes(folder, 3, "utf8")
    bad = os.fsdecode(b"caf\xe9")
    (folder / f"{bad}.md").write_text("# Cafe\n\nCafe text here.\n", encoding="utf-8")
    db = tmp_path / "lib.json"
    added = run_reader(db, "add", "--tag", bad, str(folder))
    assert added.returncode == 0, added.stderr.decode()
    assert_terminal_safe(added, "add")
    with Library(db) as library:
        assert len(library) == 4
        assert {tuple(a.tags) for a in library.articles()} == {("caf\ufffd",)}
    for args in (("show", bad), ("add", "--feed", f"{bad}.xml"), ("list", "--sort", bad)):
        result = run_reader(db, *args)
        assert result.returncode in (1, 2)
        assert "internal error" not in one_line_error(result)


def test_only_regular_files_are_read_and_links_stay_in_the_folder(tmp_path: Path) -> None:
    """Promise: a named pipe, given by name or found in a folder, is skipped with a reason
    (no command waits on it); `reader add FOLDER` does not follow a link out of the
    folder (to `/etc/passwd`, say) unless `--follow-links`, and says so."""
    folder = tmp_path / "notes"
    write_notes(folder, 2, "special")
    os.mkfifo(folder / "pipe.md")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    db = tmp_path / "lib.json"
    result = run_reader(db, "add", str(folder), str(folder / "pipe.md"), timeout=30)
    assert result.returncode == 1
    errors = result.stderr.decode()
    assert "named pipe" in errors and "--follow-links" in errors
    with Library(db) as library:
        assert len(library) == 2
        assert not any("root" in (library.body(a.id) or "") for a in library.articles())
    parsed = run_reader(db, "parse", str(folder / "pipe.md"), timeout=30)
    assert parsed.returncode == 1 and "named pipe" in one_line_error(parsed)


def test_bad_values_in_records_are_repaired_and_nothing_prints_a_traceback(
    tmp_path: Path,
) -> None:
    """Promise: a record with values of the wrong type or out of range (an integer above
    2^63 in `word_count`, text in `position`, a list as a highlight's offset) is repaired
    field by field when loaded: `list --json`, `tag`, `bookmark` work, and the reader
    opens and quits without a traceback."""
    db = tmp_path / "lib.json"
    record = {
        "title": "Huge numbers",
        "added": "2024-01-01T00:00:00Z",
        "word_count": 2**63 + 5,
        "reading_minutes": 2**70,
        "position": "half",
        "highlight_count": 1,
    }
    highlight = {"article_id": "abcd1234", "text": "Huge", "paragraph": [1], "start": 2**64}
    data = {
        "_meta": {"schema": {"version": 1}},
        "articles": {"abcd1234": record},
        "highlights": {"feed0001": highlight},
        "settings": {"last_article": {"value": "abcd1234"}},
    }
    db.write_text(json.dumps(data), encoding="utf-8")
    for args in (("list", "--json"), ("tag", "abcd1234", "t"), ("bookmark", "abcd1234")):
        result = run_reader(db, *args)
        assert result.returncode == 0, result.stderr.decode()
        assert_terminal_safe(result, " ".join(args))
    screen = run_tui_in_pty(db, tmp_path / "config")
    assert b"Huge numbers" in screen
    assert b"Traceback" not in screen and b"internal error" not in screen


def test_journal_tells_a_torn_write_from_damage(tmp_path: Path) -> None:
    """Promise: a write killed mid-append (its last line unfinished) is never mistaken for
    data: it is ignored, and the next write cuts it off after keeping its bytes in the
    backups folder, saying so once. A complete journal entry that fails its checksum,
    even the last one, is damage: every command stops with one line and the files are
    left untouched."""
    db = tmp_path / "lib.json"
    ids = fill_library(db, 3)
    with Library(db) as library:
        library.compact()
        library.set_bookmarked(ids[0], True)
    journal = db.with_name(db.name + ".journal")
    good = journal.read_bytes()
    journal.write_bytes(good + b'{"c":[{"t":"articles","id":"')
    first = run_reader(db, "tag", ids[1], "kept")
    assert first.returncode == 0 and "unfinished last write" in first.stderr.decode()
    again = run_reader(db, "tag", ids[2], "kept")
    assert again.returncode == 0 and again.stderr == b""
    assert list(backup_folder(db).glob("*.journal-torn-*"))
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[-1] = lines[-1].replace(b'"kept"', b'"kepT"')  # complete, checksum now wrong
    damaged = b"".join(lines)
    journal.write_bytes(damaged)
    before = db.read_bytes()
    result = run_reader(db, "list")
    assert result.returncode == 1 and "damaged" in one_line_error(result)
    assert journal.read_bytes() == damaged and db.read_bytes() == before


def test_machine_faults_are_one_line_naming_the_file_and_cause(
    tmp_path: Path, record_property
) -> None:  # type: ignore[no-untyped-def]
    """Promise: when the machine is in the way (the lock file or the journal replaced by a
    folder, the library a folder or a loop of links, a full disk or a read-only folder:
    see tests/test_hostile_machine.py), a command ends with one line naming the file and
    the cause, never a traceback or a usage screen, and changes nothing."""
    messages = {}
    for fault in ("lock is a folder", "journal is a folder", "library is a link loop"):
        folder = tmp_path / fault.replace(" ", "-")
        db = folder / "lib.json"
        ids = fill_library(db, 2)
        with Library(db) as library:
            library.set_read(ids[0], True)
        if fault == "lock is a folder":
            target = Path(f"{db}.lock")
            target.unlink(missing_ok=True)
            target.mkdir()
        elif fault == "journal is a folder":
            target = Path(f"{db}.journal")
            target.unlink()
            target.mkdir()
        else:
            target = folder / "loop.json"
            target.symlink_to(target)
            db = target
        result = run_reader(db, "bookmark", ids[1])
        assert result.returncode == 1
        line = one_line_error(result)
        assert target.name in line and "internal error" not in line, line
        messages[fault] = line.replace(str(folder), "…")
    for fault, line in messages.items():
        print(f"{fault}: {line}")
    record_property("machine_faults", json.dumps(messages))
