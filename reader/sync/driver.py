"""The merge driver git runs for the shared file (``reader merge-library BASE OURS
THEIRS``, registered by ``reader sync init`` in ``.git/config`` and ``.gitattributes``),
so that a ``git pull`` done by hand merges the library as ``reader sync`` does.

The merged state is written over OURS, as git expects. Each file is read by
``shared_file.load_state`` (a file that is not a shared file is a one-line error and exit
status 1: git then reports a conflict and keeps the files). The library itself takes the
result at the next ``reader sync``.
"""

from __future__ import annotations

from pathlib import Path

from reader.errors import StoreError
from reader.store.atomic_files import atomic_write_bytes
from reader.store.storage import read_file_bytes
from reader.sync.merge import merge_states
from reader.sync.shared_file import dump_state, load_state


def merge_files(base: Path, ours: Path, theirs: Path) -> list[str]:
    """Merge the three shared files into ``ours``; the titles kept for their highlights."""
    states = []
    for path in (base, ours, theirs):
        try:
            raw = read_file_bytes(path)
        except StoreError:
            if path is not base:
                raise
            raw = b""
        states.append(load_state(str(path), raw))
    merge = merge_states(*states)
    atomic_write_bytes(ours, dump_state(merge.state), mode=0o644)
    return merge.kept
