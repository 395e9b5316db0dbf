"""Leftovers of page furniture inside the chosen article, dropped before conversion.

Owns ``drop_leftovers``: photo credits ("Credit: …", "Photo: …", elements classed as
credits) inside figures and captions, so a body never opens with one; empty headings
(which html2text writes as a bare ``####``); and figure captions made paragraphs of their
own, so a caption does not run into the image or the text after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

_CREDIT_CLASS = re.compile(r"(?:^|[\s_-])(?:credits?|copyright|photographer)(?:$|[\s_-])", re.I)
_CREDIT_TEXT = re.compile(
    r"^\s*(?:(?:photo(?:graph)?|image|picture|foto|illustration)s?(?:\s+credit)?\s*[:/©]"
    r"|(?:credit|crédit|source)\s*(?:\.\.\.|…|:)|©)",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_CREDIT = 150


def _in_figure(el: HtmlElement) -> bool:
    for ancestor in el.iterancestors():
        if ancestor.tag in ("figure", "figcaption") or _CAPTION_CLASS.search(
            ancestor.get("class") or ""
        ):
            return True
    return el.tag == "figcaption" or bool(_CAPTION_CLASS.search(el.get("class") or ""))


def _is_credit(el: HtmlElement) -> bool:
    if el.tag in ("p", "div", "figure") and el.find(".//p") is not None:
        return False
    text = " ".join(el.text_content().split())
    if not text or len(text) > _MAX_CREDIT:
        return False
    if _CREDIT_CLASS.search(f"{el.get('class', '')} {el.get('itemprop', '')}"):
        return True
    return bool(_CREDIT_TEXT.match(text)) and _in_figure(el)


def _candidates(fragment: HtmlElement) -> Iterator[HtmlElement]:
    """Headings, and what may be a credit: figures and captions with what they hold, and
    elements classed as credits (cheap substring tests before any regex)."""
    for el in fragment.iter(etree.Element):
        if el.tag in _HEADINGS:
            yield el
            continue
        marks = f"{el.get('class') or ''} {el.get('itemprop') or ''}".lower()
        caption = el.tag in ("figure", "figcaption") or "caption" in marks
        if caption or "credit" in marks or "copyright" in marks or "photographer" in marks:
            yield el
        if caption:
            yield from el.iterdescendants(etree.Element)


def drop_leftovers(fragment: HtmlElement) -> None:
    """Drop credits and empty headings from ``fragment`` and make captions paragraphs."""
    for el in list(_candidates(fragment)):
        if not isinstance(el, HtmlElement) or el is fragment or el.getparent() is None:
            continue
        if el.tag in _HEADINGS:
            if not el.text_content().strip() and el.find(".//img") is None:
                el.drop_tree()
        elif el.tag != "img" and _is_credit(el):
            el.drop_tree()
    for caption in list(fragment.iter("figcaption")):
        caption.tag = "p"
