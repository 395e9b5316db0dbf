"""Plain data shapes shared by the core and the TUI.

Owns: ``ParsedArticle`` (what an importer returns, before storing), ``Article`` (an
article's metadata as stored, without its body) and ``Highlight``. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class ParsedArticle:
    """An article as an importer understood it; nothing is stored yet."""

    title: str
    markdown: str
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601, e.g. "2022-04-14T13:52:00" or "2022-04-14"
    summary: str | None = None  # the deck or the page description
    tags: list[str] = field(default_factory=list)
    source_path: str | None = None
    source_format: str = "text"  # "html", "markdown", "text", ...

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "site": self.site,
            "url": self.url,
            "summary": self.summary,
            "tags": list(self.tags),
            "markdown": self.markdown,
        }


@dataclass(slots=True)
class Article:
    """An article's metadata as stored. The body is kept apart and loaded on demand."""

    id: str
    title: str
    author: str | None = None
    site: str | None = None
    url: str | None = None
    source_path: str | None = None
    published: str | None = None
    added: str = ""  # ISO 8601 UTC
    summary: str | None = None
    word_count: int = 0
    reading_minutes: int = 0
    tags: list[str] = field(default_factory=list)
    bookmarked: bool = False
    read: bool = False
    position: float = 0.0  # reading position as a fraction 0..1 of the article
    content_hash: str = ""
    highlight_count: int = 0
    unfetched: bool = False  # known by URL only; body not fetched yet

    def to_dict(self) -> dict[str, Any]:
        """Every field by name, as ``dataclasses.asdict`` gives them (the tags copied),
        thirty times faster: the start snapshot saves hundreds of rows."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields["tags"] = list(self.tags)
        return fields

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["tags"] = list(known.get("tags") or [])
        return cls(**known)


@dataclass(slots=True)
class Highlight:
    """A passage the user kept, anchored so it can be found again after re-rendering."""

    id: str
    article_id: str
    text: str
    note: str | None = None
    color: str | None = None
    created: str = ""  # ISO 8601 UTC
    paragraph: int | None = None  # index of the paragraph in the article's paragraph list
    start: int | None = None  # character offsets inside that paragraph
    end: int | None = None  # (inside ``end_paragraph`` when that is set)
    end_paragraph: int | None = None  # a passage across paragraphs ends in this one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Highlight:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
