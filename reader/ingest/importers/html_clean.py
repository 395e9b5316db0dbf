"""Decoding, parsing and de-cluttering of saved HTML pages.

Owns: turning page bytes into text (``decode_html``), text into an lxml tree that never
raises on malformed input (``parse_document``), and removing page chrome that is never part
of an article: scripts, styles, forms, navigation, cookie banners, share bars, comment
threads, newsletter boxes and the like (``strip_chrome``). Nothing here picks the article.
"""

from __future__ import annotations

import codecs
import html
import re

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I
)
# Per the WHATWG encoding standard these labels all mean windows-1252.
_LATIN1_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii"})
_LATIN1_ALIASES |= {"us-ascii", "iso_8859-1", "8859-1", "cp819", "ibm819", "windows-1252"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The charset named by a ``<meta charset>`` or ``http-equiv`` tag near the top."""
    match = _META_CHARSET.search(data[:16384])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    if label in _LATIN1_ALIASES:
        return "cp1252"
    if label in ("utf-16", "utf-16le", "utf-16be", "utf-32"):
        return "utf-8"  # a page that could declare this in ASCII bytes is not UTF-16
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes | str) -> str:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then cp1252.

    A ``str`` is returned unchanged. Never raises.
    """
    if isinstance(data, str):
        return data
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def sanitize_text(text: str) -> str:
    """Drop what libxml2 refuses in text: NULs, C0 controls, an XML declaration."""
    text = _CONTROL.sub("", text)
    return _XML_DECL.sub("", text, count=1)


_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
# Every element an ``HtmlElement``, looked up in C. lxml.html's default lookup is a Python
# method run for each element object created (it picks ``FormElement``, ``InputElement``...,
# which nothing here uses): a tenth of the whole import on article pages.
_PARSER.set_element_class_lookup(
    lxml.etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_document(text: str) -> HtmlElement | None:
    """Parse page text into an ``<html>`` element; ``None`` when nothing parses."""
    text = sanitize_text(text)
    if not text.strip():
        return None
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    return root if isinstance(root, HtmlElement) else None


# Tags whose content is never article text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "nav",
    "aside",
    "svg",
    "canvas",
    "dialog",
    "link",
    "meta",
)
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
)
# Matched against class and id values, token by token (split on spaces, "-" and "_").
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|share|sharing|social|sharebar|"
    r"related|recommended|recirculation|outbrain|taboola|comments?|disqus|newsletter|"
    r"subscribe|subscription|signup|paywall|promo|advert|advertisement|ads|ad|"
    r"breadcrumbs?|sidebar|popup|modal|skip-link|sr-only|visually-hidden)(?:$|[\s_-])",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def _is_chrome(el: HtmlElement) -> bool:
    """True when an element's tag, role, class or id marks it as page chrome."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if el.get("role", "").strip().lower() in _CHROME_ROLES:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}".strip()
    return bool(names) and bool(_CHROME_WORDS.search(names))


def _drop(el: HtmlElement) -> None:
    """Remove an element and its content, keeping its tail text."""
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


_LIGHT_TAGS = ("script", "style", "noscript", "template", "link", "meta", "svg", "canvas")


def strip_chrome(root: HtmlElement, *, keep: HtmlElement | None = None, mode: str = "full") -> None:
    """Remove non-article elements from ``root`` in place (never ``keep`` or its ancestors).

    ``mode="light"`` removes only elements that never hold visible text (scripts, styles).
    """
    if mode == "light":
        for el in list(root.iter(*_LIGHT_TAGS)):
            _drop(el)
        return
    protected: set[HtmlElement] = set()
    if keep is not None:
        protected.add(keep)
        protected.update(keep.iterancestors())
    for el in list(root.iter(*_DROP_TAGS)):
        if el not in protected:
            _drop(el)
    for el in list(root.iter("header", "footer")):
        if el not in protected and el.getparent() is not None:
            _drop(el)
    for el in list(root.iter()):
        if not isinstance(el, HtmlElement) or el.tag in ("html", "body") or el in protected:
            continue
        if _is_chrome(el):
            _drop(el)


_BLOCK_TAGS = frozenset(
    {"address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre"}
    | {"section", "table", "td", "th", "tr", "ul"}
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "title", "svg")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<![^<>]*>")


def _drop_invisible(text: str) -> str:
    """Cut ``<script>``...``</script>`` and the like, by plain search (linear time)."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        hits = [(lower.find(f"<{tag}", pos), tag) for tag in _INVISIBLE_TAGS]
        hits = [(i, tag) for i, tag in hits if i >= 0]
        if not hits:
            out.append(text[pos:])
            return "".join(out)
        start, tag = min(hits)
        out.append(text[pos:start])
        end = lower.find(f"</{tag}", start)
        if end < 0:
            return "".join(out)
        close = lower.find(">", end)
        pos = len(text) if close < 0 else close + 1


def visible_text(text: str) -> str:
    """Plain visible text of a page, for pages libxml2 cannot build a useful tree from
    (nesting deeper than its limit, whose content it discards). Linear-time regexes only."""

    def tag(match: re.Match[str]) -> str:
        name = (match.group(1) or "").lower()
        return "\n\n" if name in _BLOCK_TAGS else ""

    stripped = _TAG.sub(tag, _drop_invisible(sanitize_text(text)))
    paragraphs = (" ".join(html.unescape(p).split()) for p in stripped.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def tree_text(root: HtmlElement) -> str:
    """Plain text of a tree with paragraph breaks at block elements (iterative, linear)."""
    parts: list[str] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        block = isinstance(el.tag, str) and el.tag in _BLOCK_TAGS
        if event == "start":
            if block:
                parts.append("\n\n")
            if el.text and el.tag not in _INVISIBLE_TAGS:
                parts.append(el.text)
        else:
            if block:
                parts.append("\n\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    paragraphs = (" ".join(p.split()) for p in "".join(parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def max_depth(root: HtmlElement) -> int:
    """The deepest element nesting in a tree (iterative, linear)."""
    depth = deepest = 0
    for event, _el in lxml.etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


# libxml2 stops building the tree past this nesting and discards what lies deeper.
PARSER_DEPTH_LIMIT = 250


# Narrower than _CHROME_WORDS: boxes that sit *inside* an article container.
_INLINE_CHROME = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|share|sharing|social|sharebar|share-bar|"
    r"related|newsletter|comments?|disqus)(?:$|[\s_-])",
    re.I,
)


# Boxes of links to other posts, each with a teaser: their teasers keep the link share low.
_RELATED_BOX = re.compile(
    r"(?:^|[\s_-])related[_-]?(?:posts?|articles?|stories|content|links|reads|items)(?:$|[\s_-])",
    re.I,
)


def _norm_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _link_share(el: HtmlElement) -> float:
    """Share of an element's text that sits in links (1.0 for text-free boxes)."""
    total = len(" ".join(el.text_content().split()))
    if not total:
        return 1.0
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iterdescendants("a"))
    return linked / total


def clean_article(fragment: HtmlElement, title: str) -> None:
    """Tidy the chosen article subtree in place: drop share bars, related lists, comment
    threads, newsletter and cookie boxes left inside it, and a heading repeating the title."""
    for el in list(fragment.iter()):
        if not isinstance(el, HtmlElement) or el is fragment or el.getparent() is None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}".strip()
        if not names:
            continue
        chrome = _INLINE_CHROME.search(names) and _link_share(el) > 0.5
        if chrome or (_RELATED_BOX.search(names) and el.find(".//a") is not None):
            el.drop_tree()
    title_words = _norm_words(title)
    if not title_words:
        return
    for heading in fragment.iter("h1", "h2"):
        if _norm_words(heading.text_content()) == title_words:
            heading.drop_tree()
        break  # only the first heading can be a repeated title
