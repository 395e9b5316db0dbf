"""Special files (issue 19, class 6): only regular files are read (a named pipe given by
name or found in a folder is skipped with a reason, never waited on); ``add DIR`` does
not follow links out of the folder unless ``--follow-links``; a subfolder that cannot
be read is reported."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from reader.errors import ImportFailed
from reader.ingest.importers import find_importable, read_input
from tests.promise_helpers import assert_terminal_safe, fill_library, run_reader

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    top = tmp_path / "notes"
    (top / "sub").mkdir(parents=True)
    (top / "good.md").write_text("# Good\n\nGood text.\n", encoding="utf-8")
    (top / "sub" / "inner.md").write_text("# Inner\n\nInner text.\n", encoding="utf-8")
    os.mkfifo(top / "pipe.md")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nNot for the library.\n", encoding="utf-8")
    (top / "secret.txt").symlink_to(outside / "secret.txt")
    (top / "away").symlink_to(outside)
    (top / "loop").symlink_to(top)
    (top / "inner-link.md").symlink_to(top / "sub" / "inner.md")
    return top


def test_read_input_refuses_every_kind_of_special_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock"))
        for name, kind in (("fifo", "named pipe"), ("sock", "socket")):
            with pytest.raises(ImportFailed, match=kind):
                read_input(tmp_path / name)
    with pytest.raises(ImportFailed, match="character device"):
        read_input(Path("/dev/zero"))  # would never end
    with pytest.raises(ImportFailed, match="is a directory"):
        read_input(tmp_path)


def test_folder_walk_skips_links_out_and_reports_them(tree: Path) -> None:
    skipped: list[tuple[str, str]] = []
    found = find_importable([tree], on_skip=lambda p, why: skipped.append((p.name, why)))
    assert sorted(p.name for p in found) == ["good.md", "inner-link.md", "inner.md", "pipe.md"]
    assert sorted(name for name, _ in skipped) == ["away", "secret.txt"]
    assert all("--follow-links" in why for _, why in skipped)
    followed = find_importable([tree], follow_links=True)
    assert "secret.txt" in {p.name for p in followed}  # asked for; the loop ends


def test_an_unreadable_subfolder_is_reported(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def scandir(path: object = "."):  # type: ignore[no-untyped-def]
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    skipped: list[tuple[str, str]] = []
    find_importable([tree], on_skip=lambda p, why: skipped.append((p.name, why)))
    assert ("sub", "cannot read this folder (Permission denied); its files were skipped") in skipped


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_subfolder_is_one_failed_line(tmp_path: Path, tree: Path) -> None:
    (tree / "sub").chmod(0)
    try:
        result = run_reader(tmp_path / "lib.json", "add", str(tree))
    finally:
        (tree / "sub").chmod(0o755)
    assert "cannot read this folder" in result.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ("add", "PIPE"),
        ("parse", "PIPE"),
        ("add", "--feed", "PIPE"),
        ("import-highlights", "PIPE"),
        ("migrate", "pocket", "PIPE"),
        ("migrate", "wallabag", "PIPE"),
        ("migrate", "kindle", "PIPE"),
    ],
)
def test_a_named_pipe_never_blocks_a_command(tmp_path: Path, args: tuple[str, ...]) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    fill_library(tmp_path / "lib.json", 1)
    argv = [str(tmp_path / "pipe.md") if a == "PIPE" else a for a in args]
    result = run_reader(tmp_path / "lib.json", *argv, timeout=30)
    assert result.returncode == 1
    assert "named pipe" in result.stderr.decode()
    assert_terminal_safe(result, " ".join(args))


def test_add_folder_imports_the_regular_files_and_reports_the_rest(
    tmp_path: Path, tree: Path
) -> None:
    db = tmp_path / "lib.json"
    result = run_reader(db, "add", "--json", str(tree), timeout=30)
    outcomes = json.loads(result.stdout)
    errors = {Path(o["path"]).name: o["error"] for o in outcomes if o["status"] == "error"}
    assert set(errors) == {"away", "secret.txt", "pipe.md"}
    titles = {o["title"] for o in outcomes if o["status"] == "added"}
    assert titles == {"Good", "Inner"}
    followed = run_reader(db, "add", "--json", "--follow-links", str(tree), timeout=30)
    assert "Secret" in {o["title"] for o in json.loads(followed.stdout)}
