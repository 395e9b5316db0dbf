"""Article metadata from a parsed HTML page.

Owns: reading ``<meta>`` tags (Open Graph, Dublin Core, Twitter, ``article:*``), JSON-LD
(schema.org Article types), ``<time datetime>``, bylines and the title cleanup (site-name
suffixes, headline matching). Returns plain values; it never touches the article body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from reader.ingest.importers.html_byline import find_author, site_keys
from reader.ingest.importers.html_published import find_published
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


def _persons(value: object) -> bool:
    """True when a JSON-LD author value is one or more objects typed ``Person``."""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(
        isinstance(item, dict) and str(item.get("@type", "")).lower() == "person" for item in items
    )


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


def _resolve(value: object, ids: dict[str, dict]) -> object:
    """A JSON-LD value with references (``{"@id": "#person-1"}``, as Yoast writes authors
    in an ``@graph``) replaced by the objects they name."""
    if isinstance(value, list):
        return [_resolve(item, ids) for item in value[:20]]
    if isinstance(value, dict) and "name" not in value:
        ref = value.get("@id")
        if isinstance(ref, str) and ref in ids:
            return ids[ref]
    return value


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
        objects = _jsonld_objects(data)
        ids = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
        for obj in objects:
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and _ARTICLE_TYPES.match(t) for t in types):
                continue
            author = _resolve(obj.get("author"), ids)
            found = {
                "headline": meta_text(obj.get("headline")),
                "name": meta_text(obj.get("name")),
                "author": ", ".join(dict.fromkeys(_names(author)))[:300],
                "author_person": "yes" if _persons(author) else "",
                "published": meta_text(obj.get("datePublished")),
                "created": meta_text(obj.get("dateCreated")),
                "publisher": ", ".join(_names(_resolve(obj.get("publisher"), ids))[:1]),
                "description": meta_text(obj.get("description")),
                "url": meta_text(obj.get("url")),
            }
            return {k: v for k, v in found.items() if v}
    return {}


_AUTHOR_KEYS = (
    "dc:creator",
    "dcterm:creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dc.creator",
    "citation_author",
)


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
    canonical = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = meta_text(link.get("href")) or None
            break
    page_url = _first(canonical, meta.get("og:url"), url)
    if page_url and not re.match(r"^[a-z][a-z0-9+.-]*://", page_url, re.I):
        page_url = url or None
    site = _first(meta.get("og:site_name"), jsonld.get("publisher"), meta.get("application-name"))
    keys = site_keys(
        (site, jsonld.get("publisher"), meta.get("application-name"), meta.get("og:site_name"))
    )
    authors = (
        (jsonld.get("author"), bool(jsonld.get("author_person"))),
        *((meta_text(meta.get(k)), False) for k in _AUTHOR_KEYS),
    )
    author = find_author(root, authors, keys)
    return PageMetadata(
        meta=meta,
        jsonld=jsonld,
        doc_title=doc_title,
        author=author,
        site=site,
        url=page_url,
        published=find_published(root, meta, jsonld, page_url),
        summary=_first(
            meta.get("og:description"),
            meta.get("description"),
            meta.get("twitter:description"),
            jsonld.get("description"),
        ),
    )
