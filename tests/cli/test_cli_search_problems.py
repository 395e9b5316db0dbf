"""``reader list --search`` refuses a query with an operator it does not know (issue 18.22)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_tui_support import make_library

from reader.cli import cli


def test_an_unknown_search_operator_is_a_usage_error_of_one_line(tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    make_library(db).close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "list", "--search", "is:foo tram"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("reader: --search: unknown filter is:foo (known: tag: ")
    ok = runner.invoke(cli, ["--db", str(db), "list", "--search", "is:unread tram"])
    assert ok.exit_code == 0 and "Harbour tram line" in ok.stdout
