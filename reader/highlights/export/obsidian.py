"""Obsidian export: one Markdown note per article in a vault folder, updated in place.

Owns ``export_folder``. Each note has YAML front matter whose keys ``id``, ``title``,
``author``, ``url``, ``published``, ``tags`` and ``highlights`` belong to reader (always
rewritten; every string double-quoted and escaped so the YAML stays valid), followed by
a section between ``<!-- reader:highlights:start -->`` and
``<!-- reader:highlights:end -->`` that reader rewrites. Everything else in the note —
other front matter keys, text above or below our section — is the user's and is kept
byte for byte. A note is found again by the ``id:`` in its front matter, so renaming
the article (or the file) does not create a duplicate. Files are written only inside
the folder, atomically (temporary file + rename), and only when their bytes change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import ReaderError
from reader.highlights.export import markdown
from reader.highlights.export.safe_names import safe_filename
from reader.store.atomic_files import AtomicWrites, shared_file_mode

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem, QuoteItem
    from reader.models import Article, Highlight

SECTION_START = "<!-- reader:highlights:start -->"
SECTION_END = "<!-- reader:highlights:end -->"
OUR_KEYS = ("id", "title", "author", "url", "published", "tags", "highlights")

_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\f": "\\f", "\n": "\\n"}
_SHORT_ESCAPES.update({"\r": "\\r", "\t": "\\t"})
_YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_LENGTHS = {"x": 2, "u": 4, "U": 8}
_KEY_LINE = re.compile(r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#\-'"][^:]*?|-[^\s:][^:]*?):(?:[ \t]|$)""")
_MAX_SCAN_BYTES = 64 * 1024


# --- YAML scalars -------------------------------------------------------------------


def yaml_quote(value: str) -> str:
    """``value`` as a YAML double-quoted scalar on one line.

    Only escapes that JSON shares are used (``\\\\ \\" \\b \\f \\n \\r \\t \\uXXXX``), so
    the scalar also parses as a JSON string. Controls, DEL, C1, line/paragraph
    separators, BOM and non-characters are escaped; lone surrogates become U+FFFD.
    """
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def yaml_unquote(scalar: str) -> str:
    """Decode a YAML double-quoted scalar written on one line; ``ValueError`` if malformed."""
    if len(scalar) < 2 or scalar[0] != '"' or scalar[-1] != '"':
        raise ValueError("not a double-quoted scalar")
    body = scalar[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == '"':
            raise ValueError("unescaped quote inside a double-quoted scalar")
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("dangling backslash")
        kind = body[i + 1]
        if kind in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[kind])
            i += 2
        elif kind in _HEX_LENGTHS:
            digits = body[i + 2 : i + 2 + _HEX_LENGTHS[kind]]
            if len(digits) != _HEX_LENGTHS[kind] or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
                raise ValueError(f"bad \\{kind} escape")
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        else:
            raise ValueError(f"unknown escape \\{kind}")
    return "".join(out)


def _scalar(raw: str, *, strict: bool) -> Any:
    """A one-line YAML scalar: double- or single-quoted, null, integer, ``[]`` or plain."""
    raw = raw.strip()
    if raw.startswith('"'):
        return yaml_unquote(raw)
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'") or "'" in raw[1:-1].replace("''", ""):
            raise ValueError("malformed single-quoted scalar")
        return raw[1:-1].replace("''", "'")
    if raw in ("", "null", "~"):
        return None
    if re.fullmatch(r"-?[0-9]+", raw):
        return int(raw)
    if raw == "[]":
        return []
    if strict and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_ .-]*", raw):
        raise ValueError(f"unquoted value {raw!r}")
    return re.split(r"\s#", raw, maxsplit=1)[0].strip()


def parse_front_matter(lines: Sequence[str], *, strict: bool = True) -> dict[str, Any]:
    """Parse the small YAML subset reader writes: ``key: scalar`` and ``key:`` + ``- item``.

    With ``strict`` any other construct (plain text beyond simple words, nested maps,
    duplicate keys, bad escapes) raises ``ValueError``; without it, what cannot be read is skipped.
    """
    data: dict[str, Any] = {}
    current: str | None = None
    for raw_line in lines:
        line = raw_line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            item = re.match(r"^\s*- (.*)$", line)
            if item and current is not None and isinstance(data.get(current), list):
                data[current].append(_scalar(item.group(1), strict=strict))
                continue
            match = _KEY_LINE.match(line)
            if not match:
                raise ValueError(f"unexpected line {line!r}")
            key = match.group("key").strip()
            if key[:1] in "\"'":
                key = _scalar(key, strict=True)
            if strict and key in data:
                raise ValueError(f"duplicate key {key!r}")
            rest = line[match.end() :]
            current = key
            data[key] = [] if not rest.strip() else _scalar(rest, strict=strict)
        except ValueError:
            if strict:
                raise
            current = None
    return data


# --- note layout --------------------------------------------------------------------


def block_id(highlight_id: str) -> str:
    """An Obsidian block id for a highlight: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9-]", "-", highlight_id) or "highlight"


def front_matter_lines(article: Article, highlight_count: int) -> list[str]:
    """Reader's own front matter keys, in ``OUR_KEYS`` order."""

    def value(text: str | None) -> str:
        return "null" if text is None else yaml_quote(text)

    lines = [
        f"id: {yaml_quote(article.id)}",
        f"title: {yaml_quote(article.title or '')}",
        f"author: {value(article.author)}",
        f"url: {value(article.url)}",
        f"published: {value(article.published)}",
    ]
    if article.tags:
        lines.append("tags:")
        lines.extend(f"  - {yaml_quote(tag)}" for tag in article.tags)
    else:
        lines.append("tags: []")
    lines.append(f"highlights: {highlight_count}")
    return lines


def section_lines(highlights: Sequence[Highlight], quotes: Sequence[QuoteItem] | None) -> list[str]:
    """Reader's section of the note, start and end markers included."""
    out = [SECTION_START, "## Highlights", ""]
    for hl in highlights:
        out.extend(markdown.highlight_lines(hl, block_id=block_id(hl.id)))
    if quotes:
        out.extend(markdown.quotation_lines(quotes))
    out.append(SECTION_END)
    return out


def _split_front_matter(lines: list[str]) -> tuple[list[str] | None, list[str]]:
    """(front matter lines or None, body lines) of a note split on ``\\n``."""
    if not lines or lines[0].rstrip("\r") != "---":
        return None, lines
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") in ("---", "..."):
            return lines[1:index], lines[index + 1 :]
    return None, lines


def _user_front_matter(lines: Sequence[str]) -> list[str]:
    """The front matter lines that are not reader's keys (kept as written)."""
    kept: list[str] = []
    ours = False
    for line in lines:
        bare = line.rstrip("\r")
        continuation = bare[:1] in (" ", "\t", "") or bare == "-" or bare.startswith("- ")
        if continuation:
            if not ours:
                kept.append(line)
            continue
        match = _KEY_LINE.match(bare)
        key = match.group("key").strip().strip("\"'") if match else None
        ours = key in OUR_KEYS
        if not ours:
            kept.append(line)
    return kept


def _find_section(body: list[str]) -> tuple[int, int] | None:
    start = next((i for i, line in enumerate(body) if line.rstrip() == SECTION_START), None)
    if start is None:
        return None
    for index in range(start + 1, len(body)):
        if body[index].rstrip() == SECTION_END:
            return start, index
    return None


def render_note(
    article: Article,
    highlights: Sequence[Highlight],
    quotes: Sequence[QuoteItem] | None,
    existing: str | None = None,
) -> str:
    """The note's full text: a new note, or ``existing`` with reader's parts replaced."""
    ours_fm = front_matter_lines(article, len(highlights))
    section = section_lines(highlights, quotes)
    if existing is None:
        return "\n".join(["---", *ours_fm, "---", "", *section]) + "\n"
    lines = existing.split("\n")
    front, body = _split_front_matter(lines)
    user_fm = _user_front_matter(front) if front is not None else []
    span = _find_section(body)
    if span is not None:
        body = body[: span[0]] + section + body[span[1] + 1 :]
    else:
        while body and body[-1].strip() == "":
            body.pop()
        body = [*body, "", *section, ""] if body else ["", *section, ""]
    return "\n".join(["---", *ours_fm, *user_fm, "---", *body])


# --- the folder ---------------------------------------------------------------------


@dataclass
class ObsidianResult:
    """What an export did: notes whose bytes changed, and notes already up to date."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def _read_note_id(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(_MAX_SCAN_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    front, _ = _split_front_matter(head.split("\n"))
    if front is None:
        return None
    note_id = parse_front_matter(front, strict=False).get("id")
    return str(note_id) if isinstance(note_id, str | int) and str(note_id) else None


def _prepare_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve(strict=True)
    except OSError as err:
        raise ReaderError(f"{folder}: cannot use as export folder ({err.strerror})") from None
    if not root.is_dir():
        raise ReaderError(f"{folder}: not a folder")
    return root


def _inside(root: Path, name: str) -> Path:
    """``root / name`` after checking it is a plain entry directly inside ``root``."""
    target = root / name
    if os.sep in name or (os.altsep and os.altsep in name) or name in ("", ".", ".."):
        raise ReaderError(f"refusing to write outside the export folder: {name!r}")
    if target.resolve().parent != root or target.is_symlink():
        raise ReaderError(f"refusing to write outside the export folder: {name!r}")
    return target


def _existing_notes(root: Path) -> tuple[dict[str, Path], set[str]]:
    """(article id -> note path, casefolded names of every entry) for the folder."""
    by_id: dict[str, Path] = {}
    taken: set[str] = set()
    for entry in sorted(root.iterdir()):
        taken.add(entry.name.casefold())
        if entry.suffix.lower() != ".md" or entry.is_symlink() or not entry.is_file():
            continue
        note_id = _read_note_id(entry)
        if note_id is not None and note_id not in by_id:
            by_id[note_id] = entry
    return by_id, taken


def _new_name(article: Article, taken: set[str]) -> str:
    name = safe_filename(article.title)
    if name.casefold() not in taken:
        return name
    name = safe_filename(article.title, suffix=f" {article.id}")
    counter = 2
    while name.casefold() in taken:
        name = safe_filename(article.title, suffix=f" {article.id} {counter}")
        counter += 1
    return name


def export_folder(
    items: Sequence[ExportItem],
    folder: Path,
    *,
    quotes: Mapping[str, Sequence[QuoteItem]] | None = None,
) -> ObsidianResult:
    """Write or update one note per article in ``folder`` (created if missing).

    A note for an article is the file whose front matter ``id`` matches; a new note is
    named after the title (made safe), with the article id appended when that name is
    taken. Raises ``ReaderError`` when the folder cannot be used or a write fails.
    """
    root = _prepare_folder(folder)
    by_id, taken = _existing_notes(root)
    latest: dict[str, ExportItem] = {article.id: (article, hls) for article, hls in items}
    names: dict[str, str] = {}
    for article_id in latest:
        if article_id in by_id:
            names[article_id] = by_id[article_id].name
    for article_id, (article, _) in latest.items():
        if article_id not in names:
            names[article_id] = _new_name(article, taken)
            taken.add(names[article_id].casefold())
    result = ObsidianResult()
    # Every note is written beside its target, then all are made durable together and
    # renamed into place (``AtomicWrites``): a failure leaves every note as it was.
    with AtomicWrites() as writes:
        for article_id, (article, highlights) in latest.items():
            target = _inside(root, names[article_id])
            try:
                old = target.read_bytes() if target.exists() else None
                existing = old.decode("utf-8", "surrogateescape") if old is not None else None
                article_quotes = quotes.get(article_id) if quotes is not None else None
                text = render_note(article, highlights, article_quotes, existing)
                data = text.encode("utf-8", "surrogateescape")
                if data == old:
                    result.unchanged.append(target)
                    continue
                writes.add(target, data, mode=shared_file_mode(target))
            except OSError as err:
                raise ReaderError(f"{target}: cannot write note ({err.strerror})") from None
            result.written.append(target)
        try:
            writes.commit()
        except OSError as err:
            raise ReaderError(f"{folder}: cannot write the notes ({err.strerror})") from None
    return result
