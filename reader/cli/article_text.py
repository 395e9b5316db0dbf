"""How ``reader show`` prints an article: the title, the deck (summary) under it, the
metadata, then the body.

On a terminal the body's Markdown is rendered (Rich ``Markdown``, at the terminal's width;
a link shows its text, styled, and never its address or an OSC 8 escape). Piped, the body
is written as the Markdown it is stored as, unwrapped. Every field is cleaned with
``reader.sanitize`` first, so article text can carry no escape sequence; Rich markup in
it is never interpreted (``Text`` and ``Markdown`` take it as plain text).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment, Segments
from rich.text import Text

from reader.models import Article
from reader.sanitize import clean_line, clean_text
from reader.timestamps import local_minute

MISSING_BODY = "(this article's text is missing: its body file was not found)"


def print_article(console: Console, article: Article, body: str | None) -> None:
    """Print ``article`` and its ``body`` (``None``: the body file is missing)."""
    console.print(Text(clean_line(article.title), style="bold"), soft_wrap=True)
    summary = clean_line(article.summary)
    if summary:
        console.print(Text(summary, style="italic"), soft_wrap=True)
    meta = " · ".join(
        x
        for x in (
            clean_line(article.author),
            clean_line(article.site),
            clean_line(local_minute(article.published)),
            f"{article.reading_minutes} min",
        )
        if x
    )
    console.print(Text(meta, style="dim"), soft_wrap=True)
    if article.url:
        console.print(Text(clean_line(article.url), style="dim"), soft_wrap=True)
    if article.tags:
        tags = ", ".join(clean_line(t) for t in article.tags)
        console.print(Text("tags: " + tags, style="dim"), soft_wrap=True)
    console.print()
    if body is None:
        console.print(Text(MISSING_BODY), soft_wrap=True)
    elif console.is_terminal:
        console.print(rendered_markdown(console, clean_text(body)))
    else:
        text = clean_text(body)
        console.file.write(text if text.endswith("\n") else text + "\n")


def rendered_markdown(console: Console, markdown: str) -> Segments:
    """``markdown`` rendered for ``console`` at its width, links reduced to their text."""
    rendered = console.render(Markdown(markdown, hyperlinks=True), console.options)
    return Segments(_without_links(rendered))


def _without_links(segments: Iterable[Segment]) -> Iterable[Segment]:
    for segment in segments:
        style = segment.style
        if style is not None and style.link:
            yield Segment(segment.text, style.update_link(None), segment.control)
        else:
            yield segment
