"""Tests for ``reader migrate``: every format on small exports of our own making.

The files live in ``tests/data/migrate/``; each test asserts on what the store holds
(titles, tags, read/bookmarked, highlights and notes, unfetched, added time) and that a
second run adds nothing.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import ImportFailed
from reader.ingest.migrate import FORMATS, MigrationReport, migrate, read_export
from reader.ingest.migrate.common import to_iso
from reader.ingest.migrate.omnivore import parse_highlights
from reader.models import Article, Highlight, ParsedArticle
from reader.store import Library

DATA = Path(__file__).resolve().parent.parent / "data" / "migrate"

SAMPLES = {
    "pocket": DATA / "pocket.csv",
    "instapaper": DATA / "instapaper.csv",
    "omnivore": DATA / "omnivore",
    "wallabag": DATA / "wallabag.json",
    "readwise": DATA / "readwise.csv",
    "kindle": DATA / "My Clippings.txt",
    "bookmarks": DATA / "bookmarks.html",
    "opml": DATA / "feeds.opml",
}


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib.json")
    yield lib
    lib.close()


def by_title(library: Library) -> dict[str, Article]:
    return {a.title: a for a in library.articles()}


def highlights_of(library: Library, article: Article) -> list[Highlight]:
    return library.highlights(article.id)


# -- every format: a second run adds nothing -----------------------------------------------------


def test_every_format_has_a_sample() -> None:
    assert set(SAMPLES) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_rerun_adds_nothing(library: Library, fmt: str) -> None:
    first = migrate(library, fmt, SAMPLES[fmt])
    assert first.added + first.feeds > 0
    articles_before = len(library)
    highlights_before = len(library.highlights())
    feeds_before = len(library.feeds())
    again = migrate(library, fmt, SAMPLES[fmt])
    assert (again.added, again.highlights, again.unfetched, again.feeds) == (0, 0, 0, 0)
    assert again.already == first.added
    assert again.highlights_already == first.highlights
    assert again.feeds_already == first.feeds
    assert len(library) == articles_before
    assert len(library.highlights()) == highlights_before
    assert len(library.feeds()) == feeds_before


# -- Pocket ------------------------------------------------------------------------------------------


def test_pocket_csv(library: Library) -> None:
    report = migrate(library, "pocket", SAMPLES["pocket"])
    assert (report.added, report.unfetched, report.error_count) == (3, 3, 1)
    assert "line 5" in report.errors[0] and "not a web address" in report.errors[0]
    articles = by_title(library)
    tea = articles['Tea, Kettles and "Steep" Times']
    assert tea.url == "https://example.org/tea-kettles"
    assert tea.tags == ["kitchen", "slow"]
    assert tea.unfetched and not tea.read
    assert tea.added == "2023-04-03T10:15:32Z"
    cafe = articles["Café décor — a field guide"]
    assert cafe.read and cafe.unfetched
    assert cafe.added == "2023-04-04T10:15:32Z"
    untitled = articles["https://example.org/untitled-page"]
    assert untitled.tags == ["design"]
    assert library.body(tea.id) is None


def test_pocket_zip_of_csvs_and_old_html(library: Library, tmp_path: Path) -> None:
    archive = tmp_path / "pocket.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "part_000000.csv",
            "title,url,time_added,tags,status\n"
            "Zipped one,https://example.org/zipped,1700000000,a,archive\n",
        )
    old = tmp_path / "ril_export.html"
    old.write_text(
        "<!DOCTYPE html><html><body><h1>Unread</h1><ul>"
        '<li><a href="https://example.org/unread-one" time_added="1680516932" tags="x,y">'
        "Unread one</a></li></ul><h1>Read Archive</h1><ul>"
        '<li><a href="https://example.org/read-one" time_added="1680603332" tags="">Read one</a>'
        "</li></ul></body></html>",
        encoding="utf-8",
    )
    migrate(library, "pocket", archive)
    migrate(library, "pocket", old)
    articles = by_title(library)
    assert articles["Zipped one"].read and articles["Zipped one"].tags == ["a"]
    assert articles["Zipped one"].added == "2023-11-14T22:13:20Z"
    assert not articles["Unread one"].read and articles["Unread one"].tags == ["x", "y"]
    assert articles["Read one"].read
    assert articles["Read one"].added == "2023-04-04T10:15:32Z"


# -- Instapaper ----------------------------------------------------------------------------------------


def test_instapaper_csv(library: Library) -> None:
    report = migrate(library, "instapaper", SAMPLES["instapaper"])
    assert (report.added, report.highlights, report.unfetched) == (3, 1, 3)
    articles = by_title(library)
    lights = articles['Lighthouses, Keepers and "Lamps"']
    assert lights.read and lights.unfetched and lights.tags == ["coast"]
    assert lights.added == "2023-04-03T10:15:32Z"
    (hl,) = highlights_of(library, lights)
    assert hl.text == "The lamp was lit at dusk every evening."
    assert hl.paragraph is None and hl.start is None  # nothing to anchor in yet
    rivers = articles["Rivers of the north — naïve maps"]
    assert rivers.tags == ["geography"] and not rivers.read
    assert articles["Bridges"].bookmarked and articles["Bridges"].tags == []


# -- Omnivore ------------------------------------------------------------------------------------------


def check_omnivore(library: Library, report: MigrationReport) -> None:
    assert (report.added, report.skipped, report.unfetched, report.highlights) == (2, 1, 1, 2)
    articles = by_title(library)
    assert "Deleted thing" not in articles
    garden = articles['Garden Notes, "Spring" Edition']
    assert garden.author == "Rosa Müller"
    assert garden.summary == "What grows in April."
    assert garden.url == "https://example.com/garden-notes"
    assert garden.tags == ["garden", "seasons"]
    assert garden.read and not garden.unfetched
    assert garden.added == "2023-04-03T10:15:32Z"
    assert garden.published == "2023-04-01T08:00:00Z"
    body = library.body(garden.id) or ""
    assert "bees found them before noon" in body
    water, bed = sorted(highlights_of(library, garden), key=lambda h: h.paragraph or 0)
    assert water.text == "Water the seedlings in the evening"
    assert water.note == "Try this with the tomatoes too."
    assert bed.note is None and "⤴" not in bed.text
    from reader.text.document import paragraphs

    paras = paragraphs(body)
    assert water.paragraph is not None and water.start is not None and water.end is not None
    assert paras[water.paragraph][water.start : water.end] == water.text
    clock = articles["Clock repair for beginners"]
    assert clock.unfetched and not clock.read


def test_omnivore_folder(library: Library) -> None:
    check_omnivore(library, migrate(library, "omnivore", SAMPLES["omnivore"]))


def test_omnivore_zip(library: Library, tmp_path: Path) -> None:
    archive = tmp_path / "omnivore-export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in SAMPLES["omnivore"].rglob("*"):
            if file.is_file():
                zf.write(file, "export/" + file.relative_to(SAMPLES["omnivore"]).as_posix())
    check_omnivore(library, migrate(library, "omnivore", archive))


def test_omnivore_highlight_blocks() -> None:
    text = (
        "# Highlights\n\n> first line\n> second line [⤴️](https://omnivore.app/me/x#1)\n\n"
        "A note\nover two lines\n\n> another\n"
    )
    found = parse_highlights(text)
    assert [(h.text, h.note) for h in found] == [
        ("first line second line", "A note\nover two lines"),
        ("another", None),
    ]


# -- Wallabag --------------------------------------------------------------------------------------------


def test_wallabag_json(library: Library) -> None:
    report = migrate(library, "wallabag", SAMPLES["wallabag"])
    assert (report.added, report.unfetched, report.highlights) == (2, 1, 1)
    articles = by_title(library)
    trains = articles['Night trains, sleepers & "slow" travel']
    assert trains.bookmarked and not trains.read and not trains.unfetched
    assert trains.tags == ["trains", "travel"]
    assert trains.author == "Ana Ruiz" and trains.site == "example.io"
    assert trains.added == "2023-04-03T10:15:32Z"  # +02:00 taken to UTC
    assert "strong coffee" in (library.body(trains.id) or "")
    (hl,) = highlights_of(library, trains)
    assert hl.text == "crossed the border before midnight"
    assert hl.note == "Check the timetable."
    assert hl.paragraph == 0 and hl.start is not None
    assert hl.created == "2023-04-04T07:00:00Z"
    ferries = articles["Ferry timetables"]
    assert ferries.read and ferries.unfetched and not ferries.bookmarked


# -- Readwise -------------------------------------------------------------------------------------------


def test_readwise_csv_books_get_a_body_of_highlights(library: Library) -> None:
    report = migrate(library, "readwise", SAMPLES["readwise"])
    assert (report.added, report.highlights, report.unfetched) == (2, 3, 0)
    articles = by_title(library)
    harbour = articles["The Harbour, a Memoir"]
    assert harbour.author == "Ines Ørsted" and harbour.url is None
    assert harbour.tags == ["memoir", "sea"]
    assert harbour.added == "2023-04-02T09:00:00Z"
    body = library.body(harbour.id) or ""
    # location order: 45 before 120
    assert body.index("Every rope") < body.index("The sea keeps")
    hls = highlights_of(library, harbour)
    assert [h.paragraph for h in hls] == [0, 1]
    sea = hls[1]
    assert sea.text == "The sea keeps its own calendar, and the tides are its pages."
    assert sea.note == "Lovely line." and sea.color == "yellow"
    habits = articles["Small Habits"]
    (count,) = highlights_of(library, habits)
    assert count.text == "1. Count the boats before dawn."  # not turned into a list
    assert count.paragraph == 0 and count.start == 0


def test_readwise_our_own_export(library: Library) -> None:
    report = migrate(library, "readwise", DATA / "readwise_ours.csv")
    assert (report.added, report.unfetched, report.highlights, report.skipped) == (1, 1, 2, 1)
    pottery = by_title(library)["Pottery at home"]
    assert pottery.url == "https://example.org/pottery" and pottery.unfetched
    assert pottery.author == "Lee Park"
    texts = {h.text: h.note for h in highlights_of(library, pottery)}
    assert texts == {"The kiln must cool for a full day.": "Patience!", "=Glaze thin coats": None}


def test_readwise_export_round_trip_anchors_in_existing_article(
    library: Library, tmp_path: Path
) -> None:
    """Our own Readwise CSV brought into a library holding the article: anchored there."""
    body = "The kiln must cool for a full day.\n\nThen open it slowly.\n"
    added = library.add_parsed(
        ParsedArticle(title="Pottery", markdown=body, url="https://example.org/pottery")
    )
    report = migrate(library, "readwise", DATA / "readwise_ours.csv")
    assert (report.added, report.already) == (0, 1)
    hls = {h.text: h for h in highlights_of(library, added.article)}
    assert hls["The kiln must cool for a full day."].paragraph == 0
    assert hls["=Glaze thin coats"].paragraph is None


# -- Kindle -----------------------------------------------------------------------------------------------


def test_kindle_clippings(library: Library) -> None:
    report = migrate(library, "kindle", SAMPLES["kindle"])
    assert (report.added, report.highlights, report.skipped, report.error_count) == (2, 2, 1, 0)
    articles = by_title(library)
    assert set(articles) == {"The Quiet Orchard", "A Field Guide to Mosses, “Soft” Edition"}
    orchard = articles["The Quiet Orchard"]  # no BOM left in the title
    assert orchard.author == "Mara Lind"
    assert orchard.added == "2023-04-03T10:15:32Z"
    (apples,) = highlights_of(library, orchard)  # the edit kept, the shorter one dropped
    assert apples.text.startswith("The apples fell all night")
    assert apples.note == "Remember the cider press."
    assert apples.paragraph == 0 and apples.start == 0
    assert apples.created == "2023-04-03T10:16:02Z"
    moss = articles["A Field Guide to Mosses, “Soft” Edition"]
    assert moss.author == "Jun Sato; Eli Berg"
    (fog,) = highlights_of(library, moss)
    assert fog.created == "2023-04-04T21:05:00Z"


def test_kindle_new_clippings_join_the_same_book(library: Library, tmp_path: Path) -> None:
    clippings = tmp_path / "My Clippings.txt"
    shutil.copy(SAMPLES["kindle"], clippings)
    migrate(library, "kindle", clippings)
    with clippings.open("a", encoding="utf-8") as handle:
        handle.write(
            "The Quiet Orchard (Mara Lind)\n- Your Highlight on page 30 | Location 400-401 | "
            "Added on Friday, 7 April 2023 08:00:00\n\nPears ripen from the inside.\n==========\n"
        )
    report = migrate(library, "kindle", clippings)
    assert (report.added, report.already, report.highlights) == (0, 2, 1)
    orchard = by_title(library)["The Quiet Orchard"]
    texts = [h.text for h in highlights_of(library, orchard)]
    assert "Pears ripen from the inside." in texts and len(texts) == 2


def test_kindle_folder_with_documents(library: Library, tmp_path: Path) -> None:
    (tmp_path / "kindle" / "documents").mkdir(parents=True)
    shutil.copy(SAMPLES["kindle"], tmp_path / "kindle" / "documents" / "My Clippings.txt")
    assert migrate(library, "kindle", tmp_path / "kindle").added == 2


# -- bookmarks and OPML -------------------------------------------------------------------------------------


def test_browser_bookmarks(library: Library) -> None:
    report = migrate(library, "bookmarks", SAMPLES["bookmarks"])
    assert (report.added, report.unfetched, report.skipped) == (2, 2, 1)  # place: skipped
    articles = by_title(library)
    star = articles['Stargazing & telescopes, "a primer"']
    assert star.tags == []  # the toolbar folder is not a tag
    assert star.added == "2023-04-03T10:15:32Z" and star.unfetched
    bread = articles["Sourdough — crème fraîche"]
    assert bread.tags == ["baking", "recipes", "weekend"]


def test_opml_subscribes_without_fetching(library: Library) -> None:
    report = migrate(library, "opml", SAMPLES["opml"])
    assert (report.feeds, report.added) == (2, 0)
    feeds = {f["url"]: f for f in library.feeds()}
    assert feeds["https://example.org/tidepool.xml"]["title"] == "Tidepool Journal"
    assert feeds["https://example.org/unicode.atom"]["title"] == "Ünïcode Weekly"
    assert all(f["last_refresh"] is None for f in feeds.values())
    from reader.ingest.feeds import feed_id

    assert {f["id"] for f in feeds.values()} == {feed_id(u) for u in feeds}
    assert "2 feeds subscribed" in report.summary()


# -- an article already here ---------------------------------------------------------------------------------


def test_article_already_here_gains_tags_and_marks(library: Library) -> None:
    existing = library.add_parsed(
        ParsedArticle(title="Mine", markdown="My own text.", url="https://example.net/bridges"),
        tags=["own"],
    ).article
    report = migrate(library, "instapaper", SAMPLES["instapaper"])
    assert (report.added, report.already) == (2, 1)
    after = library.get(existing.id)
    assert after.title == "Mine" and after.bookmarked and after.tags == ["own"]
    assert library.body(existing.id) == "My own text.\n"


def test_tag_option_tags_everything(library: Library) -> None:
    migrate(library, "pocket", SAMPLES["pocket"], tags=["From-Pocket"])
    assert all("from-pocket" in a.tags for a in library.articles())


# -- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content", "reason"),
    [
        ("pocket", "p.csv", "name,link\nx,y\n", "missing column(s) url"),
        ("instapaper", "i.csv", "", "empty"),
        ("wallabag", "w.json", '[{"title": "x",', "not valid JSON"),
        ("wallabag", "w2.json", '{"a": 1}', "expected a list"),
        ("readwise", "r.csv", "Foo,Bar\n1,2\n", "missing column(s) Highlight"),
        ("kindle", "k.txt", "just some text\n", "no ========== separators"),
        ("bookmarks", "b.html", "<html><body><p>no links</p></body></html>", "no bookmarks"),
        ("opml", "o.opml", "<rss><channel/></rss>", "not an OPML file"),
        ("opml", "o2.opml", "<opml><body><outline", "not valid OPML"),
        ("omnivore", "o.zip", "not a zip at all", "not a readable zip"),
    ],
)
def test_malformed_file_is_one_line_error(
    library: Library, tmp_path: Path, fmt: str, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        migrate(library, fmt, path)
    message = str(info.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message
    assert len(library) == 0


def test_missing_path_and_empty_omnivore_folder(library: Library, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_export("pocket", tmp_path / "nope.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFailed, match="not an Omnivore export"):
        read_export("omnivore", tmp_path / "empty")


def test_bad_rows_are_counted_and_the_rest_goes_on(library: Library, tmp_path: Path) -> None:
    export = tmp_path / "wallabag.json"
    export.write_text(
        json.dumps(
            [
                "not an entry",
                {"title": "No URL, no text", "content": ""},
                {
                    "title": "Fine",
                    "url": "https://example.io/fine",
                    "content": "<p>Words here.</p>",
                },
            ]
        ),
        encoding="utf-8",
    )
    report = migrate(library, "wallabag", export)
    assert (report.added, report.error_count) == (1, 2)
    assert "entry 1" in report.errors[0]
    assert "no text and no URL" in report.errors[1]
    assert "1 article added" in report.summary() and "2 errors" in report.summary()


def test_dates() -> None:
    assert to_iso("1680516932") == "2023-04-03T10:15:32Z"
    assert to_iso(1680516932000) == "2023-04-03T10:15:32Z"
    assert to_iso("2023-04-03T12:15:32+0200") == "2023-04-03T10:15:32Z"
    assert to_iso("2023-04-03 10:15:32") == "2023-04-03T10:15:32Z"
    assert to_iso("Monday, 3 April 2023 10:15:32") == "2023-04-03T10:15:32Z"
    assert to_iso("garbage") is None and to_iso("") is None and to_iso("0") is None


# -- the command line ---------------------------------------------------------------------------------------------


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "lib.json"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_pocket_end_to_end(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "migrate", "pocket", str(SAMPLES["pocket"]))
    assert code == 1  # one bad row
    assert "3 articles added, 0 already here, 0 highlights, 3 unfetched, 1 error" in out
    assert "reader fetch --all" in out
    assert "line 5: not a web address" in err and "Traceback" not in err
    code, out, _ = run(tmp_path, "migrate", "pocket", str(SAMPLES["pocket"]))
    assert "0 articles added, 3 already here" in out
    code, out, _ = run(tmp_path, "list", "--json")
    titles = {a["title"]: a for a in json.loads(out)}
    assert titles['Tea, Kettles and "Steep" Times']["unfetched"] is True
    assert titles["Café décor — a field guide"]["read"] is True


def test_cli_kindle_json_and_rerun(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "migrate", "kindle", str(SAMPLES["kindle"]), "--json")
    assert code == 0
    assert json.loads(out)["added"] == 2 and json.loads(out)["highlights"] == 2
    code, out, _ = run(tmp_path, "migrate", "KINDLE", str(SAMPLES["kindle"]))
    assert code == 0
    assert out.startswith("0 articles added, 2 already here, 0 highlights, 0 unfetched")


def test_cli_malformed_file_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    code, out, err = run(tmp_path, "migrate", "wallabag", str(bad))
    assert code == 1
    assert err.strip().count("\n") == 0 and str(bad) in err and "not valid JSON" in err
    assert "Traceback" not in err


def test_cli_unknown_format(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "migrate", "evernote", str(SAMPLES["pocket"]))
    assert code == 2 and "evernote" in err


# -- unfetched entries fetched later: their highlights anchor then ---------------------------------------


def test_unfetched_highlight_anchors_after_fetch(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from reader.ingest.fetch import fetch_unfetched
    from reader.text.document import paragraphs
    from reader.text.passages import resolve_anchor

    monkeypatch.setenv("READER_HOST_DELAY", "0")
    site = tmp_path / "site"
    site.mkdir()
    (site / "kites.html").write_text(
        "<!DOCTYPE html><html><head><title>Kites</title></head><body><article>"
        "<h1>Kites</h1><p>A kite needs steady wind and a patient flyer.</p>"
        "<p>The tail keeps it from spinning when the gusts come.</p></article></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/kites.html"
        export = tmp_path / "instapaper.csv"
        export.write_text(
            "URL,Title,Selection,Folder,Timestamp\n"
            f"{url},Kites,The tail keeps it from spinning,Unread,1680516932\n",
            encoding="utf-8",
        )
        migrate(library, "instapaper", export)
        (article,) = library.articles()
        (hl,) = library.highlights(article.id)
        assert article.unfetched and hl.paragraph is None
        (outcome,) = fetch_unfetched(library, None)
        assert outcome.status == "added", outcome.error
    finally:
        server.shutdown()
        server.server_close()
    body = library.body(article.id) or ""
    paras = paragraphs(body)
    found = resolve_anchor(paras, hl)
    assert found is not None
    p, start, end = found
    assert paras[p][start:end] == "The tail keeps it from spinning"
    assert library.get(article.id).added == "2023-04-03T10:15:32Z"


def test_error_messages_carry_no_terminal_escapes(library: Library, tmp_path: Path) -> None:
    export = tmp_path / "pocket.csv"
    export.write_text("title,url\nx,\x1b[31mevil\x1b]0;t\x07\n", encoding="utf-8")
    report = migrate(library, "pocket", export)
    assert report.error_count == 1
    assert "\x1b" not in report.errors[0] and "\x07" not in report.errors[0]


def test_migrate_help_names_only_export_formats_that_exist() -> None:
    import re

    from reader.highlights.export import FORMATS as EXPORT_FORMATS

    result = CliRunner().invoke(cli, ["migrate", "--help"], terminal_width=200)
    named = re.findall(r"--format[ =](\w+)", result.output)
    assert named and all(name in EXPORT_FORMATS for name in named), named
