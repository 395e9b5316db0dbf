"""``reader export`` choosing what to export: ``--since`` forms, ``--with-quotes`` and an
export that matches nothing (real library in tmp_path, click's runner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.models import ParsedArticle
from reader.store import Library

QUOTED = (
    "The minister spoke at the harbour.\n\n"
    "“We will not close the port this winter,” said Ada Lind, the harbour master.\n"
)


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three articles with quotations; two highlights in the first (March 1st and
    February 1st, UTC), one in the second (March 1st 12:00 UTC), none in the third."""
    path = tmp_path / "lib.json"
    with Library(path) as library:
        ids = [
            library.add_parsed(
                ParsedArticle(title=f"Story {n}", markdown=f"Story {n}.\n\n{QUOTED}")
            ).article.id
            for n in range(3)
        ]
        library.add_highlight(ids[0], "The minister spoke", created="2026-03-01T08:00:00Z")
        library.add_highlight(ids[0], "at the harbour", created="2026-02-01T08:00:00Z")
        library.add_highlight(ids[1], "The minister spoke", created="2026-03-01T12:00:00Z")
    return path


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-45", "2026-02-30", "03/01/2026", ""])
def test_since_rejects_what_is_not_a_date(db: Path, bad: str) -> None:
    code, out, err = run(db, "export", "--since", bad)
    assert code == 2 and out == ""
    assert "--since" in err and "YYYY-MM-DD" in err and "ISO date-time" in err


@pytest.mark.parametrize(
    ("since", "count"),
    [
        ("2026-01-01", 3),
        ("2026-03-01", 2),
        ("2026-03-02", 0),
        ("2026-03-01T10:00:00Z", 1),
        ("2026-03-01T10:00+00:00", 1),
        ("2026-03-01T13:00+02:00", 1),  # 11:00 UTC
        ("2026-03-01T09:00+02:00", 2),  # 07:00 UTC
    ],
)
def test_since_accepts_dates_and_iso_date_times(db: Path, since: str, count: int) -> None:
    code, out, err = run(db, "export", "--format", "json", "--since", since)
    assert code == 0
    assert out.count('"created"') == count
    if count == 0:
        assert "no highlights match" in err


def test_with_quotes_adds_quotations_without_adding_articles(db: Path) -> None:
    code, out, _ = run(db, "export", "--with-quotes")
    assert code == 0
    assert "Story 0" in out and "Story 1" in out and "Story 2" not in out
    assert out.count("We will not close the port this winter") == 2  # one per exported article


def test_exporting_no_highlight_writes_nothing(db: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.md"
    for target in ("--out", None):
        args = ["export", "--tag", "nosuchtag"] + ([target, str(out_file)] if target else [])
        code, out, err = run(db, *args)
        assert code == 0 and out == ""
        assert err.strip() == "no highlights match: nothing exported"
    assert not out_file.exists()
    vault = tmp_path / "vault"
    code, _, err = run(
        db, "export", "--format", "obsidian", "--out", str(vault), "--since", "2027-01-01"
    )
    assert code == 0 and "no highlights match" in err and not vault.exists()
