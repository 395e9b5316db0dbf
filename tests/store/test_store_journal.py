"""The library journal: small changes appended beside the main file, replayed on load,
read incrementally by other instances, compacted safely, and refused when damaged."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

import reader.store.storage as storage
from reader.errors import StoreError
from reader.models import ParsedArticle
from reader.sanitize import bytes_may_be_unsafe
from reader.settings.paths import journal_path_for
from reader.store import Library
from reader.store.backups import list_backups, restore_backup
from reader.store.storage import (
    AtomicJSONStorage,
    apply_changes,
    parse_journal,
)


def parsed(n: int, **kw: object) -> ParsedArticle:
    data: dict = {"title": f"Title {n}", "markdown": f"Body number {n} with some words."}
    data.update(kw)
    return ParsedArticle(**data)  # type: ignore[arg-type]


def make_library(path: Path, count: int = 5) -> list[str]:
    """A library of ``count`` articles whose main file holds everything (no journal)."""
    with Library(path) as lib:
        with lib.batch():
            ids = [lib.add_parsed(parsed(i)).article.id for i in range(count)]
        lib.compact()
    assert not journal_path_for(path).exists()
    return ids


def journal_lines(path: Path) -> list[bytes]:
    return journal_path_for(path).read_bytes().splitlines(keepends=True)


def test_small_changes_append_to_the_journal_and_are_replayed(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    main_before = path.read_bytes()
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
        lib.add_tags(ids[1], ["journalled"])
        hl = lib.add_highlight(ids[2], "Body number")
        lib.set_setting("theme", "paper")
        lib.put_feed("f1", {"url": "https://example.org/feed"})
        lib.remove(ids[3])
    assert path.read_bytes() == main_before  # the main file was not rewritten
    lines = journal_lines(path)
    assert orjson.loads(lines[0])["epoch"] == orjson.loads(main_before)["_epoch"]
    assert len(lines) == 7  # the header and one line per write
    assert all(len(line) < 2000 for line in lines)  # documents, not the library
    with Library(path) as again:
        assert again.get(ids[0]).bookmarked
        assert again.get(ids[1]).tags == ["journalled"]
        assert [h.id for h in again.highlights(ids[2])] == [hl.id]
        assert again.get(ids[2]).highlight_count == 1
        assert again.get_setting("theme") == "paper"
        assert again.feeds() == [{"url": "https://example.org/feed", "id": "f1"}]
        assert ids[3] not in again.article_map()
        assert len(again) == 4


def test_one_write_touching_two_documents_is_one_line(tmp_path: Path) -> None:
    """A highlight and its article's count land together or not at all."""
    path = tmp_path / "lib.json"
    ids = make_library(path, 1)
    with Library(path) as lib:
        lib.add_highlight(ids[0], "Body number")
    (_, line) = journal_lines(path)
    payload, _, crc = line.rstrip(b"\n").rpartition(b"\t")
    assert len(crc) == 8  # the line's checksum
    tables = sorted(item["t"] for item in orjson.loads(payload)["c"])
    assert tables == ["articles", "highlights"]


def test_a_torn_last_line_is_ignored_then_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
    journal = journal_path_for(path)
    good = journal.read_bytes()
    # A write killed mid-append, longer than the line written next.
    torn = b'{"c":[{"t":"articles","id":"' + ids[1].encode() + b'","doc":{"title":"' + b"x" * 3000
    journal.write_bytes(good + torn)
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked
        assert not lib.get(ids[1]).bookmarked
        assert journal.read_bytes() == good + torn  # reading never changes the files
        lib.set_read(ids[4], True)  # the next write cuts the torn line off
    data = journal.read_bytes()
    assert data.startswith(good) and torn not in data
    assert len(data.splitlines()) == len(good.splitlines()) + 1
    with Library(path) as again:
        assert again.get(ids[0]).bookmarked and again.get(ids[4]).read


@pytest.mark.parametrize("garbage", [b"not json at all\n", b'{"c": [{"t": 5}]}\n', b"\x00\x00\n"])
def test_a_damaged_line_before_others_is_refused_and_left_alone(
    tmp_path: Path, garbage: bytes
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
        lib.set_read(ids[1], True)
    journal = journal_path_for(path)
    header, first, second = journal_lines(path)
    damaged = header + first + garbage + second
    journal.write_bytes(damaged)
    main_before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Library(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(journal) in message and "damaged" in message and "reader restore" in message
    assert journal.read_bytes() == damaged and path.read_bytes() == main_before


def test_a_journal_of_another_epoch_is_ignored(tmp_path: Path) -> None:
    """A journal left by a rewrite interrupted before the journal was removed holds only
    what the main file already has, maybe older versions of it: it is never replayed."""
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
    stale = journal_path_for(path).read_bytes()  # says: bookmarked
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], False)
        lib.compact()  # the main file now says: not bookmarked
    journal_path_for(path).write_bytes(stale)
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked is False
        lib.set_read(ids[1], True)  # replaces the stale journal
    assert (
        orjson.loads(journal_lines(path)[0])["epoch"] == orjson.loads(path.read_bytes())["_epoch"]
    )
    with Library(path) as again:
        assert again.get(ids[0]).bookmarked is False and again.get(ids[1]).read


def test_compaction_killed_between_rename_and_journal_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    lib = Library(path)
    lib.set_bookmarked(ids[0], True)
    lib.add_tags(ids[1], ["kept"])
    journal_before = journal_path_for(path).read_bytes()

    def killed(target: object, *args: object, **kw: object) -> None:
        raise KeyboardInterrupt("killed after the rename")

    monkeypatch.setattr(storage.os, "unlink", killed)
    with pytest.raises(KeyboardInterrupt):
        lib.compact()
    monkeypatch.undo()
    assert journal_path_for(path).read_bytes() == journal_before  # the old journal is left
    main = orjson.loads(path.read_bytes())
    assert main["articles"][ids[0]]["bookmarked"] is True  # ... and already folded in
    with Library(path) as again:
        assert again.get(ids[0]).bookmarked and again.get(ids[1]).tags == ["kept"]
        again.set_read(ids[2], True)
    with Library(path) as again:
        assert again.get(ids[0]).bookmarked and again.get(ids[1]).tags == ["kept"]
        assert again.get(ids[2]).read
    # Replaying whole documents twice gives the same data (idempotent).
    epoch, changes, _ = parse_journal(path, journal_before, at_start=True)
    assert epoch is not None and changes
    once = orjson.loads(orjson.dumps(main))
    del once["_epoch"]
    apply_changes(once, changes)
    twice = orjson.loads(orjson.dumps(once))
    apply_changes(twice, changes)
    assert once == twice and once["articles"][ids[1]]["tags"] == ["kept"]


def test_the_journal_is_compacted_when_it_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    # a position change journals two documents: the article and its change stamps
    monkeypatch.setattr(storage, "MAX_JOURNAL_DOCS", 20)
    with Library(path) as lib:
        for i in range(25):
            lib.set_position(ids[i % 5], i / 100)
        assert lib._storage.full_writes == 2
    assert len(journal_lines(path)) == 4  # header + 3 since the last compaction (at 11, 22)
    with Library(path) as again:
        assert again.get(ids[4]).position == pytest.approx(0.24)


def test_large_batches_and_unnoted_writes_rewrite_the_main_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    monkeypatch.setattr(storage, "MAX_APPEND_DOCS", 3)
    with Library(path) as lib:
        with lib.batch():
            for aid in ids:
                lib.set_read(aid, True)
        assert not journal_path_for(path).exists()
        lib.set_bookmarked(ids[0], True)
        assert journal_path_for(path).exists()
        # A write that does not name its documents (here: by query) is never lost:
        # the whole file is rewritten.
        with lib._write():
            lib._articles_table.update({"position": 0.5})
        assert not journal_path_for(path).exists()
    with Library(path) as again:
        assert all(a.read and a.position == 0.5 for a in again.articles())
        assert again.get(ids[0]).bookmarked


def test_another_instance_reads_only_the_new_journal_lines(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as a, Library(path) as b:
        assert len(a.articles()) == 5
        loads = a._storage.reload_count
        b.set_bookmarked(ids[0], True)
        added = b.add_parsed(parsed(99)).article
        b.remove(ids[1])
        b.add_highlight(ids[2], "Body number")
        assert a.refresh() is True
        assert a._storage.reload_count == loads  # no full re-read
        assert a.get(ids[0]).bookmarked
        assert a.get(added.id).title == "Title 99"
        assert ids[1] not in a.article_map()
        assert a.get(ids[2]).highlight_count == 1 and len(a.highlights(ids[2])) == 1
        assert a.find_duplicate(None, a.get(added.id).content_hash) is not None
        assert a.refresh() is False
        # A compaction by b is a new main file: a reloads it fully, once.
        b.compact()
        b.set_read(ids[3], True)
        assert a.get(ids[3]).read
        assert a._storage.reload_count == loads + 1


def test_stale_copy_never_written_even_when_both_files_look_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With signatures that never change (reused inodes, coarse times), a write still
    sees the other instance's appends and its compactions (the epoch changes)."""
    path = tmp_path / "lib.json"
    ids = make_library(path)
    monkeypatch.setattr(storage, "file_signature", lambda p: (1, 1, 1, 1) if p.exists() else None)
    with Library(path) as a, Library(path) as b:
        a.articles()
        b.add_tags(ids[0], ["from-b"])
        b.compact()  # a new main file, no journal: only its epoch tells
        a.set_bookmarked(ids[1], True)
        b.compact()
        b.set_read(ids[1], True)
        a.add_tags(ids[0], ["from-a"])
        b.compact()
        a.set_position(ids[2], 0.5)
    monkeypatch.undo()
    with Library(path) as fresh:
        assert fresh.get(ids[0]).tags == ["from-a", "from-b"]
        assert fresh.get(ids[1]).bookmarked and fresh.get(ids[1]).read
        assert fresh.get(ids[2]).position == 0.5


def test_a_failed_append_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    lib = Library(path)
    lib.set_read(ids[0], True)
    before = journal_path_for(path).read_bytes()

    def dying_fsync(fd: int) -> None:
        raise KeyboardInterrupt("killed during fsync")

    monkeypatch.setattr(storage.os, "fsync", dying_fsync)
    with pytest.raises(KeyboardInterrupt):
        lib.set_bookmarked(ids[1], True)
    monkeypatch.undo()
    assert journal_path_for(path).read_bytes() == before
    lib.set_tags(ids[2], ["later"])  # the failed change is written with the next one
    lib.close()
    with Library(path) as again:
        assert again.get(ids[0]).read and again.get(ids[2]).tags == ["later"]
        assert again.get(ids[1]).bookmarked


def test_backups_hold_the_journal_changes_and_restore_drops_the_journal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
    for backup in list_backups(path):  # a day later: the next write takes a backup
        os.utime(backup, (backup.stat().st_mtime - 2 * 86400,) * 2)
    with Library(path) as lib:
        lib.set_read(ids[1], True)
    newest = list_backups(path)[0]
    assert orjson.loads(newest.read_bytes())["articles"][ids[0]]["bookmarked"] is True
    with Library(path) as lib:
        lib.add_tags(ids[2], ["after-backup"])
    assert journal_path_for(path).exists()
    restore_backup(path, newest)
    assert not journal_path_for(path).exists()
    assert path.with_name("lib.json.before-restore.journal").exists()
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked and lib.get(ids[2]).tags == []


def test_journal_with_controls_is_cleaned_on_read(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as a, Library(path) as b:
        a.articles()
        b.set_bookmarked(ids[0], True)
        journal = journal_path_for(path)
        doc = orjson.loads(path.read_bytes())["articles"][ids[1]]
        doc["title"] = "evil \x1b]0;pwned\x07 title"
        line = storage.journal_entry(
            orjson.dumps({"c": [{"t": "articles", "id": ids[1], "doc": doc}]})
        )
        with journal.open("ab") as handle:
            handle.write(line)
        assert a.get(ids[1]).title == "evil ]0;pwned title"
    with Library(path) as fresh:
        assert fresh.get(ids[1]).title == "evil ]0;pwned title"


def test_looks_suspicious_finds_every_kind_of_control() -> None:
    for text in ("\x1b[31m", "a\x08b", "\r", "\x7f", "\x9b", "\u202e", "\u200b", "\ufeff"):
        assert bytes_may_be_unsafe(orjson.dumps({"t": f"ok {text} ok"})), repr(text)
    for text in ("plain", "tab\tand\nnewline", "caf\u00e9 \u201cquoted\u201d \u2014", 'a "q" \\'):
        assert not bytes_may_be_unsafe(orjson.dumps({"t": text})), repr(text)


def test_storage_alone_journals_noted_changes(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    store = AtomicJSONStorage(path)
    store.write({"t": {"a": {"v": 1}}})  # nothing noted: a full write
    assert store.full_writes == 1 and not journal_path_for(path).exists()
    data = store.read()
    assert data is not None
    data["t"]["a"] = {"v": 2}
    store.note_change("t", "a")
    store.write(data)
    assert store.full_writes == 1 and journal_path_for(path).exists()
    assert AtomicJSONStorage(path).read() == {"t": {"a": {"v": 2}}}


_KILL_SCRIPT = """
import sys
import reader.store.storage as storage
from reader.store import Library

storage.MAX_JOURNAL_DOCS = 7  # compact every few writes: kills land in compactions too
db, ids = sys.argv[1], sys.argv[2].split(",")
library = Library(db)
for i in range(1_000_000):
    aid = ids[i % len(ids)]
    if i % 3 == 0:
        library.add_tags(aid, [f"k{i}"])
        print(f"tag {aid} k{i}", flush=True)
    elif i % 3 == 1:
        hl = library.add_highlight(aid, "Body number")
        print(f"highlight {aid} {hl.id}", flush=True)
    else:
        library.set_position(aid, (i % 100) / 100)
        print(f"position {aid} {i}", flush=True)
"""


@pytest.mark.slow
def test_kill_during_appends_and_compactions_keeps_reported_changes(tmp_path: Path) -> None:
    """`kill -9` while writes append to the journal and compact it every few writes:
    the library opens, and every write reported done is there."""
    import random
    import sys

    from tests.promise_helpers import random_delays, run_and_kill

    script = tmp_path / "writer.py"
    script.write_text(_KILL_SCRIPT, encoding="utf-8")
    rng = random.Random(11)
    checked = 0
    for round_no, delay in enumerate(random_delays(rng, 5, 0.4, 1.2)):
        path = tmp_path / f"round-{round_no}" / "lib.json"
        ids = make_library(path, 6)
        report = run_and_kill([sys.executable, str(script), str(path), ",".join(ids)], delay)
        assert not report.finished_before_kill
        assert b"Traceback" not in report.stderr, report.stderr.decode()
        with Library(path) as lib:
            articles = lib.article_map()
            highlight_ids = {h.id for h in lib.highlights()}
            for line in report.lines:
                kind, aid, value = line.split()
                if kind == "tag":
                    assert value in articles[aid].tags, line
                elif kind == "highlight":
                    assert value in highlight_ids, line
            for article in articles.values():
                assert article.highlight_count == len(lib.highlights(article.id))
        checked += len(report.lines)
    assert checked > 0
