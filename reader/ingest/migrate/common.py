"""What every migration reader shares: the entry shapes and the small parsing helpers.

Owns: ``Entry`` / ``HighlightSpec`` / ``FeedSpec`` / ``ExportData`` (what a format reader
returns: pure data, nothing stored yet), reading an export file as text or CSV rows with
one-line ``ImportFailed`` errors, dates to ISO 8601 UTC, tag lists, and turning an HTML
fragment or a list of highlights into an article body.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import ImportFailed, ReaderError
from reader.ingest.importers import read_input
from reader.ingest.importers.dates import parse_date
from reader.ingest.importers.decoding import decode_bytes
from reader.limits import MAX_EXPORT_BYTES
from reader.models import ParsedArticle
from reader.sanitize import clean_line

MAX_ROW_ERRORS_KEPT = 200

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([-+=])(\s|$)")


@dataclass(slots=True)
class HighlightSpec:
    """A highlight as an export gives it (anchored when stored, if its text is found)."""

    text: str
    note: str | None = None
    created: str | None = None  # ISO 8601 UTC
    color: str | None = None
    location: float | None = None  # an ordering key (Kindle location, Readwise position)


@dataclass(slots=True)
class Entry:
    """One article (or book) from an export, with what the user did with it there.

    ``load`` (when set) parses the entry's content, and runs only if the article is not
    in the library yet; its result's metadata is overridden by the fields set here. With
    neither ``load`` nor ``markdown`` the entry is stored unfetched (it needs a ``url``).
    ``match_title`` marks entries without a URL (books) that are the same as a stored
    article with the same title and author, so a re-run adds nothing.
    """

    label: str  # names the entry in error messages
    title: str
    url: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    summary: str | None = None
    markdown: str = ""
    load: Callable[[], ParsedArticle] | None = None
    tags: list[str] = field(default_factory=list)
    read: bool = False
    bookmarked: bool = False
    added: str | None = None  # ISO 8601 UTC: when it was saved in the other app
    highlights: list[HighlightSpec] = field(default_factory=list)
    match_title: bool = False

    def parsed(self) -> ParsedArticle:
        """The article to store: ``load()``'s result (or ``markdown``) with our metadata."""
        if self.load is not None:
            article = safe_call(self.load, self.label)
        else:
            article = ParsedArticle(title=self.title, markdown=self.markdown)
        article.title = self.title or article.title or self.url or "(untitled)"
        article.url = self.url or article.url
        article.author = self.author or article.author
        article.site = self.site or article.site
        article.published = self.published or article.published
        article.summary = self.summary or article.summary
        article.tags = list(self.tags)
        return article


@dataclass(slots=True)
class FeedSpec:
    """A feed subscription from an OPML file."""

    url: str
    title: str


@dataclass(slots=True)
class ExportData:
    """Everything read from one export: entries, feeds, bad rows, rows skipped on purpose."""

    entries: list[Entry] = field(default_factory=list)
    feeds: list[FeedSpec] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0

    def error(self, message: str) -> None:
        """Count a bad row (only the first ``MAX_ROW_ERRORS_KEPT`` messages are kept)."""
        self.errors.append(clean_line(message)[:300])


# -- reading files --------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The bytes of an export file; ``ImportFailed`` (one line) when it cannot be read."""
    return read_input(
        path, limit=MAX_EXPORT_BYTES, directory_reason="is a directory, not an export file"
    )


def decode(data: bytes, name: str) -> str:
    """Bytes as text (BOM honoured and dropped); ``ImportFailed`` for binary or empty data."""
    if not data.strip():
        raise ImportFailed(name, "the file is empty")
    text = decode_bytes(data, name=name)
    return text.lstrip("\ufeff")


def read_text(path: Path) -> str:
    """An export file as text."""
    return decode(read_bytes(path), str(path))


def csv_rows(
    text: str, name: str, required: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and rows (with their line numbers) of CSV ``text``.

    Header names are matched without regard to case or surrounding spaces; every name in
    ``required`` must be there, else the file is not this format (``ImportFailed``).
    Row values are stripped strings (missing cells are ``""``).
    """
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise ImportFailed(name, "the file is empty")
        keys = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
        missing = [r for r in required if r.lower() not in keys]
        if missing:
            raise ImportFailed(
                name,
                "not the expected CSV: missing column(s) "
                + ", ".join(missing)
                + f" (found: {', '.join(h for h in keys if h)[:120] or 'nothing'})",
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {k: (row[i].strip() if i < len(row) else "") for i, k in enumerate(keys)}
            rows.append((reader.line_num, values))
    except csv.Error as err:
        raise ImportFailed(name, f"not a readable CSV file ({err})") from None
    return keys, rows


class ZipMembers:
    """The files of a zip archive, each decompressed only when read (``read``), so a
    member never needed is never unpacked. What all reads unpack is capped at
    ``MAX_EXPORT_BYTES``, counted as it is decompressed (the archive's own sizes are not
    trusted). ``ImportFailed`` (one line) for a damaged archive or one over the cap.
    Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.unpacked = 0
        try:
            self._archive = zipfile.ZipFile(path)
            self._infos = {i.filename: i for i in self._archive.infolist() if not i.is_dir()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as err:
            raise ImportFailed(self.name, f"not a readable zip archive ({err})") from None

    @property
    def names(self) -> list[str]:
        """The names of the files in the archive, in its order."""
        return list(self._infos)

    def read(self, member: str) -> bytes:
        left = MAX_EXPORT_BYTES - self.unpacked
        try:
            with self._archive.open(self._infos[member]) as handle:
                data = handle.read(left + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as err:
            raise ImportFailed(f"{self.name}:{member}", f"not readable ({err})") from None
        self.unpacked += len(data)
        if len(data) > left:
            raise ImportFailed(
                self.name, f"the archive unpacks to more than {MAX_EXPORT_BYTES >> 20} MB"
            )
        return data

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> ZipMembers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- values ----------------------------------------------------------------------------------------


def to_iso(value: object) -> str | None:
    """A date as ISO 8601 UTC (``2023-04-03T10:15:32Z``), or ``None`` when unreadable.

    Takes Unix seconds (or milliseconds), ISO 8601 with or without an offset, and the
    written-out dates Kindle uses. Times without a zone are taken as UTC.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.match(value)):
        try:
            seconds = float(value)
        except ValueError:
            return None
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        if seconds <= 0:
            return None
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return _utc(moment)
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(_ISO_FIXES.sub(r"\1:\2", text.replace("Z", "+00:00")))
    except ValueError:
        iso = parse_date(text)
        if iso is None:
            return None
        moment = datetime.fromisoformat(iso)
    return _utc(moment)


_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")
_ISO_FIXES = re.compile(r"([+-]\d{2})(\d{2})$")  # +0200 → +02:00


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def split_tags(value: object) -> list[str]:
    """Tags from a list or a ``|``/``,``-separated string; empty ones dropped."""
    if isinstance(value, list | tuple):
        items: Iterable[object] = value
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items = re.split(r"[|,]", text)
    else:
        return []
    tags: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or item.get("label") or ""
        tag = str(item).strip().strip("\"'").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def truthy(value: object) -> bool:
    """``1``/``true``/``yes`` (any case) or a true boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return str(value or "").strip().lower() in {"1", "true", "yes", "y"}


def escape_paragraph(text: str) -> str:
    """One highlight as a Markdown paragraph that renders back to the same text."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    joined = " ".join(line for line in lines if line)
    escaped = joined.translate(_MARKDOWN_SPECIAL)
    return _LIST_START.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}\\{m.group(3)}{m.group(4)}"
            if m.group(2)
            else f"{m.group(5)}\\{m.group(6)}{m.group(7)}"
        ),
        escaped,
    )


def highlights_body(highlights: Sequence[HighlightSpec]) -> str:
    """An article body made of the highlights, one paragraph each, in location order."""
    ordered = sorted(
        highlights, key=lambda h: h.location if h.location is not None else float("inf")
    )
    return "\n\n".join(escape_paragraph(h.text) for h in ordered if h.text.strip()) + "\n"


def html_loader(
    html: str, *, name: str, title: str, url: str | None
) -> Callable[[], ParsedArticle]:
    """A loader that turns an article's HTML (a whole page or a fragment) into an article."""

    def load() -> ParsedArticle:
        from reader.ingest.importers.html_page import parse_html

        document = html
        if "<body" not in html[:5000].lower():
            safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
            document = (
                f"<html><head><title>{safe_title}</title></head>"
                f"<body><article>{html}</article></body></html>"
            )
        return parse_html(document, url=url, source_path=None)

    return load


def has_text(html: str | None) -> bool:
    """True when an HTML fragment holds any visible words."""
    if not html:
        return False
    return bool(re.search(r"\w", re.sub(r"<[^>]*>", " ", html)))


def safe_call(load: Callable[[], ParsedArticle], label: str) -> ParsedArticle:
    """Run a loader; anything but a ``ReaderError`` becomes a one-line ``ImportFailed``."""
    try:
        return load()
    except ReaderError:
        raise
    except Exception as err:  # a parser bug must not stop the migration
        detail = " ".join(str(err).split())[:200] or type(err).__name__
        raise ImportFailed(label, f"could not read the content: {detail}") from None
