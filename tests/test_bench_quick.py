"""The benchmark still runs: ``python bench/run.py --quick`` exits 0 and prints every row.

Catches breakage of the benchmark (an API it uses changed, a key was renamed), not
slowness: no timing is asserted. Also: the synthetic library is the same whether its
articles are made in a worker pool or in the building process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402
from run import ROW_NAMES  # noqa: E402

from reader.store import Library  # noqa: E402
from reader.text.document import paragraphs  # noqa: E402

pytestmark = pytest.mark.slow  # the quick benchmark takes most of a minute


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


def _library_content(path: Path) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    with Library(path) as lib:
        articles = {a.id: {**a.to_dict(), "added": None} for a in lib.articles()}
        highlights = sorted(
            (h.article_id, h.paragraph, h.start, h.end, h.text) for h in lib.highlights()
        )
        bodies = {aid: lib.body(aid) for aid in articles}
    return articles, highlights, bodies


def test_synthetic_library_is_the_same_with_a_worker_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synthetic, "BATCH_SIZE", 7)  # several batches, the last one short
    serial, _ = synthetic.build_library(24, cache_dir=tmp_path / "serial", workers=1)
    pooled, _ = synthetic.build_library(24, cache_dir=tmp_path / "pooled", workers=2)
    articles, highlights, bodies = _library_content(serial)
    assert len(articles) == 24 and highlights
    assert any(a["bookmarked"] for a in articles.values())
    assert _library_content(pooled) == (articles, highlights, bodies)
    for aid, number, start, end, text in highlights:  # anchors point at the stored body
        assert paragraphs(bodies[aid])[number][start:end] == text
