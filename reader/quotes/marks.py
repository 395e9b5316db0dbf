"""Finding quotations: pairing quote marks, multi-paragraph quotations, scare quotes.

Owns ``candidate_quotations``: the paired, trimmed quoted passages of an article that are
long enough to be quotations, in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.quotes.lexicon import INV_VERBS, VERB_RE, VERBS

_OPEN_ONLY = "“„‟«"
_CLOSE_ONLY = "”»"
MARK_RE = re.compile(r"[\"“”„‟«»]|’’|''")
_OPEN_BEFORE = set(" \t\n\r\f\v([{\u2014\u2013-/\u00a0") | set('"“”„‟«»')
_CLOSE_AFTER = set(" \t\n\r\f\v.,;:!?)]}\u2014\u2013-/\u2026\u00a0") | set("\"“”„‟«»’'")

_RESTART = {". ", "! ", "? "}
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
        ch = m.group()
        if len(ch) == 2:  # ’’ or '': two single marks typed for a closing double one
            if open_at is not None and open_ch in _OPEN_ONLY:
                pairs.append((open_at, i))
                open_at = None
            continue
        if ch in _OPEN_ONLY:
            if ch == "“" and open_at is not None and open_ch == "„":
                pairs.append((open_at, i))  # German „…“
                open_at = None
            elif open_at is not None and text[i - 2 : i] in _RESTART:
                pass  # “A sentence. “Another”: one quotation whose close mark was forgotten
            else:
                open_at, open_ch = i, ch
            continue
        if ch in _CLOSE_ONLY:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
            elif (i == 0 or text[i - 1] in "([ ") and i + 1 < n and not text[i + 1].isspace():
                open_at, open_ch = i, ch  # (”This guy …”): a closing mark used to open
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


_TITLE_SMALL = frozenset(
    re.findall(r"\w+", "a an the of and or in on at to for by with from is be vs de la le du et y")
)


def is_title(words: list[str]) -> bool:
    """Whether quoted words are a title or a slogan in capitals, not speech: every word
    capitalized but small ones (“The Kid Who Would Be King”, “Face the Nation.”)."""
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    capitals = 0
    for word in words:
        if word[:1].isupper():
            capitals += 1
        elif word.lower() not in _TITLE_SMALL:
            return False
    return capitals >= 2


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


_SENTENCE_EDGE_RE = re.compile(r"[.!?]\s")
_NAMING_RE = re.compile(
    r"\b(?:call(?:ed|s|ing)?|describ(?:ed|es|ing)|dubbed|label(?:l)?ed|termed)\b"
)
_SHORT_BEFORE_RE = re.compile(
    rf"(?:\b{VERBS}|\b(?:described|describing|calling\s+it)(?:\s+(?:as|a|an))*)[,:]?\s*$"
)
_SHORT_AFTER_RE = re.compile(rf"[,’']?\s*(?:(?:{INV_VERBS})\b|(?:he|she|they)\s+{VERBS}\b)")


def _attributed_short(paragraphs: list[str], chain: list[_Segment]) -> bool:
    """A quotation of one or two words right after a speech verb (said “no mas.”) or right
    before its attribution (“One!” says the owner) is speech, not a scare quote."""
    first, last = chain[0], chain[-1]
    text = paragraphs[first.paragraph]
    if _SHORT_BEFORE_RE.search(text, max(0, first.open_at - 40), first.open_at):
        return True
    after = paragraphs[last.paragraph]
    return bool(last.closed and _SHORT_AFTER_RE.match(after, last.end + 1))


def _spoken(paragraphs: list[str], chain: list[_Segment], words: list[str]) -> bool:
    """Whether a fragment starting in lowercase mid-sentence is reported speech: its
    sentence has a speech verb (``said he was “very pleased …”``), unlike ``trucks of “all
    shapes and sizes”``. Quotations starting in a capital are always kept."""
    first, last = chain[0], chain[-1]
    if not words or not words[0][:1].islower():
        return True
    text = paragraphs[first.paragraph]
    lo = max(0, first.open_at - 240)
    before = text[lo : first.open_at]
    cut = [m.end() for m in _SENTENCE_EDGE_RE.finditer(before)]
    before = before[cut[-1] :] if cut else before
    after = paragraphs[last.paragraph][last.end + 1 : last.end + 160]
    m = _SENTENCE_EDGE_RE.search(after)
    after = after[: m.start()] if m else after
    context = before + " " + after
    return bool(VERB_RE.search(context) or _NAMING_RE.search(context))


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
        words: list[str] = []
        for seg in chain:
            text = paragraphs[seg.paragraph]
            s, e = _trim(text, seg.start, seg.end)
            if e > s:
                spans.append((seg.paragraph, s, e))
                words += _WORD_RE.findall(text, s, e)
        if not spans or is_title(words):
            continue
        last_seg = chain[-1]
        tail = paragraphs[last_seg.paragraph][last_seg.start : last_seg.end].rstrip()
        long_enough = _word_count_ok(len(words), tail[-1:])
        if not long_enough and len(words) <= 3:
            long_enough = _attributed_short(paragraphs, chain)
        if long_enough and _spoken(paragraphs, chain, words):
            kept.append((spans, chain[0].open_at, last_seg.end if last_seg.closed else None))
    return kept
