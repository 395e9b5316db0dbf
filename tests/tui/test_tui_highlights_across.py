"""A selection grown past the end of its paragraph goes on into the next (issue 18.18);
its highlight keeps the paragraph range and is marked in every paragraph it covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.models import Highlight, ParsedArticle
from reader.store import Library
from reader.text.passages import resolve_range
from reader.tui.app import ReaderApp

SIZE = (120, 40)
BODY = (
    "The council met on Monday. It voted on the pier.\n\n"
    "The pier will be rebuilt in oak. Work starts in May.\n\n"
    "Ferries will use the north quay meanwhile.\n"
)


pytestmark = pytest.mark.usefixtures("no_user_config")


async def test_j_grows_a_selection_into_the_next_paragraphs_and_h_keeps_it(
    tmp_path: Path,
) -> None:
    library = Library(tmp_path / "lib.json")
    library.add_parsed(ParsedArticle(title="Pier", markdown=BODY))
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v")
        view = app.main_screen.article_view
        assert view.selection is not None and view.selection[3] == "The council met on Monday."
        await pilot.press("j", "j")  # the paragraph's second sentence, then the next paragraph
        await pilot.pause()
        selection = view.selection
        assert selection is not None
        assert (selection[0], view.selection_end_paragraph) == (0, 1)
        assert selection[3] == (
            "The council met on Monday. It voted on the pier.\n\nThe pier will be rebuilt in oak."
        )
        await pilot.press("k")  # and back into the first paragraph
        assert view.selection_end_paragraph == 0
        await pilot.press("j", "h")
        await pilot.pause()
        await pilot.press("enter")  # no note
        await pilot.pause()
        [highlight] = library.highlights()
        assert (highlight.paragraph, highlight.end_paragraph) == (0, 1)
        assert highlight.text.endswith("\n\nThe pier will be rebuilt in oak.")
        assert sorted(view._marks) == [0, 1]  # marked in both paragraphs
        assert view._marks[1] == [(0, len("The pier will be rebuilt in oak."))]


def test_a_passage_across_paragraphs_is_found_again_after_an_edit() -> None:
    paragraphs = ["Intro.", "The council met. It voted.", "The pier is oak. Work starts."]
    hl = Highlight(
        id="h",
        article_id="a",
        text="It voted.\n\nThe pier is oak.",
        paragraph=0,  # stale: a paragraph was added before it
        start=17,
        end=16,
        end_paragraph=1,
    )
    assert resolve_range(paragraphs, hl) == [(1, 17, 26), (2, 0, 16)]
    gone = Highlight(
        id="g",
        article_id="a",
        text="It voted.\n\nNot there.",
        paragraph=1,
        start=17,
        end_paragraph=2,
    )
    assert resolve_range(paragraphs, gone) is None


def test_a_passage_across_paragraphs_survives_a_json_export_and_restore(tmp_path: Path) -> None:
    from reader.highlights.service import export_items, restore_highlights, write_export

    library = Library(tmp_path / "lib.json")
    article = library.add_parsed(ParsedArticle(title="Pier", markdown=BODY)).article
    text = "It voted on the pier.\n\nThe pier will be rebuilt in oak."
    library.add_highlight(article.id, text, paragraph=0, start=27, end=32, end_paragraph=1)
    out = write_export("json", export_items(library), tmp_path / "out.json")
    other = Library(tmp_path / "other.json")
    other.add_parsed(ParsedArticle(title="Pier", markdown=BODY))
    report = restore_highlights(other, out.read_text(encoding="utf-8"), source=str(out))
    assert report.added == 1
    [restored] = other.highlights()
    assert (restored.text, restored.paragraph, restored.end_paragraph) == (text, 0, 1)
