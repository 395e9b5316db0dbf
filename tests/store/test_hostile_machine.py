"""The machine itself (issue 19, class 9): a full disk, a read-only library, a folder or a
link loop where a library file should be. Each is one line naming the file and the cause;
a failed add leaves no orphan body file; a failed restore leaves no half-copied file; and
``reader restore`` brings back the newest good backup.

A full disk and a read-only folder are real: the commands run in a private mount
namespace (``unshare``) on a small tmpfs or a read-only bind mount. Without ``unshare``
those tests are skipped; the others run everywhere."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reader.store.storage as storage
from reader.errors import describe_os_error
from reader.models import ParsedArticle
from reader.store import Library
from reader.store.backups import backup_folder, list_backups, take_backup
from tests.promise_helpers import child_env, fill_library, one_line_error, run_reader


def _namespace_prefix() -> list[str] | None:
    """The ``unshare`` command line giving a private mount namespace, or None."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    for prefix in ([unshare, "--mount"], [unshare, "--user", "--map-root-user", "--mount"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    return None


NAMESPACE = _namespace_prefix()
needs_namespace = pytest.mark.skipif(NAMESPACE is None, reason="needs unshare (mount namespace)")


def in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell ``script`` in a private mount namespace (its mounts vanish after)."""
    assert NAMESPACE is not None
    env = {**child_env(), "PY": sys.executable}
    return subprocess.run(
        [*NAMESPACE, "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def write_pages(folder: Path, count: int, size: int = 6000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        words = " ".join(f"w{i}x{j}" for j in range(size // 8))
        path = folder / f"page{i:03d}.md"
        path.write_text(f"# Page {i}\n\n{words}\n", encoding="utf-8")
        paths.append(path)
    return paths


CHECK = """
import json, sys
from pathlib import Path
from reader.store import Library
lib = Library(sys.argv[1])
ids = {a.id for a in lib.articles()}
bodies = {p.stem for p in lib.bodies.folder.glob("*.md")}
stray = [p.name for p in lib.bodies.folder.iterdir() if p.name.startswith(".")]
print(json.dumps({"articles": len(ids), "orphans": sorted(bodies - ids),
                  "missing": sorted(ids - bodies), "stray": stray}))
"""


@needs_namespace
@pytest.mark.parametrize("workers", ["pool", "serial"])
def test_disk_full_during_add_is_one_line_and_leaves_no_orphan_body(
    tmp_path: Path, workers: str
) -> None:
    pages = write_pages(tmp_path / "pages", 40 if workers == "pool" else 10, 9000)
    base = tmp_path / "base"
    fill_library(base / "lib.json", 3)
    (tmp_path / "check.py").write_text(CHECK)
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"""
mount -t tmpfs -o size=160k none {disk} || exit 99
cp -r {base}/. {disk}/
"$PY" -c "open('{disk}/filler','wb').write(b'x' * (160*1024 - 60000))" 2>/dev/null
"$PY" -m reader --db {disk}/lib.json add {" ".join(map(str, pages))} > {tmp_path}/out 2> {tmp_path}/err
echo "rc=$?" > {tmp_path}/rc
rm -f {disk}/filler
"$PY" {tmp_path}/check.py {disk}/lib.json > {tmp_path}/check
"""
    result = in_namespace(script, tmp_path)
    if result.returncode == 99:
        pytest.skip("cannot mount a tmpfs here")
    assert (tmp_path / "rc").read_text().strip() == "rc=1", result.stderr
    errors = (tmp_path / "err").read_text().splitlines()
    failures = [line for line in errors if "disk full" in line]
    assert failures, errors
    assert all(line.startswith("reader: /") for line in failures), failures
    assert not any("Traceback" in line or "internal error" in line for line in errors)
    check = json.loads((tmp_path / "check").read_text())
    assert check["orphans"] == check["missing"] == check["stray"] == [], check
    reported = [line for line in (tmp_path / "out").read_text().splitlines() if "added" in line]
    assert check["articles"] >= 3 + len(reported)  # every article reported is there


@needs_namespace
def test_a_read_only_library_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "lib" / "lib.json"
    ids = fill_library(db, 2)
    before = db.read_bytes()
    script = f"""
mount --bind -o ro {db.parent} {db.parent} || exit 99
"$PY" -m reader --db {db} bookmark {ids[0]} 2> {tmp_path}/err1; echo $? >> {tmp_path}/rcs
"$PY" -m reader --db {db} restore 2> {tmp_path}/err2; echo $? >> {tmp_path}/rcs
"$PY" -m reader --db {db} list > {tmp_path}/list 2>&1; echo $? >> {tmp_path}/rcs
"""
    result = in_namespace(script, tmp_path)
    if result.returncode == 99:
        pytest.skip("cannot bind-mount here")
    assert (tmp_path / "rcs").read_text().split() == ["1", "1", "0"]
    for name in ("err1", "err2"):
        [line] = (tmp_path / name).read_text().splitlines()
        assert "read-only file system" in line and str(db) in line, line
    assert db.read_bytes() == before


@needs_namespace
def test_disk_full_during_restore_leaves_no_half_copied_file(tmp_path: Path) -> None:
    folder = tmp_path / "base"
    db = folder / "lib.json"
    fill_library(db, 1)
    with Library(db) as library:
        library.compact()
        take_backup(db, reason="test")
        with library.batch():
            for i in range(300):
                library.add_parsed(ParsedArticle(title=f"More {i}", markdown=f"Text {i} " * 40))
        library.compact()
    small = next(b for b in list_backups(db) if b.name.endswith("-test.json"))
    disk = tmp_path / "disk"
    disk.mkdir()
    size = db.stat().st_size
    script = f"""
mount -t tmpfs -o size={size // 1024 + 64}k none {disk} || exit 99
mkdir {disk}/lib.backups && cp {db} {disk}/ && cp {small} {disk}/lib.backups/
"$PY" -c "import os; s = os.statvfs('{disk}'); open('{disk}/filler','wb').write(b'x' * (s.f_bavail * s.f_frsize - 8192))"
"$PY" -m reader --db {disk}/lib.json restore 2> {tmp_path}/err; echo $? > {tmp_path}/rc
ls -a {disk} > {tmp_path}/listing
cmp {disk}/lib.json {db} && echo same > {tmp_path}/same
"""
    result = in_namespace(script, tmp_path)
    if result.returncode == 99:
        pytest.skip("cannot mount a tmpfs here")
    assert (tmp_path / "rc").read_text().strip() == "1", result.stderr
    [line] = (tmp_path / "err").read_text().splitlines()
    assert "disk full" in line and "lib.json" in line, line
    listing = (tmp_path / "listing").read_text().split()
    assert not [n for n in listing if "before-restore" in n or n.endswith(".tmp")], listing
    assert (tmp_path / "same").exists()  # the library file is as it was


@pytest.mark.parametrize("fault", ["lock is a folder", "journal is a folder", "link loop"])
def test_files_in_the_way_are_one_line_naming_them(tmp_path: Path, fault: str) -> None:
    db = tmp_path / "lib.json"
    ids = fill_library(db, 2)
    with Library(db) as library:
        library.set_read(ids[0], True)  # a journal exists
    if fault == "lock is a folder":
        Path(f"{db}.lock").unlink(missing_ok=True)
        Path(f"{db}.lock").mkdir()
        named, cause = f"{db}.lock", "is a folder"
        args: tuple[str, ...] = ("bookmark", ids[1])
    elif fault == "journal is a folder":
        journal = Path(f"{db}.journal")
        journal.unlink()
        journal.mkdir()
        named, cause = str(journal), "is a folder"
        args = ("list",)
    else:
        db = tmp_path / "loop.json"
        db.symlink_to(tmp_path / "loop.json")
        named, cause = "loop.json", "loop of symbolic links"
        args = ("list",)
    result = run_reader(db, *args)
    assert result.returncode == 1
    line = one_line_error(result)
    assert named in line and cause in line, line


def test_a_failed_metadata_write_removes_the_bodies_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bodies of a batch are in place before its journal line; when that line cannot
    be written (the disk filled up just then), the bodies go too, and the articles are
    not written later by another change."""
    db = tmp_path / "lib.json"
    fill_library(db, 2)
    library = Library(db)
    library.compact()
    library.set_read(library.articles()[0].id, True)  # the journal exists: next is an append

    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "pwrite", full)
    with pytest.raises(OSError) as err, library.batch():
        for i in range(5):
            library.add_parsed(ParsedArticle(title=f"New {i}", markdown=f"New text {i}."))
    assert describe_os_error(err.value) == f"{db}.journal: disk full"
    monkeypatch.undo()
    assert len(list(library.bodies.folder.glob("*.md"))) == 2
    library.set_bookmarked(library.articles()[1].id, True)  # the next write
    library.close()
    with Library(db) as again:
        assert len(again) == 2 and again.articles()[1].bookmarked


def test_restore_brings_back_the_newest_good_backup(tmp_path: Path) -> None:
    """A library that grew during the day gets a fresh backup (not only the day's first,
    taken while it was empty), and `reader restore` skips a damaged newest one."""
    db = tmp_path / "lib.json"
    fill_library(db, 1)
    with Library(db) as library:
        library.set_read(library.articles()[0].id, True)  # the day's first backup: 1 article
    first = list_backups(db)
    assert len(first) == 1
    ids = fill_library(db, 400, tag="more")  # the library more than doubles ...
    with Library(db) as library:
        library.set_read(ids[0], True)  # ... so this write takes a new backup
    backups = list_backups(db)
    assert len(backups) == 2
    newest_good = backups[0]
    damaged = backup_folder(db) / "lib-99991231T000000000000-test.json"
    damaged.write_bytes(b"{broken")
    db.write_bytes(b"garbage")
    result = run_reader(db, "restore")
    assert result.returncode == 0, result.stderr.decode()
    assert newest_good.name in result.stdout.decode() + result.stderr.decode()
    with Library(db) as library:
        assert len(library) == 401
