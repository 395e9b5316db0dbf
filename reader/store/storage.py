"""The TinyDB storage class: all data in memory; small changes appended to a journal.

TinyDB's own JSONStorage rewrites its file in place (a crash mid-write leaves a broken
file) and parses the whole file on every read. ``AtomicJSONStorage`` instead keeps two
files, for a library ``lib.json``:

- ``lib.json``, the main file: every table as one JSON object, plus ``"_epoch"``, a
  random id that changes on every full rewrite. It is only ever replaced whole (temporary
  file, fsync, rename), so on disk it is always a complete version.
- ``lib.json.journal``, the journal: a header line ``{"journal":2,"epoch":...}`` naming
  the main file's epoch, then one line per flushed change set,
  ``{"c":[{"t":table,"id":doc_id,"doc":{...}|null}, ...]}`` (``null``: deleted), a tab
  and the CRC-32 of the JSON in 8 hex digits. A change set is one line, so a write
  touching two documents (a highlight and its article's count) lands whole or not at
  all. Appends are fsynced before returning. (A version 1 journal, lines without the
  checksum, is still read, and appended to in its own form until the next rewrite.)

The data is the main file with the journal's change sets applied in order. A journal
whose header names another epoch is left over from a rewrite interrupted between the
rename and the journal's removal: everything in it is already in the main file, so it is
ignored (and replaced at the next write). A last line without its newline is a write
killed mid-append (never reported done, a *torn* write): it is ignored; the next write
cuts it off, first keeping its bytes in the backups folder (``torn_tail_path``) and
saying so once in ``notices``. A complete line (newline-terminated) whose checksum or
content is wrong is damage, wherever it is: ``StoreError``, and nothing is written.
(In a version 1 journal an invalid last line is taken as torn, as it always was.)

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

Stored text is not trusted: when the bytes read (main file or journal lines) may hold an
unsafe character (``sanitize.bytes_may_be_unsafe``), every string of the data read is
cleaned (``sanitize.clean_tree``) before anything sees it, and ``suspicious`` is set.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from reader.errors import StoreError, describe_os_error
from reader.gc_pause import gc_paused
from reader.sanitize import bytes_may_be_unsafe, clean_tree
from reader.settings.paths import journal_path_for
from reader.store.atomic_files import (
    FileSignature,
    atomic_write_bytes,
    file_signature,
    naming,
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
        raise StoreError(f"{path}: cannot read the library ({_cause(exc)})") from None


def load_json_file(path: Path) -> dict[str, Any]:
    """Parse a library file, raising a one-line ``StoreError`` when it is damaged."""
    return parse_library_bytes(path, read_file_bytes(path))


def parse_library_bytes(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the bytes of the library file at ``path`` (named in errors); the epoch
    is dropped (see ``parse_main_bytes``)."""
    return parse_main_bytes(path, raw)[0]


def parse_main_bytes(
    path: Path, raw: bytes | bytearray | memoryview
) -> tuple[dict[str, Any], str | None]:
    """The tables of a main library file and its epoch (None: written elsewhere)."""
    if not raw or (not isinstance(raw, memoryview) and raw.isspace()):
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


def read_file_buffer(path: Path) -> bytearray:
    """``read_file_bytes`` into a buffer its reader may change (``split_off_table``)."""
    try:
        with path.open("rb") as handle:
            buffer = bytearray(os.fstat(handle.fileno()).st_size)
            size = handle.readinto(buffer)
            del buffer[size:]
            buffer += handle.read()  # grown since the size was taken
            return buffer
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the library ({_cause(exc)})") from None


def read_journal_bytes(path: Path, offset: int = 0) -> bytes | None:
    """The journal at ``path`` from ``offset`` on (b"" when missing; None when shorter
    than that), raising a one-line ``StoreError`` when unreadable."""
    try:
        with path.open("rb") as handle:
            if offset:
                if os.fstat(handle.fileno()).st_size < offset:
                    return None
                handle.seek(offset)
            return handle.read()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the library journal ({_cause(exc)})") from None


def split_off_table(
    raw: bytearray, name: str, others: tuple[str, ...]
) -> tuple[memoryview, memoryview, slice] | None:
    """A main library file's bytes cut, without copying, into two JSON objects, the
    tables before the top-level table ``name`` and the tables after it (``{}`` when none),
    and the slice of ``raw`` that is ``name``'s records (an object): for a reader that
    wants the other tables sooner. The table is found by searching for its key and the
    next table's (one of ``others``), not by parsing, and ``raw`` is changed where it is
    cut. None when the key is not there. A key searched for cannot be inside a string
    (JSON escapes a string's quotes); one deeper in the file (a hand-edited record) makes
    a cut whose parts are not all valid JSON, so the caller parses the parts it uses and
    reads the whole file again when one fails."""
    start = raw.find(b',"' + name.encode() + b'":{')
    if start < 0:
        return None
    opening = start + len(name) + 4
    after = re.compile(rb'\},"(?:' + b"|".join(re.escape(o.encode()) for o in others) + rb')":\{')
    found = after.search(raw, opening)
    view = memoryview(raw)
    if found is not None:
        end = found.start() + 1  # past the table's closing brace
        raw[end] = ord("{")  # ',"next":{...}}' becomes '{"next":{...}}'
        tail = view[end:]
    else:  # the last table: it ends before the file's closing brace
        end = len(raw) - 1
        while end > opening and raw[end] in b" \t\r\n":
            end -= 1
        if end <= opening or raw[end] != ord("}") or raw[end - 1] != ord("}"):
            return None
        tail = memoryview(b"{}")
    raw[start] = ord("}")  # the tables before it: '{..."articles":{...}}'
    return view[: start + 1], tail, slice(opening, end)


def _cause(exc: OSError) -> str:
    """Why a file could not be used, in a few words (``disk full``, ...)."""
    return describe_os_error(exc).rsplit(": ", 1)[-1]


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


JOURNAL_VERSION = 2


def journal_header(epoch: str) -> bytes:
    """The first line of a journal continuing the main file of ``epoch``."""
    return orjson.dumps({"journal": JOURNAL_VERSION, "epoch": epoch}) + b"\n"


def journal_version(header: bytes) -> int:
    """The version a journal's header line names (1 when it names none)."""
    with contextlib.suppress(orjson.JSONDecodeError):
        value = orjson.loads(header)
        if isinstance(value, dict) and isinstance(value.get("journal"), int):
            return value["journal"]
    return 1


def journal_entry(payload: bytes, version: int = JOURNAL_VERSION) -> bytes:
    """One journal line for the JSON ``payload``: with its checksum from version 2."""
    if version >= 2:
        return payload + b"\t%08x\n" % zlib.crc32(payload)
    return payload + b"\n"


def _entry_payload(line: bytes, version: int) -> bytes | None:
    """The JSON of a complete journal line, or None when its checksum is wrong."""
    if version < 2:
        return line
    payload, tab, crc = line.rpartition(b"\t")
    if not tab or len(crc) != 8 or b"%08x" % zlib.crc32(payload) != crc:
        return None
    return payload


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
    path: Path, raw: bytes, *, at_start: bool, version: int = JOURNAL_VERSION
) -> tuple[str | None, list[Change], int]:
    """Read journal bytes: (header epoch, changes, bytes consumed).

    ``at_start``: ``raw`` begins with the header line, whose version then applies (else
    it is a tail of change sets of ``version``). Stops before a last line without its
    newline (torn, or still being written by another process); raises ``StoreError``
    for a complete line that fails its check (in a version 1 journal: for an invalid
    line followed by more data; an invalid last line is taken as torn).
    """
    epoch: str | None = None
    changes: list[Change] = []
    pos = 0
    end = len(raw)
    first = at_start
    while pos < end:
        newline = raw.find(b"\n", pos)
        if newline < 0:
            break  # torn last line: a write killed mid-append (or still going on)
        line = raw[pos:newline]
        last = not raw[newline + 1 :].strip()
        if first:
            header = None
            with contextlib.suppress(orjson.JSONDecodeError):
                header = orjson.loads(line)
            if not isinstance(header, dict) or not isinstance(header.get("epoch"), str):
                if last:
                    break  # the last line: torn
                raise _damaged_journal(path, "its first line is not a journal header")
            epoch = header["epoch"]
            version = journal_version(line)
            first = False
        else:
            payload = _entry_payload(line, version)
            parsed = None if payload is None else _parse_change_set(payload)
            if parsed is None:
                if last and version < 2:
                    break  # a version 1 journal cannot tell: taken as torn
                what = "fails its checksum" if payload is None else "is not a change set"
                raise _damaged_journal(path, f"the complete line at byte {pos} {what}")
            changes.extend(parsed)
        pos = newline + 1
    return epoch, changes, pos


def _clean_changes(changes: list[Change]) -> None:
    """Clean every string of journal changes read from a file that may hold controls."""
    for index, (table, doc_id, doc) in enumerate(changes):
        changes[index] = (clean_tree(table), clean_tree(doc_id), clean_tree(doc))


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
        # The files last read held unsafe characters (not written by us): the data in
        # memory was cleaned (``sanitize.clean_tree``) as it was read.
        self.suspicious = False
        self.notices: list[str] = []  # what the user should hear about (taken by the caller)

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
        suspicious = bytes_may_be_unsafe(raw)
        if suspicious:
            clean_tree(data)
        offset = docs = 0
        if epoch is not None and journal_signature is not None:
            journal = self._read_journal_bytes(0) or b""
            journal_epoch, changes, consumed = parse_journal(
                self.journal_path, journal, at_start=True
            )
            if journal_epoch == epoch:  # else: left over from before the last rewrite
                if bytes_may_be_unsafe(journal[:consumed]):
                    suspicious = True
                    _clean_changes(changes)
                apply_changes(data, changes)
                offset, docs = consumed, len(changes)
                self._journal_head_bytes = journal[: journal.find(b"\n") + 1]
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
        """The journal from ``offset`` on (see ``read_journal_bytes``)."""
        return read_journal_bytes(self.journal_path, offset)

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
            _, changes, consumed = parse_journal(
                self.journal_path,
                raw,
                at_start=False,
                version=journal_version(self._journal_head_bytes),
            )
            self._journal_signature = journal_signature
        if not changes:
            self._journal_offset = max(self._journal_offset, consumed)
            return False
        assert self._data is not None
        if bytes_may_be_unsafe(raw[:consumed]):
            self.suspicious = True
            _clean_changes(changes)
        apply_changes(self._data, changes)
        self._journal_offset += consumed
        self._journal_docs += len(changes)
        self.tail_log.extend((table, doc_id) for table, doc_id, _ in changes)
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
        payload = orjson.dumps({"c": items})
        if self._journal_offset == 0:  # a new journal (or one left from an older epoch)
            line = journal_entry(payload)
            header = journal_header(self._epoch)
            data = header + line
            atomic_write_bytes(self.journal_path, data)
            self._journal_head_bytes = header
            self._journal_offset = len(data)
        else:
            line = journal_entry(payload, journal_version(self._journal_head_bytes))
            try:
                fd = os.open(self.journal_path, os.O_RDWR)
            except OSError as exc:
                raise naming(exc, self.journal_path) from None
            try:
                size = os.fstat(fd).st_size
                if size < self._journal_offset:  # not the journal we read: never pad it
                    raise StoreError(f"{self.journal_path}: the library journal shrank; try again")
                if size > self._journal_offset:  # a torn last line: kept aside, cut off
                    self._keep_torn_tail(
                        os.pread(fd, size - self._journal_offset, self._journal_offset)
                    )
                    os.ftruncate(fd, self._journal_offset)
                try:
                    os.pwrite(fd, line, self._journal_offset)
                    os.fsync(fd)
                except BaseException as exc:
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, self._journal_offset)
                    if isinstance(exc, OSError):
                        raise naming(exc, self.journal_path) from None
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
        if self._journal_offset:  # a torn last line would go with the journal: keep it
            tail = self._read_journal_bytes(self._journal_offset)
            if tail:
                self._keep_torn_tail(tail)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.journal_path)
        self._journal_signature = None
        self._journal_offset = 0
        self._journal_docs = 0
        self._dirty = False
        self.full_writes += 1

    def flush(self) -> None:
        """Write the pending changes now, even inside a ``deferred`` block (a caller that
        must know them durable before it goes on, e.g. a sync before it moves git's HEAD)."""
        if self._dirty:
            self._flush()

    def unwritten(self, table: str, doc_ids: list[str]) -> list[str]:
        """Those of ``doc_ids`` not written to the files: not in the data at all, or
        changed and waiting for a flush that failed."""
        data = (self._data or {}).get(table, {})
        return [
            doc_id
            for doc_id in doc_ids
            if doc_id not in data
            or (self._dirty and (self._force_full or (table, doc_id) in self._changes))
        ]

    def forget_documents(self, table: str, doc_ids: list[str]) -> None:
        """Drop documents added in memory and never written (a write that failed and
        is taken back): they are neither kept nor written by the next flush."""
        for doc_id in doc_ids:
            if self._data is not None:
                self._data.get(table, {}).pop(doc_id, None)
            self._changes.pop((table, doc_id), None)

    def _keep_torn_tail(self, tail: bytes) -> None:
        """Keep the bytes of a torn last journal line (a write killed mid-append, never
        reported done) in the backups folder before they are cut off, and say so once
        in ``notices``. (Called under the write lock: no other process is appending.)"""
        from reader.store.backups import backup_folder

        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        aside = backup_folder(self.path) / f"{self.journal_path.name}-torn-{stamp}-{os.getpid()}"
        try:
            atomic_write_bytes(aside, tail)
        except OSError as exc:
            raise StoreError(
                f"{self.journal_path}: cannot keep its unfinished last write aside in "
                f"{aside.parent} ({exc.strerror or exc}); nothing was written"
            ) from None
        self.notices.append(
            f"{self.journal_path}: an unfinished last write ({len(tail)} bytes, never "
            f"reported done) was cut off; its bytes are kept in {aside}"
        )

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
