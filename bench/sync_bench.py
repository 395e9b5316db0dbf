"""Benchmark of ``reader sync`` on a synthetic library (our own made-up text).

```
.venv/bin/python bench/sync_bench.py [--size 10000] [--runs 5] [--cache-dir DIR]
```

Copies the cached synthetic library of ``--size`` articles (``synthetic.build_library``) to a
temporary folder, joins it to a local bare repository, and times, as the user meets them
(the ``reader`` command in a subprocess, Python's start included):

* ``sync init`` of the library (the first commit and push of every article and body);
* ``sync init`` of a second, empty library joining it (receiving every article and body);
* ``reader sync`` after one article changed here (commit and push);
* ``reader sync`` on the other machine receiving that change (a fast-forward);
* ``reader sync`` when both machines changed an article (a three-way merge and a push);
* ``reader --version``, the floor: what any ``reader`` command costs to start.

Prints one table: median seconds, the ratio to the floor, and ``ok``/``SLOW`` against the
issue's goal (under 2 s for the one-article sync). No figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from reader.store import Library  # noqa: E402

GOAL_SECONDS = 2.0
READER = [sys.executable, "-m", "reader"]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}: {done.stderr.strip()}")
    return elapsed


def copy_library(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True)
    shutil.copy2(source, target)
    journal = source.with_name(source.name + ".journal")
    if journal.exists():
        shutil.copy2(journal, target.with_name(target.name + ".journal"))
    shutil.copytree(
        source.with_name(source.stem + ".bodies"), target.with_name(target.stem + ".bodies")
    )


def change_one(path: Path, n: int) -> None:
    with Library(path) as lib:
        article = lib.articles()[n % len(lib)]
        lib.add_tags(article.id, [f"bench-{n}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache-dir", type=Path, default=None)
    options = parser.parse_args()
    source, _ = synthetic.build_library(options.size, cache_dir=options.cache_dir)
    root = Path(tempfile.mkdtemp(prefix="reader-sync-bench-"))
    try:
        remote = root / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        here, there = root / "here" / "library.json", root / "there" / "library.json"
        copy_library(source, here)
        rows: list[tuple[str, float, bool]] = []
        floor = statistics.median(timed([*READER, "--version"]) for _ in range(options.runs))
        rows.append(("reader --version (the floor)", floor, False))
        rows.append(
            (
                f"sync init, {options.size:,} articles",
                timed([*READER, "--db", str(here), "sync", "init", str(remote)]),
                False,
            )
        )
        rows.append(
            (
                "sync init joining them, empty library",
                timed([*READER, "--db", str(there), "sync", "init", str(remote)]),
                False,
            )
        )
        send, receive, both = [], [], []
        for n in range(options.runs):
            change_one(here, n)
            send.append(timed([*READER, "--db", str(here), "sync"]))
            receive.append(timed([*READER, "--db", str(there), "sync"]))
        for n in range(options.runs):
            change_one(here, 1000 + n)
            timed([*READER, "--db", str(here), "sync"])
            change_one(there, 2000 + n)
            both.append(timed([*READER, "--db", str(there), "sync"]))
            timed([*READER, "--db", str(here), "sync"])
        rows.append(("sync, one article changed here", statistics.median(send), True))
        rows.append(("sync, receiving that change", statistics.median(receive), True))
        rows.append(("sync, both changed (merge)", statistics.median(both), True))
        counted = subprocess.run(
            ["git", "-C", str(here.parent), "count-objects", "-v"], capture_output=True, text=True
        ).stdout
        sizes = dict(line.split(": ") for line in counted.splitlines() if ": " in line)
        git_bytes = (int(sizes.get("size", 0)) + int(sizes.get("size-pack", 0))) * 1024
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        f"reader sync at {options.size:,} articles; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'what':42} {'median s':>9} {'x floor':>8}  goal")
    for name, seconds, goal in rows:
        verdict = ("ok" if seconds < GOAL_SECONDS else "SLOW") if goal else ""
        print(f"{name:42} {seconds:9.2f} {seconds / floor:8.1f}  {verdict}")
    print(f".git folder after the runs: {git_bytes / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
