"""``find_quotations``: quotations with their speakers resolved over the whole article.

A quotation's own attribution (``said X``, ``X told …, “``) comes first. A short name becomes
the fullest form used earlier (Zhao → Zhao Lijian), a role the person an appositive or title
tied it to, ``he``/``she`` the nearest fitting person (the subject of a speech verb nearby,
the speaker being carried, the last person named). A quotation with no attribution takes the
speaker carried over from the quotations and paragraphs before it, as news writing does.
Unresolved pronouns give no speaker rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.quotes.attribution import (
    DASH_RE,
    attribution_after,
    attribution_before,
    context_subject,
    person_about,
    speech_subject,
)
from reader.quotes.lexicon import ORG_WORDS
from reader.quotes.marks import candidate_quotations, content_end, content_start
from reader.quotes.model import Quotation
from reader.quotes.names import NameIndex, is_org_like

_GENDER = {"he": "m", "she": "f"}
_CARRY_PARAGRAPHS = 3  # how far back a speaker is carried over quotation-less paragraphs


@dataclass(slots=True)
class _Article:
    """What resolution needs to know about the article read so far."""

    paragraphs: list[str]
    index: NameIndex
    quoted: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    """paragraph -> (end of its last quotation, that quotation's speaker)."""
    current: str | None = None  # the speaker being carried
    current_para: int = -1
    last_any: str | None = None  # last speaker of any kind (for "it said")

    def carried(self, p0: int, gender: str | None = None) -> str | None:
        """The speaker carried into paragraph ``p0`` from the paragraphs before it."""
        for k in range(p0 - 1, max(-1, p0 - 1 - _CARRY_PARAGRAPHS), -1):
            text = self.paragraphs[k]
            last = self.quoted.get(k)
            lo = last[0] if last else 0
            subject = speech_subject(text, lo, len(text), self.index)
            if last is not None and (subject is None or subject[0] != "name"):
                return self.fitting(last[1], gender)  # “…,” X said (in a statement).
            if subject is None and last is None:  # Coach Dana Whitfield praised her players.
                about = person_about(text, 0, len(text), self.index, gender, (k, 0))
                if about is not None:
                    return self.index.full_name(about, (k, len(text)))
            if subject is not None:
                kind, value = subject
                if kind == "name":
                    return self.fitting(self.index.full_name(value, (k, lo)), gender)
                if kind == "pronoun" and value in _GENDER:
                    return self.fitting(self.current, gender or _GENDER[value])
                if kind == "role":
                    named = self.index.role_name(value, (k, len(text)))
                    if named:
                        return self.fitting(named, gender)
                    if not _is_group(value):
                        return None  # "the official told reporters": someone unnamed
        if self.current_para >= p0 - 1 - _CARRY_PARAGRAPHS:
            return self.fitting(self.current, gender)
        return None

    def fitting(self, person: str | None, gender: str | None) -> str | None:
        if person is None or gender is None:
            return person
        return person if self.index.fits(person, gender) else None


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
    art = _Article(paragraphs, index)
    result: list[Quotation] = []
    prev_para = -1
    prev_end = 0
    prev_speaker: str | None = None
    for spans, open_at, close_at in kept:
        p0 = spans[0][0]
        pl, sl, el = spans[-1]
        first_text = paragraphs[p0]
        floor = prev_end if prev_para == p0 else 0
        same_para = prev_speaker if prev_para == p0 else None
        pos = (p0, open_at)
        at_start = open_at <= content_start(first_text)
        subject = _local_subject(paragraphs, index, spans, open_at, close_at, floor)
        speaker: str | None = None
        named = False  # whether the speaker is a person's name (not a role left as is)
        if subject is None:
            speaker = same_para or context_subject(first_text, floor, open_at, index, False)
            if speaker is None and not at_start and prev_para != p0:
                speaker = person_about(first_text, 0, open_at, index, None, pos)
            if speaker is None:
                speaker = art.carried(p0)
            if speaker is None and at_start and p0 > 0 and p0 - 1 not in art.quoted:
                prev = paragraphs[p0 - 1]  # a quotation-only paragraph after one about X
                speaker = person_about(prev, 0, len(prev), index, None, (p0 - 1, 0))
            named = speaker is not None
        elif subject[0] == "name":
            speaker, named = subject[1], True
        elif subject[0] == "pronoun" and subject[1] in _GENDER:
            gender = _GENDER[subject[1]]
            speaker = person_about(first_text, floor, open_at, index, gender, pos)
            speaker = speaker or art.fitting(same_para, gender)
            if speaker is None and at_start and p0 > 0 and p0 - 1 not in art.quoted:
                prev = paragraphs[p0 - 1]  # “…,” she said, after a paragraph about her
                if speech_subject(prev, 0, len(prev), index) is None:
                    speaker = person_about(prev, 0, len(prev), index, gender, (p0 - 1, 0))
            if speaker is None and (at_start or floor == 0):
                speaker = art.carried(p0, gender)
            speaker = speaker or index.recent_person(pos, gender)
            named = speaker is not None
        elif subject[0] == "pronoun" and subject[1] == "it":  # an organisation
            speaker = same_para if same_para and is_org_like(same_para.split()) else None
            speaker = speaker or index.recent_org(pos)
        elif subject[0] == "pronoun":  # they: a group, or people named together
            speaker = context_subject(first_text, floor, open_at, index, any_name=True)
            speaker = speaker or same_para or art.last_any
            named = speaker is not None and speaker != art.last_any
        elif _is_document(subject[1]):  # “…,” the statement continued.
            speaker = same_para or art.carried(p0)
            named = speaker is not None
            speaker = speaker or subject[1]
        else:  # a role: "the minister", "the 39-year-old founder"
            speaker = index.role_name(subject[1], pos)
            definite = subject[1].split()[0].lower() in ("the", "his", "her", "their")
            if speaker is None and definite and not _is_group(subject[1]):
                speaker = (
                    person_about(first_text, floor, open_at, index, None, pos)
                    or art.carried(p0)
                    or index.recent_person(pos, None)
                )
            named = speaker is not None
            speaker = speaker or subject[1]
        if speaker is not None and named:
            speaker = index.full_name(speaker, pos)
            art.current, art.current_para = speaker, pl
        if speaker is not None:
            art.last_any = speaker
        mention = subject[1] if subject is not None else None
        for p, s, e in spans:
            result.append(Quotation(paragraphs[p][s:e], speaker, p, s, e, mention))
        prev_end = close_at + 1 if close_at is not None else el
        prev_para, prev_speaker = pl, speaker
        art.quoted[pl] = (prev_end, speaker)
    return result


def _is_group(role: str) -> bool:
    """A role naming an organisation or a group rather than one person."""
    words = role.lower().split()
    if not words or words[-1] in ORG_WORDS or words[-1] in _ORG_ROLES:
        return True
    return words[-1].endswith("s") and not words[-1].endswith("ss")


def _is_document(role: str) -> bool:
    words = role.lower().split()
    return len(words) == 2 and words[0] == "the" and words[1] in _DOCUMENTS


_DOCUMENTS = {"statement", "release", "email", "e-mail", "letter", "post", "tweet", "memo"}
_ORG_ROLES = {"utility", "firm", "agency", "department", "ministry", "statement", "report"}


def _local_subject(
    paragraphs: list[str],
    index: NameIndex,
    spans: list[tuple[int, int, int]],
    open_at: int,
    close_at: int | None,
    floor: int,
) -> tuple[str, str] | None:
    """The quotation's own attribution: after it, before it, or a paragraph ending in ':'."""
    p0 = spans[0][0]
    pl, sl, el = spans[-1]
    first_text = paragraphs[p0]
    last_text = paragraphs[pl]
    subject = None
    if close_at is not None:
        subject = attribution_after(last_text, close_at, last_text[sl:el], index)
        nxt = paragraphs[pl + 1] if pl + 1 < len(paragraphs) else ""
        if subject is None and close_at + 1 >= content_end(last_text) and DASH_RE.match(nxt):
            subject = attribution_after(" " + nxt, 0, "", index)
    if subject is None:
        subject = attribution_before(first_text, open_at, floor, index)
    if subject is None and open_at <= content_start(first_text) and p0 > 0:
        prev_text = paragraphs[p0 - 1].rstrip()
        if prev_text.endswith(":"):
            subject = attribution_before(prev_text, len(prev_text), 0, index)
    return subject
