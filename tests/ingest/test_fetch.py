"""Fetching web pages by URL: a local http.server serves pages of our own making."""

from __future__ import annotations

import socket
from pathlib import Path

import orjson
import pytest
from local_site import PARAGRAPHS, LocalSite, article_page, run_cli

import reader.ingest.fetch as fetch_module
from reader.errors import ImportFailed
from reader.ingest.fetch import (
    USER_AGENT,
    FetchFailed,
    HostThrottle,
    fetch_unfetched,
    fetch_url,
    import_urls,
    parse_url,
)
from reader.ingest.importers import MAX_IMPORT_BYTES
from reader.models import ParsedArticle
from reader.store import Library

pytestmark = pytest.mark.usefixtures("no_host_delay")


# -- good pages ----------------------------------------------------------------------------


def test_good_page_is_stored_with_metadata_and_body(site: LocalSite, library: Library) -> None:
    url = site.add("/news/repair-cafe", article_page())
    outcomes = import_urls(library, [url], tags=["local"])
    assert [o.status for o in outcomes] == ["added"]
    article = library.get(outcomes[0].id or "")
    assert article.title == "Repair café mends its first hundred items"
    assert article.author == "Jory Penhale"
    assert article.site == "Pellow Gazette"
    assert (article.published or "").startswith("2024-03-04")
    assert article.url == url
    assert article.tags == ["local"]
    body = library.body(article.id) or ""
    assert "Wenna Trask" in body and "drive belt" in body
    assert "all rights reserved" not in body
    assert site.user_agents == [USER_AGENT]


def test_cli_add_url_prints_added_and_stores(site: LocalSite, tmp_path: Path) -> None:
    url = site.add("/a", article_page())
    db = tmp_path / "lib.json"
    code, out, _err = run_cli(db, "add", url)
    assert code == 0
    assert "added" in out and "Repair café" in out
    code, out, _err = run_cli(db, "list", "--json")
    listed = orjson.loads(out)
    assert [a["url"] for a in listed] == [url]


def test_same_url_twice_is_a_duplicate_found_before_fetching(
    site: LocalSite, library: Library
) -> None:
    url = site.add("/a", article_page())
    first = import_urls(library, [url])
    second = import_urls(library, [url + "#comments"])
    assert second[0].status == "duplicate"
    assert second[0].id == first[0].id
    assert site.hits["/a"] == 1
    assert len(library) == 1


def test_redirect_is_followed_and_final_url_kept(site: LocalSite, library: Library) -> None:
    final = site.add("/new/place", article_page())
    old = site.add("/old", "", status=301, headers={"Location": "/new/place"})
    page = fetch_url(old)
    assert page.url == final
    assert b"Wenna Trask" in page.data
    parsed = parse_url(old)
    assert parsed.url == final


def test_redirect_loop_is_a_clear_error(site: LocalSite) -> None:
    loop = site.add("/loop", "", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchFailed) as info:
        fetch_url(loop)
    assert str(info.value) == f"{loop}: too many redirects (more than 10)"


def test_charset_from_header_decodes_latin1(site: LocalSite) -> None:
    page = article_page("Café owners celebrate a record summer")
    page = page.replace('<meta charset="utf-8">', "")
    url = site.add(
        "/latin", page.encode("iso-8859-1"), content_type="text/html; charset=ISO-8859-1"
    )
    parsed = parse_url(url)
    assert parsed.title == "Café owners celebrate a record summer"
    assert "repair café" in parsed.markdown.lower()
    assert "\ufffd" not in parsed.markdown and "Ã©" not in parsed.markdown


def test_header_charset_wins_over_a_wrong_meta(site: LocalSite) -> None:
    title = "Η πλατεία της αγοράς ανοίγει ξανά μετά από δύο χρόνια"
    page = article_page(title)  # its <meta charset> says UTF-8; the bytes are ISO-8859-7
    url = site.add(
        "/greek",
        page.encode("iso-8859-7", "xmlcharrefreplace"),
        content_type="text/html; charset=iso-8859-7",
    )
    parsed = parse_url(url)
    assert parsed.title == title


def test_plain_text_page_is_imported(site: LocalSite) -> None:
    text = "Repair café notes\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    url = site.add("/notes.txt", text, content_type="text/plain; charset=utf-8")
    parsed = parse_url(url)
    assert "Wenna Trask" in parsed.markdown
    assert parsed.url == url


# -- failures --------------------------------------------------------------------------------


def test_404_from_cli_is_one_line_exit_1_and_nothing_stored(
    site: LocalSite, tmp_path: Path
) -> None:
    url = site.url("/missing")
    db = tmp_path / "lib.json"
    code, out, err = run_cli(db, "add", url)
    assert code == 1
    assert err.strip() == f"reader: {url}: HTTP 404 Not Found"
    assert "Traceback" not in out + err
    with Library(db) as lib:
        assert len(lib) == 0


def test_500_is_reported_as_transient(site: LocalSite) -> None:
    url = site.add("/broken", "oops", status=500)
    with pytest.raises(FetchFailed) as info:
        fetch_url(url)
    assert info.value.reason == "HTTP 500 Internal Server Error"
    assert info.value.transient


def test_timeout_is_clear(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_HTTP_TIMEOUT", "0.3")
    url = site.add("/slow", article_page(), sleep=2.0)
    with pytest.raises(FetchFailed) as info:
        fetch_url(url)
    assert str(info.value) == f"{url}: timed out after 0.3 s"


def test_binary_response_is_not_a_web_page(site: LocalSite, library: Library) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    url = site.add("/picture.png", png, content_type="image/png")
    outcomes = import_urls(library, [url])
    assert outcomes[0].status == "error"
    assert outcomes[0].error == f"{url}: not a web page (content type image/png)"
    assert len(library) == 0


def test_pdf_is_not_a_web_page(site: LocalSite) -> None:
    url = site.add("/paper.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    with pytest.raises(ImportFailed, match=r"not a web page \(content type application/pdf\)$"):
        parse_url(url)


def test_binary_body_sent_as_html_is_rejected_by_the_importer(site: LocalSite) -> None:
    url = site.add("/lying", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, content_type="text/html")
    with pytest.raises(ImportFailed, match="binary"):
        parse_url(url)


def test_huge_streamed_response_stops_at_the_limit(site: LocalSite) -> None:
    total = MAX_IMPORT_BYTES * 10
    url = site.add("/huge", stream_bytes=total)
    with pytest.raises(FetchFailed) as info:
        fetch_url(url)
    assert "too large" in info.value.reason and "limit 20 MB" in info.value.reason
    # We stopped reading, so the server could not send (much) more than the limit.
    assert site.streamed < MAX_IMPORT_BYTES * 2


def test_huge_declared_length_is_refused_before_reading(site: LocalSite) -> None:
    url = site.add("/declared", b"<p>small</p>", headers={"Content-Length": "0"}, send_length=False)
    site.routes["/declared"].headers = {"Content-Length": str(25 * 1024 * 1024)}
    with pytest.raises(FetchFailed) as info:
        fetch_url(url)
    assert info.value.reason == "too large (25.0 MB, limit 20 MB)"


def test_dns_failure_is_clear() -> None:
    with pytest.raises(FetchFailed) as info:
        fetch_url("http://nonexistent.invalid/article")
    assert str(info.value) == (
        "http://nonexistent.invalid/article: could not resolve host nonexistent.invalid"
    )


def test_connection_refused_is_clear() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    with pytest.raises(FetchFailed) as info:
        fetch_url(f"http://127.0.0.1:{port}/")
    assert info.value.reason == "connection refused by 127.0.0.1"


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http:///nohost", "file:///etc/passwd"])
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchFailed):
        fetch_url(url)


# -- fetching articles saved by URL only ----------------------------------------------------


def _unfetched(library: Library, url: str) -> str:
    result = library.add_parsed(ParsedArticle(title=url, markdown="", url=url), unfetched=True)
    return result.article.id


def test_fetch_unfetched_fills_bodies_and_is_resumable(site: LocalSite, library: Library) -> None:
    good = site.add("/good", article_page())
    missing = site.url("/gone")
    good_id = _unfetched(library, good)
    missing_id = _unfetched(library, missing)
    outcomes = fetch_unfetched(library, per_host_delay=0)
    by_id = {o.id: o for o in outcomes}
    assert by_id[good_id].status == "added"
    assert by_id[missing_id].status == "error"
    assert "HTTP 404" in (by_id[missing_id].error or "")
    article = library.get(good_id)
    assert not article.unfetched
    assert article.title == "Repair café mends its first hundred items"
    assert "Wenna Trask" in (library.body(good_id) or "")
    assert library.get(missing_id).unfetched
    # A second run skips what is fetched and retries only the failure.
    again = fetch_unfetched(library, per_host_delay=0)
    assert [o.id for o in again] == [missing_id]
    assert site.hits["/good"] == 1


def test_cli_fetch_all(site: LocalSite, tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    url = site.add("/good", article_page())
    with Library(db) as lib:
        aid = _unfetched(lib, url)
    code, out, _err = run_cli(db, "fetch", "--all")
    assert code == 0
    assert f"{aid}  added" in out
    with Library(db) as lib:
        assert not lib.get(aid).unfetched
        assert lib.get(aid).word_count > 100


def test_cli_fetch_needs_ids_or_all(tmp_path: Path) -> None:
    code, _out, err = run_cli(tmp_path / "lib.json", "fetch")
    assert code == 2
    assert "--all" in err


def test_host_throttle_spaces_requests_to_one_host(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(fetch_module.time, "sleep", sleeps.append)
    throttle = HostThrottle(5.0)
    throttle.wait("http://a.test/1")
    throttle.wait("http://b.test/1")
    assert sleeps == []  # first request to each host goes at once
    throttle.wait("http://a.test/2")
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 5.0
