"""JSON export and import of highlights (schema "reader-highlights", version 1).

Owns ``render`` (articles and their highlights as one JSON document) and
``parse_highlights_json``, which validates such a document for ``reader
import-highlights``. The layout is documented in docs/export-formats.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader.errors import ImportFailed
from reader.models import Highlight
from reader.sanitize import escape_unsafe_json

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem, QuoteItem

SCHEMA_NAME = "reader-highlights"
SCHEMA_VERSION = 1

# Article fields exported (and returned by the parser), in this order.
ARTICLE_FIELDS = (
    "id",
    "title",
    "author",
    "site",
    "url",
    "published",
    "added",
    "tags",
    "content_hash",
)
HIGHLIGHT_FIELDS = ("id", "text", "note", "color", "created", "paragraph", "start", "end")


def _article_json(article: Any) -> dict[str, Any]:
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    data["tags"] = list(article.tags)
    return data


def _highlight_json(hl: Highlight) -> dict[str, Any]:
    data = {name: getattr(hl, name) for name in HIGHLIGHT_FIELDS}
    if hl.end_paragraph is not None:  # a passage across paragraphs (only then: older
        data["end_paragraph"] = hl.end_paragraph  # exports and readers stay the same)
    return data


def render(
    items: Sequence[ExportItem],
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
    exported: str | None = None,
) -> str:
    """``items`` as a "reader-highlights" JSON document (UTF-8 text, 2-space indent).

    ``exported`` is the export time to record (ISO 8601); now, in UTC, when omitted.
    """
    articles = []
    for article, highlights in items:
        entry = _article_json(article)
        entry["highlights"] = [_highlight_json(hl) for hl in highlights]
        if quotes is not None:
            entry["quotations"] = [
                {"text": q.text, "speaker": q.speaker, "paragraph": q.paragraph}
                for q in quotes.get(article.id, ())
            ]
        articles.append(entry)
    document = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "exported": exported or datetime.now(UTC).replace(microsecond=0).isoformat(),
        "articles": articles,
    }
    text = escape_unsafe_json(json.dumps(document, ensure_ascii=False, indent=2))
    # Lone surrogates cannot be written as UTF-8; keep the file writable.
    return text.encode("utf-8", "replace").decode("utf-8") + "\n"


class _Checker:
    """Raises ``ImportFailed(source, "<where>: <problem>")`` for a malformed document."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> ImportFailed:
        return ImportFailed(self.source, f"{where}: {problem}" if where else problem)

    def string(self, data: dict, key: str, where: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}", "missing")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "must be text")
        if required and not value.strip():
            raise self.fail(f"{where}.{key}", "must not be empty")
        return value

    def offset(self, data: dict, key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{where}.{key}", "must be a whole number >= 0 or null")
        return value


def _parse_highlight(check: _Checker, raw: Any, where: str, article_id: str) -> Highlight:
    if not isinstance(raw, dict):
        raise check.fail(where, "must be an object")
    hl = Highlight(
        id=check.string(raw, "id", where, required=True) or "",
        article_id=article_id,
        text=check.string(raw, "text", where, required=True) or "",
        note=check.string(raw, "note", where),
        color=check.string(raw, "color", where),
        created=check.string(raw, "created", where) or "",
        paragraph=check.offset(raw, "paragraph", where),
        start=check.offset(raw, "start", where),
        end=check.offset(raw, "end", where),
        end_paragraph=check.offset(raw, "end_paragraph", where),
    )
    if (
        hl.end_paragraph is None
        and hl.start is not None
        and hl.end is not None
        and hl.start > hl.end
    ):
        raise check.fail(where, "start is after end")
    return hl


def _parse_article(check: _Checker, raw: Any, where: str) -> tuple[dict, list[Highlight]]:
    if not isinstance(raw, dict):
        raise check.fail(where, "must be an object")
    meta: dict[str, Any] = {
        "id": check.string(raw, "id", where, required=True),
        "title": check.string(raw, "title", where) or "",
    }
    for key in ("author", "site", "url", "published"):
        meta[key] = check.string(raw, key, where)
    meta["added"] = check.string(raw, "added", where) or ""
    meta["content_hash"] = check.string(raw, "content_hash", where) or ""
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise check.fail(f"{where}.tags", "must be a list of text")
    meta["tags"] = list(tags)
    raw_highlights = raw.get("highlights", [])
    if not isinstance(raw_highlights, list):
        raise check.fail(f"{where}.highlights", "must be a list")
    highlights = [
        _parse_highlight(check, h, f"{where}.highlights[{i}]", meta["id"])
        for i, h in enumerate(raw_highlights)
    ]
    return meta, highlights


def parse_highlights_json(
    text: str, *, source: str = "highlights file"
) -> list[tuple[dict, list[Highlight]]]:
    """Validate a "reader-highlights" JSON document; return ``(article metadata, highlights)``.

    The metadata dict has exactly the keys in ``ARTICLE_FIELDS``. Unknown keys are ignored
    (forward compatible within a version). Raises ``ImportFailed`` (a ``ReaderError``,
    message ``<source>: <where>: <problem>``) for invalid JSON, another schema, a newer
    version, a wrong type, or a highlight id used twice.
    """
    check = _Checker(source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise check.fail("", f"not valid JSON (line {err.lineno}, column {err.colno})") from None
    except (TypeError, ValueError, RecursionError):
        raise check.fail("", "not valid JSON") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA_NAME:
        raise check.fail("", f'not a reader highlights export (expected "schema": "{SCHEMA_NAME}")')
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise check.fail("version", "must be a whole number >= 1")
    if version > SCHEMA_VERSION:
        raise check.fail(
            "", f"made by a newer reader (version {version}); this one reads up to {SCHEMA_VERSION}"
        )
    articles = document.get("articles")
    if not isinstance(articles, list):
        raise check.fail("articles", "must be a list")
    result = [_parse_article(check, raw, f"articles[{i}]") for i, raw in enumerate(articles)]
    seen_articles: set[str] = set()
    seen_highlights: set[str] = set()
    for index, (meta, highlights) in enumerate(result):
        if meta["id"] in seen_articles:
            raise check.fail(f"articles[{index}].id", f"article {meta['id']!r} appears twice")
        seen_articles.add(meta["id"])
        for h_index, hl in enumerate(highlights):
            if hl.id in seen_highlights:
                where = f"articles[{index}].highlights[{h_index}].id"
                raise check.fail(where, f"highlight {hl.id!r} appears twice")
            seen_highlights.add(hl.id)
    return result
