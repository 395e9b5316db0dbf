"""The search query language: parsing a filter string into a ``Query``, and metadata matching.

Owns ``Query``, ``parse_query`` and ``matches_metadata``. Text matching against article words
lives in ``reader.search.index``; the word definition lives in ``reader.text.tokens``.

Syntax (all matching is case- and accent-insensitive; the whole text is folded first):

=====================  =============================================================
``word``               every word must match, as a *prefix* of a word of the title,
                       summary, author, site, tags or body (``tram`` finds ``trams``).
                       ``e-mail`` is the two words ``e`` and ``mail``.
``"exact phrase"``     the words in this order, as whole words, with only spaces or
                       punctuation between them, in the title, summary or body.
                       An unclosed quote takes the rest of the text as the phrase.
``-word``              exclude articles containing this whole word (not a prefix).
``tag:NAME``           the article has this tag (whole tag). ``tag:"two words"`` quotes.
``tag:A,B``            the article has any of these tags (``tag:a tag:b``: both).
``-tag:NAME``          the article does not have this tag (``-tag:a,b``: none of them).
``site:NAME``          NAME occurs in the article's site (``site:nytimes``).
``author:NAME``        NAME occurs in the article's author (``author:"ada love"``).
``is:bookmarked``      also ``is:unread``, ``is:read``, ``has:highlights``; any unique
                       prefix works (``is:b``, ``is:un``). ``-is:read`` is ``is:unread``
                       and ``-is:unread`` is ``is:read``.
=====================  =============================================================

Several terms are combined with AND. An unknown operator (``is:nonsense``, ``has:bar``,
``title:x``: a key of letters before the colon) matches nothing and restricts nothing: it is
kept in ``Query.unknown`` for the caller to report ("unknown filter is:foo"); other text
with a colon (``10:30``, ``http://…``) is plain words. Terms still being typed (``tag:``, a
lone ``-``, ``-"...``) are ignored, and so are negations the language cannot express
(``-site:x``, ``-is:bookmarked``). ``parse_query`` never raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.models import Article
from reader.text.tokens import fold, fold_value, tokenize

__all__ = ["FLAGS", "Query", "matches_metadata", "parse_query"]

#: The flags a query can require, in the order ``describe`` writes them.
FLAGS: tuple[str, ...] = ("bookmarked", "unread", "read", "highlights")

_IS_VALUES = {
    "bookmarked": "bookmarked",
    "unread": "unread",
    "read": "read",
    "highlighted": "highlights",
}
_HAS_VALUES = {"highlights": "highlights"}
_FLAG_PREFIX = {"bookmarked": "is:", "unread": "is:", "read": "is:", "highlights": "has:"}
_NEGATED_FLAG = {"read": "unread", "unread": "read"}
_VALUE_KEYS = ("tag", "site", "author")
KNOWN_OPERATORS = "tag: site: author: is:bookmarked is:unread is:read has:highlights"


@dataclass(frozen=True)
class Query:
    """A parsed filter. Words, phrases, tags, sites and authors are stored folded."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # each phrase is its folded words joined by one space
    tags: tuple[str, ...] = ()
    tag_groups: tuple[tuple[str, ...], ...] = ()  # each: any of these tags (``tag:a,b``)
    not_tags: tuple[str, ...] = ()
    not_words: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()  # subset of FLAGS
    sites: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # operators not understood, as typed (folded): "is:foo"

    def is_empty(self) -> bool:
        """True when the query restricts nothing (every article matches)."""
        return not (
            self.words
            or self.phrases
            or self.tags
            or self.tag_groups
            or self.not_tags
            or self.not_words
            or self.flags
            or self.sites
            or self.authors
        )

    def has_metadata_terms(self) -> bool:
        """True when the query has flags, tags, sites or authors."""
        return bool(
            self.flags
            or self.tags
            or self.tag_groups
            or self.not_tags
            or self.sites
            or self.authors
        )

    def describe(self) -> str:
        """Return the normalized query text, e.g. ``'tag:x is:unread "a b" word'``.

        ``parse_query(q.describe()) == q`` holds for every ``q`` that ``parse_query`` returns.
        """
        parts: list[str] = []
        parts += [f"tag:{_quote_value(t)}" for t in self.tags]
        parts += ["tag:" + ",".join(map(_quote_value, group)) for group in self.tag_groups]
        parts += [f"-tag:{_quote_value(t)}" for t in self.not_tags]
        parts += [f"site:{_quote_value(s)}" for s in self.sites]
        parts += [f"author:{_quote_value(a)}" for a in self.authors]
        parts += [f"{_FLAG_PREFIX[f]}{f}" for f in FLAGS if f in self.flags]
        parts += [f'"{p}"' for p in self.phrases]
        parts += list(self.words)
        parts += [f"-{w}" for w in self.not_words]
        parts += list(self.unknown)
        return " ".join(parts)

    def problem(self) -> str | None:
        """One line naming the operators not understood, or ``None``."""
        if not self.unknown:
            return None
        return f"unknown filter {', '.join(self.unknown)} (known: {KNOWN_OPERATORS})"


def _quote_value(value: str) -> str:
    return f'"{value}"' if " " in value or "," in value else value


class _Builder:
    """Collects terms while parsing, dropping repeats but keeping first-seen order."""

    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {
            k: []
            for k in (
                "words",
                "phrases",
                "tags",
                "not_tags",
                "not_words",
                "sites",
                "authors",
                "unknown",
            )
        }
        self.flags: set[str] = set()
        self.tag_groups: list[tuple[str, ...]] = []

    def add_tags(self, values: list[str], *, negated: bool) -> None:
        """``tag:a`` / ``tag:a,b`` (any of them) / ``-tag:a,b`` (none of them)."""
        values = list(dict.fromkeys(v for v in values if v))
        if negated or len(values) == 1:
            for value in values:
                self.add("not_tags" if negated else "tags", value)
        elif values and tuple(values) not in self.tag_groups:
            self.tag_groups.append(tuple(values))

    def add(self, kind: str, value: str) -> None:
        bucket = self.lists[kind]
        if value and value not in bucket:
            bucket.append(value)

    def add_words(self, kind: str, text: str) -> None:
        for token in tokenize(text):
            self.add(kind, token)

    def build(self) -> Query:
        lists = {k: tuple(v) for k, v in self.lists.items()}
        return Query(flags=frozenset(self.flags), tag_groups=tuple(self.tag_groups), **lists)


def _flag_for(key: str, value: str) -> str | None:
    """Map ``is:``/``has:`` values (or unique prefixes of them) to a flag name."""
    table = _IS_VALUES if key == "is" else _HAS_VALUES
    if value in table:
        return table[value]
    found = {flag for name, flag in table.items() if name.startswith(value)}
    return found.pop() if len(found) == 1 else None


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """``text[start]`` is a quote: return the quoted text and the index after it."""
    end = text.find('"', start + 1)
    if end < 0:
        return text[start + 1 :], len(text)
    return text[start + 1 : end], end + 1


def _read_run(text: str, start: int) -> tuple[str, int]:
    """Return the run of characters up to whitespace or a quote, and the index after it."""
    i = start
    n = len(text)
    while i < n and text[i] != '"' and not text[i].isspace():
        i += 1
    return text[start:i], i


def _read_tag_values(text: str, i: int, run_value: str) -> tuple[list[str], int]:
    """The tags of a ``tag:`` term whose unquoted start (up to a quote or a space) is
    ``run_value`` and which goes on at ``i``: comma separated, each one may be quoted
    (``tag:"two words",b``). Returns the tags (spaces collapsed) and the index after."""
    n = len(text)
    raw = run_value
    while i < n and text[i] == '"' and (not raw or raw.endswith(",")):
        quoted, i = _read_quoted(text, i)
        raw += quoted.replace(",", "\0")  # a comma inside quotes is part of the tag
        if i < n and text[i] == ",":
            more, i = _read_run(text, i)
            raw += more
    values = [" ".join(v.replace("\0", ",").split()) for v in raw.split(",")]
    return [v for v in values if v], i


def parse_query(text: str) -> Query:
    """Parse a filter string. Never raises; see the module docstring for the syntax."""
    if not isinstance(text, str):
        return Query()
    text = fold(text)
    out = _Builder()
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch == "-"
        if negated:
            i += 1
            if i >= n:
                break
            if text[i] == '"':  # "-" before a phrase: not supported, drop the phrase
                _, i = _read_quoted(text, i)
                continue
        elif ch == '"':
            phrase, i = _read_quoted(text, i)
            out.add("phrases", " ".join(tokenize(phrase)))
            continue
        run, i = _read_run(text, i)
        key, colon, value = run.partition(":")
        if colon and key == "tag":
            values, i = _read_tag_values(text, i, value)
            out.add_tags(values, negated=negated)
            continue
        if colon and key in (*_VALUE_KEYS, "is", "has"):
            if not value and i < n and text[i] == '"':
                value, i = _read_quoted(text, i)
            value = " ".join(value.split())
            if not value:
                continue  # "tag:" still being typed
            if key in _VALUE_KEYS:
                if not negated:
                    out.add("sites" if key == "site" else "authors", value)
                continue
            flag = _flag_for(key, value)
            if flag is not None:
                if not negated:
                    out.flags.add(flag)
                elif flag in _NEGATED_FLAG:
                    out.flags.add(_NEGATED_FLAG[flag])
                continue
            out.add("unknown", f"{'-' if negated else ''}{key}:{_quote_value(value)}")
            continue
        if colon and value and key.isalpha() and len(key) > 1 and not value.startswith("//"):
            out.add("unknown", f"{'-' if negated else ''}{key}:{value}")  # "title:x"
            continue
        out.add_words("not_words" if negated else "words", run)
    return out.build()


def _article_flags(article: Article) -> set[str]:
    flags = {"read" if article.read else "unread"}
    if article.bookmarked:
        flags.add("bookmarked")
    if article.highlight_count > 0:
        flags.add("highlights")
    return flags


def matches_metadata(query: Query, article: Article) -> bool:
    """True if ``article`` satisfies the query's flags, tags, sites and authors.

    Words and phrases are not looked at (that needs the body: see ``SearchIndex``).
    """
    if query.flags and not query.flags <= _article_flags(article):
        return False
    if query.tags or query.not_tags or query.tag_groups:
        tags = {fold_value(t) for t in article.tags}
        if any(t not in tags for t in query.tags) or any(t in tags for t in query.not_tags):
            return False
        if not all(any(t in tags for t in group) for group in query.tag_groups):
            return False
    if query.sites:
        site = fold_value(article.site)
        if any(s not in site for s in query.sites):
            return False
    if query.authors:
        author = fold_value(article.author)
        if any(a not in author for a in query.authors):
            return False
    return True
