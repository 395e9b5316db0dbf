"""Finding a highlighted passage again in an article's paragraphs.

Owns the forgiving comparison used for highlight anchors: ``normalize_for_match`` folds
the differences that re-rendering or copy/paste introduce (whitespace runs, curly vs
straight quotes and apostrophes, dash variants, NFKC compatibility forms, case, soft
hyphens and zero-width characters), and ``locate_passage`` searches for a passage under
that folding while reporting offsets into the ORIGINAL paragraph strings.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from functools import lru_cache

from reader.models import Highlight

# Quote marks and apostrophes folded to their ASCII form.
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
# Hyphens and dashes folded to "-".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
# Characters that vanish: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_FOLD = {ord(c): "'" for c in _SINGLE_QUOTES}
_FOLD.update({ord(c): '"' for c in _DOUBLE_QUOTES})
_FOLD.update({ord(c): "-" for c in _DASHES})
_FOLD.update({ord(c): "" for c in _INVISIBLE})


def _fold_cluster(cluster: str) -> str:
    """One base character plus its combining marks, folded (may be empty or several chars)."""
    text = cluster.translate(_FOLD)
    text = unicodedata.normalize("NFKC", text).casefold()
    # NFKC/casefold can produce characters that need folding again (e.g. fullwidth forms).
    return unicodedata.normalize("NFKC", text.translate(_FOLD))


_ASCII_RUN = re.compile(r"[\x00-\x7f]+(?=[\x00-\x7f]|\Z)")
_WHITESPACE = re.compile(r"\s+")


_CACHE_MAX_CHARS = 20_000  # longer paragraphs are folded afresh each time


def _normalize_with_map(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """``_fold_with_map`` for ``text``, cached for paragraphs of ordinary length."""
    if len(text) <= _CACHE_MAX_CHARS:
        return _fold_cached(text)
    return _fold_with_map(text)


@lru_cache(maxsize=4096)
def _fold_cached(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    return _fold_with_map(text)


def _fold_with_map(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """Fold ``text`` and map every folded character back to the original.

    Returns ``(folded, starts, ends)``: folded character ``k`` came from
    ``text[starts[k]:ends[k]]``. Whitespace runs become one space (kept at the ends, so
    callers that want a clean needle strip it). The maps are compact ``array``s (4 bytes
    an entry) because they are cached; callers must not mutate them.
    """
    out: list[str] = []
    starts = array("I")
    ends = array("I")
    last_space = False
    i = 0
    n = len(text)
    while i < n:
        run = _ASCII_RUN.match(text, i)
        if run:
            # Fast path for plain ASCII (no base char of a combining sequence): NFKC is
            # the identity, case folding is lower(), and only the backtick needs folding.
            j = run.end()
            lowered = text[i:j].lower().replace("`", "'")
            pos = i
            for space in _WHITESPACE.finditer(text, i, j):
                if space.start() > pos:
                    out.append(lowered[pos - i : space.start() - i])
                    starts.extend(range(pos, space.start()))
                    ends.extend(range(pos + 1, space.start() + 1))
                    last_space = False
                if last_space:
                    ends[-1] = space.end()
                else:
                    out.append(" ")
                    starts.append(space.start())
                    ends.append(space.end())
                    last_space = True
                pos = space.end()
            if j > pos:
                out.append(lowered[pos - i : j - i])
                starts.extend(range(pos, j))
                ends.extend(range(pos + 1, j + 1))
                last_space = False
            i = j
            continue
        ch = text[i]
        if ch.isspace():
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if last_space:
                ends[-1] = j  # a run split by an invisible character
            else:
                out.append(" ")
                starts.append(i)
                ends.append(j)
                last_space = True
            i = j
            continue
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for piece in _fold_cluster(text[i:j]):
            if piece.isspace():
                if last_space:
                    ends[-1] = j
                    continue
                piece = " "
            out.append(piece)
            starts.append(i)
            ends.append(j)
            last_space = piece == " "
        i = j
    return "".join(out), starts, ends


def normalize_for_match(text: str) -> str:
    """``text`` folded for comparison: whitespace runs to one space (ends stripped),
    curly/straight quotes and apostrophes unified, dashes to ``-``, NFKC, case-folded."""
    return _normalize_with_map(text)[0].strip(" ")


def _occurrences(paragraphs: Sequence[str], text: str) -> list[tuple[int, int, int]]:
    """Every non-overlapping place ``text`` occurs (folded), as original-string offsets."""
    needle = normalize_for_match(text)
    if not needle:
        return []
    found: list[tuple[int, int, int]] = []
    for index, paragraph in enumerate(paragraphs):
        folded, starts, ends = _normalize_with_map(paragraph)
        pos = folded.find(needle)
        while pos >= 0:
            last = pos + len(needle) - 1
            found.append((index, starts[pos], ends[last]))
            pos = folded.find(needle, pos + len(needle))
    return found


def locate_passage(paragraphs: Sequence[str], text: str) -> tuple[int, int, int] | None:
    """Where ``text`` first occurs in ``paragraphs`` as ``(paragraph, start, end)``.

    Matching forgives whitespace, quote-mark, dash and case differences (see
    ``normalize_for_match``); ``start``/``end`` index the ORIGINAL paragraph string, so
    ``paragraphs[p][start:end]`` is the passage as it appears in the article. A passage
    spanning two paragraphs, or an empty one, is not found: returns ``None``.
    """
    found = _occurrences(paragraphs, text)
    return found[0] if found else None


def _offsets_still_valid(paragraphs: Sequence[str], hl: Highlight) -> bool:
    p, start, end = hl.paragraph, hl.start, hl.end
    if p is None or start is None or end is None:
        return False
    if not (0 <= p < len(paragraphs)) or not (0 <= start < end <= len(paragraphs[p])):
        return False
    wanted = normalize_for_match(hl.text)
    return bool(wanted) and normalize_for_match(paragraphs[p][start:end]) == wanted


def resolve_anchor(paragraphs: Sequence[str], hl: Highlight) -> tuple[int, int, int] | None:
    """Where highlight ``hl`` is in ``paragraphs`` now, as ``(paragraph, start, end)``.

    Uses the stored ``paragraph/start/end`` when that slice still reads as ``hl.text``
    (after folding); otherwise searches for the text and, when it occurs more than once,
    picks the occurrence nearest the stored position. ``None`` when the text is gone.
    """
    if _offsets_still_valid(paragraphs, hl):
        assert hl.paragraph is not None and hl.start is not None and hl.end is not None
        return (hl.paragraph, hl.start, hl.end)
    found = _occurrences(paragraphs, hl.text)
    if not found:
        return None
    if hl.paragraph is None:
        return found[0]
    old_p, old_start = hl.paragraph, hl.start or 0
    return min(found, key=lambda f: (abs(f[0] - old_p), abs(f[1] - old_start)))


def resolve_range(paragraphs: Sequence[str], hl: Highlight) -> list[tuple[int, int, int]] | None:
    """Where highlight ``hl`` is in ``paragraphs`` now, as one ``(paragraph, start, end)``
    per paragraph it covers (one for most; several for a passage across paragraphs, whose
    text is theirs joined by blank lines). ``None`` when the text is gone."""
    last = hl.end_paragraph
    if last is None or hl.paragraph is None or last <= hl.paragraph:
        found = resolve_anchor(paragraphs, hl)
        return [found] if found is not None else None
    pieces = [normalize_for_match(piece) for piece in hl.text.split("\n\n")]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) < 2:
        return None
    firsts = [(hl.paragraph, hl.start or 0)]
    firsts += [(p, s) for p, s, _ in _occurrences(paragraphs, pieces[0]) if (p, s) != firsts[0]]
    for p, start in firsts:
        spans = _range_at(paragraphs, pieces, p, start)
        if spans is not None:
            return spans
    return None


def _range_at(
    paragraphs: Sequence[str], pieces: list[str], first: int, start: int
) -> list[tuple[int, int, int]] | None:
    """The pieces of a passage across paragraphs when it starts at ``start`` of
    ``first``: the first piece ends that paragraph, the middle ones are whole paragraphs,
    the last one starts its paragraph."""
    last = first + len(pieces) - 1
    if not (first >= 0 and last < len(paragraphs)) or start > len(paragraphs[first]):
        return None
    head = paragraphs[first]
    if normalize_for_match(head[start:]) != pieces[0]:
        return None
    ranges = [(first, start, len(head.rstrip()))]
    for index, piece in zip(range(first + 1, last), pieces[1:-1], strict=True):
        if normalize_for_match(paragraphs[index]) != piece:
            return None
        ranges.append((index, 0, len(paragraphs[index].rstrip())))
    folded, _starts, ends = _normalize_with_map(paragraphs[last])
    lead = len(folded) - len(folded.lstrip(" "))
    if not folded[lead:].startswith(pieces[-1]):
        return None
    ranges.append((last, 0, ends[lead + len(pieces[-1]) - 1]))
    return ranges
