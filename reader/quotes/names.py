"""Names in an article: capitalized runs, titles, roles, and resolving short forms.

Owns ``NameIndex`` (every full name and role link of an article, by position) and the
helpers that split a capitalized run into titles and name words.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.quotes.lexicon import (
    ARTICLES,
    FIRST_NAMES,
    NAME_RUN,
    ORG_WORDS,
    PARTICLE_SET,
    PLACE_WORDS,
    PRONOUNS,
    ROLE_WORDS,
    STOP_LEAD,
    TITLES,
    TOK,
    VERBS,
)


@dataclass(frozen=True, slots=True)
class _NamePatterns:
    """Regexes built on the uppercase-letter class; compiled on first use (costly to compile)."""

    name_at: re.Pattern[str]
    described_name: re.Pattern[str]
    caption: re.Pattern[str]
    token: re.Pattern[str]
    role_at: re.Pattern[str]
    place_role_name: re.Pattern[str]
    statement_by: re.Pattern[str]
    appositive: re.Pattern[str]


@functools.cache
def rx() -> _NamePatterns:
    return _NamePatterns(
        name_at=re.compile(rf"(?<![\w’'])(?:{NAME_RUN})"),
        described_name=re.compile(
            rf"(?:(?!the\b|a\b|an\b)[a-z][\w\-]*\s+){{1,4}}(?P<name>{NAME_RUN})"
        ),
        caption=re.compile(rf"\s*(?P<name>{NAME_RUN})\s*(?:,[^.!?]*)?\.?\s*$"),
        token=re.compile(TOK),
        role_at=re.compile(
            rf"(?P<art>the|a|an|The|A|An|my|our|one\s+of\s+the)\s+(?P<role>{ROLE_WORDS})"
            rf"(?:,\s+(?P<name>{NAME_RUN}))?"
        ),
        place_role_name=re.compile(
            rf"(?:{TOK}\s+){{1,3}}(?:(?!(?:and|or|in|at|of|on|for|from|to|with|by|who|said|says)\b)"
            rf"[a-z][\w\-]*\s+){{1,3}}(?P<name>{NAME_RUN})"
        ),
        statement_by=re.compile(
            rf"\s*(?:[Ii]n\s+)?(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Ii]ts)\s+(?:[\w-]+\s+){{0,3}}"
            rf"statement\b[^.!?]{{0,80}}?\b(?:by|from)\s+(?:the\s+)?(?P<name>{NAME_RUN})"
        ),
        appositive=re.compile(rf"\s*(?P<name>{NAME_RUN}),\s.*,\s*$"),
    )


@functools.cache
def _link_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Appositive patterns (``the minister, Karl Weber,`` / ``Ana Rossi, the mayor``)."""
    return (
        re.compile(
            rf"\b(?:the|The|a|A|an|its|his|her|their)\s+(?P<role>{ROLE_WORDS}),\s+"
            rf"(?P<name>{NAME_RUN})(?=\s*[,.;)\u2014]|\s+{VERBS}\b)"
        ),
        re.compile(
            rf"(?P<name>{NAME_RUN}),\s+(?:the|a|an|its|his|her|their)\s+(?P<role>{ROLE_WORDS})"
            rf"(?=\s*[,.;)\u2014]|\s*$)"
        ),
    )


# ------------------------------------------------------------------------------- names


def clean_run(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalized run into (title words, name words), dropping leading stop words."""
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in STOP_LEAD:
        tokens = tokens[1:]
    last_title = -1
    for i, tok in enumerate(tokens):
        if tok.lower() in TITLES or tok.lower().rstrip(".") in TITLES:
            last_title = i
    if last_title == len(tokens) - 1 and last_title > 0 and tokens[-2].lower() in FIRST_NAMES:
        last_title = -1  # Stephen King, Jane Guard: the last word is a surname
    return tokens[: last_title + 1], tokens[last_title + 1 :]


def _head_noun(role: str) -> str:
    words = role.lower().split()
    for i, w in enumerate(words):
        if w in ("of", "for", "at", "in", "to") and i > 0:
            return words[i - 1]
    return words[-1] if words else ""


def _role_keys(role: str) -> list[str]:
    words = role.lower().split()
    while words and words[0] in ARTICLES:
        words = words[1:]
    if not words:
        return []
    full = " ".join(words)
    head = _head_noun(full)
    return [full, head] if head != full else [full]


class NameIndex:
    """Full names, role→name links and known name words found in the article, by position."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self._paragraphs = paragraphs
        self._names: dict[str, tuple[list[tuple[int, int]], list[str]]] = {}
        self._roles: dict[str, tuple[list[tuple[int, int]], list[str]]] = {}
        self._links_scanned = False
        self._mentions: list[tuple[tuple[int, int], str]] = []  # people, in reading order
        self._votes: dict[str, list[int]] = {}  # full name -> [she, he] pronouns after it
        self._title_gender: dict[str, str] = {}
        self._orgs: list[tuple[tuple[int, int], str]] = []  # organisations, in reading order
        for p, text in enumerate(paragraphs):
            self._scan(p, text)

    @staticmethod
    def _add(table: dict, key: str, pos: tuple[int, int], value: str) -> None:
        positions, values = table.setdefault(key, ([], []))
        positions.append(pos)
        values.append(value)

    @staticmethod
    def _latest(table: dict, key: str, pos: tuple[int, int]) -> str | None:
        entry = table.get(key)
        if not entry:
            return None
        i = bisect.bisect_left(entry[0], pos)
        return entry[1][i - 1] if i > 0 else None

    def _scan(self, p: int, text: str) -> None:
        for m in rx().name_at.finditer(text):
            run = m.group().split()
            if (
                m.start() == 0
                and all(t.isupper() for t in run)
                and _DATELINE_RE.match(text, m.end())
            ):
                continue  # NEW YORK — (a dateline)
            titles, name = clean_run(run)
            if not name:
                continue
            full = " ".join(name)
            pos = (p, m.start())
            person_like = is_person_like(name)
            if person_like and len(significant(name)) >= 2:
                self._add(self._names, name[0], pos, full)
                self._add(self._names, name[-1], pos, full)
            if titles:
                phrase = " ".join(titles).lower()
                for key in {phrase, titles[-1].lower().rstrip(".")}:
                    self._add(self._roles, key, pos, full)
            lead = text[max(0, m.start() - 40) : m.start()].rstrip()
            pre = lead.rsplit(None, 1)[-1].lower() if lead else ""
            if pre in TITLES:  # spokesman Zhao Lijian
                self._add(self._roles, pre, pos, full)
            if person_like:
                self._note_person(text, m.end(), name, titles, pos)
            elif is_org_like(name):
                self._orgs.append((pos, full))

    def _note_person(
        self, text: str, end: int, name: list[str], titles: list[str], pos: tuple[int, int]
    ) -> None:
        """Remember a mention of a person (for pronouns) and the pronoun that follows it."""
        words = significant(name)
        if len(words) >= 2:
            person = " ".join(name)
        else:
            known = self._latest(self._names, words[0], pos) if words else None
            if known is None:
                return
            person = known
        self._mentions.append((pos, person))
        title = titles[0].lower().rstrip(".") if titles else ""
        if title in _TITLE_GENDER:
            self._title_gender.setdefault(person, _TITLE_GENDER[title])
        m = _PRONOUN_AFTER_RE.search(text, end, min(len(text), end + 120))
        if m:
            votes = self._votes.setdefault(person, [0, 0])
            votes[0 if m.group().lower() in ("she", "her", "hers") else 1] += 1

    def gender(self, person: str) -> str | None:
        """``"f"``, ``"m"`` or ``None`` (unknown) for a full name seen in the article."""
        if person in self._title_gender:
            return self._title_gender[person]
        first = person.split()[0].lower()
        if first in FIRST_NAMES:
            return FIRST_NAMES[first]
        she, he = self._votes.get(person, (0, 0))
        if she > he:
            return "f"
        if he > she:
            return "m"
        return None

    def recent_person(self, pos: tuple[int, int], gender: str | None) -> str | None:
        """The person mentioned last before ``pos`` whose gender fits: among the last few
        mentions one known to fit comes first, then one whose gender is unknown."""
        i = bisect.bisect_left(self._mentions, (pos, ""))
        recent = [self._mentions[k][1] for k in range(i - 1, max(-1, i - 60), -1)]
        if gender is not None:
            for person in recent[:8]:
                if self.gender(person) == gender:
                    return person
        for person in recent:
            if gender is None or self.gender(person) in (None, gender):
                return person
        return None

    def recent_org(self, pos: tuple[int, int]) -> str | None:
        """The organisation named last before ``pos`` (for "it said")."""
        i = bisect.bisect_left(self._orgs, (pos, ""))
        return self._orgs[i - 1][1] if i > 0 else None

    def fits(self, person: str, gender: str | None) -> bool:
        """Whether ``person`` can be the ``he`` or ``she`` of ``gender`` (and is a person)."""
        if " and " in person or not is_person_like(person.split()):  # not two people
            return False
        return gender is None or self.gender(person) in (None, gender)

    def _scan_links(self) -> None:
        """Appositive role links (``the minister, Karl Weber,``); only needed for roles."""
        self._links_scanned = True
        for p, text in enumerate(self._paragraphs):
            for rx in _link_rx():
                for m in rx.finditer(text):
                    _, name = clean_run(m.group("name").split())
                    for key in _role_keys(m.group("role")) if name else ():
                        entry = self._roles.setdefault(key, ([], []))
                        k = bisect.bisect_right(entry[0], (p, m.start()))
                        entry[0].insert(k, (p, m.start()))
                        entry[1].insert(k, " ".join(name))

    def full_name(self, name: str, pos: tuple[int, int]) -> str:
        """The latest full name before ``pos`` that ``name`` (one word) is part of."""
        words = significant(name.split())
        if len(words) != 1:
            return name
        return self._latest(self._names, words[0], pos) or name

    def role_name(self, role: str, pos: tuple[int, int]) -> str | None:
        """The name an earlier appositive or title tied ``role`` to, if any."""
        if not self._links_scanned:
            self._scan_links()
        for key in _role_keys(role):
            found = self._latest(self._roles, key, pos)
            if found:
                return found
        return None

    def plausible(self, name: list[str]) -> bool:
        """Whether capitalized words look like a person's name rather than a sentence opener."""
        words = significant(name)
        if len(words) >= 2:
            return True
        if len(words) != 1:
            return False
        word = words[0]
        if word.lower() in STOP_LEAD or word.lower() in PRONOUNS:
            return False
        return word in self._names  # part of a full name seen in the article

    def is_known_person(self, word: str) -> bool:
        """Whether ``word`` is part of a person's full name seen in the article."""
        return word in self._names


_DATELINE_RE = re.compile(r"\s*(?:[\u2014\u2013-]|\(|,)")
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f"}
_PRONOUN_AFTER_RE = re.compile(r"\b(?:he|his|she|her|hers)\b", re.IGNORECASE)


def is_person_like(name: list[str]) -> bool:
    """Whether capitalized words can be a person's name: no organisation or place word, no
    sentence opener first, no all-capital word (READ MORE, AFN, U.S.)."""
    words = significant(name)
    if not words or words[0].lower() in STOP_LEAD:
        return False
    for word in name:
        bare = word.lower().strip(".’'")
        if bare in ORG_WORDS or bare in PLACE_WORDS or bare in PRONOUNS:
            return False
        if len(word) > 1 and word.rstrip("s").isupper() and not (len(word) == 2 and word[1] == "."):
            return False  # READ MORE, AFN, U.S., MPs
    return True


def is_org_like(name: list[str]) -> bool:
    """Whether capitalized words name an organisation (BC Hydro, the U.S. State Department)."""
    words = significant(name)
    if not words or words[0].lower() in STOP_LEAD:
        return False
    return any(w.lower().strip(".’'") in ORG_WORDS for w in name) or (
        len(words) == 1 and len(words[0]) >= 2 and words[0].isupper()
    )


def significant(name: list[str]) -> list[str]:
    """The name words that are not particles (de, van, al, …)."""
    return [t for t in name if t.lower() not in PARTICLE_SET]


def _is_name_token(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or tok[0].istitle()) and bool(rx().token.fullmatch(tok))


def normalise_role(words: list[str]) -> str:
    if words and words[0].lower() in ARTICLES:
        words = [words[0].lower(), *words[1:]]
    return " ".join(words)


def trailing_run(tokens: list[str]) -> int:
    """Index where the trailing run of capitalized words (particles allowed) starts."""
    i = len(tokens)
    while i > 0:
        tok = tokens[i - 1]
        particle = tok.lower() in PARTICLE_SET and i < len(tokens) and _is_name_token(tokens[i])
        if not (particle or _is_name_token(tok)):
            break
        i -= 1
    while i < len(tokens) and not _is_name_token(tokens[i]):  # no leading lowercase particle
        if tokens[i][0].islower():
            break
        i += 1
    return i
