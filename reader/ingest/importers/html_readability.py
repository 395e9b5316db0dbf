"""Article-body selection: readability-lxml with Readability.js's candidate climbing.

Owns: ``extract_article_tree`` (and ``extract_article_html``). readability-lxml scores
paragraphs and picks the single best-scoring container, which cuts articles that a page
splits over several sibling blocks (a lead block plus a body block, a post split by inline
ads). Readability.js, the reader view of Firefox, then climbs to a common ancestor when
several of the top candidates live under it, and to a parent that scores higher; this
module adds those two steps (never past a ``<main>``), takes in same-class article segments
a climb left outside, keeps prose lists that readability-lxml would drop for their links,
and replaces its regex-based text measures with XPath ``normalize-space`` ones computed by
libxml2 (``str.split`` ones on pages holding whitespace XPath does not know, such as NBSP).
See docs/extraction.md.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import lxml.etree
from lxml.html import HtmlElement
from readability import Document
from readability.readability import REGEXES

logging.getLogger("readability.readability").addHandler(logging.NullHandler())
logging.getLogger("readability.readability").propagate = False

_TOP_CANDIDATES = 5
_MIN_ALTERNATIVES = 3
_LIST_MAX_LINK_DENSITY = 0.5
# The article's own frame: climbing never goes past one of these.
_FRAMES = ("main",)


def _content_classes(elem: Any) -> set[str]:
    return {c for c in (elem.get("class") or "").split() if REGEXES["positiveRe"].search(c)}


def _outside_segments(best: Any, top: Any, candidates: dict[Any, dict[str, Any]]) -> list[Any]:
    """Candidates outside ``top`` that are segments of the same article as ``best``: the
    same tag, a shared content class (``article-text``...) and a real score."""
    classes = _content_classes(best)
    if not classes:
        return []
    threshold = max(10.0, candidates[best]["content_score"] * 0.2)
    inside = set(top.iterdescendants())
    parent = top.getparent()
    return [
        elem
        for elem, c in candidates.items()
        if elem is not top
        and elem.getparent() is not parent  # a sibling: joined by readability-lxml itself
        and elem not in inside
        and elem.tag == best.tag
        and c["content_score"] >= threshold
        and classes & set((elem.get("class") or "").split())
        and top not in set(elem.iterdescendants())
    ]


def _common_ancestor(top: Any, others: list[Any]) -> Any | None:
    """The nearest ancestor of ``top`` holding all of ``others``, below ``<body>`` and never
    past a ``<main>``; ``None`` when there is none."""
    wanted = set(others)
    for ancestor in top.iterancestors():
        if ancestor.tag in ("body", "html"):
            return None
        found = {e for e in ancestor.iterdescendants() if e in wanted}
        if len(found) == len(wanted):
            return ancestor
        if ancestor.tag in _FRAMES:
            return None
    return None


def _text_length(elem: Any) -> int:
    words = (elem.text_content() or "").split()
    return sum(map(len, words)) + max(len(words) - 1, 0)


# XPath's normalize-space() collapses runs of space, tab, CR and LF into one space, in C:
# the same length as ``_text_length`` (``str.split``) on text holding no other whitespace.
_NORMALIZED_LENGTH = lxml.etree.XPath("string-length(normalize-space())")
# Whitespace to ``str.split`` but not to XPath (NBSP, U+2000-U+200A, U+3000...); a test
# checks this against every code point.
OTHER_SPACES = frozenset(
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _xpath_lengths_exact(text: str) -> bool:
    """True when XPath's normalized lengths equal ``_text_length``'s on all of ``text``."""
    return not any(space in text for space in OTHER_SPACES)


class _ClimbingDocument(Document):
    """A readability-lxml ``Document`` whose best candidate may climb to an ancestor."""

    _link_lengths: dict[Any, int]
    article: Any = None
    _fast_lengths: bool = False

    def _length(self, elem: Any) -> int:
        """``_text_length`` of an element; computed by libxml2 when that is exact."""
        if self._fast_lengths:
            return int(_NORMALIZED_LENGTH(elem))
        return _text_length(elem)

    def _parse(self, input: Any) -> Any:
        """A copy of a tree handed in, else readability-lxml's parse of the HTML.

        The tree comes from ``html_clean.parse_document`` plus ``strip_chrome(mode="light")``:
        no comments, scripts, styles or ``<link>``s, so readability-lxml's lxml ``Cleaner``
        pass (a copy and a walk over every link, a quarter of its time on long pages) has
        nothing left to do; only hidden elements remain to drop, as it does.
        """
        self._link_lengths = {}
        if not isinstance(input, HtmlElement):
            self._fast_lengths = False
            return super()._parse(input)
        doc = copy.deepcopy(input)
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in doc.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(elem.get("style")):
                elem.drop_tree()
        # Checked once on the whole page: a subtree's text is part of it.
        self._fast_lengths = _xpath_lengths_exact(doc.text_content())
        return doc

    def get_clean_html(self) -> str:
        """readability-lxml's HTML of the result, keeping the tree it was written from."""
        self.article = self.html
        return str(super().get_clean_html())

    def remove_unlikely_candidates(self) -> None:
        """readability-lxml's pass, visiting only elements with a class or an id (the
        others never match; creating a Python object for each of them was most of the
        pass)."""
        for elem in self.html.xpath(".//*[@class or @id]"):
            names = "{} {}".format(elem.get("class", ""), elem.get("id", ""))
            if len(names) < 2:
                continue
            if (
                REGEXES["unlikelyCandidatesRe"].search(names)
                and not REGEXES["okMaybeItsACandidateRe"].search(names)
                and elem.tag not in ("html", "body")
                and not elem.xpath("ancestor-or-self::pre | ancestor-or-self::code")
                and not elem.xpath(
                    "descendant-or-self::main | descendant-or-self::article | "
                    "descendant-or-self::math"
                )
            ):
                elem.drop_tree()

    def get_link_density(self, elem: Any) -> float:
        """Share of an element's text inside links (whitespace runs count as one char).

        Same measure as readability-lxml's, computed by libxml2 (see ``_length``) instead of
        three regex passes per call, and each link measured once per page.
        """
        lengths = self._link_lengths
        link_length = 0
        for a in elem.iterdescendants("a"):
            length = lengths.get(a)
            if length is None:
                length = lengths[a] = self._length(a)
            link_length += length
        return link_length / max(self._length(elem), 1)

    def get_preserved_elements(self, node: Any) -> dict[Any, bool]:
        """Elements the final clean-up keeps whatever their link density: readability-lxml's
        (tables of contents, quote leads) plus prose lists.

        readability-lxml drops any list whose text is more than 25 % links, which loses
        lists of items citing their sources (``Fixed the crash, see bug 123``). Like
        Readability.js, a list is kept unless its class is negative or links make up most
        of its text (a list of headlines, a link farm).
        """
        allowed: dict[Any, bool] = super().get_preserved_elements(node)
        for elem in self.tags(node, "ul", "ol"):
            if (
                elem not in allowed
                and self.class_weight(elem) >= 0
                and self.get_link_density(elem) <= _LIST_MAX_LINK_DENSITY
                and self._length(elem) >= self.min_text_length
                and elem.find(".//input") is None
                and elem.find(".//embed") is None
            ):
                allowed[elem] = True
        return allowed

    def score_paragraphs(self) -> dict[Any, dict[str, Any]]:
        """readability-lxml's paragraph scoring, measuring text with ``_length``.

        Same scores (a whitespace run counts as one character, as after its ``clean``);
        its three regex passes per paragraph took a fifth of the time on long pages.
        """
        candidates: dict[Any, dict[str, Any]] = {}
        ordered: list[Any] = []
        for elem in self.tags(self._html(), "p", "pre", "td", "blockquote"):
            parent = elem.getparent()
            if parent is None:
                continue
            grandparent = parent.getparent()
            length = self._length(elem)
            if length < self.min_text_length:
                continue
            for node in (parent, grandparent):
                if node is not None and node not in candidates:
                    candidates[node] = self.score_node(node)
                    ordered.append(node)
            commas = (elem.text_content() or "").count(",")
            content_score = 2 + commas + min(length / 100, 3)
            candidates[parent]["content_score"] += content_score
            if grandparent is not None:
                candidates[grandparent]["content_score"] += content_score / 2.0
        for node in ordered:
            candidates[node]["content_score"] *= 1 - self.get_link_density(node)
        return candidates

    def select_best_candidate(self, candidates: dict[Any, dict[str, Any]]) -> Any:
        best = super().select_best_candidate(candidates)
        if not best:
            return best
        ranked = sorted(candidates.values(), key=lambda c: c["content_score"], reverse=True)
        if best is not ranked[0] or best["content_score"] <= 0:
            return best  # an articleBody or nested <article> choice: keep it
        top = best["elem"]
        score = best["content_score"]
        if top.tag in _FRAMES:
            return best
        alternatives = [
            set(c["elem"].iterancestors())
            for c in ranked[1:_TOP_CANDIDATES]
            if c["content_score"] / score >= 0.75
        ]
        if len(alternatives) >= _MIN_ALTERNATIVES:
            for ancestor in top.iterancestors():
                if ancestor.tag in ("body", "html"):
                    break
                if sum(ancestor in a for a in alternatives) >= _MIN_ALTERNATIVES:
                    top = ancestor
                    break
                if ancestor.tag in _FRAMES:
                    break
        # Climb while a scored parent scores higher than what we have.
        last = candidates[top]["content_score"] if top in candidates else score
        threshold = last / 3
        for parent in top.iterancestors():
            if parent.tag in ("body", "html") or top.tag in _FRAMES:
                break
            if parent not in candidates:
                continue
            parent_score = candidates[parent]["content_score"]
            if parent_score < threshold:
                break
            if parent_score > last:
                top = parent
                break
            last = parent_score
        if top is best["elem"]:
            return best  # readability-lxml merges the segments of ``best`` itself
        # Climbing bypasses that merge: take in the segments left outside instead.
        segments = _outside_segments(best["elem"], top, candidates)
        common = _common_ancestor(top, segments) if segments else None
        if common is not None:
            top = common
        if top not in candidates:
            candidates[top] = self.score_node(top)
            candidates[top]["content_score"] = max(candidates[top]["content_score"], score)
        return candidates[top]


def extract_article_tree(page: str | HtmlElement) -> HtmlElement | None:
    """The article of a page as a ``<div>`` element (readability-lxml's own tree, not a
    parse of its HTML), or ``None`` when none is found. ``page`` as for
    ``extract_article_html``."""
    doc = _ClimbingDocument(page)
    try:
        found = doc.summary(html_partial=True)
    except Exception:  # readability-lxml wraps any failure in a bare Exception subclass
        return None
    return doc.article if found else None


def extract_article_html(page: str | HtmlElement) -> str:
    """The article HTML (a ``<div>`` fragment) of a page, or ``""`` when none is found.

    ``page`` is the page's HTML or its parsed tree (read, not changed, apart from dropping
    ``hidden`` elements); a tree saves serializing and parsing the page again.
    """
    try:
        return _ClimbingDocument(page).summary(html_partial=True) or ""
    except Exception:  # readability-lxml wraps any failure in a bare Exception subclass
        return ""
