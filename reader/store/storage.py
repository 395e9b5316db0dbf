"""The TinyDB storage class: all data in memory; small changes appended to a journal.

TinyDB's own JSONStorage rewrites its file in place (a crash mid-write leaves a broken
file) and parses the whole file on every read. ``AtomicJSONStorage`` instead keeps two
files, for a library ``lib.json``:

- ``lib.json``, the main file: every table as one JSON object, plus ``"_epoch"``, a
  random id that changes on every full rewrite. It is only ever replaced whole (temporary
  file, fsync, rename), so on disk it is always a complete version.
- ``lib.json.journal``, the journal: a header line ``{"journal":1,"epoch":...}`` naming
  the main file's epoch, then one JSON line per flushed change set,
  ``{"c":[{"t":table,"id":doc_id,"doc":{...}|null}, ...]}`` (``null``: deleted). A
  change set is one line, so a write touching two documents (a highlight and its
  article's count) lands whole or not at all. Appends are fsynced before returning.

The data is the main file with the journal's change sets applied in order. A journal
whose header names another epoch is left over from a rewrite interrupted between the
rename and the journal's removal: everything in it is already in the main file, so it is
ignored (and replaced at the next write). A torn or invalid *last* line is a write
killed mid-append (never reported done): it is ignored, and cut off by the next append.
An invalid line followed by more lines is damage: ``StoreError``, and nothing is written.

The library tells the storage which documents a write changed (``note_change``); a flush
with no noted changes (a write path that did not say), or with many, rewrites the main
file instead. When the journal passes ``MAX_JOURNAL_BYTES`` or ``MAX_JOURNAL_DOCS`` it is
compacted: the main file is rewritten with a new epoch and the journal removed.

Other processes' changes are noticed by the (inode, size, mtime, ctime) of both files:
when only the journal grew, just its new tail is read and applied. Under the write lock
(``refresh(verify=True)``) an unchanged signature is not trusted: the main file's epoch
(its first bytes) and the journal past the last applied line are read again, which
closes the race of a replaced file that looks identical (reused inode, same size,
coarse mtime) without reading the whole file.

A main file that is not valid JSON is never overwritten: opening it raises ``StoreError``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from reader.errors import StoreError
from reader.gc_pause import gc_paused
from reader.settings.paths import journal_path_for
from reader.store.atomic_files import (
    FileSignature,
    atomic_write_bytes,
    file_signature,
)

EPOCH_KEY = "_epoch"
MAX_JOURNAL_BYTES = 1 << 20  # compact when the journal grows past this ...
MAX_JOURNAL_DOCS = 2000  # ... or holds this many document changes
MAX_APPEND_DOCS = 500  # a flush changing more documents rewrites the main file instead

_EPOCH_HEAD = re.compile(rb'\{"_epoch":"([0-9a-f]{32})"')
_RESTORE_HINT = "restore a backup with `reader restore` (the file was left untouched)"


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a library file, raising a one-line ``StoreError`` when unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the library ({exc.strerror or exc})") from None


def load_json_file(path: Path) -> dict[str, Any]:
    """Parse a library file, raising a one-line ``StoreError`` when it is damaged."""
    return parse_library_bytes(path, read_file_bytes(path))


def parse_library_bytes(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the bytes of the library file at ``path`` (named in errors); the epoch
    is dropped (see ``parse_main_bytes``)."""
    return parse_main_bytes(path, raw)[0]


def parse_main_bytes(path: Path, raw: bytes) -> tuple[dict[str, Any], str | None]:
    """The tables of a main library file and its epoch (None: written elsewhere)."""
    if not raw.strip():
        raise StoreError(f"{path}: the library file is empty or truncated; {_RESTORE_HINT}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreError(
            f"{path}: the library file is damaged (not valid JSON: {exc}); {_RESTORE_HINT}"
        ) from None
    if not isinstance(data, dict):
        raise StoreError(
            f"{path}: not a reader library (top level is not an object); {_RESTORE_HINT}"
        )
    epoch = data.pop(EPOCH_KEY, None)
    if not isinstance(epoch, str):
        epoch = None
    for name, table in data.items():
        # Every table is an object of records; anything else would crash TinyDB later.
        if not isinstance(table, dict) or not set(map(type, table.values())) <= {dict}:
            raise StoreError(
                f"{path}: not a reader library (table {str(name)[:40]!r} is not a set of "
                f"records); {_RESTORE_HINT}"
            )
    return data, epoch


# What a control, bidi or zero-width character looks like in JSON bytes written by orjson
# (C0 escaped as \u00XX or \b \f \r; DEL, C1 and the rest as raw UTF-8). Text the
# store writes never holds these, so a match means a file edited or made elsewhere.
# Searched in pieces that scan fast (one alternation over megabytes takes tens of ms):
# escapes by a pattern starting with a backslash, and the multi-byte marks among the
# non-ASCII bytes only (a UTF-8 character's bytes stay together when ASCII is deleted).
_ESCAPE_MARKS = re.compile(rb"\\(?:[bfr]|u00[01])")
_ASCII_BYTES = bytes(range(0x80))
_NON_ASCII_MARKS = re.compile(
    rb"\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0\xa6-\xa9]|\xd8\x9c|\xef\xbb\xbf"
)


def looks_suspicious(raw: bytes) -> bool:
    """Whether JSON bytes may hold control, bidi or zero-width characters."""
    if b"\x7f" in raw or (b"\\" in raw and _ESCAPE_MARKS.search(raw)):
        return True
    if raw.isascii():
        return False
    return _NON_ASCII_MARKS.search(raw.translate(None, _ASCII_BYTES)) is not None


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def journal_header(epoch: str) -> bytes:
    """The first line of a journal continuing the main file of ``epoch``."""
    return orjson.dumps({"journal": 1, "epoch": epoch}) + b"\n"


Change = tuple[str, str, dict[str, Any] | None]


def _damaged_journal(path: Path, why: str) -> StoreError:
    return StoreError(
        f"{path}: the library journal is damaged ({why}); {_RESTORE_HINT.split(' (')[0]}"
        " (the files were left untouched)"
    )


def _parse_change_set(line: bytes) -> list[Change] | None:
    """The changes of one journal line, or None when it is not a valid change set."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("c"), list):
        return None
    changes: list[Change] = []
    for item in record["c"]:
        if not isinstance(item, dict):
            return None
        table, doc_id, doc = item.get("t"), item.get("id"), item.get("doc")
        if not isinstance(table, str) or table == EPOCH_KEY or not isinstance(doc_id, str):
            return None
        if doc is not None and not isinstance(doc, dict):
            return None
        changes.append((table, doc_id, doc))
    return changes


def parse_journal(
    path: Path, raw: bytes, *, at_start: bool
) -> tuple[str | None, list[Change], int]:
    """Read journal bytes: (header epoch, changes, bytes consumed).

    ``at_start``: ``raw`` begins with the header line (else it is a tail of change
    sets). Stops before a torn or invalid last line; raises ``StoreError`` for an
    invalid line followed by more data.
    """
    epoch: str | None = None
    changes: list[Change] = []
    pos = 0
    end = len(raw)
    first = at_start
    while pos < end:
        newline = raw.find(b"\n", pos)
        if newline < 0:
            break  # torn last line: a write killed mid-append
        line = raw[pos:newline]
        if first:
            header = None
            with contextlib.suppress(orjson.JSONDecodeError):
                header = orjson.loads(line)
            if not isinstance(header, dict) or not isinstance(header.get("epoch"), str):
                if not raw[newline + 1 :].strip():
                    break  # the last line: torn
                raise _damaged_journal(path, "its first line is not a journal header")
            epoch = header["epoch"]
            first = False
        else:
            parsed = _parse_change_set(line)
            if parsed is None:
                if not raw[newline + 1 :].strip():
                    break  # the last line: torn
                raise _damaged_journal(path, f"invalid line at byte {pos}")
            changes.extend(parsed)
        pos = newline + 1
    return epoch, changes, pos


def apply_changes(data: dict[str, Any], changes: list[Change]) -> None:
    """Apply journal changes to the tables in ``data`` (idempotent: whole documents)."""
    for table, doc_id, doc in changes:
        if doc is None:
            data.get(table, {}).pop(doc_id, None)
        else:
            data.setdefault(table, {})[doc_id] = doc


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the data in memory, journals small changes and
    rewrites the main file atomically."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.journal_path = journal_path_for(self.path)
        self._data: dict[str, Any] | None = None
        self._signature: FileSignature | None = None
        self._journal_signature: FileSignature | None = None
        self._epoch: str | None = None  # of the main file the data comes from
        self._journal_offset = 0  # journal bytes applied (0: no journal of our epoch yet)
        self._journal_docs = 0  # document changes in the journal
        self._journal_head_bytes = b""  # its header line, as read or written
        self._defer_depth = 0
        self._dirty = False
        self._changes: dict[tuple[str, str], None] = {}  # noted, not yet flushed
        self._force_full = False
        self.generation = 0  # bumps whenever the data changes (here or on disk)
        self.reload_count = 0  # bumps whenever the data was (re)loaded from disk
        self.tail_log: list[tuple[str, str]] = []  # (table, id) applied from the journal
        self.full_writes = 0  # main file rewrites by this instance
        self._digest = b""  # of the main file's bytes, when it has no epoch
        self.suspicious = False  # the files last read may hold controls (not written by us)

    # -- TinyDB's Storage interface ---------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        if self._defer_depth == 0:
            self.refresh()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.generation += 1
        if self._defer_depth:
            self._dirty = True
            return
        self._flush()

    def close(self) -> None:
        if self._dirty:
            self._flush()

    # -- telling the storage what changed ---------------------------------------------------
    def note_change(self, table: str, doc_id: str) -> None:
        """Say that a write changes document ``doc_id`` of ``table`` (so the next flush
        can append it to the journal instead of rewriting the main file)."""
        self._changes[(table, doc_id)] = None

    def require_full_write(self) -> None:
        """Say that a write changed documents it did not name: the next flush rewrites
        the main file."""
        self._force_full = True

    # -- reading ------------------------------------------------------------------------------
    def refresh(self, *, verify: bool = False) -> bool:
        """Pick up what another process wrote. True if the data changed.

        A change is noticed by the signatures of the main file and the journal; when
        only the journal changed, only its new lines are read. With ``verify`` (under the
        write lock, before a read-modify-write) unchanged signatures are not trusted: the
        main file's epoch and the journal past the last applied line are read again.
        """
        signature = file_signature(self.path)
        journal_signature = file_signature(self.journal_path)
        if signature is None:
            # No file (yet): a new library, or one deleted under us; the next write
            # creates it again from what is in memory.
            self._signature = None
            return False
        if self._data is None or signature != self._signature:
            self._load(signature, journal_signature)
            return True
        if verify and not self._main_unchanged():
            self._load(file_signature(self.path), file_signature(self.journal_path))
            return True
        if not verify and journal_signature == self._journal_signature:
            return False
        return self._read_journal_tail(signature, journal_signature)

    def _main_unchanged(self) -> bool:
        """Whether the main file is still the version loaded (epoch, or bytes if none)."""
        if self._epoch is None:
            return _digest(read_file_bytes(self.path)) == self._digest
        try:
            with self.path.open("rb") as handle:
                head = handle.read(64)
        except OSError:
            return False
        match = _EPOCH_HEAD.match(head)
        return match is not None and match.group(1).decode() == self._epoch

    def _load(
        self, signature: FileSignature | None, journal_signature: FileSignature | None
    ) -> None:
        """Read the main file and replay the journal (signatures taken before reading)."""
        raw = read_file_bytes(self.path)
        with gc_paused():
            data, epoch = parse_main_bytes(self.path, raw)
        suspicious = looks_suspicious(raw)
        offset = docs = 0
        if epoch is not None and journal_signature is not None:
            journal = self._read_journal_bytes(0) or b""
            journal_epoch, changes, consumed = parse_journal(
                self.journal_path, journal, at_start=True
            )
            if journal_epoch == epoch:  # else: left over from before the last rewrite
                apply_changes(data, changes)
                offset, docs = consumed, len(changes)
                self._journal_head_bytes = journal[: journal.find(b"\n") + 1]
                suspicious = suspicious or looks_suspicious(journal[:consumed])
        self._data = data
        self._epoch = epoch
        self._signature = signature
        self._journal_signature = journal_signature
        self._journal_offset = offset
        self._journal_docs = docs
        self._digest = _digest(raw) if epoch is None else b""
        self.suspicious = suspicious
        self.tail_log = []
        self.generation += 1
        self.reload_count += 1

    def _read_journal_bytes(self, offset: int) -> bytes | None:
        """The journal from ``offset`` on (b"" when missing; None when shorter than that)."""
        try:
            with self.journal_path.open("rb") as handle:
                if offset:
                    if os.fstat(handle.fileno()).st_size < offset:
                        return None
                    handle.seek(offset)
                return handle.read()
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise StoreError(
                f"{self.journal_path}: cannot read the library journal ({exc.strerror or exc})"
            ) from None

    def _read_journal_tail(
        self, signature: FileSignature, journal_signature: FileSignature | None
    ) -> bool:
        """Apply the journal lines written since the last read. True if data changed."""
        if self._journal_offset == 0:
            if journal_signature is None:
                self._journal_signature = None
                return False
            raw = self._read_journal_bytes(0) or b""
            journal_epoch, changes, consumed = parse_journal(self.journal_path, raw, at_start=True)
            self._journal_signature = journal_signature
            if journal_epoch is None or journal_epoch != self._epoch:
                return False  # a stale journal (or a header still being written)
            self._journal_head_bytes = raw[: raw.find(b"\n") + 1]
        else:
            if journal_signature is None:  # gone while we had applied some of it
                self._load(signature, None)
                return True
            if self._journal_head() != self._journal_head_bytes:
                self._load(file_signature(self.path), file_signature(self.journal_path))
                return True
            tail = self._read_journal_bytes(self._journal_offset)
            if tail is None:  # shorter than what we applied: not the journal we read
                self._load(file_signature(self.path), file_signature(self.journal_path))
                return True
            raw = tail
            _, changes, consumed = parse_journal(self.journal_path, raw, at_start=False)
            self._journal_signature = journal_signature
        if not changes:
            self._journal_offset = max(self._journal_offset, consumed)
            return False
        assert self._data is not None
        apply_changes(self._data, changes)
        self._journal_offset += consumed
        self._journal_docs += len(changes)
        self.tail_log.extend((table, doc_id) for table, doc_id, _ in changes)
        if looks_suspicious(raw[:consumed]):
            self.suspicious = True
        self.generation += 1
        return True

    def _journal_head(self) -> bytes:
        """The journal's first bytes, as many as the header last read (b"": unreadable)."""
        try:
            with self.journal_path.open("rb") as handle:
                return handle.read(len(self._journal_head_bytes))
        except OSError:
            return b""

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Collect writes and flush them once when the outermost block ends."""
        if self._defer_depth == 0:
            self.refresh(verify=True)
        self._defer_depth += 1
        try:
            yield
        finally:
            self._defer_depth -= 1
            if self._defer_depth == 0 and self._dirty:
                self._flush()

    # -- writing ------------------------------------------------------------------------------
    def _flush(self) -> None:
        assert self._data is not None
        changes = list(self._changes)
        full = (
            self._force_full
            or not changes
            or len(changes) > MAX_APPEND_DOCS
            or self._epoch is None
            or self._signature is None
        )
        self._changes = {}
        self._force_full = False
        try:
            if full:
                self.rewrite()
                return
            self._append(changes)
        except BaseException:
            # Not written: keep the changes for the next flush (or rewrite everything).
            for key in changes:
                self._changes[key] = None
            self._force_full = self._force_full or full
            raise
        self._dirty = False
        if self._journal_offset > MAX_JOURNAL_BYTES or self._journal_docs > MAX_JOURNAL_DOCS:
            self.rewrite()

    def _append(self, changes: list[tuple[str, str]]) -> None:
        """Append one change set to the journal and fsync it."""
        assert self._data is not None and self._epoch is not None
        items = [
            {"t": table, "id": doc_id, "doc": self._data.get(table, {}).get(doc_id)}
            for table, doc_id in changes
        ]
        line = orjson.dumps({"c": items}) + b"\n"
        if self._journal_offset == 0:  # a new journal (or one left from an older epoch)
            header = journal_header(self._epoch)
            data = header + line
            atomic_write_bytes(self.journal_path, data)
            self._journal_head_bytes = header
            self._journal_offset = len(data)
        else:
            fd = os.open(self.journal_path, os.O_WRONLY)
            try:
                size = os.fstat(fd).st_size
                if size < self._journal_offset:  # not the journal we read: never pad it
                    raise StoreError(f"{self.journal_path}: the library journal shrank; try again")
                if size > self._journal_offset:
                    os.ftruncate(fd, self._journal_offset)  # cut a torn last line
                try:
                    os.pwrite(fd, line, self._journal_offset)
                    os.fsync(fd)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, self._journal_offset)
                    raise
            finally:
                os.close(fd)
            self._journal_offset += len(line)
        self._journal_docs += len(changes)
        self._journal_signature = file_signature(self.journal_path)

    def rewrite(self) -> None:
        """Write the whole data to the main file with a new epoch, then drop the journal.

        A crash between the two leaves a journal naming the old epoch: ignored on load.
        """
        assert self._data is not None
        epoch = secrets.token_hex(16)
        raw = orjson.dumps({EPOCH_KEY: epoch, **self._data})
        atomic_write_bytes(self.path, raw)
        self._epoch = epoch
        self._signature = file_signature(self.path)
        self._digest = b""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.journal_path)
        self._journal_signature = None
        self._journal_offset = 0
        self._journal_docs = 0
        self._dirty = False
        self.full_writes += 1

    def compact(self) -> bool:
        """Fold the journal into the main file (call under the write lock, after a
        verifying refresh). True when there was something to fold."""
        if self._data is None or self._journal_offset == 0:
            return False
        self.rewrite()
        return True

    @property
    def journal_docs(self) -> int:
        """Document changes in the journal, as last read or written."""
        return self._journal_docs
