"""Attribution: the speech verb and its subject next to one quotation.

Owns ``attribution_after`` / ``attribution_before`` (the words after a closing mark or
before an opening one), and ``context_subject`` / ``speech_subject`` / ``person_about`` (who
a stretch of text is about). Subjects are parsed by ``subjects``; resolved by ``resolve``.
"""

from __future__ import annotations

import re

from reader.quotes.lexicon import (
    ABBREVIATIONS,
    INV_VERBS,
    TITLES,
    VERB_RE,
    VERBS,
)
from reader.quotes.names import (
    NameIndex,
    clean_run,
    is_person_like,
    rx,
    significant,
)
from reader.quotes.subjects import (
    POSSESSIVE_PRONOUN,
    Subject,
    subject_after_verb,
    subject_before_verb,
)

_AFTER_INVERTED_RE = re.compile(rf"[\s,\u2014\u2013’'-]*(?:(?:{INV_VERBS})|according\s+to)\s+")
_AFTER_SUBJECT_RE = re.compile(
    rf"[\s,\u2014\u2013’'-]*(?P<subj>[^!?;:\n\"“”«»„]{{1,160}}?)\s+(?P<verb>{VERBS})\b"
)
_STATEMENT_READ_RE = re.compile(
    r"[\s,\u2014\u2013-]*(?P<who>[^.!?;:\n\"“”«»„]{1,60}?)(?:’s|'s)?\s+"
    r"(?:(?:written|e-?mailed|emailed|prepared|brief)\s+)?statement\s+(?:read|said|stated)\b"
)
_NEW_SENTENCE_IN_REGION = re.compile(r"\b[a-z]{3,}\.\s")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]+[\"”’)\]]*\s+")

_BEFORE_WINDOW = 300
_AFTER_WINDOW = 200
_MAX_VERB_TO_QUOTE = 160

DASH_RE = re.compile(r"\s*[\u2014\u2015\u2013]\s*")


def attribution_after(text: str, end: int, quoted: str, index: NameIndex) -> Subject | None:
    """The attribution following a closing mark at ``end`` (``Zhao told``, ``said X``)."""
    window = text[end + 1 : end + 1 + _AFTER_WINDOW]
    if not window.strip():
        return None
    m = DASH_RE.match(window)
    if m and m.end() < len(window) and window[m.end()].isupper():  # “…” — Ana Rossi
        return subject_after_verb(window, m.end())
    m = rx().caption.match(window)  # a pull quote's caption: “…” Ana Rossi, mayor
    if m and len(window) < _AFTER_WINDOW and not VERB_RE.search(window):
        _, name = clean_run(m.group("name").split())
        if name and (len(significant(name)) >= 2 or index.plausible(name)):
            return ("name", " ".join(name))
    first = window.lstrip(" \t,\u2014\u2013-")
    if first[:1] in ".!?":
        return None
    # a quotation ending in a full stop is followed by a new sentence unless lowercase follows
    if (
        quoted.rstrip().endswith(".")
        and not quoted.rstrip().endswith("...")
        and not (first[:1].islower())
    ):
        return None
    m = _AFTER_INVERTED_RE.match(window)
    if m:
        subj = subject_after_verb(window, m.end())
        if subj:
            return subj
    m = _STATEMENT_READ_RE.match(window)  # “…,” her statement read
    if m:
        who = m.group("who").strip()
        if who.lower() in POSSESSIVE_PRONOUN:
            return ("pronoun", POSSESSIVE_PRONOUN[who.lower()])
        return subject_before_verb(who, index)
    m = _AFTER_SUBJECT_RE.match(window)
    if m and m.group("verb").split()[0] != "according":
        region = m.group("subj")
        words = region.split()
        if not words or _NEW_SENTENCE_IN_REGION.search(region) or words[0] in _CLAUSE_OPENERS:
            return None  # “…,” while X said …: another clause, about another statement
        if len(words) > 10:  # Ana Rossi, a long description of her, said
            a = rx().appositive.match(region)
            if a is None:
                return None
            _, name = clean_run(a.group("name").split())
            return ("name", " ".join(name)) if name and is_person_like(name) else None
        return subject_before_verb(region, index)
    return None


def _sentence_starts(window: str) -> list[int]:
    """Offsets where sentences start in ``window`` (0 first), skipping abbreviations."""
    starts = [0]
    for m in _SENTENCE_BREAK_RE.finditer(window):
        word = window[max(0, m.start() - 24) : m.start()].rsplit(None, 1)
        last = word[-1].lower() if word else ""
        last = last.lstrip('("“')
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        if _ACRONYM_RE.fullmatch(last):  # U.S.
            continue
        starts.append(m.end())
    return starts


def _inverted_subject_shape(rest: str) -> bool:
    """Whether the words after a verb are its subject alone (``adds Al Basha.``, ``says the
    owner,``) rather than the rest of a clause (``said he drove …``)."""
    words = _SUBJECT_END_RE.split(rest, 1)[0].split()
    if not words or len(words) > 6:
        return False
    return words[-1][:1].isupper() or words[0].lower() in ("the", "a", "an")


_CLAUSE_OPENERS = {
    *("and", "but", "while", "whereas", "although", "though", "as", "after", "before"),
    *("when", "because", "since", "if", "until", "unless", "even"),
}


_ROLE_THEN_NAME_RE = re.compile(r"\s+([a-z][\w\-]*)\s+[^\W\d_]")
_SUBJECT_END_RE = re.compile(r"[,.;:!?“\"(\u2014]")
_INVERSION_CUES = set(',\u2014\u2013"”»')
_INVERTIBLE_RE = re.compile(INV_VERBS)
_ACRONYM_RE = re.compile(r"(?:[a-z]\.)+[a-z]")
_PASSIVE_RE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$")


def attribution_before(text: str, open_at: int, floor: int, index: NameIndex) -> Subject | None:
    """The attribution in the sentence before an opening mark (``Yellen told X, “``)."""
    lo = max(floor, open_at - _BEFORE_WINDOW)
    window = text[lo:open_at]
    if not window.strip():
        return None
    return _verb_subject(window[_sentence_starts(window)[-1] :], index, to_end=True)


def _verb_subject(sentence: str, index: NameIndex, to_end: bool) -> Subject | None:
    """The subject of the last speech verb in ``sentence``."""
    last = None
    for m in VERB_RE.finditer(sentence):
        last = m
    if last is None or (to_end and len(sentence) - last.end() > _MAX_VERB_TO_QUOTE):
        return None
    if _PASSIVE_RE.search(sentence, 0, last.start()):  # "was said to", "is described as"
        return None
    if last.group().lower().startswith("according"):
        rest = sentence[last.end() :]
        return subject_after_verb(rest, len(rest) - len(rest.lstrip()))
    before = sentence[: last.start()].rstrip()
    rest = sentence[last.end() :]  # …, adds Al Basha. / …, asks editor Jen Ditch, “
    if (
        before[-1:] in _INVERSION_CUES
        and _INVERTIBLE_RE.fullmatch(last.group())
        and _inverted_subject_shape(rest)
    ):
        subject = subject_after_verb(rest, len(rest) - len(rest.lstrip()))
        if subject is not None and subject[0] != "pronoun":
            return subject
    return subject_before_verb(before, index)


def _sentences_back(text: str, lo: int, hi: int, limit: int = 0) -> list[str]:
    """The sentences of ``text[lo:hi]`` (at most its last 1,500 characters), nearest ``hi``
    first; only the ``limit`` nearest when given."""
    lo = max(lo, hi - _CONTEXT_WINDOW)
    window = text[lo:hi]
    starts = _sentence_starts(window)
    ends = [*starts[1:], len(window)]
    sentences = [window[s:e] for s, e in zip(starts, ends, strict=True)][::-1]
    return sentences[:limit] if limit else sentences


def context_subject(text: str, lo: int, hi: int, index: NameIndex, any_name: bool) -> str | None:
    """A person the text between ``lo`` and ``hi`` is about, nearest sentence first.

    A sentence counts when a name is the subject of a speech verb in it (``Brekke said the
    fleets …``), or, with ``any_name``, when it mentions a plausible name at all (``Tomas Berg,
    who runs a shop, was blunt.``).
    """
    for sentence in _sentences_back(text, lo, hi):
        subject = _verb_subject(sentence, index, to_end=False)
        if subject is not None and subject[0] == "name":
            return subject[1]
        if not any_name:
            continue
        for m in rx().name_at.finditer(sentence):
            before = sentence[max(0, m.start() - 6) : m.start()].split()
            if before and before[-1].lower() in _NOT_BEFORE_PERSON:  # the Millbrook, in May
                continue
            _, name = clean_run(m.group().split())
            if name and index.plausible(name):
                return " ".join(name)
    return None


_CONTEXT_WINDOW = 1500
_NOT_BEFORE_PERSON = {"the", "a", "an", "in", "at", "on", "of", "from", "into", "near", "its"}
_NOT_BEFORE_PERSON |= {"unlike", "with", "by", "to", "and", "like", "than"}


def speech_subject(text: str, lo: int, hi: int, index: NameIndex) -> Subject | None:
    """The subject of the speech verb in the sentence nearest ``hi`` that has one.

    Looks back over at most a few sentences of ``text[lo:hi]``: ``Howell says she wants …``
    gives Howell, ``He said the business …`` gives the pronoun.
    """
    for sentence in _sentences_back(text, lo, hi, limit=4):
        marks = [m.start() for m in _MARK_IN_SENTENCE.finditer(sentence)]
        if marks:  # only what follows the quotation: …,” said Nicholson in an email.
            sentence = sentence[marks[-1] :]
        subject = _verb_subject(sentence, index, to_end=False)
        if subject is not None:
            return subject
    return None


_MARK_IN_SENTENCE = re.compile(r"[\"“”«»„]")


def person_about(
    text: str, lo: int, hi: int, index: NameIndex, gender: str | None, pos: tuple[int, int]
) -> str | None:
    """The person the nearest sentence of ``text[lo:hi]`` is about: the subject of a speech
    verb, else its first name that can be a person of ``gender``."""
    for sentence in _sentences_back(text, lo, hi):
        if sentence.split()[:1] in (["He"], ["She"]):
            continue  # about someone named before: its other names are not the "he"
        subject = _verb_subject(sentence, index, to_end=False)
        if subject is not None and subject[0] == "pronoun":
            continue  # "Schumer, he said,": the names are what "he" talks about
        if (
            subject is not None
            and subject[0] == "name"
            and index.fits(index.full_name(subject[1], pos), gender)
        ):
            return subject[1]
        for m in rx().name_at.finditer(sentence):
            before = sentence[max(0, m.start() - 6) : m.start()].split()
            if before and before[-1].lower() in _NOT_BEFORE_PERSON:  # the Millbrook, in May
                continue
            role = _ROLE_THEN_NAME_RE.match(sentence, m.end())
            if role and role.group(1) in TITLES:  # Falcons coach Dana Whitfield
                continue
            _, name = clean_run(m.group().split())
            if (
                name
                and index.plausible(name)
                and index.fits(index.full_name(" ".join(name), pos), gender)
            ):
                return " ".join(name)
    return None
