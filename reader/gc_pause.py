"""Pausing the cyclic garbage collector while many long-lived objects are built at once.

Owns ``gc_paused``, used wherever a large structure is loaded in one go: the library file
(``reader.store``) and the search index (``reader.search.index``); and the pause of the
TUI's start (``pause_for_start`` in the launcher, ``end_start_pause`` after the first
frame).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects at once: loading a
    large library otherwise triggers collections that walk everything built so far.
    Nothing built here is cyclic.

    What was built is then frozen (``gc.freeze``): the collector never walks those objects
    again, so a long-lived library's millions of objects cost no collection pauses later.
    Frozen
    objects are still freed by reference counting when dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


_start_paused = False


def pause_for_start() -> None:
    """Pause the collector from the program's start to the TUI's first frame.

    Importing Textual and building the app make a few hundred thousand objects that live
    as long as the program; the collections they trigger on the way walk them all again
    and again. ``end_start_pause``
    freezes what was built and collects as usual from then on."""
    global _start_paused
    if gc.isenabled():
        gc.disable()
        _start_paused = True


def end_start_pause() -> None:
    """End the pause of ``pause_for_start`` (if any): what the start built is frozen out
    of the collector, as ``gc_paused`` does for a loaded library."""
    global _start_paused
    if _start_paused:
        _start_paused = False
        gc.freeze()
        gc.enable()
