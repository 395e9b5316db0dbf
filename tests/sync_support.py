"""Helpers of the sync tests: library folders joined through a local bare repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reader.models import ParsedArticle
from reader.store import Library
from reader.sync.service import SyncReport, init, sync
from reader.sync.shared_file import join_shards, shared_folder_for


def bare_repo(tmp_path: Path, name: str = "remote.git") -> Path:
    path = tmp_path / name
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


def add(lib: Library, title: str, url: str | None = None, text: str | None = None) -> str:
    body = text or f"The text of {title}, in a few words of its own.\n"
    parsed = ParsedArticle(title=title, markdown=body, url=url)
    return lib.add_parsed(parsed).article.id


def join(path: Path, remote: Path) -> SyncReport:
    with Library(path) as lib:
        return init(lib, str(remote))


def run_sync(path: Path) -> SyncReport:
    with Library(path) as lib:
        return sync(lib)


def replicas(tmp_path: Path, count: int) -> tuple[Path, list[Path]]:
    """A bare repository and ``count`` library files joined to it (empty libraries)."""
    remote = bare_repo(tmp_path)
    paths = [tmp_path / f"machine{i}" / "library.json" for i in range(count)]
    for path in paths:
        join(path, remote)
    return remote, paths


def converge(paths: list[Path]) -> None:
    """Sync every replica twice round, so that each has everything."""
    for _ in range(2):
        for path in paths:
            run_sync(path)


def shared_bytes(path: Path) -> bytes:
    """The shared files of the library at ``path``, as one file."""
    folder = shared_folder_for(path)
    return join_shards({f.name: f.read_bytes() for f in folder.iterdir()})
