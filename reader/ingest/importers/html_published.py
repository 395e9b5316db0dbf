"""The publication date of a saved page.

Owns ``find_published``: the first date, in order of trust, among JSON-LD
``datePublished``, publication ``<meta>`` tags (``article:published_time``, Dublin Core,
``pubdate``...), ``itemprop=datePublished``, ``<time>`` and ``data-published*`` markup,
date elements near the headline, JSON-LD ``dateCreated`` and a ``/YYYY/MM/DD/`` URL.
Modified dates and dates inside related-article boxes, sidebars, footers and comments are
never taken. Values are read by ``reader.ingest.importers.dates.read_date`` and keep their offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.importers.dates import find_date_line, read_date

_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "og:article:published_time",
    "datepublished",
    "dc:date:issued",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms:issued",
    "dc.date.created",
    "dcterms.created",
    "dcterms:created",
    "dc.date",
    "dc:date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "publication_date",
    "publication-date",
    "release_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "datecreated",
)
_ASIDE_TAGS = frozenset({"aside", "nav"})
_ASIDE_CLASS = re.compile(
    r"related|relation|recommend|top[-_]?stories|most[-_]?(?:read|viewed|popular)|wdgt|"
    r"(?<![a-z])rank|more-stories|more_stories|read-next|readnext|comment|sidebar|widget|"
    r"promo|teaser|trending|popular|site-footer|newsletter|outbrain|taboola",
    re.I,
)
# Where a date line goes on to the modified date, in the languages dates.py reads.
_THEN_UPDATED = re.compile(
    r"[(\[［|·•,;–—-]?\s*(?<!\w)(?:last\s+)?(?:updated?|modified|modifica\w*|modifié\w*|"
    r"mis à jour|aktualisiert|actualizad\w*|aggiornat\w*|atualizad\w*|oppdatert|"
    r"uppdaterad|opdateret|päivitetty|bijgewerkt|更新|수정)(?!\w)",
    re.I,
)
_BRACKET = re.compile(r"[(\[［（]")
_LINE_EDGES = " ([［|·•,;-–—"  # what is left at a date line's cut
_MODIFIED = re.compile(r"modif|updat|edited|revised|expir", re.I)
_MODIFIED_BEFORE = re.compile(r"\b(?:updated|modified|edited|revised)\b[^\w]*(?:on|at)?\s*$", re.I)
_PUBLISHED = re.compile(r"publish|pubdate|posted|created|issued", re.I)
_DATE_CLASS = re.compile(
    r"date|\bdata\b|datum|fecha|time|published|dateline|timestamp|posted|byline|meta", re.I
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$|[-_.])")


def _names(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"


# The article itself: a wrapper classed like a box ("widget Blog" around every Blogger
# post) that holds one of these is the page's layout, not an aside.
_HOLDS_ARTICLE = etree.XPath(
    "boolean(descendant::h1 | descendant::article | descendant::*[@itemprop and ("
    "contains(@itemprop, 'articleBody') or contains(@itemprop, 'blogPost'))])"
)


def in_aside(el: HtmlElement) -> bool:
    """True inside a related-articles box, sidebar, the site's footer, navigation or
    comments (not an article's own ``<footer>``, where blogs put the byline, nor a
    box-classed wrapper that holds the article)."""
    for depth, ancestor in enumerate(el.iterancestors()):
        if depth > 20 or ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in _ASIDE_TAGS:
            return True
        if _ASIDE_CLASS.search(_names(ancestor)) and not _HOLDS_ARTICLE(ancestor):
            return True
    return False


def _modified(el: HtmlElement) -> bool:
    """True when the element is marked as a modified date, by its attributes or by the
    words just before it ("Updated <time …>")."""
    attributes = " ".join(f"{k} {v}" for k, v in el.attrib.items() if k != "datetime")
    if _MODIFIED.search(attributes) and not _PUBLISHED.search(attributes):
        return True
    previous = el.getprevious()
    parent = el.getparent()
    before = previous.tail if previous is not None else parent.text if parent is not None else ""
    return bool(_MODIFIED_BEFORE.search((before or "")[-40:]))


def _value(el: HtmlElement) -> str | None:
    """The date an element gives: its ``datetime``/``content`` attribute (an ``<abbr>``'s
    ``title``, as Blogger and other hAtom pages write it), else its text."""
    names = ("datetime", "content", "title") if el.tag == "abbr" else ("datetime", "content")
    for name in names:
        date = read_date(el.get(name))
        if date:
            return date
    text = " ".join(el.text_content().split())
    if len(text) <= 100:
        return find_date_line(text) or read_date(text if len(text) <= 40 else "")
    return None


def _markup_dates(root: HtmlElement) -> Iterable[str | None]:
    """Dates the article's markup gives, most specific first."""
    elements = list(root.iter(etree.Element))
    for el in elements:
        if (el.get("itemprop") or "").lower() == "datepublished" and not in_aside(el):
            yield _value(el)
    for el in elements:
        for name, value in el.attrib.items():
            if name.startswith("data-") and "publish" in name and not in_aside(el):
                yield read_date(value)
    times = [el for el in elements if el.tag == "time" and not in_aside(el)]
    published = [
        el for el in times if el.get("pubdate") is not None or _PUBLISHED.search(_names(el))
    ]
    for el in published + [el for el in times if not _modified(el)]:
        yield _value(el)
    for el in elements:
        if len(el.attrib) == 0 or el.tag in ("html", "body", "script", "style", "time"):
            continue
        if _DATE_CLASS.search(_names(el)) and not in_aside(el):
            if not _modified(el):
                yield _date_line(el)
            else:  # "is-last-update": "12 maggio 2017 (modifica il 13 maggio 2017)"
                yield _date_before_update(" ".join(el.text_content().split()))


def _date_line(el: HtmlElement) -> str | None:
    """The date an element classed as a date line gives: its whole text, else the first of
    its lines (children) that is a date and not the modified one ("公開 …" then "更新 …")."""
    text = " ".join(el.text_content().split())
    date = find_date_line(text) if 0 < len(text) <= 100 else None
    if date or len(text) > 300:
        return date
    date = _date_before_update(text)
    if date:
        return date
    for child in el.iterchildren(etree.Element):
        line = " ".join(child.text_content().split())
        if not _modified(child) and 0 < len(line) <= 100:
            date = find_date_line(line)
            if date:
                return date
    return None


def _date_before_update(text: str) -> str | None:
    """The date of a line that goes on to the modified date ("12 maggio 2017 (modifica il
    13 maggio 2017)", "Published …, updated …", "… 公開 ［… 更新］"): what comes before."""
    whole = text.strip(_LINE_EDGES)
    for pattern in (_THEN_UPDATED, _BRACKET):
        head = pattern.split(text, maxsplit=1)[0].strip(_LINE_EDGES)
        if head != whole and 0 < len(head) <= 100:
            date = find_date_line(head)
            if date:
                return date
    return None


def url_date(url: str | None) -> str | None:
    """The day a ``/2016/12/01/`` style URL path gives."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = match.groups()
    return read_date(f"{year}-{int(month):02d}-{int(day):02d}")


def find_published(
    root: HtmlElement, meta: dict[str, str], jsonld: dict[str, str], url: str | None
) -> str | None:
    """The page's publication date in ISO 8601 (see the module docstring), or ``None``."""
    for value in (jsonld.get("published"), *(meta.get(key) for key in _META_KEYS)):
        date = read_date(value)
        if date:
            return date
    for date in _markup_dates(root):
        if date:
            return date
    return read_date(jsonld.get("created")) or url_date(url)
