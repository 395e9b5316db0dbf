"""CSV export in Readwise's import layout.

Owns ``render``: one row per highlight with the columns
``Highlight,Title,Author,URL,Note,Location,Date``, written by the ``csv`` module
(QUOTE_MINIMAL, ``\\n`` row ends, cells with newlines or commas quoted). Every cell that
a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) gets a leading ``'``; see docs/export-formats.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem, QuoteItem

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Controls other than tab and newline (NUL, escapes, DEL, C1) are dropped.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def safe_cell(value: str | int | None) -> str:
    """A cell's text: controls dropped, line ends as ``\\n``, formula starts defused."""
    if value is None:
        return ""
    text = str(value)
    defuse = text.startswith(FORMULA_STARTS)
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "'" + text if defuse else text


def readwise_date(iso: str | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (UTC) from an ISO 8601 timestamp; empty when unreadable."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.strip())
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def render(
    items: Sequence[ExportItem],
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> str:
    """``items`` as Readwise CSV text (header row first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(COLUMNS)
    for article, highlights in items:
        shared = (article.title, article.author, article.url)
        for hl in highlights:
            row = (hl.text, *shared, hl.note, hl.paragraph, readwise_date(hl.created))
            writer.writerow([safe_cell(v) for v in row])
        if quotes is None:
            continue
        for quote in quotes.get(article.id, ()):
            note = f"quotation by {quote.speaker}" if quote.speaker else "quotation"
            row = (quote.text, *shared, note, quote.paragraph, "")
            writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()
