"""OPML feed lists: every ``<outline xmlUrl=...>`` becomes a feed subscription.

Nothing is fetched: the feeds are fetched by the next ``reader refresh``. Outlines with
a ``xmlUrl`` count whatever their ``type`` (some apps leave it out); the title is
``title``, else ``text``, else the URL. Entities are not expanded and nothing is loaded
from the network while parsing.
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree

from reader.errors import ImportFailed
from reader.ingest.migrate.common import ExportData, FeedSpec, read_bytes
from reader.sanitize import is_web_url


def read(path: Path) -> ExportData:
    """Read an OPML file."""
    name = str(path)
    raw = read_bytes(path)
    if not raw.strip():
        raise ImportFailed(name, "the file is empty")
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        root = lxml.etree.fromstring(raw.lstrip(b"\xef\xbb\xbf"), parser)
    except lxml.etree.XMLSyntaxError as err:
        raise ImportFailed(name, f"not valid OPML/XML ({err.msg})") from None
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ImportFailed(name, "not an OPML file (the root element is not <opml>)")
    data = ExportData()
    seen: set[str] = set()
    for outline in root.iter("outline"):
        attrs = {str(k).lower(): str(v) for k, v in outline.attrib.items()}
        url = attrs.get("xmlurl", "").strip()
        if not url:
            continue
        if not is_web_url(url):
            data.error(f"{name}: not a web address: {url[:80]!r}")
            continue
        if url in seen:
            continue
        seen.add(url)
        title = attrs.get("title") or attrs.get("text") or url
        data.feeds.append(FeedSpec(url=url, title=" ".join(title.split())))
    if not data.feeds and not data.errors:
        raise ImportFailed(name, "no feeds in this OPML file (no <outline xmlUrl=...>)")
    return data
