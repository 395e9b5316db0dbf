"""The limits every import path applies, so no input the limits let through costs more
than about 60 s or 1 GB in any command.

Owns the numbers and their checks; each raises ``ImportFailed(name, reason)`` with one
line. Callers must know where each applies:

- ``check_size``: the bytes of one page or file (``MAX_IMPORT_BYTES``), before reading or
  parsing it; an export file or what an archive unpacks to (``MAX_EXPORT_BYTES``).
- ``check_markup``: the tags of one HTML page (``MAX_TAGS``), before parsing it
  (``parse_html``, which every page, feed entry and migrated article goes through).
- ``check_body``: an article's body after parsing (``MAX_PARAGRAPHS``,
  ``MAX_BODY_CHARS``), in ``prepare_body``, which every stored article goes through.
"""

from __future__ import annotations

from reader.errors import ImportFailed

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # one page or file
MAX_EXPORT_BYTES = 128 * 1024 * 1024  # one export file, or all an archive unpacks to
MAX_TAGS = 400_000  # tags (``<``) in one HTML page
MAX_PARAGRAPHS = 50_000  # blocks in one article body
MAX_BODY_CHARS = 5_000_000  # characters of one article body

_MB = 1024 * 1024


def check_size(size: int, name: str, limit: int = MAX_IMPORT_BYTES) -> None:
    """Raise ``ImportFailed`` when ``size`` bytes is over ``limit``."""
    if size > limit:
        raise ImportFailed(name, f"file too large ({size / _MB:.1f} MB, limit {limit // _MB} MB)")


def check_markup(html: bytes | str, name: str) -> None:
    """Raise ``ImportFailed`` for a page over ``MAX_IMPORT_BYTES`` or ``MAX_TAGS``."""
    check_size(len(html), name)
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags > MAX_TAGS:
        raise ImportFailed(name, f"page too large ({tags:,} tags, limit {MAX_TAGS:,})")


def check_body(markdown: str, name: str) -> None:
    """Raise ``ImportFailed`` for a body over ``MAX_BODY_CHARS`` or ``MAX_PARAGRAPHS``."""
    if len(markdown) > MAX_BODY_CHARS:
        raise ImportFailed(
            name,
            f"text too long ({len(markdown):,} characters, limit {MAX_BODY_CHARS:,})",
        )
    paragraphs = markdown.count("\n\n") + 1
    if paragraphs > MAX_PARAGRAPHS:
        raise ImportFailed(name, f"too many paragraphs ({paragraphs:,}, limit {MAX_PARAGRAPHS:,})")
