"""The start of an article's text, parsed on its own: what its first screens show.

Owns ``PREVIEW_CHARS``, ``preview_cut``, ``head_blocks``, ``head_is_whole`` and
``body_digest``. A long article is shown at once from the blocks of its start (the article
view's *preview*) while the whole text is parsed in a worker. The start snapshot (``reader.startup.snapshot``) keeps
those blocks for the article the app starts on, so the first screen of the app needs no
Markdown parser at all (markdown-it is slow to import).
"""

from __future__ import annotations

import hashlib

from reader.sanitize import clean_text
from reader.text.document import Block, parse_document

PREVIEW_CHARS = 8_000
"""A preview is about this much of the body's start (cut at a blank line)."""


def preview_cut(markdown: str, chars: int = PREVIEW_CHARS) -> int | None:
    """Where a preview of ``markdown`` ends: the first blank line after ``chars`` that is
    outside a code fence, or ``None`` (the text is shorter, or has no such place within
    ``4 * chars``)."""
    start = chars
    while start < min(len(markdown), 4 * chars):
        cut = markdown.find("\n\n", start)
        if cut < 0:
            return None
        head = markdown[:cut]
        if head.count("```") % 2 == 0 and head.count("~~~") % 2 == 0:
            return cut
        start = cut + 2
    return None


def head_is_whole(markdown: str) -> bool:
    """Whether ``head_blocks`` of ``markdown`` are those of the whole text (no place to
    cut a preview, and short enough to parse at once)."""
    return preview_cut(markdown) is None and len(markdown) <= 4 * PREVIEW_CHARS


def head_blocks(markdown: str) -> list[Block]:
    """The blocks of the body's start (up to ``preview_cut``): the whole body when it is
    short (``head_is_whole``), none when it is long with no place to cut."""
    cut = preview_cut(markdown)
    if cut is None:
        return parse_document(clean_text(markdown)) if head_is_whole(markdown) else []
    return parse_document(clean_text(markdown[:cut]))


def body_digest(markdown: str) -> str:
    """A digest of the exact body text (blocks kept for a body are used only with it)."""
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
