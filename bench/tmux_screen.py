"""A program in a tmux session, driven and read the way a user meets it: keys in, screen out.

Owns ``TmuxScreen``: starts a command in its own tmux server (``tmux -L <socket>``, so no
other session is touched) at a fixed size, sends keys with ``send-keys`` and reads the
screen with ``capture-pane -p``. Both go through one control-mode client (``tmux -C``), so
a poll of the screen is one round trip to the server, not a new process each time: the
method floor is what tmux itself costs. ``press`` times a key to the first screen that
differs, and on to the first screen a predicate accepts. ``wait_idle`` waits until the
program has stopped using the CPU (so the next key never meets the last one's work).
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pty_timing import screen_text

POLL_TIMEOUT = 10.0


class ScreenTimeout(RuntimeError):
    """The screen never changed (or never showed what was waited for)."""


@dataclass
class Press:
    """One timed key: seconds to the first changed screen and to the wanted one."""

    changed: float
    done: float | None


def _cpu_ticks(pid: int) -> int:
    """utime + stime of every thread of ``pid`` (and its children waited for)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class TmuxScreen:
    """One program in a private tmux server, ``cols`` x ``rows``."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cols: int = 120,
        rows: int = 40,
        cwd: str | None = None,
    ) -> None:
        self.name = name
        self.socket = f"reader-bench-{os.getpid()}-{name}"
        command = shlex.join(["env", *(f"{k}={v}" for k, v in (env or {}).items()), *argv])
        base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        subprocess.run(
            [*base, "new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), command],
            check=True,
            cwd=cwd,
        )
        subprocess.run([*base, "set-option", "-g", "window-size", "manual"], check=True)
        self._ctl = subprocess.Popen(
            [*base, "-C", "attach-session", "-t", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._buffer = b""
        try:
            deadline = time.monotonic() + POLL_TIMEOUT
            while not self._line(deadline).startswith((b"%end", b"%error")):
                pass  # the reply to the attach itself
            self.command("refresh-client -f no-output")
            self.pid = int(self.command(f"display-message -p -t {name} '#{{pane_pid}}'")[0])
        except BaseException:
            self.close()
            raise

    # -- control mode ------------------------------------------------------------------
    def _line(self, deadline: float) -> bytes:
        assert self._ctl.stdout is not None
        fd = self._ctl.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise ScreenTimeout(f"{self.name}: tmux did not answer")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise ScreenTimeout(f"{self.name}: tmux control client ended")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def command(self, text: str) -> list[str]:
        """Run one tmux command; its output lines."""
        assert self._ctl.stdin is not None
        self._ctl.stdin.write(text.encode() + b"\n")
        self._ctl.stdin.flush()
        deadline = time.monotonic() + POLL_TIMEOUT
        out: list[str] | None = None
        while True:
            line = self._line(deadline)
            if out is None:
                if line.startswith(b"%begin"):
                    out = []
                continue  # notifications between replies
            if line.startswith((b"%end", b"%error")):
                if line.startswith(b"%error"):
                    raise RuntimeError(f"tmux {text!r}: {out}")
                return out
            out.append(line.decode("utf-8", errors="replace"))

    def screen(self) -> list[str]:
        """The screen's lines with their colours (escape sequences): a cursor shown by
        colour alone is a change too."""
        return self.command(f"capture-pane -p -e -t {self.name}")

    def text(self) -> list[str]:
        """The screen's lines, as text (no colours)."""
        return [screen_text(line.encode()) for line in self.screen()]

    def send(self, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux key names, or text with ``literal``)."""
        flag = " -l" if literal else ""
        self.command(f"send-keys{flag} -t {self.name} " + " ".join(shlex.quote(k) for k in keys))

    # -- timing ------------------------------------------------------------------------
    def press(
        self,
        *keys: str,
        literal: bool = False,
        until: Callable[[list[str]], bool] | None = None,
        timeout: float = POLL_TIMEOUT,
    ) -> Press:
        """Send ``keys``; seconds to the first screen that differs from the one before,
        and (with ``until``) to the first screen ``until`` accepts."""
        before = self.screen()
        start = time.perf_counter()
        self.send(*keys, literal=literal)
        changed: float | None = None
        while True:
            now_screen = self.screen()
            now = time.perf_counter() - start
            if changed is None and now_screen != before:
                changed = now
            if changed is not None and (
                until is None or until([screen_text(line.encode()) for line in now_screen])
            ):
                return Press(changed, now if until is not None else None)
            if now > timeout:
                what = "change" if changed is None else "wanted screen"
                raise ScreenTimeout(f"{self.name}: no {what} after {keys!r} in {timeout:.0f} s")

    def wait_for(self, accept: Callable[[list[str]], bool], timeout: float = 120.0) -> None:
        """Until the screen shows what ``accept`` wants."""
        deadline = time.perf_counter() + timeout
        while not accept(self.text()):
            if time.perf_counter() > deadline:
                tail = "\n".join(self.text())
                raise ScreenTimeout(f"{self.name}: screen not as wanted:\n{tail}")
            time.sleep(0.02)

    def wait_idle(self, quiet: float = 0.12, timeout: float = 30.0) -> None:
        """Until the program has used no CPU for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        try:
            last, since = _cpu_ticks(self.pid), time.perf_counter()
        except OSError:  # it has exited
            return
        while time.perf_counter() < deadline:
            time.sleep(0.02)
            try:
                ticks = _cpu_ticks(self.pid)
            except OSError:  # it has exited
                return
            if ticks != last:
                last, since = ticks, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return

    def close(self) -> None:
        """End the program and its tmux server."""
        with contextlib.suppress(Exception):
            assert self._ctl.stdin is not None
            self._ctl.stdin.close()
        with contextlib.suppress(Exception):
            self._ctl.wait(timeout=2)
        with contextlib.suppress(Exception):
            self._ctl.kill()
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            check=False,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> TmuxScreen:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
