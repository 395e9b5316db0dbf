"""Making untrusted text safe to store and show: the one cleaner.

Article text, titles, tags, notes, URLs and everything read back from a stored file are
data. The *unsafe* characters are every control (Unicode category Cc: C0, DEL, C1 such
as U+009B CSI), every format character (Cf: bidi embeddings/overrides/isolates/marks,
zero-width spaces and joiners, the BOM, soft hyphens, tag characters) and the line and
paragraph separators (Zl, Zp). ``clean_text`` drops them (keeping newline and tab where
asked), so no escape sequence can reach a terminal and no text can reorder or hide what
surrounds it. Rich/Textual markup is never interpreted because the UI builds
``rich.text.Text`` objects from plain strings, never markup strings.

Callers must know:

- ``clean_tree`` cleans every string (keys too) of parsed JSON or TOML data: every
  loader of a stored file (library, journal, start snapshot, config, themes) passes its
  data through it, gated by ``bytes_may_be_unsafe`` (exact: never misses, so clean data
  is not walked).
- ``escape_unsafe_json`` turns the unsafe characters of serialized JSON into ``\\uXXXX``
  escapes: every JSON we print or export goes through it.
"""

from __future__ import annotations

import re
from typing import Any

# The code points of Unicode categories Cc, Cf, Zl and Zp (Unicode 14, Python 3.11), as
# (first, last) runs; a test checks them against ``unicodedata`` (computing them at
# import would cost every start 0.3 s).
UNSAFE_RANGES: list[tuple[int, int]] = [
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
]  # fmt: skip
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _class_of(runs: list[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs
    )


_UNSAFE_CLASS = _class_of(UNSAFE_RANGES)
_NOT_NEWLINE_RUNS = [r for r in UNSAFE_RANGES if r != (0, 0x1F)] + [(0, 8), (0x0B, 0x1F)]
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")  # every unsafe character
_UNSAFE_KEEP_NEWLINES = re.compile(f"[{_class_of(sorted(_NOT_NEWLINE_RUNS))}]")  # but \t \n


def is_unsafe(ch: str) -> bool:
    """Whether the character ``ch`` is one ``clean_text`` drops (tab and newline are)."""
    return _UNSAFE.match(ch) is not None


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without control, format (bidi, zero-width) or separator characters.

    Carriage returns become newlines when newlines are kept; otherwise every unsafe
    character (newlines included) becomes a space. A lone surrogate (a file name's
    undecodable byte, as Python hands it over) becomes U+FFFD, so the result can always
    be written as UTF-8.
    """
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", text)
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _UNSAFE_KEEP_NEWLINES.sub("", text)
    return _UNSAFE.sub(" ", text)


def clean_line(text: str | None) -> str:
    """A one-line field (title, tag, author, site): no controls, whitespace collapsed."""
    if not text:
        return ""
    return " ".join(clean_text(text, keep_newlines=False).split())


def clean_tag(tag: str) -> str:
    """A tag as stored: one line, no spaces at the ends, lower case, at most 64 chars."""
    return clean_line(tag).strip().lower()[:64]


def clean_tree(value: Any) -> Any:
    """Parsed JSON/TOML data with every string in it (dictionary keys too) cleaned by
    ``clean_text`` (newlines kept; one-line fields are the record checks' business).
    Lists and dictionaries are cleaned in place and returned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str | list | dict):
                value[index] = clean_tree(item)
        return value
    if isinstance(value, dict):
        if not all(map(_is_clean_key, value)):
            items = [(clean_text(k) if isinstance(k, str) else k, v) for k, v in value.items()]
            value.clear()
            value.update(items)
        for key, item in value.items():
            if isinstance(item, str | list | dict):
                value[key] = clean_tree(item)
        return value
    return value


def _is_clean_key(key: object) -> bool:
    return not isinstance(key, str) or _UNSAFE_KEEP_NEWLINES.search(key) is None


_ALL_ASCII = bytes(range(0x80))
# Bytes of text that ``clean_text`` keeps as they are: tab, newline and printable ASCII.
_PLAIN_ASCII = b"\t\n" + bytes(range(0x20, 0x7F))


def _safe_beyond_ascii(other: bytes, errors: str = "replace") -> bool:
    """Whether UTF-8 bytes with no ASCII left (a character's bytes stay together when
    ASCII is deleted) hold no unsafe character. ``str.isprintable`` (C speed) is false
    for every unsafe character, and for a few safe ones (no-break and other spaces,
    private use, unassigned): only then is the pattern searched."""
    text = other.decode("utf-8", errors)
    if text.isprintable() or text.replace("\xa0", "").isprintable():
        return True
    return _UNSAFE.search(text) is None and _SURROGATE.search(text) is None


def text_is_clean(text: str) -> bool:
    """True when ``clean_text(text) == text`` (found with byte operations, ~6x faster)."""
    other = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    if not other:
        return True
    # Any ASCII byte left is a control (or a carriage return).
    return len(other.translate(None, _ALL_ASCII)) == len(other) and _safe_beyond_ascii(
        other, "surrogatepass"
    )


# In JSON bytes an unsafe character is raw UTF-8, or an escape: orjson writes only C0
# controls as escapes (\b \f \r \u00XX), so any ``\u`` escape (which may name anything,
# a surrogate included) counts, as do the short escapes of controls and raw C0 bytes.
_JSON_ESCAPES = re.compile(rb"\\[bfru]")
_NOT_CONTROL_BYTES = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


def bytes_may_be_unsafe(raw: bytes) -> bool:
    """Whether stored JSON or TOML bytes may hold an unsafe character. Never false when
    one is there (raw or escaped); true for a few harmless escapes too."""
    if raw.translate(None, _NOT_CONTROL_BYTES) or (b"\\" in raw and _JSON_ESCAPES.search(raw)):
        return True
    if raw.isascii():
        return False
    return not _safe_beyond_ascii(raw.translate(None, _ALL_ASCII))


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point > 0xFFFF:
        point -= 0x10000
        return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
    return f"\\u{point:04x}"


def escape_unsafe_json(serialized: str) -> str:
    """Serialized JSON with every unsafe character (but the layout's newlines and tabs)
    written as a ``\\uXXXX`` escape: the same data for any JSON parser, safe to print."""
    return _UNSAFE_KEEP_NEWLINES.sub(_escape, serialized)


SAFE_URL_SCHEMES = ("http://", "https://")


def is_web_url(url: str | None) -> bool:
    """True only for http(s) URLs (the only ones ``o`` may open)."""
    if not url:
        return False
    lowered = url.strip().lower()
    return lowered.startswith(SAFE_URL_SCHEMES) and not _UNSAFE.search(url)
