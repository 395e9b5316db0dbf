"""What kind of file this is, decided by its content (the file name only breaks ties).

Owns: the binary and empty checks, and the choice between the HTML,
Markdown and plain-text importers (``detect_format``).
"""

from __future__ import annotations

import re
from typing import Literal

from reader.errors import ImportFailed
from reader.ingest.importers.decoding import looks_binary
from reader.ingest.importers.non_article import non_article_reason
from reader.limits import MAX_IMPORT_BYTES, check_size

__all__ = ["MAX_IMPORT_BYTES", "Format", "check_size", "detect_format", "sniff_text_format"]

Format = Literal["html", "markdown", "text"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})

# Patterns here see up to 64 KB of untrusted text: each is linear (atomic groups and
# possessive quantifiers never retry a run another way; a link's text and address stop at
# the next bracket or parenthesis), so no crafted line can make detection backtrack.
_HTML_START = re.compile(
    r"\A(?>\s++|<!--.*?-->|<\?xml[^>]*+>)*+<(?:!doctype\s++html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(r"<(?:html|head|body)[\s>]|<!doctype\s+html", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|img|h[1-6]|ul|ol|li|table|tr|td|th|tbody|thead|em|strong|b|i"
    r"|blockquote|pre|code|section|article|header|footer|nav|main|aside|figure|figcaption"
    r"|script|style|meta|link|title|form|input|button|iframe|svg|noscript)\b[^<>]*>",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_SETEXT = re.compile(r"^[^\n\s][^\n]*\n(?:=+|-{3,})[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^(?:```|~~~)", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[[^\[\]\n]++\]\([^()\s]++(?:\s++\"[^\"\n]*+\")?\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*\*[^*\n]+\*\*(?![\w*])|(?<![\w_])__[^_\n]+__(?![\w_])")
_MD_LIST = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.MULTILINE)
_MD_QUOTE = re.compile(r"^>[ \t]?\S", re.MULTILINE)


def _looks_html(sample: str, suffix: str) -> bool:
    if _HTML_START.match(sample) or _HTML_ANYWHERE.search(sample[:4096]):
        return True
    tags = _HTML_TAG.findall(sample)
    if not tags:
        return False
    if suffix in HTML_SUFFIXES:
        return True
    tag_chars = sum(len(tag) for tag in tags)
    lines = max(1, sample.count("\n") + 1)
    # A page fragment: tags are a good part of the text, or there are several per line.
    return len(tags) >= 3 and (tag_chars >= 0.08 * len(sample) or len(tags) >= lines)


def _markdown_score(sample: str) -> int:
    score = 0
    if _FRONT_MATTER.match(sample):
        score += 5
    score += 3 * min(len(_ATX_HEADING.findall(sample)), 2)
    score += 3 * min(len(_SETEXT.findall(sample)), 1)
    score += 3 * min(len(_FENCE.findall(sample)), 1)
    links = len(_MD_LINK.findall(sample))
    score += 3 if links >= 2 else links
    score += min(len(_MD_EMPHASIS.findall(sample)), 2)
    if len(_MD_LIST.findall(sample)) >= 3:
        score += 1
    if len(_MD_QUOTE.findall(sample)) >= 2:
        score += 1
    return score


def sniff_text_format(text: str, suffix: str = "") -> Format:
    """Choose the importer for decoded ``text``; ``suffix`` (``".md"``...) only breaks ties."""
    sample = text[:65536].lstrip("\ufeff")
    if _looks_html(sample, suffix):
        return "html"
    score = _markdown_score(sample)
    if score >= 3 or (score >= 1 and suffix in MARKDOWN_SUFFIXES):
        return "markdown"
    if suffix in MARKDOWN_SUFFIXES and score >= 0 and not _looks_scraped(sample):
        return "markdown"
    return "text"


def _looks_scraped(sample: str) -> bool:
    """A ``.md`` file that is really a scraped page dump (date line near the top, no marks)."""
    from reader.ingest.importers.dates import find_date_line

    lines = [line for line in sample.splitlines()[:12] if line.strip()]
    return any(find_date_line(line) for line in lines[:6])


def detect_format(data: bytes, text: str | None = None, *, name: str, suffix: str = "") -> Format:
    """The importer for ``data``: ``"html"``, ``"markdown"`` or ``"text"``.

    Raises ``ImportFailed(name, ...)`` when the data is too large, binary, empty, or plainly
    not an article (source code, JSON data, a feed: see ``non_article``). ``text``
    is the decoded data when the caller already has it.
    """
    check_size(len(data), name)
    if looks_binary(data):
        raise ImportFailed(name, "binary file, not an article")
    if text is None:
        from reader.ingest.importers.decoding import decode_bytes

        text = decode_bytes(data, name=name)
    if not text.strip():
        raise ImportFailed(name, "empty file")
    kind = sniff_text_format(text, suffix.lower())
    # A page (by name or by its first tag) is judged as a page; other text holding a few
    # tags (source code with HTML in its strings) is judged as text too.
    page = kind == "html" and (
        suffix.lower() in HTML_SUFFIXES or _HTML_START.match(text[:65536].lstrip("\ufeff"))
    )
    reason = non_article_reason(text, html=bool(page))
    if reason is not None:
        raise ImportFailed(name, reason)
    return kind
