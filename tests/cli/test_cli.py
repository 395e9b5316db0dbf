"""Every command of the command line, run as a user would (click's runner, real library)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.settings.paths import bundled_dir
from reader.store import Library

SAMPLES = bundled_dir("sample_articles")

SCRAPED_UNSEEN = """\
menu home worldicon sportsicon weathericon searchicon login subscribe x-icon fb-icon
Thursday, 3 March 2023

Ferry timetable cut as crew shortage bites

Operators say the winter schedule will run until at least June.
Ferry timetable cut as crew shortage bites

The island ferry will sail four times a day instead of seven from Monday, the operator said.

“We simply do not have the people,” said Mara Quint, the operator's chief executive.

Passengers who booked later sailings will be moved to the nearest departure.
"""


def run(runner: CliRunner, db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib.json"


def sample_titles() -> dict[str, str]:
    return {
        "harbour-tram-line-safety-test.txt": "Harbour tram line passes final safety test ahead of May opening",
        "central-bank-holds-rates.html": "Central bank holds rates at 4.25% but signals cuts could come by summer",
        "kerlaouen-lighthouse-relit.html": "Volunteers relight the Kerlaouen lighthouse after a six-year restoration",
        "payments-outage-postmortem.md": "Post-mortem: the 47-minute checkout outage of 9 November",
        "river-cleanup-notes.txt": "Notes from the Saturday river clean-up on the Millbrook",
    }


def test_add_samples_then_list_json(runner: CliRunner, db: Path) -> None:
    code, out, _ = run(runner, db, "add", str(SAMPLES))
    assert code == 0
    code, out, _ = run(runner, db, "list", "--json")
    articles = json.loads(out)
    files = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".html", ".md", ".txt"})
    assert len(articles) == len(files) >= 9
    by_source = {Path(a["source_path"]).name: a for a in articles}
    for name, title in sample_titles().items():
        assert by_source[name]["title"] == title
    assert "body" not in articles[0]


def test_add_json_reports_each_file_and_duplicates(runner: CliRunner, db: Path) -> None:
    target = SAMPLES / "payments-outage-postmortem.md"
    code, out, _ = run(runner, db, "add", str(target), "--json", "--tag", "work")
    [row] = json.loads(out)
    assert code == 0 and row["status"] == "added" and row["error"] is None
    code, out, _ = run(runner, db, "add", str(target), "--json")
    [row2] = json.loads(out)
    assert row2["status"] == "duplicate" and row2["id"] == row["id"]
    assert set(row2) == {"path", "status", "id", "title", "error"}
    _, shown, _ = run(runner, db, "show", row["id"], "--json")
    assert "work" in json.loads(shown)["tags"]


def test_scraped_text_sample_show_json(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "harbour-tram-line-safety-test.txt"))
    _, out, _ = run(runner, db, "list", "--json")
    aid = json.loads(out)[0]["id"]
    _, out, _ = run(runner, db, "show", aid, "--json")
    article = json.loads(out)
    assert article["title"] == "Harbour tram line passes final safety test ahead of May opening"
    assert article["published"] == "2022-04-14T13:52:00"
    assert article["summary"].startswith("Engineers signed off the eleven-kilometre route")
    body = article["body"]
    assert "icon" not in body.split("\n")[0]
    assert "Harbour tram line passes final safety test" not in body
    assert "Engineers signed off the eleven-kilometre route" not in body
    assert set(article) >= {
        "id",
        "title",
        "author",
        "site",
        "url",
        "published",
        "added",
        "summary",
        "tags",
        "bookmarked",
        "read",
        "word_count",
        "reading_minutes",
        "body",
    }


def test_scraped_text_of_unseen_shape(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    page = tmp_path / "ferry.txt"
    page.write_text(SCRAPED_UNSEEN, encoding="utf-8")
    code, out, _ = run(runner, db, "add", str(page), "--json")
    aid = json.loads(out)[0]["id"]
    article = json.loads(run(runner, db, "show", aid, "--json")[1])
    assert article["title"] == "Ferry timetable cut as crew shortage bites"
    assert article["published"] == "2023-03-03"
    assert article["summary"] == "Operators say the winter schedule will run until at least June."
    assert article["body"].startswith("The island ferry will sail four times a day")
    assert "searchicon" not in article["body"]
    assert article["body"].count("Ferry timetable cut") == 0


def test_bad_files_fail_cleanly_and_the_rest_is_imported(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    run(runner, db, "add", str(SAMPLES / "payments-outage-postmortem.md"))

    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    good = tmp_path / "good.md"
    good.write_text("# A good note\n\nSome text that is fine.\n")
    code, out, err = run(runner, db, "add", str(binary), str(empty), str(good))
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("reader:")]
    assert len(error_lines) == 2
    assert any("photo.html" in line and "binary" in line for line in error_lines)
    assert any("empty.md" in line and "empty" in line for line in error_lines)
    assert "Traceback" not in err + out
    assert "A good note" in out
    with Library(db) as lib:
        titles = sorted(a.title for a in lib.articles())
    assert titles == ["A good note", "Post-mortem: the 47-minute checkout outage of 9 November"]


def test_tag_bookmark_read_rm_and_prefix_ids(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "chess-open-final-round.md"))
    aid = json.loads(run(runner, db, "list", "--json")[1])[0]["id"]
    prefix = aid[:4]
    assert run(runner, db, "tag", prefix, "Weekend", "sport")[0] == 0
    assert run(runner, db, "tag", prefix, "sport", "--remove")[0] == 0
    assert run(runner, db, "bookmark", prefix)[0] == 0
    assert run(runner, db, "read", prefix)[0] == 0
    article = json.loads(run(runner, db, "show", prefix, "--json")[1])
    assert "weekend" in article["tags"] and "sport" not in article["tags"]
    assert article["bookmarked"] is True and article["read"] is True
    assert run(runner, db, "bookmark", prefix, "--off")[0] == 0
    assert json.loads(run(runner, db, "show", prefix, "--json")[1])["bookmarked"] is False
    listed = json.loads(run(runner, db, "list", "--tag", "weekend", "--json")[1])
    assert [a["id"] for a in listed] == [aid]
    assert json.loads(run(runner, db, "list", "--bookmarked", "--json")[1]) == []
    assert run(runner, db, "rm", prefix)[0] == 0
    assert json.loads(run(runner, db, "list", "--json")[1]) == []


def test_unknown_id_is_one_clear_line(runner: CliRunner, db: Path) -> None:
    Library(db).close()
    code, out, err = run(runner, db, "show", "deadbeef")
    assert code == 1
    assert err.strip() == "reader: no article with id 'deadbeef'"


def test_list_search_and_unread(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES))
    found = json.loads(run(runner, db, "list", "--search", "herring", "--json")[1])
    assert [a["title"] for a in found][0].startswith("Herring quota talks collapse")
    everything = json.loads(run(runner, db, "list", "--json")[1])
    run(runner, db, "read", found[0]["id"])
    unread = json.loads(run(runner, db, "list", "--unread", "--json")[1])
    assert len(unread) == len(everything) - 1


def test_parse_prints_without_storing(runner: CliRunner, db: Path) -> None:
    code, out, _ = run(
        runner, db, "parse", str(SAMPLES / "central-bank-holds-rates.html"), "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"title", "author", "published", "site", "url", "summary", "markdown"}
    assert data["author"] == "Clara Mendel"
    assert "cookie" not in data["markdown"].lower()
    assert not db.exists()


def test_quotes_json(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "herring-quota-dispute.txt"))
    aid = json.loads(run(runner, db, "list", "--json")[1])[0]["id"]
    quotes = json.loads(run(runner, db, "quotes", aid, "--json")[1])
    assert quotes and set(quotes[0]) == {"text", "speaker", "speaker_mention", "paragraph"}
    first = quotes[0]
    assert first["text"].startswith("We came here to negotiate")
    assert first["speaker"] == "Ingrid Solheim"
    assert first["speaker_mention"] == "Ingrid Solheim"
    assert any(q["speaker_mention"] != q["speaker"] for q in quotes)  # "he", "Chen", …


def test_quotes_by_speaker(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "herring-quota-dispute.txt"))
    aid = json.loads(run(runner, db, "list", "--json")[1])[0]["id"]
    quotes = json.loads(run(runner, db, "quotes", aid, "--json")[1])
    groups = json.loads(run(runner, db, "quotes", aid, "--by-speaker", "--json")[1])
    assert [set(g) for g in groups] == [{"speaker", "count", "quotations"}] * len(groups)
    counts = [g["count"] for g in groups if g["speaker"] is not None]
    assert counts == sorted(counts, reverse=True)
    assert sum(g["count"] for g in groups) == len(quotes)
    chen = next(g for g in groups if g["speaker"] == "David Chen")
    assert all(q["speaker"] == "David Chen" for q in chen["quotations"])
    code, out, _ = run(runner, db, "quotes", aid, "--by-speaker")
    assert code == 0
    assert f"David Chen ({chen['count']})" in out


def test_highlight_commands_and_export(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "herring-quota-dispute.txt"))
    aid = json.loads(run(runner, db, "list", "--json")[1])[0]["id"]
    code, out, _ = run(
        runner, db, "highlight", aid, "You cannot call that a consultation.", "--note", "=SUM(1)"
    )
    assert code == 0
    code, _, err = run(runner, db, "highlight", aid, "words that are not in the article")
    assert code == 1 and "not found" in err
    hls = json.loads(run(runner, db, "highlights", aid, "--json")[1])
    assert [h["text"] for h in hls] == ["You cannot call that a consultation."]
    assert hls[0]["paragraph"] is not None
    csv_text = run(runner, db, "export", "--format", "csv")[1]
    assert csv_text.splitlines()[0] == "Highlight,Title,Author,URL,Note,Location,Date"
    assert "'=SUM(1)" in csv_text
    out_file = tmp_path / "hl.json"
    assert run(runner, db, "export", "--format", "json", "--out", str(out_file))[0] == 0
    vault = tmp_path / "vault"
    assert run(runner, db, "export", "--format", "obsidian", "--out", str(vault))[0] == 0
    assert len(list(vault.glob("*.md"))) == 1
    md = run(runner, db, "export", "--format", "markdown", "--with-quotes")[1]
    assert "> You cannot call that a consultation." in md
    assert run(runner, db, "unhighlight", hls[0]["id"][:5])[0] == 0
    assert json.loads(run(runner, db, "highlights", "--json")[1]) == []
    code, out, _ = run(runner, db, "import-highlights", str(out_file))
    assert code == 0 and out.startswith("1 highlight(s) restored")
    assert run(runner, db, "import-highlights", str(out_file))[1].startswith(
        "0 highlight(s) restored, 1 already"
    )


def test_restore_from_backup(runner: CliRunner, db: Path) -> None:
    run(runner, db, "add", str(SAMPLES / "chess-open-final-round.md"))
    db.write_bytes(b"garbage{")
    code, _, err = run(runner, db, "list")
    assert code == 1 and "damaged" in err and "reader restore" in err
    assert run(runner, db, "restore")[0] == 0
    assert db.with_name("lib.json.before-restore").read_bytes() == b"garbage{"
    assert run(runner, db, "list", "--json")[0] == 0


def test_every_command_has_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        sub = runner.invoke(cli, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage:" in sub.output


def test_db_from_environment(tmp_path: Path) -> None:
    env_db = tmp_path / "env.json"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "add", str(SAMPLES / "chess-open-final-round.md")],
        env={"READER_DB": str(env_db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert env_db.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (True, None)),
        (["tui"], (True, None)),
        (["--db", "x.json"], (True, Path("x.json"))),
        (["--db=x.json", "tui"], (True, Path("x.json"))),
        (["--db", "x.json", "list"], (False, None)),
        (["list"], (False, None)),
        (["--help"], (False, None)),
    ],
)
def test_plain_reader_goes_straight_to_the_tui(args: list[str], expected: tuple) -> None:
    from reader.launch import _tui_arguments

    assert _tui_arguments(args) == expected


def test_tui_on_a_damaged_library_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{not json")
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr
    assert bad.read_bytes() == b"{not json"


def test_shell_completion_lists_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader"],
        env={
            "_READER_COMPLETE": "bash_complete",
            "COMP_WORDS": "reader mig",
            "COMP_CWORD": "1",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "migrate" in result.stdout


def test_export_files_are_readable_by_other_tools(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    """Exports are for other programs: 0644 like any new file, not the library's 0600."""
    run(runner, db, "add", str(SAMPLES / "herring-quota-dispute.txt"))
    aid = json.loads(run(runner, db, "list", "--json")[1])[0]["id"]
    run(runner, db, "highlight", aid, "You cannot call that a consultation.")
    out = tmp_path / "h.md"
    assert run(runner, db, "export", "--out", str(out))[0] == 0
    vault = tmp_path / "vault"
    assert run(runner, db, "export", "--format", "obsidian", "--out", str(vault))[0] == 0
    assert out.stat().st_mode & 0o777 == 0o644
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in vault.glob("*.md"))


def test_error_lines_are_never_wrapped(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    """However long the path, an error is one line (scripts grep for them)."""
    deep = tmp_path / ("a-very-long-folder-name-" * 6)
    deep.mkdir()
    bad = deep / "pocket.csv"
    bad.write_text("title,url,time_added,tags,status\nx,not a url,1700000000,,unread\n")
    code, _, err = run(runner, db, "migrate", "pocket", str(bad))
    errors = [line for line in err.splitlines() if line.startswith("reader:")]
    assert errors and all(str(bad) in line for line in errors)
    assert not any(
        line.startswith(" ") or line == "address: 'not a url'" for line in err.splitlines()
    )


def test_list_prints_one_line_per_article_cut_to_the_width(runner: CliRunner, db: Path) -> None:
    """``reader list`` without ``--json``: a header, then one line per article however
    long its title (cut with an ellipsis), wide characters counted as two cells. (It
    was a Rich table, which wrapped titles and took 31 s for 50,000 articles.)"""
    from rich.cells import cell_len

    from reader.models import ParsedArticle

    with Library(db) as lib:
        for title, body in (
            ("Harbour tram " + "very " * 60 + "long", "Tram body."),
            ("港の路面電車が" * 20, "Wide body."),
            ("Short one", "Short body."),
        ):
            lib.add_parsed(ParsedArticle(title=title, markdown=body, site="Example Site"))
    code, out, err = run(runner, db, "list")
    assert code == 0 and "3 article(s)" in err
    lines = out.splitlines()
    assert lines[0].split() == ["id", "title", "site", "published", "min", "tags"]
    assert len(lines) == 4
    assert all(cell_len(line) <= 160 for line in lines)
    by_title = {line.split()[2]: line for line in lines[1:]}  # after the id and "•"
    assert "…" in by_title["Harbour"] and "Example Site" in by_title["Harbour"]
    assert "…" in next(line for line in lines if "港" in line)
    assert "Short one" in by_title["Short"]
    # the site column starts at the same cell on every line
    starts = {cell_len(line[: line.index("Example Site")]) for line in lines[1:]}
    assert len(starts) == 1


def test_highlights_prints_each_with_its_article_title(runner: CliRunner, db: Path) -> None:
    from reader.models import ParsedArticle

    with Library(db) as lib:
        article = lib.add_parsed(
            ParsedArticle(title="Tram news", markdown="The harbour tram runs late today.")
        ).article
    run(runner, db, "highlight", article.id, "runs late", "--note", "check times")
    code, out, _ = run(runner, db, "highlights")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("  Tram news")
    assert lines[1:] == ["    “runs late”", "    note: check times"]


def test_plain_lines_are_styled_only_where_rich_would_colour() -> None:
    import io

    from reader.cli.plain_output import LineOutput, fit, pad

    piped = LineOutput(io.StringIO())
    piped.write("header", "bold")
    assert piped.stream.getvalue() == "header\n" and piped.width == 160

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    styled = LineOutput(Terminal())
    styled.write("header", "bold")
    assert styled.stream.getvalue() == "\x1b[1mheader\x1b[0m\n"
    assert fit("abcdef", 4) == "abc…" and fit("abc", 4) == "abc" and fit("abc", 0) == ""
    assert fit("港の路面電車", 5) == "港の…" and pad("港", 4) == "港  "
    assert pad("7", 3, right=True) == "  7"


def test_list_on_a_narrow_terminal_keeps_room_for_the_title() -> None:
    """Site and tags give way (down to 10 cells) before the title drops under 45% of the
    width."""
    from rich.cells import cell_len

    from reader.cli.articles import article_table
    from reader.models import Article

    article = Article(
        id="1aa4461b",
        title="How a village beekeeping co-op survived the worst spring in thirty years",
        site="Meridian Business Daily",
        tags=["chess", "junior-chess", "tournaments"],
        published="2024-03-21",
    )
    for width, title_cells in ((100, 45), (160, len(article.title))):
        header, line = (text for text, _ in article_table([article], width))
        assert cell_len(line) <= width
        title_at = header.index("title")
        site_at = header.index("site")
        assert site_at - title_at - 2 == title_cells
        assert article.title[:20] in line


# -- a library that does not exist ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("list",), ("show", "deadbeef"), ("highlights",), ("export",), ("feeds",), ("tag", "x", "y")],
)
def test_read_command_on_missing_library_creates_nothing(
    runner: CliRunner, tmp_path: Path, args: tuple[str, ...]
) -> None:
    db = tmp_path / "no" / "such" / "lib.json"
    code, out, err = run(runner, db, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"reader: {db}: no library there")
    assert list(tmp_path.iterdir()) == []


def test_add_creates_the_library_and_says_so_once(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "new" / "lib.json"
    code, _, err = run(runner, db, "add", str(SAMPLES / "river-cleanup-notes.txt"))
    assert code == 0 and err.count("created a new library at") == 1 and str(db) in err
    code, _, err = run(runner, db, "add", str(SAMPLES / "payments-outage-postmortem.md"))
    assert code == 0 and "created" not in err
    assert len(json.loads(run(runner, db, "list", "--json")[1])) == 2


def test_failed_add_into_a_new_library_leaves_nothing(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    for db in (tmp_path / "lib.json", tmp_path / "sub" / "dir" / "lib.json"):
        code, _, err = run(runner, db, "add", str(tmp_path / "missing.html"))
        assert code == 1 and "created" not in err and "missing.html" in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("how", ["--db", "READER_DB"])
def test_the_reader_on_a_missing_library_is_one_line_and_creates_nothing(
    tmp_path: Path, how: str
) -> None:
    import os

    db = tmp_path / "no" / "such" / "lib.json"
    env = {**os.environ, "READER_CONFIG_DIR": str(tmp_path / "config")}
    args = [sys.executable, "-m", "reader"]
    if how == "--db":
        args += ["--db", str(db)]
    else:
        env["READER_DB"] = str(db)
    result = subprocess.run(
        args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60
    )
    assert result.returncode == 1 and result.stdout == ""
    assert (
        result.stderr
        == f"reader: {db}: no library there (check --db or READER_DB; `reader add` makes a new library)\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == []
