"""RSS and Atom feeds: subscribing, importing entries, refreshing (local http.server)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import orjson
import pytest
from local_site import PARAGRAPHS, LocalSite, article_page, run_cli

from reader.errors import ImportFailed
from reader.ingest.feeds import feed_id, refresh_all, subscribe_and_import
from reader.ingest.fetch import import_urls
from reader.store import Library

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml"


def long_text(topic: str) -> str:
    """Our own long entry text (well over 150 words), as HTML paragraphs."""
    paras = [f"{topic}: {p}" for p in PARAGRAPHS] * 2
    return "".join(f"<p>{escape(p)}</p>" for p in paras)


def rss_feed(items: list[tuple[str, str, str]]) -> str:
    """RSS 2.0 with full content:encoded entries: (title, link, date) each."""
    body = "".join(
        f"""<item><title>{escape(title)}</title><link>{escape(link)}</link>
<guid>{escape(link)}</guid><pubDate>{date}</pubDate>
<dc:creator>Morwenna Hale</dc:creator>
<description>A short teaser for {escape(title)}.</description>
<content:encoded><![CDATA[{long_text(title)}]]></content:encoded></item>"""
        for title, link, date in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Pellow Gazette</title><link>http://pellow.test/</link>
<description>News from Pellow</description>{body}</channel></rss>"""


def atom_feed(entries: list[tuple[str, str]]) -> str:
    """Atom whose entries carry only a summary and a link: (title, link) each."""
    body = "".join(
        f"""<entry><title>{escape(title)}</title><link href="{escape(link)}"/>
<id>{escape(link)}</id><updated>2024-05-0{i + 1}T08:00:00Z</updated>
<author><name>Tamsin Rowe</name></author>
<summary>Read the whole story on our site.</summary></entry>"""
        for i, (title, link) in enumerate(entries)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Notes</title>
<id>urn:harbour-notes</id><updated>2024-05-03T08:00:00Z</updated>{body}</feed>"""


pytestmark = pytest.mark.usefixtures("no_host_delay")


RSS_ITEMS = [
    ("Harbour wall repairs finish early", "/posts/harbour-wall", "Mon, 06 May 2024 07:15:00 GMT"),
    ("New ferry timetable for summer", "/posts/ferry-timetable", "Sun, 05 May 2024 18:00:00 GMT"),
]


def serve_rss(site: LocalSite, items: list[tuple[str, str, str]] = RSS_ITEMS) -> str:
    absolute = [(t, site.url(p), d) for t, p, d in items]
    return site.add("/rss.xml", rss_feed(absolute), content_type=RSS_TYPE)


def serve_atom_with_pages(site: LocalSite) -> tuple[str, list[str]]:
    titles = ["Lifeboat crew rescues kayaker", "Fish market moves to the quay"]
    links = [site.add(f"/story/{i}", article_page(t)) for i, t in enumerate(titles)]
    url = site.add(
        "/atom.xml", atom_feed(list(zip(titles, links, strict=True))), content_type=ATOM_TYPE
    )
    return url, links


def test_rss_full_content_is_imported_without_fetching_pages(
    site: LocalSite, library: Library
) -> None:
    url = serve_rss(site)
    outcomes = subscribe_and_import(library, url)
    assert [o.status for o in outcomes] == ["added", "added"]
    # Full content came from the feed: the entry links were never requested.
    assert site.hits["/posts/harbour-wall"] == 0 and site.hits["/posts/ferry-timetable"] == 0
    by_title = {a.title: a for a in library.articles()}
    article = by_title["Harbour wall repairs finish early"]
    assert article.url == site.url("/posts/harbour-wall")
    assert article.author == "Morwenna Hale"
    assert article.published == "2024-05-06T07:15:00"
    assert article.site == "Pellow Gazette"
    assert article.summary == "A short teaser for Harbour wall repairs finish early."
    body = library.body(article.id) or ""
    assert "Wenna Trask" in body and "drive belt" in body
    assert article.word_count > 150
    # Oldest entry first, so the newest is the last added.
    assert [o.title for o in outcomes] == [
        "New ferry timetable for summer",
        "Harbour wall repairs finish early",
    ]
    [record] = library.feeds()
    assert record["id"] == feed_id(url)
    assert record["url"] == url
    assert record["title"] == "Pellow Gazette"
    assert record["entries_seen"] == 2
    assert record["last_refresh"]


def test_atom_link_only_entries_fetch_the_pages(site: LocalSite, library: Library) -> None:
    url, links = serve_atom_with_pages(site)
    outcomes = subscribe_and_import(library, url)
    assert [o.status for o in outcomes] == ["added", "added"]
    assert [site.hits[f"/story/{i}"] for i in range(2)] == [1, 1]
    by_url = {a.url: a for a in library.articles()}
    article = by_url[links[0]]
    assert article.title == "Lifeboat crew rescues kayaker"  # the feed's title
    assert article.author == "Tamsin Rowe"  # the feed's author wins over the page's
    assert "Wenna Trask" in (library.body(article.id) or "")


def test_rerunning_the_import_adds_and_fetches_nothing(site: LocalSite, library: Library) -> None:
    url, _links = serve_atom_with_pages(site)
    subscribe_and_import(library, url)
    again = subscribe_and_import(library, url)
    assert again == []  # every entry was seen before
    assert [site.hits[f"/story/{i}"] for i in range(2)] == [1, 1]
    assert site.hits["/atom.xml"] == 2
    assert len(library) == 2
    assert len(library.feeds()) == 1


def test_entry_already_in_library_is_a_duplicate_without_fetching(
    site: LocalSite, library: Library
) -> None:
    url, links = serve_atom_with_pages(site)
    import_urls(library, [links[0]])
    assert site.hits["/story/0"] == 1
    outcomes = subscribe_and_import(library, url)
    assert sorted(o.status for o in outcomes) == ["added", "duplicate"]
    assert site.hits["/story/0"] == 1
    assert len(library) == 2


def atom_full_text_feed(entries: list[tuple[str, str]]) -> str:
    """Atom whose entries carry their whole text only in <content> (no <summary>)."""
    body = "".join(
        f"""<entry><title>{escape(title)}</title><link href="{escape(link)}"/>
<id>{escape(link)}</id><updated>2024-05-{i % 28 + 1:02d}T08:00:00Z</updated>
<content type="html">{escape(long_text(title))}</content></entry>"""
        for i, (title, link) in enumerate(entries)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay Diary</title>
<id>urn:quay-diary</id><updated>2024-05-28T08:00:00Z</updated>{body}</feed>"""


def test_atom_full_text_in_content_only_imports_every_entry_without_fetching(
    site: LocalSite, library: Library
) -> None:
    entries = [(f"Quay diary day {n}", site.url(f"/diary/{n}")) for n in range(40)]
    url = site.add("/diary.xml", atom_full_text_feed(entries), content_type=ATOM_TYPE)
    outcomes = subscribe_and_import(library, url)
    assert [o.status for o in outcomes] == ["added"] * 40
    assert not any(site.hits[f"/diary/{n}"] for n in range(40))  # no page was requested
    article = next(a for a in library.articles() if a.title == "Quay diary day 3")
    assert article.url == site.url("/diary/3") and article.word_count > 150
    assert "Wenna Trask" in (library.body(article.id) or "")


def test_short_content_is_not_full_content(site: LocalSite, library: Library) -> None:
    page = site.add("/story/short", article_page("Quay lights switched on for winter"))
    feed = rss_feed([("Quay lights switched on for winter", page, "Mon, 06 May 2024 07:15:00 GMT")])
    feed = feed.replace(long_text("Quay lights switched on for winter"), "<p>Only a teaser.</p>")
    url = site.add("/short.xml", feed, content_type=RSS_TYPE)
    outcomes = subscribe_and_import(library, url)
    assert [o.status for o in outcomes] == ["added"]
    assert site.hits["/story/short"] == 1  # the page was fetched for the whole text


def test_permanent_entry_failure_is_not_retried_but_transient_is(
    site: LocalSite, library: Library
) -> None:
    site.add("/story/flaky", "busy", status=503)
    entries = [("Gone story", site.url("/story/gone")), ("Flaky story", site.url("/story/flaky"))]
    url = site.add("/atom.xml", atom_feed(entries), content_type=ATOM_TYPE)
    first = subscribe_and_import(library, url)
    assert [o.status for o in first] == ["error", "error"]
    errors = {o.path: o.error or "" for o in first}
    assert errors[site.url("/story/gone")].endswith("HTTP 404 Not Found")
    assert errors[site.url("/story/flaky")].endswith("HTTP 503 Service Unavailable")
    second = subscribe_and_import(library, url)
    assert [o.path for o in second] == [site.url("/story/flaky")]
    assert site.hits["/story/gone"] == 1 and site.hits["/story/flaky"] == 2


def test_feed_from_a_file(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "gazette.xml"
    items = [
        (
            "Harbour wall repairs finish early",
            "http://pellow.test/a",
            "Mon, 06 May 2024 07:15:00 GMT",
        )
    ]
    path.write_text(rss_feed(items), encoding="utf-8")
    outcomes = subscribe_and_import(library, str(path))
    assert [o.status for o in outcomes] == ["added"]
    [record] = library.feeds()
    assert record["url"] == str(path.resolve())
    assert library.articles()[0].url == "http://pellow.test/a"


def test_not_a_feed_is_a_clear_error(site: LocalSite, library: Library, tmp_path: Path) -> None:
    url = site.add("/page.html", article_page())
    with pytest.raises(ImportFailed) as info:
        subscribe_and_import(library, url)
    assert str(info.value) == f"{url}: not an RSS or Atom feed"
    with pytest.raises(ImportFailed, match="no such file"):
        subscribe_and_import(library, str(tmp_path / "missing.xml"))
    assert library.feeds() == []


def test_cli_add_feed_then_feeds_json(site: LocalSite, tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    url = serve_rss(site)
    code, out, err = run_cli(db, "add", "--feed", url)
    assert code == 0, err
    assert out.count("  added  ") == 2
    code, out, _err = run_cli(db, "feeds", "--json")
    assert code == 0
    feeds = orjson.loads(out)
    assert feeds == [
        {
            "id": feed_id(url),
            "title": "Pellow Gazette",
            "url": url,
            "last_refresh": feeds[0]["last_refresh"],
            "entries_seen": 2,
        }
    ]
    code, out, _err = run_cli(db, "feeds")
    assert "Pellow Gazette" in out


def test_cli_add_feed_that_fails_exits_1(site: LocalSite, tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    code, _out, err = run_cli(db, "add", "--feed", site.url("/nothing.xml"))
    assert code == 1
    assert err.strip() == f"reader: {site.url('/nothing.xml')}: HTTP 404 Not Found"


def test_cli_refresh_picks_up_a_new_entry(site: LocalSite, tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    url = serve_rss(site)
    assert run_cli(db, "add", "--feed", url)[0] == 0
    newer = ("Lighthouse open day announced", "/posts/open-day", "Tue, 07 May 2024 09:00:00 GMT")
    serve_rss(site, [newer, *RSS_ITEMS])
    code, out, err = run_cli(db, "refresh")
    assert code == 0, err
    assert "added  Lighthouse open day announced" in out
    assert "Harbour wall" not in out
    with Library(db) as lib:
        assert len(lib) == 3
        assert lib.feeds()[0]["entries_seen"] == 3


def test_refresh_all_reports_a_broken_feed_and_goes_on(site: LocalSite, library: Library) -> None:
    good = serve_rss(site)
    subscribe_and_import(library, good)
    bad = site.add("/other.xml", atom_feed([]), content_type=ATOM_TYPE)
    subscribe_and_import(library, bad)
    del site.routes["/other.xml"]
    outcomes = refresh_all(library)
    assert [o.status for o in outcomes] == ["error"]
    assert outcomes[0].path == bad
    assert site.hits["/rss.xml"] == 2


def test_cli_refresh_without_feeds(tmp_path: Path) -> None:
    Library(tmp_path / "lib.json").close()
    code, _out, err = run_cli(tmp_path / "lib.json", "refresh")
    assert code == 1
    assert "no feeds yet" in err
