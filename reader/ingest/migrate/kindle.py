"""Kindle ``My Clippings.txt``: highlights and notes, one article per book.

Entries are separated by ``==========``; each has a ``Title (Author)`` line, a metadata
line (``- Your Highlight on page 12 | Location 180-183 | Added on Monday, 3 April 2023
10:15:32``; also ``Your Note`` and ``Your Bookmark``), a blank line and the text.

- a note attaches to the highlight whose location range holds the note's location
  (Kindle puts a note at the end of its highlight); a note with no highlight there
  becomes a highlight of its own text;
- editing a highlight on the Kindle appends a new clipping: of highlights of one book
  whose locations overlap and whose texts contain one another, the longest is kept;
- bookmarks are ignored (counted as skipped); a byte-order mark anywhere is dropped.

Each book becomes an article whose body is its highlights in location order (so they
anchor); a re-run finds the book again by title and author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reader.errors import ImportFailed
from reader.ingest.migrate.common import (
    Entry,
    ExportData,
    HighlightSpec,
    highlights_body,
    read_text,
    to_iso,
)
from reader.text.passages import normalize_for_match

SEPARATOR = re.compile(r"^={8,}\s*$", re.MULTILINE)
_LOCATION = re.compile(
    r"\b(?:location|loc\.?|position|posición|emplacement|posizione|positie)\s+(\d+)(?:\s*-\s*(\d+))?",
    re.IGNORECASE,
)
_PAGE = re.compile(r"\b(?:page|seite|página|pagina)\s+(\d+)(?:\s*-\s*(\d+))?", re.IGNORECASE)
_ADDED = re.compile(
    r"\|\s*(?:added on|hinzugefügt am|ajouté le|añadido el|aggiunto in)\s*(.+)$", re.I
)
_AUTHOR = re.compile(r"^(?P<title>.*?)\s*\((?P<author>[^()]*)\)\s*$")


@dataclass(slots=True)
class _Clip:
    kind: str  # "highlight" | "note" | "bookmark"
    start: int
    end: int
    text: str
    created: str | None
    order: int


def _kind(meta: str) -> str:
    lowered = meta.lower()
    if any(w in lowered for w in ("bookmark", "lesezeichen", "signet", "marcador", "segnalibro")):
        return "bookmark"
    if (
        any(w in lowered for w in ("your note", " note ", "notiz", "nota "))
        and "highlight" not in lowered
    ):
        return "note"
    return "highlight"


def _range(meta: str) -> tuple[int, int] | None:
    found = _LOCATION.search(meta) or _PAGE.search(meta)
    if not found:
        return None
    start = int(found.group(1))
    end_text = found.group(2)
    end = start
    if end_text:
        end = int(end_text)
        if end < start and len(end_text) < len(found.group(1)):  # "1406-07" shorthand
            end = int(found.group(1)[: -len(end_text)] + end_text)
        end = max(end, start)
    return start, end


def read(path: Path) -> ExportData:
    """Read ``My Clippings.txt`` (or a Kindle folder holding ``documents/My Clippings.txt``)."""
    if path.is_dir():
        candidates = [path / "documents" / "My Clippings.txt", path / "My Clippings.txt"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise ImportFailed(str(path), "no 'My Clippings.txt' in this folder")
        path = found
    name = str(path)
    text = read_text(path).replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    if not SEPARATOR.search(text):
        raise ImportFailed(name, "not a Kindle clippings file (no ========== separators)")
    data = ExportData()
    books: dict[tuple[str, str], list[_Clip]] = {}
    titles: dict[tuple[str, str], tuple[str, str]] = {}
    for order, block in enumerate(SEPARATOR.split(text), start=1):
        lines = block.strip("\n").split("\n")
        if not "".join(lines).strip():
            continue
        if len(lines) < 2 or not lines[1].lstrip().startswith("-"):
            data.error(f"{name}: clipping {order}: no '- Your Highlight ...' line")
            continue
        title_line, meta = lines[0].strip(), lines[1].strip()
        body = "\n".join(lines[2:]).strip()
        kind = _kind(meta)
        if kind == "bookmark":
            data.skipped += 1
            continue
        where = _range(meta)
        if where is None:
            data.error(f"{name}: clipping {order}: no location or page in {meta[:80]!r}")
            continue
        if not body:
            data.skipped += 1  # an empty highlight (clipping limit reached)
            continue
        match = _AUTHOR.match(title_line)
        title, author = (match["title"], match["author"]) if match else (title_line, "")
        key = (title.casefold(), author.casefold())
        titles.setdefault(key, (title or "(untitled book)", author))
        added = _ADDED.search(meta)
        created = to_iso(added.group(1)) if added else None
        books.setdefault(key, []).append(_Clip(kind, where[0], where[1], body, created, order))
    for key, clips in books.items():
        title, author = titles[key]
        highlights = _merge(clips)
        if not highlights:
            continue
        dates = sorted(c.created for c in clips if c.created)
        data.entries.append(
            Entry(
                label=f"{name}: {title[:60]}",
                title=title,
                author=author or None,
                markdown=highlights_body(highlights),
                highlights=highlights,
                added=dates[0] if dates else None,
                match_title=True,
            )
        )
    return data


def _merge(clips: list[_Clip]) -> list[HighlightSpec]:
    """One book's clippings as highlights: edits collapsed, notes attached."""
    kept: list[_Clip] = []
    for clip in (c for c in clips if c.kind == "highlight"):
        folded = normalize_for_match(clip.text)
        for i, other in enumerate(kept):
            overlap = clip.start <= other.end and other.start <= clip.end
            other_folded = normalize_for_match(other.text)
            if overlap and (folded in other_folded or other_folded in folded):
                if len(folded) > len(other_folded):
                    kept[i] = clip
                break
        else:
            kept.append(clip)
    notes: dict[int, list[str]] = {}
    loose: list[_Clip] = []
    for note in (c for c in clips if c.kind == "note"):
        owner = next(
            (i for i, h in enumerate(kept) if note.end == h.end),
            next((i for i, h in enumerate(kept) if h.start <= note.start <= h.end), None),
        )
        if owner is None:
            loose.append(note)
        elif note.text not in notes.setdefault(owner, []):
            notes[owner].append(note.text)
    result = [
        HighlightSpec(
            h.text,
            note="\n\n".join(notes.get(i, [])) or None,
            created=h.created,
            location=h.start + h.order / 1e6,
        )
        for i, h in enumerate(kept)
    ]
    result += [
        HighlightSpec(n.text, created=n.created, location=n.start + n.order / 1e6) for n in loose
    ]
    return result
