"""The metadata scorer (bench/metadata_score.py): issue 21's rules, and a run over a small
corpus of our own pages laid out as the shared one (tests/data/metadata)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import metadata_score  # noqa: E402


@pytest.mark.parametrize(
    ("got", "expected", "right"),
    [
        ("Jane Doe", "By Jane Doe", True),
        ("Jane Doe, John Roe", "Jane Doe and John Roe", True),
        ("Jane Doe", "Jane Doe and John Roe", True),  # one holds the other
        ("Jane Roe", "Jane Doe", False),
        (None, "Jane Doe", False),  # missing against an expected one
        ("Jane Doe", None, False),  # a name where none is expected
        (None, None, True),
    ],
)
def test_author_rule(got: str | None, expected: str | None, right: bool) -> None:
    assert metadata_score.author_right(got, expected) is right


def test_title_and_date_rules() -> None:
    assert metadata_score.norm_title(" “Tide  tables”. ") == "Tide tables"
    assert metadata_score.norm_title("Ｔｉｄｅ") == "Tide"  # NFKC
    assert metadata_score.norm_title("Tide tables") != metadata_score.norm_title("tide tables")
    assert metadata_score.calendar_day("2015-07-24T05:36:09+01:00") == "2015-07-24"
    assert metadata_score.calendar_day(None) is None


def test_scorer_runs_on_a_corpus_and_lists_misses(tmp_path: Path, capsys) -> None:
    pages = {
        "run-together-byline.html": {
            "title": "Walkway rebuild approved",
            "byline": "By Tomasz Ferreira",
        },
        "date-rfc2822-meta.html": {
            "title": "Walkway rebuild",
            "publishedTime": "2020-04-07T02:06:07Z",
        },
    }
    for name, expected in pages.items():
        page = tmp_path / name.removesuffix(".html")
        page.mkdir()
        shutil.copy(ROOT / "tests" / "data" / "metadata" / name, page / "source.html")
        (page / "expected-metadata.json").write_text(json.dumps(expected), encoding="utf-8")
    assert metadata_score.main(["--corpus", str(tmp_path), "--worst"]) == 0
    out = capsys.readouterr().out
    assert "title exact                 0.500      1     2" in out
    assert "author right                1.000      2     2" in out
    assert "date right                  1.000      1     1" in out
    assert "date-rfc2822-meta: got 'Walkway rebuild approved', expected 'Walkway rebuild'" in out


PAGES = ROOT / "tests" / "data" / "metadata_pages"


def test_floor_on_our_pages_in_real_sites_markup() -> None:
    """Title, author and date on 44 pages built the way real CMSs build theirs: a floor
    under the figures in bench/README.md (title 0.955, author 1.000, date 1.000)."""
    results = [metadata_score.score_page(p) for p in sorted(PAGES.iterdir()) if p.is_dir()]
    assert len(results) == 44
    assert not [r.name for r in results if r.error]
    titled = [r for r in results if r.expected["title"]]
    dated = [r for r in results if r.expected["date"]]
    assert sum(r.title_ok() for r in titled) / len(titled) >= 0.93
    assert sum(r.author_ok() for r in results) / len(results) >= 0.95
    assert sum(r.date_ok() for r in dated) / len(dated) >= 0.95
