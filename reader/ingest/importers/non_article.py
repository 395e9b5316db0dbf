"""Text that is plainly not an article, told by its content: source code, JSON data, or a
feed. ``non_article_reason`` gives the one-line reason to refuse it, or ``None``.

Only the lines outside Markdown code fences are judged, so an article that shows some code
is still an article; a text is code when most of its lines read as code and few as prose.
"""

from __future__ import annotations

import json
import re

__all__ = ["non_article_reason"]

MIN_LINES = 5  # fewer lines than this are never judged to be code
CODE_SHARE = 0.4  # at least this share of the lines read as code ...
PROSE_SHARE = 0.25  # ... and at most this share as prose
LINE_CHARS = 200  # of each line, judged
MIN_DEFINITIONS = 3  # or this many definitions and more lines of code than of prose

_FEED_START = re.compile(
    r"\A(?:\s|<\?xml[^>]*\?>|<!--(?:[^-]|-(?!->))*-->)*+<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE,
)
_FENCED = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_START = re.compile(
    r"(?:def|class|async def|import|from [\w.]+ import|#include|#!|package|using|function"
    r"|const|let|var|fn|pub|public|private|protected|static|return|elif|except|try:|else:"
    r"|finally:|@[\w.]+)(?:\b|$)"
)
_DEFINITION = re.compile(
    r"(?:def \w+\(|async def \w+\(|class \w+[(:]|import [\w.]+$|from [\w.]+ import \w"
    r"|#include [<\"]|function \w+\(|func \w+\(|fn \w+\(|package [\w.]+;?$"
    r"|(?:public|private|protected) (?:static |final )*(?:class|void|int|[A-Z]\w*) )"
)
_CODE_END = re.compile(r"(?:[{};(\[]|\)\s*:|\)\s*\{|,\s*\\)$")
_CODE_INSIDE = re.compile(r"=>|->|::|==|!=|\+=|-=|&&|\|\||\bself\.|\bthis\.|\w\(\)|^[)}\]]")
_ASSIGNMENT = re.compile(r"^[\w.\[\]'\"]+(?::[^=]{1,40})? ?=[^=]")
_CALL = re.compile(r"^[\w.]+\(.*\)$")
_WORD = re.compile(r"[^\W\d_]{2,}")


def non_article_reason(text: str, *, html: bool = False) -> str | None:
    """Why ``text`` is not an article ("source code, not an article", ...), or ``None``.
    ``html``: the text was sniffed as HTML (then only a feed is refused: a page's scripts
    are not the page)."""
    sample = text[:65536].lstrip("\ufeff")
    if _FEED_START.match(sample):
        return "an RSS or Atom feed, not an article: subscribe with `reader add --feed`"
    if html:
        return None
    stripped = sample.strip()
    if stripped[:1] in "{[" and stripped[-1:] in "}]" and len(text) <= 65536:
        try:
            json.loads(stripped)
        except ValueError:
            pass
        else:
            return "JSON data, not an article"
    if _looks_like_code(sample):
        return "source code, not an article"
    return None


def _looks_like_code(sample: str) -> bool:
    lines = [line.strip()[:LINE_CHARS] for line in _FENCED.sub("", sample).splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "//", "/*", "*", "--"))]
    if len(lines) < MIN_LINES:
        return False
    code = sum(1 for line in lines if _is_code(line))
    prose = sum(1 for line in lines if _is_prose(line))
    if code >= CODE_SHARE * len(lines) and prose <= PROSE_SHARE * len(lines):
        return True
    # Code with long comments or docstrings: definitions at the start of their lines.
    definitions = sum(1 for line in lines if _DEFINITION.match(line))
    return definitions >= MIN_DEFINITIONS and code > prose


def _is_code(line: str) -> bool:
    return bool(
        _CODE_START.match(line)
        or _CODE_END.search(line)
        or _CODE_INSIDE.search(line)
        or _ASSIGNMENT.match(line)
        or _CALL.match(line)
    )


def _is_prose(line: str) -> bool:
    """Six words or more, mostly letters and spaces, and no code marks."""
    if len(_WORD.findall(line)) < 6:
        return False
    letters = sum(1 for c in line if c.isalpha() or c == " ")
    return letters >= 0.8 * len(line) and not _is_code(line)
