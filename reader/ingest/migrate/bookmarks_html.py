"""Browser bookmarks (the Netscape bookmark HTML every browser exports), and the same
shape in Pocket's old ``ril_export.html``.

``<DT><A HREF=... ADD_DATE=... TAGS=...>title</A>`` becomes an unfetched article; the
folders (``<H3>``) it sits in become tags, except the browser's own top folders
(toolbar, menu, "Other bookmarks"). Addresses that are not web pages (``place:``,
``javascript:``, ``file:``) are skipped. In a Pocket file, the ``Read Archive`` section
marks articles read.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from reader.ingest.migrate.common import Entry, ExportData, split_tags, to_iso
from reader.ingest.migrate.common import read_text as read_file_text
from reader.sanitize import is_web_url

_TOP_FOLDERS = {
    "bookmarks",
    "bookmarks bar",
    "bookmarks toolbar",
    "bookmarks menu",
    "favorites bar",
    "favourites bar",
    "other bookmarks",
    "mobile bookmarks",
    "menu",
    "toolbar",
    "unfiled",
    "imported",
}


def read(path: Path) -> ExportData:
    """Read a bookmarks HTML file."""
    return read_text(read_file_text(path), str(path))


def read_text(text: str, name: str, *, pocket: bool = False) -> ExportData:
    """Read bookmark HTML already decoded; ``pocket`` reads Pocket's section headings."""
    from reader.errors import ImportFailed

    parser = _BookmarkParser(name, pocket=pocket)
    try:
        parser.feed(text)
        parser.close()
    except Exception as err:  # html.parser is forgiving; anything else is a damaged file
        raise ImportFailed(name, f"not a readable bookmarks file ({type(err).__name__})") from None
    if not parser.links_seen:
        raise ImportFailed(name, "no bookmarks found (expected <A HREF=...> links)")
    return parser.data


class _BookmarkParser(HTMLParser):
    def __init__(self, name: str, *, pocket: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.pocket = pocket
        self.data = ExportData()
        self.links_seen = 0
        self.folders: list[str | None] = []  # one per open <DL>: its folder (None = no tag)
        self.pending_folder: str | None = None
        self.in_h3 = False
        self.in_h1 = False
        self.h3_attrs: dict[str, str] = {}
        self.h3_text: list[str] = []
        self.section = ""
        self.link: dict[str, str] | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "h3":
            self.in_h3, self.h3_attrs, self.h3_text = True, values, []
        elif tag == "h1":
            self.in_h1, self.h3_text = True, []
        elif tag == "dl":
            self.folders.append(self.pending_folder)
            self.pending_folder = None
        elif tag == "a":
            self.link, self.link_text = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3" and self.in_h3:
            self.in_h3 = False
            name = " ".join("".join(self.h3_text).split())
            special = any(
                k in self.h3_attrs for k in ("personal_toolbar_folder", "unfiled_bookmarks_folder")
            )
            self.pending_folder = None if special or name.lower() in _TOP_FOLDERS else name
        elif tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.section = " ".join("".join(self.h3_text).split()).lower()
        elif tag == "dl" and self.folders:
            self.folders.pop()
        elif tag == "a" and self.link is not None:
            self._finish_link()

    def handle_data(self, data: str) -> None:
        if self.in_h3 or self.in_h1:
            self.h3_text.append(data)
        elif self.link is not None:
            self.link_text.append(data)

    def close(self) -> None:
        super().close()
        if self.link is not None:
            self._finish_link()

    def _finish_link(self) -> None:
        link, self.link = self.link or {}, None
        url = (link.get("href") or "").strip()
        if not url:
            return
        self.links_seen += 1
        if not is_web_url(url):
            self.data.skipped += 1
            return
        title = " ".join("".join(self.link_text).split())
        tags = [f for f in self.folders if f]
        tags += split_tags(link.get("tags", ""))
        self.data.entries.append(
            Entry(
                label=f"{self.name}: {url[:100]}",
                title=title or url,
                url=url,
                tags=list(dict.fromkeys(tags)),
                read=self.pocket and "archive" in self.section,
                added=to_iso(link.get("add_date") or link.get("time_added")),
            )
        )
