"""The author of a saved page: which byline to trust, and how to clean it.

Owns ``find_author`` (JSON-LD, then ``<meta>``, then the page's own byline elements:
``itemprop=author``, ``rel=author``, elements classed as bylines) and ``clean_author``
(one byline text to the names in it). A byline is taken apart into names: "By" and role
words ("Staff Writer", "記者") go, words run together by the page's markup are split
("ByJane Doe", "Jane DoeStaff Writer"), page furniture ("See full bio", a date, "Follow")
is cut, and a name equal to the site or publisher, or one that names a desk or a company
("Our Foreign Staff", "Example Media Group"), is never an author; a news agency is.
``credit_in_text`` finds the reporter that CJK news names only in the article's text.
Callers get ``None`` rather than a doubtful name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.importers.dates import parse_date
from reader.ingest.importers.html_published import in_aside
from reader.sanitize import clean_line

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|story|text|words|photos?)\s+)?"
    r"(?:by|from|von|par|por|door|di|av|af|oleh|tác giả|autor(?:in|ka)?|author)\b\s*:?\s*",
    re.I,
)
_GLUED_BY = re.compile(r"^By(?=[A-ZÀ-ÖØ-Þ])")
_ROLE = (
    r"(?:(?:senior|staff|contributing|special|chief|associate|deputy|managing|executive|"
    r"political|foreign|science|tech(?:nology)?|business|sports?|national|news|guest|"
    r"investigative|legal|health|features?|opinion|digital|assistant|bureau)\s+)*"
    r"(?:writers?|reporters?|correspondents?|editors?|columnists?|contributors?|"
    r"photographers?|producers?|journalists?|analysts?|critic)"
)
_GLUED_WORD = re.compile(
    rf"(?<=[a-zà-öø-ÿ])(?=(?:{_ROLE}|See|Follow|Email|More|Updated|Published|Posted|"
    r"Read|View|Contact)\b)",
    re.I,
)
# "本报记者 王丽", "文／记者 王明", "佐藤美咲 記者", "박지훈 기자": reporter words of CJK bylines.
_CJK_ROLE = re.compile(
    r"^\s*文\s*[／/:：]\s*|(?:[\u3400-\u9fff]{1,6}部\s*)?(?:本[报報社]|特派)?(?:記者|记者|기자|特派[員员]|通[讯信][员員])"
    # a dateline after the name ("陳怡君／台北報導") and the brackets around a byline
    r"|[\u3400-\u9fff]{1,6}(?:報導|报道|電|电)(?=\s*[〕】）)]|\s*$)|[（）〔〕【】]"
)
# A desk, a publisher or another organisation, not a person: "Our Foreign Staff", "KXRT
# Staff", "Meridian Media Group", "Office of Communications", and the accounts a CMS is
# installed with ("Super User"). A news agency ("AFP", "Press Association") is kept: it
# is who wrote a wire story.
_ORGANISATION = re.compile(
    r"\b(?:Staff|Desk|Team|Newsroom|Group|Media|Inc|Ltd|LLC|Corp|Corporation|Company|"
    r"Publishing|Publications|Network|Reports|News|Digital|Editors|Editorial Board|Office|"
    r"Department|University|Communications|Redaktion|Rédaction|Redacción|Redazione|"
    r"Redação)\b"
    # the same in CJK: news, daily, times, evening paper, newspaper company, station
    r"|新[闻聞]|[日时時晚早][报報]|[报報]社|新聞社|[电電]视台|[電电]視台|广播|뉴스|일보|신문|방송"
    r"|^(?:Super User|Administrator|admin|webmaster|webdesk|editor|user)$",
    re.I,
)
# The editor on duty of a Chinese page ("责任编辑：王强") is not its author.
_EDITOR_ONLY = re.compile(r"^\s*(?:责任编辑|責任編輯|编辑|編輯|校对|校對)\s*[:：]")
_ONLY_ROLE = re.compile(rf"^\s*(?:the\s+)?{_ROLE}\s*$", re.I)
_TRAILING_ROLE = re.compile(rf"(?<=\S)[\s,\-–—]+\b{_ROLE}\b.*$", re.I)
_FURNITURE = re.compile(
    r"\b(?:see full bio|full bio|bio|follow|email|e-mail|contact|updated|published|posted|"
    r"read more|more from|more by|view all|all posts|twitter|facebook|linkedin|instagram|"
    r"\d+\s*min(?:ute)?s?\s+read)\b.*$",
    re.I,
)
_SPLIT_NAMES = re.compile(
    # "and" in English, German, French, Dutch, Italian and Portuguese, Norwegian and
    # Danish, Swedish, Finnish, Indonesian, Vietnamese; the CJK enumeration comma.
    r"\s*(?:&|\b(?:and|und|et|(?-i:en|e|og|och|ja|dan|và))\b|;|\||·|•|/|／|、|\n"
    r"|\b(?:edited|illustrated|photos?|reviewed|translated|additional reporting)\s+by\b)\s*",
    re.I,
)
_NOT_A_NAME = re.compile(r"\d|@|https?:|www\.|\.com\b|[<>{}=]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LETTERS = re.compile(r"[^\W\d_]+")
_BYLINE_CLASS = re.compile(r"byline|author|autor|auteur|firma|writer|contributor|creator", re.I)
_NOT_BYLINE_CLASS = re.compile(
    r"avatar|image|photo|img|follow|bio\b|description|comment|related|more-from|social|share",
    re.I,
)
_MAX_NAMES = 6
_REL_TAGS = frozenset({"a", "span", "div", "p", "address", "li"})
_AUTHOR_LINK = re.compile(
    r"/(?:authors?|by|people|profiles?|staff|writers?|journalists?)/[^/?#]+/?(?:$|[?#])", re.I
)
_DATE_WORDS_BEFORE = re.compile(
    r"(?:\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?,?\s*){0,2}$",
    re.I,
)
_DOMAIN_END = re.compile(r"\.(?:com|org|net|info|co|news|[a-z]{2})(?:\.[a-z]{2})?$", re.I)
_WITH = re.compile(r"\(\s*(?:avec|with)\b", re.I)


def _key(name: str) -> str:
    """A name reduced to its letters, case folded: for comparing with the site name."""
    return "".join(_LETTERS.findall(name.casefold()))


def _looks_like_name(name: str) -> bool:
    if not name or len(name) > 60 or _NOT_A_NAME.search(name):
        return False
    if not _LETTERS.search(name):
        return False
    if _CJK.search(name):
        return len(name.replace(" ", "")) <= 20
    words = name.split()
    if not 1 <= len(words) <= 5 or all(len(w.strip(".")) < 2 for w in words):
        return False
    # Names are capitalised where the script has capitals ("s sai" is a handle).
    return name.lower() == name.upper() or any(w[:1].isupper() for w in words)


def _one_name(part: str) -> str | None:
    part = _PREFIX.sub("", part.strip(" ,:-–—|\t"))
    if _ONLY_ROLE.match(part):
        return None
    part = _TRAILING_ROLE.sub("", part)
    part = part.strip(" ,:-–—|.()[]")
    return part if _looks_like_name(part) and not _ORGANISATION.search(part) else None


def _cut_date(text: str) -> str:
    """``text`` up to a date in it ("Jane Doe March 3, 2020" keeps "Jane Doe")."""
    if not re.search(r"\d", text):
        return text
    for match in re.finditer(r"\d", text):
        head = text[: match.start()]
        # The date may start with a month or weekday name just before the digit.
        head = _DATE_WORDS_BEFORE.sub("", head)
        if parse_date(text[len(head) :]):
            return head
        break
    return text


def clean_author(raw: str | None, site_keys: Iterable[str] = ()) -> str | None:
    """The names in one byline text, joined with ", "; ``None`` when none is left.

    ``site_keys`` are ``_key`` forms of the site and publisher names: a name equal to one
    of them is the publisher, not an author.
    """
    text = clean_line(raw or "")
    if not text or len(text) > 300:
        return None
    text = _WITH.sub(" and ", text).replace("(", " ").replace(")", " ")
    text = _GLUED_BY.sub("By ", text)
    text = _GLUED_WORD.sub(" ", text)
    text = _PREFIX.sub("", text)
    text = _CJK_ROLE.sub(" ", text)
    text = _FURNITURE.sub("", text)
    text = _cut_date(text)
    sites = set(site_keys)
    if _EDITOR_ONLY.match(text):
        return None
    key = _key(text)
    # "Fern & Fathom" is the site, not two people; so is "Báo Tin Nhanh Việt" ("the
    # newspaper Tin Nhanh Việt"): the site's name and a short word.
    if key in sites or any(
        len(site) >= 6 and site in key and len(key) - len(site) <= 4 for site in sites
    ):
        return None
    names: list[str] = []
    for chunk in _SPLIT_NAMES.split(text):
        # "Jane Doe, John Roe" is two names; "Doe, Jane" is one written surname first.
        commas = [c for c in chunk.split(",") if c.strip() and _key(c) not in sites]
        if len(commas) > 1 and all(len(c.split()) >= 2 for c in commas):
            parts = commas
        else:
            parts = [",".join(commas)] if commas else []
        for part in parts:
            name = _one_name(part)
            if name and _key(name) not in sites and name not in names:
                names.append(name)
    if not names or len(names) > _MAX_NAMES:
        return None
    return ", ".join(" ".join(name.split()) for name in names)


def site_keys(names: Iterable[str | None]) -> set[str]:
    """The ``_key`` forms of the site and publisher names. (Not the host name: a personal
    site is often named after its author.)"""
    keys: set[str] = set()
    for name in filter(None, names):
        # "ESPN.com", "Le Monde.fr" name the sites ESPN and Le Monde.
        keys.update((_key(name), _key(_DOMAIN_END.sub("", name.strip()))))
    keys.discard("")
    return keys


def _element_text(el: HtmlElement) -> str:
    """An element's text with a space between the pieces of markup, so that
    ``<span>By</span><a>Jane Doe</a>`` reads "By Jane Doe", not "ByJane Doe"."""
    return " ".join(t.strip() for t in el.itertext() if t.strip())


def _byline_elements(root: HtmlElement) -> Iterable[HtmlElement]:
    """Elements a page marks as its byline, most specific first: microdata authors, then
    ``rel=author`` links, elements classed as bylines and links to an author's page,
    outside related-article boxes, sidebars, navigation and comments."""
    elements = list(root.iter(etree.Element))
    for el in elements:
        if "author" in (el.get("itemprop") or "").lower():
            names = [
                n for n in el.iter(etree.Element) if (n.get("itemprop") or "").lower() == "name"
            ]
            yield from names or [el]
    for el in elements:
        rel = el.get("rel")
        if rel and "author" in rel.lower().split() and el.tag in _REL_TAGS and not in_aside(el):
            yield el
    for el in elements:
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if len(marks) < 5 or el.tag in ("html", "body", "meta", "script"):
            continue
        byline = _BYLINE_CLASS.search(marks) and not _NOT_BYLINE_CLASS.search(marks)
        if byline and not in_aside(el):
            yield el
    # Last: a link to an author page (/author/jane-doe, /by/jane-doe, /people/…).
    for el in root.iter("a"):
        if _AUTHOR_LINK.search(el.get("href") or "") and not in_aside(el):
            yield el


def _typed_person(el: HtmlElement) -> bool:
    """True when microdata says the element (or the one it names) is a Person."""
    for node in (el, el.getparent()):
        if node is not None and "person" in (node.get("itemtype") or "").lower():
            return True
    return False


def page_byline(root: HtmlElement, keys: set[str]) -> str | None:
    """The first byline element of the page that holds a clean name."""
    for seen, el in enumerate(_byline_elements(root)):
        if seen > 200:
            break
        content = el.get("content")
        text = content if content else _element_text(el)
        author = clean_author(text, () if _typed_person(el) else keys)
        if author:
            return author
    return None


def find_author(
    root: HtmlElement, candidates: Iterable[tuple[str | None, bool]], keys: set[str]
) -> str | None:
    """The author: the first of ``candidates`` (JSON-LD and ``<meta>`` values in order of
    trust, each with whether the page types it a Person, which may share the site's name)
    that cleans to a name, else the page's byline elements."""
    for candidate, person in candidates:
        if candidate and not candidate.strip().lower().startswith(("http:", "https:")):
            author = clean_author(candidate, () if person else keys)
            if author:
                return author
    return page_byline(root, keys)


# "新华社武汉6月28日电（记者李明、张婷）…" near the top of a Chinese article.
_REPORTER_NEAR_TOP = re.compile(
    r"[（(〔【]\s*(?:本[报報])?(?:记者|記者|기자)\s*([^（）()〔〕【】]{2,24}?)\s*[）)〕】]"
)
# "…と話した。（佐藤陽子）" at the very end of a Japanese article.
_REPORTER_AT_END = re.compile(r"（([\u3400-\u9fff\u3040-\u30ff]{2,8})）\s*$")
_NOT_A_CREDIT = re.compile(r"略|完|終|终|続|つづ|おわり|写真|撮影|提供|攝|摄|[图圖]")


def credit_in_text(markdown: str) -> str | None:
    """The reporter a CJK article names only in its text: in brackets after "记者" near
    the top ("（记者李明、张婷）"), or in brackets at the very end ("（佐藤陽子）");
    ``None`` when there is no such credit."""
    paragraphs = [p.strip() for p in markdown.split("\n\n") if p.strip()]
    for paragraph in paragraphs[:3]:
        match = _REPORTER_NEAR_TOP.search(paragraph[:120])
        # not a photo's credit ("（記者陳建宏攝）" under a picture)
        if match and not paragraph.startswith("![") and not _NOT_A_CREDIT.search(match[1]):
            return clean_author(match.group(1))
    if paragraphs:
        match = _REPORTER_AT_END.search(paragraphs[-1])
        if match and not _NOT_A_CREDIT.search(match.group(1)):
            return clean_author(match.group(1))
    return None
