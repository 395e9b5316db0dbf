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
``-tag:NAME``          the article does not have this tag.
``site:NAME``          NAME occurs in the article's site (``site:nytimes``).
``author:NAME``        NAME occurs in the article's author (``author:"ada love"``).
``is:bookmarked``      also ``is:unread``, ``is:read``, ``has:highlights``; any unique
                       prefix works (``is:b``, ``is:un``). ``-is:read`` is ``is:unread``
                       and ``-is:unread`` is ``is:read``.
=====================  =============================================================

Several terms are combined with AND. An unknown ``foo:bar`` (or ``is:nonsense``) is read as
plain words. Terms still being typed (``tag:``, a lone ``-``, ``-"...``) are ignored, and so
are negations the language cannot express (``-site:x``, ``-is:bookmarked``). ``parse_query``
never raises.
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


@dataclass(frozen=True)
class Query:
    """A parsed filter. Words, phrases, tags, sites and authors are stored folded."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # each phrase is its folded words joined by one space
    tags: tuple[str, ...] = ()
    not_tags: tuple[str, ...] = ()
    not_words: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()  # subset of FLAGS
    sites: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when the query restricts nothing (every article matches)."""
        return not (
            self.words
            or self.phrases
            or self.tags
            or self.not_tags
            or self.not_words
            or self.flags
            or self.sites
            or self.authors
        )

    def has_metadata_terms(self) -> bool:
        """True when the query has flags, tags, sites or authors."""
        return bool(self.flags or self.tags or self.not_tags or self.sites or self.authors)

    def describe(self) -> str:
        """Return the normalized query text, e.g. ``'tag:x is:unread "a b" word'``.

        ``parse_query(q.describe()) == q`` holds for every ``q`` that ``parse_query`` returns.
        """
        parts: list[str] = []
        parts += [f"tag:{_quote_value(t)}" for t in self.tags]
        parts += [f"-tag:{_quote_value(t)}" for t in self.not_tags]
        parts += [f"site:{_quote_value(s)}" for s in self.sites]
        parts += [f"author:{_quote_value(a)}" for a in self.authors]
        parts += [f"{_FLAG_PREFIX[f]}{f}" for f in FLAGS if f in self.flags]
        parts += [f'"{p}"' for p in self.phrases]
        parts += list(self.words)
        parts += [f"-{w}" for w in self.not_words]
        return " ".join(parts)


def _quote_value(value: str) -> str:
    return f'"{value}"' if " " in value else value


class _Builder:
    """Collects terms while parsing, dropping repeats but keeping first-seen order."""

    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {
            k: [] for k in ("words", "phrases", "tags", "not_tags", "not_words", "sites", "authors")
        }
        self.flags: set[str] = set()

    def add(self, kind: str, value: str) -> None:
        bucket = self.lists[kind]
        if value and value not in bucket:
            bucket.append(value)

    def add_words(self, kind: str, text: str) -> None:
        for token in tokenize(text):
            self.add(kind, token)

    def build(self) -> Query:
        lists = {k: tuple(v) for k, v in self.lists.items()}
        return Query(flags=frozenset(self.flags), **lists)


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
        if colon and key in (*_VALUE_KEYS, "is", "has"):
            if not value and i < n and text[i] == '"':
                value, i = _read_quoted(text, i)
            value = " ".join(value.split())
            if not value:
                continue  # "tag:" still being typed
            if key in _VALUE_KEYS:
                if key == "tag":
                    out.add("not_tags" if negated else "tags", value)
                elif not negated:
                    out.add("sites" if key == "site" else "authors", value)
                continue
            flag = _flag_for(key, value)
            if flag is not None:
                if not negated:
                    out.flags.add(flag)
                elif flag in _NEGATED_FLAG:
                    out.flags.add(_NEGATED_FLAG[flag])
                continue
            run = f"{key} {value}"  # unknown flag value: plain words
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
    if query.tags or query.not_tags:
        tags = {fold_value(t) for t in article.tags}
        if any(t not in tags for t in query.tags) or any(t in tags for t in query.not_tags):
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
