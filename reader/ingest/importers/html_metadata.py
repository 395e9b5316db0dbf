"""Article metadata from a parsed HTML page.

Owns: reading ``<meta>`` tags (Open Graph, Dublin Core, Twitter, ``article:*``), JSON-LD
(schema.org Article types), ``<time datetime>``, bylines and the title cleanup (site-name
suffixes, headline matching). Returns plain values; it never touches the article body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from lxml.html import HtmlElement

from reader.sanitize import clean_line

_ARTICLE_TYPES = re.compile(
    r"^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|"
    r"BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$"
)


def meta_text(value: object) -> str:
    """A metadata value as one clean line (``reader.sanitize.clean_line``); anything
    but a string (JSON-LD may hold numbers, lists, objects) becomes ``""``."""
    return clean_line(value) if isinstance(value, str) else ""


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself, before the title is chosen."""

    meta: dict[str, str]
    jsonld: dict[str, str]
    doc_title: str
    author: str | None
    site: str | None
    url: str | None
    published: str | None
    summary: str | None


_PROPERTY_KEY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*"
    r"(author|creator|description|published_time|title|site_name)\s*",
    re.I,
)
_NAME_KEY = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$",
    re.I,
)


def _meta_values(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` values by normalized key (``og:title``, ``dc:creator``, ``description``...).

    ``property`` may hold several space-separated names; ``name="DC.title"`` becomes
    ``dc:title``. A later tag overrides an earlier one, as in Readability.js. Other names
    are kept under their lower-cased name when first seen.
    """
    values: dict[str, str] = {}
    for el in root.iter("meta"):
        content = meta_text(el.get("content"))
        if not content:
            continue
        prop = el.get("property") or ""
        matched = False
        for match in _PROPERTY_KEY.finditer(prop):
            values[re.sub(r"\s", "", match.group(0).lower())] = content
            matched = True
        name = el.get("name") or ""
        if not matched and name and _NAME_KEY.match(name):
            values[re.sub(r"\s", "", name.lower()).replace(".", ":")] = content
        for key in f"{prop} {name} {el.get('itemprop', '')}".lower().split():
            values.setdefault(key, content)
    return values


def _names(value: object) -> list[str]:
    """Person or organisation names from a JSON-LD value (string, object or list)."""
    if isinstance(value, str):
        return [meta_text(value)] if meta_text(value) else []
    if isinstance(value, dict):
        name = meta_text(value.get("name"))
        return [name] if name else []
    if isinstance(value, list):
        out: list[str] = []
        for item in value[:20]:
            out.extend(_names(item))
        return out
    return []


def _jsonld_objects(data: object, depth: int = 0) -> list[dict]:
    """Every dict in a JSON-LD document (top level, lists and ``@graph``), bounded."""
    if depth > 4:
        return []
    if isinstance(data, list):
        out: list[dict] = []
        for item in data[:50]:
            out.extend(_jsonld_objects(item, depth + 1))
        return out
    if isinstance(data, dict):
        out = [data]
        graph = data.get("@graph")
        if isinstance(graph, list):
            out.extend(_jsonld_objects(graph, depth + 1))
        return out
    return []


def _jsonld(root: HtmlElement) -> dict[str, str]:
    """Headline, name, author, datePublished, publisher and description of the article."""
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for obj in _jsonld_objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and _ARTICLE_TYPES.match(t) for t in types):
                continue
            found = {
                "headline": meta_text(obj.get("headline")),
                "name": meta_text(obj.get("name")),
                "author": ", ".join(dict.fromkeys(_names(obj.get("author")))),
                "published": meta_text(obj.get("datePublished")),
                "publisher": ", ".join(_names(obj.get("publisher"))[:1]),
                "description": meta_text(obj.get("description")),
                "url": meta_text(obj.get("url")),
            }
            return {k: v for k, v in found.items() if v}
    return {}


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 ``YYYY-MM-DDTHH:MM:SS`` (or ``YYYY-MM-DD``) from a machine-readable date."""
    value = meta_text(value)
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if match:
        y, mo, d, h, mi, s = match.groups()
        try:
            datetime(int(y), int(mo), int(d))
        except ValueError:
            return None
        if h is None:
            return f"{y}-{mo}-{d}"
        return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}"
    compact = re.match(r"^(\d{4})(\d{2})(\d{2})$", value)
    if compact:
        return normalize_date("-".join(compact.groups()))
    return None


_BYLINE_CLASS = re.compile(r"byline|author|writer|contributor", re.I)
_BYLINE_PREFIX = re.compile(r"^(?:by|from|written by|von|par|por)\s+", re.I)


def _byline(root: HtmlElement) -> str | None:
    """An author name from ``rel=author`` links or elements classed as bylines."""
    for el in root.iter("a", "span", "div", "p", "address"):
        if el.get("rel", "").lower() == "author":
            name = meta_text(el.text_content())
            if 0 < len(name) <= 100:
                return _BYLINE_PREFIX.sub("", name)
    for el in root.iter():
        if not isinstance(el, HtmlElement):
            continue
        names = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _BYLINE_CLASS.search(names):
            continue
        name = _BYLINE_PREFIX.sub("", meta_text(el.text_content()))
        if 0 < len(name) <= 80:
            return name
    return None


def _time_published(root: HtmlElement) -> str | None:
    """The first ``<time datetime>`` that looks like a publication date."""
    for el in root.iter("time"):
        date = normalize_date(el.get("datetime"))
        if date:
            return date
    return None


def _first(*values: str | None) -> str | None:
    for value in values:
        value = meta_text(value)
        if value:
            return value
    return None


def extract_metadata(root: HtmlElement, url: str | None = None) -> PageMetadata:
    """Collect metadata from the whole (unstripped) page tree."""
    meta = _meta_values(root)
    jsonld = _jsonld(root)
    title_el = root.find(".//title")
    doc_title = meta_text(title_el.text_content()) if title_el is not None else ""
    author = _first(
        jsonld.get("author"),
        meta.get("author"),
        meta.get("article:author")
        if not meta.get("article:author", "").startswith("http")
        else None,
        meta.get("dc.creator"),
        meta.get("dc:creator"),
        meta.get("parsely-author"),
        meta.get("sailthru.author"),
        meta.get("byl"),
    )
    if author is None:
        author = _byline(root)
    published = None
    for candidate in (
        meta.get("article:published_time"),
        jsonld.get("published"),
        meta.get("datepublished"),
        meta.get("og:published_time"),
        meta.get("dc.date"),
        meta.get("dc.date.issued"),
        meta.get("dcterms.created"),
        meta.get("date"),
        meta.get("pubdate"),
        meta.get("parsely-pub-date"),
        meta.get("sailthru.date"),
    ):
        published = normalize_date(candidate)
        if published:
            break
    if published is None:
        published = _time_published(root)
    canonical = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = meta_text(link.get("href")) or None
            break
    page_url = _first(canonical, meta.get("og:url"), url)
    if page_url and not re.match(r"^[a-z][a-z0-9+.-]*://", page_url, re.I):
        page_url = url or None
    return PageMetadata(
        meta=meta,
        jsonld=jsonld,
        doc_title=doc_title,
        author=author,
        site=_first(
            meta.get("og:site_name"), jsonld.get("publisher"), meta.get("application-name")
        ),
        url=page_url,
        published=published,
        summary=_first(
            meta.get("og:description"),
            meta.get("description"),
            meta.get("twitter:description"),
            jsonld.get("description"),
        ),
    )


_SEPARATORS = "|\\-\u2013\u2014\\\\/>\u00bb"
_SEP_RUN = re.compile(rf"\s[{_SEPARATORS}]\s")
_HIERARCHICAL = re.compile(r"\s[\\/>\u00bb]\s")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _word_count(text: str) -> int:
    return len(text.split())


def text_similarity(a: str, b: str) -> float:
    """Share of ``b``'s text (by characters of its words) that also occurs in ``a``."""
    tokens_a = set(_words(a))
    tokens_b = _words(b)
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    return 1 - len(" ".join(unique_b)) / len(" ".join(tokens_b))


def title_from_document(doc_title: str, headings: list[str], h1_texts: list[str]) -> str:
    """Clean a ``<title>``: drop a site-name part after a separator or before a colon.

    The rules follow Readability.js: cut at the last `` | `` / `` - `` style separator
    (or the first, when too little is left), keep a colon title that an ``<h1>``/``<h2>``
    repeats, use a single ``<h1>`` when the title is very short or long, and keep the
    original when the cleanup leaves four words or fewer.
    """
    orig = cur = meta_text(doc_title)
    hierarchical = False
    separators = list(_SEP_RUN.finditer(orig))
    if separators:
        hierarchical = bool(_HIERARCHICAL.search(orig))
        cur = orig[: separators[-1].start()]
        if _word_count(cur) < 3:
            cur = re.sub(rf"^[^{_SEPARATORS}]*[{_SEPARATORS}]", "", orig)
    elif ": " in cur:
        if not any(meta_text(h) == orig for h in headings):
            cur = orig[orig.rfind(":") + 1 :]
            if _word_count(cur) < 3:
                cur = orig[orig.find(":") + 1 :]
            elif _word_count(orig[: orig.find(":")]) > 5:
                cur = orig
    elif (len(cur) > 150 or len(cur) < 15) and len(h1_texts) == 1:
        cur = h1_texts[0]
    cur = meta_text(cur)
    count = _word_count(cur)
    if count <= 4 and (not hierarchical or count != _word_count(_SEP_RUN.sub("", orig)) - 1):
        cur = orig
    return cur


def choose_title(md: PageMetadata, headings: list[str], h1_texts: list[str]) -> str:
    """Pick the article title: JSON-LD, then Dublin Core / Open Graph / Twitter meta, then
    the cleaned ``<title>`` (see ``title_from_document``), then the first ``<h1>``."""
    doc_title = title_from_document(md.doc_title, headings, h1_texts) if md.doc_title else ""
    name, headline = md.jsonld.get("name"), md.jsonld.get("headline")
    jsonld_title: str | None
    if name and headline and name != headline:
        name_ok = text_similarity(name, doc_title) > 0.75
        headline_ok = text_similarity(headline, doc_title) > 0.75
        jsonld_title = headline if headline_ok and not name_ok else name
    else:
        jsonld_title = name or headline
    meta = md.meta
    for candidate in (
        jsonld_title,
        meta.get("dc:title"),
        meta.get("dcterm:title"),
        meta.get("og:title"),
        meta.get("weibo:article:title"),
        meta.get("weibo:webpage:title"),
        meta.get("title"),
        meta.get("twitter:title"),
        meta.get("parsely-title"),
        doc_title,
    ):
        candidate = meta_text(candidate)
        if candidate:
            return candidate
    return next((h for h in h1_texts if h), "")
