"""Subjects: who the words around a speech verb name.

Owns ``subject_before_verb`` (``White House Press Secretary Jen Psaki has repeatedly``,
``Marta Kowalczyk, the chief engineer,``) and ``subject_after_verb`` (``said Ana Rossi, the
mayor``). A subject is ``(kind, text)`` with kind ``name``, ``role`` or ``pronoun``.
"""

from __future__ import annotations

import functools
import re

from reader.quotes.lexicon import ARTICLES, AUX, BREAK_WORDS, NAME_RUN, PRONOUNS, STOP_LEAD
from reader.quotes.names import NameIndex, clean_run, normalise_role, rx, trailing_run

Subject = tuple[str, str]
"""``(kind, text)``: kind is ``name``, ``role`` or ``pronoun``."""

_PRONOUN_AT_RE = re.compile(r"(?P<p>he|she|they|it|He|She|They)\b")
_CLAUSE_SPLIT_RE = re.compile(r"[,;:()\u2014\u2013]")
_PARTY_STATE_RE = re.compile(r"[A-Z]-[A-Z][A-Za-z.]{0,5}")

_RELATIVE = {"who", "which", "whose", "whom", "where", "when", "that"}
_PREPOSITIONS = {"of", "at", "for", "from", "in", "with", "on", "by", "to", "near", "into", "about"}
POSSESSIVE_PRONOUN = {"his": "he", "her": "she", "its": "it", "their": "they"}


def _parse_part(tokens: list[str]) -> Subject | None:
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
        if name and before == "and" and i >= 2:  # Tore Sohlberg and Lehla Abreder said
            k = trailing_run(tokens[: i - 1])
            _, first = clean_run(tokens[k : i - 1])
            if len(first) >= 2:
                return ("name", f"{' '.join(first)} and {' '.join(name)}")
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


def subject_before_verb(region: str, index: NameIndex) -> Subject | None:
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
    role: Subject | None = None
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


def _leading_name(text: str, index: NameIndex) -> Subject | None:
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


def subject_after_verb(text: str, pos: int) -> Subject | None:
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


@functools.cache
def _apposed_name_rx() -> re.Pattern[str]:
    return re.compile(rf"(?:\s+[a-z][\w\-]*){{1,4}},\s+(?P<name>{NAME_RUN})")
