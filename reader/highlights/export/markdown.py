"""Markdown export: all articles' highlights as one Markdown document.

Owns ``render`` and the Markdown building blocks the Obsidian export reuses: escaping
untrusted one-line text (titles, authors) so it cannot break document structure,
quoting highlight text verbatim as a block quote, and rendering notes and quotations.
Control characters (terminal escapes, NULs, bidi overrides) are dropped everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem, QuoteItem
    from reader.models import Article, Highlight

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_SEPARATORS = re.compile("\r\n|[\r\u2028\u2029\x85]")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#!~|&])")
_SURROGATES = re.compile("[\ud800-\udfff]")


def strip_controls(text: str | None) -> str:
    """``text`` with newlines unified to ``\\n`` and every other control character removed."""
    if not text:
        return ""
    text = _LINE_SEPARATORS.sub("\n", text)
    text = _SURROGATES.sub("\ufffd", text)
    return _CONTROLS.sub("", text)


def one_line(text: str | None) -> str:
    """``text`` as a single line: controls dropped, every whitespace run one space."""
    return " ".join(strip_controls(text).split())


def escape_inline(text: str | None) -> str:
    """One-line ``text`` with Markdown-significant characters backslash-escaped.

    The result can sit in a heading, list item or link text without starting a heading,
    emphasis, code, link, HTML tag, table cell or entity.
    """
    return _INLINE_SPECIAL.sub(r"\\\1", one_line(text))


def link(url: str | None) -> str:
    """``[url](url)`` for a web URL; other URLs (or odd characters) as escaped text."""
    clean = one_line(url)
    if not clean:
        return ""
    lowered = clean.lower()
    if lowered.startswith(("http://", "https://")) and not re.search(r"[\s<>]", clean):
        target = clean.replace("(", "%28").replace(")", "%29")
        return f"[{escape_inline(clean)}]({target})"
    return escape_inline(clean)


def date_part(iso: str | None) -> str:
    """The ``YYYY-MM-DD`` part of an ISO 8601 timestamp (or the cleaned text as given)."""
    clean = one_line(iso)
    if re.match(r"^\d{4}-\d{2}-\d{2}", clean):
        return clean[:10]
    return escape_inline(clean)


def byline(article: Article) -> str:
    """ "Author · [url](url) · date", leaving out the parts the article lacks."""
    parts = [escape_inline(article.author), link(article.url), date_part(article.published)]
    return escape_line_start(" · ".join(p for p in parts if p))


def escape_line_start(line: str) -> str:
    """``line`` with a leading list, thematic-break or setext marker escaped."""
    if line[:1] in ("-", "+", "="):
        return "\\" + line
    number = re.match(r"\d+(?=[.)])", line)
    if number:
        return f"{line[: number.end()]}\\{line[number.end() :]}"
    return line


def quote_block(text: str, *, suffix: str = "") -> list[str]:
    """Highlight ``text`` verbatim as block-quote lines; ``suffix`` ends the last line."""
    lines = strip_controls(text).split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    while len(lines) > 1 and not lines[0].strip():
        lines.pop(0)
    out = [f"> {line}" if line.strip() else ">" for line in lines]
    if suffix:
        out[-1] = f"{out[-1]}{suffix}" if out[-1] != ">" else f"> {suffix.lstrip()}"
    return out


def note_lines(note: str | None) -> list[str]:
    """A highlight's note as a list item (``- **Note:** ...``), or no lines without one.

    Later lines of a multi-line note are indented into the list item, so whatever the
    note says stays inside it.
    """
    lines = strip_controls(note).strip("\n").split("\n")
    if not any(line.strip() for line in lines):
        return []
    out = [f"- **Note:** {lines[0].strip()}".rstrip()]
    out.extend(f"  {line}" if line.strip() else "" for line in lines[1:])
    return out


def quotation_lines(quotes: Sequence[QuoteItem]) -> list[str]:
    """A ``### Quotations`` section listing each quotation and its speaker."""
    if not quotes:
        return []
    out = ["### Quotations", ""]
    for quote in quotes:
        speaker = escape_inline(quote.speaker) if quote.speaker else "unknown speaker"
        out.append(f"- “{escape_inline(quote.text)}” — {speaker} (paragraph {quote.paragraph})")
    out.append("")
    return out


def highlight_lines(hl: Highlight, *, block_id: str = "") -> list[str]:
    """One highlight: its quote (ending with `` ^block_id`` when given), its note, a blank."""
    out = quote_block(hl.text, suffix=f" ^{block_id}" if block_id else "")
    note = note_lines(hl.note)
    if note:
        out.append("")
        out.extend(note)
    out.append("")
    return out


def render(
    items: Sequence[ExportItem],
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> str:
    """All ``items`` as one Markdown document starting with ``# Highlights``."""
    out = ["# Highlights", ""]
    for article, highlights in items:
        out.extend([f"## {escape_inline(article.title) or 'Untitled'}", ""])
        meta = byline(article)
        if meta:
            out.extend([meta, ""])
        for hl in highlights:
            out.extend(highlight_lines(hl))
        if quotes is not None:
            out.extend(quotation_lines(quotes.get(article.id, ())))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
