"""Making untrusted text safe to store and show.

Article text, titles, tags, notes and URLs are data. ``clean_text`` drops every C0/C1
control character (keeping newline and tab where asked), bidi overrides/isolates and
NUL bytes, so no escape sequence from an article can reach a terminal and no text can
reorder what surrounds it. Rich/Textual markup is never interpreted because the UI
builds ``rich.text.Text`` objects from plain strings, never markup strings.
"""

from __future__ import annotations

import re

# C0 controls except \t \n, DEL, C1 controls, bidi embeddings/overrides/isolates,
# and the Unicode line/paragraph separators that some terminals treat oddly.
_CONTROL_KEEP_NEWLINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]"
)
_CONTROL_ALL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]"
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without control characters, bidi controls or zero-width characters.

    Carriage returns become newlines when newlines are kept; otherwise every control
    (newlines included) becomes a space.
    """
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL_KEEP_NEWLINES.sub("", text)
    else:
        text = _CONTROL_ALL.sub(" ", text)
    return _ZERO_WIDTH.sub("", text)


def clean_line(text: str | None) -> str:
    """A one-line field (title, tag, author, site): no controls, whitespace collapsed."""
    if not text:
        return ""
    return " ".join(clean_text(text, keep_newlines=False).split())


def clean_tag(tag: str) -> str:
    """A tag as stored: one line, no spaces at the ends, lower case, at most 64 chars."""
    return clean_line(tag).strip().lower()[:64]


SAFE_URL_SCHEMES = ("http://", "https://")


def is_web_url(url: str | None) -> bool:
    """True only for http(s) URLs (the only ones ``o`` may open)."""
    if not url:
        return False
    lowered = url.strip().lower()
    return lowered.startswith(SAFE_URL_SCHEMES) and not _CONTROL_ALL.search(url)
