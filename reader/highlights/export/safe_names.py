"""Turning untrusted titles into safe, portable file names.

Owns ``safe_filename``: the result has no path separators, no ``..``, no control or
format characters, no leading dots/dashes/spaces, no trailing dots/spaces, none of the
characters Windows forbids (``<>:"/\\|?*``) or that break Obsidian links (``#^[]|``),
is never a Windows reserved device name (CON, NUL, COM1, ...), and fits in ``max_len``
characters and 240 UTF-8 bytes including the suffix and extension.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 100
_MAX_NAME_BYTES = 240  # most file systems allow 255 bytes per name

_FORBIDDEN = re.compile(r'[<>:"/\\|?*#^\[\]]')
_DOT_RUNS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{c}" for c in "0123456789¹²³"),
    *(f"LPT{c}" for c in "0123456789¹²³"),
}


def _drop_controls(text: str) -> str:
    """Remove control (Cc), format (Cf: bidi, zero-width) and unassigned/surrogate chars."""
    return "".join(
        ch if not unicodedata.category(ch).startswith("C") else " "
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Cn", "Co")
    )


def _trim(stem: str) -> str:
    return stem.lstrip(" .-").rstrip(" .")


def _fit(stem: str, tail: str, max_len: int) -> str:
    """``stem`` cut so ``stem + tail`` fits in ``max_len`` chars and the byte budget."""
    room = max(max_len - len(tail), 1)
    stem = stem[:room]
    while len((stem + tail).encode("utf-8")) > _MAX_NAME_BYTES and stem:
        stem = stem[:-1]
    # Do not leave a dangling combining mark or a trailing dot/space after the cut.
    while stem and unicodedata.combining(stem[-1]):
        stem = stem[:-1]
    return _trim(stem)


def safe_stem(title: str, *, fallback: str = "untitled") -> str:
    """``title`` reduced to a safe file-name stem (no extension, not length-limited)."""
    text = unicodedata.normalize("NFC", title or "")
    text = _drop_controls(text)
    text = _FORBIDDEN.sub("-", text)
    text = _SPACES.sub(" ", text)
    text = _DOT_RUNS.sub(".", text)
    text = _trim(text)
    if not text:
        text = fallback
    if text.split(".", 1)[0].strip().upper() in _RESERVED:
        text = "_" + text
    return text


def safe_filename(
    title: str,
    *,
    suffix: str = "",
    ext: str = ".md",
    max_len: int = MAX_NAME_CHARS,
    fallback: str = "untitled",
) -> str:
    """A safe file name for ``title``: ``<stem><suffix><ext>``, at most ``max_len`` chars.

    ``suffix`` (e.g. ``" 3f2a9c"``, an article id used to make names unique) is made safe
    too and kept whole; the title part is shortened to make room for it.
    """
    safe_suffix = ""
    if suffix:
        safe_suffix = _DOT_RUNS.sub(".", _FORBIDDEN.sub("-", _drop_controls(suffix)))
        safe_suffix = safe_suffix.rstrip(" .")[: max_len // 2]
    tail = safe_suffix + ext
    stem = _fit(safe_stem(title, fallback=fallback), tail, max_len)
    if not stem:
        stem = _fit(fallback, tail, max_len) or "_"
    name = stem + tail
    if name.split(".", 1)[0].strip().upper() in _RESERVED:
        name = "_" + name[: max_len - 1]
    return name


def is_safe_filename(name: str, *, max_len: int = MAX_NAME_CHARS) -> bool:
    """True when ``name`` obeys every rule ``safe_filename`` guarantees (used by tests)."""
    if not name or len(name) > max_len or len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        return False
    if name.startswith((".", " ", "-")) or ".." in name or name.rstrip(" .") != name:
        return False
    if _FORBIDDEN.search(name) or any(unicodedata.category(c).startswith("C") for c in name):
        return False
    return name.split(".", 1)[0].strip().upper() not in _RESERVED
