"""The fast start: the start snapshot (``snapshot``: what the first screen needs, in one
small file beside the library) and its maker in a forked process (``snapshot_fork``).

May import ``store``, ``search``, ``text`` and ``settings``; the TUI reads the snapshot, the
CLI refreshes it after a change. Never imports ``cli`` or ``tui``.
"""
