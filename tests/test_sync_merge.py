"""The pure three-way merge of library states (``reader.sync.merge``) and the shared
file it reads and writes (``reader.sync.shared_file``): rules that need states no two
real libraries make easily, symmetry, idempotence, and cleaning of foreign text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import StoreError
from reader.sync.merge import merge_states
from reader.sync.shared_file import State, dump_state, empty_state, load_state


def article(title: str, **fields: Any) -> dict[str, Any]:
    doc = {
        "title": title,
        "author": None,
        "site": None,
        "url": None,
        "source_path": None,
        "published": None,
        "added": "2026-01-01T00:00:00Z",
        "summary": None,
        "word_count": 3,
        "reading_minutes": 1,
        "tags": [],
        "bookmarked": False,
        "read": False,
        "position": 0.0,
        "content_hash": "h-" + title,
        "highlight_count": 0,
        "unfetched": False,
        "changed": {},
    }
    doc.update(fields)
    return doc


def state(**tables: dict[str, dict[str, Any]]) -> State:
    """A state as the sync meets it: read from a shared file (records complete, cleaned)."""
    made = empty_state()
    made.update(tables)
    return load_state("made", dump_state(made))


def test_the_same_url_under_two_ids_becomes_one_with_both_sides_changes() -> None:
    ours = state(articles={"bbbb0001": article("A", url="https://x.org/a", tags=["o"])})
    theirs = state(
        articles={"aaaa0001": article("A", url="https://X.org/a/?utm_medium=rss", tags=["t"])},
        highlights={"cccc0001": {"article_id": "aaaa0001", "text": "A", "created": "x"}},
    )
    merged = merge_states(empty_state(), ours, theirs)
    assert list(merged.state["articles"]) == ["aaaa0001"]
    only = merged.state["articles"]["aaaa0001"]
    assert only["tags"] == ["o", "t"] and only["highlight_count"] == 1
    assert merged.bodies["aaaa0001"][1:] == ("bbbb0001", "aaaa0001")


def test_both_changed_takes_the_later_stamp_and_one_changed_takes_that_side() -> None:
    base = state(articles={"a1": article("Old", changed={"title": "2026-01-01T00:00:00.000001Z"})})
    ours = state(articles={"a1": article("Ours", changed={"title": "2026-01-03T00:00:00.000000Z"})})
    theirs = state(
        articles={"a1": article("Theirs", changed={"title": "2026-01-02T00:00:00.000000Z"})}
    )
    assert merge_states(base, ours, theirs).state["articles"]["a1"]["title"] == "Ours"
    assert merge_states(base, base, theirs).state["articles"]["a1"]["title"] == "Theirs"


def test_an_old_record_without_stamps_still_merges() -> None:
    old = article("Old")
    del old["changed"]
    base = load_state("base", dump_state(state(articles={"a1": old})))
    ours = state(articles={"a1": article("Old", bookmarked=True)})
    merged = merge_states(base, ours, base)
    assert merged.state["articles"]["a1"]["bookmarked"] is True


def test_a_note_deleted_here_and_edited_there_is_kept_with_the_edit() -> None:
    highlight = {"article_id": "a1", "text": "t", "created": "c", "note": None}
    base = state(articles={"a1": article("A")}, highlights={"h1": highlight})
    edited = state(
        articles={"a1": article("A")},
        highlights={"h1": {**highlight, "note": "new", "note_at": "2026-02-01T00:00:00.000000Z"}},
    )
    deleted = state(articles={"a1": article("A")})
    for ours, theirs in ((edited, deleted), (deleted, edited)):
        merged = merge_states(base, ours, theirs).state
        assert merged["highlights"]["h1"]["note"] == "new"
        assert merged["articles"]["a1"]["highlight_count"] == 1


def sample_states() -> tuple[State, State, State]:
    base = state(
        articles={
            "a1": article("One", tags=["x", "y"]),
            "a2": article("Two"),
            "a3": article("Three"),
        },
        highlights={"h1": {"article_id": "a1", "text": "o", "created": "c", "note": "n"}},
        feeds={"f1": {"url": "u", "title": "F", "seen": ["1"], "entries_seen": 1}},
    )
    ours = state(
        articles={
            "a1": article(
                "One!", tags=["x", "z"], changed={"title": "2026-03-01T00:00:00.000000Z"}
            ),
            "a2": article("Two", read=True, changed={"read": "2026-03-01T00:00:00.000000Z"}),
            "a4": article("Four", url="https://x.org/4", unfetched=True, content_hash=""),
        },
        highlights={"h1": {"article_id": "a1", "text": "o", "created": "c", "note": "n"}},
        feeds={"f1": {"url": "u", "title": "F", "seen": ["1", "2"], "entries_seen": 2}},
    )
    theirs = state(
        articles={
            "a1": article(
                "One?", tags=["y", "w"], changed={"title": "2026-03-02T00:00:00.000000Z"}
            ),
            "a3": article("Three", bookmarked=True, changed={"bookmarked": "2026-03-01T00:00:00Z"}),
            "a5": article("Four", url="https://x.org/4"),
        },
        highlights={
            "h1": {"article_id": "a1", "text": "o", "created": "c", "note": "n"},
            "h2": {"article_id": "a3", "text": "t", "created": "c"},
        },
        feeds={"f1": {"url": "u", "title": "F", "seen": ["1", "3"], "entries_seen": 2}},
    )
    return base, ours, theirs


def test_the_merge_is_symmetric_and_idempotent() -> None:
    base, ours, theirs = sample_states()
    one = merge_states(base, ours, theirs)
    other = merge_states(base, theirs, ours)
    for table in ("articles", "highlights"):
        assert one.state[table] == other.state[table]
    assert sorted(one.state["feeds"]["f1"]["seen"]) == ["1", "2", "3"]
    assert merge_states(base, one.state, theirs).state == one.state
    assert merge_states(base, ours, one.state).state == one.state
    articles = one.state["articles"]
    assert articles["a1"]["title"] == "One?" and articles["a1"]["tags"] == ["w", "z"]
    assert "a2" not in articles  # deleted there, changed (read) here: deleted
    assert "a3" in articles  # deleted here, highlighted there: kept
    assert one.kept == ["Three"]
    assert "a4" in articles and "a5" not in articles  # the same URL: one, the fetched body
    assert articles["a4"]["unfetched"] is False and one.bodies["a4"][0] == "theirs"


def test_the_shared_file_is_canonical_and_cleans_foreign_text() -> None:
    base, ours, theirs = sample_states()
    merged = merge_states(base, ours, theirs).state
    raw = dump_state(merged)
    assert dump_state(load_state("x", raw)) == raw
    assert raw.count(b"\n") == 1 + sum(len(t) for t in merged.values())
    hostile = empty_state()
    hostile.update(
        articles={"a1": article("Title\x1b]2;owned\x07\u202e", tags=["t\x9b2J"], word_count="9")},
        highlights={"h1": {"article_id": "a1", "text": "x\x1b[2Jy", "note": "\x1b]52;c;Zm9v\x07n"}},
    )
    loaded = load_state("hostile", dump_state(hostile))
    text = repr(loaded)
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert loaded["articles"]["a1"]["word_count"] == 0


@pytest.mark.parametrize("line", [b"{not json", b'{"t":"articles","id":"../x","doc":{}}', b"[]"])
def test_a_line_that_is_no_record_is_a_one_line_error(line: bytes) -> None:
    with pytest.raises(StoreError, match=r"^shared: line 2 is not a library record"):
        load_state("shared", b'{"reader-shared":1}\n' + line + b"\n")


def test_the_merge_driver_writes_the_merge_over_ours(tmp_path: Path) -> None:
    base, ours, theirs = sample_states()
    paths = []
    for name, made in (("base", base), ("ours", ours), ("theirs", theirs)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(dump_state(made))
    result = CliRunner().invoke(cli, ["merge-library", *map(str, paths)])
    assert result.exit_code == 0, result.stderr
    assert "kept 'Three'" in result.stderr
    assert paths[1].read_bytes() == dump_state(merge_states(base, ours, theirs).state)
    paths[2].write_bytes(b"{broken\n")
    result = CliRunner().invoke(cli, ["merge-library", *map(str, paths)])
    assert result.exit_code == 1 and "is not a library record" in result.stderr


def test_merging_only_the_changed_records_gives_the_whole_merge() -> None:
    from reader.sync.incremental import merge_changed

    base, ours, theirs = sample_states()
    unchanged = {f"b{n:07d}": article(f"Same {n}", url=f"https://x.org/same/{n}") for n in range(5)}
    for made in (base, ours, theirs):
        made["articles"].update(load_state("u", dump_state(state(articles=unchanged)))["articles"])
    for b, o, t in ((base, ours, theirs), (base, theirs, ours), (empty_state(), ours, theirs)):
        whole = merge_states(b, o, t)
        part = merge_changed("theirs", dump_state(b), o, dump_state(t))
        assert part.state == whole.state and part.kept == whole.kept
        assert part.bodies.items() <= whole.bodies.items()
