"""Cold-start timing in a pseudo-terminal: how long until a program's first complete screen.

Owns ``time_to_marker``: start a command on a new pseudo-terminal of a given size (set with
``TIOCSWINSZ`` before the program starts, ``TERM=xterm-256color``), read everything it
writes, and stop the clock when a marker string shows on screen (escape sequences are
stripped before searching, so colour changes cannot hide it). Then ``quit_keys`` (if any)
are typed, as a user would quit, and the program is left to exit by itself or killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence

_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)


class MarkerNotSeen(RuntimeError):
    """The program exited or timed out before showing the marker."""


def _make_controlling_tty() -> None:  # runs in the child, after setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def screen_text(raw: bytes) -> str:
    """What was written, without escape sequences (for finding the marker)."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")


def time_to_marker(
    argv: Sequence[str],
    marker: str,
    *,
    env: Mapping[str, str] | None = None,
    cols: int = 120,
    rows: int = 40,
    timeout: float = 60.0,
    grace: float = 3.0,
    quit_keys: bytes = b"",
) -> float:
    """Seconds from starting ``argv`` until ``marker`` appears on its screen.

    Raises ``MarkerNotSeen`` (with the tail of the screen) when it never does.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = dict(os.environ if env is None else env)
    full_env.update(TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    full_env.pop("TEXTUAL", None)
    raw = bytearray()
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
        preexec_fn=_make_controlling_tty,  # noqa: PLW1509 - single-threaded caller
        close_fds=True,
    )
    os.close(slave)
    needle = marker.encode("utf-8")
    found_at: float | None = None
    try:
        deadline = started + timeout
        scanned = 0
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                raw += chunk
                # strip escapes from a window that covers a marker split across chunks
                window = bytes(raw[max(0, scanned - 4096) :])
                if needle in _ESCAPES.sub(b"", window):
                    found_at = time.perf_counter()
                    break
                scanned = len(raw)
            elif proc.poll() is not None:
                break
        if found_at is None:
            tail = screen_text(bytes(raw))[-400:]
            raise MarkerNotSeen(f"{marker!r} not seen (exit {proc.poll()}); screen tail: {tail!r}")
        if quit_keys:
            os.write(master, quit_keys)
        return found_at - started
    finally:
        _finish(proc, master, grace)


def _finish(proc: subprocess.Popen[bytes], master: int, grace: float) -> None:
    """Let the program exit by itself for ``grace`` seconds (draining its output), else
    kill its process group (it runs in its own session, so only what we started)."""
    end = time.perf_counter() + grace
    while proc.poll() is None and time.perf_counter() < end:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    os.close(master)
