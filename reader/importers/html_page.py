"""The HTML page importer: a saved web page in, a clean article (Markdown) out.

Owns: ``parse_html``, which decodes and parses the page, reads its metadata, finds the
article body (readability-lxml on a pre-cleaned tree, with a whole-body fallback) and
converts only that subtree to Markdown with html2text. See docs/extraction.md.
"""

from __future__ import annotations

import contextlib
import re
from itertools import islice
from urllib.parse import urljoin

import html2text
import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from reader.errors import ImportFailed
from reader.importers.html_clean import (
    PARSER_DEPTH_LIMIT,
    clean_article,
    decode_html,
    max_depth,
    parse_document,
    strip_chrome,
    tree_text,
    visible_text,
)
from reader.importers.html_metadata import choose_title, clean_text, extract_metadata
from reader.importers.html_readability import extract_article_html
from reader.models import ParsedArticle

_MIN_WORDS = 1
_MAX_ENTITIES = 50_000
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})
_WORD = re.compile(r"[^\W_]+")


# Stand-ins for brackets inside link text (noncharacters, removed from input on parsing).
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"


def _unmark(text: str) -> str:
    """Turn the bracket stand-ins back into escaped brackets (``str.replace`` is several
    times faster than ``str.translate`` with a mapping on long text)."""
    if _OPEN in text or _CLOSE in text:
        text = text.replace(_OPEN, "\\[").replace(_CLOSE, "\\]")
    return text


class _Converter(html2text.HTML2Text):
    """html2text that escapes brackets inside link text.

    A citation link such as ``<a href="#note-2">[2]</a>`` otherwise becomes ``[[2]](url)``,
    which many Markdown readers do not take as a link, showing the URL as text.
    """

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self.astack and self.astack[-1] is not None and not (self.code or self.pre):
            data = data.replace("[", _OPEN).replace("]", _CLOSE)
        super().handle_data(data, entity_char)


def _markdown(html: str) -> str:
    """Convert an HTML fragment (already cleaned) to Markdown, unwrapped.

    html2text handles each character reference in Python, which takes seconds on a page
    made of hundreds of thousands of ``&lt;``; such input is converted as plain text.
    """
    if html.count("&") > _MAX_ENTITIES:
        try:
            fragment = lxml.html.fragment_fromstring(html, create_parent="div")
        except (lxml.etree.LxmlError, ValueError):
            return ""
        return _escape_plain(tree_text(fragment))
    converter = _Converter()
    converter.body_width = 0
    converter.unicode_snob = True
    converter.protect_links = False
    converter.single_line_break = False
    text = _tidy_lines(_unmark(converter.handle(html))).strip()
    return text + "\n" if text else ""


def _tidy_lines(text: str) -> str:
    """Drop trailing spaces and tabs from lines and squeeze blank-line runs to one.

    Line by line: the same result as ``re.sub(r"[ \\t]+\\n", ...)`` then
    ``re.sub(r"\\n{3,}", ...)`` (the text is stripped afterwards), which scanned every
    space of the article and cost a quarter of html2text's own time.
    """
    lines: list[str] = []
    blank = False
    for line in text.split("\n"):
        line = line.rstrip(" \t")
        if not line:
            if blank:
                continue
            blank = True
        else:
            blank = False
        lines.append(line)
    return "\n".join(lines)


def _serialize(el: HtmlElement) -> str:
    return lxml.html.tostring(el, encoding="unicode", method="html")


def _article_html(root: HtmlElement, url: str | None, title: str) -> str:
    """The article HTML picked from a pre-cleaned page and tidied, or ``""``."""
    article = extract_article_html(root)
    if not article:
        return ""
    try:
        fragment = lxml.html.fragment_fromstring(article, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return article
    clean_article(fragment, title)
    _lean(fragment, url)
    return _serialize(fragment)


# The only attributes html2text reads (besides Google Docs styling, unused here).
_KEPT_ATTRIBUTES = frozenset({"href", "title", "src", "alt", "start"})


def _lean(fragment: HtmlElement, url: str | None) -> None:
    """Drop the attributes html2text ignores (classes, styles, data-*: most of the bytes
    its pure-Python parser would scan), drop ``javascript:`` links and make link and image
    URLs absolute."""
    for el in fragment.iter():
        if not isinstance(el.tag, str):
            continue  # a comment or processing instruction
        attrib = el.attrib
        for name in [n for n in attrib if n not in _KEPT_ATTRIBUTES]:
            del attrib[name]
        for name in ("href", "src"):
            link = attrib.get(name)
            if link and link.lstrip()[:11].lower() == "javascript:":
                del attrib[name]
            elif url and link and not link.startswith("#"):
                with contextlib.suppress(ValueError):  # a malformed URL stays as it is
                    attrib[name] = urljoin(url, link.strip())


def _has_words(markdown: str, minimum: int = _MIN_WORDS) -> bool:
    """True when ``markdown`` holds at least ``minimum`` words; stops at the last one needed
    (counting every word of a long article three times was a sixth of the parse)."""
    return sum(1 for _ in islice(_WORD.finditer(markdown), minimum)) >= minimum


def _body_fallback(root: HtmlElement) -> str:
    """Markdown of the whole cleaned body, for pages readability cannot score."""
    body = root.find("body")
    target = body if body is not None else root
    strip_chrome(target)
    return _markdown(_serialize(target))


def parse_html(
    data: bytes | str, *, url: str | None = None, source_path: str | None = None
) -> ParsedArticle:
    """Extract the article of a saved HTML page as Markdown plus its metadata.

    Raises ``ImportFailed`` when no article text can be found; never another exception.
    """
    source = source_path or url or "<html>"
    try:
        return _parse(data, url=url, source_path=source_path, source=source)
    except ImportFailed:
        raise
    except (RecursionError, MemoryError):
        raise ImportFailed(source, "the page is too deeply nested or too large to read") from None
    except Exception as exc:  # malformed input must never escape as a traceback
        raise ImportFailed(source, f"could not read the page ({type(exc).__name__})") from None


def _parse(
    data: bytes | str, *, url: str | None, source_path: str | None, source: str
) -> ParsedArticle:
    text = decode_html(data)
    root = parse_document(text)
    if root is None:
        raise ImportFailed(source, "the page is empty")
    md = extract_metadata(root, url)
    h1_texts = [clean_text(h.text_content()) for h in root.iter("h1")]
    headings = h1_texts + [clean_text(h.text_content()) for h in root.iter("h2")]
    title = choose_title(md, headings[:200], h1_texts)

    strip_chrome(root, mode="light")
    article_html = _article_html(root, md.url, title)
    markdown = _markdown(article_html) if article_html else ""
    if not _has_words(markdown):
        markdown = _body_fallback(root)
        if not _has_words(markdown) and max_depth(root) >= PARSER_DEPTH_LIMIT:
            markdown = _escape_plain(visible_text(text))
    if not _has_words(markdown):
        raise ImportFailed(source, "no article text found in the page")
    return ParsedArticle(
        title=title or _first_line(markdown),
        markdown=markdown,
        author=md.author,
        site=md.site,
        url=md.url,
        published=md.published,
        summary=md.summary,
        source_path=source_path,
        source_format="html",
    )


def _escape_plain(text: str) -> str:
    """Plain text as Markdown paragraphs: escape characters that would start markup."""
    if not text:
        return ""
    return text.translate(_MARKDOWN_ESCAPES) + "\n"


def _first_line(markdown: str) -> str:
    for line in markdown.splitlines():
        line = line.strip("#*_ >").strip()
        if line:
            return line[:120]
    return ""


__all__ = ["parse_html", "lxml"]
