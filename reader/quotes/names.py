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
    NAME_RUN,
    PARTICLE_SET,
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


@functools.cache
def rx() -> _NamePatterns:
    return _NamePatterns(
        name_at=re.compile(NAME_RUN),
        described_name=re.compile(
            rf"(?:(?!the\b|a\b|an\b)[a-z][\w\-]*\s+){{1,4}}(?P<name>{NAME_RUN})"
        ),
        caption=re.compile(rf"\s*(?P<name>{NAME_RUN})\s*(?:,[^.!?]*)?\.?\s*$"),
        token=re.compile(TOK),
        role_at=re.compile(
            rf"(?P<art>the|a|an|The|A|An)\s+(?P<role>{ROLE_WORDS})"
            rf"(?:,\s+(?P<name>{NAME_RUN}))?"
        ),
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
            titles, name = clean_run(run)
            if not name:
                continue
            full = " ".join(name)
            pos = (p, m.start())
            lead = text[max(0, m.start() - 40) : m.start()].rstrip()
            if len(significant(name)) >= 2 and not any(t.lower() in PRONOUNS for t in name):
                self._add(self._names, name[0], pos, full)
                self._add(self._names, name[-1], pos, full)
            if titles:
                phrase = " ".join(titles).lower()
                for key in {phrase, titles[-1].lower().rstrip(".")}:
                    self._add(self._roles, key, pos, full)
            pre = lead.rsplit(None, 1)[-1].lower() if lead else ""
            if pre in TITLES:  # spokesman Zhao Lijian
                self._add(self._roles, pre, pos, full)

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


def significant(name: list[str]) -> list[str]:
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
