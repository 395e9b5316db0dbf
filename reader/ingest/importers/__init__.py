"""Turning files into articles: the one entry point the CLI and the store call.

Owns: the dispatch from bytes or a file to the right importer (HTML, Markdown, plain or
scraped text), decided by content (see ``detect``), the size limit, ``find_importable`` for
expanding folders, and the rule that every failure is an ``ImportFailed`` with a one-line
``<name>: <reason>`` message.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from reader.errors import ImportFailed
from reader.ingest.importers.decoding import bom_encoding, decode_bytes, guess_utf16
from reader.ingest.importers.detect import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    MAX_IMPORT_BYTES,
    TEXT_SUFFIXES,
    check_size,
    detect_format,
)
from reader.models import ParsedArticle

__all__ = [
    "MAX_IMPORT_BYTES",
    "SUPPORTED_SUFFIXES",
    "find_importable",
    "parse_bytes",
    "parse_file",
    "read_input",
]

SUPPORTED_SUFFIXES: frozenset[str] = HTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _parse(data: bytes, name: str, url: str | None, source_path: str | None) -> ParsedArticle:
    check_size(len(data), name)
    text = decode_bytes(data, name=name)
    kind = detect_format(data, text, name=name, suffix=_suffix(name))
    if kind == "html":
        from reader.ingest.importers.html_page import parse_html

        # Bytes let the HTML importer honour a <meta charset>; UTF-16 goes in decoded.
        payload: bytes | str = data
        if guess_utf16(data) or (bom_encoding(data) or ("utf-8", 0))[0] != "utf-8":
            payload = text
        article = parse_html(payload, url=url, source_path=source_path)
    elif kind == "markdown":
        from reader.ingest.importers.markdown_file import parse_markdown

        article = parse_markdown(text, url=url, source_path=source_path)
    else:
        from reader.ingest.importers.scraped_text import parse_text

        article = parse_text(text, url=url, source_path=source_path)
    if source_path is not None and article.source_path is None:
        article.source_path = source_path
    if url and not article.url:
        article.url = url
    return article


def parse_bytes(data: bytes, *, name: str, url: str | None = None) -> ParsedArticle:
    """Import ``data`` (a whole file or download); ``name`` labels it in error messages.

    The importer is chosen by content: HTML, Markdown or plain/scraped text. Raises only
    ``ImportFailed`` (binary, empty, too large, undecodable, or the importer failed).
    """
    return _guarded(data, name, url, None)


def _guarded(data: bytes, name: str, url: str | None, source_path: str | None) -> ParsedArticle:
    try:
        return _parse(data, name, url, source_path)
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed(name, "could not parse: structure nested too deeply") from None
    except MemoryError:
        raise ImportFailed(name, "could not parse: out of memory") from None
    except Exception as err:  # an importer bug must not escape as a traceback
        detail = " ".join(str(err).split())[:200] or type(err).__name__
        raise ImportFailed(name, f"could not parse: {detail}") from None


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    for test, kind in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def read_input(
    path: Path,
    *,
    name: str | None = None,
    limit: int = MAX_IMPORT_BYTES,
    directory_reason: str = "is a directory",
) -> bytes:
    """The bytes of an input file (an article, a feed, an export from another app).

    Only a regular file is read: it is opened without waiting (a named pipe would block
    the open) and checked on the open file. Raises ``ImportFailed`` with one line for a
    folder, a named pipe, socket or device, a missing or unreadable file, or a file over
    ``limit`` bytes (checked before reading).
    """
    name = name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ImportFailed(name, "no such file") from None
    except PermissionError:
        raise ImportFailed(name, "permission denied") from None
    except OSError as err:  # a socket cannot be opened: say what it is
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
            if stat.S_ISDIR(mode):
                raise ImportFailed(name, directory_reason) from None
            if not stat.S_ISREG(mode):
                raise ImportFailed(name, f"skipped: {_kind(mode)}, not a regular file") from None
        raise ImportFailed(name, f"cannot read: {err.strerror or err}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ImportFailed(name, directory_reason)
        if not stat.S_ISREG(mode):
            raise ImportFailed(name, f"skipped: {_kind(mode)}, not a regular file")
        check_size(os.fstat(fd).st_size, name, limit)
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read(limit + 1)
    except ImportFailed:
        raise
    except OSError as err:
        raise ImportFailed(name, f"cannot read: {err.strerror or err}") from None
    finally:
        if fd >= 0:
            os.close(fd)


def parse_file(path: str | Path, *, url: str | None = None) -> ParsedArticle:
    """Import the file at ``path``; the result's ``source_path`` is the file's path.

    Raises ``ImportFailed`` for a missing, unreadable, oversized, binary or empty file.
    """
    file_path = Path(path)
    data = read_input(file_path, name=str(path))
    return _guarded(data, str(path), url, str(file_path))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def find_importable(
    paths: Iterable[str | Path],
    *,
    follow_links: bool = False,
    on_skip: Callable[[Path, str], None] | None = None,
    skipped: list[Path] | None = None,
) -> list[Path]:
    """Files to import from ``paths``.

    A directory is expanded recursively to its files with a supported suffix, sorted,
    skipping hidden files and directories; the other files found in it are appended to
    ``skipped`` when given. Symbolic links that lead out of the folder are not followed
    unless ``follow_links``; each link skipped, and each subfolder that cannot be read,
    is told to ``on_skip(path, reason)``. A plain path is
    returned as given whatever its suffix (content decides later), so a missing file is
    reported by ``parse_file``. Duplicates are dropped; order is kept.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path not in seen:
            seen.add(path)
            found.append(path)

    def skip(path: Path, reason: str) -> None:
        if on_skip is not None:
            on_skip(path, reason)

    for entry in paths:
        path = Path(entry)
        if not path.is_dir():
            add(path)
            continue
        inside: list[Path] = []
        others: list[Path] = []
        for folder, file in _walk(path, follow_links, skip):
            if _hidden(file):
                continue
            if _suffix(file) in SUPPORTED_SUFFIXES:
                inside.append(folder / file)
            else:
                others.append(folder / file)
        for item in sorted(inside):
            add(item)
        if skipped is not None:
            skipped.extend(sorted(others))
    return found


def _walk(
    top: Path, follow_links: bool, skip: Callable[[Path, str], None]
) -> Iterator[tuple[Path, str]]:
    """(folder, file name) of every file under ``top``; links are followed only with
    ``follow_links`` (each real folder visited once: a link loop ends)."""
    visited: set[tuple[int, int]] = set()
    real_top = top.resolve()

    def outside(link: Path) -> bool:
        try:
            return not link.resolve().is_relative_to(real_top)
        except (OSError, RuntimeError):  # a link loop
            return True

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else top
        skip(where, f"cannot read this folder ({err.strerror or err}); its files were skipped")

    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=follow_links):
        folder = Path(root)
        if follow_links:
            try:
                st = folder.stat()
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in visited:
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
        kept = []
        for name in dirs:
            if _hidden(name):
                continue
            if not follow_links and (folder / name).is_symlink():
                if outside(folder / name):  # (one inside is walked as itself)
                    skip(
                        folder / name, "a link out of the folder: not followed (use --follow-links)"
                    )
                continue
            kept.append(name)
        dirs[:] = kept
        for name in files:
            link = folder / name
            if not follow_links and link.is_symlink() and outside(link):
                if not _hidden(name) and _suffix(name) in SUPPORTED_SUFFIXES:
                    skip(link, "a link out of the folder: not followed (use --follow-links)")
                continue
            yield folder, name
