"""The method floor for ``terminal_latency.py``: a trivial program that redraws on each key.

Puts the terminal in raw mode and, for every key it reads, writes one line (the key and a
count) at the top of the screen. Timed through tmux exactly as ``reader`` is, it measures
what the method itself costs (tmux, the pseudo-terminal, the screen polls). ``q`` quits.
"""

from __future__ import annotations

import os
import sys
import termios
import tty


def main() -> None:
    """Echo each key until ``q``."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    try:
        os.write(1, b"\x1b[2J\x1b[HECHO-READY")
        count = 0
        while True:
            data = os.read(fd, 64)
            if not data or data == b"q":
                break
            count += 1
            os.write(1, f"\x1b[H\x1b[2Kkey {count}: {data!r}".encode())
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


if __name__ == "__main__":
    main()
