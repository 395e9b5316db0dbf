"""Shared by the TUI tests (no tests here): a fixed library of four articles, and a
recorder of the app's notifications."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.models import ParsedArticle
from reader.store import Library

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from reader.tui.app import ReaderApp

ARTICLES = [
    # title, tags, url, published, added
    (
        "Harbour tram line passes safety test",
        ["transport", "city"],
        "https://example.org/tram",
        "2025-01-10",
        "2026-01-01T00:00:00Z",
    ),
    (
        "[@click=app.quit]x[/] and [bold]not bold[/bold]",
        ["weird"],
        "javascript:alert(1)",
        "2025-03-05",
        "2026-01-02T00:00:00Z",
    ),
    (
        "Central bank holds rates steady",
        ["economy", "city"],
        "file:///etc/passwd",
        "2024-11-20",
        "2026-01-03T00:00:00Z",
    ),
    ("Aardvark lighthouse relit after forty years", [], None, "2025-06-01", "2026-01-04T00:00:00Z"),
]


def body(index: int, title: str, paragraphs: int) -> str:
    """An article body: a quotation, then numbered paragraphs."""
    quote = '"We will keep the light burning every night," said Ana Rossi.'
    rest = "\n\n".join(
        f"Paragraph {k} of story {index}: the keeper climbed the stairs and looked out."
        for k in range(paragraphs)
    )
    return f"Opening paragraph of story {index}. {quote}\n\n{rest}\n"


def make_library(path: Path) -> Library:
    """A library file at ``path`` holding ``ARTICLES`` (the longest one is the first)."""
    library = Library(path)
    for index, (title, tags, url, published, added) in enumerate(ARTICLES):
        result = library.add_parsed(
            ParsedArticle(
                title=title,
                markdown=body(index, title, 60 - index * 15),
                url=url,
                site="example.org",
                published=published,
                tags=list(tags),
            )
        )
        library.update(result.article.id, added=added)
    return library


def ids_by_title(library: Library) -> dict[str, str]:
    """Article ids by title."""
    return {a.title: a.id for a in library.articles()}


def recording(app: ReaderApp) -> list[str]:
    """Record every notification's message (still showing it)."""
    messages: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        messages.append(message)
        original(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return messages


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5.0
) -> None:
    """Let the app run until ``condition()`` holds (a timer or a worker may have to fire
    first; how many frames that takes depends on the machine), failing after ``seconds``."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition(), "the app never reached the expected state"
