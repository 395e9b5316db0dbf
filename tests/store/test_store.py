"""The library store: round trips, ids, duplicates, atomic writes, schema, several instances."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import Ambiguous, NotFound, StoreError
from reader.models import ParsedArticle
from reader.store import SCHEMA_VERSION, Library, normalize_url
from reader.store.storage import AtomicJSONStorage


def parsed(n: int = 1, **kw: object) -> ParsedArticle:
    data: dict = {"title": f"Title {n}", "markdown": f"Body number {n} with some words."}
    data.update(kw)
    return ParsedArticle(**data)  # type: ignore[arg-type]


def test_round_trip_of_every_field(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    with Library(path) as lib:
        result = lib.add_parsed(
            parsed(
                url="https://example.org/a",
                author="Ann Author",
                site="Example",
                published="2022-04-14T13:52:00",
                summary="A deck.",
            ),
            tags=["News", "news", " world "],
        )
        aid = result.article.id
        lib.set_bookmarked(aid, True)
        lib.set_read(aid, True)
        lib.set_position(aid, 0.42)
        hl = lib.add_highlight(aid, "number 1", note="a note", paragraph=0, start=5, end=13)
        lib.set_setting("theme", "paper")
    with Library(path) as again:
        article = again.get(aid)
        assert article.title == "Title 1"
        assert article.author == "Ann Author"
        assert article.site == "Example"
        assert article.published == "2022-04-14T13:52:00"
        assert article.summary == "A deck."
        assert article.tags == ["news", "world"]
        assert article.bookmarked and article.read
        assert article.position == pytest.approx(0.42)
        assert article.word_count == 6
        assert article.reading_minutes == 1
        assert article.highlight_count == 1
        assert again.body(aid) == "Body number 1 with some words.\n"
        [stored] = again.highlights(aid)
        assert (stored.id, stored.text, stored.note, stored.paragraph) == (
            hl.id,
            "number 1",
            "a note",
            0,
        )
        assert again.get_setting("theme") == "paper"


def test_bodies_live_outside_the_metadata_file(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    with Library(path) as lib:
        aid = lib.add_parsed(parsed(markdown="UNIQUE-BODY-WORD " * 2000)).article.id
    assert b"UNIQUE-BODY-WORD" not in path.read_bytes()
    assert (tmp_path / "lib.bodies" / f"{aid}.md").exists()
    raw = orjson.loads(path.read_bytes())
    assert raw["_meta"]["schema"]["version"] == SCHEMA_VERSION


def test_ids_are_short_hex_and_prefixes_resolve(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.json") as lib:
        ids = [lib.add_parsed(parsed(i)).article.id for i in range(40)]
        assert all(len(i) == 8 and int(i, 16) >= 0 for i in ids)
        assert len(set(ids)) == 40
        assert lib.resolve_id(ids[0][:6]) == ids[0]
        with pytest.raises(NotFound):
            lib.resolve_id("zzzz")
        with pytest.raises(Ambiguous):
            lib.resolve_id(_shared_prefix(ids))


def _shared_prefix(ids: list[str]) -> str:
    firsts = [i[0] for i in ids]
    common = max(set(firsts), key=firsts.count)
    return common


def test_same_article_twice_is_a_duplicate(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.json") as lib:
        first = lib.add_parsed(parsed(1, url="https://Example.org/a/?utm_source=x#frag"))
        by_url = lib.add_parsed(parsed(2, url="https://example.org/a"))
        by_text = lib.add_parsed(parsed(1, markdown="Body   number 1 with\nsome words."))
        assert first.status == "added"
        assert by_url.status == "duplicate" and by_url.article.id == first.article.id
        assert by_text.status == "duplicate"
        assert len(lib) == 1


def test_normalize_url() -> None:
    assert normalize_url("HTTPS://Ex.org/a/?utm_medium=m&b=1#x") == "https://ex.org/a?b=1"
    assert normalize_url(" HTTPS://Ex.org/a/b// ") == "https://ex.org/a/b"
    assert normalize_url("https://Ex.org") == "https://ex.org/"
    assert normalize_url(None) is None


_URL_PIECES = [
    "http",
    "HTTPS",
    "ftp",
    "a+b.c-d",
    "1x",
    "://",
    ":",
    "//",
    "/",
    "///",
    "?",
    "#",
    "@",
    "[",
    "]",
    "[::1]",
    "Ex.ORG",
    "example.com",
    ":8080",
    "user:pw@",
    "%20",
    "%2F",
    " ",
    "\t",
    "\n",
    "\x00",
    "\x7f",
    "~",
    "_",
    "-",
    ".",
    "..",
    "a",
    "B",
    "9",
    "é",
    "ｅ",
    "utm_source=x",
    "&",
    "=",
    ";",
    "!",
    "$",
    "'",
    "(",
    ")",
    "*",
    "+",
    ",",
    "\\",
    "\u3000",
]


def _normalized_by_urllib(url: str) -> str | None:
    from reader.store.library import _normalize_url_by_parts

    if not url:
        return None
    stripped = url.strip()
    return _normalize_url_by_parts(stripped) if stripped else ""


@given(st.lists(st.sampled_from(_URL_PIECES), max_size=12).map("".join))
def test_plain_urls_normalize_as_urllib_parses_them(url: str) -> None:
    """``normalize_url``'s pattern for plain URLs gives exactly the ``urllib.parse`` result."""
    assert normalize_url(url) == _normalized_by_urllib(url)
    assert normalize_url("https://" + url) == _normalized_by_urllib("https://" + url)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_text_normalizes_as_urllib_parses_it(url: str) -> None:
    assert normalize_url(url) == _normalized_by_urllib(url)


def test_tags_add_remove_and_remove_article(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.json") as lib:
        aid = lib.add_parsed(parsed()).article.id
        lib.add_tags(aid, ["a", "b"])
        lib.remove_tags(aid, ["A"])
        assert lib.get(aid).tags == ["b"]
        assert lib.all_tags() == {"b": 1}
        lib.add_highlight(aid, "Body")
        lib.remove(aid)
        assert len(lib) == 0
        assert lib.highlights() == []
        assert not (tmp_path / "lib.bodies" / f"{aid}.md").exists()


def test_a_write_killed_midway_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.json"
    with Library(path) as lib:
        aid = lib.add_parsed(parsed()).article.id
    before = path.read_bytes()

    def explode(self: object, *args: object) -> None:
        raise KeyboardInterrupt("killed mid-write")

    lib = Library(path)
    import reader.store.storage as storage_module

    real_fsync = storage_module.os.fsync
    calls = {"n": 0}

    def dying_fsync(fd: int) -> None:
        calls["n"] += 1
        raise KeyboardInterrupt("killed during fsync")

    monkeypatch.setattr(storage_module.os, "fsync", dying_fsync)
    with pytest.raises(KeyboardInterrupt):
        lib.set_bookmarked(aid, True)
    monkeypatch.setattr(storage_module.os, "fsync", real_fsync)
    assert calls["n"] >= 1
    assert path.read_bytes() == before  # the old complete file, not a torn one
    assert not list(tmp_path.glob(".lib.json.*.tmp"))  # temporary file cleaned up
    with Library(path) as again:
        assert again.get(aid).bookmarked is False


def test_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    path.write_bytes(b'{"articles": {"ab')
    with pytest.raises(StoreError) as err:
        Library(path)
    assert str(path) in str(err.value) and "reader restore" in str(err.value)
    assert "\n" not in str(err.value)
    assert path.read_bytes() == b'{"articles": {"ab'


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    path.write_text(json.dumps({"_meta": {"schema": {"version": SCHEMA_VERSION + 5}}}))
    with pytest.raises(StoreError, match="newer"):
        Library(path)


def test_two_instances_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "lib.json"
    a = Library(path)
    b = Library(path)
    aid = a.add_parsed(parsed(1)).article.id
    bid = b.add_parsed(parsed(2)).article.id  # b re-reads before writing: a's article is kept
    a.set_bookmarked(bid, True)  # a re-reads too: b's article is there to bookmark
    b.add_tags(aid, ["x"])
    with Library(path) as c:
        assert c.get(bid).bookmarked is True
        assert c.get(aid).tags == ["x"]
        assert len(c) == 2


def test_batch_writes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.json"
    lib = Library(path)
    writes = {"n": 0}
    real = AtomicJSONStorage._flush

    def counting(self: AtomicJSONStorage) -> None:
        writes["n"] += 1
        real(self)

    monkeypatch.setattr(AtomicJSONStorage, "_flush", counting)
    with lib.batch():
        for i in range(20):
            lib.add_parsed(parsed(i))
    assert writes["n"] == 1
    assert len(Library(path)) == 20


def test_control_characters_are_removed_on_store(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.json") as lib:
        art = lib.add_parsed(
            parsed(title="Evil\x1b]0;pwned\x07 title\u202e", markdown="a\x1b[31mred\x00")
        )
        assert art.article.title == "Evil ]0;pwned title"
        assert lib.body(art.article.id) == "a[31mred\n"


def test_a_body_file_edited_by_hand_is_cleaned_on_read(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.json") as lib:
        aid = lib.add_parsed(parsed()).article.id
        (tmp_path / "lib.bodies" / f"{aid}.md").write_bytes(b"bad \x1b]52;c;aGk=\x07 text\r\n")
        assert lib.body(aid) == "bad ]52;c;aGk= text\n"


def test_atomic_writes_put_every_file_in_place_or_none(tmp_path: Path) -> None:
    """``AtomicWrites`` (an Obsidian export's notes): all renamed in after one sync, or,
    on an error, none, and no temporary file left behind."""
    from reader.store.atomic_files import AtomicWrites

    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"old a")
    with pytest.raises(RuntimeError), AtomicWrites() as writes:
        writes.add(a, b"new a")
        writes.add(b, b"new b", mode=0o644)
        raise RuntimeError("stopped half way")
    assert a.read_bytes() == b"old a" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    with AtomicWrites() as writes:
        writes.add(a, b"new a")
        writes.add(b, b"new b", mode=0o644)
        assert a.read_bytes() == b"old a"  # nothing in place before the commit
    assert a.read_bytes() == b"new a" and b.read_bytes() == b"new b"
    assert b.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]
