"""The sync flow: ``init`` (make the library folder a git repository joined to a remote),
``sync`` (commit, fetch, merge, push, retried when the remote moved) and ``status``.

Order of writes, so that a kill at any moment loses nothing reported done and the next
sync completes: the library is read and written under its own lock (changes made
meanwhile by the app or another command wait, then land on top); a merge writes the
bodies, then the library file (one atomic rewrite), then moves HEAD, then the marker
``.git/reader-synced`` (the commit the library last matched). A HEAD that moved without
the library (killed in between, or a ``git pull`` by hand) is merged into the library
first, against the marker: merging a state already merged gives the same state.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reader.store import Library
from reader.store.atomic_files import AtomicWrites, atomic_write_bytes
from reader.sync.describe import count_changes, describe
from reader.sync.incremental import merge_changed
from reader.sync.library_state import state_of, store_state
from reader.sync.merge import OURS, Merge
from reader.sync.repo import PushRejected, Repo, SyncError
from reader.sync.shared_file import (
    State,
    changed_records,
    dump_shards,
    empty_state,
    join_shards,
    load_state,
    shared_folder_for,
)

MAX_ATTEMPTS = 5
MARKER = "reader-synced"
DRIVER = "reader-library"


@dataclass(slots=True)
class SyncReport:
    """What one sync did."""

    sent: Counter[str] = field(default_factory=Counter)  # local changes committed
    received: Counter[str] = field(default_factory=Counter)  # changes from elsewhere
    kept: list[str] = field(default_factory=list)  # deleted elsewhere, kept for highlights
    pushed: bool = False
    attempts: int = 0

    def summary(self) -> str:
        """One line for the user."""
        parts = [f"sent {describe(self.sent)}", f"received {describe(self.received)}"]
        if self.kept:
            parts.append(
                f"kept {len(self.kept)} article(s) deleted on another machine, because "
                f"they got new highlights here or there: {', '.join(self.kept[:3])}"
            )
        return "synced: " + "; ".join(parts)


class LibraryFolder:
    """The files of one library as the sync sees them (names relative to the folder)."""

    def __init__(self, library_path: Path) -> None:
        self.library_path = library_path
        self.folder = library_path.parent
        self.shared_folder = shared_folder_for(library_path)
        self.shared_name = self.shared_folder.name
        self.bodies_name = library_path.stem + ".bodies"

    def gitignore(self) -> bytes:
        return (
            "# reader sync: only the shared file and the bodies travel between machines.\n"
            "# Everything else is this machine's, or rebuilt from those: the library file\n"
            "# and its journal, the lock, backups, the search index, the start snapshot.\n"
            "/*\n"
            "!/.gitignore\n"
            "!/.gitattributes\n"
            f"!/{self.shared_name}/\n"
            f"/{self.shared_name}/.*\n"
            f"!/{self.bodies_name}/\n"
            f"/{self.bodies_name}/.*\n"
        ).encode()

    def gitattributes(self) -> bytes:
        return f"/{self.shared_name}/*.jsonl merge={DRIVER} -text\n".encode()


def merge_tool_command() -> str:
    import shlex
    import sys

    return f"{shlex.quote(sys.executable)} -m reader merge-library %O %A %B"


def init(library: Library, remote: str) -> SyncReport:
    """Make the library's folder a git repository joined to ``remote`` and sync it (the
    union of this library and the one the remote holds, if any)."""
    files = LibraryFolder(library.path)
    repo = Repo(files.folder)
    if repo.exists() and not is_sync_folder(files):
        raise SyncError(
            f"{files.folder} is already a git repository not made by reader sync; "
            "keep the library in a folder of its own"
        )
    branch = repo.remote_branch(remote) or (repo.branch() if repo.exists() else "main")
    if not repo.exists():
        files.folder.mkdir(parents=True, exist_ok=True)
        repo.init(branch)
    elif repo.rev("HEAD") is None:
        repo.run("symbolic-ref", "HEAD", f"refs/heads/{branch}")
    atomic_write_bytes(files.folder / ".gitignore", files.gitignore(), mode=0o644)
    atomic_write_bytes(files.folder / ".gitattributes", files.gitattributes(), mode=0o644)
    repo.config(f"merge.{DRIVER}.name", "reader's merge of a library")
    repo.config(f"merge.{DRIVER}.driver", merge_tool_command())
    repo.set_remote(remote)
    return sync(library)


def is_sync_folder(files: LibraryFolder) -> bool:
    try:
        return f"merge={DRIVER}" in (files.folder / ".gitattributes").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def _open_repo(files: LibraryFolder) -> Repo:
    repo = Repo(files.folder)
    if not repo.exists() or not is_sync_folder(files) or repo.remote_url() is None:
        raise SyncError(
            f"{files.folder} is not set up for sync; run `reader sync init REMOTE` first"
        )
    return repo


def sync(library: Library) -> SyncReport:
    """Commit this library's changes, merge the remote's, push; retried (up to
    ``MAX_ATTEMPTS``) when the remote moved meanwhile."""
    files = LibraryFolder(library.path)
    repo = _open_repo(files)
    branch = repo.branch()
    report = SyncReport()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report.attempts = attempt
        remote = repo.fetch(branch)
        with library.batch():
            _Step(repo, files, library, report).run(remote)
        if remote is not None and repo.rev("HEAD") == remote:
            report.pushed = True  # nothing to push
            return report
        try:
            repo.push(branch)
        except PushRejected:
            continue
        report.pushed = True
        return report
    raise SyncError(
        f"the remote {repo.remote_url()} kept moving ({MAX_ATTEMPTS} tries); "
        "try `reader sync` again"
    )


class _Step:
    """One locked pass: load a HEAD moved by hand, commit local changes, merge the
    remote's commit into the library."""

    def __init__(self, repo: Repo, files: LibraryFolder, library: Library, report: SyncReport):
        self.repo, self.files, self.library, self.report = repo, files, library, report

    def run(self, remote: str | None) -> None:
        repo = self.repo
        state = state_of(self.library)
        head = repo.rev("HEAD")
        marker = _read_marker(repo)
        if head is not None and marker != head:
            before = state
            state = self._merge(marker, state, head)
            self.report.received += count_changes(before, state)
            _write_marker(repo, head)
        if head is None and remote is not None:  # a new machine joining: start from theirs
            before = state
            state = self._merge(None, state, remote)
            self.report.received += count_changes(before, state)
            self.report.sent += count_changes(self._state_at(remote), state)
            repo.stage_all()
            tree_is_theirs = repo.index_tree() == repo.tree_of(remote)
            new = remote if tree_is_theirs else repo.commit(describe(self.report.sent), [remote])
            repo.move_head(new, None)
            _write_marker(repo, new)
            return
        data = self._write_shared(state)
        repo.stage_all()
        if repo.staged_changes(head):
            old = _shared_bytes_at(repo, self.files, head)
            counts = count_changes(*changed_records(old, data))
            self.report.sent += counts
            message = describe(counts) if head is not None else "reader library"
            commit = repo.commit(message, [head] if head else [])
            repo.move_head(commit, head)
            head = commit
        assert head is not None
        _write_marker(repo, head)
        if remote is None or remote == head or repo.is_ancestor(remote, head):
            return
        base = repo.merge_base(head, remote)
        before = state
        merged_state = self._merge(base, state, remote, data)
        counts = count_changes(before, merged_state)
        self.report.received += counts
        repo.stage_all()
        if repo.is_ancestor(head, remote) and repo.index_tree() == repo.tree_of(remote):
            new = remote  # a fast-forward
        else:
            new = repo.commit(f"Merge: {describe(counts)}", [head, remote])
        repo.move_head(new, head)
        _write_marker(repo, new)

    def _state_at(self, commit: str | None) -> State:
        return _state_at(self.repo, self.files, commit)

    def _merge(
        self,
        base_commit: str | None,
        ours: State,
        theirs_commit: str,
        ours_raw: bytes | None = None,
    ) -> State:
        """Merge the state of ``theirs_commit`` into the library against ``base_commit``
        (bodies, then the library file, then the shared files); the merged state."""
        merge = merge_changed(
            f"{self.files.shared_name} at {theirs_commit[:10]}",
            _shared_bytes_at(self.repo, self.files, base_commit),
            ours,
            _shared_bytes_at(self.repo, self.files, theirs_commit),
            ours_raw,
        )
        self._write_bodies(merge, theirs_commit)
        store_state(self.library, merge.state)
        for aid in ours["articles"].keys() - merge.state["articles"].keys():
            self.library.bodies.delete(aid)  # (after the library stopped naming it)
        self._write_shared(merge.state)
        self.report.kept += merge.kept
        return merge.state

    def _write_bodies(self, merge: Merge, theirs_commit: str) -> None:
        """Put each merged article's body in place: the chosen side's, else the other's
        (a fetched body wins over none)."""
        bodies = self.library.bodies
        theirs_files = self.repo.tree_files(theirs_commit, self.files.bodies_name)
        files: dict[str, Path] = {}  # article id -> file of ours to copy
        blobs: dict[str, str] = {}  # article id -> blob of theirs to write
        for aid, (side, ours_id, theirs_id) in merge.bodies.items():
            own = (
                bodies.path_for(ours_id) if ours_id and bodies.path_for(ours_id).exists() else None
            )
            blob = theirs_files.get(f"{theirs_id}.md") if theirs_id else None
            if own is not None and (side == OURS or blob is None):
                if ours_id != aid:
                    files[aid] = own
            elif blob is not None:
                blobs[aid] = blob
        data = self.repo.blobs(sorted(set(blobs.values())))
        for aid, path in files.items():
            bodies.write(aid, path.read_bytes().decode("utf-8", "replace"), durable=False)
        for aid, blob in blobs.items():
            if blob in data:
                bodies.write(aid, data[blob].decode("utf-8", "replace"), durable=False)
        if files or blobs:
            bodies.sync()  # durable before the library names them

    def _write_shared(self, state: State) -> bytes:
        """Write the shard files of ``state`` that changed; all of them as one file."""
        shards = dump_shards(state)
        folder = self.files.shared_folder
        folder.mkdir(parents=True, exist_ok=True)
        with AtomicWrites() as writes:
            for name, data in shards.items():
                path = folder / name
                with contextlib.suppress(OSError):
                    if path.read_bytes() == data:
                        continue
                writes.add(path, data, mode=0o644)
        return join_shards(shards)


def _shared_bytes_at(repo: Repo, files: LibraryFolder, commit: str | None) -> bytes:
    """The shard files in ``commit``, as one file (b"" for None)."""
    if commit is None:
        return b""
    names = repo.tree_files(commit, files.shared_name)
    blobs = repo.blobs(sorted(set(names.values())))
    return join_shards({name: blobs.get(sha, b"") for name, sha in names.items()})


def _state_at(repo: Repo, files: LibraryFolder, commit: str | None) -> State:
    """The shared state in ``commit`` (empty for None)."""
    if commit is None:
        return empty_state()
    name = f"{files.shared_name} at {commit[:10]}"
    return load_state(name, _shared_bytes_at(repo, files, commit))


def _read_marker(repo: Repo) -> str | None:
    try:
        text = (repo.git_dir / MARKER).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if repo.rev(text) else None


def _write_marker(repo: Repo, commit: str) -> None:
    if _read_marker(repo) != commit:
        atomic_write_bytes(repo.git_dir / MARKER, (commit + "\n").encode())


@dataclass(slots=True)
class SyncStatus:
    """What is not yet synced, both ways."""

    remote: str
    branch: str
    reachable: str | None  # None: fetched now; else why the remote could not be reached
    local: Counter[str]  # changes in the library not yet committed
    loaded: bool  # the library holds the checked-out commit (no `git pull` by hand pending)
    to_push: int  # commits here, not on the remote
    to_pull: int  # commits on the remote, not here
    incoming: Counter[str]  # what those commits change

    def lines(self) -> list[str]:
        out = [f"remote: {self.remote} (branch {self.branch})"]
        if self.reachable is not None:
            out.append(f"remote not reachable ({self.reachable}); as last fetched:")
        if not self.loaded:
            out.append("a commit checked out by hand is not in the library yet (run `reader sync`)")
        if self.local or self.to_push:
            what = describe(self.local) if self.local else "nothing new"
            out.append(f"to send: {what} in the library; {self.to_push} commit(s) not pushed")
        if self.to_pull:
            out.append(f"to receive: {describe(self.incoming)} ({self.to_pull} commit(s))")
        if len(out) == 1 + (self.reachable is not None) and self.loaded:
            out.append("in sync: nothing to send or receive")
        return out


def status(library: Library) -> SyncStatus:
    """What ``sync`` would send and receive (fetches the remote, changes nothing else)."""
    files = LibraryFolder(library.path)
    repo = _open_repo(files)
    branch = repo.branch()
    reachable: str | None = None
    try:
        remote = repo.fetch(branch)
    except SyncError as err:
        reachable = str(err)
        remote = repo.tracking(branch)
    head = repo.rev("HEAD")
    local = count_changes(_state_at(repo, files, head), state_of(library))
    to_push = to_pull = 0
    incoming: Counter[str] = Counter()
    if remote is not None and head is not None:
        to_push, to_pull = repo.count_commits(head, remote)
        if to_pull:
            base = repo.merge_base(head, remote)
            incoming = count_changes(_state_at(repo, files, base), _state_at(repo, files, remote))
    elif head is not None:
        to_push = int(repo.out("rev-list", "--count", head))
    return SyncStatus(
        remote=repo.remote_url() or "",
        branch=branch,
        reachable=reachable,
        local=local,
        loaded=_read_marker(repo) == head,
        to_push=to_push,
        to_pull=to_pull,
        incoming=incoming,
    )
