"""File names and arguments that are not UTF-8 (issue 19, class 5): paths are used as
the operating system gives them; what is shown or stored of them has the undecodable
bytes as U+FFFD; a bad argument or option is one line, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.promise_helpers import assert_terminal_safe, one_line_error, run_reader

BAD = os.fsdecode(b"caf\xe9")  # what Python makes of a Latin-1 file name
WORSE = os.fsdecode(b"\xff\xfe\x80 \xc3(")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    files = tmp_path / "files"
    files.mkdir()
    (files / "good.md").write_text("# Good\n\nGood text here.\n", encoding="utf-8")
    (files / f"{BAD}.md").write_text("# Cafe\n\nCafe text here.\n", encoding="utf-8")
    (files / f"{WORSE}.txt").write_text("Worse\n\nWorse text here.\n", encoding="utf-8")
    (files / "zz-last.md").write_text("# Last\n\nLast text here.\n", encoding="utf-8")
    return files


def test_a_folder_with_undecodable_names_is_imported_whole(tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "lib.json"
    result = run_reader(db, "add", str(folder))
    assert_terminal_safe(result, "add folder with bad names")
    assert result.returncode == 0, result.stderr.decode()
    listed = json.loads(run_reader(db, "list", "--json").stdout)
    assert {a["title"] for a in listed} == {"Good", "Cafe", "Worse", "Last"}
    paths = {a["source_path"] for a in listed}
    assert any(p.endswith("caf\ufffd.md") for p in paths), paths
    as_json = run_reader(db, "add", "--json", str(folder / f"{BAD}.md"))
    assert as_json.returncode == 0
    [outcome] = json.loads(as_json.stdout)
    assert outcome["status"] == "duplicate" and outcome["path"].endswith("caf\ufffd.md")


@pytest.mark.parametrize(
    "args",
    [
        ("tag", "ID", f"x{BAD}"),
        ("add", "--tag", WORSE, "FILE"),
        ("highlight", "ID", "Good", "--note", f"n {WORSE}"),
        ("show", BAD),
        ("rm", WORSE),
        ("import-highlights", f"{BAD}.json"),
        ("migrate", "pocket", f"{BAD}.csv"),
        ("add", "--feed", f"{BAD}.xml"),
        ("export", "--format", "json", "--out", "OUT"),
    ],
)
def test_undecodable_arguments_are_handled_or_one_line(
    tmp_path: Path, folder: Path, args: tuple[str, ...]
) -> None:
    db = tmp_path / "lib.json"
    run_reader(db, "add", str(folder / "good.md"))
    [article] = json.loads(run_reader(db, "list", "--json").stdout)
    (tmp_path / f"{BAD}.xml").write_text("<rss><channel><title>T</title></channel></rss>")
    replace = {
        "ID": article["id"],
        "FILE": str(folder / "zz-last.md"),
        "OUT": str(tmp_path / f"{BAD}.json"),
    }
    result = run_reader(db, *(replace.get(a, a) for a in args), cwd=tmp_path)
    assert_terminal_safe(result, " ".join(args))
    if result.returncode != 0:
        assert result.returncode in (1, 2)
        line = one_line_error(result)
        assert "internal error" not in line, line


@pytest.mark.parametrize(
    "args", [("tag",), ("--bogus",), ("list", "--sort", WORSE), ("nosuchcommand",)]
)
def test_usage_errors_are_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_reader(tmp_path / "lib.json", *args)
    assert result.returncode == 2
    assert "--help" in one_line_error(result)
    assert_terminal_safe(result, " ".join(args))
