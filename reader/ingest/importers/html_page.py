"""The HTML page importer: a saved web page in, a clean article (Markdown) out.

Owns: ``parse_html``, which decodes and parses the page, reads its metadata, finds the
article body (readability-lxml on a pre-cleaned tree, with a whole-body fallback) and
converts only that subtree to Markdown with html2text. See docs/extraction.md.
"""

from __future__ import annotations

import contextlib
import functools
import re
from itertools import islice
from urllib.parse import quote, urljoin

import html2text
import lxml.etree
import lxml.html
from html2text.config import RE_MD_BACKSLASH_MATCHER as _MD_BACKSLASH
from html2text.config import RE_MD_DASH_MATCHER as _MD_DASH
from html2text.config import RE_MD_DOT_MATCHER as _MD_DOT
from html2text.config import RE_MD_PLUS_MATCHER as _MD_PLUS
from lxml.html import HtmlElement

from reader.errors import ImportFailed
from reader.ingest.importers.html_byline import credit_in_text
from reader.ingest.importers.html_clean import (
    PARSER_DEPTH_LIMIT,
    clean_article,
    decode_html,
    max_depth,
    parse_document,
    strip_chrome,
    tree_text,
    visible_text,
)
from reader.ingest.importers.html_leftovers import drop_leftovers
from reader.ingest.importers.html_metadata import extract_metadata
from reader.ingest.importers.html_readability import extract_article_tree
from reader.ingest.importers.html_title import choose_title, headline_texts
from reader.limits import check_markup
from reader.models import ParsedArticle
from reader.sanitize import clean_line

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
    """html2text that escapes brackets inside link text, and keeps a space between a bold
    run and a link after it.

    A citation link such as ``<a href="#note-2">[2]</a>`` otherwise becomes ``[[2]](url)``,
    which many Markdown readers do not take as a link, showing the URL as text.
    """

    def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
        # html2text puts a space between a bold run and the word after it, but not when
        # that word is a link's: "**Revivez**[le direct](…)" ran the two together.
        if start and tag == "a" and self.preceding_stressed and not (self.code or self.pre):
            self.preceding_stressed = False
            self.space = True
        super().handle_tag(tag, attrs, start)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self.astack and self.astack[-1] is not None and not (self.code or self.pre):
            data = data.replace("[", _OPEN).replace("]", _CLOSE)
        if not (
            entity_char
            or self.code
            or self.pre
            or self.stressed  # stripped before escaping
            or self.style
            or self.escape_snob
            or self.maybe_automatic_link is not None  # compared before escaping
        ):
            # Escaped here, faster; ``entity_char`` tells html2text it is done.
            data, entity_char = _escape_md_section(data), True
        super().handle_data(data, entity_char)

    def o(self, data: str, puredata: bool = False, force: bool | str = False) -> None:
        """html2text's output step, collapsing whitespace runs of text without a regex."""
        if puredata and not (self.pre or self.quiet or self.google_doc) and self.abbr_data is None:
            data = _collapse_spaces(data)
            if data[:1] == " ":
                self.space = True
                data = data[1:]
            puredata = False  # done: the rest of ``o`` is html2text's own
        super().o(data, puredata, force)


def _escape_md_section(text: str) -> str:
    """``html2text.utils.escape_md_section`` (without ``snob``), skipping its four regex
    passes when they cannot match: a backslash pass needs a backslash, and the
    start-of-line passes (``1.``, ``+``, ``-``) a line starting with such a character."""
    if "\\" in text:
        text = _MD_BACKSLASH.sub(r"\\\1", text)
    if _may_start_markup(text):
        text = _MD_DOT.sub(r"\1\\\2", text)
        text = _MD_PLUS.sub(r"\1\\\2", text)
        text = _MD_DASH.sub(r"\1\\\2", text)
    return text


def _may_start_markup(text: str) -> bool:
    """True when a line's first non-blank character is a digit, ``+`` or ``-``: what the
    start-of-line passes need (their leading ``\\s*`` may span line breaks, ending on
    such a line all the same)."""
    for line in text.split("\n"):
        head = line.lstrip()[:1]
        if head in ("+", "-") or head.isdigit():
            return True
    return False


def _collapse_spaces(text: str) -> str:
    """``re.sub(r"\\s+", " ", text)`` with ``str.split`` (same whitespace, 4x faster)."""
    words = text.split()
    if not words:
        return " " if text else ""
    collapsed = " ".join(words)
    if text[0].isspace():
        collapsed = " " + collapsed
    if text[-1].isspace():
        collapsed += " "
    return collapsed


def _markdown(tree: HtmlElement) -> str:
    """Convert a (cleaned) tree to Markdown, unwrapped.

    html2text handles each character reference in Python, which takes seconds on a page
    made of hundreds of thousands of ``&lt;``; such input is converted as plain text.
    """
    text = tree.text_content()
    if text.count("&") + text.count("<") + text.count(">") > _MAX_ENTITIES:
        return _escape_plain(tree_text(tree))
    converter = _Converter()
    converter.body_width = 0
    converter.unicode_snob = True
    converter.protect_links = False
    converter.single_line_break = False
    _feed_tree(converter, tree)
    text = _tidy_lines(_unmark(converter.optwrap(converter.finish()))).strip()
    return text + "\n" if text else ""


# How lxml's HTML serializer closes an element (see ``_end_tag``).
_ALWAYS, _NEVER, _WHEN_FILLED = 0, 1, 2
_RAW_TEXT_TAGS = frozenset({"script", "style"})
_ENTITY_CHARS = re.compile(r"([&<>])")
_ENTITY_NAMES = {"&": "amp", "<": "lt", ">": "gt"}
_URI_UNSAFE = re.compile(r"[^\x21-\x7e]")
_URI_SAFE = "".join(map(chr, range(0x21, 0x7F)))


@functools.lru_cache(maxsize=1024)
def _end_tag(tag: str) -> int:
    """Whether lxml writes ``</tag>``: always, never (a void element such as ``<br>``,
    whose content is not written either) or only when the element is not empty (``<li>``)."""
    try:
        probe = lxml.html.Element(tag)
    except ValueError:  # a name lxml cannot create: it has no HTML rules either
        return _ALWAYS
    closing = f"</{tag}>"
    if _serialize(probe).endswith(closing):
        return _ALWAYS
    probe.text = "x"
    return _WHEN_FILLED if _serialize(probe).endswith(closing) else _NEVER


def _attributes(el: HtmlElement) -> list[tuple[str, str | None]]:
    """An element's attributes as HTMLParser reads them from lxml's serialization, which
    percent-encodes spaces and non-ASCII characters in link and image URLs."""
    items = list(el.attrib.items())
    for i, (name, value) in enumerate(items):
        if name in ("href", "src"):
            value = value.lstrip(" \t\n\r")
            if _URI_UNSAFE.search(value):
                value = quote(value, safe=_URI_SAFE)
            items[i] = (name, value)
    return items


def _feed_text(converter: _Converter, text: str, raw: bool = False) -> None:
    """Text as HTMLParser hands it over: ``&``, ``<`` and ``>`` (escaped when serialized)
    arrive as entity references between the runs around them."""
    if raw or not ("&" in text or "<" in text or ">" in text):
        converter.handle_data(text)
        return
    for part in _ENTITY_CHARS.split(text):
        name = _ENTITY_NAMES.get(part)
        if name:
            converter.handle_entityref(name)
        elif part:
            converter.handle_data(part)


def _feed_tree(converter: _Converter, root: HtmlElement) -> None:
    """Give html2text the parser events of ``root`` (tail included) straight from the tree.

    The same events, in the same order, as html2text's ``HTMLParser`` produces on lxml's
    serialization of the tree, without writing that HTML and tokenizing it again in pure
    Python (a third of html2text's time). Comments and processing instructions are
    skipped, as html2text ignores them.
    """
    stack: list[tuple[HtmlElement, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            if el.tail:
                _feed_text(converter, el.tail)
            continue
        if closing:
            rule = _end_tag(tag)
            if rule == _ALWAYS or (rule == _WHEN_FILLED and (el.text or len(el))):
                converter.handle_endtag(tag)
            if el.tail:
                _feed_text(converter, el.tail)
            continue
        converter.handle_starttag(tag, _attributes(el))
        if _end_tag(tag) == _NEVER:
            if el.tail:
                _feed_text(converter, el.tail)
            continue
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
        if el.text:
            _feed_text(converter, el.text, tag in _RAW_TEXT_TAGS)


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


def _article_tree(root: HtmlElement, url: str | None, title: str) -> HtmlElement | None:
    """The article picked from a pre-cleaned page and tidied, or ``None``."""
    article = extract_article_tree(root)
    if article is None:
        return None
    fragment = lxml.html.Element("div")
    fragment.append(article)
    clean_article(fragment, title)
    drop_leftovers(fragment)
    _lean(fragment, url)
    return fragment


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
    return _markdown(target)


def parse_html(
    data: bytes | str, *, url: str | None = None, source_path: str | None = None
) -> ParsedArticle:
    """Extract the article of a saved HTML page as Markdown plus its metadata.

    Raises ``ImportFailed`` when no article text can be found or the page is over the
    limits (``limits.check_markup``); never another exception.
    """
    source = source_path or url or "<html>"
    check_markup(data, source)
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
    h1_texts = [clean_line(h.text_content()) for h in root.iter("h1")]
    headings = h1_texts + [clean_line(h.text_content()) for h in root.iter("h2")]
    title = choose_title(md, headings[:200], h1_texts, headline_texts(root))

    strip_chrome(root, mode="light")
    article = _article_tree(root, md.url, title)
    markdown = _markdown(article) if article is not None else ""
    if not _has_words(markdown):
        markdown = _body_fallback(root)
        if not _has_words(markdown) and max_depth(root) >= PARSER_DEPTH_LIMIT:
            markdown = _escape_plain(visible_text(text))
    if not _has_words(markdown):
        raise ImportFailed(source, "no article text found in the page")
    return ParsedArticle(
        title=title or _first_line(markdown),
        markdown=markdown,
        author=md.author or credit_in_text(markdown),
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
