"""The journal's last line (issue 19, class 8): each entry carries a checksum, so a torn
final write (no newline: killed mid-append) is told apart from a damaged complete entry.
A torn write is ignored, kept aside in the backups folder when the next write cuts it
off, and reported once; a damaged entry, even the last one, stops with the usual message
and leaves the files untouched. Old (version 1) journals stay readable."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from reader.errors import StoreError
from reader.models import ParsedArticle
from reader.settings.paths import journal_path_for
from reader.store import Library
from reader.store.backups import backup_folder
from reader.store.storage import journal_entry
from tests.promise_helpers import run_reader


def make_library(path: Path, count: int = 3) -> list[str]:
    """A library of ``count`` articles, all in its main file (no journal yet)."""
    with Library(path) as lib:
        with lib.batch():
            ids = [
                lib.add_parsed(ParsedArticle(title=f"A{i}", markdown=f"Body {i}.")).article.id
                for i in range(count)
            ]
        lib.compact()
    return ids


def torn_files(path: Path) -> list[Path]:
    return sorted(backup_folder(path).glob("*.journal-torn-*"))


@pytest.mark.parametrize(
    "torn",
    [b'{"c":[{"t":"articles","id":"x', b"\x00" * 700, b"{}", b'{"c":[]}\t0000'],
    ids=["half json", "zeros", "braces", "no newline"],
)
def test_a_torn_last_write_is_ignored_kept_aside_and_reported_once(
    tmp_path: Path, torn: bytes
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
    journal = journal_path_for(path)
    good = journal.read_bytes()
    journal.write_bytes(good + torn)
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked
        assert journal.read_bytes() == good + torn  # reading changes nothing
        assert lib.take_notices() == []
        lib.set_read(ids[1], True)  # the write that cuts it off
        [notice] = lib.take_notices()
        assert "unfinished last write" in notice and str(backup_folder(path)) in notice
        lib.set_read(ids[2], True)
        assert lib.take_notices() == []  # once
    [kept] = torn_files(path)
    assert kept.read_bytes() == torn
    assert torn not in journal.read_bytes()
    with Library(path) as again:
        assert again.get(ids[1]).read and again.get(ids[2]).read


def test_the_cli_reports_the_cut_off_write_once(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
    journal = journal_path_for(path)
    journal.write_bytes(journal.read_bytes() + b'{"c":[{"t":"art')
    first = run_reader(path, "bookmark", ids[1])
    second = run_reader(path, "bookmark", ids[2])
    assert first.returncode == second.returncode == 0
    assert "unfinished last write" in first.stderr.decode()
    assert "unfinished" not in second.stderr.decode()


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1 :]


@pytest.mark.parametrize("where", ["last", "middle"])
@pytest.mark.parametrize("damage", ["flipped bit", "checksum", "no checksum", "valid json"])
def test_a_damaged_complete_entry_stops_and_leaves_the_files(
    tmp_path: Path, where: str, damage: str
) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    with Library(path) as lib:
        lib.set_bookmarked(ids[0], True)
        lib.set_read(ids[1], True)
    journal = journal_path_for(path)
    header, first, second = journal.read_bytes().splitlines(keepends=True)
    target = second if where == "last" else first
    payload = target.rstrip(b"\n").rpartition(b"\t")[0]
    if damage == "flipped bit":
        bad = _flip(target, 20)
    elif damage == "checksum":
        bad = payload + b"\tdeadbeef\n"
    elif damage == "no checksum":
        bad = payload + b"\n"
    else:  # a different, valid change set under the old checksum
        bad = payload.replace(b'"title":"A', b'"title":"B') + target[len(payload) :]
    lines = [header, bad, second] if where == "middle" else [header, first, bad]
    damaged = b"".join(lines)
    journal.write_bytes(damaged)
    main_before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Library(path)
    message = str(err.value)
    assert "damaged" in message and "reader restore" in message and "\n" not in message
    assert journal.read_bytes() == damaged and path.read_bytes() == main_before
    result = run_reader(path, "bookmark", ids[2])
    assert result.returncode == 1 and "damaged" in result.stderr.decode()
    assert journal.read_bytes() == damaged and path.read_bytes() == main_before


def test_an_old_journal_without_checksums_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    ids = make_library(path)
    epoch = orjson.loads(path.read_bytes())["_epoch"]
    doc = orjson.loads(path.read_bytes())["articles"][ids[0]]
    doc["bookmarked"] = True
    line = orjson.dumps({"c": [{"t": "articles", "id": ids[0], "doc": doc}]})
    journal = journal_path_for(path)
    header = orjson.dumps({"journal": 1, "epoch": epoch}) + b"\n"
    journal.write_bytes(header + journal_entry(line, 1) + b'{"c":[{"t":"torn')
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked
        lib.set_read(ids[1], True)  # appended in the journal's own form
    lines = journal.read_bytes().splitlines()
    assert lines[0] == header.rstrip() and b"\t" not in lines[-1]
    with Library(path) as lib:
        assert lib.get(ids[0]).bookmarked and lib.get(ids[1]).read
        lib.compact()
        lib.set_read(ids[2], True)  # a new journal: version 2
    assert orjson.loads(journal.read_bytes().splitlines()[0])["journal"] == 2
    assert os.path.getsize(journal) > 0
