"""The Markdown importer: front matter for metadata, the first heading for the title.

Owns: ``parse_markdown`` and ``parse_front_matter``, a small safe reader for the subset of
YAML that front matter uses (``key: value``, quoted strings, ``[a, b]`` and ``- item`` lists,
``|``/``>`` blocks, comments). Nothing is ever evaluated; unknown shapes are skipped.
"""

from __future__ import annotations

import re

from reader.ingest.importers.dates import parse_date
from reader.ingest.importers.decoding import normalize_text
from reader.models import ParsedArticle

__all__ = ["parse_front_matter", "parse_markdown", "split_front_matter"]

FrontValue = str | list[str]

_OPEN = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")
# These see untrusted lines of any length: each is linear (a key is at most 80 characters;
# a heading's closing hashes are cut by ``_atx_heading``, not by a lazy pattern).
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w .-]{0,80}?)\s*+:(?:\s++(?P<value>.*))?$")
_ATX_OPEN = re.compile(r" {0,3}(#{1,6})(?:[ \t]++|$)")
_SETEXT_LINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_TAG_SPLIT = re.compile(r"[,;]")
_WORDY = re.compile(r"[^\W_]")
_TITLE_MARKUP = re.compile(r"[*_`]++|!?\[([^\[\]]*+)\]\([^()]*+\)")
_COMMENT = re.compile(r"(?<!\s)\s++#.*$")

_TITLE_KEYS = ("title", "name", "headline")
_URL_KEYS = ("url", "link", "source", "canonical", "canonical_url", "permalink", "original_url")
_AUTHOR_KEYS = ("author", "authors", "by", "byline", "creator")
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "publish_date", "created", "updated")
_TAG_KEYS = ("tags", "tag", "keywords", "categories", "category")
_SUMMARY_KEYS = ("summary", "description", "excerpt", "subtitle", "abstract", "deck")
_SITE_KEYS = ("site", "site_name", "publisher", "publication")


def split_front_matter(text: str) -> tuple[str | None, str]:
    """``(front matter text or None, body)``; front matter is fenced by ``---`` (or ``+++``)."""
    opener = _OPEN.match(text)
    if not opener:
        return None, text
    fence = text[:3]
    closers = ("---", "...") if fence == "---" else ("+++",)
    lines = text[opener.end() :].split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in closers:
            return "\n".join(lines[:index]), "\n".join(lines[index + 1 :])
    return None, text


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == "'":
            return inner.replace("''", "'")
        return (
            inner.replace('\\"', '"')
            .replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace("\\\\", "\\")
        )
    # An unquoted value ends at a comment.
    return _COMMENT.sub("", value).strip()


def _atx_heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` of an ATX heading line (``## Text ##``), else None."""
    opener = _ATX_OPEN.match(line)
    if opener is None:
        return None
    text = line[opener.end() :].rstrip(" \t")
    unclosed = text.rstrip("#")
    if unclosed != text and unclosed and unclosed[-1] in " \t":
        text = unclosed.rstrip(" \t")
    return (len(opener.group(1)), text) if text else None


def _split_flow_list(inner: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    quote = ""
    for char in inner:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [_unquote(item) for item in items if item.strip()]


def _scalar(value: str) -> FrontValue:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return _split_flow_list(value[1:-1])
    return _unquote(value)


def parse_front_matter(text: str) -> dict[str, FrontValue]:
    """Read simple YAML (or TOML ``key = value``) front matter into a dict of strings/lists.

    Keys are lower-cased. Nested mappings are skipped; values are never evaluated.
    """
    result: dict[str, FrontValue] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#") or line[:1] in " \t":
            continue
        match = _KEY.match(line.rstrip())
        if match is None and "=" in line:  # TOML front matter
            key, _, raw = line.partition("=")
            match_key, value = key.strip().strip("\"'"), raw.strip()
        elif match is None:
            continue
        else:
            match_key, value = match["key"], (match["value"] or "").strip()
        key = match_key.strip().lower()
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            block: list[str] = []
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t"):
                block.append(lines[index].strip())
                index += 1
            joiner = "\n" if value.startswith("|") else " "
            result[key] = joiner.join(block).strip()
            continue
        if value == "" or value.startswith("#"):
            items: list[str] = []
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t-"):
                item = lines[index].strip()
                index += 1
                if item.startswith("- ") or item == "-":
                    items.append(_unquote(item[1:]))
            if items:
                result[key] = [item for item in items if item]
            continue
        result[key] = _scalar(value)
    return result


def _first(meta: dict[str, FrontValue], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(item for item in value if item)
        if value and value.strip():
            return " ".join(value.split())
    return None


def _tags(meta: dict[str, FrontValue]) -> list[str]:
    for key in _TAG_KEYS:
        value = meta.get(key)
        if not value:
            continue
        raw = value if isinstance(value, list) else _TAG_SPLIT.split(value)
        tags: list[str] = []
        for item in raw:
            tag = " ".join(item.split()).lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
        return tags
    return []


def _plain_title(text: str) -> str:
    text = _TITLE_MARKUP.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split()).strip()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _take_heading(body: str) -> tuple[str | None, str]:
    """The first level-1 (else first) heading, and the body without it when it is on top."""
    lines = body.split("\n")
    in_fence = False
    first_heading: tuple[int, int, str] | None = None  # (line, line count, text)
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        atx = _atx_heading(line)
        if atx:
            candidate = (index, 1, atx[1])
            if atx[0] == 1:
                first_heading = candidate
                break
            first_heading = first_heading or candidate
            continue
        if (
            index + 1 < len(lines)
            and line.strip()
            and _SETEXT_LINE.match(lines[index + 1])
            and lines[index + 1].strip().startswith("=")
        ):
            first_heading = (index, 2, line)
            break
    if first_heading is None:
        return None, body
    index, count, text = first_heading
    title = _plain_title(text)
    before = "\n".join(lines[:index]).strip()
    if not before:  # only a heading at the top is the title to drop from the body
        return title, "\n".join(lines[index + count :])
    return title, body


def _drop_leading_title(body: str, title: str) -> str:
    """Drop a heading that repeats the front matter title at the top of the body."""
    heading, rest = _take_heading(body)
    if heading is not None and _norm(heading) == _norm(title) and rest is not body:
        return rest
    return body


def parse_markdown(
    text: str, *, url: str | None = None, source_path: str | None = None
) -> ParsedArticle:
    """Turn Markdown text into a ``ParsedArticle`` (title, metadata, body without the title)."""
    text = normalize_text(text)
    front, body = split_front_matter(text)
    meta = parse_front_matter(front) if front is not None else {}
    title = _first(meta, _TITLE_KEYS)
    if title:
        body = _drop_leading_title(body, title)
    else:
        title, body = _take_heading(body)
    if not title:
        lines = body.split("\n")
        position = next((i for i, line in enumerate(lines) if _WORDY.search(line)), None)
        first_line = lines[position].strip() if position is not None else ""
        title = _plain_title(first_line.lstrip("#>*-+ \t"))
        if len(title) > 120:
            title = title[:100].rsplit(" ", 1)[0] + "…"
        elif title and position is not None:
            body = "\n".join(lines[position + 1 :])
    published_raw = _first(meta, _DATE_KEYS)
    return ParsedArticle(
        title=title or "Untitled",
        markdown=body.strip("\n").rstrip(),
        author=_first(meta, _AUTHOR_KEYS),
        site=_first(meta, _SITE_KEYS),
        url=url or _first(meta, _URL_KEYS),
        published=parse_date(published_raw) if published_raw else None,
        summary=_first(meta, _SUMMARY_KEYS),
        tags=_tags(meta),
        source_path=source_path,
        source_format="markdown",
    )
