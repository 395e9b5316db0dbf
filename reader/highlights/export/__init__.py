"""Highlight export: the entry points the CLI and TUI call.

Owns the export vocabulary (``FORMATS``, ``ExportItem``, ``QuoteItem``) and dispatch to
one module per format: ``markdown``, ``obsidian`` (a folder of notes), ``json_format``
and ``readwise_csv``. Everything here is a pure function of the data passed in, except
``export_obsidian``, which writes files inside the folder it is given. Formats are
described in docs/export-formats.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.errors import ReaderError
from reader.models import Article, Highlight

FORMATS = ("markdown", "obsidian", "json", "csv")

ExportItem = tuple[Article, list[Highlight]]
"""An article and its highlights, ordered by position in the article."""

Quotes = Mapping[str, Sequence["QuoteItem"]]


@dataclass
class QuoteItem:
    """A quotation found in an article (exported with ``--with-quotes``)."""

    text: str
    speaker: str | None
    paragraph: int


def export_text(
    fmt: str,
    items: Sequence[ExportItem],
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> str:
    """Render ``items`` as one document in ``fmt`` ("markdown", "json" or "csv").

    ``quotes`` maps an article id to its found quotations; when given, each article's
    quotations are exported too. Raises ``ReaderError`` for an unknown format or for
    "obsidian", which writes a folder (see ``export_obsidian``).
    """
    from reader.highlights.export import json_format, markdown, readwise_csv

    if fmt == "markdown":
        return markdown.render(items, quotes=quotes)
    if fmt == "json":
        return json_format.render(items, quotes=quotes)
    if fmt == "csv":
        return readwise_csv.render(items, quotes=quotes)
    if fmt == "obsidian":
        raise ReaderError("the obsidian format writes a folder of notes: give a folder, not a file")
    raise ReaderError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def export_obsidian(
    items: Sequence[ExportItem],
    folder: Path,
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> list[Path]:
    """Write or update one Obsidian note per article in ``folder``; return the paths written.

    Files whose bytes would not change are left alone and not returned. Only paths inside
    ``folder`` are ever written; text the user added outside our marked section is kept.
    """
    from reader.highlights.export import obsidian

    return obsidian.export_folder(items, Path(folder), quotes=quotes).written


__all__ = [
    "FORMATS",
    "ExportItem",
    "QuoteItem",
    "export_obsidian",
    "export_text",
]
