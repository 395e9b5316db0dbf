"""The article's title: which of the page's titles to show, and how to clean it.

Owns ``choose_title`` (JSON-LD, Dublin Core, Open Graph and Twitter titles, then the
cleaned ``<title>``, then the on-page headline), ``title_from_document`` (Readability.js's
``<title>`` cleanup), ``cut_site_name`` (a site-name part after or before a separator,
also inside ``og:title`` and in CJK titles) and the headline preference: the ``<h1>`` or
headline element the page shows wins over a social or SEO title when the two agree in
part, and keeps its own quotes and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.importers.html_metadata import PageMetadata, meta_text
from reader.ingest.importers.html_published import in_aside
from reader.sanitize import clean_line

_SEPARATORS = "|\\-\u2013\u2014\\\\/>\u00bb"
_SEP_RUN = re.compile(rf"\s[{_SEPARATORS}]\s")
_HIERARCHICAL = re.compile(r"\s[\\/>\u00bb]\s")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _word_count(text: str) -> int:
    """Words of ``text``; a CJK character counts as one (those scripts use no spaces)."""
    return len(_CJK.sub(" ", text).split()) + len(_CJK.findall(text))


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


_SITE_SEP = re.compile(r"\s+(?:[|\-\u2013\u2014\u00b7\u00bb/]|::)\s+|\s*\uff5c\s*")
_FOLD_QUOTES = str.maketrans(
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb", '\'\'\'\'""""""'
)
_HEADLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:headline|entry-title|post-title|article-title|story-title|page-title)"
    r"(?:$|[\s_-])",
    re.I,
)


# Host labels that name no site ("news" of news.example.com).
_GENERIC_LABELS = frozenset(
    [
        "www",
        "www1",
        "www2",
        "m",
        "amp",
        "edition",
        "news",
        "blog",
        "blogs",
        "en",
        "de",
        "fr",
        "es",
        "it",
        "home",
        "online",
        "mobile",
        "co",
        "com",
        "org",
        "net",
    ]
)


def _key(text: str) -> str:
    return "".join(re.findall(r"[^\W_]+", text.casefold()))


def site_keys(site: str | None, url: str | None) -> set[str]:
    """Letters-only forms of the site name and of the URL's host labels (``cnet`` of
    ``japan.cnet.com``), for recognising a site-name part of a title."""
    keys = {_key(site)} if site else set()
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [p for p in host.split(".")[:-1] if p not in _GENERIC_LABELS]
    keys.update(_key(p) for p in labels if len(p) >= 3)
    keys.discard("")
    return keys


def _is_site(segment: str, keys: set[str]) -> bool:
    """True when a title segment names the site: the site or host name, alone or with a
    word or two more ("CNN Politics" on cnn.com, "CNET Japan" on japan.cnet.com)."""
    key = _key(segment)
    if not key or _word_count(segment) > 4 or len(segment) > 40:
        return False
    for k in keys:
        if key == k or (len(key) >= 4 and key in k):
            return True
        if len(k) >= 3 and (key.startswith(k) or key.endswith(k)) and len(key) <= 2 * len(k) + 8:
            return True
    return False


def cut_site_name(title: str, keys: set[str]) -> str:
    """``title`` without a site-name part after its last separator or before its first
    (`` | ``, `` - ``, `` — ``, ``｜``...), when what is left has two words or more. A
    title that is the site's name as a whole stays as it is."""
    if _key(title) in keys:
        return title
    for _ in range(3):
        separators = list(_SITE_SEP.finditer(title))
        if not separators:
            break
        last, first = separators[-1], separators[0]
        if _is_site(title[last.end() :], keys) and _word_count(title[: last.start()]) >= 2:
            title = title[: last.start()].strip()
        elif _is_site(title[: first.start()], keys) and _word_count(title[first.end() :]) >= 2:
            title = title[first.end() :].strip()
        else:
            break
    return title


# An element's text without its scripts and styles (an <h1> may hold a timing script).
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


def headline_texts(root: HtmlElement) -> list[str]:
    """The headlines the page shows: ``<h1>`` and elements marked as the headline
    (``itemprop=headline``, classes such as ``entry-title``), outside sidebars."""
    found: list[str] = []
    for el in root.iter(etree.Element):
        if el.tag == "h1":
            marked = True
        else:
            marks = f"{el.get('class') or ''} {el.get('id') or ''}"
            lower = marks.lower()
            marked = (el.get("itemprop") or "").lower() == "headline" or (
                ("title" in lower or "headline" in lower)
                and bool(_HEADLINE_CLASS.search(marks))
                and el.tag not in ("meta", "title", "script", "style")
                # A box classed "headline" around the <h1> also holds the byline.
                and next(el.iter("h1"), None) is None
            )
        if marked and not in_aside(el):
            text = clean_line("".join(_VISIBLE_TEXT(el)))
            if text and len(text) <= 300 and text not in found:
                found.append(text)
        if len(found) >= 20:
            break
    return found


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_QUOTES).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


def prefer_headline(title: str, headlines: Iterable[str], keys: set[str]) -> str:
    """The page's own headline when it is ``title`` written as the page shows it (its
    quotes, dashes, case), or when the two agree in part (one holds most of the other's
    words: a social or SEO variant of the headline; or the headline holds every word of a
    shorter title, up to twice as long or going on where the title stops); else ``title``."""
    candidates = [cut_site_name(h, keys) for h in headlines]
    folded = _fold(title)
    for headline in candidates:
        if _fold(headline) == folded:
            return headline
    best, best_score = title, 0.0
    for headline in candidates:
        if _word_count(headline) < 3 or (headline.isupper() and not title.isupper()):
            continue
        inside, around = text_similarity(title, headline), text_similarity(headline, title)
        score = min(inside, around)
        agree = score >= 0.7 and max(inside, around) >= 0.8
        # The headline goes on where a shortened title stops ("X review" / "X review: …").
        longer = around >= 0.999 and (inside >= 0.5 or _fold(headline).startswith(folded + " "))
        if (agree or longer) and score > best_score:
            best, best_score = headline, score
    return best


def choose_title(
    md: PageMetadata, headings: list[str], h1_texts: list[str], headlines: Iterable[str] = ()
) -> str:
    """Pick the article title: JSON-LD, then Dublin Core / Open Graph / Twitter meta, then
    the cleaned ``<title>`` (see ``title_from_document``), then the first ``<h1>``; cut its
    site name and prefer the page's own headline (``prefer_headline``)."""
    keys = site_keys(md.site, md.url)
    title = _metadata_title(md, headings, h1_texts)
    title = cut_site_name(title, keys) if title else next((h for h in h1_texts if h), "")
    return prefer_headline(title, headlines, keys) if title else title


def _metadata_title(md: PageMetadata, headings: list[str], h1_texts: list[str]) -> str:
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
    return ""
