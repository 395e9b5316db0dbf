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

_ARTICLE_TYPES = re.compile(
    r"^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|"
    r"BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|WebPage)$"
)
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Collapse whitespace; non-strings become ``""``."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", value).strip()


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


def _meta_values(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` values keyed by lower-cased property/name; the first non-empty one wins."""
    values: dict[str, str] = {}
    for el in root.iter("meta"):
        content = clean_text(el.get("content"))
        if not content:
            continue
        keys = f"{el.get('property', '')} {el.get('name', '')} {el.get('itemprop', '')}"
        for key in keys.lower().split():
            values.setdefault(key, content)
    return values


def _names(value: object) -> list[str]:
    """Person or organisation names from a JSON-LD value (string, object or list)."""
    if isinstance(value, str):
        return [clean_text(value)] if clean_text(value) else []
    if isinstance(value, dict):
        name = clean_text(value.get("name"))
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
            if "WebPage" in types and not obj.get("headline"):
                continue
            found = {
                "headline": clean_text(obj.get("headline")),
                "name": clean_text(obj.get("name")),
                "author": ", ".join(dict.fromkeys(_names(obj.get("author")))),
                "published": clean_text(obj.get("datePublished")),
                "publisher": ", ".join(_names(obj.get("publisher"))[:1]),
                "description": clean_text(obj.get("description")),
                "url": clean_text(obj.get("url")),
            }
            return {k: v for k, v in found.items() if v}
    return {}


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 ``YYYY-MM-DDTHH:MM:SS`` (or ``YYYY-MM-DD``) from a machine-readable date."""
    value = clean_text(value)
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
            name = clean_text(el.text_content())
            if 0 < len(name) <= 100:
                return _BYLINE_PREFIX.sub("", name)
    for el in root.iter():
        if not isinstance(el, HtmlElement):
            continue
        names = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _BYLINE_CLASS.search(names):
            continue
        name = _BYLINE_PREFIX.sub("", clean_text(el.text_content()))
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
        value = clean_text(value)
        if value:
            return value
    return None


def extract_metadata(root: HtmlElement, url: str | None = None) -> PageMetadata:
    """Collect metadata from the whole (unstripped) page tree."""
    meta = _meta_values(root)
    jsonld = _jsonld(root)
    title_el = root.find(".//title")
    doc_title = clean_text(title_el.text_content()) if title_el is not None else ""
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
            canonical = clean_text(link.get("href")) or None
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


_SEPARATORS = r"[|\-\u2013\u2014\\/>\u00bb:\u00b7\u2022]"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def strip_site_suffix(title: str, site: str | None = None) -> str:
    """Remove a ``" | Site"`` / ``" - Site"`` part from a page title."""
    parts = re.split(rf"\s+{_SEPARATORS}\s+", title)
    if len(parts) < 2:
        return title
    if site:
        site_words = _words(site)
        if _words(parts[-1]) == site_words:
            return re.split(rf"\s+{_SEPARATORS}\s+(?=[^|]*$)", title)[0].strip() or title
        if _words(parts[0]) == site_words:
            return title.split(parts[0], 1)[1].lstrip(" |-\u2013\u2014:/\\>\u00bb").strip() or title
    # Without a known site name, drop the last part when what is left is long enough.
    head = re.sub(rf"\s+{_SEPARATORS}\s+[^|\-\u2013\u2014\\/>\u00bb]*$", "", title).strip()
    if len(head.split()) >= 3:
        return head
    return title


def choose_title(md: PageMetadata, h1_texts: list[str]) -> str:
    """Pick the article headline from metadata, the ``<title>`` and the page's ``<h1>``s."""
    site = md.meta.get("og:site_name") or md.jsonld.get("publisher")
    candidates = [
        md.jsonld.get("headline"),
        md.meta.get("og:title"),
        md.meta.get("twitter:title"),
        md.meta.get("dc.title"),
        md.meta.get("title"),
    ]
    for candidate in candidates:
        candidate = clean_text(candidate)
        if candidate:
            return strip_site_suffix(candidate, site)
    if md.doc_title:
        title = md.doc_title
        for h1 in h1_texts:
            if h1 and _words(h1) and " ".join(_words(h1)) in " ".join(_words(title)):
                return h1
        return strip_site_suffix(title, site)
    for h1 in h1_texts:
        if h1:
            return h1
    return ""
