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

    def speaker(self, spot: _Spot, subject: tuple[str, str] | None) -> tuple[str | None, bool]:
        """The speaker of the quotation at ``spot`` whose own attribution is ``subject``, and
        whether it is a person's name (rather than a role left as written)."""
        if subject is None:
            speaker = self.unattributed(spot)
            return speaker, speaker is not None
        kind, value = subject
        if kind == "name":
            return value, True
        if kind == "pronoun" and value in _GENDER:
            speaker = self.pronoun(spot, _GENDER[value])
            return speaker, speaker is not None
        text = self.paragraphs[spot.paragraph]
        if kind == "pronoun" and value == "it":  # an organisation
            same = spot.same_para
            org = same if same and is_org_like(same.split()) else None
            return org or self.organisation(spot) or self.index.recent_org(spot.pos), False
        if kind == "pronoun":  # they: a group, or people named together
            speaker = context_subject(text, spot.floor, spot.open_at, self.index, any_name=True)
            speaker = speaker or spot.same_para
            if speaker is None and (spot.at_start or spot.floor == 0):
                speaker = self.carried(spot.paragraph)
            speaker = speaker or self.last_any
            return speaker, speaker is not None and speaker != self.last_any
        if _is_document(value):  # “…,” the statement continued. / A statement said “…”
            speaker = spot.same_para or self.carried(spot.paragraph)
            speaker = context_subject(text, spot.floor, spot.open_at, self.index, False) or speaker
            return speaker or value, speaker is not None
        return self.role(spot, value)

    def organisation(self, spot: _Spot) -> str | None:
        """For "it said": the subject of a speech verb just before, if not a person
        (``Facebook told employees it is "working closely"``)."""
        text = self.paragraphs[spot.paragraph]
        subject = context_subject(text, spot.floor, spot.open_at, self.index, False)
        words = subject.split() if subject else []
        if len(words) == 1 and not self.index.is_known_person(words[0]):
            return subject
        return None

    def unattributed(self, spot: _Spot) -> str | None:
        """A quotation with no attribution of its own: the speaker the text carries."""
        text = self.paragraphs[spot.paragraph]
        p0 = spot.paragraph
        speaker = spot.same_para or context_subject(
            text, spot.floor, spot.open_at, self.index, False
        )
        if speaker is None and not spot.at_start and spot.floor == 0:
            speaker = person_about(text, 0, spot.open_at, self.index, None, spot.pos)
        if speaker is None:
            speaker = self.carried(p0)
        if speaker is None and spot.at_start and p0 > 0 and p0 - 1 not in self.quoted:
            prev = self.paragraphs[p0 - 1]  # a quotation-only paragraph after one about X
            speaker = person_about(prev, 0, len(prev), self.index, None, (p0 - 1, 0))
        return speaker

    def pronoun(self, spot: _Spot, gender: str) -> str | None:
        """``he`` or ``she``: the nearest person of that gender the text is about."""
        text = self.paragraphs[spot.paragraph]
        p0 = spot.paragraph
        speaker = person_about(text, spot.floor, spot.open_at, self.index, gender, spot.pos)
        speaker = speaker or self.fitting(spot.same_para, gender)
        if speaker is None and spot.at_start and p0 > 0 and p0 - 1 not in self.quoted:
            prev = self.paragraphs[p0 - 1]  # “…,” she said, after a paragraph about her
            if speech_subject(prev, 0, len(prev), self.index) is None:
                speaker = person_about(prev, 0, len(prev), self.index, gender, (p0 - 1, 0))
        if speaker is None and (spot.at_start or spot.floor == 0):
            speaker = self.carried(p0, gender)
        return speaker or self.index.recent_person(spot.pos, gender)

    def role(self, spot: _Spot, role: str) -> tuple[str, bool]:
        """ "the minister": the person a title or appositive tied it to; a definite role of
        one person ("the affable proprietor") the person the text is about; else as written."""
        speaker = self.index.role_name(role, spot.pos)
        definite = role.split()[0].lower() in ("the", "his", "her", "their")
        if speaker is None and definite and not _is_group(role):
            text = self.paragraphs[spot.paragraph]
            speaker = (
                person_about(text, spot.floor, spot.open_at, self.index, None, spot.pos)
                or self.carried(spot.paragraph)
                or self.index.recent_person(spot.pos, None)
            )
        return speaker or role, speaker is not None


@dataclass(frozen=True, slots=True)
class _Spot:
    """Where a quotation opens, and what the paragraph so far says about it."""

    paragraph: int
    open_at: int
    floor: int  # where the text about this quotation starts (after the previous one)
    same_para: str | None  # the previous quotation's speaker, if in the same paragraph
    at_start: bool  # the quotation opens its paragraph

    @property
    def pos(self) -> tuple[int, int]:
        return (self.paragraph, self.open_at)


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
        pl, _, el = spans[-1]
        floor = prev_end if prev_para == p0 else 0
        spot = _Spot(
            p0,
            open_at,
            floor,
            prev_speaker if prev_para == p0 else None,
            open_at <= content_start(paragraphs[p0]),
        )
        subject = _local_subject(paragraphs, index, spans, open_at, close_at, floor)
        speaker, named = art.speaker(spot, subject)
        if speaker is not None and named:
            speaker = index.full_name(speaker, spot.pos)
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
    return len(words) == 2 and words[0] in ("the", "a", "an") and words[1] in _DOCUMENTS


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
