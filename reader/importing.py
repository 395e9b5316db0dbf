"""Importing files into a library: parse (in parallel when it pays), store in order.

Owns ``import_paths``, the one code path behind ``reader add``, ``reader demo`` and the
benchmark. Parsing is pure and runs in a process pool for large batches; storing runs
in this process in the order the paths were given, so a parallel import stores exactly
what a serial one would. Results are reported only after the batch holding them was
written to disk, so every "added" line survives a crash that follows it. Each added
article goes into the search index as it is stored (``index_cache.ImportIndexer``), and
the index file beside the library is saved at the end.

The per-article CPU work runs in the workers too (``_parse_one``): the body is prepared
as the store keeps it (``prepare_body``: cleaned, hashed, words counted) and its index
words are found (``unique_tokens``), so the storing process only writes and indexes
(and indexes while the workers still parse: no index work is left for the end).
Both paths (pool or not) run the same function, so their results are the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from reader.errors import ImportFailed, ReaderError
from reader.importers import find_importable, parse_file
from reader.models import ParsedArticle
from reader.store import Library
from reader.store.library import PreparedBody, prepare_body
from reader.text_tokens import unique_tokens

COMMIT_EVERY = 32  # articles per locked write: keeps the lock short for other processes
POOL_THRESHOLD = 16  # fewer files than this parse in-process (a pool costs ~100 ms to start)
_SEP = "\n"  # joins an article's index words (a word never holds whitespace)


@dataclass(slots=True)
class ImportOutcome:
    """What happened to one path."""

    path: str
    status: str  # "added" | "duplicate" | "error"
    id: str | None = None
    title: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "id": self.id,
            "title": self.title,
            "error": self.error,
        }


class _Prepared(NamedTuple):
    """One parsed file, made ready to store and index (what a worker sends back)."""

    parsed: ParsedArticle  # its markdown is ``body.body`` (pickled once)
    body: PreparedBody
    words: str  # ``unique_tokens(body.body)`` joined by ``_SEP`` (cheap to pickle)


def _parse_one(path: str) -> _Prepared | str:
    """Parse one file and prepare its body and index words; an error comes back as its
    one-line message (picklable)."""
    try:
        parsed = parse_file(path)
    except ReaderError as err:
        return str(err)
    prepared = prepare_body(parsed.markdown)
    parsed.markdown = prepared.body  # add_parsed uses ``prepared``; this saves a copy
    return _Prepared(parsed, prepared, _SEP.join(unique_tokens(prepared.body)))


def _parsed_stream(paths: Sequence[str], workers: int) -> Iterator[_Prepared | str]:
    if workers <= 1 or len(paths) < POOL_THRESHOLD:
        for path in paths:
            yield _parse_one(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_parse_one, paths, chunksize=4)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    tags: Sequence[str] = (),
    workers: int | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[ImportOutcome]:
    """Import files and folders (recursively) into ``library``; one outcome per file."""
    from reader.index_cache import ImportIndexer  # loaded only when importing

    files = [str(p) for p in find_importable(paths)]
    if on_total:
        on_total(len(files))
    outcomes: list[ImportOutcome] = []
    pending: list[ImportOutcome] = []
    indexer = ImportIndexer(library)  # loads the index file at the first added article

    def flush() -> None:
        for outcome in pending:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        pending.clear()

    stream = _parsed_stream(files, default_workers() if workers is None else workers)
    batch_open = False
    batch_cm = None
    try:
        for path, item in zip(files, stream, strict=True):
            if isinstance(item, str):
                pending.append(ImportOutcome(path, "error", error=item))
                continue
            if not batch_open:
                batch_cm = library.batch()
                batch_cm.__enter__()
                batch_open = True
            result = library.add_parsed(item.parsed, tags=tags, prepared=item.body)
            article = result.article
            if result.status == "added":
                indexer.add(article, item.words.split(_SEP) if item.words else [])
            pending.append(ImportOutcome(path, result.status, id=article.id, title=article.title))
            if len(pending) >= COMMIT_EVERY:
                batch_cm.__exit__(None, None, None)  # type: ignore[union-attr]
                batch_open = False
                flush()
        if batch_open:
            batch_cm.__exit__(None, None, None)  # type: ignore[union-attr]
            batch_open = False
        flush()
    except BaseException as exc:
        if batch_open and batch_cm is not None:
            batch_cm.__exit__(type(exc), exc, exc.__traceback__)
        raise
    indexer.finish()
    return outcomes


def import_parsed(
    library: Library, parsed: ParsedArticle, *, label: str, tags: Sequence[str] = ()
) -> ImportOutcome:
    """Store one already-parsed article (a URL or feed entry) and describe the result."""
    try:
        result = library.add_parsed(parsed, tags=tags)
    except ImportFailed as err:
        return ImportOutcome(label, "error", error=str(err))
    return ImportOutcome(label, result.status, id=result.article.id, title=result.article.title)
