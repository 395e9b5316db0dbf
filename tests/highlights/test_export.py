"""Tests for reader.highlights.export: markdown, obsidian, json and Readwise CSV exports."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from reader.errors import ImportFailed, ReaderError
from reader.highlights.export import FORMATS, QuoteItem, export_obsidian, export_text
from reader.highlights.export.json_format import SCHEMA_VERSION, parse_highlights_json
from reader.highlights.export.json_format import render as render_json
from reader.highlights.export.obsidian import SECTION_END, SECTION_START, parse_front_matter
from reader.highlights.export.readwise_csv import COLUMNS
from reader.highlights.export.safe_names import is_safe_filename, safe_filename
from reader.models import Article, Highlight

TRICKY_TITLE = 'Commas, "quotes" & #hash *stars* > [links] — ünïcødé 東京\n# Injected heading'


def make_items() -> list[tuple[Article, list[Highlight]]]:
    """Articles with hostile titles, notes and highlight text (our own writing)."""
    tricky = Article(
        id="art1",
        title=TRICKY_TITLE,
        author='Ada "The Count", Lovelace',
        url="https://example.org/a?x=1&y=(2)",
        published="2023-05-06T07:08:09",
        tags=["essays", 'odd "tag"', "naïve"],
    )
    tricky_hls = [
        Highlight(
            id="h1",
            article_id="art1",
            text='He wrote: "one, two"\nand then # three *four* > five [six]',
            note='=HYPERLINK("http://evil")\nsecond line\n## not a heading',
            created="2024-02-03T04:05:06+00:00",
            paragraph=2,
            start=4,
            end=40,
        ),
        Highlight(
            id="h2",
            article_id="art1",
            text="- starts with a dash, has\r\nCRLF and a tab\there \u00e9\U0001f600",
            note=None,
            created="2024-02-03T05:00:00Z",
            paragraph=7,
        ),
        Highlight(id="h3", article_id="art1", text="@mention first", note="+1 agreed"),
    ]
    passwd = Article(id="art2", title="../../etc/passwd", author=None, url=None)
    passwd_hls = [Highlight(id="h4", article_id="art2", text="root:x:0:0", created="bad date")]
    twin_a = Article(id="twinA", title="Same Title", author="One")
    twin_b = Article(id="twinB", title="Same Title", author="Two")
    return [
        (tricky, tricky_hls),
        (passwd, passwd_hls),
        (twin_a, [Highlight(id="h5", article_id="twinA", text="first twin")]),
        (twin_b, [Highlight(id="h6", article_id="twinB", text="second twin")]),
    ]


QUOTES = {
    "art1": [
        QuoteItem(text="We shall see, *perhaps*.", speaker="Ada, Countess", paragraph=3),
        QuoteItem(text="=1+1", speaker=None, paragraph=5),
    ]
}


# --- markdown -----------------------------------------------------------------------


def _structure(md: str) -> list[str]:
    """Lines that start a Markdown heading outside block quotes and list items."""
    return [line for line in md.split("\n") if line.startswith("#")]


def test_markdown_structure_cannot_be_broken_by_titles_or_text() -> None:
    md = export_text("markdown", make_items())
    headings = _structure(md)
    assert headings[0] == "# Highlights"
    assert len(headings) == 1 + 4  # one per article, nothing injected
    tricky_heading = headings[1]
    assert "\n" not in tricky_heading
    assert tricky_heading.startswith('## Commas, "quotes" \\& \\#hash \\*stars\\* \\> \\[links\\]')
    assert "\\# Injected heading" in tricky_heading
    assert "## \\.\\./" not in md and "## ../../etc/passwd" in md


def test_markdown_quotes_text_verbatim_and_notes() -> None:
    md = export_text("markdown", make_items())
    assert '> He wrote: "one, two"\n> and then # three *four* > five [six]\n' in md
    assert "> - starts with a dash, has\n> CRLF and a tab\there \u00e9\U0001f600\n" in md
    assert "\r" not in md
    assert '- **Note:** =HYPERLINK("http://evil")\n  second line\n  ## not a heading\n' in md
    assert "[https://example.org/a?x=1\\&y=(2)](https://example.org/a?x=1&y=%282%29)" in md
    assert 'Ada "The Count", Lovelace · [https' in md and "· 2023-05-06" in md
    assert "Quotations" not in md


def test_markdown_with_quotes() -> None:
    md = export_text("markdown", make_items(), quotes=QUOTES)
    assert md.count("### Quotations") == 1
    assert "- “We shall see, \\*perhaps\\*.” — Ada, Countess (paragraph 3)" in md
    assert "- “=1+1” — unknown speaker (paragraph 5)" in md


def test_markdown_drops_terminal_escapes() -> None:
    art = Article(id="x", title="Evil\x1b[31m red\x00")
    hl = Highlight(id="e", article_id="x", text="bell\x07 and \x1b]0;title\x07 osc")
    md = export_text("markdown", [(art, [hl])])
    assert "\x1b" not in md and "\x07" not in md and "\x00" not in md
    assert "## Evil\\[31m red" in md


# --- csv ----------------------------------------------------------------------------


def _unprefix(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t") else cell


def test_csv_columns_and_round_trip() -> None:
    items = make_items()
    text = export_text("csv", items)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert (
        tuple(rows[0])
        == COLUMNS
        == (
            "Highlight",
            "Title",
            "Author",
            "URL",
            "Note",
            "Location",
            "Date",
        )
    )
    body = rows[1:]
    expected = [(a, h) for a, hls in items for h in hls]
    assert len(body) == len(expected)
    for row, (article, hl) in zip(body, expected, strict=True):
        assert len(row) == 7
        assert _unprefix(row[0]) == hl.text.replace("\r\n", "\n")
        assert row[1] == article.title
        assert row[2] == (article.author or "")
        assert row[3] == (article.url or "")
        assert _unprefix(row[4]) == (hl.note or "")
        assert row[5] == ("" if hl.paragraph is None else str(hl.paragraph))
    assert body[0][6] == "2024-02-03 04:05:06"
    assert body[1][6] == "2024-02-03 05:00:00"
    assert body[3][6] == ""  # unreadable date


def test_csv_defuses_formula_cells() -> None:
    rows = list(csv.reader(io.StringIO(export_text("csv", make_items()), newline="")))
    assert rows[1][4].startswith("'=HYPERLINK")  # note starting with '='
    assert rows[2][0].startswith("'- starts")  # highlight starting with '-'
    assert rows[3][0] == "'@mention first"
    assert rows[3][4] == "'+1 agreed"
    cr = Article(id="c", title="\tTabbed", author="\rcr")
    rows = list(csv.reader(io.StringIO(export_text("csv", [(cr, [Highlight("z", "c", "x")])]))))
    assert rows[1][1] == "'\tTabbed"
    assert rows[1][2].startswith("'")
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_with_quotes_rows() -> None:
    rows = list(csv.reader(io.StringIO(export_text("csv", make_items(), quotes=QUOTES))))
    quote_rows = [r for r in rows if r[4].startswith("quotation")]
    assert [(r[0], r[4], r[5]) for r in quote_rows] == [
        ("We shall see, *perhaps*.", "quotation by Ada, Countess", "3"),
        ("'=1+1", "quotation", "5"),
    ]


# --- json ---------------------------------------------------------------------------


def test_json_document_shape_and_round_trip() -> None:
    items = make_items()
    text = export_text("json", items, quotes=QUOTES)
    doc = json.loads(text)
    assert doc["schema"] == "reader-highlights" and doc["version"] == SCHEMA_VERSION == 1
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", doc["exported"])
    assert doc["articles"][0]["quotations"][0] == {
        "text": "We shall see, *perhaps*.",
        "speaker": "Ada, Countess",
        "paragraph": 3,
    }
    assert set(doc["articles"][0]["highlights"][0]) == {
        "id",
        "text",
        "note",
        "color",
        "created",
        "paragraph",
        "start",
        "end",
    }
    parsed = parse_highlights_json(text)
    assert len(parsed) == len(items)
    for (meta, hls), (article, original) in zip(parsed, items, strict=True):
        assert meta["id"] == article.id and meta["title"] == article.title
        assert meta["url"] == article.url and meta["tags"] == article.tags
        assert meta["content_hash"] == article.content_hash
        assert hls == original


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "not a reader highlights export"),
        ('{"schema": "other", "version": 1, "articles": []}', "not a reader highlights export"),
        ('{"schema": "reader-highlights", "version": 99, "articles": []}', "newer reader"),
        ('{"schema": "reader-highlights", "version": "1", "articles": []}', "version"),
        ('{"schema": "reader-highlights", "version": 1, "articles": {}}', "articles"),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"title": "t"}]}',
            "articles[0].id: missing",
        ),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"id": "a",'
            ' "highlights": [{"id": "h", "text": "x", "start": -1}]}]}',
            "articles[0].highlights[0].start",
        ),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"id": "a",'
            ' "highlights": [{"id": "h", "text": "x", "start": true}]}]}',
            "start",
        ),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"id": "a",'
            ' "highlights": [{"id": "h", "text": ""}]}]}',
            "text: must not be empty",
        ),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"id": "a",'
            ' "highlights": [{"id": "h", "text": "x"}, {"id": "h", "text": "y"}]}]}',
            "appears twice",
        ),
        (
            '{"schema": "reader-highlights", "version": 1, "articles": [{"id": "a", "tags": [1]}]}',
            "tags",
        ),
    ],
)
def test_parse_highlights_json_rejects_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(ImportFailed) as info:
        parse_highlights_json(text, source="mine.json")
    message = str(info.value)
    assert isinstance(info.value, ReaderError)
    assert message.startswith("mine.json: ") and fragment in message and "\n" not in message


def test_json_exported_time_can_be_fixed() -> None:
    text = render_json(make_items()[:1], exported="2024-01-01T00:00:00+00:00")
    assert json.loads(text)["exported"] == "2024-01-01T00:00:00+00:00"


def test_export_text_rejects_unknown_and_folder_formats() -> None:
    assert FORMATS == ("markdown", "obsidian", "json", "csv")
    with pytest.raises(ReaderError, match="unknown export format"):
        export_text("docx", make_items())
    with pytest.raises(ReaderError, match="folder"):
        export_text("obsidian", make_items())


# --- obsidian -----------------------------------------------------------------------


def _all_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _front_matter(text: str) -> list[str]:
    lines = text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return lines[1:end]


def test_obsidian_writes_only_inside_folder_with_safe_unique_names(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("keep")
    vault = tmp_path / "vault" / "notes"
    written = export_obsidian(make_items(), vault)
    assert len(written) == 4
    files = _all_files(tmp_path)
    assert set(files) == {tmp_path / "outside.txt", *written}
    for path in written:
        assert path.parent == vault.resolve()
        assert is_safe_filename(path.name), path.name
        assert path.suffix == ".md"
    names = sorted(p.name for p in written)
    assert "etc-passwd.md" in names
    assert "Same Title.md" in names and "Same Title twinB.md" in names
    assert not (tmp_path / "etc").exists()
    assert len({n.casefold() for n in names}) == 4


def test_obsidian_front_matter_is_valid_yaml_subset(tmp_path: Path) -> None:
    items = make_items()
    written = export_obsidian(items, tmp_path)
    by_id = {}
    for path in written:
        fm = _front_matter(path.read_text(encoding="utf-8"))
        # Every quoted scalar must also be a valid JSON string (standard escapes only),
        # and no raw control character may appear in the front matter.
        for line in fm:
            assert not re.search("[\x00-\x1f\x7f]", line)
            value = line.split(": ", 1)[1] if ": " in line else line.strip()[2:]
            if value.startswith('"'):
                json.loads(value)
        data = parse_front_matter(fm, strict=True)
        by_id[data["id"]] = data
    tricky = by_id["art1"]
    assert tricky == {
        "id": "art1",
        "title": TRICKY_TITLE,
        "author": 'Ada "The Count", Lovelace',
        "url": "https://example.org/a?x=1&y=(2)",
        "published": "2023-05-06T07:08:09",
        "tags": ["essays", 'odd "tag"', "naïve"],
        "highlights": 3,
    }
    assert by_id["art2"]["author"] is None and by_id["art2"]["tags"] == []


def test_obsidian_yaml_escapes_hostile_titles(tmp_path: Path) -> None:
    title = 'back\\slash "q" \x00nul\x1b esc\ttab\r\nnew\u2028sep\u0085 #: - [x] {y} \'s'
    art = Article(id="y1", title=title, author="a: b")
    (path,) = export_obsidian([(art, [Highlight("hy", "y1", "text")])], tmp_path)
    fm = _front_matter(path.read_text(encoding="utf-8"))
    data = parse_front_matter(fm, strict=True)
    assert data["title"] == title and data["author"] == "a: b"
    title_line = next(line for line in fm if line.startswith("title: "))
    assert json.loads(title_line[len("title: ") :]) == title


def test_obsidian_block_ids_and_notes(tmp_path: Path) -> None:
    export_obsidian(make_items()[:1], tmp_path, quotes=QUOTES)
    (path,) = tmp_path.glob("*.md")
    text = path.read_text(encoding="utf-8")
    assert "> and then # three *four* > five [six] ^h1\n" in text
    assert "> CRLF and a tab\there \u00e9\U0001f600 ^h2\n" in text
    assert "> @mention first ^h3\n" in text
    assert '- **Note:** =HYPERLINK("http://evil")\n  second line\n' in text
    section = text[text.index(SECTION_START) : text.index(SECTION_END)]
    assert "## Highlights" in section and "### Quotations" in section
    assert "Ada, Countess" in section


def test_obsidian_second_export_changes_no_bytes(tmp_path: Path) -> None:
    items = make_items()
    export_obsidian(items, tmp_path, quotes=QUOTES)
    before = _all_files(tmp_path)
    assert export_obsidian(items, tmp_path, quotes=QUOTES) == []
    assert _all_files(tmp_path) == before


def test_obsidian_reexport_keeps_user_text_and_adds_highlight(tmp_path: Path) -> None:
    items = make_items()
    export_obsidian(items, tmp_path)
    path = next(p for p in tmp_path.glob("*.md") if "Commas" in p.name)
    original = path.read_text(encoding="utf-8")
    fm_end = original.index("\n---\n", 4)
    edited = (
        original[:fm_end]
        + '\ncssclasses:\n  - wide\nmine: "kept"'
        + original[fm_end:].replace(
            SECTION_START, "My own intro, with [[links]] and #tags.\r\n\n" + SECTION_START
        )
        + "\n## My thoughts\nUser text after the section.\n"
    )
    path.write_text(edited, encoding="utf-8", newline="")
    article, hls = items[0]
    new_hl = Highlight(id="h-new", article_id="art1", text="A fresh highlight.")
    items[0] = (article, [*hls, new_hl])
    written = export_obsidian(items, tmp_path)
    assert written == [path]
    text = path.read_bytes().decode("utf-8")
    assert "My own intro, with [[links]] and #tags.\r\n" in text
    assert text.endswith("\n## My thoughts\nUser text after the section.\n")
    assert "> A fresh highlight. ^h-new" in text
    data = parse_front_matter(_front_matter(text), strict=True)
    assert data["mine"] == "kept" and data["cssclasses"] == ["wide"]
    assert data["highlights"] == 4
    assert text.count(SECTION_START) == 1 and text.count(SECTION_END) == 1
    again = path.read_bytes()
    assert export_obsidian(items, tmp_path) == []
    assert path.read_bytes() == again


def test_obsidian_finds_note_by_id_after_title_or_file_rename(tmp_path: Path) -> None:
    items = make_items()[2:3]
    (first,) = export_obsidian(items, tmp_path)
    renamed = tmp_path / "I renamed this.md"
    first.rename(renamed)
    article, hls = items[0]
    article.title = "A Completely New Title"
    (second,) = export_obsidian([(article, hls)], tmp_path)
    assert second == renamed.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["I renamed this.md"]
    data = parse_front_matter(_front_matter(renamed.read_text(encoding="utf-8")))
    assert data["title"] == "A Completely New Title"


def test_obsidian_section_appended_when_markers_removed(tmp_path: Path) -> None:
    (path,) = export_obsidian(make_items()[1:2], tmp_path)
    text = path.read_text(encoding="utf-8")
    head = text[: text.index(SECTION_START)]
    path.write_text(head + "User replaced everything.\n", encoding="utf-8")
    export_obsidian(make_items()[1:2], tmp_path)
    result = path.read_text(encoding="utf-8")
    assert "User replaced everything.\n" in result
    assert result.index("User replaced everything.") < result.index(SECTION_START)
    assert "> root:x:0:0 ^h4" in result


def test_obsidian_does_not_follow_symlink_out_of_folder(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    secret = tmp_path / "secret.md"
    secret.write_text('---\nid: "twinA"\n---\nprivate\n')
    (vault / "Same Title.md").symlink_to(secret)
    written = export_obsidian(make_items()[2:3], vault)
    assert secret.read_text() == '---\nid: "twinA"\n---\nprivate\n'
    assert len(written) == 1 and written[0].parent == vault.resolve()
    assert not written[0].is_symlink() and written[0].name == "Same Title twinA.md"


def test_obsidian_leaves_no_temp_files(tmp_path: Path) -> None:
    export_obsidian(make_items(), tmp_path)
    export_obsidian(make_items(), tmp_path, quotes=QUOTES)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --- safe names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "..",
        ".hidden",
        "C:\\Windows\\system32",
        "CON",
        "nul.txt",
        "com1",
        "lpt9 report",
        'a<b>c:d"e|f?g*h#i^j[k]l',
        "tab\there\x00nul\x1b[31mred\u202eevil",
        "   ",
        "",
        "trailing dots...",
        "é" * 300,
        "東京" * 120,
        "-rf --no-preserve-root",
    ],
)
def test_safe_filename_rules(title: str) -> None:
    name = safe_filename(title)
    assert is_safe_filename(name), name
    assert name.endswith(".md")
    assert "/" not in name and "\\" not in name
    long_suffix = safe_filename(title, suffix=" abcdef0123")
    assert is_safe_filename(long_suffix) and long_suffix.endswith(" abcdef0123.md")


def test_safe_filename_keeps_readable_titles() -> None:
    assert safe_filename("A plain title") == "A plain title.md"
    assert safe_filename("Über: Café / Straße") == "Über- Café - Straße.md"
    assert safe_filename("CON").upper() != "CON.MD"
    assert len(safe_filename("x" * 500)) == 100


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("- Anonymous", "\\- Anonymous"),
        ("+ plus", "\\+ plus"),
        ("===", "\\==="),
        ("1984. Orwell", "1984\\. Orwell"),
        ("3) three", "3\\) three"),
    ],
)
def test_markdown_byline_cannot_start_a_list_or_rule(author: str, expected: str) -> None:
    md = export_text("markdown", [(Article(id="b", title="T", author=author), [])])
    assert md.split("\n")[4] == expected


def test_obsidian_folder_that_is_a_file_is_a_reader_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file.md"
    not_a_folder.write_text("x")
    with pytest.raises(ReaderError, match="export folder"):
        export_obsidian(make_items(), not_a_folder)
    assert not_a_folder.read_text() == "x"
