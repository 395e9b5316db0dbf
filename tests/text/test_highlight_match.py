"""Tests for reader.text.passages: forgiving passage search and anchor resolution."""

from __future__ import annotations

from reader.models import Highlight
from reader.text.passages import locate_passage, normalize_for_match, resolve_anchor

PARAGRAPHS = [
    "The ferry left at dawn.",
    "“It’s not far,” she said \u2014 and the   harbour\nlights\u00a0faded.",
    "A second line about the harbour lights.",
]


def test_normalize_folds_quotes_dashes_space_case_and_nfkc() -> None:
    assert normalize_for_match("  “It’s”\u2014 ＡＢ\t\n c  ") == '"it\'s"- ab c'
    assert normalize_for_match("ﬁne\u00adtune") == "finetune"


def test_locate_with_straight_quotes_finds_curly_original() -> None:
    found = locate_passage(PARAGRAPHS, '"It\'s not far," she said')
    assert found is not None
    p, start, end = found
    assert p == 1
    assert PARAGRAPHS[p][start:end] == "“It’s not far,” she said"


def test_locate_forgives_collapsed_whitespace_and_dash_variants() -> None:
    found = locate_passage(PARAGRAPHS, "said - and the harbour lights faded")
    assert found is not None
    p, start, end = found
    assert (p, PARAGRAPHS[p][start:end]) == (
        1,
        "said \u2014 and the   harbour\nlights\u00a0faded",
    )


def test_locate_offsets_with_expanding_characters_before_match() -> None:
    paragraphs = ["Straße ﬁx — then the word target here"]
    found = locate_passage(paragraphs, "TARGET here")
    assert found is not None
    p, start, end = found
    assert paragraphs[p][start:end] == "target here"


def test_locate_absent_empty_and_cross_paragraph() -> None:
    assert locate_passage(PARAGRAPHS, "not in the article") is None
    assert locate_passage(PARAGRAPHS, "   ") is None
    assert locate_passage(PARAGRAPHS, "dawn. It's") is None


def test_resolve_anchor_keeps_valid_offsets() -> None:
    start = PARAGRAPHS[2].index("harbour lights")
    hl = Highlight(
        id="h",
        article_id="a",
        text="harbour lights",
        paragraph=2,
        start=start,
        end=start + len("harbour lights"),
    )
    assert resolve_anchor(PARAGRAPHS, hl) == (2, hl.start, hl.end)


def test_resolve_anchor_falls_back_when_offsets_moved() -> None:
    hl = Highlight(id="h", article_id="a", text="the ferry left", paragraph=0, start=0, end=14)
    moved = ["A new first paragraph.", "Then the ferry left at dawn."]
    found = resolve_anchor(moved, hl)
    assert found is not None
    p, start, end = found
    assert p == 1
    assert moved[p][start:end] == "the ferry left"


def test_resolve_anchor_out_of_range_and_prefers_nearest_occurrence() -> None:
    paragraphs = ["echo here", "filler", "filler", "filler", "echo there"]
    hl = Highlight(id="h", article_id="a", text="echo", paragraph=9, start=0, end=4)
    assert resolve_anchor(paragraphs, hl) == (4, 0, 4)
    gone = Highlight(id="g", article_id="a", text="vanished words", paragraph=0, start=0, end=3)
    assert resolve_anchor(paragraphs, gone) is None


def test_locate_decomposed_accent_after_ascii_letters() -> None:
    paragraphs = ["Order a cafe\u0301 au lait, then `leave`."]
    found = locate_passage(paragraphs, "CAFÉ au LAIT")
    assert found is not None
    p, start, end = found
    assert paragraphs[p][start:end] == "cafe\u0301 au lait"
    found = locate_passage(paragraphs, "'leave'")
    assert found is not None and paragraphs[0][found[1] : found[2]] == "`leave`"
