"""``find_quotations``: quotations with their speakers resolved over the whole article.

Roles and pronouns become the named person they refer to, short names the fullest form
used earlier, and a speaker carries over to the quotations that follow it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.quotes.attribution import (
    DASH_RE,
    attribution_after,
    attribution_before,
    context_subject,
)
from reader.quotes.marks import MARK_RE, candidate_quotations, content_end, content_start
from reader.quotes.model import Quotation
from reader.quotes.names import NameIndex

# ------------------------------------------------------------------------------- main


def find_quotations(paragraphs: Sequence[str]) -> list[Quotation]:
    """Find the direct quotations in an article and who said them.

    ``paragraphs`` are the article's paragraph plain texts, in order. Returns the quotations
    in reading order; a multi-paragraph quotation gives one entry per paragraph, all with the
    same speaker.
    """
    paragraphs = [p if isinstance(p, str) else str(p) for p in paragraphs]
    kept = candidate_quotations(paragraphs)
    if not kept:
        return []
    index = NameIndex(paragraphs)
    result: list[Quotation] = []
    last_named: str | None = None
    last_any: str | None = None
    prev_para = -1
    prev_end = 0
    prev_speaker: str | None = None
    for spans, open_at, close_at in kept:
        p0 = spans[0][0]
        pl, sl, el = spans[-1]
        first_text = paragraphs[p0]
        last_text = paragraphs[pl]
        floor = prev_end if prev_para == p0 else 0
        same_para_speaker = prev_speaker if prev_para == p0 else None
        pos = (p0, open_at)
        subject = None
        if close_at is not None:
            subject = attribution_after(last_text, close_at, last_text[sl:el], index)
            nxt = paragraphs[pl + 1] if pl + 1 < len(paragraphs) else ""
            if subject is None and close_at + 1 >= content_end(last_text):
                subject = attribution_after(" " + nxt, 0, "", index) if DASH_RE.match(nxt) else None
        if subject is None:
            subject = attribution_before(first_text, open_at, floor, index)
        at_start = open_at <= content_start(first_text)
        if subject is None and at_start and p0 > 0:
            prev_text = paragraphs[p0 - 1].rstrip()
            if prev_text.endswith(":"):
                subject = attribution_before(prev_text, len(prev_text), 0, index)
        speaker: str | None = None
        if subject is not None:
            kind, value = subject
            if kind == "name":
                speaker = value
            elif kind == "pronoun":
                speaker = context_subject(first_text, floor, open_at, index, any_name=True)
                speaker = speaker or same_para_speaker
                if (
                    speaker is None
                    and at_start
                    and p0 > 0
                    and not MARK_RE.search(paragraphs[p0 - 1])
                ):
                    prev_text = paragraphs[p0 - 1]
                    speaker = context_subject(prev_text, 0, len(prev_text), index, True)
                speaker = speaker or (last_any if value == "it" else last_named)
            else:
                speaker = index.role_name(value, pos) or value
                if speaker == value:
                    last_any = speaker
        else:
            speaker = same_para_speaker or context_subject(
                first_text, floor, open_at, index, any_name=False
            )
        if speaker is not None and (subject is None or subject[0] != "role" or speaker != value):
            speaker = index.full_name(speaker, pos)
            last_named = speaker
        if speaker is not None:
            last_any = speaker
        mention = subject[1] if subject is not None else None
        for p, s, e in spans:
            result.append(Quotation(paragraphs[p][s:e], speaker, p, s, e, mention))
        prev_para, prev_end, prev_speaker = (
            pl,
            (close_at + 1 if close_at is not None else el),
            speaker,
        )
    return result
