"""Highlight workflows shared by the CLI and the TUI.

Owns: making a highlight from a passage's text (it must occur in the article), choosing
the highlights to export (by article, tag, bookmark, date), gathering the quotations
for ``--with-quotes``, and restoring highlights from a JSON export into a library
that holds the same articles (matched by URL or content hash).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reader.errors import ImportFailed, NothingToExport, ReaderError
from reader.highlights.export import ExportItem, QuoteItem, export_obsidian, export_text
from reader.models import Highlight
from reader.quotes import find_quotations
from reader.store import Library, normalize_url
from reader.store.atomic_files import atomic_write_bytes, shared_file_mode
from reader.store.library import text_order
from reader.text.document import paragraphs
from reader.text.passages import locate_passage, normalize_for_match
from reader.timestamps import instant


def highlight_text(
    library: Library, article_id: str, text: str, *, note: str | None = None
) -> Highlight:
    """Save ``text`` of the article as a highlight; it must occur in the article.

    Whitespace and quote-mark differences are forgiven. Raises ``ReaderError`` otherwise.
    """
    article = library.get(article_id)
    body = library.body(article.id)
    if body is None:
        raise ReaderError(f"{article.id}: this article's text is missing (body file not found)")
    if not text.strip():
        raise ReaderError("the highlight text is empty")
    found = locate_passage(paragraphs(body), text)
    if found is None:
        raise ReaderError(f"{article.id}: the text was not found in “{article.title}”")
    paragraph, start, end = found
    original = paragraphs(body)[paragraph][start:end]
    return library.add_highlight(
        article.id, original, note=note, paragraph=paragraph, start=start, end=end
    )


SINCE_FORMS = "YYYY-MM-DD, or an ISO date-time such as 2026-03-01T09:30 or 2026-03-01T09:30+02:00"


def parse_since(text: str) -> datetime:
    """The moment ``--since`` names: a date (its local midnight) or an ISO date-time (local
    time unless it carries an offset or ``Z``). Raises ``ValueError`` naming the forms."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time())
        elif len(value) > 10 and value[10] in "Tt ":
            moment = datetime.fromisoformat(value)
        else:
            raise ValueError(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use {SINCE_FORMS}") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def export_items(
    library: Library,
    *,
    article_ids: Sequence[str] = (),
    tags: Sequence[str] = (),
    bookmarked: bool = False,
    since: datetime | None = None,
) -> list[ExportItem]:
    """Articles with their highlights (in text order) chosen by the export filters; an
    article without a matching highlight is left out.

    ``since`` (see ``parse_since``): only highlights made at or after it (a highlight whose
    time cannot be read is left out).
    """
    wanted_ids = {library.resolve_id(a) for a in article_ids}
    wanted_tags = {t.lower() for t in tags}
    by_article: dict[str, list[Highlight]] = {}
    for highlight in library.highlights():
        if since is not None:
            made = instant(highlight.created)  # naive stored times are UTC
            if made is None or made < since.timestamp():
                continue
        by_article.setdefault(highlight.article_id, []).append(highlight)
    items: list[ExportItem] = []
    for article in sorted(library.articles(), key=lambda a: a.added):
        if wanted_ids and article.id not in wanted_ids:
            continue
        if wanted_tags and not wanted_tags <= set(article.tags):
            continue
        if bookmarked and not article.bookmarked:
            continue
        found = by_article.get(article.id)
        if found:
            found.sort(key=text_order)
            items.append((article, found))
    return items


def quotations_for(library: Library, items: Sequence[ExportItem]) -> dict[str, list[QuoteItem]]:
    """The quotations found in each exported article's text, by article id."""
    result: dict[str, list[QuoteItem]] = {}
    for article, _ in items:
        body = library.body(article.id)
        if body is None:
            continue
        result[article.id] = [
            QuoteItem(q.text, q.speaker, q.paragraph) for q in find_quotations(paragraphs(body))
        ]
    return result


def require_highlights(items: Sequence[ExportItem]) -> None:
    """Raise ``NothingToExport`` when ``items`` hold no highlight."""
    if not any(highlights for _, highlights in items):
        raise NothingToExport()


def write_export(
    fmt: str,
    items: Sequence[ExportItem],
    out: Path,
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> Path:
    """Write ``items`` in ``fmt`` to ``out`` (a folder for "obsidian", else a file); return it.

    A file is replaced atomically. Raises ``NothingToExport`` when ``items`` hold no
    highlight (nothing is written), ``ReaderError`` for an unknown format, a folder given
    for a file format, or a file that cannot be written (one line, no traceback).
    """
    require_highlights(items)
    out = Path(out).expanduser()
    try:
        if fmt == "obsidian":
            if out.exists() and not out.is_dir():
                raise ReaderError(f"{out}: is a file; the obsidian format writes a folder")
            export_obsidian(items, out, quotes=quotes)
            return out
        document = export_text(fmt, items, quotes=quotes)
        if out.is_dir():
            raise ReaderError(f"{out}: is a folder; give a file name for the {fmt} export")
        atomic_write_bytes(out, document.encode("utf-8"), mode=shared_file_mode(out))
    except OSError as err:
        raise ReaderError(f"{out}: cannot write ({err.strerror or err})") from None
    return out


@dataclass(slots=True)
class RestoreReport:
    """What ``import-highlights`` did."""

    added: int = 0
    skipped: int = 0  # already there
    unmatched_articles: int = 0  # no article with that URL or content hash here


def restore_highlights(library: Library, text: str, *, source: str) -> RestoreReport:
    """Restore highlights from a ``reader export --format json`` document."""
    from reader.highlights.export.json_format import parse_highlights_json

    report = RestoreReport()
    documents = parse_highlights_json(text, source=source)
    articles = library.articles()
    by_url = {normalize_url(a.url): a for a in articles if a.url}
    by_hash = {a.content_hash: a for a in articles if a.content_hash}
    with library.batch():
        existing = library.highlights()
        seen = {(h.article_id, normalize_for_match(h.text)) for h in existing}
        seen_ids = {h.id for h in existing}
        for meta, highlights in documents:
            target = by_url.get(normalize_url(meta.get("url"))) if meta.get("url") else None
            target = target or by_hash.get(meta.get("content_hash") or "")
            if target is None:
                report.unmatched_articles += 1
                continue
            for hl in highlights:
                key = (target.id, normalize_for_match(hl.text))
                if key in seen or hl.id in seen_ids:
                    report.skipped += 1
                    continue
                library.add_highlight(
                    target.id,
                    hl.text,
                    note=hl.note,
                    color=hl.color,
                    paragraph=hl.paragraph,
                    start=hl.start,
                    end=hl.end,
                    created=hl.created or None,
                    highlight_id=hl.id,
                    end_paragraph=hl.end_paragraph,
                )
                seen.add(key)
                seen_ids.add(hl.id)
                report.added += 1
    return report


__all__ = [
    "ImportFailed",
    "NothingToExport",
    "RestoreReport",
    "export_items",
    "highlight_text",
    "parse_since",
    "quotations_for",
    "require_highlights",
    "restore_highlights",
    "write_export",
]
