"""Text folding and word tokenizing shared by the query parser and the search index.

Owns the one definition of "a word" used for searching, so that the words of a query and
the words of an indexed article always compare equal:

* ``fold(text)`` lower-cases (Unicode case folding), applies compatibility decomposition
  (NFKD: ligatures, full-width forms and the like become plain letters) and removes Latin,
  Greek and Cyrillic diacritics, so ``"Café"`` and ``"CAFE"`` both fold to ``"cafe"``.
  ``fold`` is idempotent: ``fold(fold(x)) == fold(x)``.
* A word is a maximal run of letters and digits (``[^\\W_]+``) in folded text, cut to
  ``MAX_TOKEN_LEN`` characters. Punctuation, underscores and other marks separate words,
  so ``"e-mail"`` is the two words ``e`` and ``mail``.

Nothing here does I/O; every function accepts any ``str`` (including NULs, escapes and
huge lines) and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import filterfalse

__all__ = [
    "MAX_TOKEN_LEN",
    "fold",
    "fold_value",
    "joined_unique_tokens",
    "phrase_regex",
    "tokenize",
    "unique_tokens",
]

#: Longer words are cut to this many characters, both when indexing and when querying.
MAX_TOKEN_LEN = 64

# Combining diacritical marks (and their extensions and supplements); removed by ``fold``.
_DIACRITICS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_DIACRITICS_RE = re.compile(f"[{_DIACRITICS}]+")
_WORD_RE = re.compile(r"[^\W_]+")
_SEPARATOR = r"[\W_]+"
_NOT_WORD_BEFORE = r"(?<![^\W_])"
_NOT_WORD_AFTER = r"(?![^\W_])"
# Every ASCII byte that is not a letter or digit becomes a space (bytes >= 0x80 are kept).
_ASCII_SEPARATORS = bytes(b for b in range(128) if not chr(b).isalnum())
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_TO_SPACE = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))


def fold(text: str) -> str:
    """Return ``text`` case-folded, NFKD-normalized and without diacritics."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return _DIACRITICS_RE.sub("", decomposed)


def fold_value(text: str | None) -> str:
    """Fold a field value (tag, site, author) and collapse its whitespace to single spaces.

    Lone surrogates are dropped.
    """
    if not text:
        return ""
    value = " ".join(fold(text).split())
    if not value.isascii():  # drop lone surrogates (undecodable bytes): they cannot be saved
        value = value.encode("utf-8", "ignore").decode("utf-8")
    return value


def _cut(words: list[str]) -> list[str]:
    return [w if len(w) <= MAX_TOKEN_LEN else w[:MAX_TOKEN_LEN] for w in words]


def tokenize(text: str) -> list[str]:
    """Return the folded words of ``text`` in order (with repeats)."""
    words = _WORD_RE.findall(fold(text))
    if words and max(map(len, words)) > MAX_TOKEN_LEN:
        words = _cut(words)
    return words


def unique_tokens(text: str) -> set[str]:
    """Return the set of folded words of ``text`` (what the index stores per article).

    Same result as ``set(tokenize(text))``, faster for long texts: the text is cut at ASCII
    separators with byte operations, and only the pieces holding other characters are
    folded and split with the word pattern. (Folding works character by character, and
    an ASCII separator folds to itself, so folding piece by piece folds the same.)
    """
    ascii_only = text.isascii()
    raw = text.encode("ascii" if ascii_only else "utf-8", "surrogatepass")
    spaced = raw.lower().translate(_TO_SPACE).decode("utf-8", "surrogatepass")
    words = set(spaced.split())
    if ascii_only:
        return _cut_long(words)
    # Pieces (between ASCII spaces) holding other characters: fold them and split properly.
    pieces = set()
    end = -1
    for match in _NON_ASCII.finditer(spaced):
        at = match.start()
        if at < end:
            continue
        end = spaced.find(" ", at)
        if end < 0:
            end = len(spaced)
        pieces.add(spaced[spaced.rfind(" ", 0, at) + 1 : end])
    if pieces:
        joined = " ".join(pieces)  # folded at once: a space folds to itself
        words.difference_update(joined.split())
        words.update(_WORD_RE.findall(fold(joined)))
    return _cut_long(words)


def joined_unique_tokens(text: str, sep: str = "\n") -> str:
    """``sep.join(unique_tokens(text))`` (in some order), made faster for sending elsewhere:
    the words are split and made unique as bytes and decoded once, joined (no ``str``
    object per word). ``sep`` must be whitespace (a word never holds it)."""
    ascii_only = text.isascii()
    raw = text.encode("ascii" if ascii_only else "utf-8", "surrogatepass")
    words = set(raw.lower().translate(_TO_SPACE).split())
    if not ascii_only:
        # Pieces (between ASCII spaces) holding other characters: fold, split properly.
        pieces = list(filterfalse(bytes.isascii, words))
        if pieces:
            words.difference_update(pieces)
            joined = b" ".join(pieces).decode("utf-8", "surrogatepass")
            found = _cut_long(set(_WORD_RE.findall(fold(joined))))
            words.update(w.encode("utf-8", "surrogatepass") for w in found)
    if words and max(map(len, words)) > MAX_TOKEN_LEN:
        # Cut the long ASCII words (a non-ASCII one was cut, as characters, above).
        words = {w[:MAX_TOKEN_LEN] if w.isascii() else w for w in words}
    return sep.encode("ascii").join(words).decode("utf-8", "surrogatepass")


def _cut_long(words: set[str]) -> set[str]:
    if words and max(map(len, words)) > MAX_TOKEN_LEN:
        words = set(_cut(list(words)))
    return words


def phrase_regex(tokens: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Return a pattern finding the word sequence ``tokens`` in *folded* text.

    Words must follow each other with only non-word characters between them (spaces,
    punctuation, line breaks, Markdown emphasis), and must be whole words: ``"tram stop"``
    matches ``"Tram-stop!"`` but not ``"tram stops"``. A token cut to ``MAX_TOKEN_LEN``
    matches any longer word that starts with it.
    """
    parts = []
    for token in tokens:
        part = re.escape(token)
        if len(token) >= MAX_TOKEN_LEN:
            part += r"[^\W_]*"
        parts.append(part)
    return re.compile(_NOT_WORD_BEFORE + _SEPARATOR.join(parts) + _NOT_WORD_AFTER)
