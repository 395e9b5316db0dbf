"""Attribution: the speech verb and its subject next to one quotation.

Owns ``attribution_after`` / ``attribution_before`` (the words after a closing mark or
before an opening one) and ``context_subject`` (who a stretch of text is about). A subject
is ``(kind, text)`` with kind ``name``, ``role`` or ``pronoun``; resolution is elsewhere.
"""

from __future__ import annotations

import functools
import re

from reader.quotes.lexicon import (
    ABBREVIATIONS,
    ARTICLES,
    AUX,
    BREAK_WORDS,
    INV_VERBS,
    NAME_RUN,
    PRONOUNS,
    STOP_LEAD,
    TITLES,
    VERB_RE,
    VERBS,
)
from reader.quotes.names import (
    NameIndex,
    clean_run,
    is_person_like,
    normalise_role,
    rx,
    significant,
    trailing_run,
)

_AFTER_INVERTED_RE = re.compile(rf"[\s,\u2014\u2013’'-]*(?:(?:{INV_VERBS})|according\s+to)\s+")
_AFTER_SUBJECT_RE = re.compile(
    rf"[\s,\u2014\u2013’'-]*(?P<subj>[^!?;:\n\"“”«»„]{{1,160}}?)\s+(?P<verb>{VERBS})\b"
)
_STATEMENT_READ_RE = re.compile(
    r"[\s,\u2014\u2013-]*(?P<who>[^.!?;:\n\"“”«»„]{1,60}?)(?:’s|'s)?\s+"
    r"(?:(?:written|e-?mailed|emailed|prepared|brief)\s+)?statement\s+(?:read|said|stated)\b"
)
_PRONOUN_AT_RE = re.compile(r"(?P<p>he|she|they|it|He|She|They)\b")
_NEW_SENTENCE_IN_REGION = re.compile(r"\b[a-z]{3,}\.\s")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]+[\"”’)\]]*\s+")
_CLAUSE_SPLIT_RE = re.compile(r"[,;:()\u2014\u2013]")

_BEFORE_WINDOW = 300
_AFTER_WINDOW = 200
_MAX_VERB_TO_QUOTE = 160

# ------------------------------------------------------------------------------- subjects

# A subject is (kind, text) with kind in {"name", "role", "pronoun"}.
_Subject = tuple[str, str]
_RELATIVE = {"who", "which", "whose", "whom", "where", "when", "that"}
_PREPOSITIONS = {"of", "at", "for", "from", "in", "with", "on", "by", "to", "near", "into", "about"}
_POSSESSIVE_PRONOUN = {"his": "he", "her": "she", "its": "it", "their": "they"}


def _parse_part(tokens: list[str]) -> _Subject | None:
    """Parse one clause (no commas) that ends right before a speech verb."""
    if not tokens:
        return None
    i = trailing_run(tokens)
    run = tokens[i:]
    j = i - 1 if i > 0 and tokens[i - 1].lower() in ("the", "a", "an") else i
    if run and j > 0 and tokens[j - 1].lower() in _PREPOSITIONS:
        # "Jingyi Pan of IG", "a translator in Halifax", "Tim Guest with the Nova Scotia
        # Health Authority": the run is an object, not the subject
        head = tokens[: j - 1]
        if head and trailing_run(head) < len(head):
            return _parse_part(head)
        run = []
        tokens = head or tokens
    if run:
        if len(run) == 1 and run[0].lower() in PRONOUNS:
            return ("pronoun", run[0].lower())
        titles, name = clean_run(run)
        before = tokens[i - 1].lower() if i > 0 else ""
        if len(name) == 1 and name[0].lower() in STOP_LEAD and not titles:
            return None  # "Somehow", but "Ms. May" is a name
        if name and not titles and before in ARTICLES:
            art = max(k for k, t in enumerate(tokens[:i]) if t.lower() in ARTICLES)
            return ("role", normalise_role(tokens[art:]))
        if name:
            return ("name", " ".join(name))
        start = i - 1 if before in ARTICLES else i
        return ("role", normalise_role(tokens[start:]))
    if tokens[-1].lower() in PRONOUNS:
        return ("pronoun", tokens[-1].lower())
    cut = 0
    for k, tok in enumerate(tokens):
        if tok.lower() in BREAK_WORDS:
            cut = k + 1
    rest = tokens[cut:]
    if not rest:
        return None
    for k, tok in enumerate(rest):
        if tok.lower().rstrip("’'s") in ARTICLES or tok.lower() in ARTICLES:
            return ("role", normalise_role(rest[k:])) if len(rest) - k <= 7 else None
    if len(rest) <= 3 and all(t.isalpha() for t in rest):
        return ("role", " ".join(rest))
    return None


def _subject_before_verb(region: str, index: NameIndex) -> _Subject | None:
    """Parse the words right before a speech verb (``White House Press Secretary Jen Psaki``).

    The region is split into comma clauses; a relative clause (``, who runs a shop,``) is
    skipped, and a role in apposition (``Marta Kowalczyk, the chief engineer,``) gives way to
    the name before it.
    """
    m = rx().statement_by.match(region)  # A statement e-mailed … by Reagan Ruslim, …, said
    if m:
        _, name = clean_run(m.group("name").split())
        if name:
            return ("name", " ".join(name))
    tokens = region.strip(" \t,\u2014\u2013-").split()
    while tokens and (
        tokens[-1].lower() in AUX or (tokens[-1].islower() and tokens[-1].endswith("ly"))
    ):
        tokens.pop()
    text = " ".join(tokens)
    parts = [p.split() for p in _CLAUSE_SPLIT_RE.split(text)[-4:]]
    parts = [p for p in parts if p]
    role: _Subject | None = None
    parts = [p for p in parts if not _PARTY_STATE_RE.fullmatch(" ".join(p))]  # D-Mich.
    for k in range(len(parts) - 1, -1, -1):
        relative = parts[k][0].lower() in _RELATIVE - {"that"}  # that: mostly a conjunction
        part = parts[k][-10:]
        if relative and part[-1].lower() not in PRONOUNS:
            continue
        subject = _parse_part(part)
        if subject is None:
            break
        if subject[0] != "role":
            if role is not None and subject[0] != "name":
                return role
            return subject
        if role is not None:
            break
        role = subject
    if role is not None:
        return role
    return _leading_name(text, index)


def _leading_name(text: str, index: NameIndex) -> _Subject | None:
    """``Rossi called the plan a waste and said`` → Rossi (the sentence's subject)."""
    m = rx().name_at.match(text)
    if not m:
        return None
    tokens = m.group().split()
    if len(tokens) == 1 and tokens[0].lower() in PRONOUNS:
        return ("pronoun", tokens[0].lower())
    _, name = clean_run(tokens)
    if name and index.plausible(name):
        return ("name", " ".join(name))
    return None


def _subject_after_verb(text: str, pos: int) -> _Subject | None:
    """Parse the subject that follows an inverted verb: ``said Ana Rossi, the mayor``."""
    m = _PRONOUN_AT_RE.match(text, pos)
    if m:
        return ("pronoun", m.group("p").lower())
    m = rx().role_at.match(text, pos)
    if m:
        if m.group("name"):
            _, name = clean_run(m.group("name").split())
            if name:
                return ("name", " ".join(name))
        words = m.group("role").split()
        while len(words) > 1 and words[-1] in _PREPOSITIONS:
            words.pop()  # the founder of Studiocomix Press: the role is "the founder"
        return ("role", normalise_role([m.group("art"), *words]))
    m = rx().place_role_name.match(text, pos)  # says Cambridge cartoonist Andre Campbell
    if m:
        _, name = clean_run(m.group("name").split())
        if name:
            return ("name", " ".join(name))
    m = rx().name_at.match(text, pos)
    if m and text[m.end() : m.end() + 2] in ("’s", "'s"):  # says Petrova’s partner, Ivan Sokolov
        later = _apposed_name_rx().match(text, m.end() + 2)
        if later:
            _, name = clean_run(later.group("name").split())
            return ("name", " ".join(name)) if name else None
        return None
    if m:
        titles, name = clean_run(m.group().split())
        if name:
            return ("name", " ".join(name))
        if titles:
            return ("role", " ".join(titles))
    m = rx().described_name.match(text, pos)  # said branch manager Denise Okoro
    if m:
        _, name = clean_run(m.group("name").split())
        if name:
            return ("name", " ".join(name))
    return None


DASH_RE = re.compile(r"\s*[\u2014\u2015\u2013]\s*")


def attribution_after(text: str, end: int, quoted: str, index: NameIndex) -> _Subject | None:
    """The attribution following a closing mark at ``end`` (``Zhao told``, ``said X``)."""
    window = text[end + 1 : end + 1 + _AFTER_WINDOW]
    if not window.strip():
        return None
    m = DASH_RE.match(window)
    if m and m.end() < len(window) and window[m.end()].isupper():  # “…” — Ana Rossi
        return _subject_after_verb(window, m.end())
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
        subj = _subject_after_verb(window, m.end())
        if subj:
            return subj
    m = _STATEMENT_READ_RE.match(window)  # “…,” her statement read
    if m:
        who = m.group("who").strip()
        if who.lower() in _POSSESSIVE_PRONOUN:
            return ("pronoun", _POSSESSIVE_PRONOUN[who.lower()])
        return _subject_before_verb(who, index)
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
        return _subject_before_verb(region, index)
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


@functools.cache
def _apposed_name_rx() -> re.Pattern[str]:
    return re.compile(rf"(?:\s+[a-z][\w\-]*){{1,4}},\s+(?P<name>{NAME_RUN})")


_ROLE_THEN_NAME_RE = re.compile(r"\s+([a-z][\w\-]*)\s+[^\W\d_]")
_PARTY_STATE_RE = re.compile(r"[A-Z]-[A-Z][A-Za-z.]{0,5}")
_SUBJECT_END_RE = re.compile(r"[,.;:!?“\"(\u2014]")
_INVERSION_CUES = set(',\u2014\u2013"”»')
_INVERTIBLE_RE = re.compile(INV_VERBS)
_ACRONYM_RE = re.compile(r"(?:[a-z]\.)+[a-z]")
_PASSIVE_RE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$")


def attribution_before(text: str, open_at: int, floor: int, index: NameIndex) -> _Subject | None:
    """The attribution in the sentence before an opening mark (``Yellen told X, “``)."""
    lo = max(floor, open_at - _BEFORE_WINDOW)
    window = text[lo:open_at]
    if not window.strip():
        return None
    return _verb_subject(window[_sentence_starts(window)[-1] :], index, to_end=True)


def _verb_subject(sentence: str, index: NameIndex, to_end: bool) -> _Subject | None:
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
        return _subject_after_verb(rest, len(rest) - len(rest.lstrip()))
    before = sentence[: last.start()].rstrip()
    rest = sentence[last.end() :]  # …, adds Al Basha. / …, asks editor Jen Ditch, “
    if (
        before[-1:] in _INVERSION_CUES
        and _INVERTIBLE_RE.fullmatch(last.group())
        and _inverted_subject_shape(rest)
    ):
        subject = _subject_after_verb(rest, len(rest) - len(rest.lstrip()))
        if subject is not None and subject[0] != "pronoun":
            return subject
    return _subject_before_verb(before, index)


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


def speech_subject(text: str, lo: int, hi: int, index: NameIndex) -> _Subject | None:
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
