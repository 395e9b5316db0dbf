"""Helpers for ``test_promises.py``: running ``reader`` as a user would, killing it at
random moments, and checking that what reaches the terminal is safe.

Nothing here asserts a promise by itself; the tests in ``test_promises.py`` do.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader.models import ParsedArticle
from reader.store import Library

# Every command in these tests must finish well within this many seconds.
COMMAND_TIMEOUT = 60.0

# Characters that must never reach a terminal from article data: C0 controls (except
# newline, tab and carriage return), DEL, C1 controls, bidi embeddings/overrides/isolates.
_FORBIDDEN_CODEPOINTS = frozenset(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
    + [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def reader_cmd(db: Path, *args: str) -> list[str]:
    """The argv of ``reader --db DB ARGS...`` run with this interpreter."""
    return [sys.executable, "-m", "reader", "--db", str(db), *args]


def child_env() -> dict[str, str]:
    """The environment for a child ``reader``: unbuffered, no colours, no debugging."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("READER_DEBUG", None)
    env.pop("FORCE_COLOR", None)
    env["TERM"] = "xterm-256color"  # a real terminal type: escapes would be allowed
    return env


def run_reader(
    db: Path, *args: str, timeout: float = COMMAND_TIMEOUT, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``reader --db DB ARGS`` to completion, capturing raw stdout/stderr bytes."""
    return subprocess.run(
        reader_cmd(db, *args),
        capture_output=True,
        timeout=timeout,
        env=child_env(),
        cwd=cwd,
        check=False,
    )


def unsafe_characters(data: bytes) -> list[str]:
    """Descriptions of every terminal-unsafe byte or character in ``data`` (empty: safe)."""
    problems: list[str] = []
    # These bytes are never part of a multi-byte UTF-8 sequence, so search the raw bytes.
    # (A C1 control such as CSI is U+009B, b"\xc2\x9b" in UTF-8: judged after decoding.)
    for raw, name in ((b"\x1b", "ESC"), (b"\x07", "BEL"), (b"\x00", "NUL")):
        if raw in data:
            problems.append(f"{name} byte at {data.index(raw)}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [*problems, f"not UTF-8 ({err})"]
    for index, ch in enumerate(text):
        if ord(ch) in _FORBIDDEN_CODEPOINTS:
            problems.append(f"U+{ord(ch):04X} at {index}: {text[max(0, index - 30) : index]!r}")
            if len(problems) > 5:
                break
    return problems


def assert_terminal_safe(result: subprocess.CompletedProcess[bytes], label: str) -> None:
    """No escape, BEL, C1 or bidi override in the output; no traceback on stderr."""
    for stream, data in (("stdout", result.stdout), ("stderr", result.stderr)):
        problems = unsafe_characters(data)
        assert not problems, f"{label}: unsafe {stream}: {problems}"
    assert b"Traceback" not in result.stderr, f"{label}: traceback:\n{result.stderr.decode()}"


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single line a failing command wrote on stderr (asserts it is exactly one)."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {lines}"
    assert "Traceback" not in lines[0]
    return lines[0]


def write_notes(folder: Path, count: int, tag: str) -> list[Path]:
    """``count`` small distinct Markdown notes in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"note-{tag}-{i:04d}.md"
        path.write_text(
            f"# Note {tag} {i}\n\nThis is note {i} of batch {tag}, about item {i * 7 + 3}.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def fill_library(db: Path, count: int, tag: str = "seed") -> list[str]:
    """Create ``count`` articles in ``db`` in one write; return their ids in order."""
    with Library(db) as library, library.batch():
        ids = [
            library.add_parsed(
                ParsedArticle(
                    title=f"Seed {tag} {i}",
                    markdown=f"Seed article {i} of {tag}. It says something short.",
                )
            ).article.id
            for i in range(count)
        ]
    return ids


@dataclass
class KillReport:
    """What one kill-at-a-random-moment round saw."""

    delay: float
    finished_before_kill: bool
    stdout: bytes
    stderr: bytes
    lines: list[str] = field(default_factory=list)


def run_and_kill(argv: list[str], delay: float, *, cwd: Path | None = None) -> KillReport:
    """Start ``argv``, send SIGKILL after ``delay`` seconds (unless it ended), collect output."""
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=cwd,
        start_new_session=True,
    )
    finished = False
    try:
        proc.wait(timeout=delay)
        finished = True
    except subprocess.TimeoutExpired:
        # Kill the whole session: an import may have started a process pool.
        os.killpg(proc.pid, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=COMMAND_TIMEOUT)
    if not finished:
        _reap_group(proc.pid)
    lines = stdout.decode("utf-8", "replace").splitlines()
    # The last line may have been cut by the kill: only complete lines count as reported.
    if not stdout.endswith(b"\n") and lines:
        lines.pop()
    return KillReport(delay, finished, stdout, stderr, lines)


def _reap_group(pgid: int) -> None:
    """Make sure no member of a killed process group is still running."""
    for _ in range(50):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def random_delays(rng: random.Random, count: int, low: float, high: float) -> list[float]:
    """``count`` delays spread over ``[low, high]`` (stratified, so early and late both occur)."""
    width = (high - low) / count
    delays = [low + width * (i + rng.random()) for i in range(count)]
    rng.shuffle(delays)
    return delays


def run_tui_in_pty(db: Path, config_dir: Path, seconds: float = 4.0) -> bytes:
    """Start ``reader --db DB`` on a new 120x40 pseudo-terminal, press no key for
    ``seconds``, then ``q``: every byte the app wrote to its terminal."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    env = {**child_env(), "READER_CONFIG_DIR": str(config_dir)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader on its own terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(sys.executable, reader_cmd(db), env)
    out = b""

    def read_for(limit: float) -> bytes:
        got = b""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                got += chunk
        return got

    try:
        out = read_for(seconds)
        os.write(fd, b"q")
        out += read_for(3.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return out


def injected_sequences(out: bytes, payload: str) -> list[str]:
    """The escape sequences of ``payload`` (stored text) that a terminal's output holds
    (each from its introducer through the next 6 characters), and any C1 control in it."""
    starts = [m.start() for m in re.finditer("[\x1b\x80-\x9f]", payload)]
    found = [payload[i : i + 7] for i in starts if payload[i : i + 7].encode() in out]
    text = out.decode("utf-8", "replace")
    return [repr(f) for f in found] + [f"U+{ord(c):04X}" for c in text if 0x80 <= ord(c) <= 0x9F]


def session_members(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            found.append(int(entry))
    return found


def write_pages(folder: Path, count: int) -> None:
    """``count`` HTML pages of 1,500 paragraphs each (a fraction of a second to parse)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        paragraphs = "".join(
            f"<p>Page {i} paragraph {j} says something about item {i * j} here.</p>"
            for j in range(1500)
        )
        (folder / f"page-{i:03d}.html").write_text(
            f"<html><head><title>Page {i}</title></head><body><article>"
            f"<h1>Page {i}</h1>{paragraphs}</article></body></html>",
            encoding="utf-8",
        )


def read_until_eof(stream: int, seconds: float) -> bool:
    """Read ``stream`` until end-of-file; False if it is still open after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready and not os.read(stream, 65536):
            return True
    return False
