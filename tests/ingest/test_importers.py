"""Tests for reader.ingest.importers: dispatch by content, decoding, Markdown, find_importable."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

import reader.ingest.importers.scraped_text as scraped_text
from reader.errors import ImportFailed
from reader.ingest.importers import (
    MAX_IMPORT_BYTES,
    SUPPORTED_SUFFIXES,
    find_importable,
    parse_bytes,
    parse_file,
)
from reader.ingest.importers.decoding import decode_bytes, normalize_text
from reader.ingest.importers.detect import sniff_text_format
from reader.ingest.importers.markdown_file import parse_front_matter, parse_markdown

TINY_PAGE = (
    "<!DOCTYPE html><html><head><title>Lantern festival lights up the bay</title></head>"
    "<body><article><h1>Lantern festival lights up the bay</h1>"
    "<p>Thousands of paper lanterns floated across the bay on Saturday night, as families "
    "gathered on the shore to watch the yearly festival that marks the end of winter.</p>"
    "<p>The organisers said the lanterns were made of rice paper and would not harm the "
    "water, and volunteers in boats collected them before sunrise.</p></article></body></html>"
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        crc = zlib.crc32(body).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + body + crc

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --- dispatch by content ---------------------------------------------------------------


def test_txt_that_is_really_html_goes_to_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(TINY_PAGE, encoding="utf-8")
    article = parse_file(path)
    assert article.title == "Lantern festival lights up the bay"
    assert article.source_path == str(path)


def test_html_without_doctype_and_with_md_suffix_goes_to_html() -> None:
    page = TINY_PAGE.replace("<!DOCTYPE html>", "\n\n  ")
    article = parse_bytes(page.encode(), name="page.md")
    assert article.title == "Lantern festival lights up the bay"


def test_png_renamed_md_fails_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "picture.md"
    path.write_bytes(_png())
    with pytest.raises(ImportFailed) as caught:
        parse_file(path)
    assert str(caught.value) == f"{path}: binary file, not an article"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        bytes(range(256)) * 4,
        b"plain start\x00\x00\x00\x00\x01\x02\x03\x00\x00\x00 more",
    ],
)
def test_binary_data_fails(data: bytes) -> None:
    with pytest.raises(ImportFailed, match=r"^blob\.txt: binary file, not an article$"):
        parse_bytes(data, name="blob.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  \n", b"\xef\xbb\xbf\n\n"])
def test_empty_and_whitespace_files_fail(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(ImportFailed) as caught:
        parse_file(path)
    assert caught.value.reason == "empty file"
    assert str(caught.value) == f"{path}: empty file"


def test_too_large_file_fails_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 5 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(ImportFailed) as caught:
        parse_file(path)
    assert caught.value.reason == "file too large (25.0 MB, limit 20 MB)"


def test_too_large_bytes_fail() -> None:
    with pytest.raises(ImportFailed, match="file too large"):
        parse_bytes(b"a" * (MAX_IMPORT_BYTES + 1), name="big.txt")


def test_latin1_text_decodes_accents(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Résumé of the café meeting\n\nWe ate crème brûlée.\n".encode("latin-1"))
    article = parse_file(path)
    assert article.title == "Résumé of the café meeting"
    assert article.markdown == "We ate crème brûlée."


def test_utf8_bom_is_stripped() -> None:
    article = parse_bytes("\ufeffNaïve title\n\nBody text.\n".encode(), name="bom.txt")
    assert article.title == "Naïve title"
    assert article.markdown == "Body text."


def test_utf16_text_with_bom() -> None:
    article = parse_bytes("Über title\n\nBody.\n".encode("utf-16"), name="wide.txt")
    assert article.title == "Über title"


def test_missing_file_and_directory_fail_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"nope\.md: no such file$"):
        parse_file(tmp_path / "nope.md")
    with pytest.raises(ImportFailed, match="is a directory"):
        parse_file(tmp_path)


def test_unexpected_importer_error_becomes_import_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(scraped_text, "parse_text", broken)
    with pytest.raises(ImportFailed) as caught:
        parse_bytes(b"Some title\n\nSome text.", name="x.txt")
    assert str(caught.value) == "x.txt: could not parse: boom second line"


def test_url_is_kept() -> None:
    article = parse_bytes(b"Title\n\nBody.", name="x.txt", url="https://example.org/a")
    assert article.url == "https://example.org/a"


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("<p>one</p><p>two</p><div>three</div>", "", "html"),
        ("<p>Just a fragment</p>", ".html", "html"),
        ("Use <b>bold</b> rarely.\n\nThat is all there is to say in this note.\n", "", "text"),
        ("---\ntitle: X\n---\nbody\n", ".txt", "markdown"),
        ("# Heading\n\nText.\n", ".txt", "markdown"),
        ("Title\n=====\n\nText.\n", "", "markdown"),
        (
            "Title\n\nA [link](https://a.example) and [another](https://b.example).\n",
            "",
            "markdown",
        ),
        ("Plain title\n\nPlain body.\n", ".md", "markdown"),
        ("Plain title\n\nPlain body.\n", ".txt", "text"),
        ("#hashtag #another\n\nNot a heading.\n", "", "text"),
        ("14 Apr, 2022 13:52\n\nHeadline\n\nBody.\n", ".md", "text"),
    ],
)
def test_sniff_text_format(text: str, suffix: str, expected: str) -> None:
    assert sniff_text_format(text, suffix) == expected


# --- decoding --------------------------------------------------------------------------


def test_decode_cp1252_smart_quotes_and_declared_charset() -> None:
    assert decode_bytes(b"\x93quoted\x94 \x96 dash") == "“quoted” – dash"
    assert decode_bytes("привет".encode("cp1251"), declared="windows-1251") == "привет"
    assert decode_bytes(b"caf\xe9", declared="no-such-charset") == "café"


def test_decode_utf16_without_bom() -> None:
    assert decode_bytes("Hello there, world".encode("utf-16-le")) == "Hello there, world"


def test_decode_bad_bytes_after_bom_fail() -> None:
    with pytest.raises(ImportFailed, match="cannot decode as UTF-8"):
        decode_bytes(b"\xef\xbb\xbfok \xff\xfe bad", name="bad.txt")


def test_normalize_text_removes_escapes_and_normalises_newlines() -> None:
    assert normalize_text("a\r\nb\rc\x1b[1mD\x1b[0m\x00\x9b\u2028e") == "a\nb\ncD\ne"
    # and drops what reader.sanitize drops everywhere: bidi and zero-width marks, a BOM
    assert normalize_text("\ufeffx\u202ey\u200bz\u2066") == "xyz"


# --- Markdown --------------------------------------------------------------------------


def test_markdown_front_matter_fields() -> None:
    text = (
        "---\n"
        'title: "Walking the coast: a guide"\n'
        "link: https://example.org/coast\n"
        "author: 'Sam O''Neill'\n"
        "date: 2022-04-14 13:52:00 +0000\n"
        "tags: [walking, 'coast', \"travel, uk\"]\n"
        "description: >\n"
        "  A short guide\n"
        "  to the coast path.\n"
        "extra:\n"
        "  nested: ignored\n"
        "---\n"
        "# Walking the coast: a guide\n\n"
        "Start at the harbour.\n"
    )
    article = parse_markdown(text, source_path="/tmp/x.md")
    assert article.title == "Walking the coast: a guide"
    assert article.url == "https://example.org/coast"
    assert article.author == "Sam O'Neill"
    assert article.published == "2022-04-14T13:52:00"
    assert article.tags == ["walking", "coast", "travel, uk"]
    assert article.summary == "A short guide to the coast path."
    assert article.markdown == "Start at the harbour."
    assert article.source_format == "markdown"
    assert article.source_path == "/tmp/x.md"


def test_markdown_tags_as_comma_string_and_block_list() -> None:
    assert parse_markdown("---\ntitle: T\ntags: a, b ,c\n---\nx").tags == ["a", "b", "c"]
    meta = parse_front_matter("tags:\n  - one\n  - 'two'\n# comment\nsummary: s # note\n")
    assert meta == {"tags": ["one", "two"], "summary": "s"}


def test_markdown_first_heading_is_title_and_removed() -> None:
    article = parse_markdown(
        "# The *big* [day](https://x.example)\n\nIt rained.\n\n## Later\n\nSun.\n"
    )
    assert article.title == "The big day"
    assert article.markdown == "It rained.\n\n## Later\n\nSun."


def test_markdown_setext_heading_and_heading_in_code_fence() -> None:
    article = parse_markdown("```\n# not a title\n```\n\nReal title\n==========\n\nText.\n")
    assert article.title == "Real title"
    assert "# not a title" in article.markdown


def test_markdown_without_heading_uses_first_line() -> None:
    article = parse_markdown("A quiet morning\n\nThe *birds* were out.\n")
    assert article.title == "A quiet morning"
    assert article.markdown == "The *birds* were out."


def test_markdown_unclosed_front_matter_is_body() -> None:
    article = parse_markdown("---\ntitle: X\nno closing fence\n")
    assert article.title == "title: X"


def test_markdown_file_dispatch_with_url_argument_winning(tmp_path: Path) -> None:
    path = tmp_path / "post.markdown"
    path.write_text("---\nurl: https://a.example\n---\n# Hello\n\nWorld.\n", encoding="utf-8")
    article = parse_file(path, url="https://b.example")
    assert article.title == "Hello"
    assert article.url == "https://b.example"
    assert article.source_format == "markdown"


# --- find_importable -------------------------------------------------------------------


def test_find_importable_nested_dir(tmp_path: Path) -> None:
    root = tmp_path / "library"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".hidden_dir").mkdir()
    for name in [
        "a.md",
        "b/page.HTML",
        "b/deeper/notes.txt",
        "b/deeper/z.xhtml",
        "b/image.png",
        "b/.secret.md",
        ".git/readme.md",
        ".hidden_dir/x.txt",
        "c.markdown",
        "d.text",
        "e.htm",
    ]:
        (root / name).write_text("x", encoding="utf-8")
    loose = tmp_path / "loose.dat"
    loose.write_text("x", encoding="utf-8")
    found = find_importable([root, loose, root / "a.md"])
    expected = [
        "a.md",
        "b/deeper/notes.txt",
        "b/deeper/z.xhtml",
        "b/page.HTML",
        "c.markdown",
        "d.text",
        "e.htm",
    ]
    assert found == [root / name for name in expected] + [loose]


def test_find_importable_keeps_missing_plain_paths(tmp_path: Path) -> None:
    assert find_importable([tmp_path / "missing.pdf"]) == [tmp_path / "missing.pdf"]


def test_supported_suffixes() -> None:
    assert {".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text"} == SUPPORTED_SUFFIXES
