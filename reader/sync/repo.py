"""The git plumbing of a sync: the ``git`` command run with subprocess, pinned to the
library folder's own ``.git`` (never a repository around it).

Callers get ``SyncError`` (one line: git missing, remote unreachable, a git failure)
rather than a ``CalledProcessError``. Network commands never prompt (``GIT_TERMINAL_PROMPT=0``)
and give up after ``NETWORK_TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

from reader.errors import ReaderError

NETWORK_TIMEOUT = 120.0
LOCAL_TIMEOUT = 600.0
REMOTE = "origin"


# What git says when the remote's branch is no longer the commit we merged: refused as
# not a fast-forward, or moved by another push while ours was being received.
_MOVED = (
    "[rejected]",
    "non-fast-forward",
    "fetch first",
    "cannot lock ref",
    "failed to update ref",
)


class SyncError(ReaderError):
    """A sync that could not be done, said in one line."""


class PushRejected(SyncError):
    """The remote moved since it was fetched (fetch, merge and push again)."""


def _last_line(text: bytes) -> str:
    lines = [
        line.strip()
        for line in text.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.strip().startswith("hint:")
    ]
    return " ".join(lines[-1].split())[:300] if lines else "no message"


class Repo:
    """The git repository of one library folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.git_dir = folder / ".git"
        git = shutil.which("git")
        if git is None:
            raise SyncError("sync needs the git command, and it was not found on PATH")
        self._git = git
        self._env = {
            **os.environ,
            "GIT_DIR": str(self.git_dir),
            "GIT_WORK_TREE": str(folder),
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
        }
        self._env.pop("GIT_INDEX_FILE", None)
        self._identity: list[str] | None = None

    # -- running git --------------------------------------------------------------------
    def run(
        self,
        *args: str,
        input: bytes | None = None,
        check: bool = True,
        timeout: float = LOCAL_TIMEOUT,
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(
                [self._git, *args],
                cwd=self.folder,
                env=self._env,
                input=input,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SyncError(f"git {args[0]} took over {timeout:.0f} s; gave up") from None
        except OSError as exc:
            raise SyncError(f"cannot run git: {exc.strerror or exc}") from None
        if check and done.returncode != 0:
            raise SyncError(f"git {args[0]} failed: {_last_line(done.stderr)}")
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.decode("utf-8", "replace").strip()

    # -- the repository -------------------------------------------------------------------
    def exists(self) -> bool:
        return self.git_dir.is_dir()

    def init(self, branch: str) -> None:
        self.run("init", "--quiet", f"--initial-branch={branch}")

    def config(self, key: str, value: str) -> None:
        self.run("config", key, value)

    def config_get(self, key: str) -> str | None:
        done = self.run("config", "--get", key, check=False)
        return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None

    def remote_url(self) -> str | None:
        return self.config_get(f"remote.{REMOTE}.url")

    def set_remote(self, url: str) -> None:
        if self.remote_url() is None:
            self.run("remote", "add", REMOTE, url)
        else:
            self.run("remote", "set-url", REMOTE, url)

    def branch(self) -> str:
        done = self.run("symbolic-ref", "--short", "HEAD", check=False)
        name = done.stdout.decode().strip()
        return name or "main"

    def rev(self, ref: str) -> str | None:
        done = self.run("rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0

    def merge_base(self, a: str, b: str) -> str | None:
        done = self.run("merge-base", a, b, check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def count_commits(self, a: str, b: str) -> tuple[int, int]:
        """(commits in ``a`` not in ``b``, commits in ``b`` not in ``a``)."""
        left, right = self.out("rev-list", "--left-right", "--count", f"{a}...{b}").split()
        return int(left), int(right)

    def blob(self, commit: str | None, path: str) -> bytes:
        """A file's bytes in ``commit`` (b"" when it or the file is missing)."""
        if commit is None:
            return b""
        done = self.run("cat-file", "blob", f"{commit}:{path}", check=False)
        return done.stdout if done.returncode == 0 else b""

    def tree_files(self, commit: str, folder: str) -> dict[str, str]:
        """File name -> blob id of the files in ``folder`` of ``commit``."""
        done = self.run("ls-tree", "-z", "--full-tree", commit, folder + "/", check=False)
        files: dict[str, str] = {}
        for entry in done.stdout.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            kind, sha = meta.split()[1:3]
            if kind == b"blob":
                files[name.decode("utf-8", "replace").rsplit("/", 1)[-1]] = sha.decode()
        return files

    def blobs(self, shas: list[str]) -> dict[str, bytes]:
        """The bytes of many blobs, read by one ``git cat-file --batch``."""
        if not shas:
            return {}
        done = self.run("cat-file", "--batch", input="".join(f"{s}\n" for s in shas).encode())
        found: dict[str, bytes] = {}
        raw, pos = done.stdout, 0
        for sha in shas:
            end = raw.index(b"\n", pos)
            header = raw[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            found[sha] = raw[pos : pos + size]
            pos += size + 1
        return found

    # -- committing -------------------------------------------------------------------------
    def stage_all(self) -> None:
        self.run("add", "--all", "--", ".")

    def staged_changes(self, head: str | None) -> bool:
        if head is None:
            return True
        return self.run("diff", "--cached", "--quiet", head, "--", check=False).returncode != 0

    def commit(self, message: str, parents: list[str]) -> str:
        """A commit of the index with ``parents`` (HEAD is not moved)."""
        tree = self.out("write-tree")
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        return self.out(*self._identity_args(), *args, "-m", message)

    def tree_of(self, commit: str) -> str:
        return self.out("rev-parse", commit + "^{tree}")

    def index_tree(self) -> str:
        return self.out("write-tree")

    def move_head(self, new: str, old: str | None) -> None:
        """Point the current branch at ``new`` (only if it still is at ``old``)."""
        args = ["update-ref", "-m", "reader sync", "HEAD", new]
        if old is not None:
            args.append(old)
        self.run(*args)

    def _identity_args(self) -> list[str]:
        """``-c user.name=… -c user.email=…`` when git has no identity configured."""
        if self._identity is None:
            self._identity = []
            if not self.config_get("user.name"):
                self._identity += ["-c", "user.name=reader sync"]
            if not self.config_get("user.email"):
                host = socket.gethostname() or "localhost"
                self._identity += ["-c", f"user.email=reader@{host}"]
        return self._identity

    # -- the remote -------------------------------------------------------------------------
    def remote_branch(self, url: str) -> str | None:
        """The default branch of the repository at ``url`` (None: it has no commits).
        Raises ``SyncError`` when it cannot be reached."""
        done = self.run("ls-remote", "--symref", url, "HEAD", check=False, timeout=NETWORK_TIMEOUT)
        if done.returncode != 0:
            raise SyncError(f"cannot reach the remote {url}: {_last_line(done.stderr)}")
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("ref: refs/heads/"):
                return line.split()[1].removeprefix("refs/heads/")
        return None

    def fetch(self, branch: str) -> str | None:
        """Fetch the remote's ``branch``; its commit, or None when the remote has none."""
        tracking = f"refs/remotes/{REMOTE}/{branch}"
        done = self.run(
            "fetch",
            "--quiet",
            "--no-tags",
            REMOTE,
            f"+refs/heads/{branch}:{tracking}",
            check=False,
            timeout=NETWORK_TIMEOUT,
        )
        if done.returncode != 0:
            message = _last_line(done.stderr)
            if "couldn't find remote ref" in message:
                return None
            raise SyncError(f"cannot reach the remote {self.remote_url()}: {message}")
        return self.rev(tracking)

    def tracking(self, branch: str) -> str | None:
        """The remote's ``branch`` as last fetched."""
        return self.rev(f"refs/remotes/{REMOTE}/{branch}")

    def push(self, branch: str) -> None:
        """Push HEAD to the remote's ``branch``; ``PushRejected`` when it moved meanwhile."""
        done = self.run(
            "push",
            "--quiet",
            REMOTE,
            f"HEAD:refs/heads/{branch}",
            check=False,
            timeout=NETWORK_TIMEOUT,
        )
        if done.returncode == 0:
            self.run("update-ref", f"refs/remotes/{REMOTE}/{branch}", "HEAD")
            return
        message = done.stderr.decode("utf-8", "replace")
        if any(w in message for w in _MOVED):
            raise PushRejected(f"the remote {self.remote_url()} moved meanwhile")
        raise SyncError(f"cannot push to the remote {self.remote_url()}: {_last_line(done.stderr)}")
