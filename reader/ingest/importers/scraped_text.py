"""The plain-text importer, built for text copied or scraped from news pages.

Owns: ``parse_text``. A scraped page usually starts with junk (a run of menu/icon labels,
"Advertisement", "Share", breadcrumbs), then a date line, the headline, a one-sentence deck,
often the headline again, and then the body. This module recognises that shape by what the
lines look like (never by one site's words) and returns the headline as the title, the date
as ``published``, the deck as ``summary`` and only the body paragraphs as Markdown. Text
without that shape imports with its first line as the title and the rest as the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reader.ingest.importers.dates import find_date_line
from reader.ingest.importers.decoding import normalize_text
from reader.models import ParsedArticle

__all__ = ["is_junk_line", "is_menu_line", "parse_text", "split_paragraphs"]

_STOPWORD_TEXT = """a an the and or but nor of to in on at by for from with without into onto over under
    as is are was were be been being am has have had do does did will would can could shall
    should may might must not no so than that this these those it its it's he she they we you
    i his her their our your my me him them us who whom whose which what when where why how
    after before about against between during through up down out off again then there here
    all any both each few more most other some such only own same too very just says said
    if while because until also amid"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Generic interface labels that appear as lines of their own in copied pages.
_LABEL_TEXT = """advertisement|advertisements|advert|ad|ads|sponsored|sponsored content|promoted|
    paid content|partner content|share|share this|share this article|share this story|
    share article|share on facebook|share on twitter|share on x|share via email|tweet|email|
    e mail|print|comments|comment|view comments|show comments|menu|main menu|open menu|
    close menu|toggle navigation|navigation|search|subscribe|subscribe now|sign in|sign up|
    log in|login|log out|logout|register|my account|account|skip to content|
    skip to main content|skip navigation|skip to navigation|close|home|follow|follow us|
    read more|read next|continue reading|listen|listen to this article|listen to article|
    save|save article|saved|bookmark|copy link|link copied|copied|more|next|previous|back|
    back to top|top|watch|watch live|live|newsletter|newsletters|loading|accept|
    accept cookies|cookie settings|manage cookies|story continues below|
    story continues below advertisement|scroll to continue|scroll to continue with content|
    advertisement scroll to continue|trending|trending now|latest|latest news|most read|
    most popular|related|related articles|related stories|related content|you may also like|
    recommended|recommended for you|more stories|more on this story|top stories|
    breaking news|skip advert|skip ad|report an error|gift this article|give this article|
    play video|video|audio|photo|photos|gallery|image|images|font size|text size|
    a a|aa|a a a|zoom|expand|collapse|open|close ad|remove ads|sections|topics|
    contact us|about us|privacy policy|terms of use|terms of service|cookie policy|
    facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|flipboard|messenger|x|
    share on linkedin|share on whatsapp|share on reddit|open in app|get the app"""
_LABELS = frozenset(" ".join(label.split()) for label in _LABEL_TEXT.split("|"))

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
_SEPARATORS = re.compile(r"\s+[|›»>/·•–—-]\s+|\s*[|›»·•]\s*")
_READING_TIME = re.compile(
    r"^(?:reading time:?\s*)?(?:about\s+)?\d+\s*(?:-\s*\d+\s*)?"
    r"(?:min|mins|minute|minutes)(?:\s+(?:read|reading|listen))?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|story by|reporting by|author:?)\s+(?P<name>.+)$", re.IGNORECASE
)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.\-]*|and|&|de|da|del|van|von|der|den|la|le|al|bin)$")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved", re.IGNORECASE)
_FOLLOW = re.compile(r"^(?:follow|like|join)\s+(?:us|me)\b", re.IGNORECASE)
_TAGS_LINE = re.compile(r"^(?:tags|topics|filed under|more on)\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+\S")
_LONG = 1000  # longer lines are prose, never chrome
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(slots=True)
class _Line:
    text: str
    block: int  # lines with the same block number had no blank line between them


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_menu_line(text: str) -> bool:
    """True for a run of short menu/icon labels: no sentence punctuation, few stopwords."""
    if len(text) > _LONG:
        return False
    tokens = text.split()
    if len(tokens) < 4 or re.search(r"[.?!;:,\"“”]", text):
        return False
    if any(len(token) > 25 for token in tokens):
        return False
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) >= 3 and all(len(part.split()) <= 4 for part in parts):
        return True  # "News | Sport | Weather", "Home › World › Europe"
    words = [word.casefold() for word in _words(text)]
    if not words:
        return True
    stops = sum(word in _STOPWORDS for word in words)
    lower = sum(not token[:1].isupper() for token in tokens)
    upper = len(tokens) - lower
    # Labels share one case; a sentence-case headline starts upper and goes on lower.
    uniform = upper >= 0.85 * len(tokens) or (
        not tokens[0][:1].isupper() and lower >= 0.85 * len(tokens)
    )
    if len(tokens) >= 20 and stops <= 0.08 * len(words):
        return True
    if len(tokens) >= 10 and uniform and stops <= 0.1 * len(words):
        return True
    return len(tokens) >= 6 and stops == 0 and uniform


def _is_label(text: str) -> bool:
    if len(text) > 200:
        return False
    key = " ".join(_norm(text).split())
    if key in _LABELS:
        return True
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) >= 2 and all(" ".join(_norm(part).split()) in _LABELS for part in parts):
        return True
    words = key.split()  # "Share Tweet LinkedIn Email Print"
    return 2 <= len(words) <= 10 and all(word in _LABELS for word in words)


def _is_breadcrumb(text: str) -> bool:
    if len(text) > _LONG or re.search(r"[.?!;]\s*$", text):
        return False
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) < 2 or not all(1 <= len(part.split()) <= 4 for part in parts):
        return False
    return len(parts) >= 3 or _norm(parts[0]) in _LABELS


def is_junk_line(text: str) -> bool:
    """True for page chrome: menus, breadcrumbs, interface labels, reading times."""
    stripped = text.strip()
    if not stripped:
        return True
    if not _WORD.search(stripped):
        return True  # only symbols: "•••", "|", ">"
    return (
        _is_label(stripped)
        or bool(_READING_TIME.match(stripped))
        or is_menu_line(stripped)
        or _is_breadcrumb(stripped)
    )


def _byline(text: str) -> str | None:
    match = _BYLINE.match(text.strip())
    if match is None:
        return None
    name = match["name"].split(",")[0].strip()
    tokens = name.split()
    if not 1 <= len(tokens) <= 6 or not all(_NAME_WORD.match(token) for token in tokens):
        return None
    if not tokens[0][:1].isupper():
        return None
    return name.rstrip(".") if not re.search(r"\b[A-Z]\.$", name) else name


def _metadata(text: str) -> tuple[str | None, str | None] | None:
    """``(date, author)`` when the line is only a date, a byline, reading time or labels."""
    if len(text) > _LONG:
        return None
    date = find_date_line(text)
    if date:
        return date, None
    author = _byline(text)
    if author:
        return None, author
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) < 2:
        return None
    found_date = found_author = None
    for part in parts:
        if (day := find_date_line(part)) is not None:
            found_date = found_date or day
        elif (name := _byline(part)) is not None:
            found_author = found_author or name
        elif not (_is_label(part) or _READING_TIME.match(part)):
            return None
    if found_date is None and found_author is None:
        return None
    return found_date, found_author


def _title_like(text: str) -> bool:
    if len(text) > 300:
        return False
    words = _words(text)
    return 1 <= len(words) <= 40 and len(text) <= 300


def _sentences(text: str) -> int:
    return len(_SENTENCE_BREAK.findall(text.strip())) + 1


def _find_repeat(lines: list[_Line], limit: int = 12) -> tuple[int, int] | None:
    """``(first, again)``: a title-like line repeated within the next few lines."""
    for first in range(min(limit, len(lines))):
        text = lines[first].text
        if not _title_like(text) or len(_words(text)) < 2 or is_junk_line(text):
            continue
        key = _norm(text)
        for again in range(first + 1, min(first + 5, len(lines))):
            if _norm(lines[again].text) == key:
                return first, again
    return None


def _escape(text: str) -> str:
    """Keep plain text from turning into Markdown headings or code fences."""
    if text.startswith(("#", "```", "~~~")):
        return "\\" + text
    if re.fullmatch(r"[=\-_*]{3,}", text.replace(" ", "")):
        return "\\" + text
    return text


def _wrapped(texts: list[str]) -> bool:
    """True when the lines of a block are one hard-wrapped paragraph, not one per line."""
    if len(texts) < 2:
        return False
    head = texts[:-1]
    if max(len(text) for text in head) > 100:
        return False
    open_ends = sum(not _SENTENCE_END.search(text) for text in head)
    return open_ends * 2 >= len(head)


def split_paragraphs(lines: list[tuple[str, int]]) -> list[str]:
    """Paragraphs from ``(line, block)`` pairs: blocks split at blank lines; inside a block,
    hard-wrapped lines are joined and lines that are each a full sentence stay apart."""
    paragraphs: list[str] = []
    blocks: list[list[str]] = []
    last_block: int | None = None
    for text, block in lines:
        if block != last_block or _LIST_ITEM.match(text):
            blocks.append([])  # a list item always starts its own paragraph
            last_block = block
        blocks[-1].append(" ".join(text.split()))
    for texts in blocks:
        if _wrapped(texts):
            current: list[str] = []
            for text in texts:
                current.append(text)
                if _SENTENCE_END.search(text) and len(text) < 0.6 * max(map(len, texts)):
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
        else:
            paragraphs.extend(texts)
    return [_escape(paragraph) for paragraph in paragraphs if paragraph]


def _to_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            block += 1
            continue
        lines.append(_Line(stripped, block))
    return lines


def _short_title(text: str) -> str:
    first = _SENTENCE_BREAK.split(text, maxsplit=1)[0]
    if len(first) <= 120:
        return first.rstrip(".")
    return first[:100].rsplit(" ", 1)[0] + "…"


class _Header:
    """What the top of the text said: title, date, author, deck, where the body starts."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.published: str | None = None
        self.author: str | None = None
        self.summary: str | None = None
        self.chrome = False  # junk or metadata was seen: the text has a page's shape

    def take_meta(self, line: _Line) -> bool:
        meta = _metadata(line.text)
        if meta is not None:
            date, author = meta
            self.published = self.published or date
            self.author = self.author or author
            self.chrome = True
            return True
        if is_junk_line(line.text):
            self.chrome = True
            return True
        return False


_TIME_ONLY = re.compile(
    r"^(?:updated\s*:?\s*)?(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
    r"(?:\s+[A-Z]{1,4})?$",
    re.IGNORECASE,
)


def _is_paragraph(text: str) -> bool:
    """A line that is clearly article prose: long, or several sentences, and ends like one."""
    if not _SENTENCE_END.search(text[-20:]):
        return False
    text = text[:2000]
    count = len(_words(text))
    return count >= 25 or (count >= 12 and _sentences(text) >= 2)


def _name_like(text: str) -> bool:
    tokens = text.split()
    return (
        2 <= len(tokens) <= 3
        and len(text) <= 30
        and all(token[:1].isupper() and _NAME_WORD.match(token) for token in tokens)
        and not any(token.casefold() in _STOPWORDS for token in tokens)
    )


def _headline_before(lines: list[_Line], start: int, paragraph: int, header: _Header) -> int | None:
    """Walk back from the first prose line over dates, bylines, labels and a deck to the
    headline; used when a page's chrome sits between the top and the article."""
    deck: str | None = None
    found: int | None = None
    for index in range(paragraph - 1, max(start, paragraph - 12) - 1, -1):
        text = lines[index].text
        if _metadata(text) is not None or is_junk_line(text) or _TIME_ONLY.match(text):
            continue
        count = len(_words(text))
        if (
            deck is None
            and found is None
            and _sentences(text) == 1
            and 6 <= count <= 50
            and _SENTENCE_END.search(text)
            and not text.endswith(("?", "!"))
        ):
            deck = text
            continue
        if _title_like(text) and count >= 2 and not re.search(r"[.,;:]$", text):
            found = index
            if not _name_like(text):
                break
    if found is None:
        return None
    for line in lines[found + 1 : paragraph]:
        header.take_meta(line)
    header.title = lines[found].text
    header.summary = deck
    header.chrome = True
    return found


def _read_header(lines: list[_Line]) -> tuple[_Header, int]:
    header = _Header()
    repeat = _find_repeat(lines)
    if repeat is not None:
        first, again = repeat
        for line in lines[:first]:
            if not header.take_meta(line):
                header.chrome = True
        header.title = lines[first].text
        between = [line for line in lines[first + 1 : again] if not header.take_meta(line)]
        if between:
            header.summary = " ".join(line.text for line in between)
        position = again + 1
    else:
        position = 0
        while position < len(lines) and position < 30 and header.take_meta(lines[position]):
            position += 1
        if position >= len(lines):
            return header, len(lines)
        candidate = lines[position]
        if not _title_like(candidate.text) or _sentences(candidate.text) > 2:
            header.title = _short_title(candidate.text)
            return header, position  # no headline: the first line stays in the body
        header.title = candidate.text
        paragraph = next(
            (i for i in range(position + 1, min(len(lines), 600)) if _is_paragraph(lines[i].text)),
            None,
        )
        if paragraph is not None:
            gap = lines[position + 1 : paragraph]
            noisy = sum(is_junk_line(line.text) and _metadata(line.text) is None for line in gap)
            if (len(gap) > 6 or noisy >= 2) and _headline_before(
                lines, position, paragraph, header
            ) is not None:
                return header, paragraph
        position += 1
        while position < len(lines) and header.take_meta(lines[position]):
            position += 1
        if header.chrome and position < len(lines) - 1:
            deck = lines[position]
            after = position + 1
            followed_by_meta = _metadata(lines[after].text) is not None
            if (
                _sentences(deck.text) == 1
                and 3 <= len(_words(deck.text)) <= 40
                and len(deck.text) <= 300
                and (
                    not _SENTENCE_END.search(deck.text)
                    or deck.block == candidate.block
                    or followed_by_meta
                )
                and (followed_by_meta or deck.block != lines[after].block)
            ):
                header.summary = deck.text
                position += 1
    while position < len(lines) and header.take_meta(lines[position]):
        position += 1
    return header, position


def _trim_tail(lines: list[_Line]) -> tuple[list[_Line], list[str]]:
    tags: list[str] = []
    while lines:
        text = lines[-1].text
        tag_match = _TAGS_LINE.match(text)
        if tag_match and not tags:
            tags = [tag.strip() for tag in re.split(r"[,;|]", tag_match["tags"]) if tag.strip()]
        elif not (
            is_junk_line(text)
            or _COPYRIGHT.search(text)
            or _FOLLOW.match(text)
            or _metadata(text) is not None
        ):
            break
        lines = lines[:-1]
    return lines, tags


def parse_text(
    text: str, *, url: str | None = None, source_path: str | None = None
) -> ParsedArticle:
    """Turn plain (possibly scraped) text into a ``ParsedArticle``."""
    lines = _to_lines(normalize_text(text))
    if not lines:
        return ParsedArticle(title="Untitled", markdown="", url=url, source_path=source_path)
    header, position = _read_header(lines)
    body = lines[position:]
    title_key = _norm(header.title or "")
    body = [
        line
        for index, line in enumerate(body)
        if not (_is_label(line.text) or is_menu_line(line.text))
        and not (
            title_key and index < 3 and len(line.text) <= 300 and _norm(line.text) == title_key
        )
    ]
    body, tags = _trim_tail(body)
    if header.title is None:  # everything was chrome: keep the text rather than lose it
        header.title = _short_title(lines[0].text)
        body = lines[1:]
    paragraphs = split_paragraphs([(line.text, line.block) for line in body])
    return ParsedArticle(
        title=" ".join(header.title.split()),
        markdown="\n\n".join(paragraphs),
        author=header.author,
        url=url,
        published=header.published,
        summary=header.summary,
        tags=tags,
        source_path=source_path,
        source_format="text",
    )
