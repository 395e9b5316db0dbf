"""Size limits that bound work (issue 19, class 3): every import path applies the same
limits (bytes, tags before parsing, paragraphs and characters after), archives are read
member by member with a cap on what is unpacked, and ``show`` is linear."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import reader.ingest.migrate.common as migrate_common
from reader.errors import ImportFailed
from reader.ingest.importers import parse_bytes
from reader.ingest.migrate import migrate
from reader.limits import MAX_PARAGRAPHS, MAX_TAGS, check_body
from reader.models import ParsedArticle
from reader.store import Library
from tests.promise_helpers import one_line_error, run_reader


def test_a_page_of_tiny_paragraphs_is_refused_before_parsing(tmp_path: Path) -> None:
    """2.4 million tiny paragraphs (19 MB, under the byte limit) took 57 s and 2.5 GB."""
    page = b"<html><body>" + b"<p>x</p>" * (MAX_TAGS // 2 + 10) + b"</body></html>"
    with pytest.raises(ImportFailed, match="page too large"):
        parse_bytes(page, name="tiny.html")
    path = tmp_path / "tiny.html"
    path.write_bytes(page)
    result = run_reader(tmp_path / "lib.json", "add", str(path))
    assert result.returncode == 1
    assert "tags, limit" in one_line_error(result)


def test_a_body_over_the_paragraph_limit_is_refused_on_every_path(tmp_path: Path) -> None:
    """A Markdown file, and an article stored by any other path (add_parsed), both stop
    at the same paragraph limit; the library is unchanged."""
    markdown = "# Many\n\n" + "\n\n".join(f"p{i}" for i in range(MAX_PARAGRAPHS + 5))
    with pytest.raises(ImportFailed, match="too many paragraphs"):
        check_body(markdown, "x")
    path = tmp_path / "many.md"
    path.write_text(markdown, encoding="utf-8")
    result = run_reader(tmp_path / "lib.json", "add", str(path))
    assert result.returncode == 1 and "too many paragraphs" in one_line_error(result)
    with Library(tmp_path / "lib.json") as library:
        with pytest.raises(ImportFailed, match="too many paragraphs"):
            library.add_parsed(ParsedArticle(title="Feed entry", markdown=markdown))
        assert len(library) == 0
        assert not list(library.bodies.folder.glob("*.md"))


def test_a_huge_wallabag_entry_hits_the_page_limit_and_the_rest_is_stored(
    tmp_path: Path,
) -> None:
    """A Wallabag entry of 21 MB (once 60 MB went through) is not parsed: it is kept by
    its URL, to fetch later, and the other entries are stored."""
    export = tmp_path / "wallabag.json"
    big = "<p>" + "word " * (21 * 1024 * 1024 // 5) + "</p>"
    entries = [
        {"title": "Huge", "url": "https://example.org/huge", "content": big},
        {"title": "Small", "url": "https://example.org/small", "content": "<p>Fine text.</p>"},
    ]
    export.write_text(json.dumps(entries), encoding="utf-8")
    with Library(tmp_path / "lib.json") as library:
        report = migrate(library, "wallabag", export)
        articles = {a.title: a for a in library.articles()}
        assert report.added == 2 and report.unfetched == 1
        assert articles["Huge"].unfetched and library.body(articles["Huge"].id) is None
        assert library.body(articles["Small"].id) == "Fine text.\n"


def _bomb(archive: Path, name: str, size: int, extra: dict[str, str] | None = None) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, text in (extra or {}).items():
            zf.writestr(member, text)
        with zf.open(name, "w", force_zip64=True) as handle:
            chunk = b"title,url\n" + b"x,https://example.org/x\n" * 4000
            written = 0
            while written < size:
                handle.write(chunk)
                written += len(chunk)


def test_an_archive_is_unpacked_member_by_member_under_a_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small zip holding a huge CSV stops at the cap (counted as it unpacks), and a
    member the format never needs is never unpacked."""
    monkeypatch.setattr(migrate_common, "MAX_EXPORT_BYTES", 4 * 1024 * 1024)
    archive = tmp_path / "pocket.zip"
    _bomb(archive, "part_000000.csv", 8 * 1024 * 1024)
    assert archive.stat().st_size < 200_000
    with Library(tmp_path / "lib.json") as library:
        with pytest.raises(ImportFailed, match="unpacks to more than 4 MB"):
            migrate(library, "pocket", archive)
        assert len(library) == 0
    data = Path(__file__).resolve().parents[1] / "data" / "migrate" / "omnivore"
    omnivore = tmp_path / "omnivore.zip"
    files = {
        "export/" + f.relative_to(data).as_posix(): f.read_text(encoding="utf-8")
        for f in data.rglob("*")
        if f.is_file()
    }
    _bomb(omnivore, "export/unneeded/huge.bin", 8 * 1024 * 1024, files)
    with Library(tmp_path / "omni.json") as library:
        report = migrate(library, "omnivore", omnivore)
        assert report.added > 0


def test_show_of_an_article_at_the_limits_finishes(tmp_path: Path) -> None:
    """`reader show` of a body at the paragraph limit finishes in bounded time (was 11
    minutes and 3.7 GB for 2.4 million paragraphs)."""
    db = tmp_path / "lib.json"
    with Library(db) as library:
        body = "\n\n".join(f"w{i}" for i in range(MAX_PARAGRAPHS - 1))
        aid = library.add_parsed(ParsedArticle(title="Long", markdown=body)).article.id
    result = run_reader(db, "show", aid)
    assert result.returncode == 0
    assert result.stdout.count(b"\n") > MAX_PARAGRAPHS
