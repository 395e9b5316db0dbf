"""The benchmark still runs: ``python bench/run.py --quick`` exits 0 and prints every row.

Catches breakage of the benchmark (an API it uses changed, a key was renamed), not
slowness: no timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import ROW_NAMES  # noqa: E402


def test_quick_benchmark_prints_every_row(tmp_path: Path) -> None:
    out_json = tmp_path / "bench.json"
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--json",
            str(out_json),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = proc.stdout
    assert "machine:" in table and "Textual" in table
    for name in ROW_NAMES:
        assert name in table, f"row {name!r} missing from:\n{table}"
    assert "identical: yes" in table
    data = json.loads(out_json.read_text(encoding="utf-8"))
    measured = {row["name"] for row in data["rows"]}
    assert measured == set(ROW_NAMES)
    for row in data["rows"]:
        assert row["samples"] >= 1, row
