"""Finding quotations: pairing quote marks, multi-paragraph quotations, scare quotes.

Owns ``candidate_quotations``: the paired, trimmed quoted passages of an article that are
long enough to be quotations, in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN_ONLY = "“„‟«"
_CLOSE_ONLY = "”»"
MARK_RE = re.compile(r"[\"“”„‟«»]")
_OPEN_BEFORE = set(" \t\n\r\f\v([{\u2014\u2013-/\u00a0") | set('"“”„‟«»')
_CLOSE_AFTER = set(" \t\n\r\f\v.,;:!?)]}\u2014\u2013-/\u2026\u00a0") | set("\"“”„‟«»’'")

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = ".,!?…"

# ------------------------------------------------------------------------------- pairing


@dataclass(slots=True)
class _Segment:
    paragraph: int
    start: int  # inner start (after the opening mark), before trimming
    end: int  # inner end (the closing mark's offset, or the paragraph's end)
    open_at: int  # offset of the opening mark
    closed: bool


def _pair_marks(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open_mark, close_mark) pairs in ``text``, and a dangling opening mark if any."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    open_ch = ""
    n = len(text)
    for m in MARK_RE.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in _OPEN_ONLY:
            if ch == "“" and open_at is not None and open_ch == "„":
                pairs.append((open_at, i))  # German „…“
                open_at = None
            else:
                open_at, open_ch = i, ch
            continue
        if ch in _CLOSE_ONLY:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
            continue
        # straight quote: decide by context
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        can_open = before in _OPEN_BEFORE and not after.isspace()
        can_close = after in _CLOSE_AFTER and not before.isspace()
        if open_at is None:
            if can_open or not can_close:  # else a stray closing mark: ignore it
                open_at, open_ch = i, ch
        elif can_close or not can_open:
            pairs.append((open_at, i))
            open_at = None
        else:  # can open, cannot close: the earlier opening mark was unmatched
            open_at, open_ch = i, ch
    return pairs, open_at


def _starts_with_open_mark(text: str) -> bool:
    stripped = text.lstrip()
    if not stripped:
        return False
    ch = stripped[0]
    if ch in _OPEN_ONLY:
        return True
    return ch == '"' and len(stripped) > 1 and not stripped[1].isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _word_count_ok(words: int, raw_tail: str) -> bool:
    return words >= 4 or (words >= 3 and raw_tail in _SENTENCE_END)


def content_start(text: str) -> int:
    """Offset of the first non-space character (len(text) if none)."""
    m = _NON_SPACE_RE.search(text)
    return m.start() if m else len(text)


def content_end(text: str) -> int:
    """Offset just after the last non-space character (bounded look-back)."""
    end = len(text)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


_NON_SPACE_RE = re.compile(r"\S")


def candidate_quotations(
    paragraphs: list[str],
) -> list[tuple[list[tuple[int, int, int]], int, int | None]]:
    """Paired, trimmed quotations that pass the word-count rule, in reading order.

    Each is (spans, opening mark offset, closing mark offset or None); spans are
    (paragraph, start, end), more than one for a multi-paragraph quotation.
    """
    chains: list[list[_Segment]] = []
    carry: list[_Segment] | None = None
    for p, text in enumerate(paragraphs):
        pairs, dangling = _pair_marks(text)
        first = True
        for open_at, close_at in pairs:
            seg = _Segment(p, open_at + 1, close_at, open_at, True)
            if first and carry is not None and open_at <= content_start(text):
                carry.append(seg)
                chains.append(carry)
            else:
                chains.append([seg])
            carry = None
            first = False
        if dangling is not None:
            seg = _Segment(p, dangling + 1, len(text), dangling, False)
            continues = p + 1 < len(paragraphs) and _starts_with_open_mark(paragraphs[p + 1])
            if first and carry is not None and dangling <= content_start(text):
                carry.append(seg)
                carry = carry if continues else None
            else:
                carry = [seg] if continues else None
        else:
            carry = None
    chains = [c for c in chains if c[-1].closed]  # an open chain at the very end is dropped
    chains.sort(key=lambda c: (c[0].paragraph, c[0].start))

    kept: list[tuple[list[tuple[int, int, int]], int, int | None]] = []
    for chain in chains:
        spans = []
        words = 0
        for seg in chain:
            text = paragraphs[seg.paragraph]
            s, e = _trim(text, seg.start, seg.end)
            if e > s:
                spans.append((seg.paragraph, s, e))
                words += len(_WORD_RE.findall(text, s, e))
        if not spans:
            continue
        last_seg = chain[-1]
        tail = paragraphs[last_seg.paragraph][last_seg.start : last_seg.end].rstrip()
        if _word_count_ok(words, tail[-1:]):
            kept.append((spans, chain[0].open_at, last_seg.end if last_seg.closed else None))
    return kept
