"""``kill -9`` of ``reader sync`` at random moments: the library always opens, holds every
change that was reported done (here and, once synced, from the other machine), and the
next ``reader sync`` completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sync_support import add, converge, replicas, run_sync

from reader.store import Library

ROUNDS = 8
SEEDS = 30


def start_sync(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(path), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_for_children(process: subprocess.Popen[bytes]) -> None:
    """Let the git commands the killed sync started finish (as they would after a
    ``kill -9`` of reader alone)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def tags_of(path: Path) -> dict[str, list[str]]:
    with Library(path) as lib:
        return {a.url or "": a.tags for a in lib.articles()}


@pytest.mark.slow
def test_kill_9_during_sync_loses_nothing_and_the_next_sync_completes(tmp_path: Path) -> None:
    kill_rounds(tmp_path, ROUNDS, seed=20)


@pytest.mark.soak
def test_kill_9_during_sync_soak(tmp_path: Path) -> None:
    kill_rounds(tmp_path, 80, seed=int(time.time()))


def kill_rounds(tmp_path: Path, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        for n in range(SEEDS):
            add(lib, f"Seed {n}", f"https://example.org/seed/{n}")
    converge([a, b])
    started = time.monotonic()
    done = start_sync(a)
    assert done.wait() == 0
    full = time.monotonic() - started
    done_here: dict[str, set[str]] = {}  # url -> tags reported done on A
    done_there: dict[str, set[str]] = {}  # ... on B
    killed = 0
    for round_ in range(rounds):
        with Library(b) as lib:  # the other machine changes things and syncs
            aid = add(lib, f"From B {round_}", f"https://example.org/b/{round_}")
            lib.add_tags(aid, [f"b{round_}"])
            done_there[f"https://example.org/b/{round_}"] = {f"b{round_}"}
        run_sync(b)
        with Library(a) as lib:  # this machine changes things: reported done
            aid = add(lib, f"From A {round_}", f"https://example.org/a/{round_}")
            lib.add_tags(aid, [f"a{round_}"])
            seed_url = f"https://example.org/seed/{round_ % SEEDS}"
            seed = lib.find_duplicate(seed_url, None)
            assert seed is not None
            lib.add_tags(seed.id, [f"seed-a{round_}"])
        done_here[f"https://example.org/a/{round_}"] = {f"a{round_}"}
        done_here.setdefault(seed_url, set()).add(f"seed-a{round_}")
        process = start_sync(a)
        time.sleep(rng.uniform(0, full * 1.2))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
        wait_for_children(process)
        now = tags_of(a)  # opens, with every change reported done here
        for url, tags in done_here.items():
            assert tags <= set(now[url]), (round_, url)
        report = run_sync(a)  # the next sync completes
        assert report.pushed
        now = tags_of(a)
        for url, tags in {**done_here, **done_there}.items():
            assert tags <= set(now[url]), (round_, url)
    assert killed >= rounds // 2
    converge([a, b])
    assert tags_of(a) == tags_of(b)


KILL_AT_MERGE = """#!/bin/sh
# reference-transaction hook: kill -9 reader (git's parent) as HEAD moves to a merge, once
[ "$1" = committed ] || exit 0
[ -e "{flag}" ] && exit 0
while read old new ref; do
    case "$ref" in
    refs/heads/*)
        if [ "$(git cat-file -p "$new" | grep -c '^parent ')" = 2 ]; then
            touch "{flag}"
            kill -9 "$(cut -d' ' -f4 /proc/$PPID/stat)"
        fi ;;
    esac
done
exit 0
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_as_head_moves_to_the_merge_the_library_already_holds_it(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(b) as lib:
        add(lib, "From B", "https://example.org/b")
    run_sync(b)
    with Library(a) as lib:
        add(lib, "From A", "https://example.org/a")
    flag = tmp_path / "killed"
    hook = a.parent / ".git" / "hooks" / "reference-transaction"
    hook.write_text(KILL_AT_MERGE.format(flag=flag))
    hook.chmod(0o755)
    process = start_sync(a)
    assert process.wait() == -signal.SIGKILL and flag.exists()
    wait_for_children(process)
    assert set(tags_of(a)) == {"https://example.org/a", "https://example.org/b"}
    run_sync(a)
    run_sync(b)
    assert set(tags_of(b)) == {"https://example.org/a", "https://example.org/b"}
