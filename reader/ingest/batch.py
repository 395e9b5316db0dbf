"""Importing files into a library: parse (in parallel when it pays), store in order.

Owns ``import_paths``, the one code path behind ``reader add``, ``reader demo`` and the
benchmark. Parsing is pure and runs in a process pool for large batches; storing runs
in this process in the order the paths were given, so a parallel import stores exactly
what a serial one would. Results are reported only after the batch holding them was
written to disk, so every "added" line survives a crash that follows it. Each added
article goes into the search index as it is stored (``index_cache.ImportIndexer``), and
the index file beside the library is saved at the end (unless the import is too small to
be worth rewriting that file: the next reader indexes its few articles).

The per-article CPU work runs in the workers too (``_parse_one``): the body is prepared
as the store keeps it (``prepare_body``: cleaned, hashed, words counted) and its index
words are found (``unique_tokens``), so the storing process only writes and indexes
(and indexes while the workers still parse: no index work is left for the end).
Both paths (pool or not) run the same function, so their results are the same.

The pool (``_WorkerPool``) is a few forked processes fed through pipes, plus the storing
process itself, which parses a task whenever the result it must store next is not in yet;
it reads the workers' results between two articles (no helper threads competing with it
for the GIL), and each worker keeps a few tasks queued, so neither side waits for the other.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, NamedTuple

from reader.errors import ImportFailed, ReaderError
from reader.ingest.importers import find_importable, parse_file
from reader.models import ParsedArticle
from reader.sanitize import clean_line
from reader.store import Library
from reader.store.atomic_files import naming
from reader.store.library import PreparedBody, prepare_body
from reader.text.tokens import joined_unique_tokens

COMMIT_EVERY = 32  # articles per locked write: keeps the lock short for other processes
POOL_THRESHOLD = 16  # fewer files than this parse in-process (a pool costs ~100 ms to start)
_PICKLE = pickle.HIGHEST_PROTOCOL
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
    words: str  # ``unique_tokens(body.body)`` joined by ``_SEP`` (``joined_unique_tokens``)
    staged: str | None = None  # a file holding ``body.body`` (see ``BodyStore.write``)


def _parse_one(path: str, stage_dir: str | None = None, number: int = 0) -> _Prepared | str:
    """Parse one file and prepare its body and index words; an error comes back as its
    one-line message (picklable). With ``stage_dir`` the body is also written there, as
    file ``number``, for the storing process to rename into place."""
    try:
        parsed = parse_file(path)
        prepared = prepare_body(parsed.markdown, path)
    except ReaderError as err:
        return str(err)
    parsed.markdown = prepared.body  # add_parsed uses ``prepared``; this saves a copy
    staged = None
    if stage_dir is not None:
        staged = os.path.join(stage_dir, f"{number}.md")
        try:
            with open(staged, "wb") as handle:
                handle.write(prepared.body.encode("utf-8"))
        except OSError as exc:  # disk full, ...: the bodies folder is named, not this file
            with contextlib.suppress(OSError):
                os.unlink(staged)
            raise naming(exc, Path(stage_dir).parent) from None
    return _Prepared(parsed, prepared, joined_unique_tokens(prepared.body, _SEP), staged)


def _pooled(files: int, workers: int) -> bool:
    """Whether ``files`` files are parsed in a pool of worker processes."""
    return workers > 1 and files >= POOL_THRESHOLD


def _parsed_stream(
    paths: Sequence[str], workers: int, stage_dir: str | None = None
) -> Generator[_Prepared | str, None, None]:
    if not _pooled(len(paths), workers):
        for path in paths:
            yield _parse_one(path)
        return
    pool = _WorkerPool(paths, workers, stage_dir)
    try:
        yield from pool.results()
    finally:
        pool.close()


# -- the worker pool ------------------------------------------------------------------------
_CHUNK = 4  # files per task (one message each way)
_IN_FLIGHT = 3  # tasks queued at each worker, so it never waits for the next one
_WINDOW = 16  # tasks per worker handed out ahead of the one being stored (bounds memory)
_RESULT_PIPE_BYTES = 1 << 20  # asked for (Linux): a worker rarely waits to send its results
_F_SETPIPE_SZ = 1031


def _worker_main(
    tasks: Connection,
    results: Connection,
    stage_dir: str | None,
    inherited: Sequence[Connection] = (),
) -> None:
    """A worker process: parse each task's files, send their results back in one message.

    An unexpected exception is sent back in place of the results (the storing process
    raises it). Ctrl-C is left to the storing process, which stops the workers.

    ``inherited`` are the storing process's ends of this worker's pipes and of the
    workers forked before it, copied by the fork: closed first, so that when the storing
    process dies (however it dies) the last write end of ``tasks`` is gone, ``recv``
    sees end-of-file and the worker ends (it would otherwise wait forever, holding the
    caller's standard output open)."""
    for connection in inherited:
        connection.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the fork copied lives as long as the worker: keep the cyclic GC off it (its
    # collections would walk it all, and write to every page of it, copying them).
    gc.freeze()
    while True:
        try:
            chunk = tasks.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        first, paths = chunk
        try:
            parsed = [_parse_one(path, stage_dir, first + i) for i, path in enumerate(paths)]
            message = pickle.dumps((True, parsed), _PICKLE)
        except Exception as exc:  # noqa: BLE001 - sent back and raised there
            try:
                message = pickle.dumps((False, exc), _PICKLE)
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                message = pickle.dumps((False, RuntimeError(repr(exc))), _PICKLE)
        try:
            results.send_bytes(message)
        except OSError:  # the storing process is gone
            return


class _Worker:
    __slots__ = ("process", "tasks", "results", "pending")

    def __init__(self, process: BaseProcess, tasks: Connection, results: Connection) -> None:
        self.process = process
        self.tasks = tasks  # this end sends
        self.results = results  # this end receives
        self.pending: deque[int] = deque()  # task numbers sent, not yet answered


class _WorkerPool:
    """Parses ``paths`` in ``workers`` processes, this one included; ``results()`` yields
    them in order.

    ``workers - 1`` processes are forked; the storing process is the last worker: when
    the result it must store next is not in yet, it parses the next task not handed out
    instead of waiting (so on two cores two processes parse, not three competing for
    them: measured 5% more pages/s and 4% less CPU than two forked workers).

    Unlike ``concurrent.futures`` (whose helper threads move every task and result and
    must win the GIL from the storing loop to do so), results are read by the storing
    thread itself, between two articles, from a pipe per worker made large enough that a
    worker does not wait for them to be read. Each worker keeps a few tasks queued."""

    def __init__(self, paths: Sequence[str], workers: int, stage_dir: str | None = None) -> None:
        # a task: (the number of its first file, its files)
        self.tasks = [(i, list(paths[i : i + _CHUNK])) for i in range(0, len(paths), _CHUNK)]
        self.next_task = 0
        self.stored_task = 0  # the task whose results are being stored
        self.done: dict[int, list[_Prepared | str]] = {}
        self.workers: list[_Worker] = []
        self.window = _WINDOW * workers
        self.stage_dir = stage_dir
        context = multiprocessing.get_context()
        try:
            for _ in range(workers - 1):  # this process is the last of the ``workers``
                task_in, task_out = context.Pipe(duplex=False)
                result_in, result_out = context.Pipe(duplex=False)
                _grow_pipe(result_in)
                parent_ends = [task_out, result_in]
                for worker in self.workers:
                    parent_ends += [worker.tasks, worker.results]
                process = context.Process(
                    target=_worker_main,
                    args=(task_in, result_out, stage_dir, parent_ends),
                    daemon=True,
                )
                process.start()
                task_in.close()
                result_out.close()
                self.workers.append(_Worker(process, task_out, result_in))
            self._hand_out()
        except BaseException:
            self.close()
            raise

    def results(self) -> Iterator[_Prepared | str]:
        """Every file's result, in the order of ``paths``."""
        for number in range(len(self.tasks)):
            self.stored_task = number
            while number not in self.done:
                if self._parse_here():
                    self._receive(block=False)
                else:  # every task is out: wait for the workers
                    self._receive(block=True)
            self._hand_out()
            for item in self.done.pop(number):
                yield item
                self._receive(block=False)  # keep the pipes drained while storing

    def _parse_here(self) -> bool:
        """Parse the next task not handed out yet here, instead of waiting for a worker;
        False when there is none (all are out, or the window is full)."""
        number = self.next_task
        if number >= len(self.tasks) or number >= self.stored_task + self.window:
            return False
        self.next_task += 1
        first, paths = self.tasks[number]
        self.done[number] = [
            _parse_one(path, self.stage_dir, first + i) for i, path in enumerate(paths)
        ]
        return True

    def _hand_out(self) -> None:
        for worker in self.workers:
            while (
                len(worker.pending) < _IN_FLIGHT
                and self.next_task < len(self.tasks)
                and self.next_task < self.stored_task + self.window
            ):
                try:
                    worker.tasks.send(self.tasks[self.next_task])
                except OSError:
                    raise _worker_died() from None
                worker.pending.append(self.next_task)
                self.next_task += 1

    def _receive(self, *, block: bool) -> None:
        busy = [w for w in self.workers if w.pending]
        if not busy:
            return
        if block:
            ready = wait([w.results for w in busy])
            busy = [w for w in busy if w.results in ready]
        elif os.name == "posix":  # a plain select: this runs between every two articles
            fds = select.select([w.results.fileno() for w in busy], [], [], 0)[0]
            busy = [w for w in busy if w.results.fileno() in fds]
        else:  # (Windows pipes cannot be selected)
            busy = [w for w in busy if w.results.poll(0)]
        for worker in busy:
            try:
                ok, payload = pickle.loads(worker.results.recv_bytes())
            except (EOFError, OSError):
                raise _worker_died() from None
            if not ok:
                raise payload
            self.done[worker.pending.popleft()] = payload
        self._hand_out()

    def close(self) -> None:
        """Stop the workers (at once when tasks are left: an error or an interrupt)."""
        finished = self.next_task >= len(self.tasks) and not any(w.pending for w in self.workers)
        for worker in self.workers:
            with contextlib.suppress(OSError, ValueError):
                if finished:
                    worker.tasks.send(None)
            if not finished:
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.tasks.close()
            worker.results.close()
        self.workers = []


def _worker_died() -> ReaderError:
    return ReaderError("an import worker process stopped unexpectedly (out of memory?)")


def _grow_pipe(conn: Connection) -> None:
    """Ask for a larger pipe buffer (Linux only; silently kept as is elsewhere)."""
    if sys.platform.startswith("linux"):
        import fcntl  # noqa: PLC0415 - Unix only

        with contextlib.suppress(OSError, ValueError):
            fcntl.fcntl(conn.fileno(), _F_SETPIPE_SZ, _RESULT_PIPE_BYTES)


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
    follow_links: bool = False,
    skipped: list[Path] | None = None,
) -> list[ImportOutcome]:
    """Import files and folders (recursively) into ``library``; one outcome per file,
    and one error per link not followed or subfolder unreadable (``find_importable``).
    Files in the folders that are not of a kind imported are appended to ``skipped``."""
    from reader.search.index_cache import ImportIndexer  # loaded only when importing

    pending: list[ImportOutcome] = []

    def not_read(path: Path, reason: str) -> None:
        error = str(ImportFailed(clean_line(str(path)), reason))
        pending.append(ImportOutcome(str(path), "error", error=error))

    found = find_importable(paths, follow_links=follow_links, on_skip=not_read, skipped=skipped)
    files = [str(p) for p in found]
    if on_total:
        on_total(len(files) + len(pending))
    outcomes: list[ImportOutcome] = []
    indexer = ImportIndexer(library, len(files))  # loads the index at the first added one

    def flush() -> None:
        for outcome in pending:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        pending.clear()

    count = default_workers() if workers is None else workers
    # Workers also write the bodies they prepare (in a folder of their own inside the
    # bodies folder): creating a file is the storing process's dearest step.
    stage_dir = library.bodies.staging_dir() if _pooled(len(files), count) else None
    stream = _parsed_stream(files, count, str(stage_dir) if stage_dir else None)
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
            result = library.add_parsed(
                item.parsed, tags=tags, prepared=item.body, staged=item.staged
            )
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
        stream.close()  # stops the workers now, not when the generator is collected
        raise
    finally:
        if stage_dir is not None:
            shutil.rmtree(stage_dir, ignore_errors=True)  # bodies never stored (duplicates)
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
