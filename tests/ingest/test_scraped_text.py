"""Tests for reader.ingest.importers.scraped_text: news pages saved as plain text, and plain text."""

from __future__ import annotations

import pytest

from reader.ingest.importers import parse_bytes
from reader.ingest.importers.scraped_text import (
    is_junk_line,
    is_menu_line,
    parse_text,
    split_paragraphs,
)

HEADLINE = "Harbour town votes to ban cars from its old quarter"
DECK = "Residents backed the plan by a wide margin after a year of trials."
BODY = [
    "The town council of Westmere announced on Thursday that private cars will be banned "
    "from the old quarter from next spring.",
    '"We listened to everyone," the mayor said. "The trial showed that shops did better."',
    "Delivery vans will still be allowed in the mornings.",
    "Critics say the plan will push traffic onto the ring road.",
]

ICON_MENU = (
    "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon "
    "chevron righticon closeicon v-compressicon downloadicon editicon v-expandicon fbicon "
    "fileicon filtericon yticon wticon fm"
)


def _typical() -> str:
    return (
        f"{ICON_MENU}\n14 Apr, 2022 13:52\n\n{HEADLINE}\n\n{DECK}\n{HEADLINE}\n\n"
        f"{BODY[0]}\n\n{BODY[1]}\n{BODY[2]}\n\n{BODY[3]}\n"
    )


def test_typical_scraped_page() -> None:
    article = parse_text(_typical())
    assert article.title == HEADLINE
    assert article.published == "2022-04-14T13:52:00"
    assert article.summary == DECK
    assert article.markdown == "\n\n".join(BODY)
    assert article.source_format == "text"


def test_typical_page_through_dispatch_with_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbf" + _typical().replace("\n", "\r\n").encode("utf-8")
    article = parse_bytes(data, name="saved.txt")
    assert article.title == HEADLINE
    assert article.published == "2022-04-14T13:52:00"
    assert article.summary == DECK
    assert article.markdown == "\n\n".join(BODY)
    assert "\r" not in article.markdown


def test_other_menu_words_labels_breadcrumb_byline_and_deck_without_period() -> None:
    text = (
        "Home World Business Sport Culture Science Travel Opinion\n"
        "Advertisement\n"
        "Share\n"
        "Home › Science › Space\n"
        "Thursday, 14 April 2022\n\n"
        "Small probe finds water ice near the lunar south pole\n"
        "Engineers say the find could make a crewed base far cheaper to run\n"
        "By Jane Doe | 4 min read\n\n"
        "A small lunar probe has found signs of water ice in a crater near the south pole.\n\n"
        "The team will publish its full results next month.\n"
    )
    article = parse_text(text)
    assert article.title == "Small probe finds water ice near the lunar south pole"
    assert article.published == "2022-04-14"
    assert article.summary == "Engineers say the find could make a crewed base far cheaper to run"
    assert article.author == "Jane Doe"
    assert article.markdown.startswith("A small lunar probe")
    assert article.markdown.endswith("next month.")
    assert "Advertisement" not in article.markdown


def test_missing_deck_keeps_first_paragraph_in_body() -> None:
    text = f"{ICON_MENU}\nApril 14, 2022\n\n{HEADLINE}\n\n{BODY[0]}\n\n{BODY[3]}\n"
    article = parse_text(text)
    assert article.title == HEADLINE
    assert article.published == "2022-04-14"
    assert article.summary is None
    assert article.markdown == f"{BODY[0]}\n\n{BODY[3]}"


def test_headline_repeated_without_deck_is_dropped() -> None:
    text = f"Apr 14, 2022 1:52 PM\n{HEADLINE}\n{HEADLINE}\n\n{BODY[0]}\n"
    article = parse_text(text)
    assert article.title == HEADLINE
    assert article.published == "2022-04-14T13:52:00"
    assert article.summary is None
    assert article.markdown == BODY[0]


def test_different_shape_headline_first_then_deck_then_updated_line() -> None:
    # Breadcrumb with slashes, headline before the date, deck in the headline's block, an
    # ISO "Updated:" line, junk inside the body, and footer junk with tags at the end.
    text = (
        "NEWS / LOCAL / TRANSPORT\n"
        "Bridge reopens after six months of repairs\n"
        "Drivers can use the crossing again from Monday morning\n"
        "Updated: 2022-04-14T13:52\n\n"
        "The old river bridge reopened on Thursday after a repair that ran two months late.\n\n"
        "Advertisement\n\n"
        "Cyclists get a new lane on the north side.\n\n"
        "Tags: transport, bridges\n"
        "© 2022 Example Media. All rights reserved.\n"
        "Follow us on social media\n"
    )
    article = parse_text(text)
    assert article.title == "Bridge reopens after six months of repairs"
    assert article.summary == "Drivers can use the crossing again from Monday morning"
    assert article.published == "2022-04-14T13:52:00"
    assert article.markdown == (
        "The old river bridge reopened on Thursday after a repair that ran two months late."
        "\n\nCyclists get a new lane on the north side."
    )
    assert article.tags == ["transport", "bridges"]


def test_plain_text_first_line_is_title() -> None:
    text = (
        "Notes on growing tomatoes\n\n"
        "Tomatoes need six hours of sun. Water them at the root.\n\n"
        "Pinch out side shoots every week.\n"
    )
    article = parse_text(text)
    assert article.title == "Notes on growing tomatoes"
    assert article.summary is None
    assert article.published is None
    assert article.markdown == (
        "Tomatoes need six hours of sun. Water them at the root.\n\n"
        "Pinch out side shoots every week."
    )


def test_plain_text_short_second_paragraph_is_not_taken_as_deck() -> None:
    text = "Weekend plan\n\nVisit the market\n\nThen walk up the hill and have lunch there.\n"
    article = parse_text(text)
    assert article.summary is None
    assert article.markdown.startswith("Visit the market")


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    text = (
        "A letter\n\n"
        "Dear friend, the weather has turned and the\n"
        "garden is asleep. I have been reading by the\n"
        "fire most evenings.\n\n"
        "Write soon.\n"
    )
    article = parse_text(text)
    assert article.markdown == (
        "Dear friend, the weather has turned and the garden is asleep. I have been reading by "
        "the fire most evenings.\n\nWrite soon."
    )


def test_one_sentence_per_line_becomes_separate_paragraphs() -> None:
    lines = [(BODY[0], 1), (BODY[2], 1), (BODY[3], 1)]
    assert split_paragraphs(lines) == [BODY[0], BODY[2], BODY[3]]


def test_long_first_line_without_title_stays_in_body() -> None:
    paragraph = " ".join(["This is a sentence that goes on for a while."] * 12)
    article = parse_text(paragraph + "\n\nSecond paragraph.\n")
    assert article.title == "This is a sentence that goes on for a while"
    assert article.markdown.startswith(paragraph)


def test_latin1_scraped_text_through_dispatch() -> None:
    text = f"14/04/2022\n\nCafé owners welcome the plan\n\n{BODY[0]}\n"
    article = parse_bytes(text.encode("latin-1"), name="cafe.txt")
    assert article.title == "Café owners welcome the plan"
    assert article.published == "2022-04-14"


def test_untrusted_control_characters_are_removed() -> None:
    text = "Title\x1b]0;pwned\x07 here\n\nBody \x1b[31mred\x1b[0m text\x00 with\x07 bell.\n"
    article = parse_text(text)
    assert article.title == "Title here"
    assert article.markdown == "Body red text with bell."


def test_markdown_significant_lines_are_escaped() -> None:
    article = parse_text("Title\n\n# of people who came: 40.\n\n---\n\nThe end.\n")
    assert article.markdown == "\\# of people who came: 40.\n\n\\---\n\nThe end."


def test_only_junk_still_gives_an_article() -> None:
    article = parse_text("Advertisement\nShare\n")
    assert article.title == "Advertisement"


@pytest.mark.parametrize(
    "line",
    [
        ICON_MENU,
        "Home News Sport Business Technology Science Health",
        "news sport weather travel culture food money",
        "News | Sport | Weather | Travel",
    ],
)
def test_menu_lines(line: str) -> None:
    assert is_menu_line(line)
    assert is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Council votes to expand bike lanes across the city",
        "Harbour Town Bans Cars",
        "Storm batters coast, thousands lose power",
        BODY[0],
        "Markets Rally As Inflation Cools For The Third Month In A Row",
    ],
)
def test_headlines_and_sentences_are_not_junk(line: str) -> None:
    assert not is_menu_line(line)
    assert not is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Share:",
        "Skip to main content",
        "5 min read",
        "Home > World > Europe",
        "•••",
    ],
)
def test_junk_labels(line: str) -> None:
    assert is_junk_line(line)


def test_whole_page_dump_with_nav_items_on_their_own_lines() -> None:
    long_paragraph = (
        "The lantern festival began as a custom among the fishing families of the bay, who "
        "set paper lights on the water to guide boats home, and over a century it has grown "
        "into the town's busiest night of the year."
    )
    lines = [
        "Skip to content",
        "Design",
        "Transportation",
        "Environment",
        "Photo: a lantern over the harbour (Jane Roe)",
        "Why paper lanterns still light the bay every spring",
        "Sam Ortiz",
        "1:39 PM ET",
        "The yearly festival began as a custom and became the town's biggest night.",
        "Share",
        "Tweet",
        "LinkedIn",
        "Email",
        long_paragraph,
        "Volunteers collect the lanterns from the water before sunrise.",
    ]
    article = parse_text("\n\n".join(lines))
    assert article.title == "Why paper lanterns still light the bay every spring"
    assert article.summary == (
        "The yearly festival began as a custom and became the town's biggest night."
    )
    assert article.markdown == (
        long_paragraph + "\n\nVolunteers collect the lanterns from the water before sunrise."
    )


def test_list_items_stay_separate_items() -> None:
    from reader.ingest.importers.scraped_text import parse_text

    text = (
        "Council sets out its plan\n\n"
        "The council listed its demands on Monday. They include:\n\n"
        "- a freeze on fees for two years;\n"
        "- a seat on the board;\n"
        "- an audit of the accounts.\n\n"
        "The meeting ended early.\n"
    )
    body = parse_text(text, url=None, source_path=None).markdown
    assert "- a freeze on fees for two years;\n\n- a seat on the board;" in body
